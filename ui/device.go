package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/device"
)

// deviceView lists the devices adb sees and their apps, pulls an app into
// a case and collects runtime evidence, screenshots and the consent dialog.
type deviceView struct {
	m       *MainWindow
	task    *task
	caseID  int64  // 0: pulling creates a new case
	pkg     string // the case's package, selected in the app list
	changed func() // called after the case changed (nil on the home view)
	opened  func(id int64)

	devices []device.Device
	apps    []device.App
	shown   []device.App
	serial  string
	app     string

	devList  *widget.List
	appList  *widget.List
	filter   *widget.Entry
	info     *widget.Label
	caseBtns []*widget.Button
	pull     *widget.Button
	session  *sessionPane
}

func newDeviceView(m *MainWindow, t *task, caseID int64, changed func()) *deviceView {
	v := &deviceView{m: m, task: t, caseID: caseID, changed: changed}
	v.devList = widget.NewList(func() int { return len(v.devices) }, v.devCreate, v.devUpdate)
	v.devList.OnSelected = v.onDevice
	v.appList = widget.NewList(func() int { return len(v.shown) }, v.devCreate, v.appUpdate)
	v.appList.OnSelected = v.onApp
	v.filter = widget.NewEntry()
	v.filter.SetPlaceHolder(T("dev.filter"))
	v.filter.OnChanged = v.onFilter
	v.info = widget.NewLabel(T("dev.hint"))
	v.info.Wrapping = fyne.TextWrapWord
	v.session = newSessionPane(v)
	return v
}

func (v *deviceView) content() fyne.CanvasObject {
	refresh := widget.NewButtonWithIcon(T("dev.refresh"), theme.ViewRefreshIcon(), v.refresh)
	v.pull = widget.NewButtonWithIcon(T("dev.pull"), theme.DownloadIcon(), v.onPull)
	collect := widget.NewButtonWithIcon(T("dev.collect"), theme.StorageIcon(), v.onCollect)
	shot := widget.NewButtonWithIcon(T("dev.screenshot"), theme.MediaPhotoIcon(), v.onScreenshot)
	consentDlg := widget.NewButtonWithIcon(T("dev.consentdialog"), theme.DocumentIcon(), v.onConsentDialog)
	consent := widget.NewButtonWithIcon(T("dev.consent"), theme.ConfirmIcon(), v.onConsent)
	v.caseBtns = []*widget.Button{collect, shot, consentDlg, consent, v.session.record}
	if v.caseID == 0 {
		for _, b := range v.caseBtns {
			b.Disable()
		}
	}
	actions := container.NewVBox(container.NewGridWithColumns(1, v.pull, collect, shot, consentDlg, consent), v.session.actions())
	devPane := container.NewBorder(container.NewBorder(nil, nil, boldLabel(T("dev.devices")), refresh), nil, nil, nil, v.devList)
	appPane := container.NewBorder(container.NewVBox(boldLabel(T("dev.apps")), v.filter), nil, nil, nil, v.appList)
	v.session.box = container.NewVBox(v.info, v.session.result)
	right := container.NewBorder(actions, nil, nil, nil, container.NewVScroll(v.session.box))
	left := hsplit("device.lists", 0.4, devPane, appPane)
	return hsplit("device", 0.68, left, right)
}

// setCase remembers the case's package and shows its device evidence.
func (v *deviceView) setCase(c *workspace.Case) {
	v.pkg = c.Case.App.Package
	if c.Scan != nil && c.Scan.Package != "" {
		v.pkg = c.Scan.Package
	}
	v.info.SetText(evidenceSummary(c.Device, c.ConsentAt))
}

// evidenceSummary describes collected device evidence.
func evidenceSummary(ev *device.Evidence, consent time.Time) string {
	if ev == nil {
		return T("dev.noevidence")
	}
	granted := 0
	for _, p := range ev.Permissions {
		if p.Granted && p.Runtime {
			granted++
		}
	}
	s := T("dev.evidence", ev.Device.Model, ev.Device.Serial, fmtTimeZ(ev.Collected), len(ev.Timeline), granted, len(ev.Processes))
	if !consent.IsZero() {
		s += "\n" + T("dev.consentat", fmtTimeZ(consent), beforeConsent(ev, consent))
	}
	return s
}

func (v *deviceView) devCreate() fyne.CanvasObject {
	title, sub := newTruncLabel(), newTruncLabel()
	sub.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(title, sub)
}

func (v *deviceView) devUpdate(i widget.ListItemID, o fyne.CanvasObject) {
	d := v.devices[i]
	box := o.(*fyne.Container)
	title := strings.TrimSpace(d.Brand + " " + d.Model)
	if title == "" {
		title = d.Serial
	}
	box.Objects[0].(*widget.Label).SetText(title)
	sub := d.Serial + " · " + d.State
	if d.AndroidVersion != "" {
		sub += fmt.Sprintf(" · Android %s (API %d)", d.AndroidVersion, d.SDK)
	}
	box.Objects[1].(*widget.Label).SetText(sub)
}

func (v *deviceView) appUpdate(i widget.ListItemID, o fyne.CanvasObject) {
	a := v.shown[i]
	box := o.(*fyne.Container)
	t := a.Package
	if a.Package == v.pkg {
		t = "★ " + t
	}
	box.Objects[0].(*widget.Label).SetText(t)
	sub := fmt.Sprintf("%s (%d)", a.VersionName, a.VersionCode)
	if !a.LastUpdate.IsZero() {
		sub += " · " + displayTime(a.LastUpdate).Format("2006-01-02")
	}
	box.Objects[1].(*widget.Label).SetText(sub)
}

// refresh lists the devices.
func (v *deviceView) refresh() {
	v.task.run(T("dev.listing"), func(ctx context.Context) (func(), error) {
		ds, err := v.m.b.Devices(ctx)
		return func() {
			v.devices = ds
			v.devList.UnselectAll()
			v.devList.Refresh()
			if len(ds) == 0 && err == nil {
				v.info.SetText(T("dev.none"))
			}
		}, err
	})
}

// onDevice shows the fix of a device that is not ready, or lists its apps.
func (v *deviceView) onDevice(i int) {
	d := v.devices[i]
	if !d.Ready() {
		v.serial = ""
		v.info.SetText(T("dev.notready", d.Serial, d.State) + "\n" + d.Fix)
		return
	}
	v.serial = d.Serial
	serial := d.Serial
	v.task.run(T("dev.listingapps", serial), func(ctx context.Context) (func(), error) {
		apps, err := v.m.b.DeviceApps(ctx, serial)
		return func() {
			v.apps = apps
			v.onFilter(v.filter.Text)
			for j, a := range v.shown {
				if a.Package == v.pkg {
					v.appList.Select(j)
					v.appList.ScrollTo(j)
				}
			}
		}, err
	})
}

func (v *deviceView) onFilter(s string) {
	s = strings.ToLower(strings.TrimSpace(s))
	v.shown = v.shown[:0]
	for _, a := range v.apps {
		if s == "" || strings.Contains(strings.ToLower(a.Package), s) {
			v.shown = append(v.shown, a)
		}
	}
	v.appList.UnselectAll()
	v.appList.Refresh()
}

func (v *deviceView) onApp(i int) { v.app = v.shown[i].Package }

// ready checks that a device (and, with needApp, an app) is chosen.
func (v *deviceView) ready(needApp bool) bool {
	if v.serial == "" {
		dialog.ShowInformation(T("tab.device"), T("dev.choosedevice"), v.m.w)
		return false
	}
	if needApp && v.app == "" {
		dialog.ShowInformation(T("tab.device"), T("dev.chooseapp"), v.m.w)
		return false
	}
	return true
}

// onPull pulls the chosen app into the case (or a new case) and scans it.
func (v *deviceView) onPull() {
	if !v.ready(true) {
		return
	}
	serial, pkg, caseID := v.serial, v.app, v.caseID
	v.task.run(T("dev.pulling", pkg), func(ctx context.Context) (func(), error) {
		id, err := v.m.b.PullToCase(ctx, serial, pkg, caseID, v.task.countProgress)
		if err != nil {
			return nil, err
		}
		return func() { v.after(id) }, nil
	})
}

// after refreshes the case, or opens the new one.
func (v *deviceView) after(id int64) {
	switch {
	case v.opened != nil:
		v.opened(id)
	case v.changed != nil:
		v.changed()
	}
}

func (v *deviceView) onCollect() {
	if !v.ready(false) {
		return
	}
	serial, caseID := v.serial, v.caseID
	v.task.run(T("dev.collecting"), func(ctx context.Context) (func(), error) {
		_, err := v.m.b.CollectEvidence(ctx, caseID, serial)
		return func() { v.after(caseID) }, err
	})
}

func (v *deviceView) onScreenshot() {
	if !v.ready(false) {
		return
	}
	serial, caseID := v.serial, v.caseID
	v.task.run(T("dev.shooting"), func(ctx context.Context) (func(), error) {
		_, err := v.m.b.Screenshot(ctx, caseID, serial)
		return func() { v.after(caseID) }, err
	})
}

func (v *deviceView) onConsentDialog() {
	if !v.ready(false) {
		return
	}
	serial, caseID := v.serial, v.caseID
	v.task.run(T("dev.capturing"), func(ctx context.Context) (func(), error) {
		err := v.m.b.CaptureConsentDialog(ctx, caseID, serial)
		return func() { v.after(caseID) }, err
	})
}

// onConsent marks the consent moment now (on the device clock).
func (v *deviceView) onConsent() {
	caseID := v.caseID
	v.task.run(T("dev.marking"), func(ctx context.Context) (func(), error) {
		err := v.m.b.MarkConsent(ctx, caseID, time.Time{})
		return func() { v.after(caseID) }, err
	})
}

// showDeviceDialog opens the device panel over the home view: pulling an
// app creates a case and opens it.
func showDeviceDialog(m *MainWindow, caseID int64) *deviceView {
	t := newTask(m.w)
	v := newDeviceView(m, t, caseID, nil)
	var d dialog.Dialog
	v.opened = func(id int64) {
		d.Hide()
		m.openCase(id)
	}
	body := container.NewBorder(nil, t.content(), nil, nil, v.content())
	d = dialog.NewCustom(T("dev.title"), T("common.close"), body, m.w)
	d.SetOnClosed(t.onCancel)
	d.Resize(fyne.NewSize(1100, 600))
	d.Show()
	v.refresh()
	return v
}

// beforeConsent counts the operation events of the timeline before the
// consent moment.
func beforeConsent(ev *device.Evidence, consent time.Time) int {
	timeline := ev.Timeline
	if len(timeline) == 0 {
		timeline = device.BuildTimeline(ev)
	}
	n := 0
	for _, t := range timeline {
		if t.Op != "" && t.Time.Before(consent) {
			n++
		}
	}
	return n
}
