package sign

import (
	"bytes"
	"crypto"
	"crypto/dsa" //nolint:staticcheck // APKs in the wild are still DSA-signed; verification only.
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// This file parses the PKCS#7 SignedData in META-INF/*.RSA|DSA|EC itself
// (DER, detached content) so that the exact encoded bytes of the
// authenticated attributes are kept for verification and so that
// certificates Go's crypto/x509 refuses (negative serials, odd extensions,
// common in old Android keys) still verify. The github.com/smallstep/pkcs7
// package is used by the tests to produce signatures independently.

var (
	oidSignedData    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}

	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA224 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

type p7ContentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type p7SignedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	ContentInfo      p7ContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	CRLs             asn1.RawValue `asn1:"optional,tag:1"`
	SignerInfos      asn1.RawValue
}

type p7IssuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type p7SignerInfo struct {
	Version            int
	IssuerAndSerial    p7IssuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	AuthAttributes     asn1.RawValue `asn1:"optional,tag:0"`
	EncryptionAlgoritm pkix.AlgorithmIdentifier
	EncryptedDigest    []byte
	UnauthAttributes   asn1.RawValue `asn1:"optional,tag:1"`
}

type p7Attribute struct {
	Type   asn1.ObjectIdentifier
	Values asn1.RawValue `asn1:"set"`
}

// parsedCert is a certificate this package could read, possibly only
// leniently (see parseCertLenient).
type parsedCert struct {
	raw       []byte
	summary   Certificate
	pub       crypto.PublicKey
	rawSPKI   []byte
	rawIssuer []byte
	serial    *big.Int
}

// verifyPKCS7 verifies the detached PKCS#7 SignedData blob over content and
// returns the certificate of the first signer, followed by the other
// certificates in the blob.
func verifyPKCS7(blob, content []byte) ([]*parsedCert, error) {
	var ci p7ContentInfo
	rest, err := asn1.Unmarshal(blob, &ci)
	if err != nil {
		return nil, fmt.Errorf("parse PKCS#7 ContentInfo: %w", err)
	}
	_ = rest // trailing bytes after the structure are tolerated, as Android does
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, fmt.Errorf("PKCS#7 content type %v is not SignedData", ci.ContentType)
	}
	var sd p7SignedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return nil, fmt.Errorf("parse PKCS#7 SignedData: %w", err)
	}
	if len(sd.ContentInfo.Content.Bytes) > 0 {
		// Attached content: it must be the .SF itself.
		var inner []byte
		if _, err := asn1.Unmarshal(sd.ContentInfo.Content.Bytes, &inner); err != nil || !bytes.Equal(inner, content) {
			return nil, errors.New("PKCS#7 SignedData carries content different from the .SF file")
		}
	}
	var certs []*parsedCert
	for b := sd.Certificates.Bytes; len(b) > 0; {
		var rv asn1.RawValue
		r, err := asn1.Unmarshal(b, &rv)
		if err != nil {
			return nil, fmt.Errorf("parse PKCS#7 certificate %d: %w", len(certs), err)
		}
		c, err := parseCert(rv.FullBytes)
		if err != nil {
			return nil, fmt.Errorf("parse PKCS#7 certificate %d: %w", len(certs), err)
		}
		certs = append(certs, c)
		b = r
	}
	var signers []p7SignerInfo
	for b := sd.SignerInfos.Bytes; len(b) > 0; {
		var si p7SignerInfo
		r, err := asn1.Unmarshal(b, &si)
		if err != nil {
			return nil, fmt.Errorf("parse PKCS#7 SignerInfo %d: %w", len(signers), err)
		}
		signers = append(signers, si)
		b = r
	}
	if len(signers) == 0 {
		return nil, errors.New("PKCS#7 SignedData has no SignerInfo")
	}
	// Android uses the first SignerInfo that verifies; report the first
	// failure when none does.
	var firstErr error
	for i := range signers {
		cert, err := verifySignerInfo(&signers[i], certs, content)
		if err != nil {
			if firstErr == nil {
				firstErr = fmt.Errorf("SignerInfo %d: %w", i, err)
			}
			continue
		}
		out := []*parsedCert{cert}
		for _, c := range certs {
			if c != cert {
				out = append(out, c)
			}
		}
		return out, nil
	}
	return nil, firstErr
}

func verifySignerInfo(si *p7SignerInfo, certs []*parsedCert, content []byte) (*parsedCert, error) {
	var cert *parsedCert
	for _, c := range certs {
		if c.serial != nil && si.IssuerAndSerial.Serial != nil && c.serial.Cmp(si.IssuerAndSerial.Serial) == 0 &&
			bytes.Equal(c.rawIssuer, si.IssuerAndSerial.Issuer.FullBytes) {
			cert = c
			break
		}
	}
	if cert == nil {
		// The issuer may be encoded with other string types (PrintableString
		// against UTF8String); compare decoded names, as X500Principal does.
		var want pkix.RDNSequence
		if _, err := asn1.Unmarshal(si.IssuerAndSerial.Issuer.FullBytes, &want); err == nil {
			for _, c := range certs {
				if c.serial != nil && si.IssuerAndSerial.Serial != nil && c.serial.Cmp(si.IssuerAndSerial.Serial) == 0 &&
					strings.EqualFold(want.String(), c.summary.Issuer) {
					cert = c
					break
				}
			}
		}
	}
	if cert == nil {
		return nil, errors.New("no certificate in the signature block matches the signer's issuer and serial number")
	}
	h, err := hashForOID(si.DigestAlgorithm.Algorithm)
	if err != nil {
		return nil, err
	}
	signed := content
	if len(si.AuthAttributes.FullBytes) > 0 {
		var ct asn1.ObjectIdentifier
		var md []byte
		for b := si.AuthAttributes.Bytes; len(b) > 0; {
			var a p7Attribute
			r, err := asn1.Unmarshal(b, &a)
			if err != nil {
				return nil, fmt.Errorf("parse authenticated attribute: %w", err)
			}
			switch {
			case a.Type.Equal(oidContentType):
				if _, err := asn1.Unmarshal(a.Values.Bytes, &ct); err != nil {
					return nil, fmt.Errorf("parse content-type attribute: %w", err)
				}
			case a.Type.Equal(oidMessageDigest):
				if _, err := asn1.Unmarshal(a.Values.Bytes, &md); err != nil {
					return nil, fmt.Errorf("parse message-digest attribute: %w", err)
				}
			}
			b = r
		}
		if ct != nil && !ct.Equal(oidData) {
			return nil, fmt.Errorf("content-type attribute %v is not data", ct)
		}
		if md == nil {
			return nil, errors.New("authenticated attributes lack message-digest")
		}
		d := h.New()
		d.Write(content)
		if !bytes.Equal(d.Sum(nil), md) {
			return nil, errors.New("message-digest attribute does not match the .SF file")
		}
		// The signature covers the attributes re-tagged as a SET OF.
		signed = append([]byte{0x31}, si.AuthAttributes.FullBytes[1:]...)
	}
	d := h.New()
	d.Write(signed)
	if err := verifyDigestSig(cert.pub, h, d.Sum(nil), si.EncryptedDigest, false); err != nil {
		return nil, err
	}
	return cert, nil
}

func hashForOID(oid asn1.ObjectIdentifier) (crypto.Hash, error) {
	switch {
	case oid.Equal(oidSHA1):
		return crypto.SHA1, nil
	case oid.Equal(oidSHA224):
		return crypto.SHA224, nil
	case oid.Equal(oidSHA256):
		return crypto.SHA256, nil
	case oid.Equal(oidSHA384):
		return crypto.SHA384, nil
	case oid.Equal(oidSHA512):
		return crypto.SHA512, nil
	}
	// Some signers put a signature algorithm OID in the digest field.
	switch oid.String() {
	case "1.2.840.113549.1.1.5", "1.2.840.10040.4.3", "1.2.840.10045.4.1":
		return crypto.SHA1, nil
	case "1.2.840.113549.1.1.11", "2.16.840.1.101.3.4.3.2", "1.2.840.10045.4.3.2":
		return crypto.SHA256, nil
	case "1.2.840.113549.1.1.12", "1.2.840.10045.4.3.3":
		return crypto.SHA384, nil
	case "1.2.840.113549.1.1.13", "1.2.840.10045.4.3.4":
		return crypto.SHA512, nil
	}
	return 0, fmt.Errorf("unsupported digest algorithm %v", oid)
}

type dsaSig struct{ R, S *big.Int }

// verifyDigestSig checks sig over an already computed digest with pub. For
// RSA, pss selects RSASSA-PSS (salt length = digest length) over PKCS#1 v1.5.
func verifyDigestSig(pub crypto.PublicKey, h crypto.Hash, digest, sig []byte, pss bool) error {
	if isNilKey(pub) {
		return errors.New("public key could not be parsed")
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		var err error
		if pss {
			err = rsa.VerifyPSS(k, h, digest, sig, &rsa.PSSOptions{SaltLength: h.Size(), Hash: h})
		} else {
			err = rsa.VerifyPKCS1v15(k, h, digest, sig)
		}
		if err != nil {
			return fmt.Errorf("RSA signature does not verify: %w", err)
		}
		return nil
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(k, digest, sig) {
			return errors.New("ECDSA signature does not verify")
		}
		return nil
	case *dsa.PublicKey:
		var s dsaSig
		if rest, err := asn1.Unmarshal(sig, &s); err != nil || len(rest) > 0 || s.R == nil || s.S == nil {
			return errors.New("DSA signature is not a DER SEQUENCE of two integers")
		}
		if k.Q == nil || k.P == nil || k.G == nil || k.Q.Sign() <= 0 || k.P.Sign() <= 0 || k.G.Sign() <= 0 ||
			k.P.BitLen() > 16384 || k.Q.BitLen() > k.P.BitLen() {
			return errors.New("DSA key parameters are invalid")
		}
		if n := (k.Q.BitLen() + 7) / 8; len(digest) > n {
			digest = digest[:n]
		}
		if !dsa.Verify(k, digest, s.R, s.S) {
			return errors.New("DSA signature does not verify")
		}
		return nil
	case ed25519.PublicKey:
		return errors.New("Ed25519 keys are not used for APK signatures")
	default:
		return fmt.Errorf("unsupported public key type %T", pub)
	}
}

// isNilKey reports whether pub is a typed nil key pointer.
func isNilKey(pub crypto.PublicKey) bool {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return k == nil || k.N == nil
	case *ecdsa.PublicKey:
		return k == nil || k.Curve == nil || k.X == nil || k.Y == nil
	case *dsa.PublicKey:
		return k == nil || k.Y == nil
	}
	return pub == nil
}
