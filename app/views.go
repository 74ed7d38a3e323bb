package app

import (
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
)

// The JSON views of the case commands: snake_case keys, stable names.

// CaseJSON is a case as the CLI prints it; "id" is the case id the other
// commands take.
type CaseJSON struct {
	ID                    int64              `json:"id"`
	UID                   string             `json:"uid"`
	Number                string             `json:"number"`
	Source                string             `json:"source"`
	Status                string             `json:"status"`
	StatusZH              string             `json:"status_zh"`
	Subject               SubjectJSON        `json:"subject"`
	Inspectors            []string           `json:"inspectors"`
	App                   AppJSON            `json:"app"`
	Notes                 string             `json:"notes,omitempty"`
	RectificationDays     int                `json:"rectification_days"`
	Created               time.Time          `json:"created"`
	Updated               time.Time          `json:"updated"`
	NoticeIssued          *time.Time         `json:"notice_issued,omitempty"`
	Deadline              *time.Time         `json:"deadline,omitempty"`
	Closed                *time.Time         `json:"closed,omitempty"`
	RereleaseBlockedUntil *time.Time         `json:"rerelease_blocked_until,omitempty"`
	DatesEstimated        bool               `json:"dates_estimated,omitempty"`
	Overdue               bool               `json:"overdue"`
	NextStatuses          []string           `json:"next_statuses"`
	Versions              []VersionJSON      `json:"versions,omitempty"`
	Candidates            []rules.Candidate  `json:"candidates,omitempty"`
	Disclosures           []rules.Disclosure `json:"disclosures,omitempty"`
	RulesVersion          string             `json:"rules_version,omitempty"`
	Outdated              []string           `json:"outdated,omitempty"`
	Marks                 []MarkJSON         `json:"marks,omitempty"`
	Events                []EventJSON        `json:"events,omitempty"`
	Evidence              []EvidenceJSON     `json:"evidence,omitempty"`
}

// SubjectJSON is a subject.
type SubjectJSON struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	KindZH     string `json:"kind_zh"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code,omitempty"`
	Contact    string `json:"contact,omitempty"`
	Address    string `json:"address,omitempty"`
}

// AppJSON identifies the app.
type AppJSON struct {
	Package string `json:"package"`
	Name    string `json:"name"`
	TypeID  string `json:"type_id,omitempty"`
}

// VersionJSON is one APK version.
type VersionJSON struct {
	ID          int64  `json:"id"`
	VersionName string `json:"version_name"`
	VersionCode int64  `json:"version_code"`
	APKSHA256   string `json:"apk_sha256"`
	HasPolicy   bool   `json:"has_policy"`
	// RulesVersion is the rules version its candidates were computed with
	// ("" before rules versions were recorded).
	RulesVersion string    `json:"rules_version,omitempty"`
	Created      time.Time `json:"created"`
}

// MarkJSON is a mark.
type MarkJSON struct {
	ID             int64     `json:"id"`
	VersionID      int64     `json:"version_id"`
	Article        string    `json:"article"`
	Verdict        string    `json:"verdict"`
	Severity       string    `json:"severity,omitempty"`
	Note           string    `json:"note,omitempty"`
	Evidence       []string  `json:"evidence,omitempty"`
	CandidateRules []string  `json:"candidate_rules,omitempty"`
	Rectification  string    `json:"rectification,omitempty"`
	Statement      string    `json:"statement,omitempty"`
	Inspector      string    `json:"inspector,omitempty"`
	Updated        time.Time `json:"updated"`
	Suggested      bool      `json:"suggested,omitempty"`
	NeedsReview    bool      `json:"needs_review,omitempty"`
}

// EventJSON is a workflow event.
type EventJSON struct {
	From  string    `json:"from"`
	To    string    `json:"to"`
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Note  string    `json:"note,omitempty"`
}

// EvidenceJSON is an evidence file.
type EvidenceJSON struct {
	SHA256     string     `json:"sha256"`
	Kind       string     `json:"kind"`
	Name       string     `json:"name"`
	Size       int64      `json:"size"`
	MediaType  string     `json:"media_type"`
	Added      time.Time  `json:"added"`
	Source     string     `json:"source,omitempty"`
	DeviceTime *time.Time `json:"device_time,omitempty"`
	Path       string     `json:"path"`
}

// optTime is t, or nil when t is zero (an absent time in JSON).
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// NewCaseJSON is the JSON view of a case; now decides "overdue".
func NewCaseJSON(c *cases.Case, now time.Time) CaseJSON {
	out := CaseJSON{
		ID: c.ID, UID: c.UID, Number: c.Number, Source: string(c.Source), Status: string(c.Status), StatusZH: c.Status.ZH(),
		Subject:    subjectJSON(c.Subject),
		Inspectors: c.Inspectors, App: AppJSON{Package: c.App.Package, Name: c.App.Name, TypeID: c.App.TypeID},
		Notes: c.Notes, RectificationDays: c.RectificationDays, Created: c.Created, Updated: c.Updated,
		NoticeIssued: optTime(c.NoticeIssued), Deadline: optTime(c.Deadline), Closed: optTime(c.Closed),
		RereleaseBlockedUntil: optTime(c.RereleaseBlockedUntil), DatesEstimated: c.DatesEstimated,
		Overdue: c.IsOverdue(now), NextStatuses: []string{},
	}
	if out.Inspectors == nil {
		out.Inspectors = []string{}
	}
	for _, s := range cases.NextStatuses(c.Status) {
		out.NextStatuses = append(out.NextStatuses, string(s))
	}
	return out
}

func subjectJSON(s cases.Subject) SubjectJSON {
	return SubjectJSON{ID: s.ID, Kind: string(s.Kind), KindZH: s.Kind.ZH(), Name: s.Name, CreditCode: s.CreditCode, Contact: s.Contact, Address: s.Address}
}

// NewMarkJSON is the JSON view of a mark.
func NewMarkJSON(m cases.Mark) MarkJSON {
	return MarkJSON{ID: m.ID, VersionID: m.VersionID, Article: m.ItemID, Verdict: string(m.Verdict), Severity: string(m.Severity),
		Note: m.Note, Evidence: m.Evidence, CandidateRules: m.CandidateRules, Rectification: m.Rectification, Statement: m.Statement,
		Inspector: m.Inspector, Updated: m.Updated, Suggested: m.Suggested, NeedsReview: m.NeedsReview}
}

// FullCaseJSON is the JSON view of an open case: the case with its versions,
// candidates, disclosures, marks, events and evidence.
func (s *Service) FullCaseJSON(w *workspace.Case) CaseJSON {
	out := NewCaseJSON(&w.Case, s.now())
	for _, v := range w.Versions {
		ev, _ := decodeEvaluation(v.Candidates)
		out.Versions = append(out.Versions, VersionJSON{ID: v.ID, VersionName: v.VersionName, VersionCode: v.VersionCode,
			APKSHA256: v.APKSHA256, HasPolicy: len(v.Policy) > 0, RulesVersion: ev.RulesVersion, Created: v.Created})
	}
	out.Candidates, out.Disclosures, out.RulesVersion, out.Outdated = w.Candidates, w.Disclosures, w.RulesVersion, w.Outdated
	for _, m := range w.Marks {
		out.Marks = append(out.Marks, NewMarkJSON(m))
	}
	for _, e := range w.Events {
		out.Events = append(out.Events, EventJSON{From: string(e.From), To: string(e.To), At: e.At, Actor: e.Actor, Note: e.Note})
	}
	for _, e := range w.Evidence {
		out.Evidence = append(out.Evidence, s.EvidenceJSON(e))
	}
	return out
}

// EvidenceJSON is the JSON view of an evidence file, with where it is stored.
func (s *Service) EvidenceJSON(e cases.Evidence) EvidenceJSON {
	return EvidenceJSON{SHA256: e.SHA256, Kind: string(e.Kind), Name: e.Name, Size: e.Size,
		MediaType: e.MediaType, Added: e.Added, Source: e.Source, DeviceTime: optTime(e.DeviceTime), Path: s.db.EvidencePath(e.SHA256)}
}
