package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/app"
)

func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestSettingsCommand: settings shows every key, sets one, refuses bad
// values naming the problem, and prints JSON.
func TestSettingsCommand(t *testing.T) {
	data := t.TempDir()
	out, errs, st := run(t, data, "settings")
	if st != ExitOK {
		t.Fatalf("settings: %d %s", st, errs)
	}
	for _, k := range []string{"issuer ", "issuer_address", "issuer_contact", "inspector", "timezone", "legal_basis_agency"} {
		if !strings.Contains(out, k) {
			t.Errorf("settings lacks %q:\n%s", k, out)
		}
	}
	if !strings.Contains(out, "Asia/Shanghai") {
		t.Errorf("default time zone not shown:\n%s", out)
	}
	if _, errs, st := run(t, data, "settings", "set", "timezone", "Mars/Olympus"); st == ExitOK || !strings.Contains(errs, "Mars/Olympus") {
		t.Errorf("bad zone accepted: %d %s", st, errs)
	}
	if _, errs, st := run(t, data, "settings", "set", "colour", "red"); st == ExitOK || !strings.Contains(errs, "unknown key") {
		t.Errorf("unknown key accepted: %d %s", st, errs)
	}
	for kv := range map[[2]string]bool{{"issuer", "某省通信管理局"}: true, {"issuer_address", "某市某路1号"}: true, {"issuer_contact", "陈科长"}: true,
		{"inspector", "张三"}: true, {"timezone", "UTC"}: true} {
		if _, errs, st := run(t, data, "settings", "set", kv[0], kv[1]); st != ExitOK {
			t.Fatalf("set %s: %s", kv[0], errs)
		}
	}
	out, _, _ = run(t, data, "settings", "--json")
	var m map[string]string
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m["issuer"] != "某省通信管理局" || m["issuer_contact"] != "陈科长" || m["inspector"] != "张三" || m["timezone"] != "UTC" {
		t.Errorf("settings JSON %v", m)
	}
	// Persisted in settings.json.
	b, _ := os.ReadFile(filepath.Join(data, app.SettingsFile))
	if !strings.Contains(string(b), "某省通信管理局") {
		t.Errorf("settings.json: %s", b)
	}
}

// TestNoticeIdentityAndStatement follows a case from creation to notice:
// no inspector is invented; a notice without issuer or inspector is
// refused naming both; marking a violation drafts a plain-language
// statement stored with the mark and editable; the notice prints the
// inspector, the statement and times in the configured zone.
func TestNoticeIdentityAndStatement(t *testing.T) {
	data := t.TempDir()
	t.Setenv("USER", "osuser")
	apk, pol := demoFiles(t, data)
	out, errs, st := run(t, data, "case", "new", "--apk", apk, "--policy", pol, "--json")
	if st != ExitOK {
		t.Fatalf("case new: %s", errs)
	}
	var c struct {
		ID         int64    `json:"id"`
		Inspectors []string `json:"inspectors"`
		Marks      []struct {
			ItemID    string `json:"article"`
			Statement string `json:"statement"`
		} `json:"marks"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(c.Inspectors) != 0 {
		t.Errorf("case without --inspector or setting records %v", c.Inspectors)
	}
	if len(c.Marks) == 0 {
		t.Fatal("demo case has no suggested marks")
	}
	cid := jsonID(t, out)
	item := "pipl/17"
	if _, errs, st := run(t, data, "case", "mark", cid, "--article", item, "--verdict", "violation", "--severity", "high", "--inspector", "张三"); st != ExitOK {
		t.Fatalf("mark: %s", errs)
	}
	out, _, _ = run(t, data, "case", "show", cid, "--json")
	stmt := markStatement(t, out, item)
	if stmt == "" || !strings.HasPrefix(stmt, "经检测，") {
		t.Errorf("no drafted statement on the violation: %q", stmt)
	}
	pdf := filepath.Join(data, "notice.pdf")
	_, errs, st = run(t, data, "notice", cid, "--out", pdf)
	if st == ExitOK || !strings.Contains(errs, "issuer") || !strings.Contains(errs, "inspector") || !strings.Contains(errs, "发文单位") {
		t.Fatalf("notice without issuer/inspector: status %d, %q", st, errs)
	}
	if _, err := os.Stat(pdf); err == nil {
		t.Error("a refused notice left a file")
	}
	run(t, data, "settings", "set", "issuer", "某省通信管理局")
	if _, errs, _ = run(t, data, "notice", cid, "--out", pdf); !strings.Contains(errs, "inspector") || strings.Contains(errs, "issuer and") {
		t.Errorf("with issuer only: %q", errs)
	}
	run(t, data, "settings", "set", "inspector", "李四")
	// The inspector edits the statement.
	edited := "应用在用户同意隐私政策前读取设备标识，隐私政策未说明其目的。"
	if _, errs, st := run(t, data, "case", "mark", cid, "--article", item, "--verdict", "violation", "--severity", "high", "--statement", edited, "--inspector", "张三"); st != ExitOK {
		t.Fatalf("edit statement: %s", errs)
	}
	// A later mark without --statement keeps it.
	run(t, data, "case", "mark", cid, "--article", item, "--verdict", "violation", "--severity", "high", "--note", "复测", "--inspector", "张三")
	out, _, _ = run(t, data, "case", "show", cid, "--json")
	if got := markStatement(t, out, item); got != edited {
		t.Errorf("statement after re-mark = %q", got)
	}
	if _, errs, st = run(t, data, "notice", cid, "--out", pdf); st != ExitOK {
		t.Fatalf("notice: %s", errs)
	}
	txt := strings.Join(strings.Fields(pdfText(t, pdf)), "")
	for _, want := range []string{"某省通信管理局", "检测人员：李四", strings.Join(strings.Fields(edited), "")} {
		if !strings.Contains(txt, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	for _, bad := range []string{"osuser", "inspector", "暂无条文", "api.undeclared", "consent.element_missing", "pipl/17"} {
		if strings.Contains(txt, bad) {
			t.Errorf("notice prints %q", bad)
		}
	}
	if os.Getenv("H18_KEEP") != "" {
		b, _ := os.ReadFile(pdf)
		os.WriteFile(os.Getenv("H18_KEEP"), b, 0o644)
		run(t, data, "notice", cid, "--out", os.Getenv("H18_KEEP")+".en.pdf", "--lang", "en")
		run(t, data, "report", cid, "--out", os.Getenv("H18_KEEP")+".report.pdf")
	}
	// --inspector on case new records the inspector.
	out, errs, st = run(t, data, "case", "new", "--apk", apk, "--inspector", "王五", "--json")
	if st != ExitOK {
		t.Fatalf("case new --inspector: %s", errs)
	}
	var c2 struct {
		Inspectors []string `json:"inspectors"`
	}
	json.Unmarshal([]byte(out), &c2)
	if strings.Join(c2.Inspectors, ",") != "王五" {
		t.Errorf("case new --inspector recorded %v", c2.Inspectors)
	}
}

func markStatement(t *testing.T, out, item string) string {
	t.Helper()
	var v struct {
		Marks []struct {
			ItemID    string `json:"article"`
			Statement string `json:"statement"`
		} `json:"marks"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	for _, m := range v.Marks {
		if m.ItemID == item {
			return m.Statement
		}
	}
	return ""
}

// TestParseTimeInSettingZone: a bare time means the timezone setting's
// wall clock, so 16:50 typed is 16:50 printed (not 00:50 or 08:50).
func TestParseTimeInSettingZone(t *testing.T) {
	loc, err := app.LoadZone("")
	if err != nil {
		t.Fatal(err)
	}
	at, err := parseTime("2026-03-02 16:50:00", loc)
	if err != nil {
		t.Fatal(err)
	}
	if got := at.UTC().Format("15:04"); got != "08:50" {
		t.Errorf("16:50 Beijing time parsed as %s UTC", got)
	}
	if got := at.In(loc).Format("15:04"); got != "16:50" {
		t.Errorf("printed back as %s", got)
	}
	if _, err := app.LoadZone("Local"); err == nil {
		t.Error("the machine's Local zone accepted as a setting")
	}
}

// TestNoticeDigestSameInBothLanguages: the evidence digest ties the notice
// to the case record, whatever the document's language.
func TestNoticeDigestSameInBothLanguages(t *testing.T) {
	data := t.TempDir()
	apk, pol := demoFiles(t, data)
	out, errs, st := run(t, data, "case", "new", "--apk", apk, "--policy", pol, "--inspector", "张三", "--json")
	if st != ExitOK {
		t.Fatalf("case new: %s", errs)
	}
	cid := jsonID(t, out)
	run(t, data, "settings", "set", "issuer", "某省通信管理局")
	run(t, data, "case", "mark", cid, "--article", "pipl/17", "--verdict", "violation", "--severity", "high", "--inspector", "张三")
	digest := func(lang string) string {
		p := filepath.Join(data, lang+".pdf")
		if _, errs, st := run(t, data, "notice", cid, "--out", p, "--lang", lang); st != ExitOK {
			t.Fatalf("notice %s: %s", lang, errs)
		}
		txt := pdfText(t, p)
		i := strings.Index(txt, "SHA-256 ")
		if i < 0 {
			t.Fatalf("%s: no digest", lang)
		}
		return strings.Fields(txt[i+8:])[0]
	}
	if zh, en := digest("zh"), digest("en"); zh != en {
		t.Errorf("digest zh %s, en %s", zh, en)
	}
}
