#!/usr/bin/env bash
# Runs every fuzz target of the libraries (packages under inspect/, cases/,
# reports/ and app/) one at a time for FUZZTIME each, then prints a table
# (package, target, result) and exits 1 when any target failed.
#
# A developer tool, not a CI step: 27 targets at the default 60s take about
# half an hour. It refuses to run when CI is set (FUZZ_IN_CI=1 overrides).
#
# Usage: scripts/fuzz.sh [FUZZTIME] [PACKAGE_REGEX]
#   FUZZTIME       a go test -fuzztime value: 60s (default), 5m, 10000x
#   PACKAGE_REGEX  only packages whose import path matches (grep -E), e.g. inspect/dex
# Environment: FUZZ_PARALLEL=N passes -parallel N (default: GOMAXPROCS).
# Failing inputs are written by go test under <package>/testdata/fuzz/<Target>/;
# fix the bug and keep the file there as a regression seed.
set -euo pipefail
cd "$(dirname "$0")/.."

T=${1:-60s}
filter=${2:-}
case "$T" in -h|--help) sed -n '2,14p' "$0"; exit 0 ;; esac
if ! [[ "$T" =~ ^[0-9]+(ns|us|ms|s|m|h|x)$|^([0-9]+h)?([0-9]+m)?([0-9]+s)?$ ]] || [ -z "$T" ]; then
  echo "fuzz.sh: FUZZTIME must look like 60s, 5m, 1h30m or 10000x, not \"$T\"" >&2
  exit 2
fi
if [ -n "${CI:-}" ] && [ "${FUZZ_IN_CI:-}" != 1 ]; then
  echo "fuzz.sh: CI is set; fuzzing is a long developer run and is not part of CI (FUZZ_IN_CI=1 overrides)" >&2
  exit 2
fi
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
. scripts/goenv.sh
goenv_ensure # the Go go.mod needs (fetched by scripts/deps.sh when the machine's is older)
par=()
[ -z "${FUZZ_PARALLEL:-}" ] || par=(-parallel "$FUZZ_PARALLEL")

logs=$(mktemp -d /tmp/appinspect-fuzz.XXXXXX)
trap 'rm -rf "$logs"' EXIT

# 1. Packages whose test files declare a fuzz target (cheap pre-filter with
# go list and grep), then the exact names from go test -list.
echo "== discovering fuzz targets"
pkgs=()
while read -r imp dir files; do
  [ -n "$files" ] || continue
  if [ -n "$filter" ] && ! grep -Eq -- "$filter" <<<"$imp"; then continue; fi
  for f in $files; do
    if grep -q '^func Fuzz' "$dir/$f"; then pkgs+=("$imp"); break; fi
  done
done < <(go list -f '{{.ImportPath}} {{.Dir}} {{join .TestGoFiles " "}} {{join .XTestGoFiles " "}}' \
          ./inspect/... ./cases/... ./reports/... ./app/...)

targets=() # "package target"
for p in "${pkgs[@]}"; do
  if ! names=$(go test -list '^Fuzz' "$p" 2>"$logs/list.err"); then
    echo "fuzz.sh: go test -list failed for $p:" >&2
    cat "$logs/list.err" >&2
    exit 1
  fi
  while read -r n; do
    [[ "$n" =~ ^Fuzz ]] && targets+=("$p $n")
  done <<<"$names"
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz.sh: no fuzz targets found${filter:+ in packages matching $filter}" >&2
  exit 1
fi
echo "   ${#targets[@]} targets in ${#pkgs[@]} packages, $T each"

# 2. One target at a time.
mod=$(go list -m)
results=()
failed=0
i=0
for t in "${targets[@]}"; do
  read -r p n <<<"$t"
  i=$((i + 1))
  short=${p#"$mod"/}
  log="$logs/$i.log"
  printf '== [%d/%d] %s %s\n' "$i" "${#targets[@]}" "$short" "$n"
  t0=$SECONDS
  if go test -run='^$' -fuzz="^${n}\$" -fuzztime="$T" "${par[@]}" "$p" >"$log" 2>&1; then
    res=ok
    # The last progress line has the number of executions.
    execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2 || true)
    [ -z "$execs" ] || res="ok ($execs execs)"
  else
    res=FAIL
    failed=$((failed + 1))
    tail -n 30 "$log" | sed 's/^/   | /'
    crash=$(grep -o 'testdata/fuzz/[^ ]*' "$log" | head -n1 || true)
    [ -z "$crash" ] || { res="FAIL ($short/$crash)"; echo "   failing input: $short/$crash"; }
  fi
  echo "   $res in $((SECONDS - t0))s"
  results+=("$short"$'\t'"$n"$'\t'"$res")
done

# 3. Summary.
echo
echo "== summary (fuzztime $T)"
{
  printf 'PACKAGE\tTARGET\tRESULT\n'
  printf '%s\n' "${results[@]}"
} | column -t -s $'\t'
echo
if [ $failed -gt 0 ]; then
  echo "$failed of ${#targets[@]} fuzz targets failed"
  exit 1
fi
echo "all ${#targets[@]} fuzz targets passed"
