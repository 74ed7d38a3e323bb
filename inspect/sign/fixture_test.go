package sign

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// fixtureDir is /work/shared/fixtures/apks, reached relative to this package
// (repo/inspect/sign -> repo/../shared).
var fixtureDir = filepath.Join("..", "..", "..", "shared", "fixtures", "apks")

type expectedAPK struct {
	Aapt struct {
		MinSDK string `json:"min_sdk"`
	} `json:"aapt"`
	Apksigner struct {
		OK         bool     `json:"ok"`
		Schemes    []int    `json:"schemes"`
		CertSHA256 []string `json:"cert_sha256"`
		Error      string   `json:"error"`
	} `json:"apksigner"`
	Size int64 `json:"size"`
}

func loadExpected(t testing.TB) map[string]expectedAPK {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, "expected.json"))
	if err != nil {
		t.Skipf("shared fixtures not available (%v); skipping", err)
	}
	var m map[string]expectedAPK
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("parse expected.json: %v", err)
	}
	return m
}

func verifyFile(t testing.TB, path string) (*Result, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return Verify(f, st.Size())
}

// TestFixturesAgainstApksigner compares Verify with apksigner on every
// shared fixture. Where apksigner verified the APK, the schemes it lists must
// be among ours and the signer certificates must be equal. Then apksigner's
// platform policy, applied through ForMinSDK with the minSdkVersion aapt
// read, must reproduce apksigner's verdict and scheme list exactly, for the
// failing fixtures too.
func TestFixturesAgainstApksigner(t *testing.T) {
	exp := loadExpected(t)
	names := make([]string, 0, len(exp))
	for n := range exp {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("%-58s %-10s %-10s %-10s %-10s %s", "file", "apksigner", "verified", "present", "policy", "certs")
	for _, name := range names {
		e := exp[name]
		res, err := verifyFile(t, filepath.Join(fixtureDir, name))
		ours, present, policy, certs := "error", "", "", "-"
		minSDK := 1
		if e.Aapt.MinSDK != "" {
			if minSDK, err = strconv.Atoi(e.Aapt.MinSDK); err != nil {
				t.Fatalf("%s: min_sdk %q: %v", name, e.Aapt.MinSDK, err)
			}
		}
		if res != nil {
			ours = ints(res.Schemes)
			present = ints(res.Present)
			v := res.ForMinSDK(minSDK)
			policy = "fail"
			if v.Verifies {
				policy = ints(v.Schemes)
			}
			var got []string
			for _, c := range res.Certificates {
				got = append(got, c.SHA256)
			}
			if e.Apksigner.OK {
				certs = "MISMATCH"
				if slices.Equal(got, e.Apksigner.CertSHA256) {
					certs = "match"
				}
			}
		}
		want := ints(e.Apksigner.Schemes)
		if !e.Apksigner.OK {
			want = "fail"
		}
		t.Logf("%-58s %-10s %-10s %-10s %-10s %s", name, want, ours, present, policy, certs)
		if res != nil {
			for _, p := range res.Problems {
				t.Logf("    problem %s", p)
			}
			for _, b := range res.ExtraBlocks {
				t.Logf("    block %s", b)
			}
		}
		switch {
		case strings.Contains(e.Apksigner.Error, "not a ZIP archive"):
			if err == nil {
				t.Errorf("%s: apksigner says not a ZIP archive, Verify returned no error", name)
			} else {
				t.Logf("    error %v", err)
			}
			continue
		case strings.Contains(e.Apksigner.Error, "Missing AndroidManifest.xml"):
			// apksigner stopped before looking at signatures.
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", name, err)
			continue
		}
		if e.Apksigner.OK {
			for _, s := range e.Apksigner.Schemes {
				if !res.HasScheme(s) {
					t.Errorf("%s: apksigner verified v%d, we did not; problems %v", name, s, res.Problems)
				}
			}
			if certs != "match" {
				t.Errorf("%s: certificates differ from apksigner %v", name, e.Apksigner.CertSHA256)
			}
		}
		v := res.ForMinSDK(minSDK)
		if v.Verifies != e.Apksigner.OK {
			t.Errorf("%s: policy for minSdk %d says verifies=%v (%s), apksigner ok=%v", name, minSDK, v.Verifies, v.Reason, e.Apksigner.OK)
		}
		if e.Apksigner.OK && !slices.Equal(v.Schemes, e.Apksigner.Schemes) {
			t.Errorf("%s: policy schemes %v, apksigner %v", name, v.Schemes, e.Apksigner.Schemes)
		}
	}
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = string(rune('0' + n%10))
		if n == SchemeV31 {
			s[i] = "3.1"
		}
	}
	return "[" + strings.Join(s, ",") + "]"
}
