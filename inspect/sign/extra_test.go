package sign

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLenientCertificate signs with a certificate whose serial number is
// negative, which crypto/x509 refuses since Go 1.23 but Android accepts
// (old keytool-made keys have them).
func TestLenientCertificate(t *testing.T) {
	testKeys(t)
	raw := bytes.Clone(keyRSA.cert.Raw)
	i := bytes.Index(raw, []byte{0x02, 0x04, 0x01, 0x23, 0x45, 0x67})
	if i < 0 {
		t.Fatal("serial not found in test certificate")
	}
	raw[i+2] = 0x81 // now negative
	if _, err := x509.ParseCertificate(raw); err == nil {
		t.Skip("this Go accepts negative serials; nothing to test")
	}
	k := &testKey{priv: keyRSA.priv, cert: &x509.Certificate{Raw: raw, RawSubjectPublicKeyInfo: keyRSA.cert.RawSubjectPublicKeyInfo}}
	z := writeZip(t, baseFiles())
	res := verifyBytes(t, insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, k, schemeOptions{}))}}))
	if !slices.Equal(res.Schemes, []int{2}) {
		t.Fatalf("schemes %v; problems %v", res.Schemes, res.Problems)
	}
	c := res.Certificates[0]
	if c.Serial != "-7edcba99" || c.KeyAlgorithm != "RSA" || c.KeyBits != 2048 || !c.Debug || c.NotAfter.Year() != 2050 {
		t.Errorf("lenient certificate summary %+v", c)
	}
}

func TestResultJSON(t *testing.T) {
	res := verifyBytes(t, writeZip(t, baseFiles()))
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schemes":[],"present":[],"certificates":[],"debug_cert":false}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}

func TestProblemString(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{SchemeV1, "x"}, "v1: x"},
		{Problem{SchemeV31, "y"}, "v3.1: y"},
		{Problem{SchemeNone, "z"}, "z"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
	if got := (Block{ID: blockWalle, Name: "Walle channel", Size: 3}).String(); got != "0x71777777 (Walle channel, 3 bytes)" {
		t.Errorf("block string %q", got)
	}
}

// TestFixtureDetails checks details apksigner's summary does not cover.
func TestFixtureDetails(t *testing.T) {
	loadExpected(t)
	res, err := verifyFile(t, filepath.Join(fixtureDir, "androguard__apksig_v1v2v3-lineage-3-signers.apk"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Lineage) != 3 {
		t.Fatalf("lineage of %d certificates, want 3", len(res.Lineage))
	}
	if last := res.Lineage[2].SHA256; last != res.Certificates[0].SHA256 {
		t.Errorf("newest lineage certificate %s is not the v3 signer %s", last, res.Certificates[0].SHA256)
	}
	if len(res.SDKRanges) != 1 || res.SDKRanges[0].MinSDK != 24 {
		t.Errorf("SDK ranges %+v", res.SDKRanges)
	}
	res, err = verifyFile(t, filepath.Join(fixtureDir, "androguard__apksig_golden-aligned-v1v2v3-out.apk"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.ExtraBlocks) != 1 || res.ExtraBlocks[0].Name != "padding" {
		t.Errorf("extra blocks %v", res.ExtraBlocks)
	}
	// Problems name the reason precisely.
	res, err = verifyFile(t, filepath.Join(fixtureDir, "apktool__GHSA-2hqv-2xv4-5h5w.apk"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "modified after signing") {
		t.Errorf("problems %v", res.Problems)
	}
}
