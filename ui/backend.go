package ui

import (
	"context"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/checklist"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/device"
)

// Backend is everything the workstation needs from the application layer.
// package app implements it (main.go proves that at compile time); tests use
// a fake with function fields. Long operations take a context (cancelled by
// the Cancel button) and report progress through a callback that is called
// from the worker goroutine: the UI must only set bindings there.
//
// Errors wrap the sentinels of the packages they come from (cases.ErrNotFound,
// cases.ErrInvalidTransition, inspect.ErrCanceled, device.ErrDeviceGone …)
// so the UI can turn them into sentences in one place (errors.go).
type Backend interface {
	// Scan scans one APK, APKS or XAPK file without creating a case.
	Scan(ctx context.Context, path string, progress func(inspect.Progress)) (*inspect.Result, error)
	// ScanDir scans every APK under dir (batch mode), calling result for each
	// as it completes.
	ScanDir(ctx context.Context, dir string, result func(*inspect.Result, error), progress func(done, total int)) error

	// ListCases lists cases matching f, newest first.
	ListCases(ctx context.Context, f cases.Filter) ([]cases.Case, error)
	// NewCase scans the APK, reads the policy, runs the rules and stores a
	// new case with its first version.
	NewCase(ctx context.Context, req workspace.NewCaseRequest, progress func(inspect.Progress)) (*cases.Case, error)
	// OpenCase loads a case for the workspace; versionID 0 selects the newest
	// version.
	OpenCase(ctx context.Context, caseID, versionID int64) (*workspace.Case, error)
	// Reinspect adds a new APK version to a case and returns the difference
	// with the previous version.
	Reinspect(ctx context.Context, req workspace.ReinspectRequest, progress func(inspect.Progress)) (*workspace.Reinspection, error)
	// Reevaluate runs the current rules over the newest stored version (0 or
	// its id; older versions are refused) and stores the result as a new
	// version recording the rules version; it returns the difference with
	// the evaluated version.
	Reevaluate(ctx context.Context, caseID, versionID int64) (*workspace.Reinspection, error)
	// ConfirmSDK confirms, with a note, that an SDK the scan only found
	// mentioned is in the app (or withdraws that); the newest version is
	// evaluated again and stored as a new version.
	ConfirmSDK(ctx context.Context, caseID int64, sdkID, note string, withdraw bool) (*workspace.Reinspection, error)
	// DiffVersions compares two versions of a case.
	DiffVersions(ctx context.Context, caseID, fromVersion, toVersion int64) (*cases.Diff, error)
	// SetPolicy replaces the policy of a version from a file (path) or pasted
	// text, re-extracts it and re-runs the rules; inspectors' verdicts are kept.
	SetPolicy(ctx context.Context, caseID, versionID int64, path, text string) error
	// SetMark records an inspector's verdict on an article or item; the
	// backend stores the article text as cited now.
	SetMark(ctx context.Context, caseID int64, in cases.MarkInput) (cases.Mark, error)
	// Transition moves a case along the disposal workflow.
	Transition(ctx context.Context, caseID int64, to cases.Status, note string) (cases.Event, error)
	// UpdateCase changes a case's editable fields.
	UpdateCase(ctx context.Context, caseID int64, u cases.CaseUpdate) (*cases.Case, error)
	// AttachFile stores a file as evidence of the case.
	AttachFile(ctx context.Context, caseID int64, kind cases.EvidenceKind, path string) (cases.Evidence, error)
	// EvidenceFile returns the local path of an evidence file by its hash.
	EvidenceFile(sha256 string) string
	// Subjects lists the organisations known to the store.
	Subjects(ctx context.Context) ([]cases.Subject, error)
	// ImportBundle imports a case bundle (zip) and returns the new case's id.
	// It fails with a *cases.SignerError (errors.Is cases.ErrUntrustedSigner)
	// when the bundle's key is unknown, and with cases.ErrUnsigned when it has
	// no signature; the UI asks the user and calls ImportBundleTrusting.
	ImportBundle(ctx context.Context, path string) (int64, error)
	// ImportBundleTrusting imports a bundle signed by the key with this
	// fingerprint (remembered as trusted), or an unsigned one when
	// allowUnsigned; edited content or a bad signature is still refused.
	ImportBundleTrusting(ctx context.Context, path, fingerprint string, allowUnsigned bool) (int64, error)
	// KeyFingerprint is the fingerprint of this workstation's signing key.
	KeyFingerprint() string
	// ExportBundle writes a case bundle.
	ExportBundle(ctx context.Context, caseID int64, path string) error
	// DemoCase creates (once) and returns the demo case built from the
	// embedded sample data.
	DemoCase(ctx context.Context) (int64, error)

	// Checklist returns the inspection checklist of a case: every item with
	// the inspector's result, else the rules' proposal, else pending.
	Checklist(ctx context.Context, caseID int64) (*checklist.Sheet, error)
	// SetItem records an inspector's result for one checklist item; a failed
	// item marks its articles as violated.
	SetItem(ctx context.Context, caseID int64, itemID string, res checklist.Result, note string) (checklist.Outcome, error)

	// Law is the regulation catalog.
	Law() *law.Catalog

	// ExportNotice writes the rectification notice PDF of a case.
	ExportNotice(ctx context.Context, caseID int64, opt workspace.DocumentOptions) error
	// ExportReport writes the inspection report PDF.
	ExportReport(ctx context.Context, caseID int64, opt workspace.DocumentOptions) error
	// ExportXLSX writes findings and marks as a spreadsheet.
	ExportXLSX(ctx context.Context, caseID int64, path string) error

	// Devices lists the devices adb sees, with a fix for those not ready.
	Devices(ctx context.Context) ([]device.Device, error)
	// DeviceApps lists the third-party apps of a device.
	DeviceApps(ctx context.Context, serial string) ([]device.App, error)
	// PullToCase pulls an app's APKs from the device and scans them into a
	// case: caseID 0 creates a new case, otherwise a new version is added.
	PullToCase(ctx context.Context, serial, pkg string, caseID int64, progress func(done, total int64)) (int64, error)
	// CollectEvidence gathers runtime evidence of the case's app from the
	// device and stores it with the case.
	CollectEvidence(ctx context.Context, caseID int64, serial string) (*device.Evidence, error)
	// Screenshot captures the device screen into the case's evidence.
	Screenshot(ctx context.Context, caseID int64, serial string) (cases.Evidence, error)
	// CaptureConsentDialog dumps the on-screen UI text and stores it as the
	// case's policy source (the consent dialog text).
	CaptureConsentDialog(ctx context.Context, caseID int64, serial string) error
	// MarkConsent records the consent moment (zero time: now, on the device's
	// clock) and re-evaluates the newest version with it.
	MarkConsent(ctx context.Context, caseID int64, at time.Time) error
	// RecordSession records a device session of the case's app through the
	// recording proxy (set on the device and restored on every exit path,
	// cancellation included) with the inspector's consent/refusal marks,
	// stores it with the case version and re-evaluates. Stopped by ctx, it
	// returns what was recorded together with the error.
	RecordSession(ctx context.Context, req workspace.SessionRequest) (*workspace.SessionResult, error)

	// Settings returns the workstation settings; SaveSettings stores them.
	Settings() workspace.Settings
	SaveSettings(s workspace.Settings) error
	// DataDir is where the database and evidence live.
	DataDir() string
	// LogFile is where error details are written.
	LogFile() string
}
