package ui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/inspect"
)

// task runs one long operation at a time off the UI goroutine, with a
// progress bar, a step label and a Cancel button. The worker sets only
// bindings; its result is applied in a single fyne.Do.
type task struct {
	w      fyne.Window
	frac   binding.Float
	step   binding.String
	bar    *widget.ProgressBar
	cancel *widget.Button
	box    *fyne.Container

	mu   sync.Mutex
	stop context.CancelFunc
	done chan struct{} // closed when the last job has been applied
}

func newTask(w fyne.Window) *task {
	t := &task{w: w, frac: binding.NewFloat(), step: binding.NewString(), done: make(chan struct{})}
	close(t.done)
	t.bar = widget.NewProgressBarWithData(t.frac)
	t.cancel = widget.NewButton(T("common.cancel"), t.onCancel)
	t.cancel.Disable()
	t.bar.Hide()
	t.cancel.Hide()
	label := widget.NewLabelWithData(t.step)
	label.Truncation = fyne.TextTruncateEllipsis
	t.box = container.NewBorder(nil, nil, nil, t.cancel, container.NewGridWithColumns(2, label, t.bar))
	return t
}

// content is the progress row.
func (t *task) content() fyne.CanvasObject { return t.box }

// running reports whether a job is under way.
func (t *task) running() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stop != nil
}

// wait returns the channel closed when the current job has finished.
func (t *task) wait() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.done
}

// run starts work in a goroutine unless a job is already running (then it
// returns false). work gets a cancellable context and returns the function
// that applies its outcome on the UI goroutine (nil: nothing to apply).
// Errors returned by work are shown as a dialog.
func (t *task) run(label string, work func(ctx context.Context) (apply func(), err error)) bool {
	t.mu.Lock()
	if t.stop != nil {
		t.mu.Unlock()
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.stop, t.done = cancel, done
	t.mu.Unlock()
	t.cancel.Enable()
	t.bar.Show()
	t.cancel.Show()
	_ = t.frac.Set(0)
	_ = t.step.Set(label)
	go func() {
		defer close(done)
		apply, err := work(ctx)
		cancel()
		fyne.Do(func() {
			t.mu.Lock()
			t.stop = nil
			t.mu.Unlock()
			t.cancel.Disable()
			t.bar.Hide()
			t.cancel.Hide()
			_ = t.frac.Set(1)
			if err != nil {
				_ = t.step.Set(T("task.failed", label))
				showError(t.w, err)
			} else {
				_ = t.step.Set(T("task.done", label))
			}
			if apply != nil {
				apply()
			}
		})
	}()
	return true
}

// scanProgress is a progress callback for scans.
func (t *task) scanProgress(label string) func(inspect.Progress) {
	return func(p inspect.Progress) {
		_ = t.frac.Set(p.Fraction())
		s := label + " — " + p.Stage
		if p.File != "" {
			s += " " + p.File
		}
		_ = t.step.Set(s)
	}
}

// countProgress is a progress callback for counted work (bytes, files).
func (t *task) countProgress(done, total int64) {
	if total > 0 {
		_ = t.frac.Set(float64(done) / float64(total))
	}
}

func (t *task) onCancel() {
	t.mu.Lock()
	stop := t.stop
	t.mu.Unlock()
	if stop != nil {
		stop()
	}
}
