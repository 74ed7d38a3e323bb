package sdk

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/appinspect/appinspect/inspect/pi"
)

// Problem is one validation failure of a catalog or extension file.
type Problem struct {
	File    string // the file checked ("catalog" for the embedded one)
	Index   int    // index of the entry in the file's entries, -1 for the whole file
	ID      string // the entry's id, when it has one
	Field   string // "id", "signatures.packages[2]" …
	Message string
}

// Error formats the problem as file: entry N (id): field: message.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Index >= 0 {
		fmt.Fprintf(&b, ": entry %d", p.Index)
		if p.ID != "" {
			fmt.Fprintf(&b, " (%s)", p.ID)
		}
	}
	if p.Field != "" {
		b.WriteString(": ")
		b.WriteString(p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Message)
	return b.String()
}

type problemList []Problem

func (l problemList) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sdk: %d problem(s):", len(l))
	for i, p := range l {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … and %d more", len(l)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

func (l problemList) Unwrap() error { return ErrInvalidCatalog }

func problemsError(p []Problem) error { return problemList(p) }

// Problems returns the problems carried by an error from Load or Parse.
func Problems(err error) []Problem {
	var l problemList
	if errors.As(err, &l) {
		return []Problem(l)
	}
	return nil
}

var (
	idRE      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	segRE     = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)
	metaRE    = regexp.MustCompile(`^[A-Za-z0-9_.\-]+$`)
	libRE     = regexp.MustCompile(`^[A-Za-z0-9_.+\-]+$`)
	hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9\-]*[a-z0-9])?$`)
)

// denyPrefixes are package prefixes too generic to name one SDK.
var denyPrefixes = map[string]bool{
	"com.google": true, "com.android": true, "com.a": true, "a.a": true, "com.dv": true,
	"com.tencent": true, "com.alibaba": true, "com.baidu": true, "com.huawei": true,
	"com.xiaomi": true, "com.bytedance": true, "com.qq": true, "com.sina": true,
	"com.facebook": true, "com.amazon": true, "com.microsoft": true, "com.samsung": true,
	"com.squareup": true, "com.github": true, "io.github": true, "org.apache": true,
	"com.ss": true, "com.ss.android": true, "com.taobao": true, "com.google.android": true,
	"android.support": true, "com.example": true, "org.json": true, "com.netease": true,
	"com.sun": true, "org.w3c": true, "org.xml": true, "com.android.support": true,
	"com.meizu": true, "com.vivo": true, "com.oppo": true, "com.heytap": true,
	"com.unity3d": true, "com.mi": true, "cn.com": true, "com.cn": true,
}

// ownPrefixes are one-segment prefixes of well-known libraries, allowed only
// in the entry named here (okhttp3 is its own SDK, never part of another).
var ownPrefixes = map[string]string{
	"okhttp3":   "okhttp3",
	"okio":      "okio",
	"retrofit2": "retrofit2",
}

// denyHosts are shared infrastructure domains that cannot name one SDK.
var denyHosts = map[string]bool{
	"amazonaws.com": true, "cloudfront.net": true, "aliyuncs.com": true, "googleapis.com": true,
	"qq.com": true, "baidu.com": true, "taobao.com": true, "alicdn.com": true, "myqcloud.com": true,
	"google.com": true, "facebook.com": true, "akamaihd.net": true, "azureedge.net": true,
	"com.cn": true, "net.cn": true, "org.cn": true, "github.io": true, "github.com": true,
	"appspot.com": true, "herokuapp.com": true, "firebaseio.com": true, "co.uk": true,
	"co.jp": true, "co.kr": true, "com.br": true,
}

// packageProblem says what is wrong with a package or class prefix, or "".
func packageProblem(p, id string) string {
	segs := strings.Split(p, ".")
	for _, s := range segs {
		if !segRE.MatchString(s) {
			return fmt.Sprintf("%q is not a dotted Java name", p)
		}
	}
	if owner, ok := ownPrefixes[p]; ok {
		if owner != id {
			return fmt.Sprintf("prefix %q belongs only to entry %q", p, owner)
		}
		return ""
	}
	if len(segs) < 2 {
		return fmt.Sprintf("prefix %q has fewer than 2 segments", p)
	}
	if denyPrefixes[p] {
		return fmt.Sprintf("prefix %q is too generic", p)
	}
	switch segs[0] {
	case "java", "javax", "dalvik", "sun", "libcore":
		return fmt.Sprintf("prefix %q is platform code", p)
	case "android":
		if segs[1] != "support" && segs[1] != "arch" {
			return fmt.Sprintf("prefix %q is platform code", p)
		}
	}
	short := true
	for _, s := range segs {
		if len(s) > 2 {
			short = false
		}
	}
	if short || len(segs) == 2 && len(segs[1]) <= 2 {
		return fmt.Sprintf("prefix %q looks obfuscated (1–2 letter segments)", p)
	}
	return ""
}

func hostProblem(h string) string {
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return fmt.Sprintf("host %q has fewer than 2 labels", h)
	}
	for _, l := range labels {
		if !hostLabel.MatchString(l) {
			return fmt.Sprintf("host %q is not a lower-case host name", h)
		}
	}
	if denyHosts[h] {
		return fmt.Sprintf("host %q is shared infrastructure, too generic", h)
	}
	return ""
}

func libProblem(l string) string {
	if !libRE.MatchString(strings.Replace(l, "*", "", 1)) || strings.Count(l, "*") > 1 {
		return fmt.Sprintf("native library %q must be a file name with at most one *", l)
	}
	if i := strings.IndexByte(l, '*'); i >= 0 && i < 4 {
		return fmt.Sprintf("native library pattern %q needs at least 4 literal leading characters", l)
	}
	return ""
}

func componentProblem(c string) string {
	if rest, ok := strings.CutPrefix(c, "*."); ok {
		if strings.Count(rest, ".") < 1 {
			return fmt.Sprintf("component suffix %q needs at least 2 segments", c)
		}
		c = rest
	}
	for _, s := range strings.Split(c, ".") {
		if !segRE.MatchString(s) {
			return fmt.Sprintf("component %q is not a dotted class name", c)
		}
	}
	return ""
}

// Lint validates a complete set of entries: ids, names, categories, parents,
// every signature's form, and collisions (the same prefix, component,
// library, meta-data key or host in two entries, or a package prefix nested
// in another entry's, unless one entry is the other's ancestor by Parent).
func Lint(entries []Entry, file string) []Problem {
	return lintSet(entries, file, func(int) bool { return true }, func(i int) int { return i })
}

func lintSet(entries []Entry, file string, report func(int) bool, index func(int) int) []Problem {
	var probs []Problem
	add := func(i int, field, format string, args ...any) {
		if !report(i) {
			return
		}
		probs = append(probs, Problem{File: file, Index: index(i), ID: entries[i].ID, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	ids := make(map[string]int, len(entries))
	for i := range entries {
		e := &entries[i]
		if !idRE.MatchString(e.ID) {
			add(i, "id", "%q is not a lower-case slug (a-z, 0-9, -)", e.ID)
		} else if j, dup := ids[e.ID]; dup {
			add(i, "id", "duplicate id, also entry %d", index(j))
		} else {
			ids[e.ID] = i
		}
		lintEntry(e, func(field, format string, args ...any) { add(i, field, format, args...) })
	}
	// one entry per product: two entries with the same name are the same
	// product listed twice
	names := map[string]int{}
	for i := range entries {
		e := &entries[i]
		for _, n := range []string{e.NameEN, e.NameZH} {
			k := productKey(n)
			if k == "" {
				continue
			}
			if j, dup := names[k]; dup && j != i {
				add(i, "name_en", "duplicate product %q, also %s; merge the entries (one SDK per product)", n, entries[j].ID)
				break
			}
			names[k] = i
		}
	}
	// parents
	for i := range entries {
		e := &entries[i]
		if e.Parent == "" {
			continue
		}
		if e.Parent == e.ID {
			add(i, "parent", "an entry cannot be its own parent")
			continue
		}
		if _, ok := ids[e.Parent]; !ok {
			add(i, "parent", "unknown parent %q", e.Parent)
			continue
		}
		seen := map[string]bool{e.ID: true}
		for p := e.Parent; p != ""; {
			if seen[p] {
				add(i, "parent", "parent chain has a cycle through %q", p)
				break
			}
			seen[p] = true
			j, ok := ids[p]
			if !ok {
				break
			}
			p = entries[j].Parent
		}
	}
	who := func(j int) string {
		if index(j) < 0 {
			return fmt.Sprintf("catalog entry %s", entries[j].ID)
		}
		return fmt.Sprintf("entry %d (%s)", index(j), entries[j].ID)
	}
	related := func(a, b int) bool {
		return isAncestor(entries, ids, a, b) || isAncestor(entries, ids, b, a)
	}
	type owner struct {
		entry int
		field string
	}
	collide := func(kind string, get func(*Signatures) []string) map[string]owner {
		seen := map[string]owner{}
		for i := range entries {
			for k, v := range get(&entries[i].Signatures) {
				field := fmt.Sprintf("signatures.%s[%d]", kind, k)
				if o, ok := seen[v]; ok {
					if o.entry == i {
						add(i, field, "%q is listed twice", v)
					} else if !related(o.entry, i) {
						if report(i) {
							add(i, field, "%q is also in %s %s; declare a parent or drop one", v, who(o.entry), o.field)
						} else {
							add(o.entry, o.field, "%q is also in %s %s; declare a parent or drop one", v, who(i), field)
						}
					}
					continue
				}
				seen[v] = owner{i, field}
			}
		}
		return seen
	}
	pk := collide("packages", func(s *Signatures) []string { return slices.Concat(s.Packages, s.Classes) })
	collide("components", func(s *Signatures) []string { return s.Components })
	collide("native_libs", func(s *Signatures) []string { return s.NativeLibs })
	collide("meta_data", func(s *Signatures) []string { return s.MetaData })
	hs := collide("hosts", func(s *Signatures) []string { return s.Hosts })
	// nesting: a prefix inside another entry's prefix
	enclosed := map[owner]bool{} // report "encloses" once per signature
	for p, o := range pk {
		for j := strings.LastIndexByte(p, '.'); j > 0; j = strings.LastIndexByte(p[:j], '.') {
			if q, ok := pk[p[:j]]; ok && q.entry != o.entry && !related(q.entry, o.entry) {
				if report(o.entry) {
					add(o.entry, o.field, "%q is nested in %q of %s; declare it as parent", p, p[:j], who(q.entry))
				} else if !enclosed[q] {
					enclosed[q] = true
					add(q.entry, q.field, "%q encloses %q of %s (and maybe more); declare a parent relation", p[:j], p, who(o.entry))
				}
				break
			}
		}
	}
	for h, o := range hs {
		for j := strings.IndexByte(h, '.'); j > 0 && j < len(h)-1; {
			sup := h[j+1:]
			if q, ok := hs[sup]; ok && q.entry != o.entry && !related(q.entry, o.entry) {
				if report(o.entry) {
					add(o.entry, o.field, "host %q is under %q of %s; declare it as parent", h, sup, who(q.entry))
				} else if !enclosed[q] {
					enclosed[q] = true
					add(q.entry, q.field, "host %q encloses %q of %s (and maybe more); declare a parent relation", sup, h, who(o.entry))
				}
				break
			}
			k := strings.IndexByte(sup, '.')
			if k < 0 {
				break
			}
			j += 1 + k
		}
	}
	sortProblems(probs)
	return probs
}

// isAncestor reports whether entry a is an ancestor of entry b.
func isAncestor(entries []Entry, ids map[string]int, a, b int) bool {
	p := entries[b].Parent
	for n := 0; p != "" && n < 32; n++ {
		j, ok := ids[p]
		if !ok {
			return false
		}
		if j == a {
			return true
		}
		p = entries[j].Parent
	}
	return false
}

func lintEntry(e *Entry, add func(field, format string, args ...any)) {
	if e.NameZH == "" && e.NameEN == "" {
		add("name_en", "an entry needs name_zh or name_en")
	}
	if strings.TrimSpace(e.Vendor.ZH) == "" && strings.TrimSpace(e.Vendor.EN) == "" {
		add("vendor", "an entry needs vendor.zh or vendor.en (the company an inspector would name)")
	}
	if !ValidCategory(e.Category) {
		add("category", "%q is not one of %v", e.Category, categories)
	}
	s := &e.Signatures
	if len(s.Packages)+len(s.Classes)+len(s.Components)+len(s.NativeLibs)+len(s.MetaData)+len(s.Hosts) == 0 {
		add("signatures", "no signature at all: the entry could never match")
	}
	for k, p := range s.Packages {
		if m := packageProblem(p, e.ID); m != "" {
			add(fmt.Sprintf("signatures.packages[%d]", k), "%s", m)
		}
	}
	for k, c := range s.Classes {
		if m := packageProblem(c, e.ID); m != "" {
			add(fmt.Sprintf("signatures.classes[%d]", k), "%s", m)
		}
	}
	for k, c := range s.Components {
		if m := componentProblem(c); m != "" {
			add(fmt.Sprintf("signatures.components[%d]", k), "%s", m)
		}
	}
	for k, l := range s.NativeLibs {
		if m := libProblem(l); m != "" {
			add(fmt.Sprintf("signatures.native_libs[%d]", k), "%s", m)
		}
	}
	for k, m := range s.MetaData {
		if !metaRE.MatchString(m) {
			add(fmt.Sprintf("signatures.meta_data[%d]", k), "%q is not a meta-data name", m)
		}
	}
	for k, h := range s.Hosts {
		if m := hostProblem(h); m != "" {
			add(fmt.Sprintf("signatures.hosts[%d]", k), "%s", m)
		}
	}
	for k, m := range e.EntryPoints {
		if componentProblem(m.Class) != "" || strings.HasPrefix(m.Class, "*") || m.Method == "" || strings.ContainsAny(m.Method, ". ") {
			add(fmt.Sprintf("entry_points[%d]", k), "needs a dotted class and a method name, got %q.%q", m.Class, m.Method)
		}
	}
	for k, c := range e.Collects {
		if !pi.Valid(c) {
			add(fmt.Sprintf("collects[%d]", k), "%q is not a pi category", c)
		}
	}
	if len(e.Collects) > 0 && !hasSource(e, "collects") {
		add("collects", "collects needs a source (a vendor's published SDK policy), never a guess")
	}
	for k, src := range e.Sources {
		if src.Field == "" || src.Source == "" {
			add(fmt.Sprintf("sources[%d]", k), "a source needs field and source")
		}
	}
}

func hasSource(e *Entry, field string) bool {
	for _, s := range e.Sources {
		if s.Field == field {
			return true
		}
	}
	return false
}

func sortProblems(p []Problem) {
	sort.SliceStable(p, func(i, j int) bool { return lessProblem(p[i], p[j]) })
}

func lessProblem(a, b Problem) bool {
	if a.Index != b.Index {
		return a.Index < b.Index
	}
	if a.Field != b.Field {
		return a.Field < b.Field
	}
	return a.Message < b.Message
}

// checkMerge validates ext entries on their own and against the base entries
// they do not replace; problems are reported against the extension file.
func checkMerge(base, ext []Entry, file string) []Problem {
	replaced := make(map[string]bool, len(ext))
	for _, e := range ext {
		replaced[e.ID] = true
	}
	merged := make([]Entry, 0, len(base)+len(ext))
	merged = append(merged, ext...)
	for _, e := range base {
		if !replaced[e.ID] {
			merged = append(merged, e)
		}
	}
	n := len(ext)
	return lintSet(merged, file, func(i int) bool { return i < n }, func(i int) int {
		if i < n {
			return i
		}
		return -1
	})
}

// productKey normalises a product name for the duplicate check: lower case,
// letters and digits only, without "sdk" and "android".
func productKey(n string) string {
	n = strings.NewReplacer("sdk", "", "android", "", "services", "service").Replace(strings.ToLower(n))
	var b strings.Builder
	for _, r := range n {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x2e80 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// GenericPrefix reports whether a dotted package prefix is too generic to
// name one SDK or one app ("com.tencent", "com.google.android"): the root of
// a package tree starts one segment below such a prefix.
func GenericPrefix(p string) bool { return denyPrefixes[p] }
