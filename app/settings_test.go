package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/appinspect/appinspect/cases"
)

func TestSettingsRoundTripAndHolidayImport(t *testing.T) {
	dir := t.TempDir()
	s, err := NewService(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st := s.Settings()
	if st.RectificationDays != cases.DefaultRectificationDays {
		t.Fatalf("defaults: %+v", st)
	}
	// A broken calendar file is refused and nothing changes.
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"years":"nope"}`), 0o644)
	st.HolidayFile = bad
	if err := s.SaveSettings(st); err == nil {
		t.Fatal("a broken holiday file was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, cases.HolidayFileName)); err == nil {
		t.Fatal("a broken holiday file was installed")
	}
	// The embedded calendar itself is a valid file: importing it installs it.
	good := filepath.Join("..", "cases", cases.HolidayFileName)
	st.HolidayFile = good
	st.Inspector = "李检测"
	st.RectificationDays = 15
	if err := s.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, cases.HolidayFileName)); err != nil {
		t.Fatalf("calendar not installed: %v", err)
	}
	again, err := LoadSettings(dir)
	if err != nil || again.Inspector != "李检测" || again.RectificationDays != 15 {
		t.Fatalf("settings not kept: %+v %v", again, err)
	}
	st.RectificationDays = 0
	if err := s.SaveSettings(st); err == nil {
		t.Fatal("0 rectification days accepted")
	}
}
