#!/usr/bin/env bash
# Speed and memory of `appinspect scan` side by side with peer tools, in one run:
#   appinspect scan --json      (full scan: manifest, signatures, DEX classes/strings/call sites, SDK/API/packer detection)
#   appinspect scan --no-detect (the same without SDK/API/packer detection)
#   androguard                  (Debian package: permissions plus every class name; bench/androguard_classes.py)
#   aapt dump badging + dexdump (Debian packages: manifest facts plus every class)
#   unzip -p 'classes*.dex'     (the floor: inflating every classes*.dex)
# on the real fixtures (../shared) and on a synthetic 150 MB APK built from the largest one, plus peak RSS
# and batch throughput with 1 and 2 jobs. Needs ../shared/fixtures/apks. Results: bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/fixtures/apks
[ -d "$shared" ] || { echo "bench: $shared is absent; nothing to compare on" >&2; exit 1; }
need=()
for t in hyperfine aapt dexdump androguard unzip /usr/bin/time; do command -v "$t" >/dev/null 2>&1 || need+=("$t"); done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq hyperfine aapt dexdump androguard unzip time >/dev/null
fi
out=bench/out; mkdir -p "$out"
CGO_ENABLED=0 go build -tags nogui -o "$out/appinspect" .
ai="$out/appinspect"
big="$out/big150.apk"
[ -f "$big" ] || go run ./bench/mkapk -from "$shared/apktool__issue3533.apk" -out "$big" -size 150 -dex 60
mid="$shared/apktool__issue3533.apk"

echo "== one APK: $(basename "$mid") ($(du -h "$mid" | cut -f1))"
hyperfine -N -w 2 -r 10 --export-markdown "$out/mid.md" \
  -n "appinspect scan" "$ai scan --json $mid" \
  -n "appinspect scan --no-detect" "$ai scan --json --no-detect $mid" \
  -n "androguard (perms + classes)" "/usr/bin/python3 bench/androguard_classes.py $mid" \
  -n "aapt badging + dexdump" "sh -c 'aapt dump badging $mid >/dev/null; for d in classes.dex classes2.dex classes3.dex; do unzip -p $mid \$d > $out/d.dex; dexdump -f $out/d.dex >/dev/null; done'" \
  -n "unzip -p classes*.dex (floor)" "sh -c \"unzip -p $mid 'classes*.dex' >/dev/null\""

echo "== synthetic 150 MB APK ($(du -h "$big" | cut -f1))"
hyperfine -N -w 1 -r 5 --export-markdown "$out/big.md" \
  -n "appinspect scan" "$ai scan --json $big" \
  -n "appinspect scan --no-detect" "$ai scan --json --no-detect $big" \
  -n "unzip -p classes*.dex (floor)" "sh -c \"unzip -p $big 'classes*.dex' >/dev/null\""
if [ "${BENCH_ANDROGUARD_BIG:-0}" = 1 ]; then
  hyperfine -N -r 1 --export-markdown "$out/big-androguard.md" -n "androguard (perms + classes)" "/usr/bin/python3 bench/androguard_classes.py $big"
fi

echo "== peak RSS"
for f in "$mid" "$big"; do
  /usr/bin/time -f "%M" -o "$out/rss.txt" "$ai" scan --json "$f" >/dev/null
  echo "appinspect scan $(basename "$f"): $(( $(cat "$out/rss.txt") / 1024 )) MB peak RSS"
done

echo "== batch throughput (every fixture, 4 copies each)"
rm -rf "$out/batch"; mkdir -p "$out/batch"
for i in 1 2 3 4; do for f in "$shared"/*.apk; do cp "$f" "$out/batch/$i-$(basename "$f")"; done; done
n=$(ls "$out/batch" | wc -l)
hyperfine -N -w 1 -r 3 -i --export-markdown "$out/batch.md" \
  -n "scan --jobs 1 ($n files)" "$ai scan --jobs 1 $out/batch" \
  -n "scan --jobs 2 ($n files)" "$ai scan --jobs 2 $out/batch"
echo "results in $out/*.md"
