package dex

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// fixtureDir is ../shared/fixtures/apks seen from the repository root.
func fixtureDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "apks")
	if _, err := os.Stat(filepath.Join(dir, "expected.json")); err != nil {
		t.Skipf("fixtures absent (%v); shared material lives at ../shared", err)
	}
	return dir
}

var dexName = regexp.MustCompile(`^classes(\d*)\.dex$`)

// apkDexes returns the classes*.dex entries of an APK in dex order.
func apkDexes(path string) (names []string, data [][]byte, err error) {
	return apkDexesUpTo(path, 1<<62)
}

// apkDexesUpTo is apkDexes for entries of at most maxSize bytes.
func apkDexesUpTo(path string, maxSize uint64) (names []string, data [][]byte, err error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, err
	}
	defer zr.Close()
	type entry struct {
		n  int
		zf *zip.File
	}
	var es []entry
	for _, zf := range zr.File {
		m := dexName.FindStringSubmatch(zf.Name)
		if m == nil || zf.UncompressedSize64 > maxSize {
			continue
		}
		n := 1
		if m[1] != "" {
			n, _ = strconv.Atoi(m[1])
		}
		es = append(es, entry{n, zf})
	}
	sort.Slice(es, func(i, j int) bool { return es[i].n < es[j].n })
	for _, e := range es {
		rc, err := e.zf.Open()
		if err != nil {
			return nil, nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, nil, err
		}
		names = append(names, e.zf.Name)
		data = append(data, b)
	}
	return names, data, nil
}

type countVisitor struct{ methods, invokes, strs int }

func (c *countVisitor) Method(uint32) bool         { c.methods++; return true }
func (c *countVisitor) Invoke(uint32, uint32)      { c.invokes++ }
func (c *countVisitor) ConstString(uint32, uint32) { c.strs++ }

// TestFixtures parses every classes*.dex of every fixture APK and compares
// the class count with dexdump's, recorded in expected.json.
func TestFixtures(t *testing.T) {
	dir := fixtureDir(t)
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expected map[string]struct {
		Dex struct {
			Classes int      `json:"classes"`
			Files   []string `json:"files"`
			OK      bool     `json:"ok"`
		} `json:"dex"`
	}
	if err := json.Unmarshal(raw, &expected); err != nil {
		t.Fatal(err)
	}
	apks := make([]string, 0, len(expected))
	for k := range expected {
		apks = append(apks, k)
	}
	sort.Strings(apks)
	checked := 0
	for _, apk := range apks {
		want := expected[apk].Dex
		t.Run(apk, func(t *testing.T) {
			names, data, err := apkDexes(filepath.Join(dir, apk))
			if err != nil {
				if !want.OK {
					t.Skipf("zip unreadable, as for the reference tools: %v", err)
				}
				t.Fatalf("open: %v", err)
			}
			if !want.OK {
				// Go's archive/zip is more lenient than Python's zipfile here;
				// the reference has no class count to compare against.
				t.Logf("Python could not read this zip; Go found %d dex files", len(names))
				return
			}
			if !slices.Equal(names, want.Files) && !(len(names) == 0 && len(want.Files) == 0) {
				t.Errorf("dex files = %q, want %q", names, want.Files)
			}
			total := 0
			for i, b := range data {
				f, err := Parse(b, DefaultLimits())
				if err != nil {
					t.Fatalf("%s: %v", names[i], err)
				}
				total += f.NumClasses()
				if got := len(f.Classes()); got != f.NumClasses() {
					t.Errorf("%s: %d class names for %d class_defs", names[i], got, f.NumClasses())
				}
				var cv countVisitor
				if err := f.Walk(&cv); err != nil {
					t.Errorf("%s: Walk: %v", names[i], err)
				}
				if cv.methods != f.CodeMethods() {
					t.Errorf("%s: Walk visited %d methods, CodeMethods = %d", names[i], cv.methods, f.CodeMethods())
				}
				if err := f.VerifyChecksum(); err != nil {
					t.Logf("%s: %v", names[i], err)
				}
			}
			if total != want.Classes {
				t.Errorf("classes = %d, dexdump counted %d", total, want.Classes)
			}
			checked++
		})
	}
	if checked == 0 {
		t.Error("no fixture was checked")
	}
}

// dexdumpPath returns the dexdump binary, or skips.
func dexdumpPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("dexdump")
	if err != nil {
		if _, err := os.Stat("/usr/bin/dexdump"); err != nil {
			t.Skip("dexdump not installed (Debian package dexdump)")
		}
		p = "/usr/bin/dexdump"
	}
	return p
}

// writeTemp writes b to a file in a test temp dir and returns its path.
func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// dexdumpDescriptor turns dexdump's 'Lcom/a/B;' into the Java name.
func dexdumpDescriptor(d string) string {
	return javaNameReference(d)
}

// javaNameReference is an independent, string-based descriptor conversion
// used to check javaName against dexdump output.
func javaNameReference(d string) string {
	dims := strings.Count(d, "[")
	d = strings.TrimLeft(d, "[")
	if strings.HasPrefix(d, "L") && strings.HasSuffix(d, ";") {
		d = strings.ReplaceAll(d[1:len(d)-1], "/", ".")
	} else if p := primitiveName(d[0]); len(d) == 1 && p != "" {
		d = p
	}
	return d + strings.Repeat("[]", dims)
}

// TestDexdumpClasses compares class names and the header counts with
// `dexdump -f -l plain` for one fixture.
func TestDexdumpClasses(t *testing.T) {
	dd := dexdumpPath(t)
	dir := fixtureDir(t)
	names, data, err := apkDexes(filepath.Join(dir, "androguard__weardrawers.apk"))
	if err != nil || len(data) == 0 {
		t.Fatalf("fixture: %v", err)
	}
	for i, b := range data {
		out, err := exec.Command(dd, "-f", "-l", "plain", writeTemp(t, names[i], b)).Output()
		if err != nil {
			t.Fatalf("dexdump: %v", err)
		}
		var classes, supers []string
		counts := map[string]int{}
		sc := bufio.NewScanner(strings.NewReader(string(out)))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if d, ok := strings.CutPrefix(line, "  Class descriptor  : '"); ok {
				classes = append(classes, dexdumpDescriptor(strings.TrimSuffix(d, "'")))
			}
			if d, ok := strings.CutPrefix(line, "  Superclass        : '"); ok {
				supers = append(supers, dexdumpDescriptor(strings.TrimSuffix(d, "'")))
			}
			if k, v, ok := strings.Cut(line, ":"); ok && strings.HasSuffix(strings.TrimSpace(k), "_size") {
				n, _ := strconv.Atoi(strings.TrimSpace(v))
				counts[strings.TrimSpace(k)] = n
			}
		}
		f := mustParse(t, b)
		if got := f.Classes(); !slices.Equal(got, classes) {
			t.Errorf("%s: %d classes, dexdump %d; first difference at %d", names[i], len(got), len(classes), firstDiff(got, classes))
		}
		for c := range f.NumClasses() {
			if s, err := f.Superclass(c); err != nil || c >= len(supers) || s != supers[c] {
				t.Errorf("%s: Superclass(%d) = %q, %v; dexdump %q", names[i], c, s, err, supers[min(c, len(supers)-1)])
				break
			}
		}
		for k, n := range map[string]int{"string_ids_size": f.NumStrings(), "type_ids_size": f.NumTypes(),
			"method_ids_size": f.NumMethods(), "field_ids_size": f.NumFields(), "class_defs_size": f.NumClasses()} {
			if counts[k] != n {
				t.Errorf("%s: %s = %d, dexdump %d", names[i], k, n, counts[k])
			}
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// callRecorder collects, per method signature as dexdump prints it, the
// invoke targets and string indexes in order.
type callRecorder struct {
	f     *File
	cur   string
	calls map[string][]string
}

func (r *callRecorder) Method(m uint32) bool {
	ref, err := r.f.Method(m)
	if err != nil {
		r.cur = "?"
		return true
	}
	r.cur = ref.Class + "." + ref.Name + ":" + ref.Proto
	if _, dup := r.calls[r.cur]; dup {
		r.cur += "#dup"
	}
	r.calls[r.cur] = []string{}
	return true
}

func (r *callRecorder) Invoke(_, m uint32) {
	r.calls[r.cur] = append(r.calls[r.cur], "method@"+strconv.FormatUint(uint64(m), 16))
}

func (r *callRecorder) ConstString(_, s uint32) {
	r.calls[r.cur] = append(r.calls[r.cur], "string@"+strconv.FormatUint(uint64(s), 16))
}

var (
	ddMethodHeader = regexp.MustCompile(`\|\[[0-9a-f]+\] (.*)$`)
	ddRef          = regexp.MustCompile(`// (method|string)@([0-9a-f]+)`)
	ddStringEnd    = regexp.MustCompile(`" // string@([0-9a-f]+)$`)
)

// dexdumpCalls runs `dexdump -d` and collects the same per-method lists from
// its disassembly.
func dexdumpCalls(t *testing.T, dd, path string, flags ...string) map[string][]string {
	t.Helper()
	cmd := exec.Command(dd, append(append(flags, "-d"), path)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	calls := map[string][]string{}
	cur := ""
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 4<<20), 4<<20)
	pending := false // inside a const-string whose text spans lines
	for sc.Scan() {
		line := sc.Text()
		if pending {
			if m := ddStringEnd.FindStringSubmatch(line); m != nil {
				v, _ := strconv.ParseUint(m[1], 16, 32)
				calls[cur] = append(calls[cur], "string@"+strconv.FormatUint(v, 16))
				pending = false
			}
			continue
		}
		bar := strings.IndexByte(line, '|')
		if bar < 0 {
			continue
		}
		if !strings.HasPrefix(line[bar:], "|[") {
			// an instruction line
		} else if m := ddMethodHeader.FindStringSubmatch(line); m != nil {
			cur = m[1]
			if _, dup := calls[cur]; dup {
				cur += "#dup"
			}
			calls[cur] = []string{}
			continue
		}
		ins := line[bar:]
		isInvoke := strings.Contains(ins, ": invoke-") && !strings.Contains(ins, ": invoke-custom")
		isString := strings.Contains(ins, ": const-string")
		if !isInvoke && !isString {
			continue
		}
		if !strings.Contains(ins, "//") {
			if isString {
				pending = true // the string has a newline; its index ends a later line
				continue
			}
			t.Errorf("dexdump line without an index: %q", line)
			continue
		}
		m := ddRef.FindStringSubmatch(ins[strings.LastIndex(ins, "//"):])
		if m == nil {
			if isString {
				pending = true // the string has a newline; its index ends a later line
				continue
			}
			t.Errorf("dexdump line without an index: %q", line)
			continue
		}
		v, _ := strconv.ParseUint(m[2], 16, 32)
		calls[cur] = append(calls[cur], m[1]+"@"+strconv.FormatUint(v, 16))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("dexdump -d: %v", err)
	}
	return calls
}

// TestDexdumpWalk compares, for every method with code, the invoke targets
// and const-string indexes Walk reports with `dexdump -d` disassembly.
func TestDexdumpWalk(t *testing.T) {
	dd := dexdumpPath(t)
	dir := fixtureDir(t)
	fixtures := []string{"androguard__weardrawers.apk", "androguard__multidex.apk", "apktool__issue1730.apk"}
	if os.Getenv("DEX_DEXDUMP_FULL") != "" {
		// 28,948 methods and 73 MB of disassembly: seconds, so on request.
		fixtures = append(fixtures, "apktool__issue3533.apk")
	}
	for _, apk := range fixtures {
		names, data, err := apkDexes(filepath.Join(dir, apk))
		if err != nil {
			t.Fatalf("%s: %v", apk, err)
		}
		for i, b := range data {
			f := mustParse(t, b)
			r := &callRecorder{f: f, calls: map[string][]string{}}
			if err := f.Walk(r); err != nil {
				t.Fatalf("%s %s: Walk: %v", apk, names[i], err)
			}
			want := dexdumpCalls(t, dd, writeTemp(t, names[i], b))
			compareCalls(t, apk+" "+names[i], r.calls, want)
		}
	}
	// The hermetic sample too, which has payloads and every invoke form.
	f := mustParse(t, sampleSpec("035").bytes())
	r := &callRecorder{f: f, calls: map[string][]string{}}
	if err := f.Walk(r); err != nil {
		t.Fatal(err)
	}
	// -j: the sample is not sorted the way the verifier insists on.
	want := dexdumpCalls(t, dd, writeTemp(t, "sample.dex", sampleSpec("035").bytes()), "-j")
	compareCalls(t, "sample", r.calls, want)
}

func compareCalls(t *testing.T, name string, got, want map[string][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d methods with code, dexdump %d", name, len(got), len(want))
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	bad, refs := 0, 0
	for _, k := range keys {
		refs += len(want[k])
		g, ok := got[k]
		if !ok {
			bad++
			if bad <= 5 {
				t.Errorf("%s: method %s not walked", name, k)
			}
			continue
		}
		if !slices.Equal(g, want[k]) {
			bad++
			if bad <= 5 {
				t.Errorf("%s: %s:\n got %q\nwant %q", name, k, g, want[k])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d methods differ", name, bad, len(want))
	}
	t.Logf("%s: %d methods, %d invoke/const-string references match dexdump", name, len(want), refs)
}
