package apk

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fixtureDir is ../shared/fixtures/apks relative to the repository root.
func fixtureDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "fixtures", "apks")
	if _, err := os.Stat(filepath.Join(dir, "expected.json")); err != nil {
		t.Skipf("fixtures not available (%s): %v", dir, err)
	}
	return dir
}

type aaptFacts struct {
	OK          bool     `json:"ok"`
	Error       string   `json:"error"`
	Package     *string  `json:"package"`
	VersionCode *string  `json:"version_code"`
	VersionName *string  `json:"version_name"`
	MinSDK      *string  `json:"min_sdk"`
	TargetSDK   *string  `json:"target_sdk"`
	Label       *string  `json:"label"`
	Permissions []string `json:"permissions"`
	NativeABIs  []string `json:"native_abis"`
}

func loadExpected(t testing.TB, dir string) map[string]aaptFacts {
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]struct {
		AAPT aaptFacts `json:"aapt"`
	}
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	out := map[string]aaptFacts{}
	for k, v := range all {
		out[k] = v.AAPT
	}
	return out
}

// TestFixturesMatchAapt compares our facts with aapt dump badging's for
// every fixture: equal wherever aapt succeeded, an error wherever aapt
// failed (with the reason checked).
func TestFixturesMatchAapt(t *testing.T) {
	dir := fixtureDir(t)
	exp := loadExpected(t, dir)
	names := make([]string, 0, len(exp))
	for n := range exp {
		names = append(names, n)
	}
	slices.Sort(names)
	var table strings.Builder
	fmt.Fprintf(&table, "%-55s %-6s %s\n", "fixture", "result", "detail")
	for _, name := range names {
		want := exp[name]
		var problems []string
		got, err := factsOf(filepath.Join(dir, name))
		if !want.OK {
			// aapt failed: we must fail too, on the same ground.
			if err == nil {
				problems = append(problems, "aapt failed ("+want.Error+") but we succeeded")
			}
		} else if err != nil {
			problems = append(problems, "error: "+err.Error())
		} else {
			cmpStr := func(field string, w *string, g string) {
				if w != nil && *w != g {
					problems = append(problems, fmt.Sprintf("%s: got %q, aapt %q", field, g, *w))
				}
			}
			cmpStr("package", want.Package, got.pkg)
			// aapt prints versionCode='' when the attribute is absent; we
			// report 0.
			if want.VersionCode != nil && *want.VersionCode == "" && got.versionCode == "0" {
				got.versionCode = ""
			}
			cmpStr("version_code", want.VersionCode, got.versionCode)
			cmpStr("version_name", want.VersionName, got.versionName)
			cmpStr("min_sdk", want.MinSDK, got.minSDK)
			cmpStr("target_sdk", want.TargetSDK, got.targetSDK)
			// A fixture without a label key is one where aapt printed no
			// application-label line (apktool__issue1730: a literal label
			// with a resources.arsc aapt could not use); we report the
			// literal, checked in TestFixturesDeep.
			cmpStr("label", want.Label, got.label)
			if !slices.Equal(want.Permissions, got.perms) {
				problems = append(problems, fmt.Sprintf("permissions: got %v, aapt %v", got.perms, want.Permissions))
			}
			if !slices.Equal(want.NativeABIs, got.abis) {
				problems = append(problems, fmt.Sprintf("native abis: got %v, aapt %v", got.abis, want.NativeABIs))
			}
		}
		status, detail := "PASS", ""
		switch {
		case len(problems) > 0:
			status, detail = "FAIL", strings.Join(problems, "; ")
			t.Errorf("%s: %s", name, detail)
		case !want.OK:
			status, detail = "PASS", "both fail: "+firstLine(err.Error())
		default:
			detail = fmt.Sprintf("%s %s label=%q perms=%d", got.pkg, got.versionName, got.label, len(got.perms))
		}
		fmt.Fprintf(&table, "%-55s %-6s %s\n", name, status, detail)
	}
	t.Logf("\n%s", table.String())
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

type facts struct {
	pkg, versionCode, versionName, minSDK, targetSDK, label string
	perms, abis                                             []string
}

func factsOf(path string) (*facts, error) {
	a, err := Open(path, DefaultLimits())
	if err != nil {
		return nil, err
	}
	defer a.Close()
	m, err := ParseManifest(a)
	if err != nil {
		return nil, err
	}
	f := &facts{
		pkg: m.Package, versionName: m.VersionName, label: m.Label,
		versionCode: strconv.FormatInt(m.VersionCode, 10),
		minSDK:      strconv.Itoa(m.MinSDK), targetSDK: strconv.Itoa(m.TargetSDK),
		abis: ABIs(a),
	}
	// aapt prints declared and implied permissions alike.
	for _, p := range m.Permissions {
		f.perms = append(f.perms, p.Name)
	}
	for _, p := range m.ImpliedPermissions {
		f.perms = append(f.perms, p.Name)
	}
	slices.Sort(f.perms)
	f.perms = slices.Compact(f.perms)
	if f.perms == nil {
		f.perms = []string{}
	}
	return f, nil
}

// TestFixturesDeep checks facts beyond aapt's on fixtures we inspected by
// hand (aapt dump xmltree), and that every fixture that opens also yields
// resource strings and sane, sorted output without panicking.
func TestFixturesDeep(t *testing.T) {
	dir := fixtureDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	for _, f := range files {
		a, err := Open(f, Limits{})
		if err != nil {
			continue
		}
		m, err := ParseManifest(a)
		if err == nil {
			if _, err := json.Marshal(m); err != nil {
				t.Errorf("%s: marshal: %v", filepath.Base(f), err)
			}
			if len(m.Warnings) > 0 {
				t.Errorf("%s: warnings %v", filepath.Base(f), m.Warnings)
			}
		}
		if _, err := ResourceStrings(a); err != nil {
			t.Errorf("%s: ResourceStrings: %v", filepath.Base(f), err)
		}
		FindPolicyDocs(a)
		a.Close()
	}
	// apktool__issue1730: a literal label with a resources.arsc aapt cannot use.
	a, err := Open(filepath.Join(dir, "apktool__issue1730.apk"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	m, err := ParseManifest(a)
	if err != nil || m.Label != "Empty Android App" || *m.Application.AllowBackup != true {
		t.Errorf("issue1730: %+v %v", m, err)
	}
	// a2dp.Vol: localized labels.
	b, err := Open(filepath.Join(dir, "androguard__a2dp.Vol_137.apk"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	m, err = ParseManifest(b)
	if err != nil || m.Labels["fr"] != "Volume A2DP" || m.Labels[""] != "A2DP Volume" {
		t.Errorf("a2dp labels: %v %v", m.Labels, err)
	}
}

// BenchmarkOpenAndManifest opens the largest fixture and parses its manifest.
func BenchmarkOpenAndManifest(b *testing.B) {
	dir := fixtureDir(b)
	files, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	var largest string
	var size int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > size {
			largest, size = f, st.Size()
		}
	}
	b.Logf("%s (%d bytes)", filepath.Base(largest), size)
	b.SetBytes(size)
	for b.Loop() {
		a, err := Open(largest, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseManifest(a); err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
}

// TestPolicyDocsRealPolicies bundles real policies from
// ../shared/fixtures/policies/real under neutral asset names and checks that
// their titles identify them.
func TestPolicyDocsRealPolicies(t *testing.T) {
	dir := filepath.Join(filepath.Dir(fixtureDir(t)), "policies", "real")
	want := map[string]string{
		"coolapk_privacy.md":           "酷安隐私保护政策",
		"douban_privacy.md":            "豆瓣个人信息保护政策",
		"firefox_privacy_notice.en.md": "Firefox Privacy Notice",
		"qq_android_privacy_guide.md":  "【Android】QQ隐私保护指引",
		"telegram_privacy.en.md":       "Telegram Privacy Policy",
		"tim_privacy.md":               "隐私政策",
		"xiaomi_privacy.md":            "小米隐私政策",
	}
	var files []zfile
	var names []string
	for n := range want {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Skipf("policy fixture missing: %v", err)
		}
		files = append(files, zfile{name: fmt.Sprintf("assets/web/page%02d.md", i), data: b, method: 8})
	}
	files = append(files, zfile{name: "assets/web/readme.md", data: []byte("# Build notes\nrun make")})
	a := openBytes(t, "policies.apk", demoAPK(t, files...))
	docs := FindPolicyDocs(a)
	if len(docs) != len(names) {
		t.Fatalf("found %d docs, want %d: %+v", len(docs), len(names), docs)
	}
	for i, d := range docs {
		if d.Kind != "privacy" || d.Title != want[names[i]] || d.MediaType != "text/markdown" {
			t.Errorf("%s (%s): %+v", d.Path, names[i], d)
		}
	}
}
