package cases

import (
	"fmt"
	"time"
)

// Status is the disposal stage of a case, following the sequence of the draft Interim Provisions
// on App personal-information protection (2021): notice to rectify, rectification, re-inspection
// and closing, or escalation through public announcement, removal from stores, disconnection and
// credit management.
type Status string

// The statuses.
const (
	StatusOpen               Status = "open"
	StatusNoticeIssued       Status = "notice_issued"
	StatusRectified          Status = "rectified"
	StatusReinspection       Status = "reinspection"
	StatusClosed             Status = "closed"
	StatusPublicAnnouncement Status = "public_announcement"
	StatusRemoval            Status = "removal"
	StatusDisconnection      Status = "disconnection"
	StatusCreditManagement   Status = "credit_management"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusOpen, StatusNoticeIssued, StatusRectified, StatusReinspection, StatusClosed,
	StatusPublicAnnouncement, StatusRemoval, StatusDisconnection, StatusCreditManagement}

var statusNames = map[Status][2]string{
	StatusOpen:               {"立案", "Open"},
	StatusNoticeIssued:       {"已下发整改通知", "Notice to rectify issued"},
	StatusRectified:          {"企业已报告整改", "Rectification reported"},
	StatusReinspection:       {"复查中", "Re-inspection"},
	StatusClosed:             {"结案", "Closed"},
	StatusPublicAnnouncement: {"公开通报", "Public announcement"},
	StatusRemoval:            {"下架", "Removed from stores"},
	StatusDisconnection:      {"断开接入", "Disconnected"},
	StatusCreditManagement:   {"信用管理", "Credit management"},
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { _, ok := statusNames[s]; return ok }

// ZH returns the Chinese name of the status.
func (s Status) ZH() string { return nameOr(statusNames, s, 0) }

// EN returns the English name of the status.
func (s Status) EN() string { return nameOr(statusNames, s, 1) }

// transitions is the table of allowed transitions. Overdue is not a status: it is a notice_issued
// case past its deadline (Case.IsOverdue), so escalation "from overdue" is escalation from
// notice_issued. A failed re-inspection goes back to a new notice or escalates; a company that
// rectifies during escalation goes to rectified and then re-inspection.
var transitions = map[Status][]Status{
	StatusOpen:               {StatusNoticeIssued, StatusClosed},
	StatusNoticeIssued:       {StatusRectified, StatusPublicAnnouncement},
	StatusRectified:          {StatusReinspection},
	StatusReinspection:       {StatusClosed, StatusNoticeIssued, StatusPublicAnnouncement},
	StatusPublicAnnouncement: {StatusRectified, StatusRemoval},
	StatusRemoval:            {StatusRectified, StatusDisconnection},
	StatusDisconnection:      {StatusRectified, StatusCreditManagement},
	StatusCreditManagement:   {StatusClosed},
	StatusClosed:             nil,
}

// NextStatuses returns the statuses reachable from s in one step, in table order.
func NextStatuses(s Status) []Status { return append([]Status(nil), transitions[s]...) }

// CanTransition reports whether from → to is allowed.
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// TransitionError is the error for a transition not in the table. It matches ErrInvalidTransition
// with errors.Is.
type TransitionError struct{ From, To Status }

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cases: invalid status transition from %s to %s", e.From, e.To)
}

// Is makes errors.Is(err, ErrInvalidTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrInvalidTransition }

// CheckTransition returns a *TransitionError unless from → to is allowed.
func CheckTransition(from, to Status) error {
	if !CanTransition(from, to) {
		return &TransitionError{From: from, To: to}
	}
	return nil
}

// RereleaseBanWorkingDays is the period after removal during which the app may not be released
// again through any channel (draft Interim Provisions 2021, as summarised by 中国新闻网:
// 下架后的App在40个工作日内不得通过任何渠道再次上架).
const RereleaseBanWorkingDays = 40

// Event is one recorded workflow transition.
type Event struct {
	ID     int64
	CaseID int64
	From   Status
	To     Status
	// At is the date of the act (for example the day the notice was issued).
	At      time.Time
	Actor   string
	Note    string
	Created time.Time
}

// ChinaTime is China Standard Time (UTC+8, no daylight saving), the zone of all civil dates.
var ChinaTime = time.FixedZone("CST", 8*3600)

// CivilDate returns midnight, China Standard Time, of the day t falls on in China.
func CivilDate(t time.Time) time.Time {
	y, m, d := t.In(ChinaTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, ChinaTime)
}
