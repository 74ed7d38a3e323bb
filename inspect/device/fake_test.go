package device

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	fakeOnce sync.Once
	fakePath string
	fakeErr  error
	fakeDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if fakeDir != "" {
		_ = os.RemoveAll(fakeDir)
	}
	os.Exit(code)
}

// fakeADB builds internal/fakeadb once per test binary.
func fakeADB(t *testing.T) string {
	t.Helper()
	fakeOnce.Do(func() {
		fakeDir, fakeErr = os.MkdirTemp("", "appinspect-fakeadb-")
		if fakeErr != nil {
			return
		}
		name := "adb"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		fakePath = filepath.Join(fakeDir, name)
		cmd := exec.Command("go", "build", "-o", fakePath, "./internal/fakeadb")
		if out, err := cmd.CombinedOutput(); err != nil {
			fakeErr = fmt.Errorf("build fakeadb: %v\n%s", err, out)
		}
	})
	if fakeErr != nil {
		t.Fatal(fakeErr)
	}
	return fakePath
}

// fake is one scripted device world.
type fake struct {
	t     *testing.T
	dir   string
	rules []string
	adb   *ADB
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{t: t, dir: t.TempDir()}
	f.adb = New(fakeADB(t))
	f.adb.Env = []string{"FAKEADB_DIR=" + f.dir}
	t.Cleanup(f.checkCommandsDocumented)
	return f
}

// td returns the absolute path of a testdata file.
func td(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// rule adds a rule: serial ("-" for none, "*" any), args (trailing * = prefix), actions.
func (f *fake) rule(serial, args string, actions ...string) {
	f.t.Helper()
	f.rules = append(f.rules, serial+"\t"+args+"\t"+strings.Join(actions, "\t"))
	if err := os.WriteFile(filepath.Join(f.dir, "rules.txt"), []byte(strings.Join(f.rules, "\n")+"\n"), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fake) file(name string) string { return "file:" + td(f.t, name) }

// device scripts `adb devices -l` with one ready device and its getprop.
func (f *fake) device(serial, getprop string) {
	f.rule("-", "devices -l", "text:List of devices attached\\n"+serial+"\\tdevice usb:1-1 transport_id:1\\n\\n")
	f.rule(serial, "shell getprop", f.file(getprop))
}

// calls returns the logged adb invocations as "SERIAL\tARGS".
func (f *fake) calls() []string {
	b, err := os.ReadFile(filepath.Join(f.dir, "calls.log"))
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// checkCommandsDocumented fails when a test ran an adb command that no
// Commands template (and so no line of COMMANDS.md) covers.
func (f *fake) checkCommandsDocumented() {
	for _, c := range f.calls() {
		serial, args, _ := strings.Cut(c, "\t")
		if serial == "-" {
			serial = ""
		}
		line := CommandLine(serial, strings.Fields(args)...)
		if _, ok := MatchCommand(line); !ok {
			f.t.Errorf("command %q is not documented in Commands/COMMANDS.md", line)
		}
	}
}
