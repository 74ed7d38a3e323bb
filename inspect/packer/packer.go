// Package packer recognises Android packers and protectors (360 Jiagu,
// Bangcle, Ijiami, Tencent Legu, Baidu, NetEase Yidun, DexGuard …) from the
// traces they leave in an APK: native libraries, asset files, stub classes and
// the shape of a stub dex. A packed app hides its real code, so static
// evidence from it is limited; callers should say so and name the packer.
//
// The rules are data (packers.json, embedded), with the source of each.
package packer

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
)

//go:embed packers.json
var rulesJSON []byte

// Input is what the scan knows about an APK.
type Input struct {
	Files            []string // every entry path in the APK
	Classes          []string // classes defined in its dex files, dotted
	ApplicationClass string   // android:name of <application>, dotted
	DexSizes         []int64  // sizes of classes*.dex
}

// Finding is one packer found.
type Finding struct {
	ID       string   `json:"id"`
	Vendor   string   `json:"vendor"`
	VendorZH string   `json:"vendor_zh"`
	Variant  string   `json:"variant,omitempty"`
	Evidence []string `json:"evidence"`
}

// Signal kinds in packers.json.
const (
	kindLib          = "lib"              // native library base name, one '*' allowed
	kindFile         = "file"             // APK entry path; '*' globs, a trailing '/' is a directory
	kindClass        = "class"            // class name, or package prefix ending in '.'
	kindShortClasses = "short_classes_in" // many 1–3 letter classes directly in a package
)

type signal struct {
	Kind    string   `json:"kind"`
	Pattern string   `json:"pattern"`
	With    []string `json:"with,omitempty"` // other libraries that must be present too
	Variant string   `json:"variant,omitempty"`
	Stub    bool     `json:"stub,omitempty"` // a class that is the packer's Application stub
	Min     int      `json:"min,omitempty"`
	Source  string   `json:"source"`
	Ref     string   `json:"ref,omitempty"`
}

type rule struct {
	ID       string   `json:"id"`
	Vendor   string   `json:"vendor"`
	VendorZH string   `json:"vendor_zh"`
	Note     string   `json:"note,omitempty"`
	Signals  []signal `json:"signals"`
}

type ruleFile struct {
	Version string            `json:"version"`
	Sources []json.RawMessage `json:"sources"`
	Packers []rule            `json:"packers"`
}

var loadRules = sync.OnceValues(func() ([]rule, error) {
	var f ruleFile
	dec := json.NewDecoder(bytes.NewReader(rulesJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("packer: decode rules: %w", err)
	}
	if err := validate(f.Packers); err != nil {
		return nil, err
	}
	return f.Packers, nil
})

func validate(rs []rule) error {
	ids := map[string]bool{}
	for _, r := range rs {
		if r.ID == "" || ids[r.ID] || r.Vendor == "" || r.VendorZH == "" || len(r.Signals) == 0 {
			return fmt.Errorf("packer: rule %q: needs a unique id, vendor, vendor_zh and signals", r.ID)
		}
		ids[r.ID] = true
		for _, s := range r.Signals {
			switch s.Kind {
			case kindLib, kindFile, kindClass:
			case kindShortClasses:
				if s.Min <= 0 {
					return fmt.Errorf("packer: rule %s: %s needs min", r.ID, s.Kind)
				}
			default:
				return fmt.Errorf("packer: rule %s: unknown signal kind %q", r.ID, s.Kind)
			}
			if s.Pattern == "" || s.Source == "" {
				return fmt.Errorf("packer: rule %s: signal needs pattern and source", r.ID)
			}
		}
	}
	return nil
}

// Vendors lists the packers the rules know, by id, as "Vendor (VendorZH)".
func Vendors() map[string]string {
	rs, err := loadRules()
	if err != nil {
		return nil
	}
	out := make(map[string]string, len(rs))
	for _, r := range rs {
		out[r.ID] = r.Vendor + " (" + r.VendorZH + ")"
	}
	return out
}

// Stub thresholds: a packed app's dex is tiny.
const (
	stubMaxDexBytes = 512 << 10
	stubMaxClasses  = 300
)

// Detect returns the packers whose traces are in the APK, sorted by id. When
// no rule matches but the APK has the stub shape (the declared Application
// class is not in the dex, and the dex is tiny), it reports an unknown packer.
// The embedded rules are validated by the package tests; should they ever be
// unreadable, Detect returns nil.
func Detect(in Input) []Finding {
	rs, err := loadRules()
	if err != nil {
		return nil
	}
	libs := map[string][]string{} // base name → paths
	files := make(map[string]bool, len(in.Files))
	for _, f := range in.Files {
		f = strings.TrimPrefix(f, "/")
		files[f] = true
		if b := path.Base(f); strings.HasSuffix(b, ".so") {
			libs[b] = append(libs[b], f)
		}
	}
	classes := make(map[string]bool, len(in.Classes))
	for _, c := range in.Classes {
		classes[c] = true
	}
	stub := stubShape(in, classes)

	var out []Finding
	for _, r := range rs {
		var ev []string
		variants := map[string]bool{}
		stubMatched := false
		for _, s := range r.Signals {
			hits := match(s, in, files, libs, classes)
			if len(hits) == 0 {
				continue
			}
			ev = append(ev, hits...)
			if s.Variant != "" {
				variants[s.Variant] = true
			}
			if s.Kind == kindClass && s.Stub && in.ApplicationClass != "" && classMatches(s.Pattern, in.ApplicationClass) {
				ev = append(ev, "application class "+in.ApplicationClass+" is the packer's stub")
				stubMatched = true
			}
		}
		if len(ev) == 0 {
			continue
		}
		if stub != "" && (stubMatched || len(in.Classes) > 0) {
			ev = append(ev, stub)
		}
		f := Finding{ID: r.ID, Vendor: r.Vendor, VendorZH: r.VendorZH, Variant: joinKeys(variants), Evidence: dedupe(ev)}
		if r.Note != "" {
			f.Evidence = append(f.Evidence, "note: "+r.Note)
		}
		out = append(out, f)
	}
	if len(out) == 0 && stub != "" && in.ApplicationClass != "" && len(in.Classes) > 0 && !classes[in.ApplicationClass] {
		out = append(out, Finding{ID: "unknown", Vendor: "Unknown packer", VendorZH: "未知加固", Variant: "stub structure",
			Evidence: []string{"application class " + in.ApplicationClass + " is declared but not defined in the dex", stub}})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// stubShape describes a tiny dex, or returns "".
func stubShape(in Input, classes map[string]bool) string {
	if len(in.DexSizes) == 0 {
		return ""
	}
	var total int64
	for _, s := range in.DexSizes {
		total += s
	}
	if total > stubMaxDexBytes || len(in.Classes) > stubMaxClasses {
		return ""
	}
	return fmt.Sprintf("stub structure: %d dex file(s), %d bytes, %d classes", len(in.DexSizes), total, len(in.Classes))
}

func match(s signal, in Input, files map[string]bool, libs map[string][]string, classes map[string]bool) []string {
	switch s.Kind {
	case kindLib:
		hits := libHits(s.Pattern, libs)
		if len(hits) == 0 {
			return nil
		}
		for _, w := range s.With {
			more := libHits(w, libs)
			if len(more) == 0 {
				return nil
			}
			hits = append(hits, more...)
		}
		return prefix("native library ", hits)
	case kindFile:
		var hits []string
		for f := range files {
			if fileMatches(s.Pattern, f) {
				hits = append(hits, f)
			}
		}
		sort.Strings(hits)
		return prefix("file ", hits)
	case kindClass:
		if !strings.HasSuffix(s.Pattern, ".") {
			if classes[s.Pattern] {
				return []string{"class " + s.Pattern}
			}
			return nil
		}
		n, first := 0, ""
		for _, c := range in.Classes {
			if strings.HasPrefix(c, s.Pattern) {
				if n == 0 || c < first {
					first = c
				}
				n++
			}
		}
		if n == 0 {
			return nil
		}
		return []string{fmt.Sprintf("%d class(es) under %s (e.g. %s)", n, strings.TrimSuffix(s.Pattern, "."), first)}
	case kindShortClasses:
		n := 0
		p := s.Pattern + "."
		for _, c := range in.Classes {
			if rest, ok := strings.CutPrefix(c, p); ok && len(rest) <= 3 && !strings.ContainsAny(rest, ".$") {
				n++
			}
		}
		if n >= s.Min {
			return []string{fmt.Sprintf("%d classes with 1–3 letter names in package %s", n, s.Pattern)}
		}
	}
	return nil
}

func libHits(pattern string, libs map[string][]string) []string {
	if !strings.Contains(pattern, "*") {
		return libs[pattern]
	}
	var hits []string
	for b, paths := range libs {
		if globMatch(pattern, b) {
			hits = append(hits, paths...)
		}
	}
	sort.Strings(hits)
	return hits
}

func fileMatches(pattern, f string) bool {
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(f, pattern)
	}
	if strings.Contains(pattern, "*") {
		return globMatch(pattern, f)
	}
	return f == pattern
}

// globMatch matches s against a pattern where '*' stands for any run of
// characters, '/' included.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

func classMatches(pattern, class string) bool {
	if strings.HasSuffix(pattern, ".") {
		return strings.HasPrefix(class, pattern)
	}
	return class == pattern
}

func prefix(p string, v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = p + s
	}
	return out
}

func dedupe(v []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range v {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func joinKeys(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, "; ")
}
