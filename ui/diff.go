package ui

import (
	"context"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
)

// diffView compares two versions of a case (fixed, new and remaining
// findings) and re-inspects the case with a new APK.
type diffView struct {
	ws   *workspaceView
	data *workspace.Case

	from, to  *widget.Select
	summary   *widget.Label
	lists     [3]*widget.List
	findings  [3][]cases.Finding
	versionID []int64
}

func newDiffView(ws *workspaceView) *diffView {
	v := &diffView{ws: ws}
	v.from = widget.NewSelect(nil, nil)
	v.from.PlaceHolder = T("diff.from")
	v.to = widget.NewSelect(nil, nil)
	v.to.PlaceHolder = T("diff.to")
	v.summary = widget.NewLabel(T("diff.hint"))
	v.summary.Wrapping = fyne.TextWrapWord
	for i := range v.lists {
		v.lists[i] = widget.NewList(func() int { return len(v.findings[i]) },
			func() fyne.CanvasObject { return newTruncLabel() },
			func(j widget.ListItemID, o fyne.CanvasObject) {
				o.(*widget.Label).SetText(v.findingText(v.findings[i][j]))
			})
	}
	return v
}

func (v *diffView) content() fyne.CanvasObject {
	compare := widget.NewButtonWithIcon(T("diff.compare"), theme.SearchIcon(), v.compare)
	reinspect := widget.NewButtonWithIcon(T("diff.reinspect"), theme.UploadIcon(), func() {
		openFile(v.ws.w, []string{".apk", ".apks", ".xapk"}, v.reinspect)
	})
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel(T("diff.from")), sized(v.from, 230), widget.NewLabel("→"), sized(v.to, 230), compare, reinspect),
		v.summary)
	titles := []string{T("diff.fixed"), T("diff.new"), T("diff.remaining")}
	var cols []fyne.CanvasObject
	for i, l := range v.lists {
		cols = append(cols, container.NewBorder(boldLabel(titles[i]), nil, nil, nil, l))
	}
	return container.NewBorder(top, nil, nil, nil, container.NewGridWithColumns(3, cols...))
}

func (v *diffView) setCase(c *workspace.Case) {
	v.data = c
	var names []string
	v.versionID = nil
	for _, ver := range c.Versions {
		names = append(names, fmt.Sprintf("v%s (%d) %s", ver.VersionName, ver.VersionCode, ver.Created.Format("2006-01-02")))
		v.versionID = append(v.versionID, ver.ID)
	}
	v.from.SetOptions(names)
	v.to.SetOptions(names)
	if n := len(names); n >= 2 {
		v.from.SetSelectedIndex(n - 2)
		v.to.SetSelectedIndex(n - 1)
	}
}

func (v *diffView) findingText(f cases.Finding) string {
	title := f.Rule
	for _, c := range v.dataCandidates() {
		if string(c.Rule) == f.Rule {
			title = candText(c.TitleZH, c.TitleEN)
			break
		}
	}
	return title + " · " + f.Article
}

func (v *diffView) dataCandidates() []rules.Candidate {
	if v.data == nil {
		return nil
	}
	return v.data.Candidates
}

// compare diffs the two chosen versions off the UI goroutine.
func (v *diffView) compare() {
	fi, ti := v.from.SelectedIndex(), v.to.SelectedIndex()
	if fi < 0 || ti < 0 || v.data == nil {
		v.summary.SetText(T("diff.choose"))
		return
	}
	caseID, from, to := v.data.Case.ID, v.versionID[fi], v.versionID[ti]
	v.ws.task.run(T("diff.comparing"), func(ctx context.Context) (func(), error) {
		d, err := v.ws.b.DiffVersions(ctx, caseID, from, to)
		if err != nil {
			return nil, err
		}
		return func() { v.show(*d) }, nil
	})
}

// show displays a diff.
func (v *diffView) show(d cases.Diff) {
	v.findings = [3][]cases.Finding{d.Fixed, d.New, d.Remaining}
	for _, l := range v.lists {
		l.Refresh()
	}
	v.summary.SetText(T("diff.summary", len(d.Fixed), len(d.New), len(d.Remaining)))
}

// reinspect adds a new APK version and shows what changed.
func (v *diffView) reinspect(path string) {
	req := workspace.ReinspectRequest{CaseID: v.ws.caseID, APK: path, Inspector: v.ws.b.Settings().Inspector}
	label := T("diff.reinspecting", filepath.Base(path))
	v.ws.task.run(label, func(ctx context.Context) (func(), error) {
		r, err := v.ws.b.Reinspect(ctx, req, v.ws.task.scanProgress(label))
		if err != nil {
			return nil, err
		}
		return func() {
			v.ws.load(0)
			v.show(r.Diff)
		}, nil
	})
}
