package app

import (
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// TestRecordedFor: a device record names its build; one stored before
// records named it belongs to the newest version when it was added.
func TestRecordedFor(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	vs := []cases.Version{
		{ID: 1, APKSHA256: "v1", Created: t0},
		{ID: 2, APKSHA256: "v1", Created: t0.Add(time.Hour)}, // re-evaluation of the same build
		{ID: 3, APKSHA256: "v2", Created: t0.Add(2 * time.Hour)},
	}
	for _, c := range []struct {
		stored string
		added  time.Time
		want   string
	}{
		{"v2", t0.Add(time.Minute), "v2"}, // the stored hash wins
		{"", t0.Add(-time.Minute), ""},    // before any version
		{"", t0.Add(90 * time.Minute), "v1"},
		{"", t0.Add(2 * time.Hour), "v2"},
		{"", t0.Add(3 * time.Hour), "v2"},
	} {
		if got := recordedFor(vs, c.stored, c.added); got != c.want {
			t.Errorf("recordedFor(%q, %v) = %q, want %q", c.stored, c.added.Sub(t0), got, c.want)
		}
	}
}

// TestUntested: which fixed findings the new version was not tested for.
func TestUntested(t *testing.T) {
	dev := cases.Finding{Rule: "device.background_access", Evidence: []string{"device:op:FINE_LOCATION@1"}}
	cons := cases.Finding{Rule: "device.access_before_consent", Evidence: []string{"device:consent@1", "device:op:READ_CONTACTS@0"}}
	net := cases.Finding{Rule: "network.contact_before_consent", Evidence: []string{"device:consent@1", "network:a.b:443@0"}}
	static := cases.Finding{Rule: "sdk.undisclosed", Evidence: []string{"sdk:umeng"}}
	for _, c := range []struct {
		f                     cases.Finding
		session, dev, consent bool
		want                  bool
	}{
		{dev, false, false, false, true},
		{dev, false, true, false, false},
		{cons, false, true, false, true}, // device evidence but no consent mark
		{cons, false, true, true, false},
		{net, false, true, true, true},
		{net, true, false, false, false},
		{static, false, false, false, false},
	} {
		if got := untested(c.f, c.session, c.dev, c.consent); got != c.want {
			t.Errorf("untested(%s, session %v, device %v, consent %v) = %v", c.f.Rule, c.session, c.dev, c.consent, got)
		}
	}
}
