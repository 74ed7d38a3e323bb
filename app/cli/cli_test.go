package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/inspect/synth"
)

// run runs the CLI with a data directory and returns stdout, stderr and the
// exit status.
func run(t *testing.T, dataDir string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	all := append([]string{"--data-dir", dataDir}, args...)
	st := Main(context.Background(), all, IO{In: strings.NewReader(""), Out: &out, Err: &errb})
	return out.String(), errb.String(), st
}

// demoFiles writes the generated demo APK and its policy into dir.
func demoFiles(t *testing.T, dir string) (apkPath, policyPath string) {
	t.Helper()
	a, p, err := synth.BuildDemo()
	if err != nil {
		t.Fatal(err)
	}
	apkPath, policyPath = filepath.Join(dir, "demo.apk"), filepath.Join(dir, "policy.txt")
	if err := os.WriteFile(apkPath, a, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policyPath, p, 0o644); err != nil {
		t.Fatal(err)
	}
	return apkPath, policyPath
}

func plainAPK(t *testing.T, dir, name, pkg string) string {
	t.Helper()
	b, err := synth.Build(synth.Spec{Package: pkg, VersionName: "1.0", VersionCode: 1, MinSDK: 21, TargetSDK: 33, LabelEN: "Plain",
		Permissions: []string{"android.permission.INTERNET"},
		Classes:     []synth.Class{{Name: pkg + ".MainActivity", Super: "android.app.Activity"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScanJSONContract(t *testing.T) {
	dir := t.TempDir()
	apkPath, _ := demoFiles(t, dir)
	out, errs, st := run(t, dir, "scan", "--json", apkPath)
	if st != ExitOK {
		t.Fatalf("status %d: %s", st, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "package", "version_code", "version_name", "min_sdk", "target_sdk", "label", "sha256",
		"permissions", "signature", "dex", "native_abis", "endpoints", "sdks", "apis", "packers"} {
		if _, ok := m[k]; !ok {
			t.Errorf("scan JSON lacks %q", k)
		}
	}
	if _, ok := m["error"]; ok {
		t.Errorf("error key on a good scan: %v", m["error"])
	}
	sig := m["signature"].(map[string]any)
	if _, ok := sig["schemes"].([]any); !ok {
		t.Errorf("signature.schemes is %T, want a list", sig["schemes"])
	}
	if _, ok := sig["certificates"].([]any); !ok {
		t.Errorf("signature.certificates is %T, want a list", sig["certificates"])
	}
	d := m["dex"].(map[string]any)
	if d["classes"].(float64) == 0 || len(d["files"].([]any)) != 1 {
		t.Errorf("dex = %v", d)
	}
	perms := m["permissions"].([]any)
	if len(perms) == 0 || perms[0].(map[string]any)["name"] == "" {
		t.Errorf("permissions = %v", perms)
	}
	var ids []string
	for _, s := range m["sdks"].([]any) {
		ids = append(ids, s.(map[string]any)["id"].(string))
	}
	if !strings.Contains(strings.Join(ids, ","), "jpush") {
		t.Errorf("the demo's JPush stub classes were not detected: %v", ids)
	}
}

func TestScanExitStatusAndBatch(t *testing.T) {
	dir := t.TempDir()
	good1 := plainAPK(t, dir, "a.apk", "com.example.a")
	good2 := plainAPK(t, dir, "b.apk", "com.example.b")
	bad := filepath.Join(dir, "broken.apk")
	if err := os.WriteFile(bad, []byte("PK\x03\x04 this is not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A usage error.
	if _, _, st := run(t, dir, "scan"); st != ExitUsage {
		t.Errorf("scan without files: status %d, want %d", st, ExitUsage)
	}
	if _, _, st := run(t, dir, "nonsense"); st != ExitUsage {
		t.Errorf("unknown command: status %d", st)
	}
	// One readable summary.
	out, _, st := run(t, dir, "scan", good1)
	if st != ExitOK || !strings.Contains(out, "com.example.a") {
		t.Errorf("summary: status %d\n%s", st, out)
	}
	// A broken file: exit 2 and a line naming it.
	_, errs, st := run(t, dir, "scan", bad)
	if st != ExitPartial || !strings.Contains(errs, "broken.apk") {
		t.Errorf("broken: status %d, stderr %q", st, errs)
	}
	// A directory: JSON Lines, one per file, the broken one with "error".
	out, errs, st = run(t, dir, "scan", "--jobs", "2", dir)
	if st != ExitPartial {
		t.Errorf("batch: status %d", st)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("batch gave %d lines:\n%s", len(lines), out)
	}
	errLines := 0
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %s", l)
		}
		if e, ok := m["error"].(string); ok {
			errLines++
			if !strings.Contains(e, "broken.apk") {
				t.Errorf("error does not name the file: %s", e)
			}
		}
	}
	if errLines != 1 || strings.Count(errs, "\n") != 1 {
		t.Errorf("want one error line and one stderr line, got %d and %q", errLines, errs)
	}
	_ = good2
}

func TestCheckAndPolicyJSON(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	out, errs, st := run(t, dir, "check", "--json", "--policy", pol, "--app-type", "38", apkPath)
	if st != ExitOK {
		t.Fatalf("check: %d %s", st, errs)
	}
	var c struct {
		Candidates []struct {
			Rule        string            `json:"rule"`
			Severity    string            `json:"severity"`
			Articles    []string          `json:"articles"`
			Evidence    []json.RawMessage `json:"evidence"`
			Explanation string            `json:"explanation"`
		} `json:"candidates"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	for _, k := range c.Candidates {
		rules[k.Rule] = true
		if k.Severity == "" || len(k.Articles) == 0 || k.Explanation == "" || len(k.Evidence) == 0 {
			t.Errorf("incomplete candidate %+v", k)
		}
	}
	// The demo policy names JPush and Umeng but not Amap or Pangle, and does
	// not declare contacts: those must come out.
	for _, want := range []string{"sdk.undisclosed", "security.cleartext"} {
		if !rules[want] {
			t.Errorf("check did not find %s; got %v", want, rules)
		}
	}
	out, _, st = run(t, dir, "policy", "--json", pol)
	if st != ExitOK {
		t.Fatal("policy failed")
	}
	var p map[string]any
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"data_types", "permission_groups", "sdks", "elements", "sections"} {
		if _, ok := p[k]; !ok {
			t.Errorf("policy JSON lacks %q", k)
		}
	}
	// A broken policy file gives a clear error naming it.
	bad := filepath.Join(dir, "bad.pdf")
	os.WriteFile(bad, []byte("%PDF-1.4 truncated"), 0o644)
	if _, errs, st := run(t, dir, "policy", bad); st != ExitPartial || !strings.Contains(errs, "bad.pdf") {
		t.Errorf("broken policy: %d %q", st, errs)
	}
}

func TestCaseWorkflowCLI(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	data := filepath.Join(dir, "data")
	out, errs, st := run(t, data, "case", "new", "--apk", apkPath, "--policy", pol, "--subject", "示例科技有限公司", "--app-type", "38", "--json")
	if st != ExitOK {
		t.Fatalf("case new: %d %s", st, errs)
	}
	var c app.CaseJSON
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || c.Number == "" || len(c.Versions) != 1 || len(c.Candidates) == 0 || c.App.Package != "com.example.demoweather" {
		t.Fatalf("case new gave %+v", c)
	}
	cid := jsonID(t, out)
	if _, errs, st := run(t, data, "case", "mark", cid, "--article", "pipl/17", "--verdict", "violation", "--note", "未告知"); st != ExitOK {
		t.Fatalf("mark: %s", errs)
	}
	if _, errs, st := run(t, data, "case", "mark", cid, "--article", "no/such", "--verdict", "violation"); st != ExitPartial || !strings.Contains(errs, "no/such") {
		t.Errorf("mark of an unknown article: %d %q", st, errs)
	}
	if _, errs, st := run(t, data, "case", "status", cid, "--to", "closed_not_a_status"); st != ExitPartial {
		t.Errorf("bad status accepted: %s", errs)
	}
	out, errs, st = run(t, data, "case", "status", cid, "--to", "notice_issued", "--json")
	if st != ExitOK {
		t.Fatalf("status: %s", errs)
	}
	var s app.CaseJSON
	json.Unmarshal([]byte(out), &s)
	if s.Status != "notice_issued" || s.Deadline == nil {
		t.Errorf("after notice: %+v", s)
	}
	// The identical APK is refused: it is no new version.
	if _, errs, st := run(t, data, "case", "reinspect", cid, "--apk", apkPath, "--policy", pol); st == ExitOK ||
		!strings.Contains(errs, "identical") || !strings.Contains(errs, "demo.apk") {
		t.Fatalf("reinspect with the same APK: %d %q", st, errs)
	}
	// A rescan of a new build (re-inspection) keeps the inspector's verdict.
	spec, err := synth.DemoSpec()
	if err != nil {
		t.Fatal(err)
	}
	spec.VersionCode++
	spec.VersionName += ".1"
	b, err := synth.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	apk2 := filepath.Join(dir, "demo-2.apk")
	if err := os.WriteFile(apk2, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs, st := run(t, data, "case", "reinspect", cid, "--apk", apk2, "--policy", pol); st != ExitOK {
		t.Fatalf("reinspect: %s", errs)
	}
	out, _, _ = run(t, data, "case", "show", cid, "--json")
	var shown app.CaseJSON
	json.Unmarshal([]byte(out), &shown)
	found := false
	for _, m := range shown.Marks {
		if m.Article == "pipl/17" && m.Verdict == "violation" {
			found = true
		}
	}
	if !found || len(shown.Versions) != 2 {
		t.Errorf("after reinspection: versions %d, marks %+v", len(shown.Versions), shown.Marks)
	}
	// Verify is clean, then catches a tampered evidence file.
	if out, _, st := run(t, data, "verify"); st != ExitOK || !strings.Contains(out, "ok") {
		t.Errorf("verify: %d %s", st, out)
	}
	bundle := filepath.Join(dir, "case.zip")
	if _, errs, st := run(t, data, "case", "export", cid, "--out", bundle); st != ExitOK {
		t.Fatalf("export: %s", errs)
	}
	other := filepath.Join(dir, "other")
	// The other workstation does not know the sender's key: it shows the fingerprint and refuses.
	fp, _, _ := run(t, data, "verify", "--json")
	var vj struct {
		Key string `json:"key_fingerprint"`
	}
	json.Unmarshal([]byte(fp), &vj)
	if _, errs, st := run(t, other, "case", "import", bundle); st != ExitPartial || vj.Key == "" || !strings.Contains(errs, vj.Key) {
		t.Fatalf("import from an unknown key: %d %q (key %q)", st, errs, vj.Key)
	}
	if out, errs, st := run(t, other, "case", "import", bundle, "--trust", vj.Key, "--json"); st != ExitOK || !strings.Contains(out, c.Number) {
		t.Fatalf("import: %d %s %s", st, out, errs)
	}
	ev := shown.Evidence[0].Path
	if err := os.WriteFile(ev, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, st = run(t, data, "verify", "--json")
	if st != ExitPartial || !strings.Contains(out, shown.Evidence[0].SHA256) {
		t.Errorf("verify missed a tampered file: %d %s", st, out)
	}
	if _, errs, st := run(t, data, "backup", filepath.Join(dir, "bk")); st != ExitPartial {
		t.Errorf("backup of tampered data succeeded: %s", errs)
	}
}

func jsonID(t *testing.T, out string) string {
	t.Helper()
	var v struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.ID == 0 {
		t.Fatalf("no id in %s", out)
	}
	return strconv.FormatInt(v.ID, 10)
}

func TestArticlesAndCatalog(t *testing.T) {
	dir := t.TempDir()
	out, _, st := run(t, dir, "articles", "--json")
	if st != ExitOK || !strings.Contains(out, `"pipl/17"`) {
		t.Fatalf("articles: %d", st)
	}
	out, _, st = run(t, dir, "articles", "--lang", "en")
	if st != ExitOK || !strings.Contains(out, "[GAP]") {
		t.Errorf("articles text output has no gap marks")
	}
	out, _, st = run(t, dir, "catalog", "list")
	if st != ExitOK || !strings.Contains(out, "jpush") {
		t.Errorf("catalog list: %d", st)
	}
	bad := filepath.Join(dir, "ext.json")
	os.WriteFile(bad, []byte(`{"entries":[{"id":"x","signatures":{"packages":["com.a"]}}]}`), 0o644)
	if _, errs, st := run(t, dir, "catalog", "check", bad); st != ExitPartial || errs == "" {
		t.Errorf("catalog check accepted a too-generic prefix: %d %q", st, errs)
	}
}

// fakeADB writes a shell script that answers like adb with one device.
func fakeADB(t *testing.T) string {
	if runtime.GOOS == "windows" {
		t.Skip("the fake adb is a shell script")
	}
	p := filepath.Join(t.TempDir(), "adb")
	script := `#!/bin/sh
case "$*" in
  "devices -l") printf 'List of devices attached\nEMU123 device usb:1-1 product:p model:Pixel_7 device:d transport_id:1\nBAD456 unauthorized usb:1-2 transport_id:2\n' ;;
  *"shell getprop"*) printf '[ro.product.model]: [Pixel 7]\n[ro.product.brand]: [google]\n[ro.build.version.release]: [14]\n[ro.build.version.sdk]: [34]\n' ;;
  *) echo "error: unsupported by the fake: $*" >&2; exit 1 ;;
esac
`
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDeviceList(t *testing.T) {
	adb := fakeADB(t)
	dir := t.TempDir()
	out, errs, st := run(t, dir, "device", "list", "--adb", adb, "--json")
	if st != ExitOK {
		t.Fatalf("device list: %d %s", st, errs)
	}
	var d struct {
		Devices []struct {
			Serial, State, Model, AndroidVersion, Fix string
		} `json:"devices"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Devices) != 2 {
		t.Fatalf("devices: %+v", d.Devices)
	}
	for _, x := range d.Devices {
		if x.Serial == "BAD456" && (x.State != "unauthorized" || x.Fix == "") {
			t.Errorf("unauthorized device without a fix: %+v", x)
		}
	}
	// An injection attempt in the serial is refused before adb runs.
	if _, errs, st := run(t, dir, "device", "apps", "--adb", adb, "--serial", "x;rm -rf /"); st != ExitPartial || errs == "" {
		t.Errorf("bad serial accepted: %d", st)
	}
}

// TestCheckJSONDisclosures checks the disclosures[] contract of `check
// --json`: its keys, a span for every declared item (quoting the policy),
// and no undeclared candidate about a declared item.
func TestCheckJSONDisclosures(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	out, errs, st := run(t, dir, "check", "--json", "--policy", pol, apkPath)
	if st != ExitOK {
		t.Fatalf("check: %d %s", st, errs)
	}
	var raw struct {
		RulesVersion string           `json:"rules_version"`
		Disclosures  []map[string]any `json:"disclosures"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.RulesVersion == "" || len(raw.Disclosures) == 0 {
		t.Fatalf("rules_version %q, %d disclosures", raw.RulesVersion, len(raw.Disclosures))
	}
	for _, d := range raw.Disclosures {
		for _, k := range []string{"kind", "ref", "owner", "categories", "declared", "spans", "why"} {
			if _, ok := d[k]; !ok {
				t.Errorf("disclosure %v lacks %q", d, k)
			}
		}
	}
	var c struct {
		Candidates []struct {
			Rule     string `json:"rule"`
			Evidence []struct {
				Kind  string `json:"kind"`
				Ref   string `json:"ref"`
				Owner string `json:"owner"`
			} `json:"evidence"`
		} `json:"candidates"`
		Disclosures []struct {
			Kind     string `json:"kind"`
			Ref      string `json:"ref"`
			Owner    string `json:"owner"`
			Declared bool   `json:"declared"`
			Spans    []struct {
				Start int    `json:"start"`
				End   int    `json:"end"`
				Text  string `json:"text"`
			} `json:"spans"`
		} `json:"disclosures"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	nDecl := 0
	for _, d := range c.Disclosures {
		declared[d.Kind+":"+d.Owner+":"+d.Ref] = d.Declared
		if d.Declared {
			nDecl++
			if len(d.Spans) == 0 {
				t.Errorf("declared %s %s has no span", d.Kind, d.Ref)
			}
			for _, s := range d.Spans {
				if s.End <= s.Start || strings.TrimSpace(s.Text) == "" {
					t.Errorf("%s %s: span %+v", d.Kind, d.Ref, s)
				}
			}
		} else if len(d.Spans) != 0 {
			t.Errorf("undeclared %s %s has spans %v", d.Kind, d.Ref, d.Spans)
		}
	}
	if nDecl == 0 || nDecl == len(c.Disclosures) {
		t.Errorf("%d of %d disclosures declared: the demo has both kinds", nDecl, len(c.Disclosures))
	}
	for _, k := range c.Candidates {
		for _, e := range k.Evidence {
			key := ""
			switch {
			case k.Rule == "permission.undeclared" && e.Kind == "permission":
				key = "permission:app:" + e.Ref
			case k.Rule == "sdk.undisclosed" && e.Kind == "sdk":
				key = "sdk:" + e.Ref + ":" + e.Ref
			}
			if key == "" {
				continue
			}
			if d, ok := declared[key]; !ok || d {
				t.Errorf("%s about %s, but the disclosure is present=%v declared=%v", k.Rule, key, ok, d)
			}
		}
	}
}

// TestDevicePullAndApps drives `device apps` and `device pull --out`
// (Service.ListDeviceApps, Service.PullAPKs) through a fake adb.
func TestDevicePullAndApps(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake adb is a shell script")
	}
	adb := filepath.Join(t.TempDir(), "adb")
	script := `#!/bin/sh
case "$*" in
  "devices -l") printf 'List of devices attached\nEMU123 device usb:1-1 product:p model:Pixel_7 device:d transport_id:1\n' ;;
  *"shell getprop"*) printf '[ro.product.model]: [Pixel 7]\n[ro.build.version.sdk]: [34]\n' ;;
  *"pm list packages -f --show-versioncode -3"*) printf 'package:/data/app/com.example.demo-1/base.apk=com.example.demo versionCode:7\n' ;;
  *"pm list packages -3"*) printf 'package:com.example.demo\n' ;;
  *"dumpsys package packages"*) ;;
  *"pm path com.example.demo"*) printf 'package:/data/app/com.example.demo-1/base.apk\npackage:/data/app/com.example.demo-1/split_config.arm64_v8a.apk\n' ;;
  *"shell stat -c %s"*) printf '5\n5\n' ;;
  *" pull "*) for last; do :; done; printf 'hello' > "$last" ;;
  *) echo "error: unsupported by the fake: $*" >&2; exit 1 ;;
esac
`
	if err := os.WriteFile(adb, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, errs, st := run(t, dir, "device", "apps", "--adb", adb, "--json")
	if st != ExitOK {
		t.Fatalf("device apps: %d %s", st, errs)
	}
	var apps struct {
		Apps []struct {
			Package     string `json:"package"`
			VersionCode int64  `json:"version_code"`
		} `json:"apps"`
	}
	if err := json.Unmarshal([]byte(out), &apps); err != nil || len(apps.Apps) != 1 || apps.Apps[0].Package != "com.example.demo" {
		t.Fatalf("device apps: %v %s", err, out)
	}
	dst := filepath.Join(t.TempDir(), "pulled")
	out, errs, st = run(t, dir, "device", "pull", "com.example.demo", "--adb", adb, "--out", dst, "--json")
	if st != ExitOK {
		t.Fatalf("device pull --out: %d %s", st, errs)
	}
	var pulled struct {
		Files []string `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &pulled); err != nil || len(pulled.Files) != 2 {
		t.Fatalf("device pull --out: %v %s", err, out)
	}
	for _, f := range pulled.Files {
		if b, err := os.ReadFile(f); err != nil || string(b) != "hello" || filepath.Dir(f) != dst {
			t.Errorf("pulled file %s: %q %v", f, b, err)
		}
	}
	// A package name that could reach the shell is refused.
	if _, errs, st := run(t, dir, "device", "pull", "com.x;reboot", "--adb", adb, "--out", dst); st != ExitPartial || errs == "" {
		t.Errorf("bad package accepted: %d %s", st, errs)
	}
}

// TestCheckUnknownAppType: an app type outside the 39-type table is a usage
// error naming it, before any scan.
func TestCheckUnknownAppType(t *testing.T) {
	dir := t.TempDir()
	_, errs, st := run(t, dir, "check", "--app-type", "999", filepath.Join(dir, "missing.apk"))
	if st != ExitUsage || !strings.Contains(errs, `app type "999" is not in the 39-type table`) {
		t.Fatalf("check --app-type 999: %d %q", st, errs)
	}
}
