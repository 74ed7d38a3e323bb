package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

// galleryView lists the case's evidence files with their hashes and
// previews screenshots.
type galleryView struct {
	ws   *workspaceView
	data *workspace.Case

	kind    *widget.Select
	list    *widget.List
	image   *canvas.Image
	info    *widget.Label
	hash    *widget.Entry
	right   *fyne.Container // laid out again when the details change height
	items   []cases.Evidence
	selHash string
}

func newGalleryView(ws *workspaceView) *galleryView {
	v := &galleryView{ws: ws}
	var kinds []string
	for _, k := range cases.EvidenceKinds {
		kinds = append(kinds, evidenceKindName(k))
	}
	v.kind = widget.NewSelect(kinds, nil)
	v.kind.SetSelectedIndex(len(kinds) - 1)
	v.list = widget.NewList(func() int { return len(v.items) }, v.itemCreate, v.itemUpdate)
	v.list.OnSelected = v.onSelect
	v.image = canvas.NewImageFromResource(nil)
	v.image.FillMode = canvas.ImageFillContain
	v.image.SetMinSize(fyne.NewSize(200, 200))
	v.info = widget.NewLabel(T("gallery.choose"))
	v.hash = widget.NewEntry() // selectable, for copying
	v.hash.TextStyle.Monospace = true
	return v
}

func (v *galleryView) content() fyne.CanvasObject {
	attach := widget.NewButtonWithIcon(T("gallery.attach"), theme.ContentAddIcon(), func() {
		openFile(v.ws.w, nil, v.attach)
	})
	copyHash := widget.NewButtonWithIcon(T("gallery.copy"), theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(v.selHash)
	})
	top := container.NewHBox(widget.NewLabel(T("gallery.kind")), v.kind, attach)
	v.right = container.NewBorder(container.NewVBox(v.info, container.NewBorder(nil, nil, nil, copyHash, v.hash)), nil, nil, nil, v.image)
	right := v.right
	split := hsplit("evidence", 0.45, v.list, right)
	return container.NewBorder(top, nil, nil, nil, split)
}

func (v *galleryView) setCase(c *workspace.Case) {
	v.data = c
	v.items = c.Evidence
	v.list.UnselectAll()
	v.list.Refresh()
	v.info.SetText(T("gallery.count", len(v.items)))
	v.hash.SetText("")
	v.image.Resource, v.image.File = nil, ""
	v.image.Refresh()
}

func (v *galleryView) itemCreate() fyne.CanvasObject {
	title, sub := newTruncLabel(), newTruncLabel()
	sub.TextStyle.Monospace = true
	sub.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(title, sub)
}

func (v *galleryView) itemUpdate(i widget.ListItemID, o fyne.CanvasObject) {
	e := v.items[i]
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(fmt.Sprintf("[%s] %s · %s", evidenceKindName(e.Kind), e.Name, sizeText(e.Size)))
	box.Objects[1].(*widget.Label).SetText("SHA-256 " + e.SHA256)
}

func (v *galleryView) onSelect(i int) {
	e := v.items[i]
	v.selHash = e.SHA256
	v.hash.SetText(e.SHA256)
	lines := []string{
		e.Name,
		T("gallery.kind") + " " + evidenceKindName(e.Kind) + " · " + sizeText(e.Size) + " · " + e.MediaType,
		T("gallery.added") + " " + fmtTimeZ(e.Added),
	}
	if e.Source != "" {
		lines = append(lines, T("gallery.source")+" "+e.Source)
	}
	if !e.DeviceTime.IsZero() {
		lines = append(lines, T("gallery.devicetime")+" "+fmtTimeZ(e.DeviceTime))
	}
	v.info.SetText(strings.Join(lines, "\n"))
	v.image.Resource = nil
	v.image.File = ""
	if e.Kind == cases.EvidenceScreenshot || strings.HasPrefix(e.MediaType, "image/") {
		v.image.File = v.ws.b.EvidenceFile(e.SHA256)
	}
	v.image.Refresh()
	if v.right != nil {
		v.right.Refresh()
	}
}

// attach stores a file as evidence of the chosen kind.
func (v *galleryView) attach(path string) {
	kind := cases.EvidenceOther
	if i := v.kind.SelectedIndex(); i >= 0 {
		kind = cases.EvidenceKinds[i]
	}
	id := v.ws.caseID
	v.ws.task.run(T("gallery.attaching", filepath.Base(path)), func(ctx context.Context) (func(), error) {
		_, err := v.ws.b.AttachFile(ctx, id, kind, path)
		return v.ws.reload, withFile(path, err)
	})
}

func evidenceKindName(k cases.EvidenceKind) string { return T("evkind." + string(k)) }
