package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefLastDir is the folder the last file dialog ended in.
const prefLastDir = "last_dir"

// Modes of the file chooser.
const (
	chooseOpen   = iota // an existing file
	chooseSave          // a file name in a folder
	chooseFolder        // a folder
)

// fileChooser is AppInspect's file dialog: it starts in the last-used
// folder (else Downloads, else home), is large, has a path field one can
// type or paste a path into, lists folders first, filters by extension,
// and speaks the UI language. Dropping files on the window still works
// beside it.
type fileChooser struct {
	w    fyne.Window
	mode int
	exts []string // lower-case, with the dot; empty: every file
	fn   func(path string)

	dir     string
	entries []os.DirEntry
	path    *widget.Entry // the folder shown, or a typed path
	name    *widget.Entry // the file name (save mode)
	list    *widget.List
	msg     *widget.Label
	ok      *widget.Button
	dlg     *dialog.CustomDialog
	chosen  string // the selected file (open mode)
	// overwrite: the inspector agreed to replace the existing file
	overwrite bool
}

// startDir is where a file dialog opens: the last-used folder when it
// still exists, else ~/Downloads (or its localised name 下载), else home.
func startDir() string {
	if a := fyne.CurrentApp(); a != nil {
		if d := a.Preferences().String(prefLastDir); d != "" && isDir(d) {
			return d
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return string(filepath.Separator)
	}
	for _, d := range []string{"Downloads", "下载"} {
		if p := filepath.Join(home, d); isDir(p) {
			return p
		}
	}
	return home
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// rememberDir stores the folder of a chosen path for the next dialog.
func rememberDir(dir string) {
	if a := fyne.CurrentApp(); a != nil && dir != "" {
		a.Preferences().SetString(prefLastDir, dir)
	}
}

func newFileChooser(w fyne.Window, mode int, exts []string, fn func(string)) *fileChooser {
	c := &fileChooser{w: w, mode: mode, fn: fn}
	for _, e := range exts {
		c.exts = append(c.exts, strings.ToLower(e))
	}
	c.path = widget.NewEntry()
	c.path.OnSubmitted = c.onPathSubmitted
	c.name = widget.NewEntry()
	c.msg = widget.NewLabel("")
	c.msg.Importance = widget.DangerImportance
	c.msg.Truncation = fyne.TextTruncateEllipsis
	c.list = widget.NewList(func() int { return len(c.entries) + 1 },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FileIcon()), widget.NewLabel(""), newTruncLabel())
		}, c.update)
	c.list.OnSelected = c.onSelect
	return c
}

func (c *fileChooser) title() string {
	switch c.mode {
	case chooseSave:
		return T("fd.save")
	case chooseFolder:
		return T("fd.folder")
	}
	if len(c.exts) > 0 {
		return T("fd.openext", strings.Join(c.exts, " "))
	}
	return T("fd.open")
}

// show builds the dialog at about 80% of the window and opens it.
func (c *fileChooser) show(name string) {
	places := c.places()
	placeList := widget.NewList(func() int { return len(places) },
		func() fyne.CanvasObject { return newTruncLabel() },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(places[i][0]) })
	placeList.OnSelected = func(i widget.ListItemID) {
		c.load(places[i][1])
		placeList.UnselectAll()
	}
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { c.load(filepath.Dir(c.dir)) })
	top := container.NewBorder(nil, nil, widget.NewLabel(T("fd.path")), up, c.path)
	okText := T("fd.openbtn")
	switch c.mode {
	case chooseSave:
		okText = T("common.save")
	case chooseFolder:
		okText = T("fd.choosefolder")
	}
	c.ok = widget.NewButton(okText, c.confirm)
	c.ok.Importance = widget.HighImportance
	bottom := container.NewVBox(c.msg)
	if c.mode == chooseSave {
		c.name.SetText(name)
		c.name.OnSubmitted = func(string) { c.confirm() }
		bottom.Add(container.NewBorder(nil, nil, widget.NewLabel(T("fd.name")), nil, c.name))
	}
	split := container.NewHSplit(container.NewBorder(boldLabel(T("fd.places")), nil, nil, nil, placeList), c.list)
	split.Offset = 0.22
	body := container.NewBorder(top, bottom, nil, nil, split)
	c.dlg = dialog.NewCustomWithoutButtons(c.title(), body, c.w)
	c.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(T("common.cancel"), c.dlg.Hide), c.ok})
	size := c.w.Canvas().Size()
	c.dlg.Resize(fyne.NewSize(max(size.Width*0.8, 700), max(size.Height*0.85, 480)))
	c.load(startDir())
	c.dlg.Show()
	c.w.Canvas().Focus(c.path)
}

// places are the shortcuts on the left: label, path.
func (c *fileChooser) places() [][2]string {
	var out [][2]string
	add := func(label, p string) {
		if p == "" || !isDir(p) {
			return
		}
		for _, o := range out {
			if o[1] == p {
				return
			}
		}
		out = append(out, [2]string{label, p})
	}
	if a := fyne.CurrentApp(); a != nil {
		add(T("fd.last"), a.Preferences().String(prefLastDir))
	}
	if home, err := os.UserHomeDir(); err == nil {
		add(T("fd.downloads"), filepath.Join(home, "Downloads"))
		add(T("fd.downloads"), filepath.Join(home, "下载"))
		add(T("fd.desktop"), filepath.Join(home, "Desktop"))
		add(T("fd.desktop"), filepath.Join(home, "桌面"))
		add(T("fd.documents"), filepath.Join(home, "Documents"))
		add(T("fd.home"), home)
	}
	add(T("fd.root"), string(filepath.Separator))
	return out
}

// load shows folder dir: sub-folders first, then the files the filter
// accepts, each by name.
func (c *fileChooser) load(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		c.msg.SetText(userMessage(withFile(dir, err)))
		return
	}
	c.dir = dir
	c.chosen = ""
	c.entries = c.entries[:0]
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if c.isDirEntry(e) {
			c.entries = append(c.entries, e)
		} else if c.mode != chooseFolder && c.accepts(e.Name()) {
			c.entries = append(c.entries, e)
		}
	}
	slices.SortStableFunc(c.entries, func(a, b os.DirEntry) int {
		if da, db := c.isDirEntry(a), c.isDirEntry(b); da != db {
			if da {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Name()), strings.ToLower(b.Name()))
	})
	c.path.SetText(dir)
	c.msg.SetText("")
	c.list.UnselectAll()
	c.list.Refresh()
	c.list.ScrollToTop()
}

func (c *fileChooser) isDirEntry(e os.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&os.ModeSymlink != 0 {
		return isDir(filepath.Join(c.dir, e.Name()))
	}
	return false
}

func (c *fileChooser) accepts(name string) bool {
	if len(c.exts) == 0 {
		return true
	}
	return slices.Contains(c.exts, strings.ToLower(filepath.Ext(name)))
}

// update draws row i: 0 is the parent folder.
func (c *fileChooser) update(i widget.ListItemID, o fyne.CanvasObject) {
	box := o.(*fyne.Container)
	label := box.Objects[0].(*widget.Label)
	icon := box.Objects[1].(*widget.Icon)
	info := box.Objects[2].(*widget.Label)
	if i == 0 {
		icon.SetResource(theme.MoveUpIcon())
		label.SetText(T("fd.parent"))
		info.SetText("")
		return
	}
	e := c.entries[i-1]
	if c.isDirEntry(e) {
		icon.SetResource(theme.FolderIcon())
		label.SetText(e.Name() + string(filepath.Separator))
		info.SetText("")
		return
	}
	icon.SetResource(theme.FileIcon())
	label.SetText(e.Name())
	if st, err := e.Info(); err == nil {
		info.SetText(fmt.Sprintf("%s  %s", sizeText(st.Size()), displayTime(st.ModTime()).Format("2006-01-02 15:04")))
	}
}

// onSelect opens a folder, or selects a file (its path goes into the path
// field; Open or Enter takes it).
func (c *fileChooser) onSelect(i widget.ListItemID) {
	if i == 0 {
		c.load(filepath.Dir(c.dir))
		return
	}
	e := c.entries[i-1]
	p := filepath.Join(c.dir, e.Name())
	if c.isDirEntry(e) {
		c.load(p)
		return
	}
	switch c.mode {
	case chooseSave:
		c.name.SetText(e.Name())
	case chooseOpen:
		c.chosen = p
		c.path.SetText(p)
	}
}

// onPathSubmitted goes to a typed folder, or takes a typed file.
func (c *fileChooser) onPathSubmitted(s string) {
	p := expandHome(strings.TrimSpace(s))
	if p == "" {
		return
	}
	if isDir(p) {
		c.load(p)
		return
	}
	if c.mode == chooseSave && isDir(filepath.Dir(p)) {
		c.load(filepath.Dir(p))
		c.name.SetText(filepath.Base(p))
		return
	}
	c.chosen = p
	c.confirm()
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// confirm checks the choice and hands it over.
func (c *fileChooser) confirm() {
	var p string
	switch c.mode {
	case chooseFolder:
		p = c.dir
		if typed := expandHome(strings.TrimSpace(c.path.Text)); isDir(typed) {
			p = typed
		}
	case chooseSave:
		name := strings.TrimSpace(c.name.Text)
		if name == "" {
			c.msg.SetText(T("fd.noname"))
			return
		}
		p = filepath.Join(c.dir, name)
		if filepath.IsAbs(name) {
			p = name
		}
		if isDir(p) {
			c.load(p)
			return
		}
		if _, err := os.Stat(p); err == nil && !c.overwrite {
			// An existing file is replaced only when the inspector says so.
			dialog.ShowCustomConfirm(T("fd.exists.title"), T("fd.replace"), T("common.cancel"),
				widget.NewLabel(T("fd.exists", filepath.Base(p))), func(ok bool) {
					if ok {
						c.overwrite = true
						c.confirm()
					}
				}, c.w)
			return
		}
	default:
		p = c.chosen
		if typed := expandHome(strings.TrimSpace(c.path.Text)); typed != c.dir && typed != "" {
			p = typed
		}
		if p == "" {
			c.msg.SetText(T("fd.nofile"))
			return
		}
		st, err := os.Stat(p)
		if err != nil {
			c.msg.SetText(userMessage(withFile(p, err)))
			return
		}
		if st.IsDir() {
			c.load(p)
			return
		}
		if !c.accepts(p) {
			c.msg.SetText(T("fd.wrongext", filepath.Base(p), strings.Join(c.exts, " ")))
			return
		}
	}
	if c.mode == chooseFolder {
		rememberDir(p)
	} else {
		rememberDir(filepath.Dir(p))
	}
	c.dlg.Hide()
	c.fn(p)
}

// openFile shows the file dialog for an existing file with one of exts
// (none: any file) and calls fn with its path.
func openFile(w fyne.Window, exts []string, fn func(path string)) *fileChooser {
	c := newFileChooser(w, chooseOpen, exts, fn)
	c.show("")
	return c
}

// saveFile shows the file dialog for a file to write, proposing name.
func saveFile(w fyne.Window, name string, fn func(path string)) *fileChooser {
	c := newFileChooser(w, chooseSave, nil, fn)
	c.show(name)
	return c
}

// openFolder shows the file dialog for a folder.
func openFolder(w fyne.Window, fn func(path string)) *fileChooser {
	c := newFileChooser(w, chooseFolder, nil, fn)
	c.show("")
	return c
}
