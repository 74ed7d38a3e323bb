package synth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sign"
)

func testCert(t *testing.T) (crypto.Signer, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "AppInspect synth test", Organization: []string{"示例科技有限公司"}},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2056, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

func TestBuildSignedV1(t *testing.T) {
	key, cert := testCert(t)
	s := fullSpec()
	s.TargetSDK = 29 // apksigner refuses v1-only APKs that target API 30+
	s.Assets["assets/a-very-long-directory-name-to-force-a-continuation-line/of-the-jar-manifest-header.txt"] = []byte("x")
	b, err := BuildSigned(s, key, cert)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sign.Verify(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Schemes, []int{sign.SchemeV1}) || len(res.Problems) > 0 {
		t.Fatalf("verify: schemes %v, problems %+v", res.Schemes, res.Problems)
	}
	if len(res.Certificates) != 1 || !strings.Contains(res.Certificates[0].Subject, "AppInspect synth test") {
		t.Errorf("certificates = %+v", res.Certificates)
	}
	// The rest of the APK is unchanged by signing.
	r := scanBytes(t, b, inspect.Options{})
	if r.Package != s.Package || r.Signature == nil || !slices.Contains(r.Signature.Valid, sign.SchemeV1) {
		t.Errorf("scan: package %q signature %+v", r.Package, r.Signature)
	}
	// Tampering with one entry breaks the signature.
	// (resources.arsc is stored, so its UTF-16 label is in the archive as is.)
	bad := bytes.Replace(b, []byte("S\x00y\x00n\x00t\x00h\x00"), []byte("S\x00y\x00n\x00t\x00x\x00"), 1)
	if bytes.Equal(bad, b) {
		t.Fatal("label not found in the archive")
	}
	if res, err := sign.Verify(bytes.NewReader(bad), int64(len(bad))); err == nil && slices.Contains(res.Schemes, sign.SchemeV1) {
		t.Error("tampered APK still verifies")
	}
	if apksigner, err := exec.LookPath("apksigner"); err == nil {
		p := filepath.Join(t.TempDir(), "signed.apk")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(apksigner, "verify", "--min-sdk-version", "21", p).CombinedOutput(); err != nil {
			t.Errorf("apksigner verify: %v\n%s", err, out)
		}
	}
}

func TestManifestLine(t *testing.T) {
	long := "Name: " + strings.Repeat("é", 60)
	got := manifestLine(long)
	for i, l := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
		if len(l) > 72 {
			t.Errorf("line %d has %d bytes", i, len(l))
		}
		if i > 0 && !strings.HasPrefix(l, " ") {
			t.Errorf("continuation line %d without a leading space", i)
		}
	}
	joined := strings.ReplaceAll(strings.TrimSuffix(got, "\r\n"), "\r\n ", "")
	if joined != long {
		t.Errorf("round trip: %q", joined)
	}
}
