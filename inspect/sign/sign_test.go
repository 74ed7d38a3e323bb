package sign

import (
	"bytes"
	"crypto"
	"crypto/dsa" //nolint:staticcheck // testing DSA verification.
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"
)

func problemsOf(res *Result, scheme int) []string {
	var out []string
	for _, p := range res.Problems {
		if p.Scheme == scheme {
			out = append(out, p.Message)
		}
	}
	return out
}

func wantProblem(t *testing.T, res *Result, scheme int, substrs ...string) {
	t.Helper()
	for _, p := range problemsOf(res, scheme) {
		ok := true
		for _, s := range substrs {
			ok = ok && strings.Contains(p, s)
		}
		if ok {
			return
		}
	}
	t.Errorf("no v%d problem containing %q; problems: %v", scheme, substrs, res.Problems)
}

func TestV1Signed(t *testing.T) {
	testKeys(t)
	for _, tc := range []struct {
		name string
		key  *testKey
		o    v1Options
	}{
		{"rsa-sha256-attrs", keyRSA, v1Options{}},
		{"rsa-sha1-noattrs", keyRSA2, v1Options{sha1: true, noAttrs: true}},
		{"ec-sha256", keyEC, v1Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			apk := writeZip(t, signV1(t, baseFiles(), tc.key, tc.o))
			res := verifyBytes(t, apk)
			if !slices.Equal(res.Schemes, []int{1}) || !slices.Equal(res.Present, []int{1}) {
				t.Fatalf("schemes %v present %v, want [1] [1]; problems %v", res.Schemes, res.Present, res.Problems)
			}
			if len(res.Certificates) != 1 || res.Certificates[0].SHA256 != tc.key.sha256() {
				t.Fatalf("certificates %+v, want %s", res.Certificates, tc.key.sha256())
			}
			c := res.Certificates[0]
			if c.Serial != "1234567" || !strings.Contains(c.Subject, "O=AppInspect Test") || c.NotAfter.Year() != 2050 {
				t.Errorf("certificate summary %+v", c)
			}
			wantDebug := tc.key == keyRSA
			if res.DebugCert != wantDebug || c.Debug != wantDebug {
				t.Errorf("debug = %v/%v, want %v", res.DebugCert, c.Debug, wantDebug)
			}
			if len(res.Problems) != 0 {
				t.Errorf("problems %v", res.Problems)
			}
		})
	}
}

func TestV1KeyInfo(t *testing.T) {
	testKeys(t)
	res := verifyBytes(t, writeZip(t, signV1(t, baseFiles(), keyEC, v1Options{})))
	if c := res.Certificates[0]; c.KeyAlgorithm != "EC" || c.KeyBits != 256 {
		t.Errorf("EC key info %s/%d", c.KeyAlgorithm, c.KeyBits)
	}
	res = verifyBytes(t, writeZip(t, signV1(t, baseFiles(), keyRSA, v1Options{})))
	if c := res.Certificates[0]; c.KeyAlgorithm != "RSA" || c.KeyBits != 2048 {
		t.Errorf("RSA key info %s/%d", c.KeyAlgorithm, c.KeyBits)
	}
}

// tamperEntry changes one byte of the stored entry name's data.
func tamperEntry(t *testing.T, apk []byte, content string) []byte {
	t.Helper()
	i := bytes.Index(apk, []byte(content))
	if i < 0 {
		t.Fatalf("%q not found", content)
	}
	out := slices.Clone(apk)
	out[i] ^= 0x20
	return out
}

func TestV1Tampered(t *testing.T) {
	testKeys(t)
	apk := writeZip(t, signV1(t, baseFiles(), keyRSA, v1Options{}))
	res := verifyBytes(t, tamperEntry(t, apk, "hello, world"))
	if len(res.Schemes) != 0 || !slices.Equal(res.Present, []int{1}) {
		t.Fatalf("schemes %v present %v", res.Schemes, res.Present)
	}
	wantProblem(t, res, 1, `entry "res/raw/hello.txt"`, "SHA-256 digest", "does not match")
	if len(res.Certificates) != 0 {
		t.Errorf("certificates of a failed scheme reported: %v", res.Certificates)
	}
	if !res.DebugCert {
		t.Error("the debug signer should still be noticed")
	}
}

func TestV1TamperedSF(t *testing.T) {
	testKeys(t)
	files := signV1(t, baseFiles(), keyRSA, v1Options{})
	files[1].data = bytes.Replace(files[1].data, []byte("Signature-Version: 1.0"), []byte("Signature-Version: 1.1"), 1)
	res := verifyBytes(t, writeZip(t, files))
	wantProblem(t, res, 1, "META-INF/CERT.RSA", "message-digest attribute does not match")
}

func TestV1UnlistedEntry(t *testing.T) {
	testKeys(t)
	files := signV1(t, baseFiles(), keyRSA, v1Options{})
	files = append(files, testFile{name: "lib/arm64-v8a/libevil.so", data: []byte("\x7fELF")})
	res := verifyBytes(t, writeZip(t, files))
	wantProblem(t, res, 1, `"lib/arm64-v8a/libevil.so" is not listed in META-INF/MANIFEST.MF`)
}

func TestV1NulInName(t *testing.T) {
	testKeys(t)
	files := append(baseFiles(), testFile{name: "res/odd\x00name.txt", data: []byte("nul")})
	res := verifyBytes(t, writeZip(t, signV1(t, files, keyRSA, v1Options{})))
	if !slices.Equal(res.Schemes, []int{1}) {
		t.Fatalf("schemes %v; problems %v", res.Schemes, res.Problems)
	}
}

func TestV1StrippedV2(t *testing.T) {
	testKeys(t)
	apk := writeZip(t, signV1(t, baseFiles(), keyRSA, v1Options{apkSigned: "2"}))
	res := verifyBytes(t, apk)
	wantProblem(t, res, 1, "X-Android-APK-Signed: 2", "stripped")
	if len(res.Schemes) != 0 {
		t.Errorf("schemes %v", res.Schemes)
	}
}

func TestV1V2Signed(t *testing.T) {
	testKeys(t)
	z := writeZip(t, signV1(t, baseFiles(), keyRSA, v1Options{apkSigned: "2"}))
	apk := insertSigningBlock(t, z, []pair{
		{blockV2, schemeBlock(schemeSignerBytes(t, z, keyRSA, schemeOptions{}))},
		{blockWalle, []byte(`{"channel":"huawei"}`)},
		{blockVasDolly, []byte("xiaomi")},
		{0x12345678, []byte{1, 2, 3}},
	})
	res := verifyBytes(t, apk)
	if !slices.Equal(res.Schemes, []int{1, 2}) || !slices.Equal(res.Present, []int{1, 2}) {
		t.Fatalf("schemes %v present %v; problems %v", res.Schemes, res.Present, res.Problems)
	}
	if len(res.Certificates) != 1 || res.Certificates[0].SHA256 != keyRSA.sha256() {
		t.Errorf("certificates %+v", res.Certificates)
	}
	want := []Block{{blockWalle, "Walle channel", 20}, {blockVasDolly, "VasDolly channel", 6}, {0x12345678, "", 3}}
	if !slices.Equal(res.ExtraBlocks, want) {
		t.Errorf("extra blocks %v, want %v", res.ExtraBlocks, want)
	}
	if v := res.ForMinSDK(21); !v.Verifies || !slices.Equal(v.Schemes, []int{1, 2}) {
		t.Errorf("ForMinSDK(21) = %+v", v)
	}
	if v := res.ForMinSDK(26); !v.Verifies || !slices.Equal(v.Schemes, []int{2}) {
		t.Errorf("ForMinSDK(26) = %+v", v)
	}
}

func TestV2Algorithms(t *testing.T) {
	testKeys(t)
	for _, tc := range []struct {
		name string
		key  *testKey
		algs []uint32
		pad  bool
	}{
		{"rsa-pkcs1-sha256", keyRSA, []uint32{0x0103}, false},
		{"rsa-pkcs1-sha512", keyRSA, []uint32{0x0104}, false},
		{"rsa-pss-sha256", keyRSA, []uint32{0x0101}, false},
		{"rsa-pss-sha512", keyRSA, []uint32{0x0102}, false},
		{"ecdsa-sha256", keyEC, []uint32{0x0201}, false},
		{"ecdsa-sha512", keyEC, []uint32{0x0202}, false},
		{"rsa-sha256-and-verity", keyRSA, []uint32{0x0103, 0x0421}, true},
		{"ecdsa-verity", keyEC, []uint32{0x0423}, true},
		{"rsa-sha256-and-sha512", keyRSA, []uint32{0x0103, 0x0104}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := writeZip(t, baseFiles())
			if tc.pad {
				z = padTo4096(t, z)
			}
			apk := insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, tc.key, schemeOptions{algs: tc.algs}))}})
			res := verifyBytes(t, apk)
			if !slices.Equal(res.Schemes, []int{2}) {
				t.Fatalf("schemes %v; problems %v", res.Schemes, res.Problems)
			}
			if res.Certificates[0].SHA256 != tc.key.sha256() {
				t.Errorf("certificate %s", res.Certificates[0].SHA256)
			}
			// The same APK with one entry byte changed must fail.
			bad := verifyBytes(t, tamperEntry(t, apk, "hello, world"))
			if len(bad.Schemes) != 0 {
				t.Fatalf("tampered APK verified: %v", bad.Schemes)
			}
			wantProblem(t, bad, 2, "digest does not match the signed digest")
		})
	}
}

func TestVerityUnaligned(t *testing.T) {
	testKeys(t)
	z := writeZip(t, baseFiles())
	if before, _, _ := splitZip(t, z); len(before)%4096 == 0 {
		t.Skip("zip happens to be aligned")
	}
	apk := insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, keyRSA, schemeOptions{algs: []uint32{0x0421}}))}})
	res := verifyBytes(t, apk)
	wantProblem(t, res, 2, "4096-byte boundary")
}

func TestV2TamperedCentralDirectory(t *testing.T) {
	testKeys(t)
	z := writeZip(t, baseFiles())
	apk := insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, keyRSA, schemeOptions{}))}})
	// Change the modification time of the first central directory record.
	cd := bytes.Index(apk, []byte{0x50, 0x4b, 0x01, 0x02})
	bad := slices.Clone(apk)
	bad[cd+12] ^= 0x01
	res := verifyBytes(t, bad)
	if len(res.Schemes) != 0 || !slices.Equal(res.Present, []int{2}) {
		t.Fatalf("schemes %v present %v", res.Schemes, res.Present)
	}
	wantProblem(t, res, 2, "signer #1", "chunked SHA-256", "does not match the signed digest")
}

func TestV2BadSignatureAndKey(t *testing.T) {
	testKeys(t)
	z := writeZip(t, baseFiles())
	apk := insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, keyRSA, schemeOptions{badSig: true}))}})
	wantProblem(t, verifyBytes(t, apk), 2, "signature over signed data", "RSA signature does not verify")

	apk = insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, keyRSA, schemeOptions{otherPubKey: keyRSA2}))}})
	wantProblem(t, verifyBytes(t, apk), 2, "signature over signed data")
}

func TestV2StrippingProtection(t *testing.T) {
	testKeys(t)
	z := writeZip(t, baseFiles())
	attr := append(u32(attrStrippingProtection), u32(3)...)
	apk := insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, keyRSA, schemeOptions{attrs: [][]byte{attr}}))}})
	res := verifyBytes(t, apk)
	wantProblem(t, res, 2, "v3 block is missing", "stripped")
}

func TestV3WithLineage(t *testing.T) {
	testKeys(t)
	z := writeZip(t, baseFiles())
	// Lineage: keyRSA2 (old) rotated to keyRSA (new).
	node1Signed := append(lp(keyRSA2.cert.Raw), u32(0)...)
	node1 := lp(append(append(lp(node1Signed), u32(0x1f)...), append(u32(0x0103), lp(nil)...)...))
	node2Signed := append(lp(keyRSA.cert.Raw), u32(0x0103)...)
	sig := sign(t, keyRSA2, 0x0103, node2Signed)
	node2 := lp(append(append(lp(node2Signed), u32(0x1f)...), append(u32(0x0103), lp(sig)...)...))
	lineage := append(append(u32(1), node1...), node2...)
	attr := append(u32(attrProofOfRotation), lineage...)
	v3 := schemeSignerBytes(t, z, keyRSA, schemeOptions{v3: true, minSDK: 28, maxSDK: 0x7fffffff, attrs: [][]byte{attr}})
	v2 := schemeSignerBytes(t, z, keyRSA2, schemeOptions{})
	apk := insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(v2)}, {blockV3, schemeBlock(v3)}})
	res := verifyBytes(t, apk)
	if !slices.Equal(res.Schemes, []int{2, 3}) {
		t.Fatalf("schemes %v; problems %v", res.Schemes, res.Problems)
	}
	if res.Certificates[0].SHA256 != keyRSA.sha256() {
		t.Errorf("v3 signer should come first: %v", res.Certificates)
	}
	if len(res.Lineage) != 2 || res.Lineage[0].SHA256 != keyRSA2.sha256() || res.Lineage[1].SHA256 != keyRSA.sha256() {
		t.Errorf("lineage %v", res.Lineage)
	}
	want := []SDKRange{{Scheme: 3, MinSDK: 28, MaxSDK: 0x7fffffff, SHA256: keyRSA.sha256()}}
	if !slices.Equal(res.SDKRanges, want) {
		t.Errorf("SDK ranges %v", res.SDKRanges)
	}
	if v := res.ForMinSDK(21); v.Verifies {
		t.Errorf("no v1 signature, ForMinSDK(21) must fail: %+v", v)
	}
	if v := res.ForMinSDK(24); !v.Verifies || !slices.Equal(v.Schemes, []int{2, 3}) {
		t.Errorf("ForMinSDK(24) = %+v", v)
	}

	// A lineage node not signed by its predecessor is refused.
	sig[0] ^= 1
	node2 = lp(append(append(lp(node2Signed), u32(0x1f)...), append(u32(0x0103), lp(sig)...)...))
	lineage = append(append(u32(1), node1...), node2...)
	attr = append(u32(attrProofOfRotation), lineage...)
	v3 = schemeSignerBytes(t, z, keyRSA, schemeOptions{v3: true, minSDK: 28, maxSDK: 0x7fffffff, attrs: [][]byte{attr}})
	apk = insertSigningBlock(t, z, []pair{{blockV3, schemeBlock(v3)}})
	res = verifyBytes(t, apk)
	wantProblem(t, res, 3, "proof-of-rotation", "not signed by the previous certificate")
}

func TestV3SDKMismatch(t *testing.T) {
	testKeys(t)
	z := writeZip(t, baseFiles())
	v3 := schemeSignerBytes(t, z, keyEC, schemeOptions{v3: true, minSDK: 28, maxSDK: 0x7fffffff})
	// Change the outer min SDK (right after the signed data) to 24.
	sdLen := binary.LittleEndian.Uint32(v3)
	binary.LittleEndian.PutUint32(v3[4+sdLen:], 24)
	res := verifyBytes(t, insertSigningBlock(t, z, []pair{{blockV3, schemeBlock(v3)}}))
	wantProblem(t, res, 3, "SDK range in signed data (28-2147483647) differs from the signer's (24-2147483647)")
}

func TestUnsignedAndNotZip(t *testing.T) {
	res := verifyBytes(t, writeZip(t, baseFiles()))
	if len(res.Schemes) != 0 || len(res.Present) != 0 || res.Schemes == nil || res.Present == nil || res.Certificates == nil {
		t.Errorf("unsigned: %+v", res)
	}
	if v := res.ForMinSDK(21); v.Verifies {
		t.Error("unsigned APK verifies")
	}
	for _, in := range [][]byte{nil, []byte("PK\x03\x04 not really"), bytes.Repeat([]byte{0}, 100)} {
		_, err := Verify(bytes.NewReader(in), int64(len(in)))
		if !errors.Is(err, ErrNotZip) {
			t.Errorf("Verify(%q) error %v, want ErrNotZip", in, err)
		}
	}
	if _, err := Verify(nil, 0); !errors.Is(err, ErrNilReader) {
		t.Errorf("nil reader: %v", err)
	}
}

func TestGarbageBetweenCDAndEOCD(t *testing.T) {
	testKeys(t)
	z := writeZip(t, baseFiles())
	apk := insertSigningBlock(t, z, []pair{{blockV2, schemeBlock(schemeSignerBytes(t, z, keyRSA, schemeOptions{}))}})
	eo := len(apk) - 22
	bad := append(append(slices.Clone(apk[:eo]), "junk"...), apk[eo:]...)
	res := verifyBytes(t, bad)
	wantProblem(t, res, 2, "not immediately followed")
}

func TestDSAVerify(t *testing.T) {
	var k dsa.PrivateKey
	if err := dsa.GenerateParameters(&k.Parameters, rand.Reader, dsa.L1024N160); err != nil {
		t.Fatal(err)
	}
	if err := dsa.GenerateKey(&k, rand.Reader); err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256([]byte("signed data"))
	r, s, err := dsa.Sign(rand.Reader, &k, d[:20])
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := asn1Marshal(dsaSig{r, s})
	if err := verifyDigestSig(&k.PublicKey, crypto.SHA256, d[:], sig, false); err != nil {
		t.Errorf("valid DSA signature: %v", err)
	}
	d[0] ^= 1
	if err := verifyDigestSig(&k.PublicKey, crypto.SHA256, d[:], sig, false); err == nil {
		t.Error("DSA signature over other data verified")
	}
	bad := &dsa.PublicKey{Parameters: dsa.Parameters{P: k.P, Q: k.Q}, Y: k.Y}
	if err := verifyDigestSig(bad, crypto.SHA256, d[:], sig, false); err == nil {
		t.Error("DSA key without G accepted")
	}
}

func TestManifestParsing(t *testing.T) {
	in := "Manifest-Version: 1.0\r\n\r\nName: a/very/long/na\r\n me.txt\r\nSHA-256-Digest: abc\r\n\r\nName: b\nSHA1-Digest: x\n"
	m := parseManifest([]byte(in))
	if v, _ := m.main.get("manifest-version"); v != "1.0" {
		t.Errorf("main %+v", m.main)
	}
	named, dup := m.named()
	if dup != "" || len(named) != 2 {
		t.Fatalf("named %v dup %q", named, dup)
	}
	a := named["a/very/long/name.txt"]
	if a == nil || string(a.raw) != "Name: a/very/long/na\r\n me.txt\r\nSHA-256-Digest: abc\r\n\r\n" {
		t.Errorf("section a %+v", a)
	}
	if b := named["b"]; b == nil || string(b.raw) != "Name: b\nSHA1-Digest: x\n" {
		t.Errorf("section b %+v", b)
	}
}
