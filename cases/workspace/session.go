package workspace

import (
	"time"

	"github.com/appinspect/appinspect/inspect/device"
)

// SessionRequest is a device session recorded from the Device tab: the
// case's app on a device, for Duration, with the consent and refusal marks
// the inspector makes while it runs (the laptop time of the press).
type SessionRequest struct {
	CaseID   int64
	Serial   string
	Package  string // "" : the case's app
	Duration time.Duration
	Consent  <-chan time.Time
	Refuse   <-chan time.Time
	// Ready is called (from the worker) once the proxy is set and the app started.
	Ready func()
	Lang  string // "zh" or "en": language of the findings
}

// SessionFinding is one candidate finding of the network rules on a session.
type SessionFinding struct {
	Rule     string
	Title    string
	Detail   string
	Articles []string
}

// SessionResult is a recorded session with the network rules' candidates.
// Stored is true when it was stored as evidence of the case version.
type SessionResult struct {
	Session  *device.Session
	Findings []SessionFinding
	Stored   bool
	// SDKNames names the SDKs of the contacts (catalog id → name in the
	// request's language), so the view never shows an internal id.
	SDKNames map[string]string
}
