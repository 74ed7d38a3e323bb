package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// Resizable panes remember where the inspector put their dividers: each
// split is registered under a name, starts at the stored offset (else its
// default) and is saved to the preferences when the view closes (back to
// the case list, another case, a language change, the window closing).
var splits = map[string]*container.Split{}

// prefSplit is the preference key prefix of the split offsets.
const prefSplit = "split."

// remember registers s under name with default offset def and returns it.
func remember(name string, s *container.Split, def float64) *container.Split {
	off := def
	if a := fyne.CurrentApp(); a != nil {
		if v := a.Preferences().FloatWithFallback(prefSplit+name, -1); v >= 0.05 && v <= 0.95 {
			off = v
		}
	}
	s.Offset = off
	splits[name] = s
	return s
}

// saveSplits stores the offsets of the registered splits.
func saveSplits() {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	for name, s := range splits {
		a.Preferences().SetFloat(prefSplit+name, s.Offset)
	}
}

// hsplit and vsplit make a remembered split.
func hsplit(name string, def float64, leading, trailing fyne.CanvasObject) *container.Split {
	return remember(name, container.NewHSplit(leading, trailing), def)
}

func vsplit(name string, def float64, top, bottom fyne.CanvasObject) *container.Split {
	return remember(name, container.NewVSplit(top, bottom), def)
}
