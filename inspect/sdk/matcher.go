package sdk

import (
	"slices"
	"sort"
	"strings"
)

// Input is what the scan orchestrator knows about an app.
type Input struct {
	Classes      []string // every class defined in the app's dex files, dotted
	References   []string // types referenced (dotted), optional
	Components   []string // activity/service/receiver/provider names
	NativeLibs   []string // "libjcore.so" base names
	MetaDataKeys []string
	Hosts        []string // host names from endpoints
	Strings      []string // optional: string constants, for obfuscated apps
	// AppNamespaces are the app's own package roots: a class under them is
	// never taken for a relocated (shaded) copy of an SDK.
	AppNamespaces []string
}

// Evidence kinds.
const (
	KindClass     = "class"     // classes defined in the dex under a package prefix or class signature
	KindReference = "reference" // types referenced but not defined (e.g. loaded at run time)
	KindComponent = "component" // a manifest component
	KindNativeLib = "native_lib"
	KindMetaData  = "meta_data"
	KindHost      = "host"
	KindString    = "string" // a string constant naming the SDK's package
	// KindCallback is the app's own class or component that an SDK requires
	// by name (pkg.wxapi.WXEntryActivity): it shows the app is wired for the
	// SDK, not that the SDK's code is in the APK.
	KindCallback = "callback"
	// KindConfirmed is never found by a scan: it is the inspector's
	// confirmation that a mentioned SDK is in the app (Value: who;
	// Examples: the note saying how it was seen). It makes the SDK present.
	KindConfirmed = "confirmed"
)

// Confidence levels.
const (
	High   = "high"
	Medium = "medium"
	Low    = "low"
)

// MaxExamples caps the example values kept per evidence item.
const MaxExamples = 20

// Evidence is one kind of trace found for an SDK. Value is the signature that
// matched (a package prefix, a component, a library pattern …); Count says
// how many items of the input matched it and Examples lists the first ones.
type Evidence struct {
	Kind     string   `json:"kind"`
	Value    string   `json:"value"`
	Count    int      `json:"count"`
	Examples []string `json:"examples,omitempty"`
}

// Detection is an SDK found in an app.
type Detection struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	NameZH     string     `json:"name_zh,omitempty"`
	Vendor     string     `json:"vendor,omitempty"`
	VendorZH   string     `json:"vendor_zh,omitempty"`
	Category   string     `json:"category"`
	Evidence   []Evidence `json:"evidence"`
	Confidence string     `json:"confidence"`
	// Present is true only when the SDK's code (classes), a manifest
	// component or a native library of it is in the APK. Hosts, strings,
	// references, meta-data keys and callbacks alone make a mention: the
	// app names the SDK, which does not prove the SDK is in it.
	Present bool `json:"present"`
	// Obfuscated is set when the SDK has code signatures and is present
	// by its components or libraries, none of its classes matched, and the
	// input shows renaming (classes in 1–2 letter packages): its code was
	// probably renamed. Missing classes alone (code loaded from elsewhere,
	// an Instant Run build) are not renaming.
	Obfuscated bool `json:"obfuscated,omitempty"`
	// Used is left nil here; call-site analysis sets it with EntryPoints.
	Used *bool `json:"used,omitempty"`
}

// pattern is one code signature (package prefix or class) in the hash table.
type pattern struct {
	entry  int32
	prefix string
}

type slot struct {
	hash uint64
	key  string
	pat  int32 // index into patterns, -1 for an inner node
	used bool
}

type libGlob struct {
	prefix, suffix string
	value          string
	entry          int32
}

type suffixPat struct {
	suffix string // ".wxapi.WXEntryActivity"
	value  string
	entry  int32
}

// Matcher finds catalog SDKs in an app in one pass over its inputs. It is
// safe for concurrent use.
type Matcher struct {
	c        *Catalog
	table    []slot // open addressing, power-of-two size: every package prefix and its ancestors
	mask     uint64
	shift    uint // 64 - log2(len(table)), for Fibonacci hashing
	patterns []pattern
	comps    map[string]int32
	compSuf  map[string][]suffixPat // by simple class name
	libs     map[string]int32
	libGlobs []libGlob
	meta     map[string]int32
	hosts    map[string]int32
	hasCode  []bool
	// reloc maps the tail of a package signature (its segments after the
	// first: "qiniu.android.storage" of "com.qiniu.android.storage") to its
	// pattern, for SDK code another SDK ships relocated under its own
	// package ("cn.jmessage.support.qiniu.android.storage"); relocFirst
	// holds the tails' first segments, to test a segment cheaply.
	reloc      map[string]int32
	relocFirst map[string]bool
}

// The prefix table hashes names incrementally, one byte at a time, with
// djb2a (a shift, an add and a xor: a short dependency chain per byte), and
// spreads the hash over the table with one Fibonacci multiplication per
// lookup. Every hit is verified by comparing the key.
const (
	hashSeed   = 5381
	hashSpread = 0x9E3779B97F4A7C15
)

func hashStep(h uint64, c byte) uint64 { return (h<<5 + h) ^ uint64(c) }

// Matcher returns the catalog's matcher, built on first use.
func (c *Catalog) Matcher() *Matcher {
	c.matcherOnce.Do(func() { c.matcher = newMatcher(c) })
	return c.matcher
}

func newMatcher(c *Catalog) *Matcher {
	m := &Matcher{
		c:          c,
		comps:      map[string]int32{},
		compSuf:    map[string][]suffixPat{},
		libs:       map[string]int32{},
		meta:       map[string]int32{},
		hosts:      map[string]int32{},
		hasCode:    make([]bool, len(c.entries)),
		reloc:      map[string]int32{},
		relocFirst: map[string]bool{},
	}
	keys := map[string]int32{} // prefix -> pattern index or -1
	for i := range c.entries {
		s := &c.entries[i].Signatures
		for _, p := range append(append([]string(nil), s.Packages...), s.Classes...) {
			m.hasCode[i] = true
			if _, ok := keys[p]; ok && keys[p] >= 0 {
				continue // first entry wins; Lint forbids this in a valid catalog
			}
			keys[p] = int32(len(m.patterns))
			if tail, first, ok := relocTail(p); ok && slices.Contains(s.Packages, p) {
				if _, dup := m.reloc[tail]; !dup {
					m.reloc[tail] = int32(len(m.patterns))
					m.relocFirst[first] = true
				}
			}
			m.patterns = append(m.patterns, pattern{entry: int32(i), prefix: p})
			for j := strings.LastIndexByte(p, '.'); j > 0; j = strings.LastIndexByte(p[:j], '.') {
				if _, ok := keys[p[:j]]; !ok {
					keys[p[:j]] = -1
				}
			}
		}
		for _, comp := range s.Components {
			if suf, ok := strings.CutPrefix(comp, "*"); ok {
				simple := suf[strings.LastIndexByte(suf, '.')+1:]
				m.compSuf[simple] = append(m.compSuf[simple], suffixPat{suffix: suf, value: comp, entry: int32(i)})
				continue
			}
			setFirst(m.comps, comp, i)
		}
		for _, l := range s.NativeLibs {
			if pre, suf, ok := strings.Cut(l, "*"); ok {
				m.libGlobs = append(m.libGlobs, libGlob{prefix: pre, suffix: suf, value: l, entry: int32(i)})
				continue
			}
			setFirst(m.libs, l, i)
		}
		for _, k := range s.MetaData {
			setFirst(m.meta, k, i)
		}
		for _, h := range s.Hosts {
			setFirst(m.hosts, h, i)
		}
	}
	size, bits := 16, uint(4)
	for size < 2*len(keys) {
		size <<= 1
		bits++
	}
	m.table = make([]slot, size)
	m.mask = uint64(size - 1)
	m.shift = 64 - bits
	for k, p := range keys {
		h := hashString(k)
		i := (h * hashSpread) >> m.shift
		for m.table[i].used {
			i = (i + 1) & m.mask
		}
		m.table[i] = slot{hash: h, key: k, pat: p, used: true}
	}
	// longest literal prefix first, so the most specific glob wins
	sort.Slice(m.libGlobs, func(a, b int) bool {
		if len(m.libGlobs[a].prefix) != len(m.libGlobs[b].prefix) {
			return len(m.libGlobs[a].prefix) > len(m.libGlobs[b].prefix)
		}
		return m.libGlobs[a].value < m.libGlobs[b].value
	})
	return m
}

func setFirst(m map[string]int32, k string, i int) {
	if _, ok := m[k]; !ok {
		m[k] = int32(i)
	}
}

func hashString(s string) uint64 {
	h := uint64(hashSeed)
	for i := 0; i < len(s); i++ {
		h = hashStep(h, s[i])
	}
	return h
}

// lookup returns the slot for key (whose hash is h), or nil.
func (m *Matcher) lookup(h uint64, key string) *slot {
	i := (h * hashSpread) >> m.shift
	for {
		s := &m.table[i]
		if !s.used {
			return nil
		}
		if s.hash == h && s.key == key {
			return s
		}
		i = (i + 1) & m.mask
	}
}

// match returns the pattern index of the longest package prefix or class
// signature that owns name, or -1. Segments end at '.' and '$' (so a class
// signature also owns its inner classes). It does not allocate.
func (m *Matcher) match(name string) int32 {
	best := int32(-1)
	h := uint64(hashSeed)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '.' || c == '$' {
			s := m.lookup(h, name[:i])
			if s == nil {
				return best
			}
			if s.pat >= 0 {
				best = s.pat
			}
			if c == '$' {
				return best // nothing is registered below a class
			}
		}
		h = hashStep(h, c)
	}
	if s := m.lookup(h, name); s != nil && s.pat >= 0 {
		best = s.pat
	}
	return best
}

// OwnerOf returns the id of the SDK whose code the dotted class name is, or
// "" for code that belongs to no catalog SDK (usually the app's own). It
// walks the prefix table once and does not allocate.
func (m *Matcher) OwnerOf(class string) string {
	p := m.match(class)
	if p < 0 {
		return ""
	}
	return m.c.entries[m.patterns[p].entry].ID
}

// PrefixOf returns the package prefix or class signature by which an SDK
// owns the dotted class name, or "" when none does.
func (m *Matcher) PrefixOf(class string) string {
	p := m.match(class)
	if p < 0 {
		return ""
	}
	return m.patterns[p].prefix
}

// EntryPoints returns the init/register methods of the SDK with the given id,
// used to tell an SDK that is called from one that is merely present.
func (m *Matcher) EntryPoints(id string) []MethodSig {
	e, ok := m.c.Get(id)
	if !ok {
		return nil
	}
	return append([]MethodSig(nil), e.EntryPoints...)
}

type evKey struct{ kind, value string }

// acc accumulates evidence for one entry.
type acc struct {
	items   map[evKey]*Evidence
	order   []evKey
	classes int
	kinds   map[string]bool
}

func (a *acc) add(kind, value, example string) {
	if a.items == nil {
		a.items = map[evKey]*Evidence{}
		a.kinds = map[string]bool{}
	}
	k := evKey{kind, value}
	ev, ok := a.items[k]
	if !ok {
		ev = &Evidence{Kind: kind, Value: value}
		a.items[k] = ev
		a.order = append(a.order, k)
	}
	ev.Count++
	if example != "" && len(ev.Examples) < MaxExamples {
		ev.Examples = append(ev.Examples, example)
	}
	a.kinds[kind] = true
	if kind == KindClass {
		a.classes++
	}
}

// highClassCount is the number of defined classes under an SDK's prefixes
// that alone makes a detection high-confidence.
const highClassCount = 5

// Detect finds the catalog SDKs in an app. Each input list is walked once;
// the result is sorted by ID and each evidence list by kind and value.
func (m *Matcher) Detect(in Input) []Detection {
	accs := map[int32]*acc{}
	reloc := map[int32]map[string]int{} // entry -> relocated root -> classes
	relocEx := map[string][]string{}
	get := func(e int32) *acc {
		a := accs[e]
		if a == nil {
			a = &acc{}
			accs[e] = a
		}
		return a
	}
	relocate := func(cl string, root string, p int32) {
		e := m.patterns[p].entry
		if reloc[e] == nil {
			reloc[e] = map[string]int{}
		}
		reloc[e][root]++
		relocEx[root] = append(relocEx[root], cl)
	}
	for _, cl := range in.Classes {
		if p := m.match(cl); p >= 0 {
			pt := m.patterns[p]
			get(pt.entry).add(KindClass, pt.prefix, cl)
			// another SDK shipped relocated inside this one's package
			// (cn.jmessage.support.qiniu.android.storage in JMessage)
			if root, rp := m.relocatedFrom(cl, len(pt.prefix)); rp >= 0 && m.patterns[rp].entry != pt.entry {
				relocate(cl, root, rp)
			}
			continue
		}
		// the app's own class that an SDK requires by name (pkg.wxapi.WXEntryActivity)
		if sp, ok := m.suffixMatch(cl); ok {
			get(sp.entry).add(KindCallback, sp.value, cl)
			continue
		}
		if root, p := m.relocated(cl); p >= 0 && !underAny(cl, in.AppNamespaces) {
			relocate(cl, root, p)
		}
	}
	// Relocated copies count as the SDK's code only in numbers: a few
	// classes under "x.y.qiniu.android.storage" may be the app's wrapper
	// named after the SDK, a shaded library has many.
	for e, roots := range reloc {
		for root, n := range roots {
			if n < highClassCount {
				continue
			}
			for _, cl := range relocEx[root] {
				get(e).add(KindClass, root, cl)
			}
		}
	}
	for _, cl := range in.References {
		if p := m.match(cl); p >= 0 {
			pt := m.patterns[p]
			get(pt.entry).add(KindReference, pt.prefix, cl)
		}
	}
	for _, comp := range in.Components {
		if e, ok := m.comps[comp]; ok {
			get(e).add(KindComponent, comp, "")
			continue
		}
		if sp, ok := m.suffixMatch(comp); ok {
			get(sp.entry).add(KindCallback, sp.value, comp)
			continue
		}
		if p := m.match(comp); p >= 0 {
			pt := m.patterns[p]
			get(pt.entry).add(KindComponent, comp, "")
		}
	}
	for _, lib := range in.NativeLibs {
		lib = lib[strings.LastIndexByte(lib, '/')+1:]
		if e, ok := m.libs[lib]; ok {
			get(e).add(KindNativeLib, lib, "")
			continue
		}
		for _, g := range m.libGlobs {
			if len(lib) >= len(g.prefix)+len(g.suffix) && strings.HasPrefix(lib, g.prefix) && strings.HasSuffix(lib, g.suffix) {
				get(g.entry).add(KindNativeLib, g.value, lib)
				break
			}
		}
	}
	for _, k := range in.MetaDataKeys {
		if e, ok := m.meta[k]; ok {
			get(e).add(KindMetaData, k, "")
		}
	}
	for _, h := range in.Hosts {
		h = hostOnly(h)
		for s := h; s != ""; {
			if e, ok := m.hosts[s]; ok {
				get(e).add(KindHost, s, h)
				break
			}
			i := strings.IndexByte(s, '.')
			if i < 0 {
				break
			}
			s = s[i+1:]
		}
	}
	for _, str := range in.Strings {
		name := stringAsPackage(str)
		if name == "" {
			continue
		}
		if p := m.match(name); p >= 0 {
			pt := m.patterns[p]
			get(pt.entry).add(KindString, pt.prefix, str)
		}
	}
	renamed := Renamed(in.Classes)
	out := make([]Detection, 0, len(accs))
	for ei, a := range accs {
		e := &m.c.entries[ei]
		d := Detection{
			ID: e.ID, Name: e.Name(), NameZH: e.NameZH, Vendor: e.Vendor.EN, VendorZH: e.Vendor.ZH,
			Category: string(e.Category),
		}
		for _, k := range a.order {
			d.Evidence = append(d.Evidence, *a.items[k])
		}
		sort.Slice(d.Evidence, func(i, j int) bool {
			if d.Evidence[i].Kind != d.Evidence[j].Kind {
				return kindRank(d.Evidence[i].Kind) < kindRank(d.Evidence[j].Kind)
			}
			return d.Evidence[i].Value < d.Evidence[j].Value
		})
		d.Confidence = confidence(a)
		d.Present = a.kinds[KindClass] || a.kinds[KindComponent] || a.kinds[KindNativeLib]
		d.Obfuscated = d.Present && renamed && m.hasCode[ei] && a.classes == 0
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Renamed reports whether a list of class names shows renaming by an
// obfuscator (ProGuard, R8, DexGuard): at least 20 classes, or 2% of them,
// in packages whose every segment has one or two letters ("a.a.b", "o").
func Renamed(classes []string) bool {
	n := 0
	for _, c := range classes {
		if RenamedPackage(c) {
			n++
		}
	}
	return n >= 20 || n > 0 && n*50 >= len(classes)
}

// RenamedPackage reports whether the package of the dotted class name looks
// renamed: every segment of it has at most two characters ("a.b.c.D",
// "o.cc"). A class in the default package counts when its own name is that
// short too.
func RenamedPackage(class string) bool {
	i := strings.LastIndexByte(class, '.')
	if i < 0 {
		j := strings.IndexByte(class, '$')
		if j < 0 {
			j = len(class)
		}
		return j > 0 && j <= 2
	}
	for _, s := range strings.Split(class[:i], ".") {
		if len(s) == 0 || len(s) > 2 {
			return false
		}
	}
	return true
}

// HostOwner returns the id of the SDK whose network signature the host (or
// URL) matches, checking the host and each parent domain ("log.umeng.com"
// → the entry listing "umeng.com"). It is the lookup runtime evidence uses
// to tell which SDK a connection belongs to.
func (m *Matcher) HostOwner(host string) (string, bool) {
	h := hostOnly(host)
	for s := h; s != ""; {
		if e, ok := m.hosts[s]; ok {
			return m.c.entries[e].ID, true
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	return "", false
}

// Claims reports whether the dotted package prefix equals or encloses a
// package or class signature of some SDK ("cn.jiguang" when an entry lists
// "cn.jiguang.verifysdk").
func (m *Matcher) Claims(prefix string) bool {
	return m.lookup(hashString(prefix), prefix) != nil
}

// hostOnly reduces "https://API.Example.com:443/path" to "api.example.com".
func hostOnly(h string) string {
	if _, rest, ok := strings.Cut(h, "://"); ok {
		h = rest
	}
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if i := strings.LastIndexByte(h, '@'); i >= 0 {
		h = h[i+1:]
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h, "]") {
		h = h[:i]
	}
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

// suffixMatch finds the "*.pkg.Class" component pattern that name ends with.
func (m *Matcher) suffixMatch(name string) (suffixPat, bool) {
	sps, ok := m.compSuf[name[strings.LastIndexByte(name, '.')+1:]]
	if !ok {
		return suffixPat{}, false
	}
	for _, sp := range sps {
		if strings.HasSuffix(name, sp.suffix) {
			return sp, true
		}
	}
	return suffixPat{}, false
}

func kindRank(k string) int {
	switch k {
	case KindClass:
		return 0
	case KindReference:
		return 1
	case KindComponent:
		return 2
	case KindNativeLib:
		return 3
	case KindMetaData:
		return 4
	case KindHost:
		return 5
	case KindCallback:
		return 6
	case KindConfirmed:
		return 7
	}
	return 8
}

// confidence grades the evidence: many defined classes, or some classes
// with an independent trace, or two independent non-code traces → high; a few
// classes, a reference, a component, a library or a meta-data key → medium;
// only hosts or strings → low.
func confidence(a *acc) string {
	structural := 0
	for _, k := range []string{KindComponent, KindNativeLib, KindMetaData} {
		if a.kinds[k] {
			structural++
		}
	}
	switch {
	case a.classes >= highClassCount:
		return High
	case a.classes > 0 && structural > 0:
		return High
	case structural >= 2:
		return High
	case a.classes > 0 || structural > 0 || a.kinds[KindReference]:
		return Medium
	}
	return Low
}

// stringAsPackage turns a string constant that looks like a Java package or
// class name ("cn.jpush.android", "com/umeng/analytics/X", "Lcom/foo;") into
// dotted form, or returns "".
func stringAsPackage(s string) string {
	if len(s) < 5 || len(s) > 200 {
		return ""
	}
	if s[0] == 'L' && s[len(s)-1] == ';' { // a type descriptor: Lcom/foo/Bar;
		s = s[1 : len(s)-1]
	}
	if strings.IndexByte(s, '/') >= 0 {
		s = strings.ReplaceAll(s, "/", ".")
	}
	if strings.IndexByte(s, '.') < 0 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '.' || c == '$' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return ""
		}
	}
	return s
}

// relocGeneric are package segments too common to start a relocated tail.
var relocGeneric = map[string]bool{
	"android": true, "androidx": true, "google": true, "support": true, "sdk": true, "common": true, "core": true,
	"lib": true, "libs": true, "api": true, "util": true, "utils": true, "base": true, "net": true, "http": true,
	"app": true, "apps": true, "mobile": true, "internal": true, "io": true, "data": true, "service": true,
	"ui": true, "open": true, "opensdk": true, "client": true, "framework": true, "module": true, "plugin": true,
	"java": true, "kotlin": true, "org": true, "com": true, "cn": true, "v4": true, "v7": true,
}

// relocTail returns the tail of a package signature that a relocated copy
// keeps ("qiniu.android.storage" of "com.qiniu.android.storage") and its
// first segment, when the tail has at least two segments and does not
// start with a generic word.
func relocTail(p string) (tail, first string, ok bool) {
	i := strings.IndexByte(p, '.')
	if i < 0 {
		return "", "", false
	}
	tail = p[i+1:]
	j := strings.IndexByte(tail, '.')
	if j < 0 {
		return "", "", false
	}
	first = tail[:j]
	if len(first) < 3 || relocGeneric[first] {
		return "", "", false
	}
	return tail, first, true
}

// relocated finds a signature tail inside a class name after at least two
// segments of another package ("cn.jmessage.support" + "qiniu.android.storage"
// + ".UploadManager") and returns the relocated root (the name up to the
// end of the tail) and the pattern, or -1. It does not allocate.
func (m *Matcher) relocated(name string) (string, int32) { return m.relocatedFrom(name, 0) }

// relocatedFrom is relocated for a tail that starts at or after byte from
// (the end of the SDK prefix a class already matched: only a copy below it
// is another SDK's).
func (m *Matcher) relocatedFrom(name string, from int) (string, int32) {
	if len(m.reloc) == 0 {
		return "", -1
	}
	dots := 0
	for i := 0; i < len(name); i++ {
		if name[i] != '.' {
			continue
		}
		dots++
		if dots < 2 || i < from {
			continue
		}
		start := i + 1
		end := strings.IndexByte(name[start:], '.')
		if end < 0 {
			return "", -1
		}
		if !m.relocFirst[name[start:start+end]] {
			continue
		}
		// each longer tail from this start: "qiniu.android", "qiniu.android.storage" …; the longest wins
		root, best := "", int32(-1)
		for k := start + end; k < len(name); {
			next := strings.IndexByte(name[k+1:], '.')
			if next < 0 {
				break // the rest is the class name
			}
			k += 1 + next
			if p, ok := m.reloc[name[start:k]]; ok {
				root, best = name[:k], p
			}
		}
		if best >= 0 {
			return root, best
		}
	}
	return "", -1
}

func underAny(class string, roots []string) bool {
	for _, r := range roots {
		if strings.HasPrefix(class, r) && (len(class) == len(r) || class[len(r)] == '.' || class[len(r)] == '$') {
			return true
		}
	}
	return false
}
