package inspect

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sharedAPKs returns ../shared/fixtures/apks, or skips the test.
func sharedAPKs(t testing.TB) string {
	dir := filepath.Join("..", "..", "shared", "fixtures", "apks")
	if _, err := os.Stat(filepath.Join(dir, "expected.json")); err != nil {
		t.Skipf("../shared/fixtures/apks is absent (%v): skipping the comparison with aapt/apksigner/dexdump", err)
	}
	return dir
}

type expected struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Aapt   struct {
		OK          bool     `json:"ok"`
		Error       string   `json:"error"`
		Package     string   `json:"package"`
		VersionCode string   `json:"version_code"`
		VersionName string   `json:"version_name"`
		MinSDK      string   `json:"min_sdk"`
		TargetSDK   string   `json:"target_sdk"`
		Label       string   `json:"label"`
		Permissions []string `json:"permissions"`
		NativeABIs  []string `json:"native_abis"`
	} `json:"aapt"`
	Apksigner struct {
		OK         bool     `json:"ok"`
		Schemes    []int    `json:"schemes"`
		CertSHA256 []string `json:"cert_sha256"`
	} `json:"apksigner"`
	Dex struct {
		OK      bool     `json:"ok"`
		Classes int      `json:"classes"`
		Files   []string `json:"files"`
	} `json:"dex"`
}

// tolerated lists the fixtures a reference tool failed on but that we scan,
// with the reason that is right.
var tolerated = map[string]string{
	// aapt and apksigner refuse an archive with garbage between the central
	// directory and its end record, and Python's zipfile too, but Android's
	// own zip reader (libziparchive) locates the directory from the end
	// record's offset and installs it; aapt succeeded on the manifest.
	"androguard__apksig_v2-only-garbage-between-cd-and-eocd.apk": "Android's zip reader accepts it",
}

// TestFixturesAgainstReferenceTools compares our facts with what aapt,
// apksigner and dexdump say of the real fixtures, wherever they succeeded.
func TestFixturesAgainstReferenceTools(t *testing.T) {
	dir := sharedAPKs(t)
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp map[string]expected
	if err := json.Unmarshal(b, &exp); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(exp))
	for n := range exp {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		e := exp[name]
		t.Run(name, func(t *testing.T) {
			r, err := Scan(context.Background(), filepath.Join(dir, name), Options{})
			if r.Size != e.Size {
				t.Errorf("size %d, want %d", r.Size, e.Size)
			}
			if r.SHA256 != "" && r.SHA256 != e.SHA256 {
				t.Errorf("sha256 %s, want %s", r.SHA256, e.SHA256)
			}
			if !e.Aapt.OK {
				if err == nil && tolerated[name] == "" {
					t.Errorf("aapt failed (%s) but we scanned it without saying why that is right", e.Aapt.Error)
				}
				if err != nil {
					if !strings.Contains(err.Error(), name) {
						t.Errorf("error does not name the file: %v", err)
					}
					t.Logf("both fail: ours: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("aapt read it, we failed: %v", err)
			}
			a := e.Aapt
			eq := func(what string, got, want any) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %v, want %v", what, got, want)
				}
			}
			eq("package", r.Package, a.Package)
			if a.VersionCode != "" {
				eq("version_code", strconv.FormatInt(r.VersionCode, 10), a.VersionCode)
			}
			eq("version_name", r.VersionName, a.VersionName)
			// aapt prints '' for an absent attribute; we report the
			// platform's default (min 1, target = min).
			if a.MinSDK != "" || r.MinSDK != 1 {
				eq("min_sdk", strconv.Itoa(r.MinSDK), a.MinSDK)
			}
			if a.TargetSDK != "" || r.TargetSDK != r.MinSDK {
				eq("target_sdk", strconv.Itoa(r.TargetSDK), a.TargetSDK)
			}
			if a.Label != "" {
				eq("label", r.Label, a.Label)
			}
			var perms []string
			for _, p := range r.Permissions {
				perms = append(perms, p.Name)
			}
			want := slices.Clone(a.Permissions)
			slices.Sort(want)
			slices.Sort(perms)
			if !slices.Equal(perms, want) {
				t.Errorf("permissions\n got %v\nwant %v", perms, want)
			}
			if !slices.Equal(r.NativeABIs, a.NativeABIs) && !(len(r.NativeABIs) == 0 && len(a.NativeABIs) == 0) {
				t.Errorf("native_abis %v, want %v", r.NativeABIs, a.NativeABIs)
			}
			if s := e.Apksigner; s.OK {
				if !slices.Equal(r.Signature.Schemes, s.Schemes) {
					t.Errorf("signature schemes %v, want %v", r.Signature.Schemes, s.Schemes)
				}
				var certs []string
				for _, c := range r.Signature.Certificates {
					certs = append(certs, c.SHA256)
				}
				if !slices.Equal(certs, s.CertSHA256) {
					t.Errorf("certificates %v, want %v", certs, s.CertSHA256)
				}
				if v := r.Signature.Verdict; v == nil || !v.Verifies {
					t.Errorf("verdict %+v, apksigner verifies", v)
				}
			} else if v := r.Signature.Verdict; v != nil && v.Verifies {
				t.Errorf("apksigner says DOES NOT VERIFY, our verdict verifies: %+v", v)
			}
			if d := e.Dex; d.OK {
				eq("dex.classes", r.Dex.Classes, d.Classes)
				if !slices.Equal(r.Dex.Files, d.Files) && len(d.Files)+len(r.Dex.Files) > 0 {
					t.Errorf("dex.files %v, want %v", r.Dex.Files, d.Files)
				}
			}
		})
	}
}

// TestScanDeterministic checks that two scans encode to the same JSON.
func TestScanDeterministic(t *testing.T) {
	dir := sharedAPKs(t)
	p := filepath.Join(dir, "androguard__app-prod-debug.apk")
	enc := func() string {
		r, err := Scan(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		r.Stats = Stats{}
		b, _ := json.Marshal(r)
		return string(b)
	}
	if a, b := enc(), enc(); a != b {
		t.Fatal("two scans of the same APK differ")
	}
}
