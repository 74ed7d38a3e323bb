package sign

import (
	"crypto"
	"crypto/sha1" //nolint:gosec // JAR signatures use SHA-1 digests.
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"io"
	"sort"
	"strconv"
	"strings"
)

const (
	manifestName = "META-INF/MANIFEST.MF"
	metaInf      = "META-INF/"
	// maxMetaFile bounds MANIFEST.MF, .SF and signature block files read into
	// memory; MANIFEST.MF of a 30 000-entry APK is about 3 MiB.
	maxMetaFile = 64 << 20
)

// v1Result is the outcome of the JAR signature check.
type v1Result struct {
	present  bool
	verified bool
	problems []string
	signers  [][]*parsedCert // each signer's certificates, signer first
}

func (v *v1Result) fail(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

// jarDigestHash maps a manifest digest attribute prefix ("SHA-256" in
// "SHA-256-Digest") to its hash.
func jarDigestHash(alg string) (crypto.Hash, bool) {
	switch strings.ToUpper(alg) {
	case "SHA1", "SHA-1":
		return crypto.SHA1, true
	case "SHA-256":
		return crypto.SHA256, true
	case "SHA-384":
		return crypto.SHA384, true
	case "SHA-512":
		return crypto.SHA512, true
	}
	return 0, false
}

func newJarHash(h crypto.Hash) hash.Hash {
	switch h {
	case crypto.SHA1:
		return sha1.New() //nolint:gosec // as the manifest asks.
	case crypto.SHA384:
		return sha512.New384()
	case crypto.SHA512:
		return sha512.New()
	}
	return sha256.New()
}

// jarDigest is one "<ALG><suffix>: base64" attribute.
type jarDigest struct {
	alg  string
	hash crypto.Hash
	want string // base64 as written
}

// digestsOf returns the recognised digest attributes of s with the given
// suffix ("-Digest", "-Digest-Manifest", ...) and whether any attribute with
// that suffix (recognised or not) exists.
func digestsOf(s *mfSection, suffix string) (out []jarDigest, any bool) {
	for _, a := range s.attrs {
		if len(a.name) <= len(suffix) || !strings.EqualFold(a.name[len(a.name)-len(suffix):], suffix) {
			continue
		}
		any = true
		alg := a.name[:len(a.name)-len(suffix)]
		if h, ok := jarDigestHash(alg); ok {
			out = append(out, jarDigest{alg: alg, hash: h, want: strings.TrimSpace(a.value)})
		}
	}
	return out, any
}

func (d jarDigest) matches(data []byte) bool {
	h := newJarHash(d.hash)
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil)) == d.want
}

// digestNeeded reports whether entry name must be covered by MANIFEST.MF:
// everything but directories and the signature files directly in META-INF.
func digestNeeded(name string) bool {
	if strings.HasSuffix(name, "/") {
		return false
	}
	if !strings.HasPrefix(name, metaInf) {
		return true
	}
	rest := name[len(metaInf):]
	if strings.Contains(rest, "/") {
		return true
	}
	l := strings.ToLower(rest)
	switch {
	case l == "manifest.mf", strings.HasSuffix(l, ".sf"), strings.HasSuffix(l, ".rsa"),
		strings.HasSuffix(l, ".dsa"), strings.HasSuffix(l, ".ec"), strings.HasPrefix(l, "sig-"):
		return false
	}
	return true
}

type jarSigner struct {
	sfName, blockName string
	sf                *manifest
}

// verifyV1 checks the JAR signature. present tells which APK Signature
// Schemes have a block, for the X-Android-APK-Signed stripping check.
func verifyV1(ra io.ReaderAt, z *zipLayout, present map[int]bool, opt Options) *v1Result {
	v := &v1Result{}
	byName := make(map[string]*zipEntry, len(z.entries))
	var dups []string
	for i := range z.entries {
		e := &z.entries[i]
		if _, dup := byName[e.name]; dup {
			dups = append(dups, e.name)
			continue
		}
		byName[e.name] = e
	}
	// Signature files sit directly in META-INF.
	var blocks []string
	sfs := map[string]bool{}
	for name := range byName {
		if !strings.HasPrefix(name, metaInf) || strings.Contains(name[len(metaInf):], "/") {
			continue
		}
		switch {
		case strings.HasSuffix(name, ".SF"):
			sfs[name] = true
			v.present = true
		case strings.HasSuffix(name, ".RSA"), strings.HasSuffix(name, ".DSA"), strings.HasSuffix(name, ".EC"):
			blocks = append(blocks, name)
			v.present = true
		}
	}
	if !v.present {
		return v
	}
	sort.Strings(blocks)
	sort.Strings(dups)
	for _, d := range dups {
		v.fail("duplicate ZIP entry %q", d)
	}
	var signers []jarSigner
	for _, b := range blocks {
		sf := b[:strings.LastIndexByte(b, '.')] + ".SF"
		if sfs[sf] {
			signers = append(signers, jarSigner{sfName: sf, blockName: b})
		}
	}
	if len(signers) == 0 {
		v.fail("no signature block file (.RSA/.DSA/.EC) has a matching .SF file")
		return v
	}
	mfEntry := byName[manifestName]
	if mfEntry == nil {
		v.fail("%s is missing", manifestName)
		return v
	}
	mfBytes, err := z.readAllEntry(ra, mfEntry, maxMetaFile)
	if err != nil {
		v.fail("read %s: %v", manifestName, err)
		return v
	}
	mf := parseManifest(mfBytes)
	mfNamed, dupSection := mf.named()
	if dupSection != "" {
		v.fail("%s has two sections named %q", manifestName, dupSection)
	}

	for i := range signers {
		s := &signers[i]
		sfBytes, err := z.readAllEntry(ra, byName[s.sfName], maxMetaFile)
		if err != nil {
			v.fail("read %s: %v", s.sfName, err)
			continue
		}
		blockBytes, err := z.readAllEntry(ra, byName[s.blockName], maxMetaFile)
		if err != nil {
			v.fail("read %s: %v", s.blockName, err)
			continue
		}
		certs, err := verifyPKCS7(blockBytes, sfBytes)
		if err != nil {
			v.fail("%s: signature over %s: %v", s.blockName, s.sfName, err)
			continue
		}
		v.signers = append(v.signers, certs)
		s.sf = parseManifest(sfBytes)
		checkSF(v, s, mf, mfBytes, mfNamed, present)
	}
	if len(v.problems) > 0 {
		return v
	}

	// Every entry that needs a digest must be in MANIFEST.MF and in every
	// signer's .SF; every manifest section must name an existing entry.
	sfNamed := make([]map[string]*mfSection, len(signers))
	for i, s := range signers {
		if s.sf != nil {
			sfNamed[i], _ = s.sf.named()
		}
	}
	var todo []*zipEntry
	for i := range z.entries {
		e := &z.entries[i]
		if byName[e.name] != e || !digestNeeded(e.name) {
			continue
		}
		if mfNamed[e.name] == nil {
			v.fail("entry %q is not listed in %s", e.name, manifestName)
			continue
		}
		for j, s := range signers {
			if sfNamed[j] != nil && sfNamed[j][e.name] == nil {
				v.fail("entry %q is not signed by %s", e.name, s.sfName)
			}
		}
		todo = append(todo, e)
	}
	var missing []string
	for name := range mfNamed {
		if byName[name] == nil {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, name := range missing {
		v.fail("%s lists %q, which is not in the APK", manifestName, name)
	}
	if len(v.problems) > 0 {
		return v
	}
	v.problems = append(v.problems, verifyEntryDigests(ra, z, todo, mfNamed, opt)...)
	v.verified = len(v.problems) == 0
	return v
}

// checkSF verifies a .SF file against MANIFEST.MF.
func checkSF(v *v1Result, s *jarSigner, mf *manifest, mfBytes []byte, mfNamed map[string]*mfSection, present map[int]bool) {
	if val, ok := s.sf.main.get("X-Android-APK-Signed"); ok {
		for _, f := range strings.Split(val, ",") {
			id, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				continue
			}
			if (id == 2 || id == 3) && !present[id] {
				v.fail("%s says the APK is also signed with APK Signature Scheme v%d (X-Android-APK-Signed: %s), but that signature is missing: it was stripped",
					s.sfName, id, strings.TrimSpace(val))
			}
		}
	}
	whole, _ := digestsOf(&s.sf.main, "-Digest-Manifest")
	wholeOK := len(whole) > 0
	for _, d := range whole {
		if !d.matches(mfBytes) {
			wholeOK = false
		}
	}
	if wholeOK {
		return
	}
	mains, _ := digestsOf(&s.sf.main, "-Digest-Manifest-Main-Attributes")
	for _, d := range mains {
		if !d.matches(mf.main.raw) {
			v.fail("%s: %s digest of the %s main attributes does not match", s.sfName, d.alg, manifestName)
		}
	}
	sfNamed, dup := s.sf.named()
	if dup != "" {
		v.fail("%s has two sections named %q", s.sfName, dup)
	}
	names := make([]string, 0, len(sfNamed))
	for n := range sfNamed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sec := sfNamed[n]
		m := mfNamed[n]
		if m == nil {
			v.fail("%s signs %q, which has no section in %s", s.sfName, n, manifestName)
			continue
		}
		ds, any := digestsOf(sec, "-Digest")
		if len(ds) == 0 {
			if any {
				v.fail("%s: no supported digest algorithm for %q", s.sfName, n)
			} else {
				v.fail("%s: no digest for %q", s.sfName, n)
			}
			continue
		}
		for _, d := range ds {
			if !d.matches(m.raw) {
				v.fail("%s: %s digest of the %s section for %q does not match", s.sfName, d.alg, manifestName, n)
			}
		}
	}
}

// verifyEntryDigests streams every entry through the hashes its manifest
// section names, in parallel, and returns the problems in entry order.
func verifyEntryDigests(ra io.ReaderAt, z *zipLayout, todo []*zipEntry, mfNamed map[string]*mfSection, opt Options) []string {
	probs := make([]string, len(todo))
	_ = parallel(len(todo), func(buf []byte, i int) error {
		e := todo[i]
		ds, any := digestsOf(mfNamed[e.name], "-Digest")
		if len(ds) == 0 {
			if any {
				probs[i] = fmt.Sprintf("%s: no supported digest algorithm for entry %q", manifestName, e.name)
			} else {
				probs[i] = fmt.Sprintf("%s: no digest for entry %q", manifestName, e.name)
			}
			return nil
		}
		if opt.EntryDigests != nil {
			algs := make([]crypto.Hash, len(ds))
			for j, d := range ds {
				algs[j] = d.hash
			}
			if got, ok := opt.EntryDigests(e.name, algs); ok && len(got) == len(ds) {
				for j, d := range ds {
					if enc := base64.StdEncoding.EncodeToString(got[j]); enc != d.want {
						probs[i] = fmt.Sprintf("entry %q: %s digest %s does not match %s (%s)", e.name, d.alg, enc, manifestName, d.want)
						return nil
					}
				}
				return nil
			}
		}
		hs := make([]hash.Hash, len(ds))
		ws := make([]io.Writer, len(ds))
		for j, d := range ds {
			hs[j] = newJarHash(d.hash)
			ws[j] = hs[j]
		}
		r, err := z.open(ra, e)
		if err == nil {
			_, err = io.CopyBuffer(io.MultiWriter(ws...), r, buf)
		}
		if err != nil {
			probs[i] = fmt.Sprintf("read entry %q: %v", e.name, err)
			return nil
		}
		for j, d := range ds {
			if got := base64.StdEncoding.EncodeToString(hs[j].Sum(nil)); got != d.want {
				probs[i] = fmt.Sprintf("entry %q: %s digest %s does not match %s (%s)", e.name, d.alg, got, manifestName, d.want)
				return nil
			}
		}
		return nil
	}, 64<<10)
	var out []string
	for _, p := range probs {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
