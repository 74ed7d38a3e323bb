package synth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/smallstep/pkcs7"
)

// BuildSigned builds s like Build and signs it with the v1 (JAR) scheme:
// META-INF/MANIFEST.MF with a SHA-256 digest of every entry,
// META-INF/CERT.SF with the digests of the manifest and of each of its
// sections, and META-INF/CERT.RSA (or CERT.EC) holding a detached PKCS #7
// SignedData over CERT.SF, without signed attributes (as apksigner writes
// it). key must be an *rsa.PrivateKey or *ecdsa.PrivateKey matching cert.
// With an RSA key the output is deterministic; ECDSA signatures are not.
// v2 and later schemes are not written, so apksigner refuses the result
// when TargetSDK is 30 or more (Android 11 requires v2 there).
func BuildSigned(s Spec, key crypto.Signer, cert *x509.Certificate) ([]byte, error) {
	if key == nil || cert == nil {
		return nil, fmt.Errorf("synth: sign: no key or certificate: %w", ErrInvalidSpec)
	}
	var sigName string
	var encOID = pkcs7.OIDEncryptionAlgorithmRSA
	switch key.(type) {
	case *rsa.PrivateKey:
		sigName = "META-INF/CERT.RSA"
	case *ecdsa.PrivateKey:
		sigName, encOID = "META-INF/CERT.EC", pkcs7.OIDDigestAlgorithmECDSASHA256
	default:
		return nil, fmt.Errorf("synth: sign: key type %T (want RSA or ECDSA): %w", key, ErrInvalidSpec)
	}
	files, err := buildFiles(s)
	if err != nil {
		return nil, err
	}
	var mf, sf strings.Builder
	mf.WriteString("Manifest-Version: 1.0\r\nCreated-By: 1.0 (AppInspect synth)\r\n\r\n")
	var sections []string
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		sec := manifestLine("Name: "+f.name) + "SHA-256-Digest: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n"
		mf.WriteString(sec)
		sections = append(sections, f.name, sec)
	}
	mfDigest := sha256.Sum256([]byte(mf.String()))
	sf.WriteString("Signature-Version: 1.0\r\nCreated-By: 1.0 (AppInspect synth)\r\n")
	sf.WriteString("SHA-256-Digest-Manifest: " + base64.StdEncoding.EncodeToString(mfDigest[:]) + "\r\n\r\n")
	for i := 0; i < len(sections); i += 2 {
		d := sha256.Sum256([]byte(sections[i+1]))
		sf.WriteString(manifestLine("Name: "+sections[i]) + "SHA-256-Digest: " + base64.StdEncoding.EncodeToString(d[:]) + "\r\n\r\n")
	}
	sd, err := pkcs7.NewSignedData([]byte(sf.String()))
	if err != nil {
		return nil, fmt.Errorf("synth: sign: %w", err)
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	sd.SetEncryptionAlgorithm(encOID)
	if err := sd.SignWithoutAttr(cert, key, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, fmt.Errorf("synth: sign: %w", err)
	}
	sd.Detach()
	block, err := sd.Finish()
	if err != nil {
		return nil, fmt.Errorf("synth: sign: %w", err)
	}
	meta := []zipFile{
		{name: "META-INF/MANIFEST.MF", data: []byte(mf.String())},
		{name: "META-INF/CERT.SF", data: []byte(sf.String())},
		{name: sigName, data: block},
	}
	// The signature files come first, as jarsigner and apksigner write them.
	return writeZip(meta, files)
}

// manifestLine formats one JAR manifest header line: at most 72 bytes per
// line, continued on lines that start with a space.
func manifestLine(s string) string {
	var b strings.Builder
	for first := true; ; first = false {
		limit := 72
		if !first {
			limit = 71
			b.WriteByte(' ')
		}
		if len(s) <= limit {
			b.WriteString(s + "\r\n")
			return b.String()
		}
		cut := limit
		for cut > 0 && !utf8Start(s[cut]) {
			cut-- // do not split a UTF-8 sequence
		}
		b.WriteString(s[:cut] + "\r\n")
		s = s[cut:]
	}
}

func utf8Start(c byte) bool { return c&0xc0 != 0x80 }
