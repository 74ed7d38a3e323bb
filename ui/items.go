package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases/checklist"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/workspace"
)

// tr picks the Chinese or English text for the UI language. The checklist
// view keeps its few strings here, next to their use.
func tr(zh, en string) string {
	if Language() == "zh" {
		return zh
	}
	return en
}

// itemRow is one row of the item list: a group heading or an entry.
type itemRow struct {
	group string // heading: the group's name; "" for an entry
	entry int    // index into sheet.Entries
}

// itemsView is the inspection checklist of a case, item by item: groups of
// items, filtered by method and result, each with its evidence, the cited
// article texts, the manual steps, and a result the inspector records.
// Keys (when its tab is shown): Ctrl+J / Ctrl+K next / previous item,
// Ctrl+1…4 fail, pass, not applicable, pending.
type itemsView struct {
	ws    *workspaceView
	mu    sync.Mutex // guards sheet against a load applying twice (see workspaceView.load)
	sheet *checklist.Sheet

	group   *widget.Select
	method  *widget.Select
	result  *widget.Select
	counts  *widget.Label
	list    *widget.List
	detail  *fyne.Container
	choice  *widget.RadioGroup
	note    *widget.Entry
	saved   *widget.Label
	savedID string // the item the saved message is about
	savedAt string
	rows    []itemRow
	sel     int // index into rows, -1 when none
	loaded  chan struct{}
	results []checklist.Result // in the order of choice's options
}

func newItemsView(ws *workspaceView) *itemsView {
	v := &itemsView{ws: ws, sel: -1, loaded: make(chan struct{})}
	v.group = widget.NewSelect(nil, v.onFilter)
	v.method = widget.NewSelect(nil, v.onFilter)
	v.result = widget.NewSelect(nil, v.onFilter)
	v.counts = widget.NewLabel("")
	v.list = widget.NewList(func() int { return len(v.rows) }, v.rowCreate, v.rowUpdate)
	v.list.OnSelected = v.onSelect
	v.results = []checklist.Result{checklist.ResultFail, checklist.ResultPass, checklist.ResultNA, checklist.ResultPending}
	var opts []string
	for i, r := range v.results {
		opts = append(opts, fmt.Sprintf("%s (Ctrl+%d)", r.Name(Language()), i+1))
	}
	v.choice = widget.NewRadioGroup(opts, nil)
	v.choice.Horizontal = true
	v.note = widget.NewMultiLineEntry()
	v.note.Wrapping = fyne.TextWrapWord
	v.note.SetPlaceHolder(tr("备注（检查过程、截图编号等）", "Note (what you checked, screenshot numbers …)"))
	v.note.SetMinRowsVisible(2)
	v.saved = widget.NewLabel("")
	v.detail = container.NewVBox(widget.NewLabel(tr("选择左侧的检查项。", "Choose an item on the left.")))
	v.setFilterOptions(nil)
	return v
}

func (v *itemsView) content() fyne.CanvasObject {
	prev := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { v.step(-1) })
	next := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { v.step(1) })
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(v.counts, prev, next),
		container.NewGridWithColumns(3, v.group, v.method, v.result))
	save := widget.NewButtonWithIcon(tr("保存结果", "Save result"), theme.DocumentSaveIcon(), v.save)
	save.Importance = widget.HighImportance
	form := container.NewVBox(widget.NewSeparator(), v.choice, v.note, container.NewBorder(nil, nil, nil, save, v.saved))
	right := container.NewBorder(nil, form, nil, nil, container.NewVScroll(v.detail))
	split := container.NewHSplit(v.list, right)
	split.Offset = 0.42
	return container.NewBorder(filters, nil, nil, nil, split)
}

// tabTitle is the title of the view's tab.
func (v *itemsView) tabTitle() string { return tr("检查项", "Inspection items") }

// setFilterOptions fills the filter selects (groups from the sheet).
func (v *itemsView) setFilterOptions(groups []checklist.Group) {
	g := []string{tr("全部分组", "All groups")}
	for _, x := range groups {
		g = append(g, x.Name(Language()))
	}
	m := []string{tr("全部方式", "All methods")}
	for _, x := range checklist.Methods {
		m = append(m, methodName(x))
	}
	r := []string{tr("全部结果", "All results")}
	for _, x := range checklist.Results {
		r = append(r, x.Name(Language()))
	}
	for _, s := range []struct {
		w    *widget.Select
		opts []string
	}{{v.group, g}, {v.method, m}, {v.result, r}} {
		keep := s.w.SelectedIndex()
		s.w.OnChanged = nil
		s.w.SetOptions(s.opts)
		if keep < 0 || keep >= len(s.opts) {
			keep = 0
		}
		s.w.SetSelectedIndex(keep)
		s.w.OnChanged = v.onFilter
	}
}

func methodName(m string) string {
	switch m {
	case checklist.MethodStatic:
		return tr("静态分析", "Static analysis")
	case checklist.MethodPolicy:
		return tr("隐私政策", "Privacy policy")
	case checklist.MethodDevice:
		return tr("设备检测", "On a device")
	case checklist.MethodManual:
		return tr("人工检查", "By hand")
	}
	return m
}

func itemSourceName(s string) string {
	switch s {
	case checklist.SourceRules:
		return tr("规则预填，待确认", "proposed by the rules, to confirm")
	case checklist.SourceInspector:
		return tr("检查人员已确认", "recorded by the inspector")
	}
	return tr("尚未检查", "not checked yet")
}

// setCase loads the checklist of the case off the UI goroutine.
func (v *itemsView) setCase(c *workspace.Case) {
	done := make(chan struct{})
	v.loaded = done
	id := c.Case.ID
	go func() {
		defer close(done)
		sheet, err := v.ws.b.Checklist(context.Background(), id)
		fyne.Do(func() {
			v.mu.Lock()
			defer v.mu.Unlock()
			if err != nil {
				showError(v.ws.w, err)
				return
			}
			v.apply(sheet)
		})
	}()
}

// apply shows a loaded sheet, keeping the selected item.
func (v *itemsView) apply(sheet *checklist.Sheet) {
	selID := v.selectedID()
	v.sheet = sheet
	v.setFilterOptions(sheet.Groups)
	v.applyFilter(selID)
}

func (v *itemsView) selectedID() string {
	if v.sheet == nil || v.sel < 0 || v.sel >= len(v.rows) || v.rows[v.sel].group != "" {
		return ""
	}
	return v.sheet.Entries[v.rows[v.sel].entry].Item.ID
}

func (v *itemsView) onFilter(string) { v.applyFilter(v.selectedID()) }

// applyFilter rebuilds the rows: group headings followed by their items that
// pass the method and result filters.
func (v *itemsView) applyFilter(selID string) {
	if v.sheet == nil {
		return
	}
	gi, mi, ri := v.group.SelectedIndex(), v.method.SelectedIndex(), v.result.SelectedIndex()
	v.rows = v.rows[:0]
	counts := map[checklist.Result]int{}
	shown := 0
	for i, g := range v.sheet.Groups {
		if gi > 0 && gi-1 != i {
			continue
		}
		head := false
		for j, e := range v.sheet.Entries {
			if e.Item.Group != g.ID {
				continue
			}
			if mi > 0 && checklist.Methods[mi-1] != e.Item.Method {
				continue
			}
			counts[e.Result]++
			if ri > 0 && checklist.Results[ri-1] != e.Result {
				continue
			}
			if !head {
				v.rows = append(v.rows, itemRow{group: g.Name(Language())})
				head = true
			}
			v.rows = append(v.rows, itemRow{entry: j})
			shown++
		}
	}
	v.counts.SetText(fmt.Sprintf("%s %d · %s %d · %s %d · %s %d",
		checklist.ResultFail.Name(Language()), counts[checklist.ResultFail], checklist.ResultPass.Name(Language()), counts[checklist.ResultPass],
		checklist.ResultNA.Name(Language()), counts[checklist.ResultNA], checklist.ResultPending.Name(Language()), counts[checklist.ResultPending]))
	v.sel = -1
	v.list.UnselectAll()
	v.list.Refresh()
	for i, r := range v.rows {
		if r.group == "" && v.sheet.Entries[r.entry].Item.ID == selID {
			v.list.Select(i)
			return
		}
	}
	v.showDetail(nil)
}

func (v *itemsView) rowCreate() fyne.CanvasObject {
	badge := widget.NewLabel("")
	badge.TextStyle.Bold = true
	title := newTruncLabel()
	return container.NewBorder(nil, nil, badge, nil, title)
}

func (v *itemsView) rowUpdate(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(v.rows) {
		return
	}
	c := o.(*fyne.Container)
	title, badge := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
	r := v.rows[i]
	if r.group != "" {
		badge.SetText("▸")
		badge.Importance = widget.MediumImportance
		title.TextStyle.Bold = true
		title.SetText(r.group)
		return
	}
	e := v.sheet.Entries[r.entry]
	badge.SetText(e.Result.Name(Language()))
	badge.Importance = resultImportance(e.Result)
	badge.Refresh()
	title.TextStyle.Bold = false
	mark := ""
	if e.Source == checklist.SourceRules {
		mark = " *"
	}
	title.SetText(e.Item.Title(Language()) + mark)
}

func resultImportance(r checklist.Result) widget.Importance {
	switch r {
	case checklist.ResultFail:
		return widget.DangerImportance
	case checklist.ResultPass:
		return widget.SuccessImportance
	case checklist.ResultNA:
		return widget.LowImportance
	}
	return widget.WarningImportance
}

func (v *itemsView) onSelect(i widget.ListItemID) {
	if i < 0 || i >= len(v.rows) {
		return
	}
	if v.rows[i].group != "" {
		// A heading: move to its first item.
		if i+1 < len(v.rows) {
			v.list.Select(i + 1)
		}
		return
	}
	v.sel = i
	e := v.sheet.Entries[v.rows[i].entry]
	v.showDetail(&e)
}

// showDetail shows one entry (nil: none) and sets the form from it.
func (v *itemsView) showDetail(e *checklist.Entry) {
	v.saved.SetText("")
	if e != nil && e.Item.ID == v.savedID {
		v.saved.SetText(v.savedAt)
	}
	if e == nil {
		v.detail.Objects = []fyne.CanvasObject{widget.NewLabel(tr("选择左侧的检查项。", "Choose an item on the left."))}
		v.detail.Refresh()
		v.choice.SetSelected("")
		v.note.SetText("")
		return
	}
	lang := Language()
	it := e.Item
	g, _ := v.groupOf(it.Group)
	objs := []fyne.CanvasObject{
		wrapLabel(it.Title(lang), true),
		widget.NewLabel(fmt.Sprintf("%s · %s · %s", it.ID, g, methodName(it.Method))),
	}
	state := fmt.Sprintf("%s: %s（%s）", tr("结果", "Result"), e.Result.Name(lang), itemSourceName(e.Source))
	if e.Inspector != "" {
		state += " · " + e.Inspector
	}
	if e.Updated != nil {
		state += " · " + e.Updated.In(now().Location()).Format("2006-01-02 15:04")
	}
	st := widget.NewLabel(state)
	st.Importance = resultImportance(e.Result)
	objs = append(objs, st)
	if e.Note != "" {
		objs = append(objs, wrapLabel(tr("备注：", "Note: ")+e.Note, false))
	}
	if len(it.Rules) > 0 {
		objs = append(objs, boldLabel(tr("预填规则", "Rules that pre-fill it")), wrapLabel(strings.Join(it.Rules, ", "), false))
	}
	if len(e.Notes) > 0 {
		objs = append(objs, boldLabel(tr("规则发现", "What the rules found")))
		for _, n := range e.Notes {
			objs = append(objs, wrapLabel("• "+n.Rule+": "+pickLang(lang, n.ZH, n.EN), false))
		}
	}
	if len(e.Evidence) > 0 {
		objs = append(objs, boldLabel(fmt.Sprintf("%s (%d)", tr("证据", "Evidence"), len(e.Evidence))))
		for i, ev := range e.Evidence {
			if i == 30 {
				objs = append(objs, widget.NewLabel(fmt.Sprintf(tr("……另有%d项", "… %d more"), len(e.Evidence)-30)))
				break
			}
			line := ev.Key
			if ev.Detail != "" {
				line += " — " + ev.Detail
			}
			objs = append(objs, wrapLabel(line, false))
		}
	} else if it.Automatic() {
		objs = append(objs, wrapLabel(tr("规则未发现问题（不等于符合，请按步骤核实）。", "The rules found nothing (which is not proof of compliance: check by the steps)."), false))
	}
	objs = append(objs, boldLabel(tr("检查步骤", "Steps")), wrapLabel(it.Steps(lang), false),
		boldLabel(tr("符合表述", "Pass wording")), wrapLabel(it.Pass(lang), false),
		boldLabel(tr("不符合表述", "Fail wording")), wrapLabel(it.Fail(lang), false),
		boldLabel(tr("整改要求（默认）", "Rectification (default)")), wrapLabel(it.Rectification(lang), false),
		boldLabel(tr("依据条文", "Articles cited")))
	if cat := v.ws.b.Law(); cat != nil {
		for _, id := range it.Articles {
			a, ok := cat.Article(id)
			if !ok {
				objs = append(objs, wrapLabel(id+": "+tr("条文目录中没有此条", "not in the regulation catalog"), false))
				continue
			}
			head := a.ID + " " + law.NumberIn(a.Number, lang)
			if d, ok := cat.Document(a.DocID); ok {
				head = pickLang(lang, "《"+d.TitleZH+"》", d.TitleEN) + " " + law.NumberIn(a.Number, lang)
			}
			objs = append(objs, wrapLabel(head, true), wrapLabel(a.DisplayText(lang), false))
		}
	}
	if len(it.Scenes) > 0 {
		objs = append(objs, boldLabel(tr("164号文检测场景", "Inspection scenarios of MIIT notice 164")), wrapLabel(strings.Join(it.Scenes, ", "), false))
	}
	if len(it.Clauses) > 0 {
		var cl []string
		if cat := v.ws.b.Law(); cat != nil {
			for _, id := range it.Clauses {
				if a, ok := cat.Article(id); ok {
					cl = append(cl, law.NumberIn(a.Number, lang)+" "+pickLang(lang, a.TitleZH, firstNonEmpty(a.TitleEN, a.TitleZH)))
				}
			}
		}
		objs = append(objs, boldLabel("GB/T 41391-2022"), wrapLabel(strings.Join(cl, "; "), false))
	}
	v.detail.Objects = objs
	v.detail.Refresh()
	v.choice.SetSelected("")
	if e.Source == checklist.SourceInspector || e.Source == checklist.SourceRules {
		for i, r := range v.results {
			if r == e.Result {
				v.choice.SetSelected(v.choice.Options[i])
			}
		}
	}
	v.note.SetText(e.Note)
}

func (v *itemsView) groupOf(id string) (string, bool) {
	if v.sheet != nil {
		for _, g := range v.sheet.Groups {
			if g.ID == id {
				return g.Name(Language()), true
			}
		}
	}
	return id, false
}

func pickLang(lang, zh, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return zh
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

func wrapLabel(s string, bold bool) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle.Bold = bold
	return l
}

// step selects the next (dir 1) or previous (-1) item, wrapping around.
func (v *itemsView) step(dir int) {
	n := len(v.rows)
	if n == 0 {
		return
	}
	i := v.sel
	for k := 0; k < n; k++ {
		switch {
		case i < 0 && dir > 0:
			i = 0
		case i < 0:
			i = n - 1
		default:
			i = ((i+dir)%n + n) % n
		}
		if v.rows[i].group == "" {
			v.list.Select(i)
			v.list.ScrollTo(i)
			return
		}
	}
}

// setResultKey records result i of the radio options (Ctrl+1…4) on the
// selected item.
func (v *itemsView) setResultKey(i int) {
	if i < 0 || i >= len(v.results) {
		return
	}
	v.choice.SetSelected(v.choice.Options[i])
	v.save()
}

// save records the chosen result and note of the selected item.
func (v *itemsView) save() {
	id := v.selectedID()
	if id == "" {
		v.saved.SetText(tr("请先选择检查项。", "Choose an item first."))
		return
	}
	i := -1
	for k, o := range v.choice.Options {
		if o == v.choice.Selected {
			i = k
		}
	}
	if i < 0 {
		v.saved.SetText(tr("请选择结果。", "Choose a result."))
		return
	}
	res, note := v.results[i], strings.TrimSpace(v.note.Text)
	caseID := v.ws.caseID
	v.ws.task.run(tr("保存检查结果", "Saving the result"), func(ctx context.Context) (func(), error) {
		out, err := v.ws.b.SetItem(ctx, caseID, id, res, note)
		if err != nil {
			return nil, err
		}
		return func() {
			msg := fmt.Sprintf(tr("已保存：%s", "Saved: %s"), res.Name(Language()))
			if len(out.Marked) > 0 {
				msg += fmt.Sprintf(tr("；已标记违反 %s", "; marked as violated: %s"), strings.Join(out.Marked, ", "))
			}
			v.savedID, v.savedAt = id, msg
			v.saved.SetText(msg)
			v.ws.reload()
		}, nil
	})
}
