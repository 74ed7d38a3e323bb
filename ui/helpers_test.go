package ui

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// newTestMain builds the main window on a test app in lang, at 1366×768,
// with the case list loaded.
func newTestMain(t testing.TB, b *fakeBackend, lang string) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, lang)
	a.Preferences().SetString(prefTheme, "light")
	now = func() time.Time { return testNow }
	t.Cleanup(func() { now = time.Now })
	if b.LogFileFn == nil {
		log := filepath.Join(t.TempDir(), "appinspect.log")
		b.LogFileFn = func() string { return log }
	}
	m := NewMainWindow(a, b)
	m.w.Resize(fyne.NewSize(1366, 768))
	t.Cleanup(func() { m.w.Close(); SetLanguage("en") })
	wait(t, m.home.loads)
	return m
}

// openTestCase opens case 1 in the workspace and waits for it.
func openTestCase(t testing.TB, m *MainWindow) *workspaceView {
	t.Helper()
	m.openCase(1)
	wait(t, m.ws.loaded)
	if m.ws.data == nil {
		t.Fatal("case not loaded")
	}
	return m.ws
}
