package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
)

// clItem is one article of the checklist with the candidates citing it
// and the inspector's mark.
type clItem struct {
	Doc   string // document title
	Art   law.Article
	Cands []int // indices into the case's candidates
	Mark  *cases.Mark
}

// checklistView is the article checklist: documents → articles, each with
// its candidate findings, a verdict selector, a note and evidence links.
type checklistView struct {
	ws   *workspaceView
	data *workspace.Case

	doc          *widget.Select
	onlyCand     *widget.Check
	onlyViol     *widget.Check
	list         *widget.List
	detail       *fyne.Container
	detailScroll *container.Scroll // the article's text and candidates; back to the top for each article
	verdict      *widget.Select
	severity     *widget.Select
	note         *widget.Entry
	rect         *widget.Entry
	stmt         *widget.Entry // the plain-language statement printed in the notice
	evidence     *widget.CheckGroup
	saved        *widget.Label
	docIDs       []string
	all          []clItem
	items        []clItem // after filters
	sel          int      // index into items, -1 when none
	evHashes     []string // evidence hashes, in the order of evidence options
	evOptions    []string
}

func newChecklistView(ws *workspaceView) *checklistView {
	v := &checklistView{ws: ws, sel: -1}
	v.doc = widget.NewSelect(nil, v.onFilter)
	v.onlyCand = widget.NewCheck(T("cl.onlycand", 0), v.onCheck)
	v.onlyCand.Checked = true
	v.onlyViol = widget.NewCheck(T("cl.onlyviol", 0), v.onCheck)
	v.list = widget.NewList(func() int { return len(v.items) }, v.itemCreate, v.itemUpdate)
	v.list.OnSelected = v.onSelect
	var verdicts []string
	for _, vd := range cases.Verdicts {
		verdicts = append(verdicts, verdictName(vd))
	}
	v.verdict = widget.NewSelect(verdicts, nil)
	v.verdict.PlaceHolder = T("cl.pending")
	var sev []string
	for _, s := range cases.Severities {
		sev = append(sev, severityName(s))
	}
	v.severity = widget.NewSelect(sev, nil)
	v.severity.PlaceHolder = T("cl.severity")
	v.note = widget.NewMultiLineEntry()
	v.note.Wrapping = fyne.TextWrapWord
	v.note.SetPlaceHolder(T("cl.note"))
	v.note.SetMinRowsVisible(2)
	v.rect = widget.NewMultiLineEntry()
	v.rect.Wrapping = fyne.TextWrapWord
	v.rect.SetPlaceHolder(T("cl.rectification"))
	v.rect.SetMinRowsVisible(2)
	v.stmt = widget.NewMultiLineEntry()
	v.stmt.Wrapping = fyne.TextWrapWord
	v.stmt.SetPlaceHolder(T("cl.statement"))
	v.stmt.SetMinRowsVisible(2)
	v.evidence = widget.NewCheckGroup(nil, nil)
	v.saved = widget.NewLabel("")
	v.detail = container.NewVBox(widget.NewLabel(T("cl.choose")))
	return v
}

func (v *checklistView) content() fyne.CanvasObject {
	prev := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { v.step(-1) })
	next := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { v.step(1) })
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(v.onlyCand, v.onlyViol, prev, next), v.doc)
	save := widget.NewButtonWithIcon(T("cl.save"), theme.DocumentSaveIcon(), v.save)
	save.Importance = widget.HighImportance
	form := container.NewVBox(
		container.NewGridWithColumns(2, v.verdict, v.severity),
		v.note, v.stmt, v.rect,
		boldLabel(T("cl.evidence")), v.evidence,
		container.NewBorder(nil, nil, nil, save, v.saved))
	// The article and its candidates get most of the height; the divider
	// moves, and is remembered.
	v.detailScroll = container.NewVScroll(v.detail)
	right := vsplit("checklist.detail", 0.62, v.detailScroll, container.NewVScroll(form))
	split := hsplit("checklist", 0.4, v.list, right)
	return container.NewBorder(filters, nil, nil, nil, split)
}

// setCase builds the checklist of a case.
func (v *checklistView) setCase(c *workspace.Case) {
	v.data = c
	byArticle := map[string][]int{}
	for i, cand := range c.Candidates {
		for _, a := range cand.Articles {
			byArticle[a] = append(byArticle[a], i)
		}
	}
	v.all = v.all[:0]
	docNames := []string{T("cl.alldocs")}
	v.docIDs = []string{""}
	seen := map[string]bool{}
	if cat := v.ws.b.Law(); cat != nil {
		for _, d := range cat.Documents() {
			title := d.TitleZH
			if Language() == "en" && d.TitleEN != "" {
				title = d.TitleEN
			}
			docNames = append(docNames, title)
			v.docIDs = append(v.docIDs, d.ID)
			for _, a := range d.Articles {
				seen[a.ID] = true
				v.all = append(v.all, clItem{Doc: title, Art: a, Cands: byArticle[a.ID], Mark: v.markFor(a.ID)})
			}
		}
	}
	// Articles cited by candidates but unknown to the catalog are still listed.
	var extra []string
	for id := range byArticle {
		if !seen[id] {
			extra = append(extra, id)
		}
	}
	slices.Sort(extra)
	for _, id := range extra {
		doc, _, _ := strings.Cut(id, "/")
		v.all = append(v.all, clItem{Doc: doc, Art: law.Article{ID: id, DocID: doc, Number: id}, Cands: byArticle[id], Mark: v.markFor(id)})
	}
	v.evHashes, v.evOptions = nil, nil
	for _, e := range c.Evidence {
		v.evHashes = append(v.evHashes, e.SHA256)
		v.evOptions = append(v.evOptions, fmt.Sprintf("%s (%s)", e.Name, shortHash(e.SHA256)))
	}
	v.evidence.Options = v.evOptions
	v.evidence.Refresh()
	v.doc.OnChanged = nil
	v.doc.SetOptions(docNames)
	v.doc.SetSelectedIndex(0)
	v.doc.OnChanged = v.onFilter
	v.applyFilter()
}

// markFor is the mark of an article on the shown version (or the case).
func (v *checklistView) markFor(id string) *cases.Mark {
	var ver int64
	if v.data.Version != nil {
		ver = v.data.Version.ID
	}
	var best *cases.Mark
	for i := range v.data.Marks {
		m := &v.data.Marks[i]
		if m.ItemID != id {
			continue
		}
		if m.VersionID == ver {
			return m
		}
		if m.VersionID == 0 {
			best = m
		}
	}
	return best
}

func (v *checklistView) onFilter(string) { v.applyFilter() }
func (v *checklistView) onCheck(bool)    { v.applyFilter() }

// applyFilter applies the document and check filters and updates counts.
func (v *checklistView) applyFilter() {
	if v.data == nil {
		return
	}
	docID := ""
	if i := v.doc.SelectedIndex(); i > 0 && i < len(v.docIDs) {
		docID = v.docIDs[i]
	}
	var selID string
	if v.sel >= 0 && v.sel < len(v.items) {
		selID = v.items[v.sel].Art.ID
	}
	v.items = v.items[:0]
	nCand, nViol := 0, 0
	for _, it := range v.all {
		if docID != "" && it.Art.DocID != docID {
			continue
		}
		isCand := len(it.Cands) > 0
		isViol := it.Mark != nil && it.Mark.Verdict == cases.VerdictViolation
		if isCand {
			nCand++
		}
		if isViol {
			nViol++
		}
		if v.onlyCand.Checked && !isCand && !isViol {
			continue
		}
		if v.onlyViol.Checked && !isViol {
			continue
		}
		v.items = append(v.items, it)
	}
	v.onlyCand.Text = T("cl.onlycand", nCand)
	v.onlyCand.Refresh()
	v.onlyViol.Text = T("cl.onlyviol", nViol)
	v.onlyViol.Refresh()
	v.sel = -1
	v.list.UnselectAll()
	v.list.Refresh()
	for i, it := range v.items {
		if it.Art.ID == selID {
			v.list.Select(i)
			return
		}
	}
	v.showDetail()
}

func (v *checklistView) itemCreate() fyne.CanvasObject {
	title, sub := newTruncLabel(), newTruncLabel()
	sub.SizeName = theme.SizeNameCaptionText
	badge := widget.NewLabel("")
	return container.NewBorder(nil, nil, nil, badge, container.NewVBox(title, sub))
}

func (v *checklistView) itemUpdate(i widget.ListItemID, o fyne.CanvasObject) {
	it := v.items[i]
	box := o.(*fyne.Container)
	texts := box.Objects[0].(*fyne.Container)
	badge := box.Objects[1].(*widget.Label)
	title := law.NumberIn(it.Art.Number, Language())
	if t := articleTitle(it.Art); t != "" {
		title += " " + t
	}
	texts.Objects[0].(*widget.Label).SetText(title)
	texts.Objects[1].(*widget.Label).SetText(it.Doc + " · " + it.Art.ID)
	var parts []string
	if n := len(it.Cands); n > 0 {
		parts = append(parts, T("cl.cands", n))
	}
	badge.Importance = widget.MediumImportance
	if it.Mark != nil {
		parts = append(parts, verdictName(it.Mark.Verdict))
		switch it.Mark.Verdict {
		case cases.VerdictViolation:
			badge.Importance = widget.DangerImportance
		case cases.VerdictCompliant, cases.VerdictNotApplicable:
			badge.Importance = widget.SuccessImportance
		case cases.VerdictPending:
			badge.Importance = widget.WarningImportance
		}
		if it.Mark.NeedsReview {
			parts = append(parts, T("cl.needsreview"))
		}
	}
	badge.Text = strings.Join(parts, " · ")
	box.Refresh() // lay out again: the badge's width changed
}

func articleTitle(a law.Article) string {
	if Language() == "en" && a.TitleEN != "" {
		return a.TitleEN
	}
	return a.TitleZH
}

func (v *checklistView) onSelect(i int) {
	v.sel = i
	v.showDetail()
}

// showDetail shows the selected article: its text, candidates and mark.
func (v *checklistView) showDetail() {
	v.saved.SetText("")
	if v.sel < 0 || v.sel >= len(v.items) {
		v.detail.Objects = []fyne.CanvasObject{widget.NewLabel(T("cl.choose"))}
		v.detail.Refresh()
		v.verdict.ClearSelected()
		v.severity.ClearSelected()
		v.note.SetText("")
		v.rect.SetText("")
		v.stmt.SetText("")
		v.evidence.SetSelected(nil)
		return
	}
	it := v.items[v.sel]
	head := boldLabel(it.Doc + " " + law.NumberIn(it.Art.Number, Language()) + " " + articleTitle(it.Art))
	head.Wrapping = fyne.TextWrapWord
	text := widget.NewLabel(it.Art.DisplayText(Language()))
	text.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{head, text}
	// A gap article may be marked: the notice cites it by name and number.
	switch {
	case it.Art.Gap:
		objs = append(objs, widget.NewLabelWithStyle(T("cl.gapcite"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	case it.Art.Traditional:
		objs = append(objs, widget.NewLabelWithStyle(T("cl.tradtext"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	for _, o := range objs[2:] {
		o.(*widget.Label).Wrapping = fyne.TextWrapWord
	}
	objs = append(objs, widget.NewSeparator())
	if len(it.Cands) == 0 {
		objs = append(objs, widget.NewLabel(T("cl.nocands")))
	}
	for _, ci := range it.Cands {
		objs = append(objs, v.candidateBox(v.data.Candidates[ci])...)
	}
	v.detail.Objects = objs
	v.detail.Refresh()
	if v.detailScroll != nil {
		v.detailScroll.ScrollToTop()
	}
	m := it.Mark
	v.verdict.ClearSelected()
	v.severity.ClearSelected()
	v.note.SetText("")
	v.rect.SetText("")
	v.stmt.SetText("")
	v.evidence.SetSelected(nil)
	if m != nil {
		v.stmt.SetText(m.Statement)
		if i := slices.Index(cases.Verdicts, m.Verdict); i >= 0 {
			v.verdict.SetSelectedIndex(i)
		}
		if i := slices.Index(cases.Severities, m.Severity); i >= 0 {
			v.severity.SetSelectedIndex(i)
		}
		v.note.SetText(m.Note)
		v.rect.SetText(m.Rectification)
		var sel []string
		for i, h := range v.evHashes {
			if slices.Contains(m.Evidence, h) {
				sel = append(sel, v.evOptions[i])
			}
		}
		v.evidence.SetSelected(sel)
	} else if len(it.Cands) > 0 {
		c := v.data.Candidates[it.Cands[0]]
		if i := slices.Index(cases.Severities, c.Severity); i >= 0 {
			v.severity.SetSelectedIndex(i)
		}
		v.rect.SetText(candText(c.RectificationZH, c.RectificationEN))
	}
}

// candidateBox shows one candidate: title, severity, explanation and its
// evidence; policy evidence links jump to the span in the review tab.
func (v *checklistView) candidateBox(c rules.Candidate) []fyne.CanvasObject {
	title := boldLabel("● " + candText(c.TitleZH, c.TitleEN) + "  [" + severityName(c.Severity) + "]")
	title.Wrapping = fyne.TextWrapWord
	expl := candText(c.ExplanationZH, c.ExplanationEN)
	if expl == "" {
		expl = c.Explanation
	}
	ex := widget.NewLabel(expl)
	ex.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{title, ex}
	for _, e := range c.Evidence {
		line := e.Kind + ": " + e.Ref
		if e.Detail != "" {
			line += " — " + e.Detail
		}
		if e.Kind == "policy" && e.End > e.Start {
			start, end := e.Start, e.End
			b := widget.NewButtonWithIcon(line, theme.SearchIcon(), func() { v.showSpan(start, end) })
			b.Importance = widget.LowImportance
			b.Alignment = widget.ButtonAlignLeading
			objs = append(objs, b)
			continue
		}
		l := widget.NewLabel("· " + line)
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, l)
	}
	return append(objs, widget.NewSeparator())
}

// showSpan switches to the review tab and selects a policy span.
func (v *checklistView) showSpan(start, end int) {
	v.ws.tabs.SelectIndex(0)
	v.ws.review.selectSpan(start, end)
}

func candText(zh, en string) string {
	if Language() == "en" && en != "" {
		return en
	}
	if zh != "" {
		return zh
	}
	return en
}

// step selects the next (dir 1) or previous (-1) article with candidates.
func (v *checklistView) step(dir int) {
	n := len(v.items)
	if n == 0 {
		return
	}
	i := v.sel
	for range n {
		i += dir
		if i < 0 {
			i = n - 1
		}
		if i >= n {
			i = 0
		}
		if len(v.items[i].Cands) > 0 {
			v.list.Select(i)
			v.list.ScrollTo(i)
			return
		}
	}
}

// setVerdict selects a verdict for the shown article and saves it.
func (v *checklistView) setVerdict(vd cases.Verdict) {
	if v.sel < 0 {
		return
	}
	v.verdict.SetSelectedIndex(slices.Index(cases.Verdicts, vd))
	v.save()
}

// input is the mark the form describes.
func (v *checklistView) input() cases.MarkInput {
	it := v.items[v.sel]
	in := cases.MarkInput{ItemID: it.Art.ID, Note: strings.TrimSpace(v.note.Text),
		Rectification: strings.TrimSpace(v.rect.Text), Inspector: v.ws.b.Settings().Inspector}
	st := strings.TrimSpace(v.stmt.Text)
	in.Statement = &st // empty: the backend keeps the stored one or drafts one
	if v.data.Version != nil {
		in.VersionID = v.data.Version.ID
	}
	if i := v.verdict.SelectedIndex(); i >= 0 {
		in.Verdict = cases.Verdicts[i]
	}
	if i := v.severity.SelectedIndex(); i >= 0 {
		in.Severity = cases.Severities[i]
	}
	for _, s := range v.evidence.Selected {
		if i := slices.Index(v.evOptions, s); i >= 0 {
			in.Evidence = append(in.Evidence, v.evHashes[i])
		}
	}
	slices.Sort(in.Evidence)
	return in
}

// save stores the mark off the UI goroutine and updates the list.
func (v *checklistView) save() {
	if v.sel < 0 || v.sel >= len(v.items) || v.data == nil {
		return
	}
	in := v.input()
	if in.Verdict == cases.VerdictViolation && in.Severity == "" {
		in.Severity = cases.SeverityMedium
	}
	caseID := v.data.Case.ID
	v.ws.task.run(T("cl.saving", in.ItemID), func(ctx context.Context) (func(), error) {
		m, err := v.ws.b.SetMark(ctx, caseID, in)
		if err != nil {
			return nil, err
		}
		return func() { v.applyMark(m) }, nil
	})
}

// applyMark records a saved mark in the case and the lists.
func (v *checklistView) applyMark(m cases.Mark) {
	replaced := false
	for i := range v.data.Marks {
		if v.data.Marks[i].ItemID == m.ItemID && v.data.Marks[i].VersionID == m.VersionID {
			v.data.Marks[i] = m
			replaced = true
		}
	}
	if !replaced {
		v.data.Marks = append(v.data.Marks, m)
	}
	for i := range v.all {
		if v.all[i].Art.ID == m.ItemID {
			v.all[i].Mark = v.markFor(m.ItemID)
		}
	}
	v.applyFilter()
	if v.sel >= 0 && v.sel < len(v.items) && v.items[v.sel].Art.ID == m.ItemID {
		v.stmt.SetText(m.Statement) // the draft the backend stored, for editing
	}
	v.saved.SetText(T("cl.saved", m.ItemID, verdictName(m.Verdict)))
	v.ws.exports.setCase(v.data)
}

func verdictName(vd cases.Verdict) string {
	if vd == cases.VerdictPending {
		return T("cl.pending")
	}
	if Language() == "zh" {
		return vd.ZH()
	}
	return vd.EN()
}

func severityName(s cases.Severity) string {
	if s == "" {
		return "-"
	}
	if Language() == "zh" {
		return s.ZH()
	}
	return s.EN()
}
