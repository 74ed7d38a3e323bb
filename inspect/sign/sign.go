// Package sign finds and verifies the signatures of an APK as
// `apksigner verify --print-certs -v` does: the v1 JAR signature
// (META-INF/MANIFEST.MF, *.SF and *.RSA/*.DSA/*.EC) and the APK Signature
// Scheme v2, v3 and v3.1 blocks of the APK Signing Block. Other pairs of the
// signing block (padding, source stamp, Walle and VasDolly distribution
// channels …) are recorded.
//
// Verify reports cryptographic facts only. apksigner additionally refuses an
// APK when the verified schemes do not cover the APK's whole minSdkVersion ..
// maxSdkVersion range (for example a v3-only APK with minSdkVersion < 28, or
// an unsigned-v1 APK installable below API 24); this package does not read
// AndroidManifest.xml, so that policy decision is left to the caller, who
// knows minSdkVersion. Trust in the certificates (chains, expiry) is not
// judged either: Android does not judge it.
//
// APK Signature Scheme v3.1 is reported as scheme number 31.
package sign

import (
	"crypto"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
)

// Scheme numbers used in Result.
const (
	SchemeV1  = 1  // JAR signing
	SchemeV2  = 2  // APK Signature Scheme v2
	SchemeV3  = 3  // APK Signature Scheme v3
	SchemeV31 = 31 // APK Signature Scheme v3.1
	// SchemeNone marks a Problem that concerns the APK Signing Block as a
	// whole or the agreement between schemes rather than one scheme.
	SchemeNone = 0
)

// ErrNilReader is returned when Verify is given no reader.
var ErrNilReader = errors.New("sign: nil reader")

// Result is what Verify found.
type Result struct {
	// Schemes lists the verified schemes in ascending order; never nil.
	// After ApplyMinSDK it lists what apksigner reports as verified for the
	// APK's minSdkVersion (and is empty when apksigner would say DOES NOT
	// VERIFY); Valid keeps the cryptographic result.
	Schemes []int `json:"schemes"`
	// Valid lists the schemes whose signatures are cryptographically valid,
	// whatever the platform rules; set by ApplyMinSDK.
	Valid []int `json:"valid,omitempty"`
	// Verdict is the platform's decision for the APK's minSdkVersion; set by
	// ApplyMinSDK.
	Verdict *Verdict `json:"verdict,omitempty"`
	// Present lists the schemes whose signature data is present, ascending;
	// never nil.
	Present []int `json:"present"`
	// Certificates are the signer certificates of the newest verified scheme
	// (v3.1, else v3, else v2, else v1), one per signer; never nil.
	Certificates []Certificate `json:"certificates"`
	// Lineage is the v3 (or v3.1) proof-of-rotation lineage, oldest first.
	Lineage []Certificate `json:"lineage,omitempty"`
	// DebugCert is true when any signer certificate is an Android debug
	// certificate (CN=Android Debug). Signers of schemes that failed only on
	// their content digests count too: a tampered debug build is still one.
	DebugCert bool `json:"debug_cert"`
	// Problems says why present schemes failed, in a fixed order.
	Problems []Problem `json:"problems,omitempty"`
	// ExtraBlocks are the non-signature pairs of the APK Signing Block, in
	// file order.
	ExtraBlocks []Block `json:"extra_blocks,omitempty"`
	// SDKRanges gives the platform range of each verified v3/v3.1 signer.
	SDKRanges []SDKRange `json:"sdk_ranges,omitempty"`
}

// Problem is one reason a scheme did not verify.
type Problem struct {
	Scheme  int    `json:"scheme"`  // SchemeV1 … SchemeV31, or SchemeNone
	Message string `json:"message"` // lower-level detail, English
}

// String renders the problem as "v2: message".
func (p Problem) String() string {
	switch p.Scheme {
	case SchemeNone:
		return p.Message
	case SchemeV31:
		return "v3.1: " + p.Message
	}
	return fmt.Sprintf("v%d: %s", p.Scheme, p.Message)
}

// SDKRange is the platform range a v3/v3.1 signer covers.
type SDKRange struct {
	Scheme int    `json:"scheme"`  // SchemeV3 or SchemeV31
	MinSDK uint32 `json:"min_sdk"` // lowest API level
	MaxSDK uint32 `json:"max_sdk"` // highest API level (0x7fffffff: no limit)
	SHA256 string `json:"sha256"`  // the signer certificate
}

// HasScheme reports whether scheme n verified.
func (r *Result) HasScheme(n int) bool { return slices.Contains(r.Schemes, n) }

// Verify examines the APK in ra (size bytes): the v1 JAR signature with all
// entry digests, and the APK Signing Block (v2, v3, v3.1, other blocks).
// The returned error is non-nil only when the input is not a ZIP archive
// (no end of central directory record, an unreadable central directory …)
// and then wraps ErrNotZip or an I/O error. A failing signature is not an
// error: it is described in Result.Problems and its scheme is absent from
// Result.Schemes. Verify reads ra concurrently from several goroutines.
func Verify(ra io.ReaderAt, size int64) (*Result, error) {
	return VerifyWith(ra, size, Options{})
}

// Options tune VerifyWith.
type Options struct {
	// EntryDigests, when set, may supply the digests of a v1-signed entry's
	// content so Verify need not inflate it again: it is called with the
	// entry name and the algorithms MANIFEST.MF lists, and returns one digest
	// per algorithm, or ok false to let Verify read the entry itself. A
	// caller that inflates the same entries anyway (a scanner reading
	// classes.dex) saves the second inflation. It may block; it is called
	// from several goroutines.
	EntryDigests func(name string, algs []crypto.Hash) (digests [][]byte, ok bool)
}

// VerifyWith is Verify with options.
func VerifyWith(ra io.ReaderAt, size int64, opt Options) (*Result, error) {
	if ra == nil {
		return nil, ErrNilReader
	}
	z, err := readZip(ra, size)
	if err != nil {
		return nil, err
	}
	res := &Result{Schemes: []int{}, Present: []int{}, Certificates: []Certificate{}}
	present := map[int]bool{}
	verified := map[int]bool{}
	problem := func(scheme int, format string, args ...any) {
		res.Problems = append(res.Problems, Problem{Scheme: scheme, Message: fmt.Sprintf(format, args...)})
	}

	blk, err := findSigBlock(ra, z)
	if err != nil {
		problem(SchemeNone, "APK Signing Block: %v", err)
	}
	schemeOf := map[int]uint32{SchemeV2: blockV2, SchemeV3: blockV3, SchemeV31: blockV31}
	if blk != nil {
		res.ExtraBlocks = blk.extra
		for s, id := range schemeOf {
			if _, ok := blk.pairs[id]; ok {
				present[s] = true
			}
		}
	}

	v1 := verifyV1(ra, z, present, opt)
	if v1.present {
		present[SchemeV1] = true
		for _, m := range v1.problems {
			problem(SchemeV1, "%s", m)
		}
		verified[SchemeV1] = v1.verified
	}

	// Parse and check v2/v3/v3.1 signers, then compute each needed content
	// digest once.
	signers := map[int][]*schemeSigner{}
	need := map[contentDigest]bool{}
	for _, s := range []int{SchemeV2, SchemeV3, SchemeV31} {
		if !present[s] {
			continue
		}
		if !z.cdFollowedByEOCD() {
			problem(s, "ZIP central directory (ends at %d) is not immediately followed by the end of central directory record (at %d)",
				z.cdOffset+z.cdSize, z.eocdOffset)
			continue
		}
		ss, err := parseSchemeBlock(blk.pairs[schemeOf[s]], s != SchemeV2)
		if err != nil {
			problem(s, "%v", err)
			continue
		}
		if s == SchemeV2 {
			if msg := strippedCheck(ss, present); msg != "" {
				problem(s, "%s", msg)
				continue
			}
		}
		signers[s] = ss
		for _, sg := range ss {
			need[sg.alg.digest] = true
		}
	}
	var digests map[contentDigest][]byte
	var digestErr error
	if len(need) > 0 {
		digests, digestErr = computeDigestsTolerant(contentSections(ra, z, blk.offset), need)
	}
	for _, s := range []int{SchemeV2, SchemeV3, SchemeV31} {
		ss, ok := signers[s]
		if !ok {
			continue
		}
		ok = true
		for i, sg := range ss {
			got, have := digests[sg.alg.digest]
			switch {
			case !have:
				problem(s, "signer #%d: compute %s content digest: %v", i+1, sg.alg.digest, digestErr)
				ok = false
			case !bytesEq(got, sg.wantDigest):
				problem(s, "signer #%d: APK content %s digest does not match the signed digest: the APK was modified after signing",
					i+1, sg.alg.digest)
				ok = false
			}
		}
		verified[s] = ok
	}

	for _, s := range []int{SchemeV1, SchemeV2, SchemeV3, SchemeV31} {
		if present[s] {
			res.Present = append(res.Present, s)
		}
		if verified[s] {
			res.Schemes = append(res.Schemes, s)
		}
	}

	// Certificates of the newest verified scheme.
	switch {
	case verified[SchemeV31]:
		res.Certificates = schemeCerts(signers[SchemeV31])
	case verified[SchemeV3]:
		res.Certificates = schemeCerts(signers[SchemeV3])
	case verified[SchemeV2]:
		res.Certificates = schemeCerts(signers[SchemeV2])
	case verified[SchemeV1]:
		for _, c := range v1.signers {
			res.Certificates = append(res.Certificates, c[0].summary)
		}
	}
	for _, s := range []int{SchemeV31, SchemeV3} {
		if !verified[s] {
			continue
		}
		for _, sg := range signers[s] {
			if res.Lineage == nil && len(sg.lineage) > 0 {
				for _, c := range sg.lineage {
					res.Lineage = append(res.Lineage, c.summary)
				}
			}
		}
	}
	for _, s := range []int{SchemeV3, SchemeV31} {
		if !verified[s] {
			continue
		}
		for _, sg := range signers[s] {
			res.SDKRanges = append(res.SDKRanges, SDKRange{Scheme: s, MinSDK: sg.minSDK, MaxSDK: sg.maxSDK, SHA256: sg.certs[0].summary.SHA256})
		}
	}

	// Android also requires v1 and v2 to name the same signers.
	if verified[SchemeV1] && verified[SchemeV2] {
		a := make([]string, 0, len(v1.signers))
		for _, c := range v1.signers {
			a = append(a, c[0].summary.SHA256)
		}
		b := make([]string, 0, len(signers[SchemeV2]))
		for _, c := range schemeCerts(signers[SchemeV2]) {
			b = append(b, c.SHA256)
		}
		sort.Strings(a)
		sort.Strings(b)
		if !slices.Equal(a, b) {
			problem(SchemeNone, "v1 signers %v differ from v2 signers %v", a, b)
		}
	}

	// Debug certificates among every signer found, verified or not.
	for _, cs := range v1.signers {
		res.DebugCert = res.DebugCert || cs[0].summary.Debug
	}
	for _, ss := range signers {
		for _, sg := range ss {
			res.DebugCert = res.DebugCert || sg.certs[0].summary.Debug
		}
	}
	return res, nil
}

// computeDigestsTolerant computes the digests one algorithm at a time so
// that one failing (the verity digest of an unaligned block) does not
// prevent the others.
func computeDigestsTolerant(secs [3]section, need map[contentDigest]bool) (map[contentDigest][]byte, error) {
	out := map[contentDigest][]byte{}
	var firstErr error
	chunked := map[contentDigest]bool{}
	for d := range need {
		if d != digestVeritySHA256 {
			chunked[d] = true
		}
	}
	if len(chunked) > 0 {
		m, err := computeDigests(secs, chunked)
		if err != nil {
			firstErr = err
		}
		for d, v := range m {
			out[d] = v
		}
	}
	if need[digestVeritySHA256] {
		m, err := computeDigests(secs, map[contentDigest]bool{digestVeritySHA256: true})
		if err != nil && firstErr == nil {
			firstErr = err
		}
		for d, v := range m {
			out[d] = v
		}
	}
	return out, firstErr
}

// strippedCheck applies the v2 stripping protection: a v2 signer that
// declares the APK is also signed with v3 fails when v3 is missing.
func strippedCheck(ss []*schemeSigner, present map[int]bool) string {
	for i, sg := range ss {
		for _, id := range sg.strippedIDs {
			if id == SchemeV3 && !present[SchemeV3] {
				return fmt.Sprintf("signer #%d says the APK is also signed with APK Signature Scheme v3, but the v3 block is missing: it was stripped", i+1)
			}
		}
	}
	return ""
}

func schemeCerts(ss []*schemeSigner) []Certificate {
	out := make([]Certificate, 0, len(ss))
	for _, sg := range ss {
		out = append(out, sg.certs[0].summary)
	}
	return out
}
