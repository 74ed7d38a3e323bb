package app

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/policy"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// storedPolicy is the policy JSON kept with a case version.
type storedPolicy struct {
	Name       string             `json:"name"`   // file name, "pasted", "bundled: assets/…", "device: consent dialog"
	Kind       string             `json:"kind"`   // policy.Source kind
	SHA256     string             `json:"sha256"` // of the original bytes (an evidence file of the case)
	Text       string             `json:"text"`   // the normalised text the spans index
	Extraction *policy.Extraction `json:"extraction"`
}

// loadedPolicy is a policy read for analysis, with its original bytes.
type loadedPolicy struct {
	doc      *policy.Document
	name     string
	original []byte
}

// readPolicy loads the policy from a file, pasted text or, when both are
// empty, the first privacy policy bundled in the APK. It returns nil (and no
// error) when there is no policy at all.
func readPolicy(path, text string, scan *inspect.Result) (*loadedPolicy, error) {
	switch {
	case path != "":
		if err := inspect.RegularFile(path, nil); err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		doc, err := policy.LoadBytes(filepath.Base(path), b, "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &loadedPolicy{doc: doc, name: filepath.Base(path), original: b}, nil
	case strings.TrimSpace(text) != "":
		doc, err := policy.LoadBytes("pasted", []byte(text), "paste")
		if err != nil {
			return nil, err
		}
		return &loadedPolicy{doc: doc, name: "pasted", original: []byte(text)}, nil
	}
	if scan == nil {
		return nil, nil
	}
	for _, d := range scan.PolicyDocs {
		if d.Kind != "privacy" {
			continue
		}
		b, err := readFromAPK(scan.File, d.Split, d.Path)
		if err == nil {
			var doc *policy.Document
			if doc, err = policy.LoadBytes(d.Path, b, "apk"); err == nil {
				return &loadedPolicy{doc: doc, name: "bundled: " + d.Path, original: b}, nil
			}
		}
		// A bundled policy that cannot be read (malformed, hostile, too
		// large) is a warning of the scan, not a failure of the analysis.
		scan.Warnings = append(scan.Warnings, fmt.Sprintf("policy: bundled %s could not be read / 内置隐私政策无法读取: %v", d.Path, err))
	}
	return nil, nil
}

func readFromAPK(file, split, name string) ([]byte, error) {
	a, err := apk.Open(file, apk.DefaultLimits())
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return a.ReadFile(split, name)
}

// sdkResolver maps SDK names written in policies ("极光推送SDK", "友盟+",
// "高德地图 SDK") to catalog ids: exact match on the normalised zh or en
// name first, then the longest catalog name the policy name contains.
type sdkResolver struct {
	exact map[string]string
	names []nameID // longest first
}

type nameID struct{ name, id string }

func newSDKResolver(c *sdk.Catalog) *sdkResolver {
	r := &sdkResolver{exact: map[string]string{}}
	for _, e := range c.Entries() {
		for _, n := range []string{e.NameZH, e.NameEN} {
			for _, k := range nameVariants(n) {
				if _, dup := r.exact[k]; !dup {
					r.exact[k] = e.ID
				}
				if len([]rune(k)) >= 3 {
					r.names = append(r.names, nameID{k, e.ID})
				}
			}
		}
	}
	// catalog ids last (the policy lexicon's keys are often catalog ids:
	// "amap", "jpush")
	for _, e := range c.Entries() {
		if k := normName(e.ID); k != "" {
			if _, dup := r.exact[k]; !dup {
				r.exact[k] = e.ID
			}
		}
	}
	// Longest names first, so "高德定位" wins over "高德".
	slices.SortFunc(r.names, func(a, b nameID) int {
		if c := cmp.Compare(len(b.name), len(a.name)); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return r
}

// nameVariants are the normalised forms of a catalog name: the whole name
// and, for a name mixing Chinese and Latin ("友盟统计 U-App"), each part.
func nameVariants(n string) []string {
	k := normName(n)
	if k == "" {
		return nil
	}
	out := []string{k}
	var han, latin strings.Builder
	for _, r := range k {
		if r < 0x80 {
			latin.WriteRune(r)
		} else {
			han.WriteRune(r)
		}
	}
	if han.Len() > 0 && latin.Len() > 0 {
		if len([]rune(han.String())) >= 2 {
			out = append(out, han.String())
		}
		if latin.Len() >= 4 {
			out = append(out, latin.String())
		}
	}
	return out
}

func (r *sdkResolver) resolve(name string) (string, bool) {
	k := normName(name)
	if k == "" {
		return "", false
	}
	if id, ok := r.exact[k]; ok {
		return id, true
	}
	for _, n := range r.names {
		if i := strings.Index(k, n.name); i >= 0 && !gluedLatin(k, i, i+len(n.name)) {
			return n.id, true
		}
	}
	return "", false
}

// gluedLatin reports whether k[i:j] starts or ends inside a Latin word of
// k ("share" inside "ushare" is not the name ShareSDK).
func gluedLatin(k string, i, j int) bool {
	isL := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
	return i > 0 && isL(k[i-1]) && isL(k[i]) || j < len(k) && isL(k[j]) && isL(k[j-1])
}

// normName lower-cases a name and drops spaces, punctuation and the words
// "sdk" and "android".
func normName(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("sdk", "", "android", "", "安卓", "").Replace(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// analysis is the result of the pipeline for one version.
type analysis struct {
	scan       *inspect.Result
	policy     *loadedPolicy
	extraction *policy.Extraction
	candidates []rules.Candidate
}

// extract runs the policy extractor with SDK names resolved against the
// detector's catalog.
func (s *Service) extract(p *loadedPolicy) *policy.Extraction {
	if p == nil {
		return nil
	}
	res := newSDKResolver(s.det.Catalog())
	return policy.Extract(p.doc, policy.Options{ResolveSDK: res.resolve})
}

// appType looks up the 39-type table entry of a case's app type.
func (s *Service) appType(id string) *law.AppType {
	if id == "" {
		return nil
	}
	if t, ok := s.law.AppType(id); ok {
		return &t
	}
	return nil
}

// candidatesJSON encodes candidates as the version document the store reads.
func candidatesJSON(c []rules.Candidate) (json.RawMessage, error) {
	if c == nil {
		c = []rules.Candidate{}
	}
	return json.Marshal(struct {
		Candidates []rules.Candidate `json:"candidates"`
	}{c})
}

// decodeCandidates reads the version's candidates for display.
func decodeCandidates(raw json.RawMessage) ([]workspace.Candidate, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	var d struct {
		Candidates []json.RawMessage `json:"candidates"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	out := make([]workspace.Candidate, 0, len(d.Candidates))
	for _, r := range d.Candidates {
		var c workspace.Candidate
		if err := json.Unmarshal(r, &c); err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		c.Raw = r
		out = append(out, c)
	}
	return out, nil
}

// toWorkspace converts freshly computed candidates for display.
func toWorkspace(cs []rules.Candidate) []workspace.Candidate {
	raw, err := candidatesJSON(cs)
	if err != nil {
		return nil
	}
	out, _ := decodeCandidates(raw)
	return out
}
