#!/usr/bin/env bash
# Proves the quick start builds on a machine whose only Go is an old one
# (the target: Debian 12's golang-go, Go 1.19):
#   1. installs Debian's golang-1.19-go with apt when missing (or uses
#      OLD_GO=/path/to/old/go/bin/go);
#   2. runs `scripts/run.sh --build-only` with a PATH whose only go is that
#      old one (every other directory holding a go binary is dropped) and
#      GOTOOLCHAIN=local, so nothing but scripts/deps.sh can bring the new Go;
#   3. checks that the fetched Go is the one go.mod asks for and that the
#      built bin/appinspect runs `appinspect help`.
# The fetched toolchain and its zip are cached under
# ~/.cache/appinspect/oldgo-check (CHECK_CACHE overrides), so a second run
# downloads nothing; the Go build cache is the user's, so a second build is
# quick. The first run takes a cold GUI build: ~10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in -h|--help) sed -n '2,15p' "$0"; exit 0 ;; esac
say() { printf '== %s\n' "$*"; }

old=${OLD_GO:-/usr/lib/go-1.19/bin/go}
if [ ! -x "$old" ] && [ -z "${OLD_GO:-}" ]; then
  say "installing Debian's Go 1.19 (golang-1.19-go) as the old Go"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  apt-cache show golang-1.19-go >/dev/null 2>&1 || $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq golang-1.19-go >/dev/null
fi
[ -x "$old" ] || { echo "oldgo-check.sh: no old go at $old" >&2; exit 1; }
oldver=$(GOTOOLCHAIN=local "$old" version | awk '{print $3}')

# A PATH without any other go: keep only directories that hold no go binary.
path=$(dirname "$old")
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ -d "$d" ] || continue
  [ -e "$d/go" ] && continue
  path="$path:$d"
done
onlygo=$(PATH=$path command -v go)
[ "$onlygo" = "$old" ] || { echo "oldgo-check.sh: go on the check's PATH is $onlygo, not $old" >&2; exit 1; }

cache=${CHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/appinspect/oldgo-check}
mkdir -p "$cache"
say "quick-start build with only $oldver on PATH ($old); Go fetched into $cache"
t0=$SECONDS
env PATH="$path" GOTOOLCHAIN=local APPINSPECT_GO_DIR="$cache/go" GOMODCACHE="$cache/mod" \
  bash scripts/run.sh --build-only
. scripts/goenv.sh
want=$(goenv_want)
got=$("$cache/go/$want/bin/go" version | awk '{print $3}')
[ "$got" = "$want" ] || { echo "oldgo-check.sh: fetched go is $got, go.mod wants $want" >&2; exit 1; }
./bin/appinspect help >/dev/null || { echo "oldgo-check.sh: bin/appinspect does not run" >&2; exit 1; }
say "ok: with only $oldver on PATH the quick start fetched $want and built bin/appinspect in $((SECONDS - t0))s"
