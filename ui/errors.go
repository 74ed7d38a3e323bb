package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/dex"
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

// fieldError is an input the inspector typed that cannot be used: Field
// is the translation key of the field's label, Cause the translated
// reason. Forms show it next to the field; userMessage names the field.
type fieldError struct {
	Field string
	Cause string
	Err   error
}

func (e *fieldError) Error() string { return "ui: " + e.Field + ": " + e.Err.Error() }
func (e *fieldError) Unwrap() error { return e.Err }

// fileError is an operation on a file the inspector chose that failed:
// userMessage names the file.
type fileError struct {
	Path string
	Err  error
}

func (e *fileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *fileError) Unwrap() error { return e.Err }

// withFile attributes err (nil stays nil) to the file at path.
func withFile(path string, err error) error {
	if err == nil {
		return nil
	}
	var fe *fileError
	var pe *fs.PathError
	if errors.As(err, &fe) || errors.As(err, &pe) {
		return err // already names its file
	}
	return &fileError{Path: path, Err: err}
}

// checkCreditCode validates a unified social credit code typed in a form
// ("" is allowed: it is optional).
func checkCreditCode(s string) error {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return nil
	}
	if err := cases.ValidateCreditCode(s); err != nil {
		cause := T("err.credit.format")
		switch {
		case len(s) != 18:
			cause = T("err.credit.length", len(s))
		case strings.Contains(err.Error(), "check"):
			cause = T("err.credit.check")
		}
		return &fieldError{Field: "newcase.creditcode", Cause: cause, Err: err}
	}
	return nil
}

// showError logs the full error and shows a sentence in the UI language
// under a translated title. It must be called on the Fyne goroutine.
func showError(w fyne.Window, err error) {
	logError(err)
	msg := widget.NewLabel(userMessage(err))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(T("err.title"), T("common.close"), msg, w)
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
}

// userMessage is the one place errors become a sentence for the
// inspector: what went wrong (the cause), naming the field or file it
// concerns, then where the details are logged.
func userMessage(err error) string {
	cause := causeMessage(err)
	var fe *fieldError
	var fi *fileError
	var pe *fs.PathError
	switch {
	case errors.As(err, &fe):
		return T("err.infield", T(fe.Field), fe.Cause)
	case errors.As(err, &fi):
		cause = T("err.infile", filepath.Base(fi.Path), cause)
	case errors.As(err, &pe) && pe.Path != "":
		cause = T("err.infile", filepath.Base(pe.Path), cause)
	}
	return cause + "\n" + T("err.seelog", logName())
}

// causeMessage is the translated cause of err: the sentence of the first
// known error in its chain, else the innermost message.
func causeMessage(err error) string {
	var same *workspace.SameAPKError
	if errors.As(err, &same) {
		return T("err.sameapk", same.Version.VersionName, same.Version.VersionCode,
			displayTime(same.Version.Created).Format("2006-01-02 15:04"), shortHash(same.SHA256))
	}
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
	case errors.Is(err, fs.ErrNotExist):
		key = "err.filenotfound"
	case errors.Is(err, fs.ErrPermission):
		key = "err.fileperm"
	case errors.Is(err, cases.ErrNotFound):
		key = "err.notfound"
	case errors.Is(err, cases.ErrInvalidTransition):
		key = "err.transition"
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
	case errors.Is(err, device.ErrSeveralDevices):
		key = "err.severaldevices"
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
	case errors.Is(err, policy.ErrTooLarge):
		key = "err.policylarge"
	case errors.Is(err, policy.ErrMalformed):
		key = "err.policymalformed"
	case errors.Is(err, apk.ErrNoManifest):
		key = "err.apk.nomanifest"
	case errors.Is(err, apk.ErrZipBomb), errors.Is(err, apk.ErrLimit), errors.Is(err, dex.ErrTooLarge), errors.Is(err, dex.ErrBudget):
		key = "err.apk.limit"
	case errors.Is(err, apk.ErrFormat), errors.Is(err, apk.ErrEmpty), errors.Is(err, apk.ErrMethod),
		errors.Is(err, dex.ErrFormat), errors.Is(err, dex.ErrTruncated), errors.Is(err, dex.ErrVersion):
		key = "err.apk.format"
	case errors.Is(err, law.ErrUnknownArticle):
		key = "err.article"
	case errors.Is(err, context.DeadlineExceeded):
		key = "err.timeout"
	case errors.Is(err, cases.ErrInvalid):
		return T("err.invalidcause", innermost(err))
	default:
		return T("err.failedcause", innermost(err))
	}
	return T(key)
}

// innermost is the last part of an error's message ("a: b: c" -> "c"
// unless c is a bare sentinel, then "b: c"): the cause without the chain of
// operation prefixes.
func innermost(err error) string {
	parts := strings.Split(err.Error(), ": ")
	if len(parts) >= 2 {
		return strings.Join(parts[len(parts)-2:], ": ")
	}
	return err.Error()
}

func logName() string {
	logMu.Lock()
	defer logMu.Unlock()
	if logPath == "" {
		return "-"
	}
	return logPath
}
