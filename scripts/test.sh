#!/usr/bin/env bash
# Quick start, step 2: install what is missing and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test
. scripts/goenv.sh
goenv_use
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
export LANG=${LANG:-C.UTF-8}
echo "== depcheck (no Fyne below the UI, no driver in ui)"
bash scripts/depcheck.sh
echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*'))
if [ -n "$unformatted" ]; then
	echo "not gofmt-formatted (run gofmt -w):" >&2
	echo "$unformatted" >&2
	exit 1
fi
echo "== go vet"
go vet -tags migrated_fynedo ./...
echo "== headless packages with CGO_ENABLED=0"
CGO_ENABLED=0 go build -tags nogui -o /dev/null .
echo "== every test"
# The widget tests in ui run without the migrated_fynedo tag: Fyne's test
# driver runs fyne.Do on the calling goroutine, and with that tag Fyne drops
# the locks of its internal caches (in the real app every fyne.Do runs on the
# main goroutine, so they are not needed there).
# Both runs feed scripts/testsum, which prints go test's usual lines (ok/FAIL
# per package, the output of failed tests) and ends with one summary line:
#   N passed, N failed, N skipped (N: reason; ...)
# Tests that need ../shared (the fixtures) skip when it is absent; the reason
# appears in that line. Exit status 1 when anything failed.
sum_bin=$(mktemp "${TMPDIR:-/tmp}/appinspect-testsum.XXXXXX")
rcs=$(mktemp "${TMPDIR:-/tmp}/appinspect-testrc.XXXXXX")
trap 'rm -f "$sum_bin" "$rcs"' EXIT
go build -o "$sum_bin" ./scripts/testsum
{
  go test -json -tags migrated_fynedo -count=1 $(go list ./... | grep -v '/ui$') || echo "$?" >>"$rcs"
  go test -json -count=1 ./ui || echo "$?" >>"$rcs"
} | "$sum_bin"
# go test failing without a failed test in its output (e.g. a setup error).
if [ -s "$rcs" ]; then
  echo "go test exited with status $(tr '\n' ' ' <"$rcs")" >&2
  exit 1
fi
