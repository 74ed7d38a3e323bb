package device

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// deviceNow reads the device clock with `date +%s%z`.
func (a *ADB) deviceNow(ctx context.Context, rec *recorder, serial string) (time.Time, error) {
	out, err := a.shell(ctx, rec, serial, "date", "+%s%z")
	if err != nil {
		return time.Time{}, err
	}
	t, _, ok := parseDeviceDate(out, "")
	if !ok {
		return time.Time{}, fmt.Errorf("device: date %q: %w", strings.TrimSpace(string(out)), ErrBadOutput)
	}
	return t, nil
}

// Screenshot captures the screen with `adb exec-out screencap -p` and
// returns the PNG and the device clock read just before the capture (the
// zero time when the device's clock cannot be read: the caller then stamps
// the computer's clock and says so). The
// bytes are checked to be one decodable PNG (a device that mangles binary
// output, or prints an error instead, yields ErrBadOutput). The caller
// stores the bytes and their hash as evidence.
func (a *ADB) Screenshot(ctx context.Context, serial string) ([]byte, time.Time, error) {
	serial, err := a.resolve(ctx, serial)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("device: screenshot: %w", err)
	}
	at, err := a.deviceNow(ctx, nil, serial)
	if err != nil {
		if fatal(err) {
			return nil, time.Time{}, fmt.Errorf("device: screenshot: %w", err)
		}
		at = time.Time{} // the clock is unreadable; the screenshot is still worth taking
	}
	img, err := a.run(ctx, call{serial: serial, args: []string{"exec-out", "screencap", "-p"}})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("device: screenshot: %w", err)
	}
	if err := ValidatePNG(img); err != nil {
		return nil, time.Time{}, fmt.Errorf("device: screenshot: %w", err)
	}
	return img, at, nil
}

// ValidatePNG checks that b is exactly one well-formed PNG image.
func ValidatePNG(b []byte) error {
	if !bytes.HasPrefix(b, pngMagic) {
		n := min(len(b), 60)
		return fmt.Errorf("not a PNG (starts %q): %w", b[:n], ErrBadOutput)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		return fmt.Errorf("png: %v: %w", err, ErrBadOutput)
	}
	if !bytes.HasSuffix(b, []byte("IEND\xaeB`\x82")) {
		return fmt.Errorf("png: data after IEND or truncated: %w", ErrBadOutput)
	}
	return nil
}

// uiDumpPath is where uiautomator writes; /data/local/tmp is writable by
// the shell user on every Android version.
const uiDumpPath = "/data/local/tmp/appinspect_window_dump.xml"

// UIDump dumps the current UI hierarchy: `uiautomator dump PATH`, then
// `exec-out cat PATH`, then `rm PATH`. The XML is checked to contain a
// <hierarchy>. uiautomator fails while the screen animates ("null root
// node"); retry after the screen settles.
func (a *ADB) UIDump(ctx context.Context, serial string) ([]byte, error) {
	serial, err := a.resolve(ctx, serial)
	if err != nil {
		return nil, fmt.Errorf("device: ui dump: %w", err)
	}
	out, err := a.shell(ctx, nil, serial, "uiautomator", "dump", uiDumpPath)
	if err != nil {
		return nil, fmt.Errorf("device: ui dump: %w", err)
	}
	if !strings.Contains(string(out), "dumped to") {
		return nil, fmt.Errorf("device: ui dump: %s: %w", strings.TrimSpace(string(out)), ErrBadOutput)
	}
	x, err := a.run(ctx, call{serial: serial, args: []string{"exec-out", "cat", uiDumpPath}})
	if err != nil {
		return nil, fmt.Errorf("device: ui dump: %w", err)
	}
	if _, err := a.shell(ctx, nil, serial, "rm", "-f", uiDumpPath); err != nil && fatal(err) {
		return nil, fmt.Errorf("device: ui dump: %w", err)
	}
	if !bytes.Contains(x, []byte("<hierarchy")) {
		return nil, fmt.Errorf("device: ui dump: no <hierarchy> in output: %w", ErrBadOutput)
	}
	return x, nil
}

type uiNode struct {
	Text    string   `xml:"text,attr"`
	Desc    string   `xml:"content-desc,attr"`
	Bounds  string   `xml:"bounds,attr"`
	Package string   `xml:"package,attr"`
	Nodes   []uiNode `xml:"node"`
}

type uiHierarchy struct {
	XMLName xml.Name `xml:"hierarchy"`
	Nodes   []uiNode `xml:"node"`
}

var boundsRE = regexp.MustCompile(`^\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]$`)

// UIText returns the visible text of a `uiautomator dump` in reading order:
// each node's text (or its content-desc when it has no text), one per
// line, ordered top to bottom, then left to right (by the top-left corner
// of the node's bounds; document order breaks ties). Repeated adjacent
// lines are kept once. This is the on-screen consent dialog as a policy
// source.
func UIText(x []byte) (string, error) {
	var h uiHierarchy
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
			return r, nil
		}
		return nil, fmt.Errorf("charset %s", label)
	}
	if err := dec.Decode(&h); err != nil {
		return "", fmt.Errorf("device: ui text: %v: %w", err, ErrBadOutput)
	}
	type item struct {
		top, left, seq int
		text           string
	}
	var items []item
	var walk func(ns []uiNode, depth int)
	walk = func(ns []uiNode, depth int) {
		if depth > 1000 {
			return
		}
		for _, n := range ns {
			t := strings.TrimSpace(n.Text)
			if t == "" {
				t = strings.TrimSpace(n.Desc)
			}
			if t != "" {
				it := item{seq: len(items), text: t}
				if m := boundsRE.FindStringSubmatch(n.Bounds); m != nil {
					it.left, _ = strconv.Atoi(m[1])
					it.top, _ = strconv.Atoi(m[2])
				}
				items = append(items, it)
			}
			walk(n.Nodes, depth+1)
		}
	}
	walk(h.Nodes, 0)
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].top != items[j].top {
			return items[i].top < items[j].top
		}
		if items[i].left != items[j].left {
			return items[i].left < items[j].left
		}
		return items[i].seq < items[j].seq
	})
	var b strings.Builder
	prev := ""
	for _, it := range items {
		if it.text == prev {
			continue
		}
		prev = it.text
		b.WriteString(it.text)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

const recordPath = "/data/local/tmp/appinspect_screenrecord.mp4"

// Record records the screen for seconds (1–180) with `screenrecord
// --time-limit`, then reads the MP4 with `exec-out cat` and removes it from
// the device. The file is checked to look like an MP4 (an "ftyp" box).
func (a *ADB) Record(ctx context.Context, serial string, seconds int) ([]byte, error) {
	if seconds < 1 || seconds > 180 {
		return nil, fmt.Errorf("device: record: %d seconds not in 1..180: %w", seconds, ErrBadOutput)
	}
	serial, err := a.resolve(ctx, serial)
	if err != nil {
		return nil, fmt.Errorf("device: record: %w", err)
	}
	if _, err := a.run(ctx, call{serial: serial, long: true, args: []string{"shell", "screenrecord", "--time-limit", strconv.Itoa(seconds), recordPath}}); err != nil {
		return nil, fmt.Errorf("device: record: %w", err)
	}
	mp4, err := a.run(ctx, call{serial: serial, long: true, args: []string{"exec-out", "cat", recordPath}})
	if err != nil {
		return nil, fmt.Errorf("device: record: %w", err)
	}
	if _, err := a.shell(ctx, nil, serial, "rm", "-f", recordPath); err != nil && fatal(err) {
		return nil, fmt.Errorf("device: record: %w", err)
	}
	if len(mp4) < 12 || string(mp4[4:8]) != "ftyp" {
		return nil, fmt.Errorf("device: record: not an MP4: %w", ErrBadOutput)
	}
	return mp4, nil
}

// AppPIDs returns the PIDs of pkg's processes: `pidof PKG` (Android 7+),
// falling back to parsing `ps -A` / `ps` (which also finds PKG:remote
// processes that pidof misses).
func (a *ADB) AppPIDs(ctx context.Context, serial, pkg string) ([]int, error) {
	if !ValidPackage(pkg) {
		return nil, fmt.Errorf("device: pids %q: %w", pkg, ErrInvalidPackage)
	}
	serial, err := a.resolve(ctx, serial)
	if err != nil {
		return nil, fmt.Errorf("device: pids: %w", err)
	}
	seen := map[int]bool{}
	for _, args := range [][]string{{"ps", "-A"}, {"ps"}} {
		out, err := a.shell(ctx, nil, serial, args...)
		if err != nil {
			if fatal(err) {
				return nil, fmt.Errorf("device: pids: %w", err)
			}
			continue
		}
		if len(ParseProcesses(out, "", time.Time{})) < 2 {
			continue // `ps -A` on toolbox lists nothing useful
		}
		for _, p := range ParseProcesses(out, pkg, time.Time{}) {
			seen[p.PID] = true
		}
		break
	}
	if len(seen) == 0 {
		out, err := a.shell(ctx, nil, serial, "pidof", pkg)
		if err != nil && fatal(err) {
			return nil, fmt.Errorf("device: pids: %w", err)
		}
		for _, f := range strings.Fields(string(out)) {
			if n, err := strconv.Atoi(f); err == nil {
				seen[n] = true
			}
		}
	}
	pids := make([]int, 0, len(seen))
	for p := range seen {
		pids = append(pids, p)
	}
	sort.Ints(pids)
	return pids, nil
}

// Logcat returns the log lines of pkg's processes since the given device
// time (zero: everything in the buffer), at most max lines (the newest;
// 0 means 5000). It runs `logcat -d -v threadtime [-T EPOCH]` and keeps the
// lines whose PID is one of the app's (from ps) and the lines that name
// the package (ActivityManager's "Start proc …", crashes). The app must be
// running for its PIDs to be known; lines of processes that already died
// are only caught when they name the package.
func (a *ADB) Logcat(ctx context.Context, serial, pkg string, since time.Time, max int) ([]byte, error) {
	if !ValidPackage(pkg) {
		return nil, fmt.Errorf("device: logcat %q: %w", pkg, ErrInvalidPackage)
	}
	serial, err := a.resolve(ctx, serial)
	if err != nil {
		return nil, fmt.Errorf("device: logcat: %w", err)
	}
	if max <= 0 {
		max = 5000
	}
	pids, err := a.AppPIDs(ctx, serial, pkg)
	if err != nil {
		return nil, fmt.Errorf("device: logcat: %w", err)
	}
	args := []string{"logcat", "-d", "-v", "threadtime"}
	if !since.IsZero() {
		args = append(args, "-T", fmt.Sprintf("%d.%03d", since.Unix(), since.Nanosecond()/1e6))
	}
	out, err := a.run(ctx, call{serial: serial, long: true, args: append([]string{"shell"}, args...)})
	if err != nil {
		return nil, fmt.Errorf("device: logcat: %w", err)
	}
	return FilterLogcat(out, pkg, pids, max), nil
}

// FilterLogcat keeps the threadtime lines ("MM-DD HH:MM:SS.mmm PID TID L
// TAG: msg") whose PID is in pids or that mention pkg, at most the last max.
func FilterLogcat(out []byte, pkg string, pids []int, max int) []byte {
	want := map[string]bool{}
	for _, p := range pids {
		want[strconv.Itoa(p)] = true
	}
	var keep [][]byte
	for _, line := range bytes.Split(out, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			continue
		}
		f := bytes.Fields(line)
		if len(f) >= 3 && want[string(f[2])] || bytes.Contains(line, []byte(pkg)) {
			keep = append(keep, line)
		}
	}
	if max > 0 && len(keep) > max {
		keep = keep[len(keep)-max:]
	}
	if len(keep) == 0 {
		return []byte{}
	}
	return append(bytes.Join(keep, []byte("\n")), '\n')
}
