package inspect

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkScan scans the largest real fixture (and, when BENCH_BIG_APK
// names a file such as the one bench/run.sh makes, that one too), with and
// without SDK/API/packer detection: the difference is what detection adds.
func BenchmarkScan(b *testing.B) {
	files := []string{filepath.Join(sharedAPKs(b), "apktool__issue3533.apk")}
	if big := os.Getenv("BENCH_BIG_APK"); big != "" {
		files = append(files, big)
	}
	det, err := DefaultDetector()
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, mode := range []struct {
			name string
			opt  Options
		}{{"detect", Options{Detector: det}}, {"no-detect", Options{NoDetect: true}}} {
			b.Run(filepath.Base(f)+"/"+mode.name, func(b *testing.B) {
				b.SetBytes(fi.Size())
				for b.Loop() {
					if _, err := Scan(context.Background(), f, mode.opt); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkScanSDKFixtures scans every APK of ../shared/fixtures/apks-sdk
// (real apps and SDK demos) per iteration, with and without detection: the
// ratio is what SDK, ownership, API and packer detection add on real APKs.
func BenchmarkScanSDKFixtures(b *testing.B) {
	// APPINSPECT_BENCH_APKS names another directory of APKs (the npm set's
	// rebuilt APKs: go run ./bench/sdkrecall -npm DIR -npm-build-only -npm-keep OUT)
	dir := os.Getenv("APPINSPECT_BENCH_APKS")
	if dir == "" {
		dir = filepath.Join(filepath.Dir(sharedAPKs(b)), "apks-sdk")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	if len(files) == 0 {
		b.Skip("no ../shared/fixtures/apks-sdk")
	}
	det, err := DefaultDetector()
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		opt  Options
	}{{"detect", Options{Detector: det}}, {"no-detect", Options{NoDetect: true}}} {
		b.Run(mode.name, func(b *testing.B) {
			for b.Loop() {
				for _, f := range files {
					if _, err := Scan(context.Background(), f, mode.opt); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
