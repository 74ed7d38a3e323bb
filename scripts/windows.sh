#!/usr/bin/env bash
# Cross-compiles AppInspect for 64-bit Windows from Debian/Ubuntu:
#   dist/appinspect.exe      the GUI (cgo + Fyne's GLFW driver, built with
#                            mingw-w64; -H=windowsgui, so it opens no console)
#   dist/appinspect-cli.exe  the command line alone (-tags nogui,
#                            CGO_ENABLED=0), a console program for scripting
# With --package it also runs `fyne package -os windows`, which embeds the
# icon and an application manifest (see docs/DELIVERY.md), into
# dist/AppInspect.exe.
#
# Usage: scripts/windows.sh [--package]
# Environment: GO (default go), FYNE_TOOL (default fyne.io/tools/cmd/fyne@v1.7.4).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

GO=${GO:-go}
FYNE_TOOL=${FYNE_TOOL:-fyne.io/tools/cmd/fyne@v1.7.4}
CC_WIN=x86_64-w64-mingw32-gcc
want_package=0
for a in "$@"; do
  case "$a" in
    --package) want_package=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "windows.sh: unknown argument: $a (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '== %s\n' "$*"; }

# 1. The mingw-w64 cross compiler, from apt when missing.
if ! command -v "$CC_WIN" >/dev/null 2>&1; then
  say "installing gcc-mingw-w64-x86-64 (apt)"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "windows.sh: need root or sudo to install gcc-mingw-w64-x86-64" >&2; exit 1; }
    sudo="sudo"
  fi
  # Refresh the package lists only when apt does not know the package yet.
  if ! apt-cache show gcc-mingw-w64-x86-64 >/dev/null 2>&1; then
    $sudo apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
fi
say "cross compiler: $("$CC_WIN" --version | head -n1)"

mkdir -p dist
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
. scripts/goenv.sh
goenv_ensure # the Go go.mod needs (fetched by scripts/deps.sh when the machine's is older)

# timed NAME CMD... runs CMD and prints how long it took.
timed() {
  local name=$1; shift
  local t0=$SECONDS
  "$@"
  printf '   %s built in %ds\n' "$name" $((SECONDS - t0))
}

# 2. The GUI. The first build compiles GLFW and the OpenGL bindings for
# Windows with mingw and takes several minutes; later builds are cached.
say "building dist/appinspect.exe (GUI, cgo, mingw-w64; the first build takes minutes)"
timed dist/appinspect.exe env CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$CC_WIN" \
  "$GO" build -trimpath -tags migrated_fynedo -ldflags "-H=windowsgui" -o dist/appinspect.exe .

# 3. The command line alone, no cgo.
say "building dist/appinspect-cli.exe (command line, -tags nogui, CGO_ENABLED=0)"
timed dist/appinspect-cli.exe env CGO_ENABLED=0 GOOS=windows GOARCH=amd64 \
  "$GO" build -trimpath -tags nogui -o dist/appinspect-cli.exe .

# 4. Optional: fyne package embeds the icon, version information and an
# application manifest as Windows resources (a fyne.syso it generates with
# Go code, no windres needed). Like scripts/package.sh it works on a copy
# of the sources: the tool writes fyne.syso, fyne_metadata_init.go and the
# exe into the source directory and increments Build in FyneApp.toml.
if [ $want_package -eq 1 ]; then
  stage=$(mktemp -d /tmp/appinspect-winpkg.XXXXXX)
  trap 'rm -rf "$stage"' EXIT
  # The tool itself is built for this machine (GOOS/CC of the host); it
  # sets GOOS=windows and CGO_ENABLED=1 for the app build and keeps CC.
  say "installing $FYNE_TOOL into $stage/tools"
  GOBIN="$stage/tools" "$GO" install "$FYNE_TOOL"
  say "fyne package -os windows -release (icon + manifest), in $stage/src"
  mkdir -p "$stage/src"
  tar -C "$root" --exclude=./.git --exclude=./dist --exclude=./bin --exclude=./bench/out \
    --exclude='*.test' --exclude='*.prof' -cf - . | tar -C "$stage/src" -xf -
  timed dist/AppInspect.exe env GOARCH=amd64 CC="$CC_WIN" \
    sh -c "cd '$stage/src' && '$stage/tools/fyne' package -os windows -release -tags migrated_fynedo"
  mv -f "$stage/src/AppInspect.exe" dist/AppInspect.exe
fi

# 5. Verify: both must be PE32+ x86-64 executables, the GUI one for the
# Windows GUI subsystem and the CLI one for the console subsystem.
say "verifying"
fail=0
check() { # FILE SUBSYSTEM
  local f=$1 sub=$2 desc
  desc=$(file -b "$f")
  printf '   %-26s %6.1f MiB  %s\n' "$f" "$(awk -v b="$(stat -c %s "$f")" 'BEGIN{print b/1048576}')" "$desc"
  case "$desc" in
    PE32+*"($sub)"*x86-64*) ;;
    *) echo "windows.sh: $f is not a PE32+ x86-64 $sub executable" >&2; fail=1 ;;
  esac
}
check dist/appinspect.exe GUI
check dist/appinspect-cli.exe console
[ $want_package -eq 0 ] || check dist/AppInspect.exe GUI
# The GUI must need only DLLs every Windows has: a mingw runtime DLL
# (libwinpthread-1.dll, libgcc_s_*.dll, libstdc++-6.dll) would be missing
# on the field laptops.
if command -v x86_64-w64-mingw32-objdump >/dev/null 2>&1; then
  dlls=$(x86_64-w64-mingw32-objdump -p dist/appinspect.exe | awk '/DLL Name:/{print $3}' | sort -u | tr '\n' ' ')
  echo "   appinspect.exe imports: $dlls"
  if grep -Eiq '(^| )lib[^ ]*\.dll' <<<"$dlls"; then
    echo "windows.sh: appinspect.exe depends on a mingw runtime DLL" >&2; fail=1
  fi
fi
[ $fail -eq 0 ] || exit 1
say "ok: Windows executables in $(pwd)/dist"
