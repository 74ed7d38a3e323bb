package device

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func seedDir(f *testing.F, dir string) {
	ents, _ := os.ReadDir(filepath.Join("testdata", dir))
	for _, e := range ents {
		if b, err := os.ReadFile(filepath.Join("testdata", dir, e.Name())); err == nil && len(b) < 80_000 {
			f.Add(b)
		}
	}
}

var fuzzNow = time.Date(2023, 6, 1, 10, 20, 33, 0, time.UTC)

func FuzzParseAppOps(f *testing.F) {
	seedDir(f, "adb")
	seedDir(f, "synthetic")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, pkg := range []string{"com.facebook.katana", "com.example.consentdemo", "com.x"} {
			ops := ParseAppOps(b, pkg, fuzzNow, time.UTC)
			for i, op := range ops {
				if i > 0 && ops[i-1].Op >= op.Op {
					t.Fatalf("ops not sorted/unique: %q %q", ops[i-1].Op, op.Op)
				}
				for _, a := range op.Accesses {
					if a.Time.IsZero() {
						t.Fatal("zero access time kept")
					}
				}
			}
		}
	})
}

func FuzzParseDumpsysPackage(f *testing.F) {
	seedDir(f, "adb")
	seedDir(f, "synthetic")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range ParseDumpsysPackages(b, time.UTC) {
			for i := 1; i < len(p.Permissions); i++ {
				if p.Permissions[i-1].Name >= p.Permissions[i].Name {
					t.Fatal("permissions not sorted/unique")
				}
			}
		}
		_ = ParseWakeupReceivers(b, "com.example.consentdemo")
	})
}

func FuzzParseDevices(f *testing.F) {
	seedDir(f, "synthetic")
	f.Fuzz(func(t *testing.T, b []byte) {
		devs, err := ParseDevices(b)
		if err != nil {
			return
		}
		for _, d := range devs {
			if d.Serial == "" || d.State == "" {
				t.Fatalf("empty serial or state: %+v", d)
			}
			if (d.State == "device") != (d.Fix == "") {
				t.Fatalf("fix/state mismatch: %+v", d)
			}
		}
		_ = ParseGetprop(b)
		_ = ParsePMList(b)
		_ = ParsePMPath(b)
		_ = ParseProcesses(b, "com.x", fuzzNow)
		_ = ParseServices(b, "com.example.consentdemo", fuzzNow)
		_ = FilterLogcat(b, "com.x", []int{1, 2}, 3)
		_ = ParseJobs(b, "com.example.consentdemo")
		_, _ = ParseDeviceIdleWhitelist(b, "com.x")
		ev := ParseUsageEvents(b, "com.example.consentdemo", time.UTC)
		for i := 1; i < len(ev); i++ {
			if ev[i].Time.Before(ev[i-1].Time) {
				t.Fatal("usage events not sorted")
			}
		}
	})
}

func FuzzUIText(f *testing.F) {
	seedDir(f, "ui")
	f.Add([]byte(`<hierarchy><node text="同意" bounds="[0,0][1,1]"/></hierarchy>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = UIText(b)
	})
}

func FuzzParseAndroidDuration(f *testing.F) {
	for _, s := range []string{"+1h2m3s4ms", "-22d4h22m19s762ms", "0", "+33ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseAndroidDuration(s)
		if !ok && d != 0 {
			t.Fatal("value on failure")
		}
	})
}
