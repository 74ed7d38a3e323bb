// Package workspace defines the views of an inspection that the application
// layer hands to its faces (GUI, command line, reports): a whole case with its
// scan, policy, candidates, marks and device evidence, the requests that
// create and change cases, and the workstation settings. It holds data only.
//
// It exists so that package ui can declare its Backend with these types while
// package app implements it, without either importing the other.
package workspace

import (
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/policy"
)

// Case is everything known about one case, as the workspace shows it. The
// scan, policy and candidates are those of the selected version (the newest
// unless another was asked for).
type Case struct {
	Case     cases.Case
	Versions []cases.Version // oldest first
	Version  *cases.Version  // the selected version; nil before any APK was added

	Scan       *inspect.Result    // decoded from Version.Scan; nil when none
	Policy     *policy.Extraction // nil when no policy was found or imported
	PolicyText string             // the normalised policy text the spans index (rune offsets)
	PolicyName string             // where the policy came from (file name, "bundled: assets/…", "pasted")
	Candidates []rules.Candidate  // candidate findings stored with the version, in rule order
	// Disclosures are the declared-or-not judgements stored with the
	// candidates: every view that says "declared" reads them.
	Disclosures []rules.Disclosure
	// RulesVersion is the rules.Version the stored candidates were computed
	// with; "" for versions stored before it was recorded.
	RulesVersion string
	// Outdated says why the stored evaluation may be out of date ("rules":
	// the rules changed; "device": newer device evidence; "consent": the
	// consent moment changed). Reevaluate stores a fresh evaluation.
	Outdated  []string
	Marks     []cases.Mark     // every mark of the case
	Events    []cases.Event    // workflow events, oldest first
	Evidence  []cases.Evidence // evidence files
	Device    *device.Evidence // the newest device evidence, nil when none
	ConsentAt time.Time        // the consent moment marked on the device timeline; zero when not marked
	Deadline  time.Time        // the rectification deadline, zero before a notice
	Overdue   bool             // notice issued and past the deadline
}

// NewCaseRequest asks for a new case from an APK (or bundle) file.
type NewCaseRequest struct {
	APK        string           // path of the .apk/.apks/.xapk
	Policy     string           // path of the privacy policy file; "" = use the one bundled in the APK, if any
	PolicyText string           // pasted policy text (used when Policy is "")
	Subject    cases.Subject    // the organisation; matched by credit code or name, created when new
	AppType    string           // 39-type table id or number; "" = not chosen
	Source     cases.CaseSource // "" = routine
	Notes      string
	Inspector  string // the acting inspector; "" = the settings' inspector
}

// ReinspectRequest adds a new APK version to an existing case.
type ReinspectRequest struct {
	CaseID     int64
	APK        string
	Policy     string
	PolicyText string
	Inspector  string
}

// Reinspection is the outcome of a re-inspection.
type Reinspection struct {
	Version cases.Version
	Diff    cases.Diff
}

// DocumentOptions choose how a notice or report is written.
type DocumentOptions struct {
	Lang     string // "zh" or "en"
	Template string // notice template: "regulator", "agency" or "association"
	Path     string // the output file
}

// Settings are the workstation settings shared by the GUI and the command
// line, kept as settings.json in the data directory. (Purely visual
// preferences such as the theme live in the GUI's own preferences.)
type Settings struct {
	Inspector         string    `json:"inspector"`
	Authority         Authority `json:"authority"`
	RectificationDays int       `json:"rectification_days"`     // default N for new notices
	HolidayFile       string    `json:"holiday_file,omitempty"` // a user calendar file merged over the embedded one
	ADB               string    `json:"adb,omitempty"`          // adb path; "" = search
	Language          string    `json:"language,omitempty"`     // "zh", "en" or "" (system)
	NoticeTemplate    string    `json:"notice_template,omitempty"`
}

// Authority is the issuer printed on notices.
type Authority struct {
	Kind    string `json:"kind"` // regulator, agency, association
	Name    string `json:"name"`
	Address string `json:"address"`
	Contact string `json:"contact"`
	Phone   string `json:"phone"`
	Seal    string `json:"seal,omitempty"` // path of a PNG seal image
}
