package reports

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/appinspect/appinspect/cases"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenShots are small screenshots so the golden files stay small.
func goldenShots(t testing.TB) [][]byte {
	return [][]byte{screenshot(t, 216, 480, 1), screenshot(t, 216, 480, 2)}
}

func renderNotice(t testing.TB, lang string, tm Template) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Notice(&buf, sampleNotice(t, lang, tm, goldenShots(t))); err != nil {
		t.Fatalf("notice %s %s: %v", lang, tm, err)
	}
	return buf.Bytes()
}

func renderReport(t testing.TB, lang string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Report(&buf, sampleReport(t, lang)); err != nil {
		t.Fatalf("report %s: %v", lang, err)
	}
	return buf.Bytes()
}

// TestGolden compares every document byte for byte with testdata/golden
// (go test -update rewrites them). fpdf's output is byte-stable once image
// widths are unique (see prepareImages).
func TestGolden(t *testing.T) {
	docs := map[string]func() []byte{}
	for _, lang := range []string{LangZH, LangEN} {
		for _, tm := range Templates {
			docs[fmt.Sprintf("notice_%s_%s.pdf", lang, tm)] = func() []byte { return renderNotice(t, lang, tm) }
		}
		docs["report_"+lang+".pdf"] = func() []byte { return renderReport(t, lang) }
	}
	for name, render := range docs {
		t.Run(name, func(t *testing.T) {
			got := render()
			if again := render(); !bytes.Equal(got, again) {
				t.Fatal("two renderings in one process differ")
			}
			path := filepath.Join("testdata", "golden", name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (%d vs %d bytes); inspect it and run go test -update if intended", name, len(got), len(want))
			}
		})
	}
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

var footerRE = regexp.MustCompile(`^(Page \d+ of \d+|第\s*\d+\s*页\s*共\s*\d+\s*页)$`)

func TestNoticeText(t *testing.T) {
	pipl17 := stripSpace(cite(t, "pipl/17").TextZH)
	for _, tc := range []struct {
		lang  string
		tm    Template
		title string
		pages *regexp.Regexp
	}{
		{LangZH, TemplateRegulator, "整改通知书", regexp.MustCompile(`第\s*1\s*页\s*共\s*(\d+)\s*页`)},
		{LangZH, TemplateAgency, "检测报告", regexp.MustCompile(`第\s*1\s*页\s*共\s*(\d+)\s*页`)},
		{LangZH, TemplateAssociation, "自律审查意见", regexp.MustCompile(`第\s*1\s*页\s*共\s*(\d+)\s*页`)},
		{LangEN, TemplateRegulator, "Rectification Notice", regexp.MustCompile(`Page 1 of (\d+)`)},
		{LangEN, TemplateAgency, "Test Report", regexp.MustCompile(`Page 1 of (\d+)`)},
		{LangEN, TemplateAssociation, "Self-Discipline Review Opinion", regexp.MustCompile(`Page 1 of (\d+)`)},
	} {
		t.Run(tc.lang+"_"+string(tc.tm), func(t *testing.T) {
			in := sampleNotice(t, tc.lang, tc.tm, goldenShots(t))
			var buf bytes.Buffer
			if err := Notice(&buf, in); err != nil {
				t.Fatal(err)
			}
			txt := pdftotext(t, buf.Bytes())
			// Drop the running header and footer, so text that continues on
			// the next page is compared as one piece.
			var body []string
			furniture := []string{TemplateTitle(tc.tm, tc.lang) + "  " + in.Case.Number, L(tc.lang, "doc_number") + " " + in.Case.Number,
				L(tc.lang, "digest") + " SHA-256 "}
			for _, ln := range strings.Split(strings.ReplaceAll(txt, "\f", "\n"), "\n") {
				drop := footerRE.MatchString(strings.TrimSpace(ln))
				for _, f := range furniture {
					if strings.HasPrefix(strings.TrimSpace(ln), f) {
						drop = true
					}
				}
				if !drop {
					body = append(body, ln)
				}
			}
			flat := stripSpace(strings.Join(body, "\n"))
			for _, want := range []string{tc.title, "北京示例科技有限公司", "91110108MA01ABCD2X", "〔2026〕第0007号", pipl17,
				stripSpace(cite(t, "pipl/13").TextZH), "com.example.shop"} {
				if !strings.Contains(flat, stripSpace(want)) {
					t.Errorf("text lacks %q", want)
				}
			}
			if !strings.Contains(stripSpace(txt), EvidenceDigest(in.Violations)) {
				t.Error("evidence digest missing")
			}
			// A citation without text is cited by name and number, with no
			// placeholder standing in for the text.
			for _, ph := range []string{"暂无条文", "text not available", "条文缺失", "Text not available", "请导入"} {
				if strings.Contains(txt, ph) {
					t.Errorf("placeholder %q printed", ph)
				}
			}
			if !strings.Contains(flat, stripSpace(citationHeading(tc.lang, in.Violations[3].Citation))) {
				t.Errorf("gap article not cited by name and number: %q", citationHeading(tc.lang, in.Violations[3].Citation))
			}
			// The plain-language statement and the evidence summary are printed.
			for _, want := range []string{in.Violations[0].Statement, in.Violations[0].Summary[0]} {
				if !strings.Contains(flat, stripSpace(want)) {
					t.Errorf("text lacks %q", want)
				}
			}
			// The seal image is the seal: no "(seal)" line under it.
			if seal := L(tc.lang, "seal"); tc.tm == TemplateRegulator && strings.Contains(txt, seal) {
				t.Errorf("%q printed under the seal image", seal)
			}
			// One deadline sentence, counted from the issue date as the workflow does.
			if tc.lang == LangZH && (strings.Contains(flat, "送达之日") || !strings.Contains(flat, "发文当日不计入") && tc.tm == TemplateRegulator) {
				t.Error("deadline sentence does not state the workflow's rule (from the issue date)")
			}
			m := tc.pages.FindStringSubmatch(txt)
			if m == nil {
				t.Fatalf("no page x of y footer in:\n%s", txt[:min(len(txt), 500)])
			}
			if m[1] == "{nb}" || m[1] == "0" {
				t.Errorf("page count alias not replaced: %q", m[0])
			}
			last := strings.Replace(strings.Replace(tc.pages.String(), `1`, m[1], 1), `(\d+)`, m[1], 1)
			if !regexp.MustCompile(last).MatchString(txt) {
				t.Errorf("no footer for the last page %s", m[1])
			}
			// The deadline: 10 working days after Monday 9 March 2026 is Monday 23 March.
			date := map[string]string{LangZH: "2026年3月23日", LangEN: "23 March 2026"}[tc.lang]
			if !strings.Contains(txt, date) {
				t.Errorf("deadline %s missing", date)
			}
		})
	}
}

func TestReportText(t *testing.T) {
	for _, lang := range []string{LangZH, LangEN} {
		txt := pdftotext(t, renderReport(t, lang))
		flat := stripSpace(txt)
		for _, want := range []string{L(lang, "report_title"), L(lang, "r_perms"), L(lang, "r_sdks"), L(lang, "r_apis"),
			L(lang, "r_policy"), L(lang, "r_matrix"), L(lang, "r_timeline"), L(lang, "r_marks"), L(lang, "chart_viol"), L(lang, "chart_sdk"),
			"android.permission.READ_PHONE_STATE", "每日互动股份有限公司", "com.igexin.push.core.a#b", "2026-03-0210:15:03",
			cite(t, "pipl/17").TextZH, "SDK 在同意前收集个人信息"} {
			if !strings.Contains(flat, stripSpace(want)) {
				t.Errorf("%s: report text lacks %q", lang, want)
			}
		}
	}
}

func TestNoticeRejectsBadInput(t *testing.T) {
	in := sampleNotice(t, LangZH, "mayor", nil)
	if err := Notice(&bytes.Buffer{}, in); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown template: err = %v, want ErrInvalid", err)
	}
	in = sampleNotice(t, LangZH, TemplateRegulator, nil)
	in.Violations[0].Evidence = append(in.Violations[0].Evidence, EvidenceItem{Kind: EvidenceScreenshot, Image: []byte("not a png")})
	if err := Notice(&bytes.Buffer{}, in); err == nil {
		t.Error("a broken screenshot was accepted")
	}
}

func TestEvidenceDigest(t *testing.T) {
	v := []Violation{
		{ItemID: "pipl/17", Evidence: []EvidenceItem{{SHA256: "BB"}, {SHA256: "aa"}}},
		{ItemID: "pipl/13"},
	}
	// Recipe: sorted unique lines "item|hash\n".
	want := hashHex([]byte("pipl/13|\npipl/17|aa\npipl/17|bb\n"))
	if got := EvidenceDigest(v); got != want {
		t.Fatalf("digest = %s, want %s", got, want)
	}
	// Order and duplicates do not matter.
	v2 := []Violation{{ItemID: "pipl/13"}, {ItemID: "pipl/17", Evidence: []EvidenceItem{{SHA256: "aa"}, {SHA256: "bb"}, {SHA256: "aa"}}}}
	if got := EvidenceDigest(v2); got != want {
		t.Fatalf("reordered digest = %s, want %s", got, want)
	}
	// Text evidence without a hash is hashed from its text.
	v3 := []Violation{{ItemID: "x", Evidence: []EvidenceItem{{Text: "abc"}}}}
	if got, want := EvidenceDigest(v3), hashHex([]byte("x|"+hashHex([]byte("abc"))+"\n")); got != want {
		t.Fatalf("text digest = %s, want %s", got, want)
	}
	// Changing one evidence hash changes the digest.
	v[0].Evidence[0].SHA256 = "cc"
	if EvidenceDigest(v) == want {
		t.Fatal("digest did not change with the evidence")
	}
}

func TestDeadlineFor(t *testing.T) {
	cal, err := cases.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	// 30 September 2026 + 5 working days crosses the National Day holiday.
	d, note := DeadlineFor(cal, fixedNow, 10, LangZH)
	if got := d.Format("2006-01-02"); got != "2026-03-23" {
		t.Errorf("deadline = %s, want 2026-03-23", got)
	}
	if !strings.Contains(note, "国务院办公厅关于2026年部分节假日安排的通知") {
		t.Errorf("note = %q", note)
	}
	far := fixedNow.AddDate(30, 0, 0)
	if _, note := DeadlineFor(cal, far, 10, LangEN); !strings.Contains(note, "Warning") {
		t.Errorf("uncovered year gave no warning: %q", note)
	}
}

func TestXLSX(t *testing.T) {
	for _, lang := range []string{LangZH, LangEN} {
		var buf bytes.Buffer
		in := sampleReport(t, lang)
		if err := XLSX(&buf, in); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		wantSheets := []string{L(lang, "findings_sheet"), L(lang, "marks_sheet"), L(lang, "perms_sheet"), L(lang, "sdk_sheet"), L(lang, "apis_sheet")}
		if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(wantSheets, ",") {
			t.Fatalf("sheets = %v, want %v", got, wantSheets)
		}
		rows, err := f.GetRows(wantSheets[0])
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != strings.Join(findingsHeader(lang), ",") {
			t.Errorf("findings header = %v", rows[0])
		}
		if lang == LangZH && strings.Join(rows[0], ",") != "序号,条款/标准,检测结果,风险等级,涉及主体,检测发现,证据,整改建议" {
			t.Errorf("Chinese findings header = %v", rows[0])
		}
		// Three decided marks; the pending one is not a result.
		if len(rows) != 4 {
			t.Fatalf("findings rows = %d, want 4 (header + 3)", len(rows))
		}
		r := rows[1]
		art := map[string]string{LangZH: "《中华人民共和国个人信息保护法》第十七条", LangEN: "Personal Information Protection Law of the People's Republic of China, Article 17"}[lang]
		if r[0] != "1" || r[1] != art || r[2] != verdictName(lang, cases.VerdictViolation) ||
			r[3] != severityName(lang, cases.SeverityHigh) || !strings.Contains(r[4], "个推") || r[5] != "同意前读取 Android ID" ||
			!strings.HasPrefix(r[6], "5d41402abc4b") || r[7] != "完善隐私政策。" {
			t.Errorf("first finding = %q", r)
		}
		marks, _ := f.GetRows(wantSheets[1])
		if len(marks) != 5 || marks[1][8] != cite(t, "pipl/17").TextZH {
			t.Errorf("marks sheet: %d rows, article text %q", len(marks), marks[1][8])
		}
		// A mark stored without a citation (suggested) still shows its
		// article's title and text from the catalog, and verdicts are in
		// the document's language; no raw id stands alone.
		if marks[4][8] != cite(t, "pipl/15").TextZH || !strings.Contains(marks[4][1], "第十五条") && !strings.Contains(marks[4][1], "Article 15") {
			t.Errorf("pending mark without citation: %q", marks[4])
		}
		for _, row := range append(rows, marks...) {
			for _, cell := range row {
				if articleIDRE.MatchString(strings.TrimSpace(cell)) && len(strings.Fields(cell)) == 1 {
					t.Errorf("raw article id alone in a cell: %q", cell)
				}
			}
		}
		if lang == LangZH && marks[1][2] != "违规" {
			t.Errorf("verdict %q, want 违规", marks[1][2])
		}
		perms, _ := f.GetRows(wantSheets[2])
		if len(perms) != 4 || perms[1][0] != "android.permission.READ_PHONE_STATE" {
			t.Errorf("permissions sheet = %q", perms)
		}
		sdks, _ := f.GetRows(wantSheets[3])
		if len(sdks) != 5 || sdks[1][1] != "每日互动股份有限公司" {
			t.Errorf("sdk sheet = %q", sdks)
		}
		apis, _ := f.GetRows(wantSheets[4])
		if len(apis) != 4 {
			t.Errorf("api sheet rows = %d, want 4: %q", len(apis), apis)
		}
		f.Close()
	}
}

// BenchmarkNotice30x20 renders a notice with 30 violations and 20 distinct
// 1080×2400 screenshots, and reports the PDF size.
func BenchmarkNotice30x20(b *testing.B) {
	shots := make([][]byte, 20)
	for i := range shots {
		shots[i] = screenshot(b, 1080, 2400, i)
	}
	in := sampleNotice(b, LangZH, TemplateRegulator, nil)
	base := in.Violations
	in.Violations = nil
	for i := 0; i < 30; i++ {
		v := base[i%len(base)]
		v.ItemID = fmt.Sprintf("%s#%d", v.ItemID, i)
		v.Evidence = append([]EvidenceItem(nil), v.Evidence...)
		if i < 20 {
			v.Evidence = append(v.Evidence, EvidenceItem{Kind: EvidenceScreenshot, Image: shots[i], Text: "同意前弹窗"})
		}
		in.Violations = append(in.Violations, v)
	}
	b.ResetTimer()
	var size int
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := Notice(&buf, in); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/pdf")
}
