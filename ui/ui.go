// Package ui is AppInspect's Fyne interface. It declares the Backend it
// consumes and never touches storage or PDF code directly; main wires the
// real backend (package app) in.
package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Prefs keys.
const (
	prefLanguage = "language" // "zh", "en" or "" (system)
	prefTheme    = "theme"    // "light", "dark" or "" (system)

	// PrefDataDir is the preference holding the data directory chosen in
	// Settings; main reads it at start when neither --data-dir nor
	// APPINSPECT_DATA is given.
	PrefDataDir = "data_dir"
	prefRecent  = "recent" // prefix of the recent-case lists, one per data directory (see recentKey)
)

// Run builds the main window on a and shows it; it returns when the app
// quits.
func Run(a fyne.App, b Backend) {
	m := NewMainWindow(a, b)
	m.ShowAndRun()
}

// MainWindow is the workstation window: the home view (case list) or the
// workspace of one case, rebuilt in place when the language changes.
type MainWindow struct {
	a    fyne.App
	w    fyne.Window
	b    Backend
	home *homeView
	ws   *workspaceView // nil on the home view
}

// NewMainWindow applies the stored language and theme and builds the main
// window on the home view, without showing it.
func NewMainWindow(a fyne.App, b Backend) *MainWindow {
	l := a.Preferences().String(prefLanguage)
	if l == "" {
		l = b.Settings().Language
	}
	SetLanguage(l)
	setDisplayZone(b.Settings().Timezone)
	a.Settings().SetTheme(newTheme(a.Preferences().String(prefTheme)))
	setLogFile(b.LogFile())
	m := &MainWindow{a: a, b: b, w: a.NewWindow(T("app.title"))}
	m.w.SetIcon(AppIcon())
	m.w.Resize(fyne.NewSize(1366, 768))
	m.w.SetOnDropped(m.onDropped)
	m.w.SetOnClosed(m.cancelRunning)
	m.addShortcuts()
	m.showHome()
	return m
}

// Window returns the Fyne window.
func (m *MainWindow) Window() fyne.Window { return m.w }

// ShowAndRun shows the window and runs the application.
func (m *MainWindow) ShowAndRun() { m.w.ShowAndRun() }

// showHome replaces the content by the home view.
func (m *MainWindow) showHome() {
	if m.ws != nil {
		m.ws.close()
		m.ws = nil
	}
	m.w.SetTitle(T("app.title"))
	m.home = newHomeView(m)
	m.w.SetContent(m.home.content())
	m.home.refresh()
}

// openCase replaces the content by the workspace of a case and loads it.
func (m *MainWindow) openCase(id int64) {
	if m.ws != nil {
		m.ws.close()
	}
	if m.home != nil {
		m.home.close()
	}
	addRecent(m.a.Preferences(), m.b.DataDir(), id)
	m.ws = newWorkspaceView(m, id)
	m.w.SetContent(m.ws.content())
	m.ws.load(0)
}

// rebuild builds the content again, after a language change.
func (m *MainWindow) rebuild() {
	m.w.SetTitle(T("app.title"))
	if m.ws != nil {
		id, tab := m.ws.caseID, m.ws.tabs.SelectedIndex()
		m.ws.close()
		m.ws = newWorkspaceView(m, id)
		m.w.SetContent(m.ws.content())
		m.ws.tabs.SelectIndex(tab)
		m.ws.load(0)
		return
	}
	m.showHome()
}

func (m *MainWindow) onDropped(p fyne.Position, uris []fyne.URI) {
	if m.ws != nil {
		m.ws.onDropped(p, uris)
		return
	}
	m.home.onDropped(p, uris)
}

func (m *MainWindow) cancelRunning() {
	if m.ws != nil {
		m.ws.close()
	}
	if m.home != nil {
		m.home.close()
	}
}

// addShortcuts registers the keyboard shortcuts: Ctrl+O open, Ctrl+F
// search, Ctrl+D the demo case, Ctrl+J / Ctrl+K next / previous candidate,
// Ctrl+1…4 set a verdict, Ctrl+W back to the case list, Escape ends the
// guided tour.
func (m *MainWindow) addShortcuts() {
	c := m.w.Canvas()
	add := func(k fyne.KeyName, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { fn() })
	}
	add(fyne.KeyO, func() {
		if m.ws == nil {
			m.home.onNewCase()
		}
	})
	add(fyne.KeyF, func() {
		if m.ws == nil {
			m.w.Canvas().Focus(m.home.search)
		}
	})
	add(fyne.KeyJ, func() {
		if m.ws != nil {
			m.ws.nextCandidate(1)
		}
	})
	add(fyne.KeyK, func() {
		if m.ws != nil {
			m.ws.nextCandidate(-1)
		}
	})
	add(fyne.KeyW, func() {
		if m.ws != nil {
			m.showHome()
		}
	})
	add(fyne.KeyD, func() {
		if m.ws == nil {
			m.home.onDemo()
		}
	})
	// Escape closes the guided tour.
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyEscape && m.ws != nil && m.ws.touring() {
			m.ws.endTour()
		}
	})
	keys := []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4}
	for i, k := range keys {
		add(k, func() {
			if m.ws != nil {
				m.ws.setVerdictKey(i)
			}
		})
	}
}
