#!/usr/bin/env bash
# Installs what AppInspect needs on Debian/Ubuntu, only what is missing:
#   gui   — gcc and the X11/OpenGL headers Fyne's cgo build needs
#   test  — the above plus poppler-utils (PDF checks), xvfb, and the Android
#           tools the cross-check tests compare with (aapt, dexdump)
# and the Go toolchain go.mod asks for (e.g. go1.26.0) when the go on PATH is
# missing or older (Debian 12's golang-go is 1.19, Ubuntu 22.04's 1.18):
#   1. an old go is needed to fetch the new one: when there is no go at all,
#      apt's golang-go is installed;
#   2. that go downloads the module golang.org/toolchain@v0.0.1-<version>.<os>-<arch>
#      from the Go module proxy (GOPROXY) with `go mod download`, which checks
#      the zip against the checksum database (GOSUMDB, sum.golang.org, reached
#      through the proxy when direct access is blocked) and refuses a mismatch;
#   3. the toolchain is copied to ~/.cache/appinspect/go/<version>
#      (APPINSPECT_GO_DIR overrides ~/.cache/appinspect/go); the zip stays in
#      the module cache, so a second install downloads nothing.
# The scripts then put that Go first on PATH (scripts/goenv.sh, goenv_use).
# Nothing outside the cache directory is changed for Go; no root needed for it.
#
# Usage: scripts/deps.sh [gui|test|go]     (go: only the Go toolchain)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/goenv.sh
want=${1:-gui}
case "$want" in gui|test|go) ;; -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) echo "deps.sh: unknown argument $want (gui, test or go)" >&2; exit 2 ;; esac

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "deps.sh: installing with apt: $*" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# 1. Debian packages.
pkgs=()
if [ "$want" != go ]; then
  pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev)
  [ "$want" = test ] && pkgs+=(poppler-utils xvfb aapt dexdump)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# 2. Go.
gowant=$(goenv_want)
gohave=$(goenv_have)
if [ -z "$gohave" ]; then
  echo "deps.sh: no go on PATH even after installing golang-go" >&2
  exit 1
fi
if goenv_ge "$gohave" "$gowant"; then
  exit 0
fi
dest=$(goenv_dir)
if [ -x "$dest/bin/go" ] && [ "$("$dest/bin/go" version 2>/dev/null | awk '{print $3}')" = "$gowant" ]; then
  exit 0 # fetched earlier
fi

goos=$(GOTOOLCHAIN=local go env GOHOSTOS)
goarch=$(GOTOOLCHAIN=local go env GOHOSTARCH)
mod="golang.org/toolchain@v0.0.1-$gowant.$goos-$goarch"
echo "deps.sh: go on PATH is $gohave, go.mod needs $gowant; fetching $mod from the Go module proxy (about 70 MB)" >&2

# The checksum database must be consulted: a GOSUMDB=off, GONOSUMDB,
# GOPRIVATE or GOINSECURE setting would skip the check for this module.
sumdb=$(GOTOOLCHAIN=local go env GOSUMDB)
case "$sumdb" in off|"") sumdb=sum.golang.org ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/appinspect-go.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# Outside any module (go.mod here asks for a Go this go cannot read).
json=$(cd "$tmp" && env -u GONOSUMDB -u GONOSUMCHECK -u GOPRIVATE -u GOINSECURE -u GOFLAGS \
  GOSUMDB="$sumdb" GOTOOLCHAIN=local GO111MODULE=on go mod download -json "$mod") || {
  echo "deps.sh: downloading $mod failed (GOPROXY=$(go env GOPROXY)):" >&2
  echo "$json" >&2
  exit 1
}
field() { awk -F'"' -v k="$1" '$2 == k {print $4; exit}' <<<"$json"; }
src=$(field Dir)
sum=$(field Sum)
err=$(field Error)
if [ -n "$err" ] || [ -z "$src" ] || [ ! -d "$src" ]; then
  echo "deps.sh: downloading $mod failed: ${err:-go mod download gave no directory}" >&2
  exit 1
fi
echo "deps.sh: $mod verified by $sumdb ($sum)" >&2

# Copy out of the read-only module cache; Go before 1.21 does not keep the
# executable bits of the toolchain's programs there.
mkdir -p "$(dirname "$dest")"
stage="$tmp/go"
cp -R "$src" "$stage"
chmod -R u+w "$stage"
chmod +x "$stage"/bin/* "$stage"/pkg/tool/*/*
got=$("$stage/bin/go" version | awk '{print $3}')
if [ "$got" != "$gowant" ]; then
  echo "deps.sh: the fetched toolchain says $got, not $gowant" >&2
  exit 1
fi
rm -rf "$dest"
mv "$stage" "$dest"
echo "deps.sh: installed $gowant in $dest" >&2
