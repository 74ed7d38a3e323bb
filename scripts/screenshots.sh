#!/usr/bin/env bash
# Runs the real AppInspect GUI under Xvfb, once with LANG=zh_CN.UTF-8 and once
# with LANG=en_US.UTF-8 (the UI follows the system language by default), each
# with a fresh temporary data directory and HOME (so no stored preferences),
# drives it with xdotool and writes screenshots of the main screens:
#   <lang>-home.png             first-run home screen (welcome), empty data directory
#   <lang>-demo-tour.png        demo case with the guided tour, step 1 (Ctrl+D)
#   <lang>-demo-review.png      demo case workspace, Review tab   (Escape ends the tour)
#   <lang>-demo-checklist.png   Checklist tab, first candidate    (Ctrl+J)
#   <lang>-demo-evidence.png    Evidence tab                      (click)
#   <lang>-demo-exports.png     Exports tab                       (click)
#   <lang>-demo-device.png      Device tab                        (click)
#   <lang>-demo-diff.png        Re-inspection tab                 (click)
#   <lang>-demo-reinspect-same.png  re-inspection with the identical APK: refused
#   <lang>-demo-reinspect.png   re-inspection with a rebuilt copy: two versions compared
#   <lang>-home-case.png        case list holding the demo case   (Ctrl+W)
#   <lang>-settings.png         Settings dialog                   (click)
#   <lang>-file-dialog.png      file dialog for an APK, in ~/Downloads (Ctrl+O)
#   <lang>-newcase.png          new-case form for the demo APK    (path typed, Enter)
#   <lang>-newcase-invalid.png  the form after Create with a 17-character credit code
# The demo APK for the last two is taken from a scratch `appinspect case demo`.
# The home and demo-review screens are required (exit 1 without them); a
# later step that does not change the screen is reported and skipped, since
# it depends on the current layout.
#
# Usage: scripts/screenshots.sh [OUTDIR]      (default bench/out/screens)
# Environment: APP_BIN=path uses an existing GUI binary instead of building;
#   LANGS="zh en" chooses the runs; FYNE_THEME=light|dark forces a theme;
#   DISPLAY_NUM=99 is the first X display number tried.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
case "${1:-}" in -h|--help) sed -n '2,29p' "$0"; exit 0 ;; -*) echo "screenshots.sh: unknown option $1 (try --help)" >&2; exit 2 ;; esac
[ $# -le 1 ] || { echo "screenshots.sh: one argument at most, the output directory" >&2; exit 2; }
out=${1:-bench/out/screens}
case "$out" in /*) ;; *) out="$root/$out" ;; esac
say() { printf '== %s\n' "$*"; }
warn() { printf 'screenshots.sh: %s\n' "$*" >&2; }

# 1. Tools: Xvfb, ImageMagick (import, compare, convert), xdotool.
need=()
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} (apt)"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { warn "need root or sudo to install ${need[*]}"; exit 1; }
    sudo="sudo"
  fi
  if ! apt-cache show "${need[@]}" >/dev/null 2>&1; then
    $sudo apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/appinspect-shots.XXXXXX)
xvfb_pid="" app_pid=""
cleanup() {
  [ -z "$app_pid" ] || kill "$app_pid" 2>/dev/null || true
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 2. The GUI binary.
bin=${APP_BIN:-}
if [ -z "$bin" ]; then
  say "building the GUI (go build -tags migrated_fynedo; the first cgo build takes minutes)"
  t0=$SECONDS
  . scripts/goenv.sh
  goenv_ensure
  GOTOOLCHAIN=${GOTOOLCHAIN:-auto} go build -tags migrated_fynedo -o "$work/appinspect" .
  echo "   built in $((SECONDS - t0))s"
  bin="$work/appinspect"
fi
[ -x "$bin" ] || { warn "no executable at $bin"; exit 1; }

# 3. Xvfb on the first free display from DISPLAY_NUM.
n=${DISPLAY_NUM:-99}
while [ -e "/tmp/.X${n}-lock" ] || [ -e "/tmp/.X11-unix/X${n}" ]; do n=$((n + 1)); done
export DISPLAY=":$n"
say "starting Xvfb $DISPLAY (1366x768x24)"
Xvfb "$DISPLAY" -screen 0 1366x768x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.2; done
xdotool getdisplaygeometry >/dev/null 2>&1 || { warn "Xvfb did not start:"; cat "$work/xvfb.log" >&2; exit 1; }

mkdir -p "$out"
export NO_AT_BRIDGE=1

# settle FILE: screenshots until two in a row are identical (the app is done
# loading and drawing; at most ~10 s), keeps the last one as FILE.
settle() {
  local f=$1 prev="$work/settle-prev.png" cur="$work/settle-cur.png" i ae
  sleep 0.7
  import -window root "$prev"
  for i in $(seq 1 20); do
    sleep 0.5
    import -window root "$cur"
    ae=$(compare -metric AE "$prev" "$cur" null: 2>&1 || true)
    [ "$ae" = 0 ] && break
    mv -f "$cur" "$prev"
  done
  mv -f "$cur" "$f"
}
# changed A B: true when the two screenshots differ by more than a few pixels
# (a blinking cursor or a hover highlight is not a new screen).
changed() {
  local ae
  ae=$(compare -metric AE -fuzz 2% "$1" "$2" null: 2>&1 || true)
  awk -v a="${ae%% *}" 'BEGIN{exit !(a + 0 > 2000)}'
}
# title: the app window's title.
title() { xdotool getwindowname "$win" 2>/dev/null || true; }
# wait_title_change OLD SECONDS: waits for the title to differ from OLD.
wait_title_change() {
  local i
  for i in $(seq 1 $(($2 * 2))); do
    [ "$(title)" != "$1" ] && return 0
    sleep 0.5
  done
  return 1
}

# Tab positions (x, y) in the workspace, measured on this layout at
# 1366x768: Review, Checklist, Evidence, Exports, Device, Re-inspection.
declare -A tabs_x=(
  [zh]="40 127 212 283 355 442"
  [en]="45 145 245 340 435 545"
)
tab_y=133
tab_names=(review checklist evidence exports device diff)

# A demo APK for the file dialog and the new-case form: the evidence copy
# of the APK a scratch `appinspect case demo` stores.
demo_apk=""
if LANG=C.UTF-8 "$bin" --data-dir "$work/demo-data" case demo >/dev/null 2>&1; then
  for f in "$work"/demo-data/evidence/*/*; do
    if [ "$(head -c 2 "$f")" = PK ]; then demo_apk=$f; break; fi
  done
fi
[ -n "$demo_apk" ] || warn "no demo APK from 'appinspect case demo'; the file-dialog and new-case shots are skipped"

missing_required=0
# shot NAME: writes $out/<lang>-NAME.png once the screen is settled.
shot() {
  local f="$out/$lang-$1.png"
  settle "$f"
  echo "   $f"
}

for lang in ${LANGS:-zh en}; do
  case "$lang" in
    zh) locale=zh_CN.UTF-8 ;;
    en) locale=en_US.UTF-8 ;;
    *) warn "unknown language $lang (zh or en)"; exit 2 ;;
  esac
  say "$lang: LANG=$locale, fresh data directory"
  rm -f "$out/$lang"-*.png   # no stale screenshot from an earlier run
  run="$work/$lang"
  mkdir -p "$run/data" "$run/home"
  if [ -n "$demo_apk" ]; then
    # ~/Downloads: the demo APK, and a copy with bytes appended (another
    # SHA-256, the same app) to stand for the operator's new build.
    mkdir -p "$run/home/Downloads"
    cp "$demo_apk" "$run/home/Downloads/demo-weather.apk"
    { cat "$demo_apk"; printf 'rebuilt'; } >"$run/home/Downloads/demo-weather-rebuilt.apk"
  fi
  env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="$locale" HOME="$run/home" \
    XDG_CONFIG_HOME="$run/home/.config" XDG_DATA_HOME="$run/home/.local/share" \
    "$bin" --data-dir "$run/data" >"$run/app.log" 2>&1 &
  app_pid=$!
  win=""
  for _ in $(seq 1 120); do
    win=$(xdotool search --onlyvisible --pid "$app_pid" 2>/dev/null | head -n1 || true)
    [ -n "$win" ] && break
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$win" ]; then
    warn "$lang: the app window did not appear; its log:"
    cat "$run/app.log" >&2
    exit 1
  fi
  home_title=$(title)
  echo "   window $win: $home_title"
  xdotool mousemove 1365 767   # park the pointer where it hovers nothing
  shot home

  # The demo case (Ctrl+D); the first time the guided tour starts on it.
  xdotool key ctrl+d
  if wait_title_change "$home_title" 60; then
    echo "   opened: $(title)"
    shot demo-tour
    xdotool key Escape          # ends the tour
    shot demo-review
    changed "$out/$lang-demo-tour.png" "$out/$lang-demo-review.png" || warn "$lang: Escape did not end the tour"
    prev="$out/$lang-demo-review.png"
    xdotool key ctrl+j          # next candidate: switches to the Checklist tab
    shot demo-checklist
    read -r -a xs <<<"${tabs_x[$lang]}"
    if ! changed "$prev" "$out/$lang-demo-checklist.png"; then
      # A focused entry may take the shortcut: click the Checklist tab.
      warn "$lang: Ctrl+J did not change the screen; clicking the Checklist tab"
      xdotool mousemove "${xs[1]}" "$tab_y" click 1 mousemove 1365 767
      shot demo-checklist
    fi
    prev="$out/$lang-demo-checklist.png"
    for i in 2 3 4 5; do
      xdotool mousemove "${xs[$i]}" "$tab_y" click 1 mousemove 1365 767
      shot "demo-${tab_names[$i]}"
      f="$out/$lang-demo-${tab_names[$i]}.png"
      if changed "$prev" "$f"; then prev=$f; else
        warn "$lang: clicking the ${tab_names[$i]} tab at x=${xs[$i]} changed nothing (layout changed?); dropped"
        rm -f "$f"
      fi
    done
    # Re-inspection (the Re-inspection tab is shown): the identical APK is
    # refused with a sentence; the rebuilt copy adds a version and the
    # findings of the two versions are compared.
    if [ -n "$demo_apk" ] && [ -e "$out/$lang-demo-diff.png" ]; then
      reinspect_with() {
        xdotool mousemove 1290 177 click 1 mousemove 1365 767
        sleep 1
        xdotool key ctrl+a
        xdotool type --delay 20 "$1"
        xdotool key Return
      }
      reinspect_with "$run/home/Downloads/demo-weather.apk"
      sleep 2
      shot demo-reinspect-same
      changed "$out/$lang-demo-diff.png" "$out/$lang-demo-reinspect-same.png" || warn "$lang: re-inspecting with the same APK showed nothing"
      xdotool mousemove 683 446 click 1 mousemove 1365 767   # the error's Close button
      sleep 0.5
      reinspect_with "$run/home/Downloads/demo-weather-rebuilt.apk"
      sleep 3
      shot demo-reinspect
      changed "$out/$lang-demo-reinspect-same.png" "$out/$lang-demo-reinspect.png" || warn "$lang: re-inspecting with the rebuilt APK changed nothing"
    fi
    ws_title=$(title)
    xdotool key ctrl+w          # back to the case list
    if wait_title_change "$ws_title" 10; then shot home-case; else warn "$lang: Ctrl+W did not return to the case list"; fi
  else
    warn "$lang: the demo case did not open (title still \"$home_title\"); app log:"
    tail -n 20 "$run/app.log" >&2
    missing_required=1
  fi

  # Settings: the right-most toolbar button.
  before="$work/before-settings.png"
  import -window root "$before"
  xdotool mousemove 1345 21 click 1 mousemove 1365 767
  shot settings
  if ! changed "$before" "$out/$lang-settings.png"; then
    warn "$lang: the Settings button did not open a dialog; dropped"
    rm -f "$out/$lang-settings.png"
  fi
  # Close it with Cancel (bottom centre of the 760x640 dialog).
  xdotool mousemove 650 666 click 1 mousemove 1365 767
  sleep 0.5

  # The file dialog (Ctrl+O) opens in ~/Downloads, where the demo APK is;
  # its path typed into the path field opens the new-case form.
  if [ -n "$demo_apk" ]; then
    xdotool key ctrl+o
    shot file-dialog
    xdotool key ctrl+a
    xdotool type --delay 20 "$run/home/Downloads/demo-weather.apk"
    xdotool key Return
    shot newcase
    changed "$out/$lang-file-dialog.png" "$out/$lang-newcase.png" || warn "$lang: the typed path did not open the new-case form"
    # An invalid credit code (17 characters): the message next to the field,
    # the form keeps its content. The entry and the Create button sit at
    # these positions in the 760x600 dialog, in both languages.
    xdotool mousemove 750 262 click 1
    xdotool type --delay 20 "91110108MA01ABCD2"
    xdotool mousemove 735 646 click 1 mousemove 1365 767
    shot newcase-invalid
    changed "$out/$lang-newcase.png" "$out/$lang-newcase-invalid.png" || warn "$lang: the invalid credit code changed nothing"
  fi

  if grep -qi 'panic\|fatal' "$run/app.log"; then
    warn "$lang: the app log reports a panic or fatal error:"; cat "$run/app.log" >&2; missing_required=1
  fi
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
done

# A screenshot of a blank screen is a failure, not a result.
count=0
for f in "$out"/*.png; do
  [ -e "$f" ] || continue
  count=$((count + 1))
  sd=$(convert "$f" -colorspace gray -format '%[fx:standard_deviation]' info:)
  awk -v s="$sd" 'BEGIN{exit !(s > 0.01)}' || { warn "$f is blank"; missing_required=1; }
done
for lang in ${LANGS:-zh en}; do
  for s in home demo-review; do
    [ -s "$out/$lang-$s.png" ] || { warn "missing $out/$lang-$s.png"; missing_required=1; }
  done
done
say "$count screenshots in $out"
[ $missing_required -eq 0 ] || exit 1
