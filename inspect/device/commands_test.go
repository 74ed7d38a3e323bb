package device

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCommandsDocumented(t *testing.T) {
	md, err := os.ReadFile("COMMANDS.md")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range Commands {
		if ids[c.ID] {
			t.Errorf("duplicate id %s", c.ID)
		}
		ids[c.ID] = true
		if c.Collects == "" || c.Used == "" {
			t.Errorf("%s: empty fields", c.ID)
		}
		if !strings.Contains(string(md), "`"+c.Line+"`") {
			t.Errorf("COMMANDS.md lacks `%s`", c.Line)
		}
	}
	// And the other way: every command in a table row is in Commands.
	for _, line := range strings.Split(string(md), "\n") {
		if !strings.HasPrefix(line, "| `adb") {
			continue
		}
		cmd := strings.SplitN(line[3:], "`", 2)[0]
		found := false
		for _, c := range Commands {
			found = found || c.Line == cmd
		}
		if !found {
			t.Errorf("COMMANDS.md documents %q, which Commands lacks", cmd)
		}
	}
}

func TestMatchCommand(t *testing.T) {
	tests := map[string]string{
		"adb devices -l": "devices",
		"adb -s S1 shell pm list packages -f --show-versioncode -3": "pm-list",
		"adb -s S1 shell pm list packages -f --show-versioncode":    "pm-list",
		"adb -s S1 shell stat -c %s /a/base.apk /a/split.apk":       "stat",
		"adb -s S1 shell logcat -d -v threadtime":                   "logcat",
		"adb -s S1 shell logcat -d -v threadtime -T 1.000":          "logcat",
		"adb -s S1 shell dumpsys appops --package com.x":            "dumpsys-appops-package",
		"adb -s S1 shell dumpsys appops":                            "dumpsys-appops",
	}
	for line, id := range tests {
		c, ok := MatchCommand(line)
		if !ok || c.ID != id {
			t.Errorf("%q: got %q %v, want %q", line, c.ID, ok, id)
		}
	}
	for _, bad := range []string{"adb -s S1 shell rm -rf /", "adb -s S1 shell logcat -d -v threadtime -T", "adb -s S1 shell dumpsys appops --package"} {
		if c, ok := MatchCommand(bad); ok {
			t.Errorf("%q matched %s", bad, c.ID)
		}
	}
}

// TestFixturesMatchShared checks that the unchanged copies in testdata are
// byte-identical to /work/shared's originals (PROVENANCE.md says so).
func TestFixturesMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "fixtures", "adb")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("../shared/fixtures not present; provenance cross-check skipped")
	}
	pairs := map[string]string{
		"adb/mvt_dumpsys_appops.txt":        "mvt__dumpsys_appops.txt",
		"adb/mvt_dumpsys_packages.txt":      "mvt__dumpsys_packages.txt",
		"adb/mvt_getprop.txt":               "mvt__getprop.txt",
		"adb/mvt_ps.txt":                    "mvt__ps.txt",
		"adb/penumbra_pm_list_packages.txt": "penumbra_aipin__pm_list_packages_enabled.md",
		"ui/wework_window_dump.xml":         "wework__uiautomator_window_dump.xml",
		"ui/futu_window_dump.xml":           "futu__uiautomator_window_dump.xml",
	}
	for mine, theirs := range pairs {
		a, err1 := os.ReadFile(filepath.Join("testdata", mine))
		b, err2 := os.ReadFile(filepath.Join(shared, theirs))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from %s (%v %v)", mine, theirs, err1, err2)
		}
	}
	// Trimmed copies: every line must come from the original.
	for mine, theirs := range map[string]string{
		"adb/penumbra_dumpsys_package_trimmed.txt": "penumbra_aipin__dumpsys_package.md",
		"adb/penumbra_getprop.txt":                 "penumbra_aipin__getprop.md",
		"adb/rk322x_getprop.txt":                   "rk322x_tvbox__getprop.txt",
		"adb/tekartik_dumpsys_package1.txt":        "tekartik__adb_utils_test.dart",
		"adb/tekartik_dumpsys_package2.txt":        "tekartik__adb_utils_test.dart",
	} {
		a, _ := os.ReadFile(filepath.Join("testdata", mine))
		b, err := os.ReadFile(filepath.Join(shared, theirs))
		if err != nil {
			t.Fatal(err)
		}
		lines := map[string]bool{}
		for _, l := range strings.Split(string(b), "\n") {
			lines[l] = true
		}
		for _, l := range strings.Split(string(a), "\n") {
			if l != "" && l != "Packages:" && !lines[l] {
				t.Errorf("%s: line not in %s: %q", mine, theirs, l)
			}
		}
	}
}
