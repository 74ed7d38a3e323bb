package reports

import (
	"fmt"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// DeadlineFor turns n working days from the issue date into the deadline with
// the case's calendar (the issue day itself is not counted) — the rule the
// case workflow applies when a notice is issued — and returns a note for the
// notice: which official holiday schedules were used, or a warning that a
// year is not covered and only weekends were skipped. The notice's deadline
// sentence states the rule itself; the note only names the calendar.
func DeadlineFor(cal *cases.Calendar, issued time.Time, n int, lang string) (time.Time, string) {
	lang = normLang(lang)
	issued = cases.CivilDate(issued)
	d := cal.AddWorkingDays(issued, n)
	if !cal.CoversRange(issued, d) {
		if lang == LangEN {
			return d, fmt.Sprintf("Warning: the holiday calendar does not cover every year from %d to %d; only weekends were skipped, so the date is an estimate. Check it against the State Council's holiday schedule.", issued.Year(), d.Year())
		}
		return d, fmt.Sprintf("注意：节假日日历未覆盖%d至%d年的全部年份，仅按周末推算，日期为估算值，请对照国务院办公厅节假日安排核对。", issued.Year(), d.Year())
	}
	var titles []string
	for y := issued.Year(); y <= d.Year(); y++ {
		if s, ok := cal.Source(y); ok && s.Title != "" {
			titles = append(titles, s.Title)
		}
	}
	if lang == LangEN {
		note := fmt.Sprintf("Working days exclude the public holidays and include the adjusted working days of the official holiday schedule for %d", issued.Year())
		if d.Year() != issued.Year() {
			note = fmt.Sprintf("Working days exclude the public holidays and include the adjusted working days of the official holiday schedules for %d–%d", issued.Year(), d.Year())
		}
		return d, note + "."
	}
	note := "工作日按"
	for i, t := range titles {
		if i > 0 {
			note += "、"
		}
		note += "《" + t + "》"
	}
	return d, note + "扣除法定节假日并计入调休上班日。"
}

// ConsequenceName returns the name of a disposal stage in lang.
func ConsequenceName(s cases.Status, lang string) string {
	if s == "" {
		s = cases.StatusPublicAnnouncement
	}
	return statusName(normLang(lang), s)
}
