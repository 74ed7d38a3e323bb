// Package device collects evidence from an Android phone over adb, without
// root or instrumentation: device and app listing, pulling an app's APKs, and
// runtime evidence (permission state, the AppOps access timeline, processes,
// self-start and background hints, screenshots, the on-screen UI text and
// logcat).
//
// Every adb call goes through exec.CommandContext with a timeout and with its
// arguments as argv, never through a host shell. Arguments that reach the
// device's shell (adb shell joins its arguments with spaces and hands them to
// /system/bin/sh) are either constants of this package or values checked by
// ValidSerial, ValidPackage and validRemotePath, so nothing an app or a user
// types can inject shell syntax. Commands lists every command template used,
// and COMMANDS.md explains them for inspectors who want to reproduce evidence
// by hand.
package device

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/appinspect/appinspect/inspect/internal/proctree"
)

// Sentinel errors. Use errors.Is; the wrapping *Error carries the serial, the
// command and adb's own message.
var (
	// ErrADBNotFound means no adb executable was found in any searched place.
	ErrADBNotFound = errors.New("device: adb not found")
	// ErrDeviceGone means the device disappeared (unplugged, rebooted, adb
	// restarted) while a command ran: adb said "device not found", "no
	// devices/emulators found" or "device offline".
	ErrDeviceGone = errors.New("device: device disconnected")
	// ErrTimeout means an adb call did not finish within its timeout.
	ErrTimeout = errors.New("device: adb command timed out")
	// ErrNoDevice means no device is connected and online.
	ErrNoDevice = errors.New("device: no device connected")
	// ErrSeveralDevices means several devices are online and no serial was given.
	ErrSeveralDevices = errors.New("device: several devices connected; choose one by serial")
	// ErrNotReady means the device is connected but not usable (unauthorized,
	// offline, no permissions, recovery…); Device.Fix says what to do.
	ErrNotReady = errors.New("device: device not ready")
	// ErrUnknownSerial means no connected device has the requested serial.
	ErrUnknownSerial = errors.New("device: no device with this serial")
	// ErrInvalidSerial means a serial failed ValidSerial; nothing was executed.
	ErrInvalidSerial = errors.New("device: invalid serial")
	// ErrInvalidPackage means a package name failed ValidPackage; nothing was executed.
	ErrInvalidPackage = errors.New("device: invalid package name")
	// ErrNotInstalled means the package is not installed on the device.
	ErrNotInstalled = errors.New("device: package not installed")
	// ErrBadOutput means adb answered with something this package cannot
	// interpret (for example a screenshot that is not a PNG).
	ErrBadOutput = errors.New("device: unexpected adb output")
)

// Error describes a failed adb call.
type Error struct {
	Serial string   // device serial, "" for host commands such as `adb devices`
	Args   []string // adb arguments after -s SERIAL
	Msg    string   // adb's message (stderr, or stdout when stderr was empty), trimmed
	Err    error    // a sentinel above, context.Canceled, or the exec error
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(CommandLine(e.Serial, e.Args...))
	b.WriteString(": ")
	cause := strings.TrimPrefix(e.Err.Error(), "device: ")
	b.WriteString(cause)
	if e.Msg != "" && !strings.Contains(cause, e.Msg) {
		b.WriteString(": " + e.Msg)
	}
	return b.String()
}

// Unwrap returns the underlying sentinel or cause.
func (e *Error) Unwrap() error { return e.Err }

// Default timeouts.
const (
	// DefaultTimeout bounds ordinary adb calls (getprop, dumpsys, pm…).
	DefaultTimeout = 30 * time.Second
	// DefaultLongTimeout bounds calls that move a lot of data (pull, screen
	// recording, logcat).
	DefaultLongTimeout = 20 * time.Minute
)

// ADB runs one adb executable. The zero value is not usable; call New.
// An ADB is safe for concurrent use as long as its fields are not changed.
type ADB struct {
	// Path is the adb executable.
	Path string
	// Timeout bounds every ordinary call; 0 means DefaultTimeout.
	Timeout time.Duration
	// LongTimeout bounds pulls, recordings and logcat; 0 means DefaultLongTimeout.
	LongTimeout time.Duration
	// Now returns the host time; tests replace it. nil means time.Now.
	Now func() time.Time
	// Env, when not nil, is appended to the process environment of every adb
	// call (tests use it to steer the fake adb).
	Env []string
	// MaxOutput bounds what one ordinary call may print; 0 means
	// DefaultMaxOutput. MaxLongOutput bounds the long calls (screen
	// recordings, logcat); 0 means DefaultMaxLongOutput. A call that prints
	// more is killed (with its process tree) and fails with ErrOutputLimit.
	MaxOutput, MaxLongOutput int64
}

// Default output limits.
const (
	DefaultMaxOutput     = 64 << 20
	DefaultMaxLongOutput = 256 << 20
)

// ErrOutputLimit means an adb call printed more than its output limit.
var ErrOutputLimit = errors.New("device: adb output exceeds the limit")

func (a *ADB) maxOutput(long bool) int64 {
	if long {
		if a.MaxLongOutput > 0 {
			return a.MaxLongOutput
		}
		return DefaultMaxLongOutput
	}
	if a.MaxOutput > 0 {
		return a.MaxOutput
	}
	return DefaultMaxOutput
}

// capBuffer keeps at most max bytes. Beyond that it records the overflow
// and calls stop once (stdout: the call is killed); with stop nil it drops
// the rest silently (stderr: only its beginning is kept for messages).
type capBuffer struct {
	buf  bytes.Buffer
	max  int64
	over bool
	stop func()
}

func (c *capBuffer) Write(p []byte) (int, error) {
	room := c.max - int64(c.buf.Len())
	if int64(len(p)) <= room {
		return c.buf.Write(p)
	}
	c.buf.Write(p[:max(room, 0)])
	if c.stop == nil {
		return len(p), nil
	}
	if !c.over {
		c.over = true
		c.stop()
	}
	return 0, ErrOutputLimit
}

// New returns an ADB for the executable at path with the default timeouts.
func New(path string) *ADB {
	return &ADB{Path: path, Timeout: DefaultTimeout, LongTimeout: DefaultLongTimeout}
}

func (a *ADB) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *ADB) timeout(long bool) time.Duration {
	if long {
		if a.LongTimeout > 0 {
			return a.LongTimeout
		}
		return DefaultLongTimeout
	}
	if a.Timeout > 0 {
		return a.Timeout
	}
	return DefaultTimeout
}

var serialRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$`)

// ValidSerial reports whether s is a plausible adb serial: USB serials
// ("R58M12ABCDE"), emulators ("emulator-5554"), TCP ("192.168.1.5:5555") and
// mDNS names ("adb-R58M-abc._adb-tls-connect._tcp"). Letters, digits and
// . _ : - only, not starting with a dash, at most 128 characters.
func ValidSerial(s string) bool { return serialRE.MatchString(s) }

var pkgRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$`)

// ValidPackage reports whether s is a valid Android package name: dot-separated
// Java identifiers (ASCII letters, digits, underscore, each part starting with
// a letter), at most 255 characters. Single-part names such as "android" are
// accepted.
func ValidPackage(s string) bool { return len(s) <= 255 && pkgRE.MatchString(s) }

var remotePathRE = regexp.MustCompile(`^/[A-Za-z0-9._/~=+\-]+$`)

// validRemotePath accepts device paths as printed by `pm path` (for example
// /data/app/~~Ab3-_x==/com.x-Yz==/base.apk) and nothing with shell syntax.
func validRemotePath(p string) bool {
	return len(p) < 1024 && remotePathRE.MatchString(p) && !strings.Contains(p, "/../") && !strings.HasSuffix(p, "/..")
}

// recorder accumulates the commands run and their raw outputs for Evidence.
type recorder struct {
	cmds []string
	raw  map[string][]byte
}

func (r *recorder) add(cmd string, out []byte) {
	if r == nil {
		return
	}
	r.cmds = append(r.cmds, cmd)
	if r.raw == nil {
		r.raw = map[string][]byte{}
	}
	r.raw[cmd] = out
}

// call is one adb invocation.
type call struct {
	serial string
	args   []string
	long   bool      // use LongTimeout
	rec    *recorder // optional
}

// CommandLine renders an adb invocation the way an inspector would type it.
func CommandLine(serial string, args ...string) string {
	parts := []string{"adb"}
	if serial != "" {
		parts = append(parts, "-s", serial)
	}
	return strings.Join(append(parts, args...), " ")
}

// run executes adb and returns stdout. It maps adb's disconnect messages to
// ErrDeviceGone, deadline to ErrTimeout, and keeps adb's message.
func (a *ADB) run(ctx context.Context, c call) ([]byte, error) {
	if c.serial != "" && !ValidSerial(c.serial) {
		return nil, fmt.Errorf("device: %q: %w", c.serial, ErrInvalidSerial)
	}
	if a == nil || a.Path == "" {
		return nil, ErrADBNotFound
	}
	argv := c.args
	if c.serial != "" {
		argv = append([]string{"-s", c.serial}, c.args...)
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout(c.long))
	defer cancel()
	cmd := exec.CommandContext(ctx, a.Path, argv...)
	// adb runs as the leader of its own process group: a timeout, a
	// cancellation or the output limit kills the whole tree, so a child
	// of a hung adb does not outlive it.
	proctree.Setup(cmd)
	cmd.WaitDelay = 2 * time.Second
	if a.Env != nil {
		cmd.Env = append(os.Environ(), a.Env...)
	}
	stdout := &capBuffer{max: a.maxOutput(c.long), stop: cancel}
	stderr := &capBuffer{max: 1 << 20}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	out := stdout.buf.Bytes()
	if stdout.over {
		return nil, &Error{Serial: c.serial, Args: c.args,
			Msg: fmt.Sprintf("output beyond %d bytes; adb stopped", stdout.max), Err: ErrOutputLimit}
	}
	if err == nil {
		// Old adb (and `adb shell` to devices without shell protocol) exits 0
		// even when the device vanished; look at the message too.
		if gone := goneMessage(stderr.buf.Bytes()); gone != "" {
			return nil, &Error{Serial: c.serial, Args: c.args, Msg: gone, Err: ErrDeviceGone}
		}
		c.rec.add(CommandLine(c.serial, c.args...), out)
		return out, nil
	}
	msg := strings.TrimSpace(stderr.buf.String())
	if msg == "" {
		msg = strings.TrimSpace(firstLines(out, 3))
	}
	e := &Error{Serial: c.serial, Args: c.args, Msg: msg}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		e.Err = ErrTimeout
	case ctx.Err() != nil:
		e.Err = ctx.Err()
	case goneMessage(stderr.buf.Bytes()) != "" || goneMessage(out) != "":
		e.Err = ErrDeviceGone
	case strings.Contains(msg, "unauthorized"):
		e.Err = ErrNotReady
	default:
		if cmd.ProcessState == nil { // never started: missing or not executable
			e.Err = fmt.Errorf("%w: %v", ErrADBNotFound, err)
		} else {
			e.Err = err
		}
	}
	return nil, e
}

var goneRE = regexp.MustCompile(`(?i)(device '[^']*' not found|device not found|no devices/emulators found|device offline|device '[^']*' offline|no devices found|device still authorizing|^error: closed$|failed to read copy response|protocol fault)`)

// goneMessage returns adb's disconnect message in b, or "".
func goneMessage(b []byte) string {
	// Only look at adb's own "error:" / "adb:" lines, so app output that
	// happens to contain "closed" does not count.
	for _, line := range strings.Split(string(b), "\n") {
		l := strings.TrimSpace(line)
		if !strings.HasPrefix(l, "error:") && !strings.HasPrefix(l, "adb: error:") && !strings.HasPrefix(l, "adb:") {
			continue
		}
		if goneRE.MatchString(l) {
			return l
		}
	}
	return ""
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// shell runs `adb -s serial shell args...`.
func (a *ADB) shell(ctx context.Context, rec *recorder, serial string, args ...string) ([]byte, error) {
	if serial == "" {
		return nil, fmt.Errorf("device: shell: %w", ErrInvalidSerial)
	}
	return a.run(ctx, call{serial: serial, args: append([]string{"shell"}, args...), rec: rec})
}

// FindADB locates the adb executable. It tries, in order: flagPath (the
// --adb flag), the APPINSPECT_ADB environment variable, settingsPath (from
// the app's settings), $ANDROID_HOME/platform-tools/adb (then
// $ANDROID_SDK_ROOT), and adb on PATH. Empty candidates are skipped. The
// error wraps ErrADBNotFound and lists every place looked at.
func FindADB(flagPath, settingsPath string) (string, error) {
	exe := "adb"
	if runtime.GOOS == "windows" {
		exe = "adb.exe"
	}
	type cand struct{ from, path string }
	var cands []cand
	cands = append(cands, cand{"--adb", flagPath}, cand{"APPINSPECT_ADB", os.Getenv("APPINSPECT_ADB")}, cand{"settings", settingsPath})
	for _, v := range []string{"ANDROID_HOME", "ANDROID_SDK_ROOT"} {
		if h := os.Getenv(v); h != "" {
			cands = append(cands, cand{"$" + v, filepath.Join(h, "platform-tools", exe)})
		} else {
			cands = append(cands, cand{"$" + v, ""})
		}
	}
	var looked []string
	for _, c := range cands {
		if c.path == "" {
			looked = append(looked, c.from+" (not set)")
			continue
		}
		if isExecutable(c.path) {
			return c.path, nil
		}
		looked = append(looked, fmt.Sprintf("%s (%s: not an executable file)", c.from, c.path))
	}
	if p, err := exec.LookPath(exe); err == nil {
		return p, nil
	}
	looked = append(looked, "PATH")
	return "", fmt.Errorf("%w; looked at: %s; install Android platform-tools and pass --adb or set APPINSPECT_ADB", ErrADBNotFound, strings.Join(looked, ", "))
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() {
		return false
	}
	if runtime.GOOS == "windows" {
		return true
	}
	return fi.Mode()&0o111 != 0
}
