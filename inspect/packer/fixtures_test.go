package packer

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealAPKs checks that none of the ordinary apps among the shared
// fixtures is reported as packed (file evidence only: the fixtures are
// read with archive/zip, without a dex parser).
func TestRealAPKs(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "apks")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared fixtures not available (%v); skipping the real-APK test", err)
	}
	apks, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	n := 0
	for _, p := range apks {
		zr, err := zip.OpenReader(p)
		if err != nil {
			continue // deliberately broken fixtures
		}
		var in Input
		for _, f := range zr.File {
			in.Files = append(in.Files, f.Name)
			if strings.HasPrefix(f.Name, "classes") && strings.HasSuffix(f.Name, ".dex") {
				in.DexSizes = append(in.DexSizes, int64(f.UncompressedSize64))
			}
		}
		zr.Close()
		n++
		if fs := Detect(in); len(fs) != 0 {
			t.Errorf("%s: false positive %+v", filepath.Base(p), fs)
		}
	}
	if n == 0 {
		t.Fatal("no fixture could be opened")
	}
}
