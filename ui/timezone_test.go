package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// TestTimesShownInOneZone: a time stored in UTC is shown in China
// Standard Time (as the notices use), or in the zone SetTimeZone chose.
func TestTimesShownInOneZone(t *testing.T) {
	c := testCase(t)
	utc := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	c.Evidence = []cases.Evidence{{ID: 9, SHA256: strings.Repeat("ab", 32), Kind: cases.EvidenceScreenshot, Name: "s.png", Added: utc}}
	rows := buildRows(c)
	if got := rows[revScreenshots][0].Sub; !strings.HasPrefix(got, "2026-03-02 09:00:00") {
		t.Errorf("screenshot time = %q, want China time 09:00", got)
	}
	if err := SetTimeZone("Europe/Berlin"); err != nil {
		t.Skipf("no zone data: %v", err)
	}
	defer SetTimeZone("")
	if got := displayTime(utc).Format("15:04"); got != "02:00" {
		t.Errorf("Berlin = %s", got)
	}
	if err := SetTimeZone("No/Such_Zone"); err == nil {
		t.Error("an unknown zone was accepted")
	}
}
