package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
)

// now is the clock of deadline badges; tests replace it.
var now = time.Now

// homeView is the case list: search, filters, deadline badges, new case,
// bundles, the demo case and recent cases.
type homeView struct {
	m    *MainWindow
	b    Backend
	w    fyne.Window
	task *task

	search    *widget.Entry
	status    *widget.Select
	overdue   *widget.Check
	kind      *widget.Select
	inspector *widget.Entry
	list      *widget.List
	count     *widget.Label
	casesPane *fyne.Container   // the case list
	welcomeUI fyne.CanvasObject // the first-run panel, instead of an empty list
	recent    *widget.List

	importConfirm *dialog.ConfirmDialog // asks to trust a bundle's signer

	cases       []cases.Case
	recentItems []recentItem
	loads       chan struct{} // closed when the last list load was applied
}

func newHomeView(m *MainWindow) *homeView {
	v := &homeView{m: m, b: m.b, w: m.w, task: newTask(m.w), loads: make(chan struct{})}
	close(v.loads)
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(T("home.search"))
	v.search.OnSubmitted = v.onFilter
	v.status = widget.NewSelect(statusOptions(), v.onFilter)
	v.status.PlaceHolder = T("home.allstatuses")
	v.overdue = widget.NewCheck(T("home.overdue"), v.onOverdue)
	v.kind = widget.NewSelect(kindOptions(), v.onFilter)
	v.kind.PlaceHolder = T("home.allkinds")
	v.inspector = widget.NewEntry()
	v.inspector.SetPlaceHolder(T("home.inspector"))
	v.inspector.OnSubmitted = v.onFilter
	v.count = boldLabel(T("home.cases"))
	v.list = widget.NewList(v.listLen, v.listCreate, v.listUpdate)
	v.list.OnSelected = v.onSelected
	v.recentItems = loadRecent(m.a.Preferences(), m.b.DataDir())
	v.recent = widget.NewList(func() int { return len(v.recentItems) },
		func() fyne.CanvasObject { return newTruncLabel() }, v.recentUpdate)
	v.recent.OnSelected = v.onRecent
	return v
}

func (v *homeView) content() fyne.CanvasObject {
	tools := container.NewHBox(
		widget.NewButtonWithIcon(T("home.newcase"), theme.ContentAddIcon(), v.onNewCase),
		widget.NewButtonWithIcon(T("home.openbundle"), theme.FolderOpenIcon(), v.onOpenBundle),
		widget.NewButtonWithIcon(T("home.demo"), theme.InfoIcon(), v.onDemo),
		widget.NewButtonWithIcon(T("home.batch"), theme.FolderIcon(), v.onBatch),
		widget.NewButtonWithIcon(T("home.device"), theme.ComputerIcon(), v.onDevice),
		layout.NewSpacer(),
		widget.NewButtonWithIcon(T("home.settings"), theme.SettingsIcon(), v.onSettings),
	)
	find := widget.NewButtonWithIcon(T("home.find"), theme.SearchIcon(), func() { v.onFilter("") })
	filters := container.NewBorder(nil, nil, nil,
		container.NewHBox(v.status, v.kind, container.NewGridWrap(fyne.NewSize(140, v.inspector.MinSize().Height), v.inspector), v.overdue, find),
		v.search)
	v.casesPane = container.NewBorder(v.count, nil, nil, nil, v.list)
	v.welcomeUI = v.welcome()
	v.showWelcome(false)
	casesPane := container.NewStack(v.casesPane, v.welcomeUI)
	dropBox := container.NewVScroll(wrappedText(T("home.drop"), ""))
	dropBox.SetMinSize(fyne.NewSize(0, 130))
	side := container.NewBorder(boldLabel(T("home.recent")), dropBox, nil, nil, v.recent)
	split := hsplit("home", 0.74, casesPane, side)
	return container.NewBorder(container.NewVBox(tools, filters), v.task.content(), nil, nil, split)
}

// showWelcome shows the first-run panel instead of the (empty) case list.
func (v *homeView) showWelcome(on bool) {
	if v.welcomeUI == nil {
		return
	}
	if on {
		v.casesPane.Hide()
		v.welcomeUI.Show()
	} else {
		v.welcomeUI.Hide()
		v.casesPane.Show()
	}
}

// filter is the case filter the controls describe.
func (v *homeView) filter() cases.Filter {
	f := cases.Filter{Query: strings.TrimSpace(v.search.Text), Inspector: strings.TrimSpace(v.inspector.Text), Limit: 500}
	if i := v.status.SelectedIndex(); i > 0 {
		f.Statuses = []cases.Status{cases.Statuses[i-1]}
	}
	if i := v.kind.SelectedIndex(); i > 0 {
		f.SubjectKind = cases.SubjectKinds[i-1]
	}
	if v.overdue.Checked {
		f.OverdueAt = now()
	}
	return f
}

// refresh reloads the case list off the UI goroutine.
func (v *homeView) refresh() {
	f := v.filter()
	done := make(chan struct{})
	v.loads = done
	go func() {
		defer close(done)
		list, err := v.b.ListCases(context.Background(), f)
		fyne.Do(func() {
			if err != nil {
				showError(v.w, err)
				return
			}
			v.cases = list
			v.count.SetText(T("home.cases") + " · " + T("home.count", len(list)))
			v.showWelcome(len(list) == 0 && f.Query == "" && f.Inspector == "" && len(f.Statuses) == 0 &&
				f.SubjectKind == "" && f.OverdueAt.IsZero())
			v.list.UnselectAll()
			v.list.Refresh()
		})
	}()
}

func (v *homeView) onFilter(string)  { v.refresh() }
func (v *homeView) onOverdue(bool)   { v.refresh() }
func (v *homeView) listLen() int     { return len(v.cases) }
func (v *homeView) close()           { saveSplits(); v.task.onCancel() }
func (v *homeView) onSelected(i int) { v.m.openCase(v.cases[i].ID) }
func (v *homeView) onRecent(i int)   { v.m.openCase(v.recentItems[i].ID) }
func (v *homeView) onSettings()      { showSettings(v.m) }
func (v *homeView) onDevice()        { showDeviceDialog(v.m, 0) }
func (v *homeView) recentUpdate(i int, o fyne.CanvasObject) {
	o.(*widget.Label).SetText(v.recentItems[i].Label)
}

func (v *homeView) listCreate() fyne.CanvasObject {
	title, sub, badge := newTruncLabel(), newTruncLabel(), widget.NewLabel("")
	title.TextStyle.Bold = true
	return container.NewBorder(nil, nil, nil, badge, container.NewVBox(title, sub))
}

func (v *homeView) listUpdate(i widget.ListItemID, o fyne.CanvasObject) {
	c := v.cases[i]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	badge := box.Objects[1].(*widget.Label)
	texts.Objects[0].(*widget.Label).SetText(caseTitle(c))
	texts.Objects[1].(*widget.Label).SetText(fmt.Sprintf("%s · %s · %s · %s", c.Number, c.Subject.Name, kindName(c.Subject.Kind), statusName(c.Status)))
	text, imp := deadlineBadge(c, now())
	badge.Importance = imp
	badge.Text = text
	box.Refresh() // lay out again: the badge's width changed
}

// caseTitle is "app name (package)".
func caseTitle(c cases.Case) string {
	if c.App.Name != "" {
		return c.App.Name + "  (" + c.App.Package + ")"
	}
	return c.App.Package
}

// deadlineBadge is the badge of a case in the list: overdue (red), due
// within three calendar days (orange), the deadline, notice issued, closed.
func deadlineBadge(c cases.Case, t time.Time) (string, widget.Importance) {
	switch {
	case c.Status == cases.StatusClosed:
		return T("badge.closed"), widget.LowImportance
	case c.IsOverdue(t):
		days := int(cases.CivilDate(t).Sub(cases.CivilDate(c.Deadline)).Hours() / 24)
		return T("badge.overdue", days), widget.DangerImportance
	case !c.Deadline.IsZero():
		days := int(cases.CivilDate(c.Deadline).Sub(cases.CivilDate(t)).Hours() / 24)
		if days <= 3 {
			return T("badge.duesoon", days), widget.WarningImportance
		}
		return T("badge.due", displayTime(c.Deadline).Format("2006-01-02")), widget.MediumImportance
	case !c.NoticeIssued.IsZero():
		return T("badge.issued", displayTime(c.NoticeIssued).Format("2006-01-02")), widget.MediumImportance
	}
	return "", widget.MediumImportance
}

// onNewCase asks for an APK and opens the new-case form.
func (v *homeView) onNewCase() {
	openFile(v.w, []string{".apk", ".apks", ".xapk"}, func(path string) { showNewCase(v.m, v.task, path) })
}

func (v *homeView) onOpenBundle() {
	openFile(v.w, []string{".zip"}, v.importBundle)
}

// importBundle imports a case bundle and opens the case. A bundle signed by
// an unknown key (or unsigned) is imported only after the user confirms the
// fingerprint shown.
func (v *homeView) importBundle(path string) {
	v.task.run(T("home.importing", filepath.Base(path)), func(ctx context.Context) (func(), error) {
		id, err := v.b.ImportBundle(ctx, path)
		var se *cases.SignerError
		switch {
		case errors.As(err, &se):
			return func() { v.confirmImport(path, se) }, nil
		case errors.Is(err, cases.ErrUnsigned):
			return func() { v.confirmImport(path, nil) }, nil
		case err != nil:
			return nil, withFile(path, err)
		}
		return func() { v.m.openCase(id) }, nil
	})
}

// confirmImport asks whether to trust the signer se (nil: accept an unsigned
// bundle) and imports on yes.
func (v *homeView) confirmImport(path string, se *cases.SignerError) {
	title, msg := T("home.unsigned.title"), T("home.unsigned", filepath.Base(path))
	if se != nil {
		title = T("home.untrusted.title")
		msg = T("home.untrusted", filepath.Base(path), se.Fingerprint, se.Signer, se.SignedAt.Local().Format("2006-01-02 15:04"))
	}
	confirm := T("home.trustimport")
	if se == nil {
		confirm = T("home.importanyway")
	}
	v.importConfirm = dialog.NewCustomConfirm(title, confirm, T("common.cancel"), widget.NewLabel(msg), func(ok bool) {
		if !ok {
			return
		}
		v.task.run(T("home.importing", filepath.Base(path)), func(ctx context.Context) (func(), error) {
			fp := ""
			if se != nil {
				fp = se.Fingerprint
			}
			id, err := v.b.ImportBundleTrusting(ctx, path, fp, se == nil)
			if err != nil {
				return nil, err
			}
			return func() { v.m.openCase(id) }, nil
		})
	}, v.w)
	v.importConfirm.Show()
}

// onDemo opens the demo case, creating it the first time (the first time
// with the guided tour).
func (v *homeView) onDemo() { v.openDemo(false) }

// onBatch scans every APK of a folder and lists the results.
func (v *homeView) onBatch() {
	openFolder(v.w, v.batch)
}

// batch runs ScanDir on dir and shows one line per APK.
func (v *homeView) batch(dir string) {
	label := T("home.batching", filepath.Base(dir))
	v.task.run(label, func(ctx context.Context) (func(), error) {
		var lines []string
		err := v.b.ScanDir(ctx, dir, func(r *inspect.Result, err error) {
			switch {
			case err != nil && r != nil:
				lines = append(lines, "⚠ "+filepath.Base(r.File)+": "+userMessage(err))
			case err != nil:
				lines = append(lines, "⚠ "+userMessage(err))
			default:
				lines = append(lines, fmt.Sprintf("%s  %s %s — %d %s, %d SDK, %d API",
					filepath.Base(r.File), r.Package, r.VersionName, len(r.Permissions), T("fact.permissions"), len(r.SDKs), len(r.APIs)))
			}
		}, func(done, total int) { v.task.countProgress(int64(done), int64(total)) })
		return func() {
			l := widget.NewLabel(strings.Join(lines, "\n"))
			l.Wrapping = fyne.TextWrapWord
			s := container.NewVScroll(l)
			s.SetMinSize(fyne.NewSize(700, 400))
			dialog.ShowCustom(label, T("common.close"), s, v.w)
		}, err
	})
}

// onDropped opens the new-case form for an APK or imports a bundle.
func (v *homeView) onDropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		switch strings.ToLower(filepath.Ext(u.Path())) {
		case ".apk", ".apks", ".xapk":
			showNewCase(v.m, v.task, u.Path())
			return
		case ".zip":
			v.importBundle(u.Path())
			return
		}
	}
	dialog.ShowInformation(T("home.newcase"), T("home.dropwrong"), v.w)
}

// Status and kind options: index 0 is "all".
func statusOptions() []string {
	out := []string{T("home.allstatuses")}
	for _, s := range cases.Statuses {
		out = append(out, statusName(s))
	}
	return out
}

func kindOptions() []string {
	out := []string{T("home.allkinds")}
	for _, k := range cases.SubjectKinds {
		out = append(out, kindName(k))
	}
	return out
}

func statusName(s cases.Status) string {
	if Language() == "zh" {
		return s.ZH()
	}
	return s.EN()
}

func kindName(k cases.SubjectKind) string {
	if Language() == "zh" {
		return k.ZH()
	}
	return k.EN()
}

// recentItem is a case opened lately.
type recentItem struct {
	ID    int64
	Label string
}

// recentKey is the preference holding the recent cases of one data
// directory: case ids mean nothing in another database.
func recentKey(dataDir string) string { return prefRecent + ":" + dataDir }

// loadRecent reads the recent cases ("id\tlabel" lines) from preferences.
func loadRecent(p fyne.Preferences, dataDir string) []recentItem {
	var out []recentItem
	for _, line := range p.StringList(recentKey(dataDir)) {
		id, label, _ := strings.Cut(line, "\t")
		n, err := strconv.ParseInt(id, 10, 64)
		if err == nil && n > 0 {
			out = append(out, recentItem{ID: n, Label: label})
		}
	}
	return out
}

// addRecent puts a case first in the recent list (at most eight).
func addRecent(p fyne.Preferences, dataDir string, id int64) {
	setRecent(p, dataDir, id, "")
}

// setRecent records the label of a recent case, keeping its place, or
// puts it first when label is "".
func setRecent(p fyne.Preferences, dataDir string, id int64, label string) {
	items := loadRecent(p, dataDir)
	idx := -1
	for i, it := range items {
		if it.ID == id {
			idx = i
		}
	}
	switch {
	case idx >= 0 && label != "":
		items[idx].Label = label
	case idx >= 0:
		it := items[idx]
		items = append(items[:idx], items[idx+1:]...)
		items = append([]recentItem{it}, items...)
	default:
		if label == "" {
			label = "#" + strconv.FormatInt(id, 10)
		}
		items = append([]recentItem{{ID: id, Label: label}}, items...)
	}
	if len(items) > 8 {
		items = items[:8]
	}
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = strconv.FormatInt(it.ID, 10) + "\t" + it.Label
	}
	p.SetStringList(recentKey(dataDir), lines)
}

func newTruncLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func boldLabel(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
