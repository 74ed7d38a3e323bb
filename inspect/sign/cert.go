package sign

import (
	"crypto"
	"crypto/dsa" //nolint:staticcheck // reading DSA keys of existing APK signers.
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // certificate fingerprint, as apksigner prints it.
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Certificate describes one signer certificate.
type Certificate struct {
	Subject      string    `json:"subject"`       // RFC 2253 distinguished name
	Issuer       string    `json:"issuer"`        // RFC 2253 distinguished name
	Serial       string    `json:"serial"`        // lower-case hex, "-" prefixed when negative
	NotBefore    time.Time `json:"not_before"`    // start of validity
	NotAfter     time.Time `json:"not_after"`     // end of validity
	SHA256       string    `json:"sha256"`        // lower-case hex SHA-256 of the DER
	SHA1         string    `json:"sha1"`          // lower-case hex SHA-1 of the DER
	KeyAlgorithm string    `json:"key_algorithm"` // "RSA", "EC", "DSA", "Ed25519" or "unknown"
	KeyBits      int       `json:"key_bits"`      // modulus, curve or prime size in bits
	Debug        bool      `json:"debug"`         // subject is the Android debug certificate (CN=Android Debug)
}

// debugCN is the common name the Android SDK gives its generated debug keys.
const debugCN = "Android Debug"

// Lenient ASN.1 shapes, for certificates crypto/x509 rejects.
type lenientCert struct {
	TBS    lenientTBS
	SigAlg asn1.RawValue
	Sig    asn1.RawValue
}

type lenientTBS struct {
	Version  int `asn1:"optional,explicit,default:0,tag:0"`
	Serial   *big.Int
	SigAlg   asn1.RawValue
	Issuer   asn1.RawValue
	Validity struct {
		NotBefore, NotAfter time.Time
	}
	Subject asn1.RawValue
	SPKI    asn1.RawValue
}

// parseCert reads a DER certificate, first with crypto/x509 and, when that
// refuses it, with a lenient reader of the fields this package needs.
func parseCert(der []byte) (*parsedCert, error) {
	pc := &parsedCert{raw: der}
	s256 := sha256.Sum256(der)
	s1 := sha1.Sum(der) //nolint:gosec // fingerprint only.
	pc.summary.SHA256 = hex.EncodeToString(s256[:])
	pc.summary.SHA1 = hex.EncodeToString(s1[:])
	var subject, issuer pkix.RDNSequence
	if c, err := x509.ParseCertificate(der); err == nil {
		pc.pub = c.PublicKey
		pc.rawSPKI = c.RawSubjectPublicKeyInfo
		pc.rawIssuer = c.RawIssuer
		pc.serial = c.SerialNumber
		pc.summary.NotBefore, pc.summary.NotAfter = c.NotBefore.UTC(), c.NotAfter.UTC()
		if _, err := asn1.Unmarshal(c.RawSubject, &subject); err != nil {
			return nil, fmt.Errorf("subject: %w", err)
		}
		if _, err := asn1.Unmarshal(c.RawIssuer, &issuer); err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
	} else {
		var lc lenientCert
		if _, lerr := asn1.Unmarshal(der, &lc); lerr != nil {
			return nil, fmt.Errorf("not a certificate: %w", err)
		}
		t := &lc.TBS
		pc.rawSPKI = t.SPKI.FullBytes
		pc.rawIssuer = t.Issuer.FullBytes
		pc.serial = t.Serial
		pc.summary.NotBefore, pc.summary.NotAfter = t.Validity.NotBefore.UTC(), t.Validity.NotAfter.UTC()
		if _, err := asn1.Unmarshal(t.Subject.FullBytes, &subject); err != nil {
			return nil, fmt.Errorf("subject: %w", err)
		}
		if _, err := asn1.Unmarshal(t.Issuer.FullBytes, &issuer); err != nil {
			return nil, fmt.Errorf("issuer: %w", err)
		}
		// The key may still be usable even if the certificate is odd.
		// ParsePKIXPublicKey can return a typed nil with its error.
		if k, err := x509.ParsePKIXPublicKey(t.SPKI.FullBytes); err == nil {
			pc.pub = k
		}
	}
	var subj, iss pkix.Name
	subj.FillFromRDNSequence(&subject)
	iss.FillFromRDNSequence(&issuer)
	pc.summary.Subject = subject.String()
	pc.summary.Issuer = issuer.String()
	if pc.serial != nil {
		if pc.serial.Sign() < 0 {
			pc.summary.Serial = "-" + new(big.Int).Neg(pc.serial).Text(16)
		} else {
			pc.summary.Serial = pc.serial.Text(16)
		}
	}
	pc.summary.Debug = subj.CommonName == debugCN
	pc.summary.KeyAlgorithm, pc.summary.KeyBits = keyInfo(pc.pub)
	return pc, nil
}

func keyInfo(pub crypto.PublicKey) (string, int) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k == nil || k.N == nil {
			return "RSA", 0
		}
		return "RSA", k.N.BitLen()
	case *ecdsa.PublicKey:
		if k == nil || k.Curve == nil {
			return "EC", 0
		}
		return "EC", k.Curve.Params().BitSize
	case *dsa.PublicKey:
		if k == nil || k.P == nil {
			return "DSA", 0
		}
		return "DSA", k.P.BitLen()
	case ed25519.PublicKey:
		return "Ed25519", 256
	}
	return "unknown", 0
}

// parseSPKI parses a DER SubjectPublicKeyInfo.
func parseSPKI(der []byte) (crypto.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	if k == nil {
		return nil, errors.New("parse public key: empty")
	}
	return k, nil
}
