package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
)

func TestChecklistCandidatesAndVerdict(t *testing.T) {
	b := newFake(t)
	var saved []cases.MarkInput
	b.SetMarkFn = func(_ context.Context, id int64, in cases.MarkInput) (cases.Mark, error) {
		if id != 1 {
			t.Errorf("case id %d", id)
		}
		saved = append(saved, in)
		return cases.Mark{ID: 20, CaseID: 1, VersionID: in.VersionID, ItemID: in.ItemID, Verdict: in.Verdict, Severity: in.Severity,
			Note: in.Note, Evidence: in.Evidence, Inspector: in.Inspector, Updated: time.Now()}, nil
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	v := ws.checklist
	if n := v.list.Length(); n != 2 {
		t.Fatalf("only candidates: %d articles, want 2 (pipl/17, rd2019/3.1)", n)
	}
	if v.onlyCand.Text != "仅候选 (2)" || v.onlyViol.Text != "仅违规 (0)" {
		t.Errorf("counts = %q %q", v.onlyCand.Text, v.onlyViol.Text)
	}
	// rd2019/3.1 is cited by both candidates.
	var rd clItem
	for _, it := range v.items {
		if it.Art.ID == "rd2019/3.1" {
			rd = it
		}
	}
	if len(rd.Cands) != 2 || rd.Mark == nil {
		t.Errorf("rd2019/3.1 = %d candidates, mark %v", len(rd.Cands), rd.Mark)
	}
	// Ctrl+J moves to the first article with candidates.
	ws.nextCandidate(1)
	if v.sel != 0 || ws.tabs.SelectedIndex() != 1 {
		t.Fatalf("sel = %d, tab %d", v.sel, ws.tabs.SelectedIndex())
	}
	first := v.items[0].Art.ID
	if !strings.Contains(textOf(v.detail), "申请通讯录权限但隐私政策未说明") && !strings.Contains(textOf(v.detail), "同意前收集位置信息") {
		t.Errorf("detail lacks the candidates: %q", textOf(v.detail))
	}
	v.note.SetText("通讯录用途未说明")
	v.evidence.SetSelected([]string{v.evOptions[1]})
	ws.setVerdictKey(0) // Ctrl+1: violation
	wait(t, ws.task.wait())
	if len(saved) != 1 {
		t.Fatalf("saved %d marks", len(saved))
	}
	in := saved[0]
	if in.ItemID != first || in.VersionID != 7 || in.Verdict != cases.VerdictViolation || in.Severity != cases.SeverityHigh ||
		in.Note != "通讯录用途未说明" || in.Inspector != "张三" || len(in.Evidence) != 1 || in.Evidence[0] != strings.Repeat("ab", 32) {
		t.Errorf("mark input = %+v", in)
	}
	if v.onlyViol.Text != "仅违规 (1)" {
		t.Errorf("violations count = %q", v.onlyViol.Text)
	}
	if !strings.Contains(v.saved.Text, "违反") && !strings.Contains(v.saved.Text, cases.VerdictViolation.ZH()) {
		t.Errorf("saved label = %q", v.saved.Text)
	}
	// Only violations keeps the one just marked.
	v.onlyViol.SetChecked(true)
	if n := v.list.Length(); n != 1 || v.items[0].Art.ID != first {
		t.Errorf("only violations: %d", n)
	}
	// The notice preview lists it.
	if !strings.Contains(ws.exports.preview.Text, "通讯录用途未说明") {
		t.Errorf("preview = %q", ws.exports.preview.Text)
	}
	// Next / previous wrap around the candidate articles.
	v.onlyViol.SetChecked(false)
	v.step(1)
	second := v.items[v.sel].Art.ID
	v.step(1)
	if v.items[v.sel].Art.ID != first || second == first {
		t.Errorf("step: %s then %s", second, v.items[v.sel].Art.ID)
	}
	v.step(-1)
	if v.items[v.sel].Art.ID != second {
		t.Errorf("previous = %s", v.items[v.sel].Art.ID)
	}
	// All articles of one document.
	v.onlyCand.SetChecked(false)
	v.doc.SetSelectedIndex(1) // pipl
	if n := v.list.Length(); n != 74 {
		t.Errorf("pipl has %d articles listed", n)
	}
}

func TestChecklistPolicyEvidenceLink(t *testing.T) {
	m := newTestMain(t, newFake(t), "en")
	ws := openTestCase(t, m)
	v := ws.checklist
	c := ws.data.Candidates[0]
	v.showSpan(c.Evidence[1].Start, c.Evidence[1].End)
	if ws.tabs.SelectedIndex() != 0 || highlighted(ws.review) != "通讯录" {
		t.Errorf("tab %d, highlighted %q", ws.tabs.SelectedIndex(), highlighted(ws.review))
	}
}
