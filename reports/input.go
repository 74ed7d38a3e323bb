package reports

import (
	"errors"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
)

// ErrInvalid means a document input failed validation (unknown template,
// missing case number, malformed image …). Errors wrap it with details.
var ErrInvalid = errors.New("invalid report input")

// Authority is the organisation that issues a document, from the settings.
type Authority struct {
	Name    string
	Address string
	Contact string
	Phone   string
	// Seal is an optional PNG or JPEG image of the seal, printed over the
	// signature block.
	Seal []byte
	// Kind is "regulator", "agency" or "association"; it picks the default
	// template when NoticeInput.Template is empty.
	Kind string
	// LegalBasis, by template, replaces the template's default sentence
	// stating the authority's power (the legal basis on which it inspects
	// and requires rectification). It is the issuer's own wording.
	LegalBasis map[Template]string
}

// Integrity ties a document to the tamper-evident case record: the head of
// the audit hash chain and the fingerprint of the signing key at the time
// the document was made. Empty fields are not printed.
type Integrity struct {
	ChainHead      string
	KeyFingerprint string
}

// Sample sources of AppIdentity.Source.
const (
	SourceStore  = "store"
	SourceDevice = "device"
	SourceFile   = "file"
)

// AppIdentity identifies the exact build inspected.
type AppIdentity struct {
	Name        string
	Package     string
	VersionName string
	VersionCode int64
	SHA256      string
	// CertSHA256 is the SHA-256 fingerprint of the signer certificate.
	CertSHA256 string
	// Source is where the sample came from: SourceStore, SourceDevice or
	// SourceFile. StoreName names the store for SourceStore.
	Source    string
	StoreName string
	TestDate  time.Time
	// Device is the test device, when the app was tested on one.
	Device *DeviceEnv
}

// DeviceEnv is the test device.
type DeviceEnv struct {
	Model          string
	Brand          string
	AndroidVersion string
	Serial         string
}

// Evidence kinds of EvidenceItem.Kind. Other values are printed as given.
const (
	EvidenceCallSite   = "callsite"
	EvidenceStack      = "stack"
	EvidencePolicy     = "policy"
	EvidenceDevice     = "device"
	EvidenceScreenshot = "screenshot"
	EvidenceNetwork    = "network"
	EvidenceSDK        = "sdk"      // an SDK record of the scan
	EvidenceManifest   = "manifest" // a manifest entry or permission
	EvidenceFile       = "file"     // a file of the case (APK, other)
)

// EvidenceItem is one piece of evidence cited for a violation.
type EvidenceItem struct {
	// Kind is one of the Evidence* constants.
	Kind string
	// Text is the call site, stack, policy excerpt or device record.
	Text string
	// Image is a screenshot (PNG or JPEG bytes); it is printed as a thumbnail
	// in the attached evidence list.
	Image []byte
	// SHA256 is the content hash of the evidence file in the case store. When
	// empty, the digest uses the SHA-256 of Image, or else of Text.
	SHA256 string
}

// Violation is one confirmed violation (a mark with verdict violation) as the
// notice prints it.
type Violation struct {
	// ItemID is the mark's item, usually the article id ("pipl/17").
	ItemID string
	// Citation is the article as cited on the mark; its text is quoted verbatim.
	Citation law.Citation
	// Behaviour is what was observed, with the consent state and the time.
	// The report prints it; the notice prints Statement and Summary instead.
	Behaviour string
	// Statement is the plain-language statement of the problem as the
	// inspector approved it (stored with the mark); empty means Behaviour.
	Statement string
	// Summary is the short, de-duplicated evidence summary, one line per
	// fact ("友盟统计SDK（com.umeng.analytics）在用户同意隐私政策前调用
	// TelephonyManager.getDeviceId 读取设备标识（3处）"). Raw evidence
	// goes to the attached evidence list.
	Summary []string
	// Subject is the party responsible: "app" (or empty) for the app itself,
	// otherwise an SDK name and its vendor, from the finding's own evidence.
	Subject string
	// Evidence is the raw evidence; the notice lists it in its attachment.
	Evidence []EvidenceItem
	// Rectification is the required rectification; DefaultRectification gives
	// a starting text per rule.
	Rectification string
	Severity      cases.Severity
	Note          string
	RuleIDs       []string
}

// NoticeInput is everything a notice prints.
type NoticeInput struct {
	// Lang is "zh" or "en".
	Lang     string
	Template Template
	// Now is the issue date of the notice and the PDF's creation date. Tests
	// fix it; a zero Now means time.Now().
	Now        time.Time
	Authority  Authority
	Case       cases.Case
	Subject    cases.Subject
	Inspectors []string
	App        AppIdentity
	Violations []Violation
	// Deadline is the rectification deadline, a civil date; see Deadline.
	Deadline          time.Time
	RectificationDays int
	// CalendarNote says how the deadline was computed (DeadlineFor fills it).
	CalendarNote string
	// Consequence is the next stage of the disposal sequence if the problems
	// are not rectified. Empty means cases.StatusPublicAnnouncement.
	Consequence cases.Status
	// ConsequenceText, when set, replaces the generated consequence sentence.
	ConsequenceText string
	// Location is the zone every time is printed in; nil is Asia/Shanghai.
	Location *time.Location
	// Integrity is printed in every page footer when set.
	Integrity Integrity
}

// PolicyElement is one element of the privacy-policy checklist.
type PolicyElement struct {
	ID      string
	NameZH  string
	NameEN  string
	Present bool
	Excerpt string
}

// MatrixRow compares, for one category of personal information, what the app
// can do with what its policy declares.
type MatrixRow struct {
	Category pi.Category
	// Requested lists the permissions requested for the category.
	Requested []string
	// Used lists the sensitive APIs called, one line each, as the reader
	// should see it: the owners' display names and the API's description
	// and Class.method ("极光推送：读取 IMEI（TelephonyManager.getDeviceId）"),
	// never internal ids.
	Used     []string
	Declared bool
	Excerpt  string
}

// SDKRow is one third-party SDK in the report.
type SDKRow struct {
	Name      string
	Vendor    string
	Category  string
	Collects  []pi.Category
	Disclosed bool
	Used      bool
}

// TimelineEvent is one event of the device evidence timeline.
type TimelineEvent struct {
	Time          time.Time
	Kind          string
	Detail        string
	BeforeConsent bool
}

// MarkRow is one mark in the report and the XLSX export.
type MarkRow struct {
	ItemID   string
	Citation law.Citation
	Verdict  cases.Verdict
	Severity cases.Severity
	// Category groups violations in the chart; empty means the first catalog
	// topic of the article, or its document.
	Category  string
	Note      string
	Inspector string
	Updated   time.Time
	// Rectification is the required rectification (the suggestion column).
	Rectification string
	// Subject is "app" (or empty) or the SDK and vendor responsible.
	Subject   string
	Behaviour string
	// Statement is the plain-language statement stored with the mark.
	Statement string
	// Evidence lists the cited evidence, one line each (hash, call site …).
	Evidence []string
}

// CandidateRow is one candidate finding of the rules, not yet decided.
type CandidateRow struct {
	Rule        string
	Title       string
	Severity    cases.Severity
	Articles    []string
	Explanation string
}

// ReportInput is everything the inspection report and the XLSX export print.
type ReportInput struct {
	Lang      string
	Now       time.Time
	Authority Authority
	Case      cases.Case
	Subject   cases.Subject
	App       AppIdentity
	// Scan is the static scan of the version inspected; it may be nil.
	Scan           *inspect.Result
	PolicyElements []PolicyElement
	Matrix         []MatrixRow
	SDKs           []SDKRow
	Timeline       []TimelineEvent
	ConsentAt      *time.Time
	Marks          []MarkRow
	Candidates     []CandidateRow
	// Location is the zone every time is printed in; nil is Asia/Shanghai.
	Location *time.Location
	// Integrity is printed in every page footer when set.
	Integrity Integrity
}
