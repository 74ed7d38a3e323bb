package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// TestSplitsRemembered: a divider the inspector moved is where they left
// it when the case is opened again.
func TestSplitsRemembered(t *testing.T) {
	m := newTestMain(t, newFake(t), "zh")
	openTestCase(t, m)
	s := splits["review"]
	if s == nil || s.Offset != 0.45 {
		t.Fatalf("review split = %+v", s)
	}
	s.SetOffset(0.6)
	m.showHome()
	openTestCase(t, m)
	if got := splits["review"].Offset; got != 0.6 {
		t.Errorf("review split after reopening = %v, want 0.6", got)
	}
	if got := fyne.CurrentApp().Preferences().Float(prefSplit + "review"); got != 0.6 {
		t.Errorf("stored offset = %v", got)
	}
}

// tabTexts lists the texts drawn in a tab bar (the tabs that are visible,
// not those moved into an overflow menu).
func tabTexts(tabs *container.AppTabs) string {
	var sb strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			sb.WriteString(x.Text + "|")
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(tabs)
	return sb.String()
}

// TestNoHiddenTabs: at 1366×768, in Chinese and English, every tab of the
// workspace and of the review pane is visible (none in an overflow menu).
func TestNoHiddenTabs(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		m := newTestMain(t, newFake(t), lang)
		ws := openTestCase(t, m)
		m.w.Resize(fyne.NewSize(1366, 768))
		for _, nt := range []struct {
			name string
			tabs *container.AppTabs
		}{{"workspace", ws.tabs}, {"review", ws.review.tabs}, {"diff", ws.diff.views}} {
			name, tabs := nt.name, nt.tabs
			if name == "diff" {
				for _, it := range ws.tabs.Items {
					if it.Text == T("tab.diff") {
						ws.tabs.Select(it)
					}
				}
			}
			drawn := tabTexts(tabs)
			for _, it := range tabs.Items {
				if !strings.Contains(drawn, it.Text+"|") {
					t.Errorf("%s: %s tab %q is hidden (drawn: %s)", lang, name, it.Text, drawn)
				}
			}
		}
	}
}
