package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
)

func TestHomeListsCasesWithBadges(t *testing.T) {
	b := newFake(t)
	var got []cases.Filter
	b.ListCasesFn = func(_ context.Context, f cases.Filter) ([]cases.Case, error) {
		got = append(got, f)
		return testCases(), nil
	}
	m := newTestMain(t, b, "zh")
	h := m.home
	if n := h.list.Length(); n != 4 {
		t.Fatalf("list has %d cases, want 4", n)
	}
	if h.count.Text != "案件 · 共 4 件" {
		t.Errorf("count = %q", h.count.Text)
	}
	cs := testCases()
	for _, tc := range []struct {
		i    int
		text string
		imp  widget.Importance
	}{
		{0, "", widget.MediumImportance},
		{1, "已逾期 9 天", widget.DangerImportance},
		{2, "2 天内到期", widget.WarningImportance},
		{3, "已结案", widget.LowImportance},
	} {
		text, imp := deadlineBadge(cs[tc.i], testNow)
		if text != tc.text || imp != tc.imp {
			t.Errorf("case %d badge = %q %v, want %q %v", tc.i, text, imp, tc.text, tc.imp)
		}
	}

	// Filters reach the backend.
	h.status.SetSelectedIndex(2) // notice issued
	wait(t, h.loads)
	h.kind.SetSelectedIndex(3) // SDK provider
	wait(t, h.loads)
	h.overdue.SetChecked(true)
	wait(t, h.loads)
	h.inspector.SetText("张三")
	h.search.SetText("外卖")
	h.search.OnSubmitted("外卖")
	wait(t, h.loads)
	f := got[len(got)-1]
	if len(f.Statuses) != 1 || f.Statuses[0] != cases.StatusNoticeIssued {
		t.Errorf("statuses = %v", f.Statuses)
	}
	if f.SubjectKind != cases.SDKProvider || f.Query != "外卖" || f.Inspector != "张三" || !f.OverdueAt.Equal(testNow) {
		t.Errorf("filter = %+v", f)
	}
}

func TestHomeDemoOpensCaseAndRecent(t *testing.T) {
	b := newFake(t)
	b.DemoCaseFn = func(context.Context) (int64, error) { return 1, nil }
	m := newTestMain(t, b, "en")
	h := m.home
	h.onDemo()
	wait(t, h.task.wait())
	if m.ws == nil {
		t.Fatal("demo case not opened")
	}
	wait(t, m.ws.loaded)
	if !strings.Contains(m.ws.name.Text, "cn.example.waimai") {
		t.Errorf("header = %q", m.ws.name.Text)
	}
	if !strings.Contains(m.ws.hashes.Text, strings.Repeat("3f", 32)) {
		t.Errorf("hashes = %q", m.ws.hashes.Text)
	}
	m.showHome()
	wait(t, m.home.loads)
	if n := m.home.recent.Length(); n != 1 || !strings.Contains(m.home.recentItems[0].Label, "〔2026〕第0001号") {
		t.Errorf("recent = %+v", m.home.recentItems)
	}
}

func TestHomeErrorShowsDialog(t *testing.T) {
	b := newFake(t)
	b.DemoCaseFn = func(context.Context) (int64, error) { return 0, cases.ErrNotFound }
	m := newTestMain(t, b, "en")
	m.home.onDemo()
	wait(t, m.home.task.wait())
	if m.ws != nil {
		t.Fatal("workspace opened after an error")
	}
	if !strings.Contains(textOf(m.w.Canvas().Overlays().Top()), T("err.notfound")) {
		t.Errorf("no error dialog with the sentence")
	}
}
