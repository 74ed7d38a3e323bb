package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/inspect"
)

// homeView lists the APKs scanned in this session and shows the facts of
// the selected one.
type homeView struct {
	w       fyne.Window
	b       Backend
	results []*inspect.Result
	list    *widget.List
	detail  *widget.Label
	open    *widget.Button
	cancel  *widget.Button
	frac    binding.Float
	step    binding.String
	stop    context.CancelFunc
	done    chan struct{}
}

func newHomeView(w fyne.Window, b Backend) *homeView {
	v := &homeView{w: w, b: b, frac: binding.NewFloat(), step: binding.NewString()}
	_ = v.step.Set(T("home.drop"))
	v.open = widget.NewButton(T("home.open"), v.onOpen)
	v.cancel = widget.NewButton(T("common.cancel"), v.onCancel)
	v.cancel.Disable()
	v.detail = widget.NewLabel(T("home.empty"))
	v.detail.Wrapping = fyne.TextWrapWord
	v.detail.TextStyle.Monospace = false
	v.list = widget.NewList(v.listLen, v.listCreate, v.listUpdate)
	v.list.OnSelected = v.onSelected
	return v
}

func (v *homeView) content() fyne.CanvasObject {
	bar := widget.NewProgressBarWithData(v.frac)
	top := container.NewBorder(nil, nil, v.open, v.cancel, container.NewVBox(widget.NewLabelWithData(v.step), bar))
	split := container.NewHSplit(
		container.NewBorder(widget.NewLabelWithStyle(T("home.scanned"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, v.list),
		container.NewVScroll(v.detail))
	split.Offset = 0.35
	return container.NewBorder(top, nil, nil, nil, split)
}

func (v *homeView) listLen() int { return len(v.results) }

func (v *homeView) listCreate() fyne.CanvasObject {
	return container.NewVBox(widget.NewLabel(""), widget.NewLabel(""))
}

func (v *homeView) listUpdate(i widget.ListItemID, o fyne.CanvasObject) {
	r := v.results[i]
	box := o.(*fyne.Container)
	title, sub := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label)
	if r.Error != "" {
		title.SetText("⚠ " + filepath.Base(r.File))
		sub.SetText(r.Error)
		return
	}
	title.SetText(displayLabel(r) + "  " + r.VersionName)
	sub.SetText(r.Package)
}

func displayLabel(r *inspect.Result) string {
	if Language() == "zh" && r.LabelZH != "" {
		return r.LabelZH
	}
	if r.Label != "" {
		return r.Label
	}
	return r.Package
}

func (v *homeView) onSelected(i widget.ListItemID) {
	v.detail.SetText(summary(v.results[i]))
}

func (v *homeView) onOpen() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			showError(v.w, err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		v.scan(path)
	}, v.w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".apk", ".apks", ".xapk"}))
	d.Show()
}

func (v *homeView) onDropped(_ fyne.Position, uris []fyne.URI) {
	for _, u := range uris {
		if ext := strings.ToLower(filepath.Ext(u.Path())); ext == ".apk" || ext == ".apks" || ext == ".xapk" {
			v.scan(u.Path())
			return
		}
	}
	dialog.ShowInformation(T("home.open"), T("home.dropwrong"), v.w)
}

// scan runs a scan off the UI goroutine with progress and Cancel.
func (v *homeView) scan(path string) {
	if v.stop != nil {
		return // one scan at a time
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.stop, v.done = cancel, make(chan struct{})
	v.open.Disable()
	v.cancel.Enable()
	_ = v.frac.Set(0)
	_ = v.step.Set(T("home.scanning", filepath.Base(path)))
	go func(done chan struct{}) {
		defer close(done)
		res, err := v.b.Scan(ctx, path, func(p inspect.Progress) {
			_ = v.frac.Set(p.Fraction())
			_ = v.step.Set(fmt.Sprintf("%s: %s %s", filepath.Base(path), p.Stage, filepath.Base(p.File)))
		})
		fyne.Do(func() { v.finish(res, err) })
	}(v.done)
}

func (v *homeView) finish(res *inspect.Result, err error) {
	v.stop = nil
	v.open.Enable()
	v.cancel.Disable()
	_ = v.frac.Set(1)
	if err != nil {
		_ = v.step.Set(T("home.failed"))
		showError(v.w, err)
		if res == nil {
			return
		}
	} else {
		_ = v.step.Set(T("home.done", displayLabel(res)))
	}
	v.results = append(v.results, res)
	v.list.Refresh()
	v.list.Select(len(v.results) - 1)
}

func (v *homeView) onCancel() {
	if v.stop != nil {
		v.stop()
	}
}

// cancelRunning stops a running scan when the window closes.
func (v *homeView) cancelRunning() {
	if v.stop != nil {
		v.stop()
	}
}

// summary is the readable list of facts for the detail pane.
func summary(r *inspect.Result) string {
	var b strings.Builder
	p := func(f string, a ...any) { fmt.Fprintf(&b, f, a...) }
	p("%s\n\n", r.File)
	if r.Error != "" {
		p("%s: %s\n\n", T("common.error"), r.Error)
	}
	p("%s: %s\n%s: %s\n", T("fact.label"), displayLabel(r), T("fact.package"), r.Package)
	p("%s: %s (%d)\n", T("fact.version"), r.VersionName, r.VersionCode)
	p("SDK: min %d, target %d\n", r.MinSDK, r.TargetSDK)
	p("SHA-256: %s\nMD5: %s\n", r.SHA256, r.MD5)
	if s := r.Signature; s != nil {
		p("%s: %v", T("fact.signature"), s.Schemes)
		for _, c := range s.Certificates {
			p("\n  %s\n  %s", c.Subject, c.SHA256)
		}
		p("\n")
	}
	p("\n%s (%d)\n", T("fact.permissions"), len(r.Permissions))
	for _, pm := range r.Permissions {
		desc := pm.EN
		if Language() == "zh" && pm.ZH != "" {
			desc = pm.ZH
		}
		mark := "  "
		if pm.Dangerous {
			mark = "⚠ "
		}
		p("%s%s — %s\n", mark, pm.Name, desc)
	}
	if len(r.SDKs) > 0 {
		p("\n%s (%d)\n", T("fact.sdks"), len(r.SDKs))
		for _, s := range r.SDKs {
			name := s.Name
			if Language() == "zh" && s.NameZH != "" {
				name = s.NameZH
			}
			p("  %s — %s (%s)\n", name, s.Vendor, s.Category)
		}
	}
	if len(r.APIs) > 0 {
		p("\n%s (%d)\n", T("fact.apis"), len(r.APIs))
		for _, a := range r.APIs {
			p("  %s.%s — %s\n", a.Class, a.Method, strings.Join(a.Owners, ", "))
		}
	}
	p("\n%s: %d, %s: %s\n", T("fact.classes"), r.Dex.Classes, T("fact.abis"), strings.Join(r.NativeABIs, ", "))
	if len(r.Endpoints) > 0 {
		p("\n%s (%d)\n", T("fact.endpoints"), len(r.Endpoints))
		for _, e := range r.Endpoints {
			p("  %s\n", e.Value)
		}
	}
	return b.String()
}
