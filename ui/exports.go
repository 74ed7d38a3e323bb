package ui

import (
	"context"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

// exportsView previews the rectification notice and exports the notice,
// the report, the XLSX findings and the case bundle.
type exportsView struct {
	ws   *workspaceView
	data *workspace.Case

	lang     *widget.Select
	template *widget.Select
	preview  *widget.Label
	last     *widget.Label
}

var noticeTemplates = []string{"regulator", "agency", "association"}

func newExportsView(ws *workspaceView) *exportsView {
	v := &exportsView{ws: ws}
	v.lang = widget.NewSelect([]string{"中文", "English"}, nil)
	if Language() == "en" {
		v.lang.SetSelectedIndex(1)
	} else {
		v.lang.SetSelectedIndex(0)
	}
	var names []string
	for _, t := range noticeTemplates {
		names = append(names, T("exp.tpl."+t))
	}
	v.template = widget.NewSelect(names, nil)
	v.template.SetSelectedIndex(0)
	if t := ws.b.Settings().NoticeTemplate; t != "" {
		for i, n := range noticeTemplates {
			if n == t {
				v.template.SetSelectedIndex(i)
			}
		}
	}
	v.preview = widget.NewLabel("")
	v.preview.Wrapping = fyne.TextWrapWord
	v.last = widget.NewLabel("")
	v.last.Wrapping = fyne.TextWrapWord
	return v
}

func (v *exportsView) content() fyne.CanvasObject {
	notice := widget.NewButtonWithIcon(T("exp.notice"), theme.DocumentSaveIcon(), func() {
		saveFile(v.ws.w, v.fileName("notice", ".pdf"), v.exportNotice)
	})
	report := widget.NewButtonWithIcon(T("exp.report"), theme.DocumentSaveIcon(), func() {
		saveFile(v.ws.w, v.fileName("report", ".pdf"), v.exportReport)
	})
	xlsx := widget.NewButtonWithIcon(T("exp.xlsx"), theme.DocumentSaveIcon(), func() {
		saveFile(v.ws.w, v.fileName("findings", ".xlsx"), v.exportXLSX)
	})
	bundle := widget.NewButtonWithIcon(T("exp.bundle"), theme.DownloadIcon(), func() {
		saveFile(v.ws.w, v.fileName("bundle", ".zip"), v.exportBundle)
	})
	opts := widget.NewForm(
		widget.NewFormItem(T("exp.lang"), v.lang),
		widget.NewFormItem(T("exp.template"), v.template),
	)
	left := container.NewVBox(opts, notice, report, xlsx, bundle, widget.NewSeparator(), v.last)
	right := container.NewBorder(boldLabel(T("exp.preview")), nil, nil, nil, container.NewVScroll(v.preview))
	return hsplit("exports", 0.3, container.NewVScroll(left), right)
}

func (v *exportsView) setCase(c *workspace.Case) {
	v.data = c
	v.preview.SetText(noticePreview(c, v.ws.b))
}

func (v *exportsView) fileName(kind, ext string) string {
	n := "case"
	if v.data != nil {
		n = v.data.Case.App.Package
	}
	return n + "-" + kind + ext
}

func (v *exportsView) options(path string) workspace.DocumentOptions {
	o := workspace.DocumentOptions{Lang: "zh", Path: path, Template: noticeTemplates[0]}
	if v.lang.SelectedIndex() == 1 {
		o.Lang = "en"
	}
	if i := v.template.SelectedIndex(); i >= 0 {
		o.Template = noticeTemplates[i]
	}
	return o
}

// export runs one export off the UI goroutine.
func (v *exportsView) export(label, path string, fn func(ctx context.Context) error) {
	v.ws.task.run(label, func(ctx context.Context) (func(), error) {
		err := fn(ctx)
		if err != nil {
			// The save dialog created the file; a refused or failed
			// export leaves no empty file behind.
			if fi, serr := os.Stat(path); serr == nil && fi.Size() == 0 {
				_ = os.Remove(path)
			}
			return nil, withFile(path, err)
		}
		return func() { v.last.SetText(T("exp.written", path)) }, nil
	})
}

func (v *exportsView) exportNotice(path string) {
	o := v.options(path)
	v.export(T("exp.notice"), path, func(ctx context.Context) error { return v.ws.b.ExportNotice(ctx, v.ws.caseID, o) })
}

func (v *exportsView) exportReport(path string) {
	o := v.options(path)
	v.export(T("exp.report"), path, func(ctx context.Context) error { return v.ws.b.ExportReport(ctx, v.ws.caseID, o) })
}

func (v *exportsView) exportXLSX(path string) {
	v.export(T("exp.xlsx"), path, func(ctx context.Context) error { return v.ws.b.ExportXLSX(ctx, v.ws.caseID, path) })
}

func (v *exportsView) exportBundle(path string) {
	v.export(T("exp.bundle"), path, func(ctx context.Context) error { return v.ws.b.ExportBundle(ctx, v.ws.caseID, path) })
}

// noticePreview is a plain-text preview of the notice: the subject, the
// app, each violation with its article and required rectification, and
// the deadline. The PDF is written by the backend.
func noticePreview(c *workspace.Case, b Backend) string {
	var sb strings.Builder
	p := func(f string, a ...any) { fmt.Fprintf(&sb, f, a...) }
	k := c.Case
	p("%s\n\n", T("exp.noticehead"))
	p("%s: %s\n", T("exp.to"), k.Subject.Name)
	if k.Subject.CreditCode != "" {
		p("%s: %s\n", T("newcase.creditcode"), k.Subject.CreditCode)
	}
	p("%s: %s (%s)\n", T("exp.app"), k.App.Name, k.App.Package)
	if c.Version != nil {
		p("%s: %s (%d)\n", T("fact.version"), c.Version.VersionName, c.Version.VersionCode)
	}
	p("%s: %s\n\n", T("ws.case"), k.Number)
	n := 0
	for _, m := range c.Marks {
		if m.Verdict != cases.VerdictViolation {
			continue
		}
		if c.Version != nil && m.VersionID != 0 && m.VersionID != c.Version.ID {
			continue
		}
		n++
		cite := m.ItemID
		if cat := b.Law(); cat != nil {
			if a, ok := cat.Article(m.ItemID); ok {
				if d, ok := cat.Document(a.DocID); ok {
					cite = "《" + d.TitleZH + "》" + a.Number
				}
			}
		}
		p("%d. %s [%s]\n", n, cite, severityName(m.Severity))
		if m.Statement != "" {
			p("   %s\n", m.Statement)
		} else if m.Note != "" {
			p("   %s\n", m.Note)
		}
		if m.Rectification != "" {
			p("   %s: %s\n", T("cl.rectification"), m.Rectification)
		}
	}
	if n == 0 {
		p("%s\n", T("exp.noviolations"))
	}
	days := k.RectificationDays
	if days == 0 {
		days = b.Settings().RectificationDays
	}
	p("\n%s\n", T("exp.days", days))
	if d := c.Deadline; !d.IsZero() {
		p("%s: %s\n", T("exp.deadline"), displayTime(d).Format("2006-01-02"))
	}
	st := b.Settings().Authority
	if st.Name != "" {
		p("\n%s\n%s %s\n", st.Name, st.Address, st.Phone)
	}
	return sb.String()
}
