package sign

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkVerify measures Verify on the largest shared fixture and on a
// synthetic 150 MB v1+v2-signed APK written to a temporary file (skipped
// with -short). Memory per operation stays bounded: files are read through
// io.ReaderAt in 1 MiB chunks.
func BenchmarkVerify(b *testing.B) {
	b.Run("largest-fixture", func(b *testing.B) {
		ms, _ := filepath.Glob(filepath.Join(fixtureDir, "*.apk"))
		var best string
		var bestSize int64
		for _, m := range ms {
			if st, err := os.Stat(m); err == nil && st.Size() > bestSize {
				best, bestSize = m, st.Size()
			}
		}
		if best == "" {
			b.Skip("shared fixtures not available")
		}
		benchFile(b, best)
	})
	b.Run("synthetic-150MB", func(b *testing.B) {
		if testing.Short() {
			b.Skip("skipping the 150 MB APK in -short mode")
		}
		benchFile(b, synthetic150(b))
	})
}

func benchFile(b *testing.B, path string) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Verify(f, st.Size())
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Schemes) == 0 {
			b.Fatalf("%s did not verify: %v", path, res.Problems)
		}
	}
}

// synthetic150 writes a 150 MB APK with stored native library and asset
// entries, signed with v1 and v2, and returns its path.
func synthetic150(b *testing.B) string {
	b.Helper()
	testKeys(b)
	rng := rand.NewChaCha8([32]byte{1})
	blob := func(n int) []byte {
		p := make([]byte, n)
		_, _ = rng.Read(p)
		return p
	}
	files := []testFile{
		{name: "AndroidManifest.xml", data: blob(4096), stored: true},
		{name: "classes.dex", data: blob(8 << 20), stored: true},
		{name: "lib/arm64-v8a/libgame.so", data: blob(100 << 20), stored: true},
		{name: "assets/data.pak", data: blob(42 << 20), stored: true},
	}
	for i := range 200 {
		files = append(files, testFile{name: "res/drawable/i" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".png", data: blob(512), stored: true})
	}
	z := writeZip(b, signV1(b, files, keyRSA, v1Options{apkSigned: "2"}))
	files = nil
	apk := insertSigningBlock(b, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(b, z, keyRSA, schemeOptions{}))}})
	z = nil
	path := filepath.Join(b.TempDir(), "synthetic.apk")
	if err := os.WriteFile(path, apk, 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}
