package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// TestDisplayZone: screen times follow the timezone setting, Beijing time
// by default, labelled.
func TestDisplayZone(t *testing.T) {
	defer setDisplayZone("")
	at := time.Date(2026, 3, 2, 8, 50, 0, 0, time.UTC)
	SetLanguage("zh")
	setDisplayZone("")
	if got := fmtTimeZ(at); got != "2026-03-02 16:50:00 (北京时间)" {
		t.Errorf("default zone: %q", got)
	}
	setDisplayZone("UTC")
	if got := fmtTimeZ(at); got != "2026-03-02 08:50:00 (UTC)" {
		t.Errorf("UTC: %q", got)
	}
	setDisplayZone("Nowhere/Atlantis")
	if got := fmtTime(at); got != "2026-03-02 16:50:00" {
		t.Errorf("unknown zone falls back to Beijing time: %q", got)
	}
}

// TestTimesShownInOneZone: a time stored in UTC is shown in China
// Standard Time (as the notices use) in the review rows, or in the zone the
// setting chose.
func TestTimesShownInOneZone(t *testing.T) {
	defer setDisplayZone("")
	setDisplayZone("")
	c := testCase(t)
	utc := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	c.Evidence = []cases.Evidence{{ID: 9, SHA256: strings.Repeat("ab", 32), Kind: cases.EvidenceScreenshot, Name: "s.png", Added: utc}}
	rows := buildRows(c)
	if got := rows[revScreenshots][0].Sub; !strings.HasPrefix(got, "2026-03-02 09:00:00") {
		t.Errorf("screenshot time = %q, want China time 09:00", got)
	}
	setDisplayZone("Europe/Berlin")
	if got := displayTime(utc).Format("15:04"); got != "02:00" {
		t.Errorf("Berlin = %s", got)
	}
}
