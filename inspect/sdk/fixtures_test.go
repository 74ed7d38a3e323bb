package sdk

import (
	"archive/zip"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureDir is ../shared/fixtures/apks seen from this package.
func fixtureDir(t *testing.T) string {
	t.Helper()
	d := filepath.Join("..", "..", "..", "shared", "fixtures", "apks")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("shared fixtures not available (%v); skipping the real-APK test", err)
	}
	return d
}

// dexClasses is a minimal, bounds-checked reader of the class names a dex
// file defines (header → class_defs → type_ids → string_ids → MUTF-8 data).
// It is test scaffolding; the product's dex parser lives in inspect/dex.
func dexClasses(b []byte) ([]string, bool) {
	if len(b) < 0x70 || string(b[:4]) != "dex\n" {
		return nil, false
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(b) {
			return 0, false
		}
		return int(binary.LittleEndian.Uint32(b[off:])), true
	}
	strSize, _ := u32(0x38)
	strOff, _ := u32(0x3C)
	typeSize, _ := u32(0x40)
	typeOff, _ := u32(0x44)
	classSize, _ := u32(0x60)
	classOff, _ := u32(0x64)
	var out []string
	for i := 0; i < classSize; i++ {
		typeIdx, ok := u32(classOff + 32*i)
		if !ok || typeIdx >= typeSize {
			return out, false
		}
		strIdx, ok := u32(typeOff + 4*typeIdx)
		if !ok || strIdx >= strSize {
			return out, false
		}
		dataOff, ok := u32(strOff + 4*strIdx)
		if !ok || dataOff >= len(b) {
			return out, false
		}
		p := dataOff
		for p < len(b) && b[p]&0x80 != 0 { // skip uleb128 utf16 length
			p++
		}
		p++
		end := p
		for end < len(b) && b[end] != 0 {
			end++
		}
		if p > end {
			return out, false
		}
		d := string(b[p:end])
		if strings.HasPrefix(d, "L") && strings.HasSuffix(d, ";") {
			out = append(out, strings.ReplaceAll(d[1:len(d)-1], "/", "."))
		}
	}
	return out, true
}

func apkClasses(t *testing.T, path string) (classes []string, ok bool) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, false
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "classes") || !strings.HasSuffix(f.Name, ".dex") || strings.Contains(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, false
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, false
		}
		cs, good := dexClasses(b)
		if !good {
			return nil, false
		}
		classes = append(classes, cs...)
	}
	return classes, true
}

// TestRealAPKs runs the matcher on the ordinary apps among the shared
// fixtures: none of them contains a Chinese SDK. It also checks the test's
// dex reader against dexdump's class counts in expected.json.
func TestRealAPKs(t *testing.T) {
	dir := fixtureDir(t)
	var expected map[string]struct {
		Dex struct {
			OK      bool `json:"ok"`
			Classes int  `json:"classes"`
		} `json:"dex"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &expected); err != nil {
		t.Fatal(err)
	}
	m := mustEmbedded(t).Matcher()
	cn := chineseIDs()
	apks, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	total := 0
	for _, p := range apks {
		name := filepath.Base(p)
		classes, ok := apkClasses(t, p)
		if !ok {
			continue // deliberately broken fixtures
		}
		if e, found := expected[name]; found && e.Dex.OK && e.Dex.Classes != len(classes) {
			t.Errorf("%s: read %d classes, dexdump says %d", name, len(classes), e.Dex.Classes)
		}
		total += len(classes)
		for _, d := range m.Detect(Input{Classes: classes}) {
			if cn[d.ID] || hasHan(d.NameZH) && privacyCategory[d.Category] {
				t.Errorf("%s: false positive %s (%s): %+v", name, d.ID, d.NameZH, d.Evidence)
			}
		}
	}
	if total == 0 {
		t.Fatal("no classes read from any fixture")
	}
	t.Logf("%d APKs, %d classes", len(apks), total)
}
