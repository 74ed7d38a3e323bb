package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
)

// workspaceView is one case: a header with the app's identity and the
// case's status, and tabs for review, checklist, evidence, exports, device
// and re-inspection.
type workspaceView struct {
	m       *MainWindow
	b       Backend
	w       fyne.Window
	caseID  int64
	applyMu sync.Mutex // see load
	data    *workspace.Case
	task    *task

	name     *widget.Label
	ident    *widget.Label
	hashes   *widget.Label
	caseLine *widget.Label
	badge    *widget.Label
	status   *widget.Select
	version  *widget.Select
	reeval   *widget.Button  // re-evaluate the shown version with the current rules
	controls *fyne.Container // badge and selectors, laid out again after a load
	tabs     *container.AppTabs

	review    *reviewView
	checklist *checklistView
	items     *itemsView
	gallery   *galleryView
	exports   *exportsView
	device    *deviceView
	diff      *diffView

	loaded chan struct{} // closed when the last load was applied

	tourBox *fyne.Container // the guided tour's bar, empty when no tour
	tourAt  int             // the tour's step, -1 when none
}

func newWorkspaceView(m *MainWindow, id int64) *workspaceView {
	v := &workspaceView{m: m, b: m.b, w: m.w, caseID: id, task: newTask(m.w), loaded: make(chan struct{}), tourAt: -1}
	v.tourBox = container.NewVBox()
	v.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.name.Truncation = fyne.TextTruncateEllipsis
	v.ident = newTruncLabel()
	v.hashes = newTruncLabel()
	v.hashes.TextStyle.Monospace = true
	v.hashes.SizeName = theme.SizeNameCaptionText
	v.caseLine = newTruncLabel()
	v.badge = widget.NewLabel("")
	v.status = widget.NewSelect(nil, v.onStatus)
	v.status.PlaceHolder = T("ws.changestatus")
	v.version = widget.NewSelect(nil, v.onVersion)
	v.version.PlaceHolder = T("ws.version")
	v.reeval = widget.NewButtonWithIcon(T("ws.reevaluate"), theme.ViewRefreshIcon(), v.onReevaluate)
	v.reeval.Disable()
	v.review = newReviewView(v)
	v.checklist = newChecklistView(v)
	v.items = newItemsView(v)
	v.gallery = newGalleryView(v)
	v.exports = newExportsView(v)
	v.device = newDeviceView(m, v.task, id, v.reload)
	v.diff = newDiffView(v)
	v.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(T("tab.review"), theme.VisibilityIcon(), v.review.content()),
		container.NewTabItemWithIcon(T("tab.checklist"), theme.ListIcon(), v.checklist.content()),
		container.NewTabItemWithIcon(T("tab.evidence"), theme.MediaPhotoIcon(), v.gallery.content()),
		container.NewTabItemWithIcon(T("tab.exports"), theme.DocumentSaveIcon(), v.exports.content()),
		container.NewTabItemWithIcon(T("tab.device"), theme.ComputerIcon(), v.device.content()),
		container.NewTabItemWithIcon(T("tab.diff"), theme.ViewRefreshIcon(), v.diff.content()),
		container.NewTabItemWithIcon(v.items.tabTitle(), theme.ListIcon(), v.items.content()),
	)
	return v
}

func (v *workspaceView) content() fyne.CanvasObject {
	back := widget.NewButtonWithIcon(T("ws.back"), theme.NavigateBackIcon(), v.m.showHome)
	icon := widget.NewIcon(theme.FileApplicationIcon())
	v.controls = container.NewHBox(v.badge,
		sized(v.version, 430), v.reeval, sized(v.status, 170))
	rows := container.NewVBox(
		container.NewBorder(nil, nil, nil, v.controls, v.name),
		container.NewGridWithColumns(2, v.ident, v.caseLine),
		v.hashes)
	head := container.NewBorder(nil, nil, container.NewHBox(back, icon), nil, rows)
	return container.NewBorder(container.NewVBox(head, widget.NewSeparator(), v.tourBox), v.task.content(), nil, nil, v.tabs)
}

// load opens the case (versionID 0: the newest version) off the UI
// goroutine and shows it. applyMu keeps two loads from applying at once:
// in the app fyne.Do already runs them one after the other on the main
// goroutine, but Fyne's test driver runs fyne.Do on the calling goroutine.
func (v *workspaceView) load(versionID int64) {
	done := make(chan struct{})
	v.loaded = done
	go func() {
		defer close(done)
		c, err := v.b.OpenCase(context.Background(), v.caseID, versionID)
		fyne.Do(func() {
			v.applyMu.Lock()
			defer v.applyMu.Unlock()
			if err != nil {
				showError(v.w, err)
				return
			}
			v.setCase(c)
		})
	}()
}

// reload loads the version shown now again.
func (v *workspaceView) reload() {
	var id int64
	if v.data != nil && v.data.Version != nil && len(v.data.Versions) > 0 && v.data.Versions[len(v.data.Versions)-1].ID != v.data.Version.ID {
		id = v.data.Version.ID
	}
	v.load(id)
}

// setCase shows a loaded case in the header and every tab.
func (v *workspaceView) setCase(c *workspace.Case) {
	v.data = c
	k := c.Case
	// One name for the app: the case's (the zh label, as in the notice and
	// the case list); the English UI adds the English label when it differs.
	title := caseTitle(k)
	if s := c.Scan; s != nil {
		if k.App.Name == "" {
			if l := displayLabel(s); l != "" && l != s.Package {
				title = l + "  (" + s.Package + ")"
			}
		} else if Language() == "en" && s.Label != "" && s.Label != k.App.Name {
			title = k.App.Name + " / " + s.Label + "  (" + s.Package + ")"
		}
		v.ident.SetText(fmt.Sprintf("%s %s (%d) · minSdk %d · targetSdk %d · %s", T("fact.version"), s.VersionName, s.VersionCode, s.MinSDK, s.TargetSDK, sizeText(s.Size)))
		v.hashes.SetText("SHA-256 " + s.SHA256 + "   MD5 " + s.MD5)
	} else {
		v.ident.SetText(T("ws.noapk"))
		v.hashes.SetText("")
	}
	v.name.SetText(title)
	v.w.SetTitle(title + " — " + T("app.title"))
	setRecent(v.m.a.Preferences(), v.m.b.DataDir(), k.ID, k.Number+" "+title)
	v.caseLine.SetText(fmt.Sprintf("%s %s · %s (%s) · %s", T("ws.case"), k.Number, k.Subject.Name, kindName(k.Subject.Kind), statusName(k.Status)))
	deadline := k.Deadline
	if deadline.IsZero() {
		deadline = c.Deadline
	}
	k.Deadline = deadline
	text, imp := deadlineBadge(k, now())
	if text == "" {
		text = statusName(k.Status)
	}
	if k.DatesEstimated {
		text += " " + T("ws.estimated")
	}
	v.badge.Importance = imp
	v.badge.SetText(text)
	var next []string
	for _, s := range cases.NextStatuses(k.Status) {
		next = append(next, statusName(s))
	}
	v.status.SetOptions(next)
	v.status.ClearSelected()
	if len(next) == 0 {
		v.status.Disable()
	} else {
		v.status.Enable()
	}
	var vers []string
	sel := -1
	for i, ver := range c.Versions {
		vers = append(vers, versionLabel(i, ver))
		if c.Version != nil && ver.ID == c.Version.ID {
			sel = i
		}
	}
	v.version.OnChanged = nil
	v.version.SetOptions(vers)
	if sel >= 0 {
		v.version.SetSelectedIndex(sel)
	}
	v.version.OnChanged = v.onVersion
	v.setReevaluate(c)
	if v.controls != nil {
		v.controls.Refresh()
	}
	v.review.setCase(c)
	v.checklist.setCase(c)
	v.items.setCase(c)
	v.gallery.setCase(c)
	v.exports.setCase(c)
	v.device.setCase(c)
	v.diff.setCase(c)
}

// setReevaluate shows whether the stored evaluation is out of date: the
// button names the reasons and stands out then.
func (v *workspaceView) setReevaluate(c *workspace.Case) {
	if c.Version == nil || c.Versions[len(c.Versions)-1].ID != c.Version.ID {
		// only the newest version is evaluated again
		v.reeval.SetText(T("ws.reevaluate"))
		v.reeval.Importance = widget.MediumImportance
		v.reeval.Disable()
		return
	}
	v.reeval.Enable()
	var why []string
	for _, o := range c.Outdated {
		why = append(why, T("ws.outdated."+o))
	}
	if len(why) > 0 {
		sep := ", "
		if Language() == "zh" {
			sep = "、"
		}
		v.reeval.SetText(T("ws.reevaluate.outdated", strings.Join(why, sep)))
		v.reeval.Importance = widget.WarningImportance
	} else {
		v.reeval.SetText(T("ws.reevaluate"))
		v.reeval.Importance = widget.MediumImportance
	}
	v.reeval.Refresh()
}

// onReevaluate asks, then runs the current rules over the shown version
// (stored as a new version) and shows the newest version.
func (v *workspaceView) onReevaluate() {
	if v.data == nil || v.data.Version == nil {
		return
	}
	ver := v.data.Version
	label := fmt.Sprintf("v%s (%d)", ver.VersionName, ver.VersionCode)
	msg := widget.NewLabel(T("ws.reevaluate.confirm", rules.Version, label))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(T("ws.reevaluate"), T("common.ok"), T("common.cancel"), msg, func(ok bool) {
		if ok {
			v.reevaluate(ver.ID)
		}
	}, v.w)
	d.Resize(fyne.NewSize(520, 260))
	d.Show()
}

// reevaluate runs Reevaluate off the UI goroutine.
func (v *workspaceView) reevaluate(versionID int64) {
	caseID := v.caseID
	v.task.run(T("ws.reevaluate"), func(ctx context.Context) (func(), error) {
		r, err := v.b.Reevaluate(ctx, caseID, versionID)
		if err != nil {
			return nil, err
		}
		return func() {
			msg := T("ws.reevaluate.done", len(r.Diff.New), len(r.Diff.Fixed), len(r.Diff.Remaining))
			if n := len(r.Diff.Unchecked); n > 0 {
				msg += " " + T("diff.uncheckedsummary", n)
			}
			_ = v.task.step.Set(msg)
			v.load(0)
		}, nil
	})
}

// confirmSDK confirms a mentioned SDK (or withdraws a confirmation) off the
// UI goroutine; the newest version is evaluated again and shown.
func (v *workspaceView) confirmSDK(sdkID, note string, withdraw bool) {
	caseID := v.caseID
	v.task.run(T("review.confirm.title"), func(ctx context.Context) (func(), error) {
		r, err := v.b.ConfirmSDK(ctx, caseID, sdkID, note, withdraw)
		if err != nil {
			return nil, err
		}
		return func() {
			_ = v.task.step.Set(T("ws.reevaluate.done", len(r.Diff.New), len(r.Diff.Fixed), len(r.Diff.Remaining)))
			v.load(0)
		}, nil
	})
}

// onVersion shows another APK version of the case.
func (v *workspaceView) onVersion(string) {
	i := v.version.SelectedIndex()
	if v.data == nil || i < 0 || i >= len(v.data.Versions) {
		return
	}
	if v.data.Version != nil && v.data.Versions[i].ID == v.data.Version.ID {
		return
	}
	v.load(v.data.Versions[i].ID)
}

// onStatus asks for a note and moves the case to the chosen status.
func (v *workspaceView) onStatus(string) {
	i := v.status.SelectedIndex()
	if v.data == nil || i < 0 {
		return
	}
	next := cases.NextStatuses(v.data.Case.Status)
	if i >= len(next) {
		return
	}
	to := next[i]
	note := widget.NewEntry()
	note.SetPlaceHolder(T("ws.transitionnote"))
	dialog.ShowCustomConfirm(T("ws.transition", statusName(to)), T("common.ok"), T("common.cancel"), note, func(ok bool) {
		if !ok {
			v.status.ClearSelected()
			return
		}
		v.transition(to, note.Text)
	}, v.w)
}

// transition moves the case along the workflow and reloads it.
func (v *workspaceView) transition(to cases.Status, note string) {
	v.task.run(T("ws.transition", statusName(to)), func(ctx context.Context) (func(), error) {
		_, err := v.b.Transition(ctx, v.caseID, to, strings.TrimSpace(note))
		return v.reload, err
	})
}

// nextCandidate moves the checklist to the next (dir 1) or previous (-1)
// article with candidate findings.
func (v *workspaceView) nextCandidate(dir int) {
	if v.tabs.SelectedIndex() == itemsTab {
		v.items.step(dir)
		return
	}
	v.tabs.SelectIndex(1)
	v.checklist.step(dir)
}

// setVerdictKey sets verdict i of cases.Verdicts on the selected article.
func (v *workspaceView) setVerdictKey(i int) {
	if v.tabs.SelectedIndex() == itemsTab {
		v.items.setResultKey(i)
		return
	}
	if i < 0 || i >= len(cases.Verdicts) {
		return
	}
	v.tabs.SelectIndex(1)
	v.checklist.setVerdict(cases.Verdicts[i])
}

// onDropped re-inspects with a dropped APK or attaches other files as
// evidence.
func (v *workspaceView) onDropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		switch strings.ToLower(filepath.Ext(u.Path())) {
		case ".apk", ".apks", ".xapk":
			v.diff.reinspect(u.Path())
			v.tabs.SelectIndex(5)
			return
		}
	}
	for _, u := range uris {
		v.gallery.attach(u.Path())
	}
	v.tabs.SelectIndex(2)
}

func (v *workspaceView) close() {
	saveSplits()
	v.task.onCancel()
}

// itemsTab is the index of the inspection-items tab; while it is shown,
// Ctrl+J/K and Ctrl+1…4 work on items instead of articles.
const itemsTab = 6

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// displayLabel is the app's name in the UI language.
func displayLabel(r *inspect.Result) string {
	if Language() == "zh" && r.LabelZH != "" {
		return r.LabelZH
	}
	if r.Label != "" {
		return r.Label
	}
	return r.Package
}

// sized gives o a fixed width (its minimum height): selects size
// themselves by their placeholder, which truncates longer choices.
func sized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}
