// Package ui is AppInspect's Fyne interface. It declares the Backend it
// consumes and never touches storage or PDF code directly; main wires the
// real backend (package app) in.
package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"github.com/appinspect/appinspect/inspect"
)

// Backend is what the UI needs from the application layer.
type Backend interface {
	// Scan scans one APK, APKS or XAPK file, reporting progress from the
	// worker goroutine.
	Scan(ctx context.Context, path string, progress func(inspect.Progress)) (*inspect.Result, error)
}

// Prefs keys.
const (
	prefLanguage = "language" // "zh", "en" or "" (system)
	prefTheme    = "theme"    // "light", "dark" or "" (system)
)

// Run builds the main window on a and shows it; it returns when the app
// quits.
func Run(a fyne.App, b Backend) {
	SetLanguage(a.Preferences().String(prefLanguage))
	a.Settings().SetTheme(newTheme(a.Preferences().String(prefTheme)))
	w := NewMainWindow(a, b)
	w.ShowAndRun()
}

// NewMainWindow builds the main window without showing it.
func NewMainWindow(a fyne.App, b Backend) fyne.Window {
	w := a.NewWindow(T("app.title"))
	h := newHomeView(w, b)
	w.SetContent(h.content())
	w.SetOnDropped(h.onDropped)
	w.Resize(fyne.NewSize(1280, 720))
	w.SetOnClosed(h.cancelRunning)
	return w
}
