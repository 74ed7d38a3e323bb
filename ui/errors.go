package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/policy"
)

var (
	logMu   sync.Mutex
	logPath string
)

// setLogFile chooses the file error details are appended to ("" = none).
func setLogFile(path string) {
	logMu.Lock()
	logPath = path
	logMu.Unlock()
}

// logError appends the full error to the log file.
func logError(err error) {
	fyne.LogError("appinspect", err)
	logMu.Lock()
	defer logMu.Unlock()
	if logPath == "" {
		return
	}
	f, ferr := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if ferr != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s ui: %v\n", time.Now().Format(time.RFC3339), err)
}

// showError logs the full error and shows a human sentence. It must be
// called on the Fyne goroutine.
func showError(w fyne.Window, err error) {
	logError(err)
	dialog.ShowError(errors.New(userMessage(err)), w)
}

// userMessage turns an error into a sentence for the inspector; the
// details are in the log file.
func userMessage(err error) string {
	var mi *workspace.MissingIdentityError
	if errors.As(err, &mi) {
		var fields []string
		for _, k := range mi.Keys {
			fields = append(fields, T(map[string]string{"issuer": "set.authname", "inspector": "set.inspector"}[k]))
		}
		return T("err.identity", strings.Join(fields, T("err.and")))
	}
	var key string
	switch {
	case errors.Is(err, inspect.ErrCanceled), errors.Is(err, context.Canceled):
		key = "err.canceled"
	case errors.Is(err, cases.ErrNotFound):
		key = "err.notfound"
	case errors.Is(err, cases.ErrInvalidTransition):
		key = "err.transition"
	case errors.Is(err, cases.ErrInvalid):
		key = "err.invalid"
	case errors.Is(err, cases.ErrBundleCorrupt):
		key = "err.bundle"
	case errors.Is(err, cases.ErrExists):
		key = "err.exists"
	case errors.Is(err, cases.ErrNewerSchema):
		key = "err.schema"
	case errors.Is(err, cases.ErrCalendar):
		key = "err.calendar"
	case errors.Is(err, device.ErrDeviceGone):
		key = "err.devicegone"
	case errors.Is(err, device.ErrNoDevice):
		key = "err.nodevice"
	case errors.Is(err, device.ErrNotReady):
		key = "err.notready"
	case errors.Is(err, device.ErrADBNotFound):
		key = "err.noadb"
	case errors.Is(err, device.ErrTimeout):
		key = "err.timeout"
	case errors.Is(err, device.ErrNotInstalled):
		key = "err.notinstalled"
	case errors.Is(err, policy.ErrEmpty), errors.Is(err, policy.ErrNoText):
		key = "err.policyempty"
	case errors.Is(err, policy.ErrUnsupported), errors.Is(err, policy.ErrBinary):
		key = "err.policyformat"
	case errors.Is(err, law.ErrUnknownArticle):
		key = "err.article"
	case errors.Is(err, context.DeadlineExceeded):
		key = "err.timeout"
	default:
		return T("err.generic", logName())
	}
	return T(key) + "\n" + T("err.seelog", logName())
}

func logName() string {
	logMu.Lock()
	defer logMu.Unlock()
	if logPath == "" {
		return "-"
	}
	return logPath
}
