package ui

import (
	"context"
	"path/filepath"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
)

// diffView compares two versions of a case and re-inspects the case with a
// new APK. The first view compares the inspector's findings (marks) per
// version: fixed, new and remaining violations; the second the rule hits
// (candidate findings) of the two scans, with a fourth column for runtime
// findings the new build was not re-tested for (never counted as fixed).
type diffView struct {
	ws   *workspaceView
	data *workspace.Case

	from, to  *widget.Select
	summary   *widget.Label
	views     *container.AppTabs
	markLists [3]*widget.List
	marks     [3][]markChange
	lists     [4]*widget.List // rule hits: fixed, new, remaining, not re-tested
	findings  [4][]cases.Finding
	versionID []int64
	hits      *cases.Diff // the rule hits shown, nil when none for this pair
	setting   bool        // setCase is choosing the versions
}

// markChange is one item whose mark differs, or not, between two versions.
type markChange struct {
	Item     string
	From, To *cases.Mark // nil: no mark in that version
}

func newDiffView(ws *workspaceView) *diffView {
	v := &diffView{ws: ws}
	v.from = widget.NewSelect(nil, func(string) { v.pairChanged() })
	v.from.PlaceHolder = T("diff.pickversion")
	v.to = widget.NewSelect(nil, func(string) { v.pairChanged() })
	v.to.PlaceHolder = T("diff.pickversion")
	v.summary = widget.NewLabel(T("diff.hint"))
	v.summary.Wrapping = fyne.TextWrapWord
	for i := range v.lists {
		v.lists[i] = widget.NewList(func() int { return len(v.findings[i]) },
			func() fyne.CanvasObject { return newTruncLabel() },
			func(j widget.ListItemID, o fyne.CanvasObject) {
				o.(*widget.Label).SetText(v.findingText(v.findings[i][j]))
			})
	}
	for i := range v.markLists {
		v.markLists[i] = widget.NewList(func() int { return len(v.marks[i]) },
			func() fyne.CanvasObject {
				sub := newTruncLabel()
				sub.SizeName = theme.SizeNameCaptionText
				return container.NewVBox(newTruncLabel(), sub)
			},
			func(j widget.ListItemID, o fyne.CanvasObject) {
				title, sub := v.markText(v.marks[i][j])
				box := o.(*fyne.Container)
				box.Objects[0].(*widget.Label).SetText(title)
				box.Objects[1].(*widget.Label).SetText(sub)
			})
	}
	return v
}

func (v *diffView) content() fyne.CanvasObject {
	compare := widget.NewButtonWithIcon(T("diff.compare"), theme.SearchIcon(), v.compare)
	reinspect := widget.NewButtonWithIcon(T("diff.reinspect"), theme.UploadIcon(), func() {
		openFile(v.ws.w, []string{".apk", ".apks", ".xapk"}, v.reinspect)
	})
	// The version choices share the row's free width (no truncated labels).
	pick := container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel(T("diff.from")), nil, v.from),
		container.NewBorder(nil, nil, widget.NewLabel(T("diff.to")), nil, v.to))
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(compare, reinspect), pick), v.summary)
	titles := []string{T("diff.fixed"), T("diff.new"), T("diff.remaining"), T("diff.unchecked")}
	columns := func(ls []*widget.List) fyne.CanvasObject {
		var cols []fyne.CanvasObject
		for i, l := range ls {
			cols = append(cols, container.NewBorder(boldLabel(titles[i]), nil, nil, nil, l))
		}
		return container.NewGridWithColumns(len(ls), cols...)
	}
	v.views = container.NewAppTabs(
		container.NewTabItem(T("diff.marks"), columns(v.markLists[:])),
		container.NewTabItem(T("diff.rulehits"), columns(v.lists[:])))
	return container.NewBorder(top, nil, nil, nil, v.views)
}

// versionLabel names the i-th version (from 0) of a case by its place,
// version name and code and the time it was scanned: two scans of the
// same build stay apart.
func versionLabel(i int, ver cases.Version) string {
	return T("diff.verlabel", i+1, ver.VersionName, ver.VersionCode, displayTime(ver.Created).Format("2006-01-02 15:04"))
}

func (v *diffView) setCase(c *workspace.Case) {
	v.data = c
	var names []string
	v.versionID = nil
	for i, ver := range c.Versions {
		names = append(names, versionLabel(i, ver))
		v.versionID = append(v.versionID, ver.ID)
	}
	v.setting = true
	v.from.SetOptions(names)
	v.to.SetOptions(names)
	if n := len(names); n >= 2 {
		v.from.SetSelectedIndex(n - 2)
		v.to.SetSelectedIndex(n - 1)
	}
	v.setting = false
	v.showMarks()
	if len(names) < 2 {
		v.summary.SetText(T("diff.oneversion"))
	}
}

// pairChanged: the inspector chose other versions; rule hits of the old
// pair no longer apply.
func (v *diffView) pairChanged() {
	if v.setting {
		return
	}
	v.hits = nil
	v.findings = [4][]cases.Finding{}
	for _, l := range v.lists {
		l.Refresh()
	}
	v.showMarks()
}

// updateSummary says what the two views hold.
func (v *diffView) updateSummary() {
	s := T("diff.marksummary", len(v.marks[0]), len(v.marks[1]), len(v.marks[2]))
	if d := v.hits; d != nil {
		s += " " + T("diff.summary", len(d.Fixed), len(d.New), len(d.Remaining))
		if len(d.Unchecked) > 0 {
			s += " " + T("diff.uncheckedsummary", len(d.Unchecked))
		}
	}
	v.summary.SetText(s)
}

// diffMarks compares the inspector's marks of two versions, by item:
// fixed — a violation in from, decided otherwise in to;
// added — a violation in to that was not one in from;
// remaining — a violation in from that to confirms or has not decided yet
// (no mark, pending, carried forward and not reviewed).
func diffMarks(marks []cases.Mark, from, to int64) (fixed, added, remaining []markChange) {
	byItem := map[string]*markChange{}
	var items []string
	for i := range marks {
		m := &marks[i]
		if m.VersionID != from && m.VersionID != to {
			continue
		}
		c := byItem[m.ItemID]
		if c == nil {
			c = &markChange{Item: m.ItemID}
			byItem[m.ItemID] = c
			items = append(items, m.ItemID)
		}
		if m.VersionID == from {
			c.From = m
		} else {
			c.To = m
		}
	}
	sort.Strings(items)
	violation := func(m *cases.Mark) bool { return m != nil && m.Verdict == cases.VerdictViolation }
	decided := func(m *cases.Mark) bool { return m != nil && m.Verdict.Valid() && !m.NeedsReview }
	for _, it := range items {
		c := *byItem[it]
		switch {
		case violation(c.From) && decided(c.To) && !violation(c.To) && c.To.Verdict != cases.VerdictNeedsFollowUp:
			fixed = append(fixed, c)
		case violation(c.From):
			remaining = append(remaining, c)
		case violation(c.To) && decided(c.To):
			added = append(added, c)
		}
	}
	return fixed, added, remaining
}

// showMarks fills the findings view for the chosen versions (no backend
// call: the marks of every version are in the case).
func (v *diffView) showMarks() {
	fi, ti := v.from.SelectedIndex(), v.to.SelectedIndex()
	if v.data == nil || fi < 0 || ti < 0 || fi >= len(v.versionID) || ti >= len(v.versionID) {
		v.marks = [3][]markChange{}
	} else {
		f, a, r := diffMarks(v.data.Marks, v.versionID[fi], v.versionID[ti])
		v.marks = [3][]markChange{f, a, r}
		v.updateSummary()
	}
	for _, l := range v.markLists {
		l.Refresh()
	}
}

// markText is an item's title and its verdicts "from → to".
func (v *diffView) markText(c markChange) (string, string) {
	title := c.Item
	if cat := v.ws.b.Law(); cat != nil {
		// Number and id first: a long document title may be cut off.
		if a, ok := cat.Article(c.Item); ok {
			title = law.NumberIn(a.Number, Language()) + " (" + c.Item + ")"
			if t := articleTitle(a); t != "" {
				title += " " + t
			}
			if d, ok := cat.Document(a.DocID); ok {
				title += " · " + docTitle(d)
			}
		}
	}
	verdict := func(m *cases.Mark) string {
		switch {
		case m == nil:
			return T("diff.nomark")
		case m.NeedsReview:
			return verdictName(m.Verdict) + " (" + T("cl.needsreview") + ")"
		}
		return verdictName(m.Verdict)
	}
	return title, verdict(c.From) + " → " + verdict(c.To)
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

// compare diffs the rule hits of the two chosen versions off the UI
// goroutine; the findings view is already up to date.
func (v *diffView) compare() {
	fi, ti := v.from.SelectedIndex(), v.to.SelectedIndex()
	if fi < 0 || ti < 0 || v.data == nil {
		v.summary.SetText(T("diff.choose"))
		return
	}
	v.showMarks()
	caseID, from, to := v.data.Case.ID, v.versionID[fi], v.versionID[ti]
	v.ws.task.run(T("diff.comparing"), func(ctx context.Context) (func(), error) {
		d, err := v.ws.b.DiffVersions(ctx, caseID, from, to)
		if err != nil {
			return nil, err
		}
		return func() { v.show(*d) }, nil
	})
}

// show displays the rule hits of a diff, below the findings summary.
func (v *diffView) show(d cases.Diff) {
	v.findings = [4][]cases.Finding{d.Fixed, d.New, d.Remaining, d.Unchecked}
	v.hits = &d
	for _, l := range v.lists {
		l.Refresh()
	}
	v.updateSummary()
}

// reinspect adds a new APK version and shows what changed. The same APK
// again is refused by the backend (workspace.SameAPKError).
func (v *diffView) reinspect(path string) {
	req := workspace.ReinspectRequest{CaseID: v.ws.caseID, APK: path, Inspector: v.ws.b.Settings().Inspector}
	label := T("diff.reinspecting", filepath.Base(path))
	v.ws.task.run(label, func(ctx context.Context) (func(), error) {
		r, err := v.ws.b.Reinspect(ctx, req, v.ws.task.scanProgress(label))
		if err != nil {
			return nil, withFile(path, err)
		}
		return func() {
			v.ws.load(0)
			v.show(r.Diff)
		}, nil
	})
}

// docTitle is a regulation document's title in the UI language.
func docTitle(d law.Document) string {
	if Language() == "en" && d.TitleEN != "" {
		return d.TitleEN
	}
	return d.TitleZH
}
