package rules

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // test-only: zone data for the Location test on any host
)

// TestLocation: explanations write times in Options.Location, labelled;
// the default is Asia/Shanghai (北京时间 / Beijing time).
func TestLocation(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		loc    *time.Location
		zh, en string
	}{
		{nil, "北京时间 2026-03-02 18:00:00", "2026-03-02 18:00:00 Beijing time"},
		{berlin, "Europe/Berlin UTC+01:00 2026-03-02 11:00:00", "2026-03-02 11:00:00 Europe/Berlin UTC+01:00"},
		{time.UTC, "UTC 2026-03-02 10:00:00", "2026-03-02 10:00:00 UTC"},
	} {
		cs := Run(hermeticFacts(), Options{Location: tc.loc, Only: []RuleID{"device.access_before_consent"}})
		if len(cs) == 0 {
			t.Fatal("no candidate")
		}
		if !strings.Contains(cs[0].ExplanationZH, tc.zh) || !strings.Contains(cs[0].ExplanationEN, tc.en) {
			t.Errorf("%v: %q / %q lack %q / %q", tc.loc, cs[0].ExplanationZH, cs[0].ExplanationEN, tc.zh, tc.en)
		}
	}
	if got := durationZH(90 * time.Second); got != "90秒" {
		t.Errorf("durationZH: %q", got)
	}
	if got := durationEN(2 * time.Hour); got != "2 hours" {
		t.Errorf("durationEN: %q", got)
	}
}

// TestAPIName: a method by Class.method, string evidence by what it reads,
// an id outside the catalog never printed.
func TestAPIName(t *testing.T) {
	for _, tc := range []struct {
		id, zh, en string
	}{
		{"clipboard.getPrimaryClip", "ClipboardManager.getPrimaryClip", "ClipboardManager.getPrimaryClip"},
		{"settings.android_id", "", ""},
		{"no.such.api", "未收录的接口", "an API outside the catalog"},
	} {
		a := apiUse(tc.id, "", false)
		a.Class, a.Method, a.Kind = "", "", "" // as a stored scan without them
		if tc.id == "settings.android_id" {
			a.Kind = "setting"
		}
		zh, en := apiNameZH(a), apiNameEN(a)
		if strings.Contains(zh, tc.id) || strings.Contains(en, tc.id) || zh == "" || en == "" {
			t.Errorf("%s: %q / %q", tc.id, zh, en)
		}
		if tc.zh != "" && (zh != tc.zh || en != tc.en) {
			t.Errorf("%s: %q / %q, want %q / %q", tc.id, zh, en, tc.zh, tc.en)
		}
	}
}
