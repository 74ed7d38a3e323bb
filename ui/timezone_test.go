package ui

import (
	"testing"
	"time"
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
