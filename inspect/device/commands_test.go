package device

import (
	"os"
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
