package perm

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixturePermissions checks that every platform permission requested by
// the real APK fixtures (as aapt reported them) is in the catalog.
func TestFixturePermissions(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "fixtures", "apks", "expected.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("shared fixtures not available: %v", err)
	}
	var expected map[string]struct {
		Aapt struct {
			Permissions []string `json:"permissions"`
		} `json:"aapt"`
	}
	if err := json.Unmarshal(data, &expected); err != nil {
		t.Fatal(err)
	}
	n := 0
	for apk, e := range expected {
		for _, name := range e.Aapt.Permissions {
			if !strings.HasPrefix(name, "android.permission.") {
				continue
			}
			n++
			if _, ok := Lookup(name); !ok {
				t.Errorf("%s requests %s, which the catalog lacks", apk, name)
			}
		}
	}
	if n == 0 {
		t.Error("no android.permission.* names found in the fixtures")
	}
}
