package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
)

// XLSX writes the findings and marks as an Excel workbook, the format Chinese
// agencies exchange. Sheets (names in the input language):
//
//   - 检测结果 / Findings: item, article/standard, result, risk level,
//     subject, behaviour, evidence, suggestion — one row per decided mark;
//   - 标记 / Marks: every mark with verdict, severity, note, inspector,
//     update time, rectification and the quoted article text;
//   - 权限 / Permissions, SDK, 敏感API / APIs: the scan tables of the report.
//
// The document properties carry in.Now so that the workbook does not depend
// on the wall clock.
func XLSX(w io.Writer, in ReportInput) error {
	in.Lang = normLang(in.Lang)
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	lang := in.Lang
	f := excelize.NewFile()
	defer f.Close()

	created := in.Now.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: L(lang, "report_title") + " " + in.Case.Number, Subject: in.App.Name,
		Creator: "AppInspect", LastModifiedBy: "AppInspect", Created: created, Modified: created,
		Language: map[string]string{LangZH: "zh-CN", LangEN: "en-US"}[lang],
	}); err != nil {
		return fmt.Errorf("reports: xlsx: properties: %w", err)
	}
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8ECF1"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}},
	})
	if err != nil {
		return fmt.Errorf("reports: xlsx: style: %w", err)
	}
	body, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return fmt.Errorf("reports: xlsx: style: %w", err)
	}

	sheets := []struct {
		name   string
		header []string
		widths []float64
		rows   [][]string
	}{
		{L(lang, "findings_sheet"), findingsHeader(lang), []float64{6, 44, 10, 10, 24, 48, 48, 48}, findingsRows(lang, in.Marks)},
		{L(lang, "marks_sheet"), marksHeader(lang, in.Location), []float64{6, 44, 10, 10, 40, 12, 20, 40, 60}, marksRows(lang, in.Location, in.Marks)},
		{L(lang, "perms_sheet"), []string{L(lang, "perm_name"), L(lang, "protection"), L(lang, "dangerous"), L(lang, "description"), L(lang, "categories")}, []float64{48, 14, 8, 40, 30}, permRows(lang, in)},
		{L(lang, "sdk_sheet"), []string{L(lang, "sdk_name"), L(lang, "vendor"), L(lang, "category"), L(lang, "collects"), L(lang, "disclosed"), L(lang, "used")}, []float64{28, 28, 16, 40, 10, 10}, sdkRows(lang, in.SDKs)},
		{L(lang, "apis_sheet"), []string{L(lang, "owner"), L(lang, "api"), L(lang, "category"), L(lang, "call_sites")}, []float64{20, 50, 16, 70}, apiRows(lang, in.Scan, xlsxCellMax)},
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return fmt.Errorf("reports: xlsx: sheet %s: %w", s.name, err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return fmt.Errorf("reports: xlsx: sheet %s: %w", s.name, err)
		}
		if err := writeSheet(f, s.name, s.header, s.widths, s.rows, head, body); err != nil {
			return fmt.Errorf("reports: xlsx: sheet %s: %w", s.name, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("reports: xlsx: write: %w", err)
	}
	return nil
}

// xlsxCellMax is the most characters a workbook cell holds.
const xlsxCellMax = 32767

func writeSheet(f *excelize.File, name string, header []string, widths []float64, rows [][]string, head, body int) error {
	if err := f.SetSheetRow(name, "A1", &header); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetCellStyle(name, "A1", last+"1", head); err != nil {
		return err
	}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(name, col, col, wd); err != nil {
			return err
		}
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(name, cell, &r); err != nil {
			return err
		}
	}
	if len(rows) > 0 {
		end, _ := excelize.CoordinatesToCellName(len(header), len(rows)+1)
		if err := f.SetCellStyle(name, "A2", end, body); err != nil {
			return err
		}
		if err := f.AutoFilter(name, "A1:"+end, nil); err != nil {
			return err
		}
	}
	return f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func findingsHeader(lang string) []string {
	return []string{L(lang, "seq"), L(lang, "article_standard"), L(lang, "result"), L(lang, "risk_level"),
		L(lang, "subject"), L(lang, "behaviour"), L(lang, "evidence"), L(lang, "suggestion")}
}

// articleRef names the article with its document title, number and own
// title (from the citation, else the embedded catalog).
func articleRef(lang string, m MarkRow) string {
	return citationName(lang, m.ItemID, markCitation(m))
}

// markCitation is the mark's citation, completed from the embedded catalog
// when the mark stored none (a suggested mark).
func markCitation(m MarkRow) law.Citation {
	c := m.Citation
	if c.Number == "" && c.TextZH == "" {
		if cat, err := law.Embedded(); err == nil {
			if ci, err := cat.Cite(m.ItemID); err == nil {
				return ci
			}
		}
	}
	return c
}

// findingsRows has one row per decided mark (pending marks are not results).
func findingsRows(lang string, marks []MarkRow) [][]string {
	var rows [][]string
	for _, m := range marks {
		if m.Verdict == cases.VerdictPending {
			continue
		}
		subj := ""
		if m.Verdict == cases.VerdictViolation || m.Subject != "" {
			subj = subjectName(lang, m.Subject)
		}
		rows = append(rows, []string{fmt.Sprint(len(rows) + 1), articleRef(lang, m), verdictName(lang, m.Verdict), severityName(lang, m.Severity),
			subj, firstText(m.Statement, m.Behaviour), strings.Join(m.Evidence, "\n"), m.Rectification})
	}
	return rows
}

func marksHeader(lang string, loc *time.Location) []string {
	return []string{L(lang, "seq"), L(lang, "article_standard"), L(lang, "verdict"), L(lang, "severity"),
		L(lang, "note"), L(lang, "inspector"), bracket(lang, L(lang, "updated"), zoneLabel(lang, loc)), L(lang, "rectification"), L(lang, "legal_basis")}
}

func marksRows(lang string, loc *time.Location, marks []MarkRow) [][]string {
	var rows [][]string
	for _, m := range marks {
		c := markCitation(m)
		text := c.TextZH
		if !hasQuote(c) {
			text = L(lang, "cited_only")
		} else if c.Traditional {
			text = "［" + L(lang, "traditional") + "］" + text
		}
		upd := ""
		if !m.Updated.IsZero() {
			upd = formatDateTime(loc, m.Updated)
		}
		rows = append(rows, []string{fmt.Sprint(len(rows) + 1), articleRef(lang, m), verdictName(lang, m.Verdict), severityName(lang, m.Severity),
			m.Note, m.Inspector, upd, m.Rectification, text})
	}
	return rows
}

func permRows(lang string, in ReportInput) [][]string {
	if in.Scan == nil {
		return nil
	}
	var rows [][]string
	for _, p := range in.Scan.Permissions {
		desc := p.ZH
		if lang == LangEN || desc == "" {
			desc = p.EN
		}
		rows = append(rows, []string{p.Name, protectionName(lang, p.Protection), yesNo(lang, p.Dangerous), desc, piNames(lang, p.Categories)})
	}
	return rows
}

func sdkRows(lang string, sdks []SDKRow) [][]string {
	var rows [][]string
	for _, s := range sdks {
		rows = append(rows, []string{s.Name, s.Vendor, sdkCategoryName(lang, s.Category), piNames(lang, s.Collects), yesNo(lang, s.Disclosed), yesNo(lang, s.Used)})
	}
	return rows
}

// bracket appends a parenthetical: "更新时间（北京时间）", "Updated (Beijing time (UTC+8))".
func bracket(lang, s, p string) string {
	if lang == LangEN {
		return s + " (" + p + ")"
	}
	return s + "（" + p + "）"
}
