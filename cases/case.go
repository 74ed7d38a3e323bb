package cases

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CaseSource is why a case was opened.
type CaseSource string

// The case sources.
const (
	SourceRoutine      CaseSource = "routine"
	SourceComplaint    CaseSource = "complaint"
	SourceCampaign     CaseSource = "campaign"
	SourceReinspection CaseSource = "reinspection"
)

// CaseSources lists every source in display order.
var CaseSources = []CaseSource{SourceRoutine, SourceComplaint, SourceCampaign, SourceReinspection}

var caseSourceNames = map[CaseSource][2]string{
	SourceRoutine:      {"日常检查", "Routine inspection"},
	SourceComplaint:    {"投诉举报", "Complaint or report"},
	SourceCampaign:     {"专项行动", "Special campaign"},
	SourceReinspection: {"复查", "Re-inspection"},
}

// Valid reports whether s is one of CaseSources.
func (s CaseSource) Valid() bool { _, ok := caseSourceNames[s]; return ok }

// ZH returns the Chinese name of the source.
func (s CaseSource) ZH() string { return nameOr(caseSourceNames, s, 0) }

// EN returns the English name of the source.
func (s CaseSource) EN() string { return nameOr(caseSourceNames, s, 1) }

// App identifies the application under inspection.
type App struct {
	Package string
	Name    string
	// TypeID is the id of the app type in the 39-type table of necessary personal information
	// (常见类型移动互联网应用程序必要个人信息范围规定), kept as a string ("1" … "39"); empty when
	// not assigned.
	TypeID string
}

// Case is one inspection of one app of one subject. Dates that have not happened are zero.
// Civil dates (NoticeIssued, Deadline, Closed, RereleaseBlockedUntil) are midnight in China
// Standard Time.
type Case struct {
	ID int64
	// UID is a random identifier that stays with the case across bundle export and import.
	UID        string
	Number     string
	Source     CaseSource
	SubjectID  int64
	Subject    Subject
	Inspectors []string
	App        App
	Status     Status
	Notes      string
	// RectificationDays is N, the number of working days the notice gives to rectify.
	RectificationDays int
	Created           time.Time
	Updated           time.Time
	NoticeIssued      time.Time
	Deadline          time.Time
	Closed            time.Time
	// RereleaseBlockedUntil is the last day of the 40-working-day re-release ban after removal.
	RereleaseBlockedUntil time.Time
	// DatesEstimated is true when Deadline or RereleaseBlockedUntil was computed over a year the
	// holiday calendar does not cover (weekends only were skipped); the UI should warn.
	DatesEstimated bool
}

// IsOverdue reports whether the rectification deadline has passed on the civil day of now
// (China Standard Time) while the case still waits for rectification.
func (c *Case) IsOverdue(now time.Time) bool {
	if c.Status != StatusNoticeIssued || c.Deadline.IsZero() {
		return false
	}
	return CivilDate(now).After(c.Deadline)
}

// NewCase is the input to create a case. The number is allocated by the store.
type NewCase struct {
	Source     CaseSource
	SubjectID  int64
	Inspectors []string
	App        App
	Notes      string
	// RectificationDays overrides the default from Settings when positive.
	RectificationDays int
	// Actor is the inspector creating the case, recorded in the audit log.
	Actor string
}

// Validate checks the input. Errors wrap ErrInvalid.
func (n *NewCase) Validate() error {
	if !n.Source.Valid() {
		return fmt.Errorf("cases: case source %q: %w", n.Source, ErrInvalid)
	}
	if n.SubjectID <= 0 {
		return fmt.Errorf("cases: case needs a subject: %w", ErrInvalid)
	}
	if n.RectificationDays < 0 {
		return fmt.Errorf("cases: rectification days %d: %w", n.RectificationDays, ErrInvalid)
	}
	return validateTypeID(n.App.TypeID)
}

func validateTypeID(id string) error {
	if id == "" {
		return nil
	}
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 || n > 39 || strconv.Itoa(n) != id {
		return fmt.Errorf("cases: app type id %q: want 1..39: %w", id, ErrInvalid)
	}
	return nil
}

// CaseUpdate changes the editable fields of a case. Nil fields are left unchanged.
type CaseUpdate struct {
	Source            *CaseSource
	SubjectID         *int64
	Inspectors        *[]string
	App               *App
	Notes             *string
	RectificationDays *int
}

// Filter selects cases for ListCases. Zero fields do not filter.
type Filter struct {
	Statuses    []Status
	SubjectKind SubjectKind
	SubjectID   int64
	Inspector   string
	// Query is a full-text query over case number, app, subject, notes and policy text.
	Query string
	// OverdueAt, when non-zero, keeps only cases overdue on that day.
	OverdueAt time.Time
	Limit     int
	Offset    int
}

// Settings are the store-wide defaults.
type Settings struct {
	NumberPattern     NumberPattern
	RectificationDays int
}

// DefaultRectificationDays is the product default for N. No regulation in the catalog fixes it;
// inspectors set their own in Settings or per case.
const DefaultRectificationDays = 10

// DefaultSettings returns the settings of a new database.
func DefaultSettings() Settings {
	return Settings{NumberPattern: DefaultNumberPattern, RectificationDays: DefaultRectificationDays}
}

// Validate checks the settings. Errors wrap ErrInvalid.
func (s Settings) Validate() error {
	if err := s.NumberPattern.Validate(); err != nil {
		return err
	}
	if s.RectificationDays < 1 || s.RectificationDays > 365 {
		return fmt.Errorf("cases: rectification days %d: want 1..365: %w", s.RectificationDays, ErrInvalid)
	}
	return nil
}

// NumberPattern formats case numbers. Placeholders: {year} the four-digit year, {seq} the
// yearly sequence number, {seq:0N} the sequence zero-padded to N digits (1..9). The sequence
// restarts at 1 every year.
type NumberPattern string

// DefaultNumberPattern yields numbers such as 〔2026〕第0001号.
const DefaultNumberPattern NumberPattern = "〔{year}〕第{seq:04}号"

// Validate checks that the pattern has exactly one sequence placeholder, at most one {year}, and no
// unknown placeholder. Errors wrap ErrInvalid.
func (p NumberPattern) Validate() error {
	_, err := p.format(2000, 1)
	return err
}

// Format returns the case number for a year and sequence.
func (p NumberPattern) Format(year, seq int) (string, error) { return p.format(year, seq) }

func (p NumberPattern) format(year, seq int) (string, error) {
	s := string(p)
	var b strings.Builder
	seqs := 0
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("cases: number pattern %q: unclosed placeholder: %w", p, ErrInvalid)
		}
		ph := s[i+1 : i+j]
		s = s[i+j+1:]
		switch {
		case ph == "year":
			fmt.Fprintf(&b, "%04d", year)
		case ph == "seq":
			seqs++
			b.WriteString(strconv.Itoa(seq))
		case strings.HasPrefix(ph, "seq:0") && len(ph) == 6 && ph[5] >= '1' && ph[5] <= '9':
			seqs++
			fmt.Fprintf(&b, "%0*d", int(ph[5]-'0'), seq)
		default:
			return "", fmt.Errorf("cases: number pattern %q: unknown placeholder {%s}: %w", p, ph, ErrInvalid)
		}
	}
	if seqs != 1 {
		return "", fmt.Errorf("cases: number pattern %q: needs exactly one {seq}: %w", p, ErrInvalid)
	}
	return b.String(), nil
}
