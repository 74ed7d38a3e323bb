package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefTourDone is set once the inspector finished or closed the tour.
const prefTourDone = "tour_done"

// welcome is the home screen's first-run panel, shown while there is no
// case (and no search): what to do first — a new case from an APK, the
// demo case with a short guided tour, or a device.
func (v *homeView) welcome() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(T("welcome.title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := wrappedText(T("welcome.intro"), "")
	step := func(icon fyne.Resource, head, text, button string, fn func()) fyne.CanvasObject {
		t := wrappedText(text, "")
		b := widget.NewButtonWithIcon(button, icon, fn)
		b.Importance = widget.HighImportance
		return container.NewBorder(boldLabel(head), nil, nil, container.NewCenter(b), t)
	}
	steps := container.NewVBox(
		step(theme.ContentAddIcon(), T("welcome.new.title"), T("welcome.new.text"), T("home.newcase"), v.onNewCase),
		widget.NewSeparator(),
		step(theme.InfoIcon(), T("welcome.demo.title"), T("welcome.demo.text"), T("welcome.demo.button"), func() { v.openDemo(true) }),
		widget.NewSeparator(),
		step(theme.ComputerIcon(), T("welcome.device.title"), T("welcome.device.text"), T("home.device"), v.onDevice),
	)
	settings := wrappedText(T("welcome.settings"), theme.ColorNamePlaceHolder)
	return container.NewVScroll(container.NewPadded(container.NewVBox(title, intro, widget.NewSeparator(), steps, widget.NewSeparator(), settings)))
}

// openDemo opens the demo case, creating it the first time; with tour
// (or the first time at all) the guided tour starts on it.
func (v *homeView) openDemo(tour bool) {
	if !v.m.a.Preferences().Bool(prefTourDone) {
		tour = true
	}
	v.task.run(T("home.demo"), func(ctx context.Context) (func(), error) {
		id, err := v.b.DemoCase(ctx)
		if err != nil {
			return nil, err
		}
		return func() {
			v.m.openCase(id)
			if tour && v.m.ws != nil {
				v.m.ws.startTour()
			}
		}, nil
	})
}

// tourStep is one stop of the guided tour: a workspace tab and what to do
// there.
type tourStep struct {
	tab  int
	text string // translation key
}

var tourSteps = []tourStep{
	{0, "tour.review"},
	{0, "tour.review2"},
	{itemsTab, "tour.items"},
	{1, "tour.checklist"},
	{2, "tour.evidence"},
	{3, "tour.exports"},
	{4, "tour.device"},
	{5, "tour.diff"},
}

// startTour shows the tour bar above the tabs at its first step.
func (v *workspaceView) startTour() {
	v.tourAt = 0
	v.showTourStep()
}

// showTourStep shows step v.tourAt (past the end: the tour is over).
func (v *workspaceView) showTourStep() {
	if v.tourBox == nil {
		return
	}
	if v.tourAt < 0 || v.tourAt >= len(tourSteps) {
		v.endTour()
		return
	}
	st := tourSteps[v.tourAt]
	v.tabs.SelectIndex(st.tab)
	text := wrappedText(T("tour.step", v.tourAt+1, len(tourSteps))+"  "+T(st.text), "")
	prev := widget.NewButtonWithIcon(T("tour.prev"), theme.NavigateBackIcon(), func() { v.tourAt--; v.showTourStep() })
	if v.tourAt == 0 {
		prev.Disable()
	}
	nextText := T("tour.next")
	if v.tourAt == len(tourSteps)-1 {
		nextText = T("tour.finish")
	}
	next := widget.NewButtonWithIcon(nextText, theme.NavigateNextIcon(), func() { v.tourAt++; v.showTourStep() })
	next.Importance = widget.HighImportance
	end := widget.NewButtonWithIcon(T("tour.end"), theme.CancelIcon(), v.endTour)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	bar := container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil,
		widget.NewIcon(theme.InfoIcon()), container.NewHBox(prev, next, end), text)))
	v.tourBox.Objects = []fyne.CanvasObject{bar}
	v.tourBox.Refresh()
}

// endTour hides the tour and remembers it was seen.
func (v *workspaceView) endTour() {
	v.tourAt = -1
	if v.tourBox != nil {
		v.tourBox.Objects = nil
		v.tourBox.Refresh()
	}
	v.m.a.Preferences().SetBool(prefTourDone, true)
}

// touring reports whether the tour is shown.
func (v *workspaceView) touring() bool {
	return v.tourAt >= 0 && v.tourBox != nil && len(v.tourBox.Objects) > 0
}
