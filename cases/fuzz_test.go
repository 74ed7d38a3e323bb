package cases

import (
	"errors"
	"testing"
)

// FuzzParseCalendar: any input either parses or fails with ErrCalendar, never panics, and a parsed
// calendar answers queries.
func FuzzParseCalendar(f *testing.F) {
	f.Add(embeddedHolidays)
	f.Add([]byte(`{"years":[{"year":2030,"source":{"title":"t","issued":"2029-11-01"},"holidays":[{"name":"x","from":"2030-01-01","to":"2030-01-03"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCalendar(b)
		if err != nil {
			if !errors.Is(err, ErrCalendar) {
				t.Fatalf("error kind: %v", err)
			}
			return
		}
		for _, y := range c.Years() {
			d := day("2025-01-01").AddDate(y-2025, 0, 0)
			if got := c.WorkingDaysBetween(d, c.AddWorkingDays(d, 3)); got != 3 {
				t.Fatalf("year %d: round trip %d", y, got)
			}
		}
	})
}

// FuzzCreditCode: validation never panics, and a code it accepts has 18 characters.
func FuzzCreditCode(f *testing.F) {
	f.Add("91440300708461136T")
	f.Add("91350100M000100Y43")
	f.Fuzz(func(t *testing.T, s string) {
		if err := ValidateCreditCode(s); err == nil && len(s) != 18 {
			t.Fatalf("accepted %q", s)
		}
	})
}
