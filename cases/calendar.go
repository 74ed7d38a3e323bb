package cases

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// HolidayFileName is the name of the holiday data file, embedded in the binary and optionally
// present in the data directory, where it overrides or extends the embedded years.
const HolidayFileName = "holidays_cn.json"

//go:embed holidays_cn.json
var embeddedHolidays []byte

// HolidayFile is the format of holidays_cn.json: per year, the statutory holidays and the adjusted
// working days (调休上班) of the State Council General Office's annual notice, with provenance.
type HolidayFile struct {
	Comment string        `json:"comment,omitempty"`
	Years   []HolidayYear `json:"years"`
}

// HolidayYear is one year's schedule.
type HolidayYear struct {
	Year     int            `json:"year"`
	Source   HolidaySource  `json:"source"`
	Holidays []HolidayRange `json:"holidays"`
	Workdays []AdjustedDay  `json:"workdays"`
}

// HolidaySource records where a year's schedule comes from.
type HolidaySource struct {
	Title  string   `json:"title"`
	Number string   `json:"number,omitempty"`
	Issued string   `json:"issued"`
	URLs   []string `json:"urls"`
	Note   string   `json:"note,omitempty"`
}

// HolidayRange is a run of days off, inclusive, as "YYYY-MM-DD".
type HolidayRange struct {
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
}

// AdjustedDay is a weekend day that is a working day (调休上班).
type AdjustedDay struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

// Calendar is China's working-day calendar: Monday to Friday are working days except statutory
// holidays, and some weekend days are working days. Years without a schedule fall back to
// weekends only; Covered tells which years have one. Calendar methods use the calendar day that
// a time.Time names in its own location.
type Calendar struct {
	years map[int]HolidayYear
	off   map[dayKey]string
	work  map[dayKey]string
}

type dayKey int // yyyymmdd

func keyOf(t time.Time) dayKey {
	y, m, d := t.Date()
	return dayKey(y*10000 + int(m)*100 + d)
}

var (
	defaultOnce sync.Once
	defaultCal  *Calendar
	defaultErr  error
)

// DefaultCalendar returns the calendar built from the embedded holidays_cn.json.
func DefaultCalendar() (*Calendar, error) {
	defaultOnce.Do(func() { defaultCal, defaultErr = ParseCalendar(embeddedHolidays) })
	return defaultCal, defaultErr
}

// LoadCalendar returns the embedded calendar, overridden and extended by dataDir/holidays_cn.json
// when that file exists: a year present in the user file replaces the embedded year. Errors wrap
// ErrCalendar.
func LoadCalendar(dataDir string) (*Calendar, error) {
	user, err := os.ReadFile(filepath.Join(dataDir, HolidayFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultCalendar()
	}
	if err != nil {
		return nil, fmt.Errorf("cases: read holiday file: %w", err)
	}
	return ParseCalendar(embeddedHolidays, user)
}

// ParseCalendar builds a calendar from holiday files; a year in a later file replaces the same year
// of an earlier one. Each file is validated: dates well-formed, ranges ordered and at most 10
// days, holidays within a day of their year, adjusted working days on weekends and not inside a
// holiday, no year twice in one file, a source title and issue date per year. Errors wrap
// ErrCalendar.
func ParseCalendar(files ...[]byte) (*Calendar, error) {
	c := &Calendar{years: map[int]HolidayYear{}, off: map[dayKey]string{}, work: map[dayKey]string{}}
	for i, data := range files {
		var f HolidayFile
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("cases: holiday file %d: %v: %w", i, err, ErrCalendar)
		}
		seen := map[int]bool{}
		for _, y := range f.Years {
			if seen[y.Year] {
				return nil, fmt.Errorf("cases: holiday file %d: year %d twice: %w", i, y.Year, ErrCalendar)
			}
			seen[y.Year] = true
			if err := validateYear(y); err != nil {
				return nil, fmt.Errorf("cases: holiday file %d: %w", i, err)
			}
			c.years[y.Year] = y
		}
	}
	years := c.Years()
	for _, yr := range years {
		y := c.years[yr]
		for _, h := range y.Holidays {
			from, _ := parseDay(h.From)
			to, _ := parseDay(h.To)
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				c.off[keyOf(d)] = h.Name
			}
		}
		for _, w := range y.Workdays {
			d, _ := parseDay(w.Date)
			c.work[keyOf(d)] = w.Name
		}
	}
	return c, nil
}

func parseDay(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

func validateYear(y HolidayYear) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("year %d: %s: %w", y.Year, fmt.Sprintf(format, a...), ErrCalendar)
	}
	if y.Year < 1999 || y.Year > 2200 {
		return bad("year out of range")
	}
	if y.Source.Title == "" || y.Source.Issued == "" {
		return bad("source title and issue date are required")
	}
	if _, err := parseDay(y.Source.Issued); err != nil {
		return bad("source issue date %q", y.Source.Issued)
	}
	lo := time.Date(y.Year-1, 12, 31, 0, 0, 0, 0, time.UTC)
	hi := time.Date(y.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	off := map[dayKey]bool{}
	for _, h := range y.Holidays {
		from, err1 := parseDay(h.From)
		to, err2 := parseDay(h.To)
		if err1 != nil || err2 != nil {
			return bad("holiday %q: bad date %q..%q", h.Name, h.From, h.To)
		}
		if to.Before(from) || to.Sub(from) > 9*24*time.Hour {
			return bad("holiday %q: range %s..%s", h.Name, h.From, h.To)
		}
		if from.Before(lo) || to.After(hi) {
			return bad("holiday %q: %s..%s outside the year", h.Name, h.From, h.To)
		}
		for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
			if off[keyOf(d)] {
				return bad("holiday %q: %s listed twice", h.Name, d.Format(time.DateOnly))
			}
			off[keyOf(d)] = true
		}
	}
	for _, w := range y.Workdays {
		d, err := parseDay(w.Date)
		if err != nil {
			return bad("working day %q: bad date", w.Date)
		}
		if d.Year() != y.Year && (d.Before(lo) || d.After(hi)) {
			return bad("working day %s outside the year", w.Date)
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return bad("working day %s is a %s, not a weekend day", w.Date, wd)
		}
		if off[keyOf(d)] {
			return bad("working day %s is inside a holiday", w.Date)
		}
	}
	return nil
}

// Years returns the covered years in ascending order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Covered reports whether the calendar has the official schedule for year.
func (c *Calendar) Covered(year int) bool { _, ok := c.years[year]; return ok }

// Source returns the provenance of a covered year.
func (c *Calendar) Source(year int) (HolidaySource, bool) {
	y, ok := c.years[year]
	return y.Source, ok
}

// CoversRange reports whether every year from a to b (inclusive, either order) is covered.
func (c *Calendar) CoversRange(a, b time.Time) bool {
	ya, yb := a.Year(), b.Year()
	if ya > yb {
		ya, yb = yb, ya
	}
	for y := ya; y <= yb; y++ {
		if !c.Covered(y) {
			return false
		}
	}
	return true
}

// IsWorkingDay reports whether the day of t is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	k := keyOf(t)
	if _, ok := c.work[k]; ok {
		return true
	}
	if _, ok := c.off[k]; ok {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// HolidayName returns the holiday the day of t belongs to, or "".
func (c *Calendar) HolidayName(t time.Time) string { return c.off[keyOf(t)] }

// AddWorkingDays returns midnight (in t's location) of the n-th working day after the day of t;
// the day of t itself is not counted, as in Chinese legal time limits (期间开始的日不计算在内).
// Negative n counts backwards; n == 0 returns the day of t.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		day = day.AddDate(0, 0, step)
		if c.IsWorkingDay(day) {
			n--
		}
	}
	return day
}

// WorkingDaysBetween counts the working days after the day of a up to and including the day of
// b, so WorkingDaysBetween(t, AddWorkingDays(t, n)) == n. It is negative when b is before a.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	from := time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)
	to := time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}
