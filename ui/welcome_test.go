package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
)

// TestWelcomeOnFirstRun: with no case the home screen says what to do
// first (new case, demo, device) instead of an empty list; a search that
// finds nothing shows the list.
func TestWelcomeOnFirstRun(t *testing.T) {
	b := newFake(t)
	list := []cases.Case{}
	b.ListCasesFn = func(context.Context, cases.Filter) ([]cases.Case, error) { return list, nil }
	m := newTestMain(t, b, "zh")
	h := m.home
	if !h.welcomeUI.Visible() || h.casesPane.Visible() {
		t.Fatal("no welcome panel on an empty case list")
	}
	text := textOf(h.welcomeUI)
	for _, w := range []string{"用 APK 新建案件", "示例案件与简短导览", "从已连接的手机取应用", "新建案件…", "打开示例并开始导览", "设备…"} {
		if !strings.Contains(text, w) {
			t.Errorf("welcome lacks %q:\n%s", w, text)
		}
	}
	h.search.SetText("没有这个")
	h.onFilter("")
	wait(t, h.loads)
	if h.welcomeUI.Visible() {
		t.Error("a search with no result shows the welcome panel")
	}
	list = testCases()
	h.search.SetText("")
	h.onFilter("")
	wait(t, h.loads)
	if h.welcomeUI.Visible() || !h.casesPane.Visible() {
		t.Error("cases exist but the welcome panel is shown")
	}
}

// TestDemoTour: the demo opened from the welcome panel starts the tour;
// its steps move through the workspace tabs; ending it is remembered.
func TestDemoTour(t *testing.T) {
	b := newFake(t)
	b.DemoCaseFn = func(context.Context) (int64, error) { return 1, nil }
	m := newTestMain(t, b, "zh")
	m.home.openDemo(true)
	wait(t, m.home.task.wait())
	ws := m.ws
	if ws == nil {
		t.Fatal("demo not opened")
	}
	wait(t, ws.loaded)
	if !ws.touring() || !strings.Contains(textOf(ws.tourBox), "导览 1/8") {
		t.Fatalf("tour = %q", textOf(ws.tourBox))
	}
	seen := map[int]bool{}
	for i := 0; i < len(tourSteps); i++ {
		seen[ws.tabs.SelectedIndex()] = true
		ws.tourAt++
		ws.showTourStep()
	}
	if len(seen) != len(ws.tabs.Items) {
		t.Errorf("the tour visited tabs %v of %d", seen, len(ws.tabs.Items))
	}
	if ws.touring() || !m.a.Preferences().Bool(prefTourDone) {
		t.Error("finished tour still shown or not remembered")
	}
	// Opened again without asking: no tour.
	m.showHome()
	m.home.openDemo(false)
	wait(t, m.home.task.wait())
	wait(t, m.ws.loaded)
	if m.ws.touring() {
		t.Error("the tour starts again after it was done")
	}
}
