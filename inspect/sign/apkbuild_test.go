package sign

import (
	"archive/zip"
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

// This file builds signed APKs in test code: a v1 JAR signature written
// with github.com/smallstep/pkcs7 (an implementation independent of the
// verifier's own PKCS#7 reader) and v2/v3 signing blocks assembled here,
// with content digests computed by a deliberately simple serial
// implementation.

type testKey struct {
	priv crypto.Signer
	cert *x509.Certificate
}

var (
	keysOnce sync.Once
	keyRSA   *testKey
	keyRSA2  *testKey
	keyEC    *testKey
)

func testKeys(t testing.TB) {
	t.Helper()
	testECKey(t)
	keysOnce.Do(func() {
		keyRSA = newTestKey(t, "rsa", "CN=Android Debug")
		keyRSA2 = newTestKey(t, "rsa", "CN=Release Key")
	})
	if keyRSA == nil || keyRSA2 == nil {
		t.Fatal("test keys were not generated")
	}
}

var ecOnce sync.Once

// testECKey makes only the (fast) EC key, for the fuzz seeds.
func testECKey(t testing.TB) {
	t.Helper()
	ecOnce.Do(func() { keyEC = newTestKey(t, "ec", "CN=EC Key") })
	if keyEC == nil {
		t.Fatal("EC test key was not generated")
	}
}

func newTestKey(t testing.TB, kind, cn string) *testKey {
	var priv crypto.Signer
	var err error
	switch kind {
	case "rsa":
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ec":
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	name := pkix.Name{CommonName: cn[len("CN="):], Organization: []string{"AppInspect Test"}}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(0x1234567),
		Subject:      name,
		Issuer:       name,
		NotBefore:    time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, priv.Public(), priv)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testKey{priv: priv, cert: cert}
}

func (k *testKey) sha256() string {
	s := sha256.Sum256(k.cert.Raw)
	return fmt.Sprintf("%x", s)
}

// testFile is one entry of a test APK.
type testFile struct {
	name   string
	data   []byte
	stored bool
}

func baseFiles() []testFile {
	big := bytes.Repeat([]byte("dex\n035\x00 some class data "), 3000)
	return []testFile{
		{name: "AndroidManifest.xml", data: []byte("<manifest package=\"com.example.test\"/>"), stored: true},
		{name: "classes.dex", data: big},
		{name: "res/raw/hello.txt", data: []byte("hello, world\n"), stored: true},
		{name: "assets/", data: nil, stored: true},
		{name: "META-INF/services/com.example.Plugin", data: []byte("com.example.Impl\n")},
	}
}

// writeZip writes files as a ZIP archive.
func writeZip(t testing.TB, files []testFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		if f.stored {
			h.Method = zip.Store
		}
		h.Modified = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type v1Options struct {
	apkSigned string // X-Android-APK-Signed value, "" for none
	sha1      bool   // use SHA-1 digests instead of SHA-256
	noAttrs   bool   // PKCS#7 without authenticated attributes (jarsigner style)
}

func b64(h hash.Hash, data []byte) string {
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// signV1 adds MANIFEST.MF, CERT.SF and CERT.RSA (or CERT.EC) to files.
func signV1(t testing.TB, files []testFile, k *testKey, o v1Options) []testFile {
	t.Helper()
	alg, newH := "SHA-256", sha256.New
	if o.sha1 {
		alg, newH = "SHA1", sha1.New
	}
	var mf bytes.Buffer
	mf.WriteString("Manifest-Version: 1.0\r\nCreated-By: 1.0 (AppInspect test)\r\n\r\n")
	var sections [][]byte
	for _, f := range files {
		if f.name[len(f.name)-1] == '/' {
			continue
		}
		sec := fmt.Appendf(nil, "Name: %s\r\n%s-Digest: %s\r\n\r\n", f.name, alg, b64(newH(), f.data))
		sections = append(sections, sec)
		mf.Write(sec)
	}
	mainEnd := bytes.Index(mf.Bytes(), []byte("\r\n\r\n")) + 4
	var sf bytes.Buffer
	fmt.Fprintf(&sf, "Signature-Version: 1.0\r\n%s-Digest-Manifest-Main-Attributes: %s\r\n", alg, b64(newH(), mf.Bytes()[:mainEnd]))
	fmt.Fprintf(&sf, "%s-Digest-Manifest: %s\r\nCreated-By: 1.0 (AppInspect test)\r\n", alg, b64(newH(), mf.Bytes()))
	if o.apkSigned != "" {
		fmt.Fprintf(&sf, "X-Android-APK-Signed: %s\r\n", o.apkSigned)
	}
	sf.WriteString("\r\n")
	for _, sec := range sections {
		name := bytes.TrimPrefix(sec[:bytes.Index(sec, []byte("\r\n"))], []byte("Name: "))
		fmt.Fprintf(&sf, "Name: %s\r\n%s-Digest: %s\r\n\r\n", name, alg, b64(newH(), sec))
	}
	sd, err := pkcs7.NewSignedData(sf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if o.sha1 {
		sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA1)
	} else {
		sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	}
	if o.noAttrs {
		err = sd.SignWithoutAttr(k.cert, k.priv, pkcs7.SignerInfoConfig{})
	} else {
		err = sd.AddSigner(k.cert, k.priv, pkcs7.SignerInfoConfig{})
	}
	if err != nil {
		t.Fatal(err)
	}
	sd.Detach()
	blk, err := sd.Finish()
	if err != nil {
		t.Fatal(err)
	}
	ext := "RSA"
	if _, ok := k.priv.(*ecdsa.PrivateKey); ok {
		ext = "EC"
	}
	out := append([]testFile{
		{name: "META-INF/MANIFEST.MF", data: mf.Bytes()},
		{name: "META-INF/CERT.SF", data: sf.Bytes()},
		{name: "META-INF/CERT." + ext, data: blk},
	}, files...)
	return out
}

// ---- v2/v3 signing block ----

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func lp(parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	return append(u32(uint32(len(body))), body...)
}

// lpSeq is a length-prefixed sequence of length-prefixed items.
func lpSeq(items ...[]byte) []byte {
	var body []byte
	for _, it := range items {
		body = append(body, lp(it)...)
	}
	return lp(body)
}

type schemeOptions struct {
	algs        []uint32 // signature algorithms; default 0x0103 (RSA) or 0x0201 (EC)
	v3          bool
	minSDK      uint32
	maxSDK      uint32
	attrs       [][]byte // additional attributes (id||value), unprefixed
	badSig      bool     // flip a bit of the signature
	otherPubKey *testKey // put this key in the public key field
}

func sigAlgFor(k *testKey, id uint32) (crypto.Hash, crypto.SignerOpts) {
	switch id {
	case 0x0101:
		return crypto.SHA256, &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256}
	case 0x0102:
		return crypto.SHA512, &rsa.PSSOptions{SaltLength: 64, Hash: crypto.SHA512}
	case 0x0104, 0x0202:
		return crypto.SHA512, crypto.SHA512
	}
	return crypto.SHA256, crypto.SHA256
}

func sign(t testing.TB, k *testKey, id uint32, data []byte) []byte {
	h, opts := sigAlgFor(k, id)
	d := h.New()
	d.Write(data)
	s, err := k.priv.Sign(rand.Reader, d.Sum(nil), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// simpleChunked is a serial, obviously-correct 1 MiB chunked digest.
func simpleChunked(newH func() hash.Hash, sections ...[]byte) []byte {
	var digests []byte
	n := 0
	for _, s := range sections {
		for off := 0; off < len(s); off += 1 << 20 {
			c := s[off:min(off+1<<20, len(s))]
			h := newH()
			h.Write([]byte{0xa5})
			h.Write(u32(uint32(len(c))))
			h.Write(c)
			digests = h.Sum(digests)
			n++
		}
	}
	h := newH()
	h.Write([]byte{0x5a})
	h.Write(u32(uint32(n)))
	h.Write(digests)
	return h.Sum(nil)
}

// simpleVerity is a serial verity tree root over data, salted with 8 zeros.
func simpleVerity(data []byte) []byte {
	salt := make([]byte, 8)
	hashBlocks := func(b []byte) []byte {
		var out []byte
		for off := 0; off < len(b); off += 4096 {
			blk := make([]byte, 4096)
			copy(blk, b[off:])
			h := sha256.New()
			h.Write(salt)
			h.Write(blk)
			out = h.Sum(out)
		}
		return out
	}
	level := hashBlocks(data)
	for len(level) > 4096 {
		level = hashBlocks(level)
	}
	page := make([]byte, 4096)
	copy(page, level)
	h := sha256.New()
	h.Write(salt)
	h.Write(page)
	return binary.LittleEndian.AppendUint64(h.Sum(nil), uint64(len(data)))
}

// contentDigestFor computes the digest algorithm id needs over the three
// sections of an unsigned zip whose EOCD points at cdOff.
func contentDigestFor(id uint32, before, cd, eocd []byte) []byte {
	switch id {
	case 0x0102, 0x0104, 0x0202:
		return simpleChunked(sha512.New, before, cd, eocd)
	case 0x0421, 0x0423, 0x0425:
		all := append(append(append([]byte(nil), before...), cd...), eocd...)
		return simpleVerity(all)
	}
	return simpleChunked(sha256.New, before, cd, eocd)
}

// splitZip returns the entries area, the central directory and the EOCD of
// a zip written by writeZip (no comment).
func splitZip(t testing.TB, z []byte) (before, cd, eocd []byte) {
	t.Helper()
	eo := len(z) - 22
	if binary.LittleEndian.Uint32(z[eo:]) != eocdSig {
		t.Fatal("test zip has a comment or is not a zip")
	}
	cdOff := int(binary.LittleEndian.Uint32(z[eo+16:]))
	return z[:cdOff], z[cdOff:eo], z[eo:]
}

// padTo4096 inserts zeros after the entries so the signing block (and thus
// the verity digest) starts on a page boundary, as apksigner does.
func padTo4096(t testing.TB, z []byte) []byte {
	before, cd, eocd := splitZip(t, z)
	pad := (4096 - len(before)%4096) % 4096
	nb := append(append([]byte(nil), before...), make([]byte, pad)...)
	ne := append([]byte(nil), eocd...)
	binary.LittleEndian.PutUint32(ne[16:], uint32(len(nb)))
	return append(append(nb, cd...), ne...)
}

// schemeSignerBytes builds one v2/v3 signer for the unsigned zip z.
func schemeSignerBytes(t testing.TB, z []byte, k *testKey, o schemeOptions) []byte {
	before, cd, eocd := splitZip(t, z)
	algs := o.algs
	if len(algs) == 0 {
		algs = []uint32{0x0103}
		if _, ok := k.priv.(*ecdsa.PrivateKey); ok {
			algs = []uint32{0x0201}
		}
	}
	var digests [][]byte
	for _, id := range algs {
		digests = append(digests, append(u32(id), lp(contentDigestFor(id, before, cd, eocd))...))
	}
	var attrs [][]byte
	attrs = append(attrs, o.attrs...)
	signedData := lpSeq(digests...)
	signedData = append(signedData, lpSeq(k.cert.Raw)...)
	if o.v3 {
		signedData = append(signedData, u32(o.minSDK)...)
		signedData = append(signedData, u32(o.maxSDK)...)
	}
	signedData = append(signedData, lpSeq(attrs...)...)
	var sigs [][]byte
	for _, id := range algs {
		s := sign(t, k, id, signedData)
		if o.badSig {
			s[len(s)/2] ^= 1
		}
		sigs = append(sigs, append(u32(id), lp(s)...))
	}
	pub := k.cert.RawSubjectPublicKeyInfo
	if o.otherPubKey != nil {
		pub = o.otherPubKey.cert.RawSubjectPublicKeyInfo
	}
	out := lp(signedData)
	if o.v3 {
		out = append(out, u32(o.minSDK)...)
		out = append(out, u32(o.maxSDK)...)
	}
	out = append(out, lpSeq(sigs...)...)
	out = append(out, lp(pub)...)
	return out
}

type pair struct {
	id    uint32
	value []byte
}

// insertSigningBlock inserts an APK Signing Block holding pairs before the
// central directory of z and fixes the EOCD.
func insertSigningBlock(t testing.TB, z []byte, pairs []pair) []byte {
	before, cd, eocd := splitZip(t, z)
	var body []byte
	for _, p := range pairs {
		body = binary.LittleEndian.AppendUint64(body, uint64(len(p.value)+4))
		body = append(body, u32(p.id)...)
		body = append(body, p.value...)
	}
	size := uint64(len(body) + 8 + 16)
	var blk []byte
	blk = binary.LittleEndian.AppendUint64(blk, size)
	blk = append(blk, body...)
	blk = binary.LittleEndian.AppendUint64(blk, size)
	blk = append(blk, sigBlockMagic...)
	ne := append([]byte(nil), eocd...)
	binary.LittleEndian.PutUint32(ne[16:], uint32(len(before)+len(blk)))
	out := append(append([]byte(nil), before...), blk...)
	out = append(out, cd...)
	return append(out, ne...)
}

// schemeBlock wraps signers into a v2/v3 block value.
func schemeBlock(signers ...[]byte) []byte { return lpSeq(signers...) }

func verifyBytes(t testing.TB, b []byte) *Result {
	t.Helper()
	res, err := Verify(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return res
}

func asn1Marshal(v any) ([]byte, error) { return asn1.Marshal(v) }
