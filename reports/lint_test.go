package reports

import (
	"bytes"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/reports/doclint"
)

// articleIDRE matches the catalog's internal article ids ("pipl/17").
var articleIDRE = doclint.ArticleID

// ruleIDRE matches rule ids and rule families.
func ruleIDRE(t testing.TB) *regexp.Regexp {
	if len(rules.All()) == 0 {
		t.Fatal("no rules registered")
	}
	return doclint.RuleID()
}

// lintDoc returns the problems of a document's text (see doclint.Lint).
func lintDoc(t testing.TB, lang, text string, allow []string) []string {
	return doclint.Lint(lang, text, allow)
}

// allowedNames are the proper names and quoted originals an English notice
// may print in Chinese.
func allowedNames(in NoticeInput) []string {
	a := []string{in.Subject.Name, in.Subject.Address, in.App.Name, in.Authority.Name, in.Authority.Address, in.Authority.Contact, in.Case.Number}
	a = append(a, in.Inspectors...)
	for _, v := range in.Violations {
		a = append(a, v.Subject, v.Citation.TextZH)
		if v.Citation.DocTitleEN == "" {
			a = append(a, "《"+v.Citation.DocTitleZH+"》")
		}
	}
	return a
}

// TestNoticeLint renders every template in both languages and lints the
// text; the notice must come out clean.
func TestNoticeLint(t *testing.T) {
	for _, lang := range []string{LangZH, LangEN} {
		for _, tm := range Templates {
			in := sampleNotice(t, lang, tm, goldenShots(t))
			if lang == LangEN {
				for i := range in.Violations {
					in.Violations[i].Statement, in.Violations[i].Summary, in.Violations[i].Rectification = "", nil, ""
					in.Violations[i].Behaviour = "The app reads a device identifier before the user consents."
				}
			}
			var buf bytes.Buffer
			if err := Notice(&buf, in); err != nil {
				t.Fatal(err)
			}
			for _, p := range lintDoc(t, lang, pdftotext(t, buf.Bytes()), allowedNames(in)) {
				t.Errorf("%s %s: %s", lang, tm, p)
			}
		}
	}
}

// TestTwoFindingsFourPages: a notice with two findings fits in four pages,
// attachment included.
func TestTwoFindingsFourPages(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("pdfinfo (poppler-utils) not installed")
	}
	for _, lang := range []string{LangZH, LangEN} {
		in := sampleNotice(t, lang, TemplateRegulator, goldenShots(t))
		in.Violations = in.Violations[:2]
		var buf bytes.Buffer
		if err := Notice(&buf, in); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(pdftotext(t, buf.Bytes()), "\f"); n > 4 {
			t.Errorf("%s: two findings take %d pages", lang, n)
		}
	}
}

// TestNoticeAddresseeByKind: the opening names what was inspected by the
// addressee's kind; an SDK provider is not told it operates the app.
func TestNoticeAddresseeByKind(t *testing.T) {
	for _, k := range cases.SubjectKinds {
		in := sampleNotice(t, LangZH, TemplateRegulator, nil)
		in.Subject.Kind = k
		in.Violations = in.Violations[:1]
		var buf bytes.Buffer
		if err := Notice(&buf, in); err != nil {
			t.Fatal(err)
		}
		flat := stripSpace(pdftotext(t, buf.Bytes()))
		if (k == cases.AppOperator) != strings.Contains(flat, "你单位运营的") {
			t.Errorf("%s: operator wording %v", k, strings.Contains(flat, "你单位运营的"))
		}
		if want := stripSpace(textsFor(TemplateRegulator, LangZH).Ask[k]); !strings.Contains(flat, want) {
			t.Errorf("%s: ask %q missing", k, want)
		}
	}
}

// TestTemplatesDiffer: agency and association documents differ from the
// regulator's in title, legal basis and wording, and a configured legal
// basis replaces the default.
func TestTemplatesDiffer(t *testing.T) {
	texts := map[Template]string{}
	for _, tm := range Templates {
		in := sampleNotice(t, LangZH, tm, nil)
		var buf bytes.Buffer
		if err := Notice(&buf, in); err != nil {
			t.Fatal(err)
		}
		texts[tm] = stripSpace(pdftotext(t, buf.Bytes()))
	}
	for _, tm := range Templates {
		tt := textsFor(tm, LangZH)
		for _, want := range []string{tt.Title, tt.Basis, tt.Ask[cases.AppOperator]} {
			if !strings.Contains(texts[tm], stripSpace(want)) {
				t.Errorf("%s lacks %q", tm, want)
			}
		}
		for _, other := range Templates {
			if other != tm && strings.Contains(texts[other], stripSpace(tt.Basis)) {
				t.Errorf("%s prints the legal basis of %s", other, tm)
			}
		}
	}
	if strings.Contains(texts[TemplateAgency], "责令") || strings.Contains(texts[TemplateAssociation], "责令") {
		t.Error("agency or association orders (责令) like a regulator")
	}
	in := sampleNotice(t, LangZH, TemplateAgency, nil)
	in.Authority.LegalBasis = map[Template]string{TemplateAgency: "本机构经国家认证认可监督管理委员会批准（CMA）开展检测。"}
	var buf bytes.Buffer
	if err := Notice(&buf, in); err != nil {
		t.Fatal(err)
	}
	flat := stripSpace(pdftotext(t, buf.Bytes()))
	if !strings.Contains(flat, "本机构经国家认证认可监督管理委员会批准（CMA）开展检测。") || strings.Contains(flat, stripSpace(textsFor(TemplateAgency, LangZH).Basis)) {
		t.Error("configured legal basis not used")
	}
}

// TestIntegrityFooter: the chain head and key fingerprint are printed on
// every page when given, and nothing when empty.
func TestIntegrityFooter(t *testing.T) {
	in := sampleNotice(t, LangZH, TemplateRegulator, nil)
	in.Integrity = Integrity{ChainHead: "c0ffee12", KeyFingerprint: "ed25519:4f2a"}
	var buf bytes.Buffer
	if err := Notice(&buf, in); err != nil {
		t.Fatal(err)
	}
	txt := pdftotext(t, buf.Bytes())
	pages := strings.Count(txt, "\f")
	if n := strings.Count(txt, "审计链头 c0ffee12"); n != pages || !strings.Contains(txt, "签名密钥指纹 ed25519:4f2a") {
		t.Errorf("chain head on %d of %d pages", n, pages)
	}
	in.Integrity = Integrity{}
	buf.Reset()
	if err := Notice(&buf, in); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pdftotext(t, buf.Bytes()), "审计链头") {
		t.Error("empty integrity printed")
	}
}

// TestReportNoInternalIDs: the inspection report names articles and rules
// in words, not by internal ids (raw evidence it lists is exempt from the
// word checks, which apply to the notice).
func TestReportNoInternalIDs(t *testing.T) {
	re := ruleIDRE(t)
	for _, lang := range []string{LangZH, LangEN} {
		txt := pdftotext(t, renderReport(t, lang))
		if m := articleIDRE.FindAllString(txt, -1); len(m) > 0 {
			t.Errorf("%s report prints article ids %v", lang, m)
		}
		if m := re.FindAllString(txt, -1); len(m) > 0 {
			t.Errorf("%s report prints rule ids %v", lang, m)
		}
	}
}

// TestNoticeFlagsCatalogFidelity: a quoted text whose punctuation the
// catalog restored, or that is in traditional characters, is marked so.
func TestNoticeFlagsCatalogFidelity(t *testing.T) {
	in := sampleNotice(t, LangZH, TemplateRegulator, nil)
	in.Violations = []Violation{{ItemID: "n26/6", Citation: cite(t, "n26/6"), Severity: cases.SeverityLow, Statement: "应用频繁自启动。"}}
	var buf bytes.Buffer
	if err := Notice(&buf, in); err != nil {
		t.Fatal(err)
	}
	flat := stripSpace(pdftotext(t, buf.Bytes()))
	for _, want := range []string{L(LangZH, "trad_marker"), L(LangZH, "punct_marker"), stripSpace(cite(t, "n26/6").TextZH)} {
		if !strings.Contains(flat, stripSpace(want)) {
			t.Errorf("notice lacks %q", want)
		}
	}
}

// troubledReport is the sample report with what the issue found in a real
// one: permission names longer than their column, protection levels with
// flags, an SDK category the old table did not name, and an SDK catalog
// category unknown to the tables.
func troubledReport(t testing.TB, lang string) ReportInput {
	in := sampleReport(t, lang)
	scan := *in.Scan
	scan.Permissions = append(append([]inspect.Permission(nil), scan.Permissions...),
		inspect.Permission{Name: "android.permission.ACCESS_COARSE_LOCATION", Protection: "dangerous|instant", Dangerous: true, Categories: []pi.Category{pi.Location}, ZH: "大致位置", EN: "approximate location"},
		inspect.Permission{Name: "android.permission.ACCESS_NETWORK_STATE", Protection: "normal|instant", ZH: "获取网络状态", EN: "view network connections"},
		inspect.Permission{Name: "android.permission.REQUEST_IGNORE_BATTERY_OPTIMIZATIONS", Protection: "normal", ZH: "忽略电池优化", EN: "ask to ignore battery optimisations"},
		inspect.Permission{Name: "com.example.shop.permission.JPUSH_MESSAGE_RECEIVER_PROTECTED", Protection: "custom", ZH: "", EN: ""},
		inspect.Permission{Name: "android.permission.BIND_NOTIFICATION_LISTENER_SERVICE", Protection: "signature|privileged|knownSigner|someFutureFlag"})
	in.Scan = &scan
	in.SDKs = append(append([]SDKRow(nil), in.SDKs...),
		SDKRow{Name: "移动安全联盟 OAID SDK（MSA）", Vendor: "中国信息通信研究院", Category: "oaid", Collects: []pi.Category{pi.DeviceID}, Used: true},
		SDKRow{Name: "示例热修复", Vendor: "示例公司", Category: "some_new_category"})
	in.Timeline = append(append([]TimelineEvent(nil), in.Timeline...), TimelineEvent{Time: fixedNow, Kind: "dns_query", Detail: "example.com"})
	in.Marks = append(append([]MarkRow(nil), in.Marks...), MarkRow{ItemID: "pipl/66", Citation: cite(t, "pipl/66"), Verdict: cases.VerdictViolation, Category: "some_topic"})
	in.Matrix = append(append([]MatrixRow(nil), in.Matrix...), MatrixRow{Category: pi.Location,
		Requested: []string{"android.permission.ACCESS_COARSE_LOCATION", "android.permission.ACCESS_FINE_LOCATION"}})
	return in
}

// reportAllowed are the proper names and quoted originals an English report
// may print in Chinese: names of the parties and the app, SDK names and
// vendors, policy excerpts, quoted article texts and titles of documents
// without an English title, the inspectors' own notes and device records.
func reportAllowed(in ReportInput) []string {
	a := []string{in.Subject.Name, in.Subject.Address, in.App.Name, in.Authority.Name, in.Authority.Address, in.Authority.Contact, in.Case.Number}
	a = append(a, in.Case.Inspectors...)
	for _, s := range in.SDKs {
		a = append(a, s.Name, s.Vendor)
	}
	for _, e := range in.PolicyElements {
		a = append(a, e.Excerpt)
	}
	for _, m := range in.Matrix {
		a = append(a, m.Excerpt)
	}
	for _, e := range in.Timeline {
		a = append(a, e.Detail)
	}
	for _, m := range in.Marks {
		c := markCitation(m)
		a = append(a, m.Note, m.Inspector, m.Subject, m.Behaviour, m.Statement, m.Rectification, c.TextZH)
		if c.DocTitleEN == "" {
			a = append(a, "《"+c.DocTitleZH+"》")
		}
	}
	for _, c := range in.Candidates {
		a = append(a, c.Title, c.Explanation)
	}
	return a
}

// lintReportText finds, beyond lintDoc, what the issue found in the
// inspection report: internal SDK and API ids (as whole tokens: the SDK id
// "amap" inside the package com.amap.api is evidence, "amap:" is not),
// raw protection levels and SDK categories, and permission names that do
// not appear whole (cut or wrapped inside a table cell).
func lintReportText(t testing.TB, in ReportInput, text string, whole bool) []string {
	probs := lintDoc(t, in.Lang, text, reportAllowed(in))
	ids := map[string]string{}
	for _, s := range in.Scan.SDKs {
		ids[s.ID] = "SDK id"
	}
	for _, a := range in.Scan.APIs {
		ids[a.ID] = "API id"
	}
	for _, p := range in.Scan.Permissions {
		if p.Protection != "" && (in.Lang == LangZH || strings.Contains(p.Protection, "|")) {
			ids[p.Protection] = "raw protection level"
		}
	}
	if in.Lang == LangZH {
		for _, s := range in.SDKs {
			ids[s.Category] = "raw SDK category"
		}
	}
	probs = append(probs, doclint.IDs(text, ids)...)
	raws := []string{"some_new_category", "some_topic"}
	if in.Lang == LangZH {
		raws = append(raws, "dns_query") // an event kind the tables do not know
	}
	for _, raw := range raws {
		if strings.Contains(text, raw) {
			probs = append(probs, "raw category: "+raw)
		}
	}
	if whole {
		names := []string{}
		for _, p := range in.Scan.Permissions {
			names = append(names, p.Name)
		}
		for _, m := range in.Matrix {
			names = append(names, m.Requested...)
		}
		probs = append(probs, doclint.Whole(text, names)...)
	}
	return probs
}

// TestReportLint renders the inspection report in both languages and lints
// its text (pdftotext): no internal ids, raw enum values, English debug
// words in Chinese or Chinese leftovers in English, and every permission
// name whole on one line.
func TestReportLint(t *testing.T) {
	for _, lang := range []string{LangZH, LangEN} {
		in := troubledReport(t, lang)
		var buf bytes.Buffer
		if err := Report(&buf, in); err != nil {
			t.Fatal(err)
		}
		for _, p := range lintReportText(t, in, pdftotext(t, buf.Bytes()), true) {
			t.Errorf("%s report: %s", lang, p)
		}
	}
}

// TestXLSXLint lints the text of every sheet of the XLSX export the same way.
func TestXLSXLint(t *testing.T) {
	for _, lang := range []string{LangZH, LangEN} {
		in := troubledReport(t, lang)
		var buf bytes.Buffer
		if err := XLSX(&buf, in); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				cells = append(cells, r...)
			}
		}
		f.Close()
		for _, p := range lintReportText(t, in, strings.Join(cells, "\n"), true) {
			t.Errorf("%s xlsx: %s", lang, p)
		}
	}
}

// TestCallSitesNotCut: the report lists every call site of an API; the
// workbook, whose cells hold at most 32767 characters, lists as many as fit
// and counts the rest.
func TestCallSitesNotCut(t *testing.T) {
	in := sampleReport(t, LangZH)
	scan := *in.Scan
	api := scan.APIs[0]
	api.Callers = nil
	for i := 0; i < 8; i++ {
		api.Callers = append(api.Callers, inspect.Caller{Class: fmt.Sprintf("com.example.shop.util.DeviceUtil%d", i), Method: "imei", Owner: "app"})
	}
	scan.APIs = []inspect.APIUse{api}
	in.Scan = &scan
	var buf bytes.Buffer
	if err := Report(&buf, in); err != nil {
		t.Fatal(err)
	}
	txt := pdftotext(t, buf.Bytes())
	for _, c := range api.Callers {
		if !strings.Contains(txt, c.Class+"#"+c.Method) {
			t.Errorf("report lacks call site %s#%s", c.Class, c.Method)
		}
	}
	api.Callers = nil
	for i := 0; i < 3000; i++ {
		api.Callers = append(api.Callers, inspect.Caller{Class: fmt.Sprintf("com.example.shop.generated.Class%04d", i), Method: "imei", Owner: "app"})
	}
	scan.APIs = []inspect.APIUse{api}
	rows := apiRows(LangZH, &scan, xlsxCellMax)
	cell := rows[len(rows)-1][3]
	lines := strings.Split(cell, "\n")
	var more int
	if _, err := fmt.Sscanf(lines[len(lines)-1], "… (+%d)", &more); err != nil || len([]rune(cell)) > xlsxCellMax || len(lines)-1+more != 3000 {
		t.Errorf("workbook cell: %d characters, %d sites listed, last line %q", len([]rune(cell)), len(lines)-1, lines[len(lines)-1])
	}
	if err := XLSX(&bytes.Buffer{}, in); err != nil {
		t.Fatal(err)
	}
}
