package assets

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

func TestIconIsPNG(t *testing.T) {
	cfg, err := png.DecodeConfig(bytes.NewReader(Icon))
	if err != nil {
		t.Fatalf("icon: %v", err)
	}
	if cfg.Width != cfg.Height || cfg.Width < 256 {
		t.Fatalf("icon is %dx%d, want a square of at least 256", cfg.Width, cfg.Height)
	}
}

func TestFontIsTrueType(t *testing.T) {
	// TrueType outlines start with 0x00010000; 'OTTO' (CFF) cannot be used by fpdf.
	if len(FontRegular) < 4 || !bytes.Equal(FontRegular[:4], []byte{0, 1, 0, 0}) {
		t.Fatalf("font is not a TrueType (glyf) font: % x", FontRegular[:4])
	}
	if !strings.Contains(FontLicense, "SIL OPEN FONT LICENSE Version 1.1") {
		t.Fatal("font licence text missing")
	}
}

// TestTranslationsComplete fails when a locale has keys en.json lacks, or
// lacks keys en.json has: every text must exist in both languages.
func TestTranslationsComplete(t *testing.T) {
	load := func(name string) map[string]string {
		b, err := Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	en := load("en.json")
	files, _ := fs.Glob(Translations, "translations/*.json")
	if len(files) < 2 {
		t.Fatalf("want at least en and zh translations, have %v", files)
	}
	for _, f := range files {
		name := strings.TrimPrefix(f, "translations/")
		if name == "en.json" {
			continue
		}
		m := load(name)
		var extra, missing []string
		for k, v := range m {
			if _, ok := en[k]; !ok {
				extra = append(extra, k)
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q is empty", name, k)
			}
		}
		for k := range en {
			if _, ok := m[k]; !ok {
				missing = append(missing, k)
			}
		}
		slices.Sort(extra)
		slices.Sort(missing)
		if len(extra) > 0 {
			t.Errorf("%s has keys en.json lacks: %v", name, extra)
		}
		if len(missing) > 0 {
			t.Errorf("%s lacks keys: %v", name, missing)
		}
	}
}
