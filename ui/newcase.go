package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

// newCaseForm asks for what a new case needs besides the APK: the subject,
// the policy (file, pasted text or the one bundled in the APK), the app
// type, the source and notes.
type newCaseForm struct {
	m    *MainWindow
	task *task
	apk  string

	policyPath *widget.Label
	policyText *widget.Entry
	subject    *widget.Entry
	kind       *widget.Select
	credit     *widget.Entry
	appType    *widget.Select
	source     *widget.Select
	notes      *widget.Entry
	inspector  *widget.Entry
	dlg        dialog.Dialog
	typeIDs    []string
}

// showNewCase opens the new-case form for an APK; the case is created by
// t (the home view's task) and opened when done.
func showNewCase(m *MainWindow, t *task, apk string) *newCaseForm {
	f := newNewCaseForm(m, t, apk)
	f.dlg = dialog.NewCustomConfirm(T("newcase.title", filepath.Base(apk)), T("newcase.create"), T("common.cancel"), f.content(), f.onConfirm, m.w)
	f.dlg.Resize(fyne.NewSize(720, 560))
	f.dlg.Show()
	return f
}

func newNewCaseForm(m *MainWindow, t *task, apk string) *newCaseForm {
	f := &newCaseForm{m: m, task: t, apk: apk}
	f.policyPath = widget.NewLabel(T("newcase.policybundled"))
	f.policyPath.Truncation = fyne.TextTruncateEllipsis
	f.policyText = widget.NewMultiLineEntry()
	f.policyText.SetPlaceHolder(T("newcase.policypaste"))
	f.policyText.Wrapping = fyne.TextWrapWord
	f.policyText.SetMinRowsVisible(3)
	f.subject = widget.NewEntry()
	f.subject.SetPlaceHolder(T("newcase.subjectname"))
	f.kind = widget.NewSelect(kindOptions()[1:], nil)
	f.kind.SetSelectedIndex(0)
	f.credit = widget.NewEntry()
	f.credit.SetPlaceHolder(T("newcase.credit"))
	var types []string
	if c := m.b.Law(); c != nil {
		for _, at := range c.AppTypes() {
			name := at.NameZH
			if Language() == "en" && at.NameEN != "" {
				name = at.NameEN
			}
			types = append(types, fmt.Sprintf("%d. %s", at.Number, name))
			f.typeIDs = append(f.typeIDs, at.ID)
		}
	}
	f.appType = widget.NewSelect(types, nil)
	f.appType.PlaceHolder = T("newcase.apptypenone")
	var sources []string
	for _, s := range cases.CaseSources {
		sources = append(sources, sourceName(s))
	}
	f.source = widget.NewSelect(sources, nil)
	f.source.SetSelectedIndex(0)
	f.notes = widget.NewEntry()
	f.inspector = widget.NewEntry()
	f.inspector.SetText(m.b.Settings().Inspector)
	f.inspector.SetPlaceHolder(T("newcase.inspectorhint"))
	return f
}

func (f *newCaseForm) content() fyne.CanvasObject {
	choose := widget.NewButton(T("newcase.policyfile"), func() {
		openFile(f.m.w, []string{".txt", ".html", ".htm", ".pdf", ".docx", ".md", ".xml"}, f.setPolicyFile)
	})
	form := widget.NewForm(
		widget.NewFormItem(T("newcase.apk"), widget.NewLabel(filepath.Base(f.apk))),
		widget.NewFormItem(T("newcase.subject"), f.subject),
		widget.NewFormItem(T("newcase.kind"), f.kind),
		widget.NewFormItem(T("newcase.creditcode"), f.credit),
		widget.NewFormItem(T("newcase.apptype"), f.appType),
		widget.NewFormItem(T("newcase.source"), f.source),
		widget.NewFormItem(T("newcase.policy"), container.NewBorder(nil, nil, nil, choose, f.policyPath)),
		widget.NewFormItem("", f.policyText),
		widget.NewFormItem(T("newcase.inspector"), f.inspector),
		widget.NewFormItem(T("newcase.notes"), f.notes),
	)
	return container.NewVScroll(form)
}

func (f *newCaseForm) setPolicyFile(path string) {
	f.policyPath.SetText(path)
}

// request is the NewCaseRequest the form describes.
func (f *newCaseForm) request() workspace.NewCaseRequest {
	req := workspace.NewCaseRequest{
		APK:        f.apk,
		PolicyText: strings.TrimSpace(f.policyText.Text),
		Subject: cases.Subject{
			Name:       strings.TrimSpace(f.subject.Text),
			CreditCode: strings.TrimSpace(f.credit.Text),
			Kind:       cases.AppOperator,
		},
		Notes:     strings.TrimSpace(f.notes.Text),
		Inspector: strings.TrimSpace(f.inspector.Text),
	}
	if p := f.policyPath.Text; p != T("newcase.policybundled") {
		req.Policy = p
	}
	if i := f.kind.SelectedIndex(); i >= 0 {
		req.Subject.Kind = cases.SubjectKinds[i]
	}
	if i := f.appType.SelectedIndex(); i >= 0 {
		req.AppType = f.typeIDs[i]
	}
	if i := f.source.SelectedIndex(); i >= 0 {
		req.Source = cases.CaseSources[i]
	}
	return req
}

func (f *newCaseForm) onConfirm(ok bool) {
	if ok {
		f.submit()
	}
}

// submit creates the case off the UI goroutine and opens it.
func (f *newCaseForm) submit() {
	req := f.request()
	label := T("newcase.creating", filepath.Base(f.apk))
	f.task.run(label, func(ctx context.Context) (func(), error) {
		c, err := f.m.b.NewCase(ctx, req, f.task.scanProgress(label))
		if err != nil {
			return nil, err
		}
		return func() { f.m.openCase(c.ID) }, nil
	})
}

func sourceName(s cases.CaseSource) string {
	if Language() == "zh" {
		return s.ZH()
	}
	return s.EN()
}
