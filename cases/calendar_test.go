package cases

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

func testCal(t *testing.T) *Calendar {
	t.Helper()
	c, err := DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAddWorkingDays(t *testing.T) {
	c := testCal(t)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		// 2025-09-28 (Sunday) is a 调休 working day; 10-01..10-08 off; 10-11 (Saturday) works.
		{"national day 2025", "2025-09-28", 5, "2025-10-11"},
		{"national day 2025 one", "2025-09-30", 1, "2025-10-09"},
		{"plain week", "2025-03-03", 5, "2025-03-10"},
		{"zero", "2025-10-03", 0, "2025-10-03"},
		{"spring festival 2026", "2026-02-13", 1, "2026-02-14"}, // Saturday 02-14 works
		{"spring festival 2026 holiday", "2026-02-14", 1, "2026-02-24"},
		{"across new year 2026", "2025-12-31", 1, "2026-01-04"}, // 01-01..03 off, Sunday 01-04 works
		{"2020 extension", "2020-01-23", 1, "2020-02-03"},       // 02-01 no longer a working day
		{"backwards", "2025-10-09", -1, "2025-09-30"},
		{"40 days after removal", "2025-09-01", 40, "2025-10-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(day(tt.from), tt.n)
			if got.Format(time.DateOnly) != tt.want {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format(time.DateOnly), tt.want)
			}
			if tt.n >= 0 {
				if back := c.WorkingDaysBetween(day(tt.from), got); back != tt.n {
					t.Fatalf("WorkingDaysBetween = %d, want %d", back, tt.n)
				}
			}
		})
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := testCal(t)
	tests := []struct {
		d    string
		want bool
	}{
		{"2025-09-28", true},  // Sunday, adjusted
		{"2025-10-01", false}, // National Day
		{"2025-10-08", false},
		{"2025-10-11", true}, // Saturday, adjusted
		{"2025-10-12", false},
		{"2024-02-18", true},
		{"2023-12-31", false}, // plain Sunday
		{"2022-12-31", false}, // 2023 New Year starts the day before
		{"2026-05-09", true},
		{"2027-01-04", true}, // Monday in an uncovered year: weekends only
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(day(tt.d)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
	if got := c.HolidayName(day("2025-10-03")); got != "国庆节、中秋节" {
		t.Errorf("HolidayName = %q", got)
	}
}

func TestCoveredAndProvenance(t *testing.T) {
	c := testCal(t)
	for y := 2020; y <= 2026; y++ {
		if !c.Covered(y) {
			t.Errorf("year %d not covered", y)
		}
		src, ok := c.Source(y)
		if !ok || src.Title == "" || len(src.URLs) == 0 {
			t.Errorf("year %d: no provenance: %+v", y, src)
		}
	}
	for _, y := range []int{2019, 2027} {
		if c.Covered(y) {
			t.Errorf("year %d covered without a sourced notice", y)
		}
	}
	if c.CoversRange(day("2026-12-01"), day("2027-01-10")) {
		t.Error("CoversRange into 2027 = true")
	}
}

// TestEmbeddedYearsMatchWeekdays checks a property of every official notice: each year has seven
// holidays' worth of ranges, and each adjusted working day is a weekend day (validated on load),
// and every listed holiday range contains at least one weekday.
func TestEmbeddedYearsMatchWeekdays(t *testing.T) {
	c := testCal(t)
	for _, y := range c.Years() {
		hy := c.years[y]
		for _, h := range hy.Holidays {
			from, _ := parseDay(h.From)
			to, _ := parseDay(h.To)
			weekday := false
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					weekday = true
				}
			}
			if !weekday {
				t.Errorf("%d %s: range %s..%s has no weekday", y, h.Name, h.From, h.To)
			}
		}
	}
}

func TestParseCalendarRejects(t *testing.T) {
	tests := map[string]string{
		"not json":           `{`,
		"weekday workday":    `{"years":[{"year":2030,"source":{"title":"t","issued":"2029-11-01"},"workdays":[{"date":"2030-01-02","name":"x"}]}]}`,
		"reversed range":     `{"years":[{"year":2030,"source":{"title":"t","issued":"2029-11-01"},"holidays":[{"name":"x","from":"2030-01-03","to":"2030-01-01"}]}]}`,
		"no source":          `{"years":[{"year":2030}]}`,
		"bad date":           `{"years":[{"year":2030,"source":{"title":"t","issued":"2029-11-01"},"holidays":[{"name":"x","from":"2030-13-01","to":"2030-13-02"}]}]}`,
		"year twice":         `{"years":[{"year":2030,"source":{"title":"t","issued":"2029-11-01"}},{"year":2030,"source":{"title":"t","issued":"2029-11-01"}}]}`,
		"outside the year":   `{"years":[{"year":2030,"source":{"title":"t","issued":"2029-11-01"},"holidays":[{"name":"x","from":"2031-05-01","to":"2031-05-02"}]}]}`,
		"workday in holiday": `{"years":[{"year":2030,"source":{"title":"t","issued":"2029-11-01"},"holidays":[{"name":"x","from":"2030-01-05","to":"2030-01-06"}],"workdays":[{"date":"2030-01-05","name":"y"}]}]}`,
	}
	for name, doc := range tests {
		if _, err := ParseCalendar([]byte(doc)); !errors.Is(err, ErrCalendar) {
			t.Errorf("%s: err = %v, want ErrCalendar", name, err)
		}
	}
}

func TestLoadCalendarUserOverride(t *testing.T) {
	dir := t.TempDir()
	// The user adds 2030 (invented for the test) and replaces 2025 with a schedule without holidays.
	user := `{"years":[
 {"year":2030,"source":{"title":"test","issued":"2029-11-01","urls":["test"]},"holidays":[{"name":"元旦","from":"2030-01-01","to":"2030-01-01"}]},
 {"year":2025,"source":{"title":"test","issued":"2024-11-01","urls":["test"]}}]}`
	if err := os.WriteFile(filepath.Join(dir, HolidayFileName), []byte(user), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCalendar(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Covered(2030) || c.IsWorkingDay(day("2030-01-01")) {
		t.Error("user year 2030 not applied")
	}
	if !c.IsWorkingDay(day("2025-10-01")) {
		t.Error("user 2025 did not replace the embedded year")
	}
	if c.IsWorkingDay(day("2024-10-01")) {
		t.Error("embedded 2024 lost")
	}
	if err := os.WriteFile(filepath.Join(dir, HolidayFileName), []byte(`{"years":[{"year":1}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCalendar(dir); !errors.Is(err, ErrCalendar) {
		t.Errorf("invalid user file: err = %v", err)
	}
	if c, err := LoadCalendar(t.TempDir()); err != nil || !c.Covered(2025) {
		t.Errorf("no user file: %v", err)
	}
}
