package app

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/reports"
	"github.com/appinspect/appinspect/reports/doclint"
)

// demoReportInput opens the demo case (its real scan, policy, rules and
// marks) and assembles the report input in lang.
func demoReportInput(t *testing.T, lang string) reports.ReportInput {
	t.Helper()
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	s, err := NewService(Config{DataDir: t.TempDir(), Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	id, err := s.DemoCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.ReportInput(ctx, id, lang)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// reportAllowed are the proper names and quoted originals an English
// report may print in Chinese: parties, the app, SDK names and vendors,
// policy excerpts, quoted article texts and names of documents without an
// English title, and what inspectors wrote.
func reportAllowed(in reports.ReportInput) []string {
	a := []string{in.Subject.Name, in.Subject.Address, in.App.Name, in.Authority.Name, in.Authority.Address, in.Authority.Contact, in.Case.Number}
	a = append(a, in.Case.Inspectors...)
	for _, s := range in.SDKs {
		a = append(a, s.Name, s.Vendor)
	}
	if in.Scan != nil {
		for _, s := range in.Scan.SDKs {
			a = append(a, s.Name, s.NameZH, s.Vendor, s.VendorZH)
		}
	}
	for _, e := range in.PolicyElements {
		a = append(a, e.Excerpt)
	}
	for _, m := range in.Matrix {
		a = append(a, m.Excerpt)
	}
	cat, _ := law.Embedded()
	if cat != nil {
		// The official Chinese name of an app type is quoted beside its
		// English one ("Utility tools (实用工具类)").
		for _, t := range cat.AppTypes() {
			a = append(a, t.NameZH)
		}
	}
	cite := func(id string, c law.Citation) {
		if c.Number == "" && cat != nil {
			c, _ = cat.Cite(id)
		}
		a = append(a, c.TextZH)
		if c.DocTitleEN == "" && c.DocTitleZH != "" {
			a = append(a, "《"+c.DocTitleZH+"》")
		}
	}
	for _, m := range in.Marks {
		a = append(a, m.Note, m.Inspector)
		cite(m.ItemID, m.Citation)
	}
	for _, c := range in.Candidates {
		for _, id := range c.Articles {
			cite(id, law.Citation{})
		}
	}
	return a
}

// lintDemo lints a document's text made from in: doclint.Lint, internal
// SDK and API ids, raw protection levels and SDK categories, and every
// permission name whole.
func lintDemo(in reports.ReportInput, text string) []string {
	probs := doclint.Lint(in.Lang, text, reportAllowed(in))
	ids := map[string]string{}
	for _, s := range in.Scan.SDKs {
		ids[s.ID] = "SDK id"
		if in.Lang == "zh" {
			ids[s.Category] = "raw SDK category"
		}
	}
	for _, a := range in.Scan.APIs {
		ids[a.ID] = "API id"
	}
	var perms []string
	for _, p := range in.Scan.Permissions {
		perms = append(perms, p.Name)
		if in.Lang == "zh" || strings.Contains(p.Protection, "|") {
			ids[p.Protection] = "raw protection level"
		}
	}
	probs = append(probs, doclint.IDs(text, ids)...)
	return append(probs, doclint.Whole(text, perms)...)
}

// TestDemoReportLint renders the demo case's inspection report and XLSX in
// both languages from the service's own input and lints their text.
func TestDemoReportLint(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	for _, lang := range []string{"zh", "en"} {
		in := demoReportInput(t, lang)
		var buf bytes.Buffer
		if err := reports.Report(&buf, in); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "report.pdf")
		if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		for _, p := range lintDemo(in, string(out)) {
			t.Errorf("%s report: %s", lang, p)
		}

		buf.Reset()
		if err := reports.XLSX(&buf, in); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, sh := range x.GetSheetList() {
			rows, err := x.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				cells = append(cells, r...)
			}
		}
		x.Close()
		for _, p := range lintDemo(in, strings.Join(cells, "\n")) {
			t.Errorf("%s xlsx: %s", lang, p)
		}
	}
}

// TestDemoNoticeLint renders the demo case's notice in both languages (its
// one violation, every template) from the service's own input and lints it.
func TestDemoNoticeLint(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	s, err := NewService(Config{DataDir: t.TempDir(), Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for k, v := range map[string]string{"issuer": "某省通信管理局", "inspector": "张三"} {
		if err := s.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	id, err := s.DemoCase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.OpenCase(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, x := range w.Scan.SDKs {
		ids[x.ID] = "SDK id"
	}
	for _, a := range w.Scan.APIs {
		ids[a.ID] = "API id"
	}
	for _, lang := range []string{"zh", "en"} {
		for _, tm := range reports.Templates {
			in, err := s.NoticeInput(ctx, id, workspace.DocumentOptions{Lang: lang, Template: string(tm)})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := reports.Notice(&buf, in); err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(t.TempDir(), "notice.pdf")
			if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			allow := []string{in.Subject.Name, in.Subject.Address, in.App.Name, in.Authority.Name, in.Authority.Address, in.Authority.Contact, in.Case.Number}
			allow = append(allow, in.Inspectors...)
			for _, v := range in.Violations {
				allow = append(allow, v.Subject, v.Citation.TextZH, v.Note)
				if v.Citation.DocTitleEN == "" {
					allow = append(allow, "《"+v.Citation.DocTitleZH+"》")
				}
				for _, e := range v.Evidence {
					allow = append(allow, e.Text)
				}
			}
			for _, p := range append(doclint.Lint(lang, string(out), allow), doclint.IDs(string(out), ids)...) {
				t.Errorf("%s %s notice: %s", lang, tm, p)
			}
		}
	}
}
