package ui

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/appinspect/appinspect/inspect"
)

// showError logs the full error and shows a human sentence. It must be
// called on the Fyne goroutine.
func showError(w fyne.Window, err error) {
	fyne.LogError("appinspect", err)
	dialog.ShowError(errors.New(userMessage(err)), w)
}

// userMessage turns an error into a sentence for the inspector. The wrapped
// detail (which names the file and the broken part) is kept after the
// sentence.
func userMessage(err error) string {
	switch {
	case errors.Is(err, inspect.ErrCanceled):
		return T("err.canceled")
	default:
		return T("err.generic", err.Error())
	}
}
