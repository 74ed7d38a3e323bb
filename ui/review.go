package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// Span kinds, also the highlight styles of the policy text.
const (
	spanNone = iota
	spanData
	spanGroup
	spanSDK
	spanNegated
	spanSelected
)

// policySpan is an extracted item of the policy, with what it declares.
type policySpan struct {
	Start, End int // rune offsets into the policy text
	Kind       int
	Label      string
	Cat        pi.Category
	Group      string
	SDKID      string
	SDKName    string
}

// para is one paragraph of the policy pane.
type para struct {
	Start, End int // rune offsets of the paragraph in the policy text
	runes      []rune
}

// Declared states of a detection row.
const (
	declNA = iota
	declYes
	declNo
)

// reviewRow is one detection: a permission, SDK, API use, endpoint,
// component, packer, device fact or screenshot. Its declared state is the
// stored rules.Disclosure's (the pane decides nothing): declNA when no
// disclosure judges it.
type reviewRow struct {
	Title, Sub string
	Decl       int
	Start, End int          // the first policy span that declares it (Decl == declYes)
	Spans      []rules.Span // every span that declares it
	Why        string       // the words that matched
	Evidence   string       // sha256 of a screenshot
	APIID      string       // the sensitive API (one API has a row per owner)
	Matched    bool         // matches the declared item chosen in the policy
	// SDK is the catalog id of an SDK row; Mention marks an SDK the scan only
	// found mentioned (selecting it offers to confirm it), ConfirmedBy one
	// present by the inspector's confirmation (selecting it offers to
	// withdraw it).
	SDK         string
	Mention     bool
	ConfirmedBy string
}

// Review tabs, in order.
const (
	revPermissions = iota
	revSDKs
	revAPIs
	revEndpoints
	revComponents
	revPackers
	revDevice
	revScreenshots
	revTabs
)

// reviewView shows the privacy policy with its extracted spans beside what
// the app does, each detection marked declared or not declared.
type reviewView struct {
	ws   *workspaceView
	data *workspace.Case

	// the open confirm/withdraw dialog of an SDK row and its note
	sdkDlg  *dialog.ConfirmDialog
	sdkNote *widget.Entry

	policyName *widget.Label
	found      *widget.Label
	items      *widget.List // declared items of the policy
	text       *policyText  // the paragraphs, wrapped as a whole with highlights inside
	scroll     *container.Scroll
	tabs       *container.AppTabs
	lists      [revTabs]*widget.List

	spans    []policySpan // declared items, in text order
	paras    []para
	selStart int // the selected span, -1 when none
	selEnd   int
	syncing  bool // the declared-item list is following a review row
	itemSel  int  // the selected declared item, -1 when none
	rows     [revTabs][]reviewRow
}

func newReviewView(ws *workspaceView) *reviewView {
	v := &reviewView{ws: ws, selStart: -1, selEnd: -1, itemSel: -1}
	v.policyName = newTruncLabel()
	v.found = widget.NewLabel(T("review.hint"))
	v.found.Truncation = fyne.TextTruncateEllipsis
	v.items = widget.NewList(func() int { return len(v.spans) },
		func() fyne.CanvasObject { return newTruncLabel() }, v.itemUpdate)
	v.items.OnSelected = v.onItem
	v.text = newPolicyText()
	v.scroll = container.NewVScroll(v.text)
	v.text.onHeight = func() { v.scroll.Refresh() }
	v.scroll.OnScrolled = func(p fyne.Position) { v.text.setViewport(p.Y, v.scroll.Size().Height) }
	titles := []string{"review.permissions", "review.sdks", "review.apis", "review.endpoints", "review.components", "review.packers", "review.device", "review.screenshots"}
	var tabs []*container.TabItem
	for i := range revTabs {
		v.lists[i] = v.newRowList(i)
		tabs = append(tabs, container.NewTabItem(T(titles[i]), v.lists[i]))
	}
	v.tabs = container.NewAppTabs(tabs...)
	// Tabs down the side: all eight with their counts stay visible at any
	// width and in either language (a row of them overflowed at 1366 px).
	v.tabs.SetTabLocation(container.TabLocationLeading)
	return v
}

func (v *reviewView) content() fyne.CanvasObject {
	importFile := widget.NewButtonWithIcon(T("review.importpolicy"), theme.FolderOpenIcon(), v.onImportFile)
	paste := widget.NewButtonWithIcon(T("review.pastepolicy"), theme.ContentPasteIcon(), v.onPaste)
	head := container.NewBorder(nil, nil, boldLabel(T("review.policy")), container.NewHBox(importFile, paste), v.policyName)
	policyPane := vsplit("review.policy", 0.28,
		container.NewBorder(boldLabel(T("review.declared")), nil, nil, nil, v.items),
		container.NewBorder(v.found, nil, nil, nil, v.scroll))
	return hsplit("review", 0.45, container.NewBorder(head, nil, nil, nil, policyPane), v.tabs)
}

// setCase shows the case's policy and detections.
func (v *reviewView) setCase(c *workspace.Case) {
	v.data = c
	name := c.PolicyName
	if name == "" {
		name = T("review.nopolicy")
	}
	v.policyName.SetText(name)
	v.spans = extractSpans(c.Policy)
	v.selStart, v.selEnd = -1, -1
	v.buildParagraphs(c.PolicyText)
	v.rows = buildRows(c)
	v.found.SetText(T("review.hint"))
	v.found.Importance = widget.MediumImportance
	v.items.UnselectAll()
	v.itemSel = -1
	v.items.Refresh()
	for i := range revTabs {
		v.lists[i].UnselectAll()
		v.lists[i].Refresh()
	}
	v.updateTabTitles()
}

func (v *reviewView) updateTabTitles() {
	titles := []string{"review.permissions", "review.sdks", "review.apis", "review.endpoints", "review.components", "review.packers", "review.device", "review.screenshots"}
	for i, t := range v.tabs.Items {
		n, undeclared := len(v.rows[i]), 0
		for _, r := range v.rows[i] {
			if r.Decl == declNo {
				undeclared++
			}
		}
		if i == revAPIs {
			// Counted per API, as the scan summary and the report count
			// them (the list has a row per API and owner).
			n, undeclared = countAPIs(v.rows[i])
		}
		if undeclared > 0 {
			t.Text = fmt.Sprintf("%s %d/%d", T(titles[i]), undeclared, n)
		} else {
			t.Text = fmt.Sprintf("%s %d", T(titles[i]), n)
		}
	}
	v.tabs.Refresh()
}

// buildParagraphs splits the policy text into paragraphs (one per line),
// each drawn as one wrapped run of text with its spans styled inside.
func (v *reviewView) buildParagraphs(text string) {
	v.paras = v.paras[:0]
	var segs [][]widget.RichTextSegment
	off := 0
	for _, line := range strings.Split(text, "\n") {
		n := utf8.RuneCountInString(line)
		if strings.TrimSpace(line) != "" {
			p := para{Start: off, End: off + n, runes: []rune(line)}
			v.paras = append(v.paras, p)
			segs = append(segs, segmentsFor(p.runes, p.Start, v.spans, v.selStart, v.selEnd))
		}
		off += n + 1
	}
	if len(segs) == 0 {
		st := widget.RichTextStyleInline
		st.ColorName = theme.ColorNameDisabled
		segs = append(segs, []widget.RichTextSegment{&widget.TextSegment{Text: T("review.nopolicytext"), Style: st}})
	}
	v.text.SetParagraphs(segs)
	v.scroll.ScrollToTop()
	v.text.setViewport(0, v.scroll.Size().Height)
}

// segmentsFor builds the segments of one paragraph (runes, starting at
// rune offset base of the text): extracted spans coloured by kind, the
// selected span [selStart, selEnd) in bold red. Offsets are rune offsets.
func segmentsFor(runes []rune, base int, spans []policySpan, selStart, selEnd int) []widget.RichTextSegment {
	style := make([]int8, len(runes))
	paint := func(s, e, k int) {
		s, e = max(s-base, 0), min(e-base, len(runes))
		for i := s; i < e; i++ {
			style[i] = int8(k)
		}
	}
	for _, sp := range spans {
		if sp.End > base && sp.Start < base+len(runes) {
			paint(sp.Start, sp.End, sp.Kind)
		}
	}
	if selStart >= 0 && selEnd > base && selStart < base+len(runes) {
		paint(selStart, selEnd, spanSelected)
	}
	var segs []widget.RichTextSegment
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && style[j] == style[i] {
			j++
		}
		segs = append(segs, &widget.TextSegment{Text: string(runes[i:j]), Style: spanStyle(int(style[i]))})
		i = j
	}
	return segs
}

func spanStyle(kind int) widget.RichTextStyle {
	s := widget.RichTextStyleInline
	switch kind {
	case spanData:
		s.ColorName = theme.ColorNamePrimary
	case spanGroup:
		s.ColorName = theme.ColorNameSuccess
	case spanSDK:
		s.ColorName = theme.ColorNameWarning
	case spanNegated:
		s.ColorName = theme.ColorNameDisabled
	case spanSelected:
		s.ColorName = theme.ColorNameError
		s.TextStyle = fyne.TextStyle{Bold: true}
	}
	return s
}

// selectSpan highlights [start, end) and scrolls the policy to it. Only
// the paragraphs of the old and new selection are rebuilt.
func (v *reviewView) selectSpan(start, end int) {
	old := v.paraIndex(v.selStart)
	v.selStart, v.selEnd = start, end
	now := v.paraIndex(start)
	for _, i := range []int{old, now} {
		if i >= 0 {
			p := v.paras[i]
			v.text.SetSegments(i, segmentsFor(p.runes, p.Start, v.spans, v.selStart, v.selEnd))
		}
	}
	if now >= 0 {
		v.scrollTo(now, start-v.paras[now].Start)
	}
}

// paraIndex is the paragraph holding rune offset off, or -1.
func (v *reviewView) paraIndex(off int) int {
	if off < 0 {
		return -1
	}
	i := sort.Search(len(v.paras), func(i int) bool { return v.paras[i].End > off })
	if i < len(v.paras) && v.paras[i].Start <= off {
		return i
	}
	if i < len(v.paras) {
		return i // the span starts in a blank line: show the next paragraph
	}
	return -1
}

// scrollTo scrolls the policy pane to the line holding rune off of
// paragraph i, a few lines below the top of the pane.
func (v *reviewView) scrollTo(i, off int) {
	y := v.text.ParaY(i, max(off, 0))
	y = max(y-v.text.lineH*2, 0)
	v.scroll.ScrollToOffset(fyne.NewPos(0, y))
	v.text.setViewport(v.scroll.Offset.Y, v.scroll.Size().Height)
}

// selectedText is the text of the selected span.
func (v *reviewView) selectedText() string {
	i := v.paraIndex(v.selStart)
	if i < 0 {
		return ""
	}
	p := v.paras[i]
	s, e := max(v.selStart-p.Start, 0), min(v.selEnd-p.Start, len(p.runes))
	if s >= e {
		return ""
	}
	return string(p.runes[s:e])
}

func (v *reviewView) itemUpdate(i int, o fyne.CanvasObject) {
	o.(*widget.Label).SetText(v.spans[i].Label)
}

// onItem selects a declared item: its span is highlighted and the
// detections it covers are marked, showing the first tab that has some.
func (v *reviewView) onItem(i int) {
	v.itemSel = i
	if v.syncing {
		return
	}
	sp := v.spans[i]
	v.selectSpan(sp.Start, sp.End)
	first := -1
	total := 0
	for t := range revTabs {
		for j := range v.rows[t] {
			r := &v.rows[t][j]
			r.Matched = sp.matches(r)
			if r.Matched {
				total++
				if first < 0 {
					first = t
				}
			}
		}
		v.lists[t].Refresh()
	}
	if first >= 0 {
		v.tabs.SelectIndex(first)
	}
	v.found.Importance = widget.MediumImportance
	v.found.SetText(T("review.matches", sp.Label, total))
}

// matches reports whether a detection row is covered by the span: the
// row's disclosure cites it among the spans that declare it.
func (sp policySpan) matches(r *reviewRow) bool {
	if sp.Kind == spanNegated {
		return false
	}
	for _, d := range r.Spans {
		if d.Start == sp.Start && d.End == sp.End {
			return true
		}
	}
	return false
}

func (v *reviewView) newRowList(tab int) *widget.List {
	l := widget.NewList(func() int { return len(v.rows[tab]) }, v.rowCreate,
		func(i widget.ListItemID, o fyne.CanvasObject) { v.rowUpdate(tab, i, o) })
	l.OnSelected = func(i widget.ListItemID) { v.onRow(tab, i) }
	return l
}

func (v *reviewView) rowCreate() fyne.CanvasObject {
	title, sub := newTruncLabel(), newTruncLabel()
	sub.SizeName = theme.SizeNameCaptionText
	decl := widget.NewLabel("")
	return container.NewBorder(nil, nil, nil, decl, container.NewVBox(title, sub))
}

func (v *reviewView) rowUpdate(tab, i int, o fyne.CanvasObject) {
	r := v.rows[tab][i]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	decl := box.Objects[1].(*widget.Label)
	title := texts.Objects[0].(*widget.Label)
	title.TextStyle.Bold = r.Matched
	if r.Matched {
		title.SetText("▶ " + r.Title)
	} else {
		title.SetText(r.Title)
	}
	texts.Objects[1].(*widget.Label).SetText(r.Sub)
	switch r.Decl {
	case declYes:
		decl.Importance = widget.SuccessImportance
		decl.SetText("✓ " + T("review.declaredyes"))
	case declNo:
		decl.Importance = widget.DangerImportance
		decl.SetText("✗ " + T("review.declaredno"))
	default:
		decl.Importance = widget.LowImportance
		decl.SetText("—")
	}
	box.Refresh() // lay out again: the state's width changed
}

// onRow jumps to the row's policy span or says it is not in the policy.
func (v *reviewView) onRow(tab, i int) {
	r := v.rows[tab][i]
	if tab == revScreenshots && r.Evidence != "" {
		v.showScreenshot(r)
	}
	if r.Mention || r.ConfirmedBy != "" {
		defer v.askConfirmSDK(r)
	}
	// The selection follows the row: its span in the policy text and in the
	// list of declared items, or no selection when the policy declares
	// nothing for it.
	switch r.Decl {
	case declYes:
		v.selectSpan(r.Start, r.End)
		v.followItem(r.Start, r.End)
		v.found.Importance = widget.SuccessImportance
		v.found.SetText(T("review.foundat", r.Title, v.selectedText()))
	case declNo:
		v.selectSpan(-1, -1)
		v.followItem(-1, -1)
		v.found.Importance = widget.DangerImportance
		v.found.SetText(T("review.notfound", r.Title))
	default:
		v.selectSpan(-1, -1)
		v.followItem(-1, -1)
		v.found.Importance = widget.MediumImportance
		if r.Mention {
			v.found.SetText(T("review.mentionfound", strings.TrimPrefix(r.Title, T("review.sdkmentionprefix"))))
		} else {
			v.found.SetText(T("review.notpi", r.Title))
		}
	}
}

// followItem selects the declared item at [start, end) in the item list
// (none when start < 0) without re-marking the detections.
func (v *reviewView) followItem(start, end int) {
	v.syncing = true
	defer func() { v.syncing = false }()
	for i, sp := range v.spans {
		if sp.Start == start && sp.End == end {
			v.items.Select(i)
			v.items.ScrollTo(i)
			return
		}
	}
	v.items.UnselectAll()
	v.itemSel = -1
}

// askConfirmSDK offers to confirm a mentioned SDK, with a note saying how
// it was seen in the app, or to withdraw a confirmation.
func (v *reviewView) askConfirmSDK(r reviewRow) {
	if v.data == nil || v.data.Version == nil {
		return
	}
	// the row can be selected again to reopen the dialog
	reselect := func() { v.lists[revSDKs].UnselectAll() }
	if len(v.data.Versions) == 0 || v.data.Versions[len(v.data.Versions)-1].ID != v.data.Version.ID {
		d := dialog.NewInformation(T("review.confirm.title"), T("review.confirm.newestonly"), v.ws.w)
		d.SetOnClosed(reselect)
		d.Show()
		return
	}
	name := strings.TrimPrefix(r.Title, T("review.sdkmentionprefix"))
	if r.ConfirmedBy != "" {
		d := dialog.NewConfirm(T("review.withdraw.title"), T("review.withdraw.body", name, r.ConfirmedBy), func(ok bool) {
			if ok {
				v.ws.confirmSDK(r.SDK, "", true)
			}
		}, v.ws.w)
		d.SetOnClosed(reselect)
		v.sdkDlg = d
		d.Show()
		return
	}
	msg := widget.NewLabel(T("review.confirm.body", name))
	msg.Wrapping = fyne.TextWrapWord
	if Language() == "zh" {
		msg.Wrapping = fyne.TextWrapBreak // Chinese breaks between any two characters
	}
	note := widget.NewMultiLineEntry()
	note.Wrapping = fyne.TextWrapWord
	note.SetPlaceHolder(T("review.confirm.placeholder"))
	note.SetMinRowsVisible(3)
	d := dialog.NewCustomConfirm(T("review.confirm.title"), T("review.confirm.ok"), T("common.cancel"), container.NewVBox(msg, note), func(ok bool) {
		if ok {
			v.ws.confirmSDK(r.SDK, note.Text, false)
		}
	}, v.ws.w)
	d.SetOnClosed(reselect)
	d.Resize(fyne.NewSize(560, 320))
	v.sdkDlg, v.sdkNote = d, note
	d.Show()
}

func (v *reviewView) showScreenshot(r reviewRow) {
	img := canvas.NewImageFromFile(v.ws.b.EvidenceFile(r.Evidence))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(360, 560))
	dialog.ShowCustom(r.Title, T("common.close"), img, v.ws.w)
}

func (v *reviewView) onImportFile() {
	openFile(v.ws.w, []string{".txt", ".html", ".htm", ".pdf", ".docx", ".md", ".xml"}, func(path string) { v.setPolicy(path, "") })
}

func (v *reviewView) onPaste() { v.showPaste("") }

// showPaste asks for the policy text, starting with text (what was pasted
// before, when storing it failed: nothing typed is lost).
func (v *reviewView) showPaste(text string) {
	e := widget.NewMultiLineEntry()
	e.SetText(text)
	e.Wrapping = fyne.TextWrapWord
	e.SetMinRowsVisible(12)
	d := dialog.NewCustomConfirm(T("review.pastepolicy"), T("common.ok"), T("common.cancel"), e, func(ok bool) {
		if ok && strings.TrimSpace(e.Text) != "" {
			v.setPolicy("", e.Text)
		}
	}, v.ws.w)
	d.Resize(fyne.NewSize(700, 460))
	d.Show()
}

// setPolicy replaces the version's policy off the UI goroutine.
func (v *reviewView) setPolicy(path, text string) {
	if v.data == nil || v.data.Version == nil {
		showError(v.ws.w, fmt.Errorf("ui: set policy: %w", cases.ErrNotFound))
		return
	}
	caseID, verID := v.data.Case.ID, v.data.Version.ID
	v.ws.task.run(T("review.importing"), func(ctx context.Context) (func(), error) {
		err := v.ws.b.SetPolicy(ctx, caseID, verID, path, text)
		if err != nil {
			if path != "" {
				return nil, withFile(path, err)
			}
			return func() { v.showPaste(text) }, err // the pasted text comes back
		}
		return v.ws.reload, nil
	})
}

// extractSpans lists the declared items of an extraction in text order.
func extractSpans(e *policy.Extraction) []policySpan {
	if e == nil {
		return nil
	}
	var out []policySpan
	for _, d := range e.DataTypes {
		k := spanData
		label := catName(d.Category, d.Kind)
		if d.Text != label {
			label += " — " + d.Text
		}
		switch {
		case d.Negated:
			k = spanNegated
			label += " " + T("review.negated")
		case d.Practice == "":
			// named, but neither its sentence nor its section says it is
			// collected, used or shared: not a declaration (Declares)
			k = spanNegated
			label += " " + T("review.mentioned")
		}
		out = append(out, policySpan{Start: d.Start, End: d.End, Kind: k, Label: label, Cat: d.Category})
	}
	for _, g := range e.PermissionGroups {
		if g.Via != "permission" {
			continue // data mentions are listed as data types
		}
		out = append(out, policySpan{Start: g.Start, End: g.End, Kind: spanGroup, Group: g.Group,
			Label: T("review.group") + " " + g.Group + " — " + g.Text})
	}
	for _, s := range e.SDKs {
		out = append(out, policySpan{Start: s.Start, End: s.End, Kind: spanSDK, SDKID: s.ID, SDKName: s.Name,
			Label: "SDK — " + s.Name})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func catName(c pi.Category, kind string) string {
	if info, ok := pi.Lookup(c); ok {
		if Language() == "zh" {
			return info.ZH
		}
		return info.EN
	}
	if kind != "" {
		return kind
	}
	return string(c)
}

// disclosures indexes the stored disclosures of a case by kind, owner and
// ref (rules.Disclosure.Key).
type disclosures map[string]rules.Disclosure

func indexDisclosures(ds []rules.Disclosure) disclosures {
	m := make(disclosures, len(ds))
	for _, d := range ds {
		m[d.Key()] = d
	}
	return m
}

// decide copies the declared state of the disclosure kind/owner/ref into a
// row; a row no disclosure judges is not applicable.
func decide(r *reviewRow, ds disclosures, kind, owner, ref string) {
	d, ok := ds[kind+":"+owner+":"+ref]
	if !ok {
		r.Decl = declNA
		return
	}
	r.Spans, r.Why = d.Spans, d.Why
	if d.Declared && len(d.Spans) > 0 {
		r.Decl, r.Start, r.End = declYes, d.Spans[0].Start, d.Spans[0].End
		return
	}
	r.Decl = declNo
}

// buildRows builds the detection rows of every tab.
func buildRows(c *workspace.Case) [revTabs][]reviewRow {
	var rows [revTabs][]reviewRow
	ds := indexDisclosures(c.Disclosures)
	zh := Language() == "zh"
	if s := c.Scan; s != nil {
		for _, p := range s.Permissions {
			desc := p.EN
			if zh && p.ZH != "" {
				desc = p.ZH
			}
			if p.Dangerous {
				desc = "⚠ " + desc
			}
			r := reviewRow{Title: strings.TrimPrefix(p.Name, "android.permission."), Sub: desc}
			decide(&r, ds, rules.DisclosePermission, inspect.OwnerApp, p.Name)
			rows[revPermissions] = append(rows[revPermissions], r)
		}
		sdkNames := map[string]string{}
		for _, k := range s.SDKs {
			name := k.Name
			if zh && k.NameZH != "" {
				name = k.NameZH
			}
			sdkNames[k.ID] = name
			vendor := k.Vendor
			if zh && k.VendorZH != "" {
				vendor = k.VendorZH
			}
			used := T("review.sdkunused")
			if k.Used {
				used = T("review.sdkused")
			}
			var collects []string
			for _, c := range k.Collects {
				collects = append(collects, catName(c, ""))
			}
			sub := fmt.Sprintf("%s · %s · %s", vendor, sdkCategoryName(k.Category), used)
			if len(collects) > 0 {
				sub += " · " + strings.Join(collects, "、")
			}
			r := reviewRow{Title: name, Sub: sub, SDK: k.ID}
			if who, note, ok := k.Confirmation(); ok {
				r.ConfirmedBy = who
				r.Sub += " · " + T("review.sdkconfirmed", who, note)
			}
			decide(&r, ds, rules.DiscloseSDK, k.ID, k.ID)
			rows[revSDKs] = append(rows[revSDKs], r)
		}
		// SDKs only mentioned (strings, hosts, a callback class): listed
		// apart, never declared-or-not, never a finding on their own.
		for _, k := range s.SDKMentions {
			name, note := k.Name, k.Note
			if zh && k.NameZH != "" {
				name = k.NameZH
			}
			if zh && k.NoteZH != "" {
				note = k.NoteZH
			}
			sub := T("review.sdkmention")
			if note != "" {
				sub += " · " + note
			}
			rows[revSDKs] = append(rows[revSDKs], reviewRow{Title: T("review.sdkmentionprefix") + name, Sub: sub, Decl: declNA, SDK: k.ID, Mention: true})
		}
		rows[revAPIs] = apiRows(s, sdkNames, ds)
		for _, ep := range s.Endpoints {
			sub := fmt.Sprintf("%s · %s · ×%d", ep.Kind, strings.Join(ep.Sources, ", "), ep.Count)
			if ep.Policy {
				sub += " · " + T("review.policyurl")
			}
			// a statically found address is no behaviour: only a network
			// contact seen at run time has a disclosure
			r := reviewRow{Title: ep.Value, Sub: sub}
			decide(&r, ds, rules.DiscloseNetwork, inspect.OwnerApp, ep.Host)
			rows[revEndpoints] = append(rows[revEndpoints], r)
		}
		for _, comp := range s.Components {
			sub := comp.Kind
			if comp.Exported {
				sub += " · " + T("review.exported")
			}
			if comp.Permission != "" {
				sub += " · " + comp.Permission
			}
			rows[revComponents] = append(rows[revComponents], reviewRow{Title: comp.Name, Sub: sub})
		}
		for _, p := range s.Packers {
			vendor := p.Vendor
			if zh && p.VendorZH != "" {
				vendor = p.VendorZH
			}
			rows[revPackers] = append(rows[revPackers], reviewRow{Title: vendor, Sub: strings.Join(p.Evidence, ", ")})
		}
	}
	rows[revDevice] = deviceRows(c.Device, c.ConsentAt, ds)
	for _, ev := range c.Evidence {
		if ev.Kind != cases.EvidenceScreenshot {
			continue
		}
		when := ev.Added
		if !ev.DeviceTime.IsZero() {
			when = ev.DeviceTime
		}
		rows[revScreenshots] = append(rows[revScreenshots], reviewRow{Title: ev.Name,
			Sub: fmtTime(when) + " · " + shortHash(ev.SHA256), Evidence: ev.SHA256})
	}
	return rows
}

// countAPIs counts the distinct APIs of the API rows, and those with an
// undeclared use.
func countAPIs(rows []reviewRow) (n, undeclared int) {
	seen := map[string]bool{}
	und := map[string]bool{}
	for _, r := range rows {
		seen[r.APIID] = true
		if r.Decl == declNo {
			und[r.APIID] = true
		}
	}
	return len(seen), len(und)
}

// apiRows lists sensitive API uses grouped by owner (the app first, then
// SDKs by name).
func apiRows(s *inspect.Result, sdkNames map[string]string, ds disclosures) []reviewRow {
	type use struct {
		owner string
		api   inspect.APIUse
		n     int
	}
	var uses []use
	for _, a := range s.APIs {
		owners := a.Owners
		if len(owners) == 0 {
			owners = []string{"app"}
		}
		for _, o := range owners {
			n := 0
			for _, c := range a.Callers {
				if c.Owner == o {
					n++
				}
			}
			uses = append(uses, use{owner: o, api: a, n: n})
		}
	}
	ownerName := func(o string) string {
		if o == "app" {
			return T("review.ownerapp")
		}
		if n, ok := sdkNames[o]; ok {
			return n
		}
		return o
	}
	sort.SliceStable(uses, func(i, j int) bool {
		if (uses[i].owner == "app") != (uses[j].owner == "app") {
			return uses[i].owner == "app"
		}
		return ownerName(uses[i].owner) < ownerName(uses[j].owner)
	})
	zh := Language() == "zh"
	var rows []reviewRow
	for _, u := range uses {
		desc := u.api.EN
		if zh && u.api.ZH != "" {
			desc = u.api.ZH
		}
		short := u.api.Class[strings.LastIndex(u.api.Class, ".")+1:] + "." + u.api.Method
		sub := fmt.Sprintf("%s · %s", desc, T("review.callers", u.n))
		for _, c := range u.api.Callers {
			if c.Owner == u.owner {
				sub += " · " + c.Class + "." + c.Method
				break
			}
		}
		r := reviewRow{Title: ownerName(u.owner) + " › " + short, Sub: sub, APIID: u.api.ID}
		decide(&r, ds, rules.DiscloseAPI, u.owner, string(u.api.Category))
		rows = append(rows, r)
	}
	return rows
}

// deviceRows lists the device timeline, marking events before consent.
func deviceRows(ev *device.Evidence, consent time.Time, ds disclosures) []reviewRow {
	if ev == nil {
		return nil
	}
	timeline := ev.Timeline
	if len(timeline) == 0 {
		timeline = device.BuildTimeline(ev)
	}
	var rows []reviewRow
	for _, t := range timeline {
		title := fmtTime(t.Time) + "  " + t.Kind
		if t.Op != "" {
			title += " " + t.Op
		}
		sub := t.Detail
		if !consent.IsZero() && t.Time.Before(consent) && t.Op != "" {
			sub = "⚠ " + T("review.beforeconsent") + " " + sub
		}
		r := reviewRow{Title: title, Sub: sub}
		if t.Op != "" {
			decide(&r, ds, rules.DiscloseDevice, inspect.OwnerApp, rules.DeviceOpRef(t.Op))
		}
		rows = append(rows, r)
	}
	return rows
}

func shortHash(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
