package cases

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Verdict is the inspector's conclusion on one article or item. The empty verdict is "pending":
// a mark suggested from candidate findings that no inspector has decided yet.
type Verdict string

// The verdicts.
const (
	VerdictPending       Verdict = ""
	VerdictViolation     Verdict = "violation"
	VerdictCompliant     Verdict = "compliant"
	VerdictNotApplicable Verdict = "not_applicable"
	VerdictNeedsFollowUp Verdict = "needs_follow_up"
)

// Verdicts lists the decided verdicts in display order.
var Verdicts = []Verdict{VerdictViolation, VerdictCompliant, VerdictNotApplicable, VerdictNeedsFollowUp}

var verdictNames = map[Verdict][2]string{
	VerdictPending:       {"待判定", "Pending"},
	VerdictViolation:     {"违规", "Violation"},
	VerdictCompliant:     {"合规", "Compliant"},
	VerdictNotApplicable: {"不适用", "Not applicable"},
	VerdictNeedsFollowUp: {"需跟进", "Needs follow-up"},
}

// Valid reports whether v is a decided verdict (pending is not).
func (v Verdict) Valid() bool { _, ok := verdictNames[v]; return ok && v != VerdictPending }

// ZH returns the Chinese name of the verdict.
func (v Verdict) ZH() string { return nameOr(verdictNames, v, 0) }

// EN returns the English name of the verdict.
func (v Verdict) EN() string { return nameOr(verdictNames, v, 1) }

// Severity grades a violation.
type Severity string

// The severities.
const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
	SeverityInfo   Severity = "info"
)

// Severities lists the severities from high to info.
var Severities = []Severity{SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

var severityNames = map[Severity][2]string{
	SeverityHigh:   {"高", "High"},
	SeverityMedium: {"中", "Medium"},
	SeverityLow:    {"低", "Low"},
	SeverityInfo:   {"提示", "Info"},
}

// Valid reports whether s is one of Severities.
func (s Severity) Valid() bool { _, ok := severityNames[s]; return ok }

// ZH returns the Chinese name of the severity.
func (s Severity) ZH() string { return nameOr(severityNames, s, 0) }

// EN returns the English name of the severity.
func (s Severity) EN() string { return nameOr(severityNames, s, 1) }

// Mark is the inspector's record for one article or item (ItemID such as "pipl/13" or
// "rd2019/3.1") on one APK version of a case (VersionID 0: the case itself, before any version).
type Mark struct {
	ID        int64
	CaseID    int64
	VersionID int64
	ItemID    string
	Verdict   Verdict
	Severity  Severity
	Note      string
	// Evidence lists SHA-256 hashes of the case's evidence files, sorted.
	Evidence []string
	// CandidateRules lists the rule ids of the candidate findings behind the mark, sorted.
	CandidateRules []string
	// Citation is the article text as cited at the time (opaque JSON from the caller).
	Citation json.RawMessage
	// Rectification is the required rectification text for the notice.
	Rectification string
	// Statement is the plain-language statement of the problem printed in
	// the notice, drafted from the rule and evidence and edited by the
	// inspector.
	Statement string
	Inspector string
	Updated   time.Time
	// Suggested is true when the mark was created from candidate findings.
	Suggested bool
	// NeedsReview is true on marks carried forward to a new APK version until an inspector sets
	// them again.
	NeedsReview bool
}

// MarkInput is what an inspector sets on a mark. It replaces the mark's decided fields.
type MarkInput struct {
	VersionID     int64
	ItemID        string
	Verdict       Verdict
	Severity      Severity
	Note          string
	Evidence      []string
	Citation      json.RawMessage
	Rectification string
	// Statement, when not nil, replaces the mark's plain-language statement;
	// nil keeps the stored one.
	Statement *string
	// Inspector is the actor, recorded on the mark and in the audit log.
	Inspector string
}

// Validate checks the input. Severity may be empty except for violations. Errors wrap ErrInvalid.
func (m *MarkInput) Validate() error {
	m.ItemID = strings.TrimSpace(m.ItemID)
	if m.ItemID == "" {
		return fmt.Errorf("cases: mark item id is empty: %w", ErrInvalid)
	}
	if !m.Verdict.Valid() {
		return fmt.Errorf("cases: mark %s: verdict %q: %w", m.ItemID, m.Verdict, ErrInvalid)
	}
	if m.Severity != "" && !m.Severity.Valid() {
		return fmt.Errorf("cases: mark %s: severity %q: %w", m.ItemID, m.Severity, ErrInvalid)
	}
	if m.Verdict == VerdictViolation && m.Severity == "" {
		return fmt.Errorf("cases: mark %s: a violation needs a severity: %w", m.ItemID, ErrInvalid)
	}
	if strings.TrimSpace(m.Inspector) == "" {
		return fmt.Errorf("cases: mark %s: inspector is empty: %w", m.ItemID, ErrInvalid)
	}
	if len(m.Citation) > 0 && !json.Valid(m.Citation) {
		return fmt.Errorf("cases: mark %s: citation is not JSON: %w", m.ItemID, ErrInvalid)
	}
	for _, h := range m.Evidence {
		if !IsSHA256(h) {
			return fmt.Errorf("cases: mark %s: evidence %q is not a SHA-256: %w", m.ItemID, h, ErrInvalid)
		}
	}
	return nil
}

// IsSHA256 reports whether s is 64 lower-case hexadecimal digits.
func IsSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
