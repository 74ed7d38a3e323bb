#!/usr/bin/env bash
# Installs what AppInspect needs on Debian/Ubuntu, only what is missing:
#   gui   — gcc and the X11/OpenGL headers Fyne's cgo build needs
#   test  — the above plus poppler-utils (PDF checks), xvfb, and the Android
#           tools the cross-check tests compare with (aapt, dexdump)
# and a Go toolchain new enough to fetch the one go.mod asks for.
set -euo pipefail
want=${1:-gui}
pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev)
if [ "$want" = test ]; then
  pkgs+=(poppler-utils xvfb aapt dexdump)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v go >/dev/null 2>&1 || missing+=(golang-go)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# go.mod asks for Go 1.26; an older go (>= 1.21) downloads it from the module proxy.
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
go version >/dev/null
