package sign

import (
	"bytes"
	"crypto"
	"crypto/dsa" //nolint:staticcheck // verifying existing DSA APK signatures.
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
)

// sigAlg is an APK Signature Scheme v2/v3 signature algorithm.
type sigAlg struct {
	id     uint32
	name   string
	hash   crypto.Hash
	pss    bool
	key    string // "RSA", "EC" or "DSA"
	digest contentDigest
}

var sigAlgs = map[uint32]sigAlg{
	0x0101: {0x0101, "RSASSA-PSS with SHA2-256", crypto.SHA256, true, "RSA", digestChunkedSHA256},
	0x0102: {0x0102, "RSASSA-PSS with SHA2-512", crypto.SHA512, true, "RSA", digestChunkedSHA512},
	0x0103: {0x0103, "RSASSA-PKCS1-v1_5 with SHA2-256", crypto.SHA256, false, "RSA", digestChunkedSHA256},
	0x0104: {0x0104, "RSASSA-PKCS1-v1_5 with SHA2-512", crypto.SHA512, false, "RSA", digestChunkedSHA512},
	0x0201: {0x0201, "ECDSA with SHA2-256", crypto.SHA256, false, "EC", digestChunkedSHA256},
	0x0202: {0x0202, "ECDSA with SHA2-512", crypto.SHA512, false, "EC", digestChunkedSHA512},
	0x0301: {0x0301, "DSA with SHA2-256", crypto.SHA256, false, "DSA", digestChunkedSHA256},
	0x0421: {0x0421, "RSASSA-PKCS1-v1_5 with SHA2-256 (verity)", crypto.SHA256, false, "RSA", digestVeritySHA256},
	0x0423: {0x0423, "ECDSA with SHA2-256 (verity)", crypto.SHA256, false, "EC", digestVeritySHA256},
	0x0425: {0x0425, "DSA with SHA2-256 (verity)", crypto.SHA256, false, "DSA", digestVeritySHA256},
}

// verify checks sig over data with pub under algorithm a.
func (a sigAlg) verify(pub crypto.PublicKey, data, sig []byte) error {
	ok := false
	switch pub.(type) {
	case *rsa.PublicKey:
		ok = a.key == "RSA"
	case *ecdsa.PublicKey:
		ok = a.key == "EC"
	case *dsa.PublicKey:
		ok = a.key == "DSA"
	}
	if !ok {
		return fmt.Errorf("%s signature with a %T key", a.name, pub)
	}
	h := a.hash.New()
	h.Write(data)
	return verifyDigestSig(pub, a.hash, h.Sum(nil), sig, a.pss)
}

// Additional attribute ids.
const (
	attrStrippingProtection = 0xbeeff00d // v2: "this APK is also signed with scheme N"
	attrProofOfRotation     = 0x3ba06f8c // v3: signing certificate lineage
)

// schemeSigner is one verified-or-not signer of a v2/v3/v3.1 block.
type schemeSigner struct {
	certs          []*parsedCert
	minSDK, maxSDK uint32
	alg            sigAlg
	wantDigest     []byte
	strippedIDs    []uint32
	lineage        []*parsedCert
}

// parseSchemeBlock parses and cryptographically checks the signers of a v2
// (v3 false) or v3/v3.1 (v3 true) block value. It checks each signer's
// signature over its signed data; the content digest is compared later.
func parseSchemeBlock(value []byte, v3 bool) ([]*schemeSigner, error) {
	r := &lpReader{b: value}
	signersBytes := r.lp()
	if r.err != nil {
		return nil, fmt.Errorf("read signers: %w", r.err)
	}
	items, err := seq(signersBytes)
	if err != nil {
		return nil, fmt.Errorf("read signers: %w", err)
	}
	if len(items) == 0 {
		return nil, errors.New("no signers")
	}
	var out []*schemeSigner
	for i, it := range items {
		s, err := parseSchemeSigner(it, v3)
		if err != nil {
			return nil, fmt.Errorf("signer #%d: %w", i+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

type algAndBytes struct {
	id uint32
	b  []byte
}

func readAlgSeq(b []byte, what string) ([]algAndBytes, error) {
	items, err := seq(b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	out := make([]algAndBytes, 0, len(items))
	for j, it := range items {
		r := &lpReader{b: it}
		id := r.u32()
		v := r.lp()
		if r.err != nil {
			return nil, fmt.Errorf("read %s #%d: %w", what, j+1, r.err)
		}
		out = append(out, algAndBytes{id, v})
	}
	return out, nil
}

func parseSchemeSigner(b []byte, v3 bool) (*schemeSigner, error) {
	s := &schemeSigner{}
	r := &lpReader{b: b}
	signedData := r.lp()
	if v3 {
		s.minSDK, s.maxSDK = r.u32(), r.u32()
	}
	sigsBytes := r.lp()
	pubBytes := r.lp()
	if r.err != nil {
		return nil, fmt.Errorf("read signer: %w", r.err)
	}
	sigs, err := readAlgSeq(sigsBytes, "signatures")
	if err != nil {
		return nil, err
	}
	if len(sigs) == 0 {
		return nil, errors.New("no signatures")
	}
	// Pick the strongest supported signature, as Android does.
	best := -1
	for j, sg := range sigs {
		a, ok := sigAlgs[sg.id]
		if !ok {
			continue
		}
		if best < 0 || a.digest.strength() > sigAlgs[sigs[best].id].digest.strength() {
			best = j
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("no supported signature algorithm among %d signatures", len(sigs))
	}
	s.alg = sigAlgs[sigs[best].id]
	pub, err := parseSPKI(pubBytes)
	if err != nil {
		return nil, err
	}
	if err := s.alg.verify(pub, signedData, sigs[best].b); err != nil {
		return nil, fmt.Errorf("signature over signed data (%s): %w", s.alg.name, err)
	}

	// The signed data is now authenticated; parse it.
	sr := &lpReader{b: signedData}
	digestsBytes := sr.lp()
	certsBytes := sr.lp()
	var sdMin, sdMax uint32
	if v3 {
		sdMin, sdMax = sr.u32(), sr.u32()
	}
	attrsBytes := sr.lp()
	if sr.err != nil {
		return nil, fmt.Errorf("read signed data: %w", sr.err)
	}
	if v3 && (sdMin != s.minSDK || sdMax != s.maxSDK) {
		return nil, fmt.Errorf("SDK range in signed data (%d-%d) differs from the signer's (%d-%d)", sdMin, sdMax, s.minSDK, s.maxSDK)
	}
	if v3 && s.minSDK > s.maxSDK {
		return nil, fmt.Errorf("min SDK %d above max SDK %d", s.minSDK, s.maxSDK)
	}
	digests, err := readAlgSeq(digestsBytes, "digests")
	if err != nil {
		return nil, err
	}
	if len(digests) != len(sigs) {
		return nil, fmt.Errorf("%d signatures but %d digests in signed data", len(sigs), len(digests))
	}
	for j := range sigs {
		if sigs[j].id != digests[j].id {
			return nil, fmt.Errorf("signature algorithms (%#x) and digest algorithms (%#x) differ", sigs[j].id, digests[j].id)
		}
	}
	s.wantDigest = digests[best].b
	certItems, err := seq(certsBytes)
	if err != nil {
		return nil, fmt.Errorf("read certificates: %w", err)
	}
	if len(certItems) == 0 {
		return nil, errors.New("no certificates")
	}
	for j, c := range certItems {
		pc, err := parseCert(c)
		if err != nil {
			return nil, fmt.Errorf("certificate #%d: %w", j+1, err)
		}
		s.certs = append(s.certs, pc)
	}
	if !bytes.Equal(s.certs[0].rawSPKI, pubBytes) {
		return nil, errors.New("public key does not match the first certificate")
	}
	attrs, err := seq(attrsBytes)
	if err != nil {
		return nil, fmt.Errorf("read additional attributes: %w", err)
	}
	for j, a := range attrs {
		ar := &lpReader{b: a}
		id := ar.u32()
		if ar.err != nil {
			return nil, fmt.Errorf("additional attribute #%d: %w", j+1, ar.err)
		}
		switch {
		case !v3 && id == attrStrippingProtection:
			v := ar.u32()
			if ar.err != nil {
				return nil, fmt.Errorf("stripping protection attribute: %w", ar.err)
			}
			s.strippedIDs = append(s.strippedIDs, v)
		case v3 && id == attrProofOfRotation:
			lin, err := parseLineage(ar.b)
			if err != nil {
				return nil, fmt.Errorf("proof-of-rotation: %w", err)
			}
			if last := lin[len(lin)-1]; !bytes.Equal(last.raw, s.certs[0].raw) {
				return nil, errors.New("proof-of-rotation: newest certificate is not the signer's")
			}
			s.lineage = lin
		}
	}
	return s, nil
}

// parseLineage reads and verifies a v3 proof-of-rotation structure: a
// version, then nodes, each signed by the previous node's key. It returns
// the certificates oldest first.
func parseLineage(b []byte) ([]*parsedCert, error) {
	r := &lpReader{b: b}
	if v := r.u32(); r.err != nil || v != 1 {
		return nil, fmt.Errorf("unsupported version %d", v)
	}
	var (
		certs   []*parsedCert
		lastAlg uint32
	)
	for i := 0; r.more(); i++ {
		node := &lpReader{b: r.lp()}
		signed := node.lp()
		_ = node.u32() // flags (capabilities)
		algID := node.u32()
		sig := node.lp()
		if r.err != nil || node.err != nil {
			return nil, fmt.Errorf("node #%d: truncated", i+1)
		}
		sd := &lpReader{b: signed}
		certDER := sd.lp()
		signedAlg := sd.u32()
		if sd.err != nil {
			return nil, fmt.Errorf("node #%d signed data: %w", i+1, sd.err)
		}
		c, err := parseCert(certDER)
		if err != nil {
			return nil, fmt.Errorf("node #%d certificate: %w", i+1, err)
		}
		if i > 0 {
			// Node i is signed by node i-1's key with the algorithm node
			// i-1 declared.
			if signedAlg != lastAlg {
				return nil, fmt.Errorf("node #%d: algorithm %#x differs from %#x declared by the previous node", i+1, signedAlg, lastAlg)
			}
			a, ok := sigAlgs[lastAlg]
			if !ok {
				return nil, fmt.Errorf("node #%d: unsupported signature algorithm %#x", i+1, lastAlg)
			}
			if err := a.verify(certs[i-1].pub, signed, sig); err != nil {
				return nil, fmt.Errorf("node #%d is not signed by the previous certificate: %w", i+1, err)
			}
		}
		certs = append(certs, c)
		lastAlg = algID
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificates")
	}
	return certs, r.err
}
