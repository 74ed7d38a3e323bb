package app

import (
	"os"
	"strings"
	"testing"
)

// TestFyneAppTOML keeps FyneApp.toml and the code in step.
func TestFyneAppTOML(t *testing.T) {
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{`ID = "` + ID + `"`, `Version = "` + Version + `"`, `Name = "` + Name + `"`, "fyneDo = true"} {
		if !strings.Contains(s, want) {
			t.Errorf("FyneApp.toml lacks %s", want)
		}
	}
}
