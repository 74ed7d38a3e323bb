package ui

import (
	"context"
	"errors"
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
	creditMsg  *widget.Label // the credit code's validation message, next to it
	create     *widget.Button
	appType    *widget.Select
	source     *widget.Select
	notes      *widget.Entry
	inspector  *widget.Entry
	dlg        *dialog.CustomDialog
	typeIDs    []string
}

// showNewCase opens the new-case form for an APK; the case is created by
// t (the home view's task) and opened when done.
func showNewCase(m *MainWindow, t *task, apk string) *newCaseForm {
	f := newNewCaseForm(m, t, apk)
	// Own buttons: the form stays open (and keeps what was typed) until the
	// case exists; a validation message or an error leaves it as it is.
	f.dlg = dialog.NewCustomWithoutButtons(T("newcase.title", filepath.Base(apk)), f.content(), m.w)
	f.create = widget.NewButton(T("newcase.create"), f.onCreate)
	f.create.Importance = widget.HighImportance
	f.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(T("common.cancel"), f.dlg.Hide), f.create})
	f.dlg.Resize(fyne.NewSize(760, 600))
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
	f.creditMsg = widget.NewLabel("")
	f.creditMsg.Importance = widget.DangerImportance
	f.creditMsg.Wrapping = fyne.TextWrapWord
	f.creditMsg.Hide()
	f.credit.OnChanged = func(string) { f.creditMsg.Hide() }
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
		widget.NewFormItem(T("newcase.creditcode"), container.NewVBox(f.credit, f.creditMsg)),
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

// validate checks the fields the inspector typed and shows each problem
// next to its field; it reports whether the form can be submitted.
func (f *newCaseForm) validate() bool {
	var fe *fieldError
	if err := checkCreditCode(f.credit.Text); errors.As(err, &fe) {
		f.creditMsg.SetText(fe.Cause)
		f.creditMsg.Show()
		f.m.w.Canvas().Focus(f.credit)
		return false
	}
	f.creditMsg.Hide()
	return true
}

// onCreate validates, then creates the case; the dialog closes only when
// the case exists.
func (f *newCaseForm) onCreate() {
	if f.validate() {
		f.submit()
	}
}

// submit creates the case off the UI goroutine and opens it. On an error
// (shown by the task) the form stays open with its content.
func (f *newCaseForm) submit() {
	req := f.request()
	label := T("newcase.creating", filepath.Base(f.apk))
	if f.create != nil {
		f.create.Disable()
	}
	started := f.task.run(label, func(ctx context.Context) (func(), error) {
		c, err := f.m.b.NewCase(ctx, req, f.task.scanProgress(label))
		if err != nil {
			err = withFile(f.apk, err)
			return func() {
				if f.create != nil {
					f.create.Enable()
				}
			}, err
		}
		return func() {
			if f.dlg != nil {
				f.dlg.Hide()
			}
			f.m.openCase(c.ID)
		}, nil
	})
	if !started && f.create != nil {
		f.create.Enable()
	}
}

func sourceName(s cases.CaseSource) string {
	if Language() == "zh" {
		return s.ZH()
	}
	return s.EN()
}
