package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/sdk"
)

func TestRegexToGlob(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{`libjcore(.*)\.so`, "libjcore*.so", true},
		{`libTmsdk-(.*)-mfr\.so`, "libTmsdk-*-mfr.so", true},
		{`libjlibtorrent-(.*).so`, "libjlibtorrent-*.so", true},
		{`(libpython([1-9]\d*\.?\d*)|(0\.\d*[1-9]))(m)?\.so`, "", false},
		{`libfoo(.*)bar(.*)\.so`, "", false},
	}
	for _, tt := range tests {
		got, ok := regexToGlob(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("regexToGlob(%q) = %q, %v", tt.in, got, ok)
		}
	}
}

func TestKeywordCategory(t *testing.T) {
	tests := map[string]sdk.Category{
		"360 加固": sdk.CatSecurity, "百度云推送": sdk.CatPush, "高德地图 SDK": sdk.CatMaps, "腾讯移动分析": sdk.CatAnalytics,
		"支付宝 SDK": sdk.CatPayment, "实人认证 SDK": sdk.CatIdentity, "FFmpeg": sdk.CatMedia, "Jetpack Core": sdk.CatDevelopment,
		"MSA SDK": sdk.CatOAID, "Flutter": sdk.CatFramework,
	}
	for label, want := range tests {
		if got := keywordCategory(label); got != want {
			t.Errorf("keywordCategory(%q) = %s, want %s", label, got, want)
		}
	}
}

func TestNormNameAndSlug(t *testing.T) {
	if normName("Umeng Analytics SDK") != normName("umeng analytics") {
		t.Error("normName should ignore case, spaces and 'SDK'")
	}
	if got := slug("AutoNavi / Amap"); got != "autonavi-amap" {
		t.Errorf("slug = %q", got)
	}
}

// TestCatalogUpToDate regenerates the catalog from ../shared and compares it
// with the committed catalog.json: edit curated.json or the generator, then
// run `go generate ./inspect/sdk`.
func TestCatalogUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("regeneration skipped in -short mode")
	}
	shared := filepath.Join("..", "..", "..", "..", "..", "shared")
	if _, err := os.Stat(filepath.Join(shared, "catalogs")); err != nil {
		t.Skipf("shared catalogs not available (%v)", err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta sdk.File
	if err := json.Unmarshal(committed, &meta); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "catalog.json")
	if err := run(filepath.Join(shared, "catalogs"), filepath.Join(shared, "fixtures", "policies", "real"), "curated.json", out, meta.Generated, meta.Version); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Fatal("inspect/sdk/catalog.json is stale: run `go generate ./inspect/sdk`")
	}
}

// TestCuratedSignaturesKept checks that every signature written in
// curated.json reaches its entry in catalog.json, itself or through a shorter
// package prefix of the same entry: the generator drops signatures the lint
// rejects or another entry holds, and a curated one must never go silently.
func TestCuratedSignaturesKept(t *testing.T) {
	b, err := os.ReadFile("curated.json")
	if err != nil {
		t.Fatal(err)
	}
	var cf curatedFile
	if err := json.Unmarshal(b, &cf); err != nil {
		t.Fatal(err)
	}
	cat, err := os.ReadFile(filepath.Join("..", "..", "catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f sdk.File
	if err := json.Unmarshal(cat, &f); err != nil {
		t.Fatal(err)
	}
	byID := map[string]*sdk.Entry{}
	for i := range f.Entries {
		byID[f.Entries[i].ID] = &f.Entries[i]
	}
	for _, ce := range cf.Entries {
		e, ok := byID[ce.ID]
		if !ok {
			t.Errorf("curated entry %s is not in catalog.json", ce.ID)
			continue
		}
		out := allSigs(&e.Signatures)
		for _, v := range allSigs(&ce.Signatures) {
			if !slices.Contains(out, v) && !underPrefix(e.Signatures.Packages, v) {
				t.Errorf("%s: curated signature %q was dropped by the generator", ce.ID, v)
			}
		}
	}
}

func underPrefix(prefixes []string, v string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(v, p+".") {
			return true
		}
	}
	return false
}
