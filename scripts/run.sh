#!/usr/bin/env bash
# Quick start, step 1: install what is missing (scripts/deps.sh gui: apt
# packages, and the Go go.mod asks for when the machine's go is missing or
# older), build AppInspect into bin/appinspect, start it.
#
# The first build compiles Fyne, GLFW and OpenGL through cgo: about 10 minutes
# on 2 cores (later builds take seconds). Progress is printed per package.
#
# Usage: scripts/run.sh [--build-only] [appinspect arguments...]
#   --build-only  build bin/appinspect and stop (what the old-Go check runs)
set -euo pipefail
cd "$(dirname "$0")/.."
build_only=0
if [ "${1:-}" = --build-only ]; then build_only=1; shift; fi
case "${1:-}" in -h|--help) sed -n '2,10p' "$0"; exit 0 ;; esac

bash scripts/deps.sh gui
. scripts/goenv.sh
goenv_use
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
export LANG=${LANG:-C.UTF-8}
mkdir -p bin

# Packages the binary is made of; `go build -v` names each one it compiles
# (only those not yet in the build cache), which gives the progress count.
total=$(go list -tags migrated_fynedo -deps . 2>/dev/null | wc -l)
echo "== building bin/appinspect with $(go version | awk '{print $3}') ($total packages)"
echo "   a first build takes about 10 minutes on 2 cores (cgo: GLFW, OpenGL); later builds take seconds"
t0=$SECONDS
n=0
go build -v -tags migrated_fynedo -o bin/appinspect . 2>&1 | while IFS= read -r line; do
  case "$line" in
    [a-z]*/*|[a-z]*[a-z0-9]) # a package path
      if [[ "$line" =~ ^[A-Za-z0-9._/~-]+$ ]]; then
        n=$((n + 1))
        printf '   [%d/%d] %3ds  %s\n' "$n" "$total" $((SECONDS - t0)) "$line"
        continue
      fi ;;
  esac
  printf '%s\n' "$line"
done
echo "== built bin/appinspect in $((SECONDS - t0))s"
[ $build_only -eq 1 ] && exit 0
exec ./bin/appinspect "$@"
