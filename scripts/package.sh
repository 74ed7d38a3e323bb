#!/usr/bin/env bash
# Packages AppInspect for Linux with `fyne package` (fyne.io/tools v1.7.4),
# which reads FyneApp.toml (name, app ID, version, icon, desktop-entry
# fields) and builds a release binary. Result: dist/AppInspect.tar.xz holding
#   Makefile                                  (`make install` / `make user-install`)
#   usr/local/bin/appinspect
#   usr/local/share/applications/<app id>.desktop
#   usr/local/share/pixmaps/<app id>.png
# (usr/ instead of usr/local/ when the build machine has no /usr/local).
#
# fyne package works in the source directory: it writes a temporary
# fyne_metadata_init.go, the binary, a tmp-pkg/ staging tree and the tarball
# there, and it increments Build in FyneApp.toml. Others work in this
# checkout at the same time, so the script packages a copy of the sources
# under a temporary directory and leaves the checkout untouched.
#
# Usage: scripts/package.sh [--debug]
#   --debug  build without fyne's -release (keeps symbols, no "release" tag)
# Environment: GO (default go), FYNE_TOOL (default fyne.io/tools/cmd/fyne@v1.7.4),
#              KEEP_STAGE=1 keeps the temporary copy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

GO=${GO:-go}
FYNE_TOOL=${FYNE_TOOL:-fyne.io/tools/cmd/fyne@v1.7.4}
release=(-release)
for a in "$@"; do
  case "$a" in
    --debug) release=() ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument: $a (try --help)" >&2; exit 2 ;;
  esac
done
say() { printf '== %s\n' "$*"; }

[ -f FyneApp.toml ] || { echo "package.sh: FyneApp.toml not found in $root" >&2; exit 1; }
for t in tar xz gcc; do
  command -v $t >/dev/null 2>&1 || { echo "package.sh: $t is missing (scripts/deps.sh gui installs the build tools)" >&2; exit 1; }
done
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
. scripts/goenv.sh
goenv_ensure # the Go go.mod needs (fetched by scripts/deps.sh when the machine's is older)

stage=$(mktemp -d /tmp/appinspect-package.XXXXXX)
cleanup() { [ "${KEEP_STAGE:-0}" = 1 ] && echo "kept $stage" || rm -rf "$stage"; }
trap cleanup EXIT

# 1. A copy of the sources (working tree, without build outputs and git).
say "copying the sources to $stage/src"
mkdir -p "$stage/src"
tar -C "$root" --exclude=./.git --exclude=./dist --exclude=./bin --exclude=./bench/out \
  --exclude='*.test' --exclude='*.prof' --exclude=./tmp-pkg -cf - . | tar -C "$stage/src" -xf -

# 2. fyne package. FyneApp.toml's [Migrations] fyneDo makes the tool add
# -tags migrated_fynedo itself; it is passed explicitly as well.
say "fyne package -os linux ${release[*]} -tags migrated_fynedo (the first cgo build takes minutes)"
t0=$SECONDS
(cd "$stage/src" && "$GO" run "$FYNE_TOOL" package -os linux "${release[@]}" -tags migrated_fynedo)
echo "   packaged in $((SECONDS - t0))s"

tarball=$(ls "$stage"/src/*.tar.xz 2>/dev/null | head -n1 || true)
[ -n "$tarball" ] || { echo "package.sh: fyne package produced no .tar.xz" >&2; exit 1; }
mkdir -p dist
out="dist/$(basename "$tarball")"
mv -f "$tarball" "$out"

# 3. Verify the contents: binary, icon, desktop entry, Makefile.
say "contents of $out"
tar -tvJf "$out"
list=$(tar -tJf "$out")
fail=0
need() { # DESCRIPTION REGEX
  grep -Eq "$2" <<<"$list" || { echo "package.sh: $out has no $1" >&2; fail=1; }
}
need "binary"        '(^|/)usr/(local/)?bin/appinspect$'
need "icon"          '(^|/)usr/(local/)?share/pixmaps/[^/]+\.png$'
need "desktop entry" '(^|/)usr/(local/)?share/applications/[^/]+\.desktop$'
need "Makefile"      '(^|/)Makefile$'
[ $fail -eq 0 ] || exit 1

x="$stage/extract"
mkdir -p "$x"
tar -C "$x" -xJf "$out"
bin=$(find "$x" -path '*/bin/appinspect' -type f | head -n1)
desk=$(find "$x" -name '*.desktop' -type f | head -n1)
icon=$(find "$x" -path '*/pixmaps/*.png' -type f | head -n1)
echo "   binary:  $(file -b "$bin" | cut -d, -f1-2), $(du -h "$bin" | cut -f1)"
echo "   icon:    $(file -b "$icon" | cut -d, -f1-2)"
# The binary must start as a command line too (no display needed).
"$bin" help >/dev/null 2>&1 || { echo "package.sh: packaged binary fails to run 'appinspect help'" >&2; exit 1; }
echo "   'appinspect help' runs"
grep -q '^Exec=appinspect' "$desk" || { echo "package.sh: desktop entry has no Exec=appinspect" >&2; exit 1; }
echo "   desktop entry ($(basename "$desk")):"
sed 's/^/     /' "$desk"

say "ok: $root/$out ($(du -h "$out" | cut -f1))"
echo "$root/$out"
