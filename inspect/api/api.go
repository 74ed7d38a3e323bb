// Package api is AppInspect's catalog of sensitive Android framework and SDK
// APIs that read personal information — the methods that runtime-hook privacy
// checkers (camille, Frida/Xposed "隐私合规检测" tools) watch — together with the
// string constants that reveal the same access statically: content-provider
// URIs (content://sms …), setting and system-property names ("android_id") and
// method names used for reflection.
//
// A static analyser looks up each invoke (and static-field read) it finds in
// DEX code with [Matcher.MatchInvoke], and each string constant with
// [Matcher.MatchString]. String matches are weaker evidence than invokes: the
// string may never reach the API.
package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/appinspect/appinspect/inspect/pi"
)

// Kinds of evidence an API entry describes.
const (
	// KindMethod is a method invocation of Class.Method.
	KindMethod = "method"
	// KindField is a read of the static field Class.Method (e.g. Build.SERIAL).
	KindField = "field"
	// KindContentURI is a content-provider URI prefix (Value) passed to
	// ContentResolver.query and friends.
	KindContentURI = "content_uri"
	// KindSetting is a setting or system-property name (Value) passed to
	// Class.Method, e.g. "android_id" to Settings.Secure.getString.
	KindSetting = "setting"
	// KindReflection is a method name (Value) appearing as a string, as when
	// the method is called through reflection; the weakest evidence.
	KindReflection = "reflection"
)

// API describes one sensitive API or string constant.
type API struct {
	// ID is a stable identifier, e.g. "telephony.getDeviceId".
	ID string `json:"id"`
	// Class is the declaring class in dotted binary form
	// ("android.telephony.TelephonyManager", "android.provider.Settings$Secure").
	Class string `json:"class"`
	// Method is the method (or, for KindField, the field) name.
	Method string `json:"method"`
	// Proto is the DEX method descriptor, e.g. "(I)Ljava/lang/String;", when
	// overloads differ in meaning; empty matches any overload.
	Proto string `json:"proto,omitempty"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Value is the string constant for KindContentURI, KindSetting and KindReflection.
	Value string `json:"value,omitempty"`
	// Category is the personal information the API reads.
	Category pi.Category `json:"category"`
	// Permission is the permission that guards it, if any.
	Permission string `json:"permission,omitempty"`
	// ZH says in Chinese what it reads, e.g. "读取 IMEI".
	ZH string `json:"zh"`
	// EN says in English what it reads.
	EN string `json:"en"`
	// MinAPI is the API level that introduced it, when it matters.
	MinAPI int `json:"min_api,omitempty"`
	// MaxAPI is the last API level on which it returns real data to ordinary apps, when it matters.
	MaxAPI int `json:"max_api,omitempty"`
	// Note qualifies the evidence (weak signals, version behaviour).
	Note string `json:"note,omitempty"`
}

//go:embed apis.json
var catalogJSON []byte

type catalog struct {
	Source string `json:"source"`
	APIs   []API  `json:"apis"`
}

type loaded struct {
	source string
	apis   []API
	m      *Matcher
	err    error
}

var load = sync.OnceValue(func() *loaded {
	var c catalog
	if err := json.Unmarshal(catalogJSON, &c); err != nil {
		return &loaded{err: fmt.Errorf("api: decode catalog: %w", err), m: NewMatcher(nil)}
	}
	slices.SortFunc(c.APIs, func(a, b API) int { return strings.Compare(a.ID, b.ID) })
	return &loaded{source: c.Source, apis: c.APIs, m: NewMatcher(c.APIs)}
})

// Err reports whether the embedded catalog failed to decode; when it did,
// All is empty and Index matches nothing.
func Err() error { return load().err }

// Source describes the provenance of the catalog.
func Source() string { return load().source }

// All returns every catalog entry, sorted by ID.
func All() []API { return slices.Clone(load().apis) }

// Index returns the matcher over the embedded catalog. It is built once and
// safe for concurrent use.
func Index() *Matcher { return load().m }

type invokeKey struct{ class, method string }

// filter is a one-probe Bloom filter over a cheap fingerprint of a pair of
// strings (their lengths and end bytes). It rejects almost every miss
// without hashing the strings.
type filter [1 << 16 / 64]uint64

func fingerprint(a, b string) uint16 {
	h := uint32(len(a))*0x9E37 ^ uint32(len(b))*0x85EB
	if len(a) > 0 {
		h ^= uint32(a[len(a)-1]) << 5
	}
	if len(b) > 0 {
		h ^= uint32(b[0])<<9 ^ uint32(b[len(b)-1])<<1
	}
	h ^= h >> 16
	return uint16(h)
}

func (f *filter) add(a, b string) {
	k := fingerprint(a, b)
	f[k>>6] |= 1 << (k & 63)
}

func (f *filter) has(a, b string) bool {
	k := fingerprint(a, b)
	return f[k>>6]&(1<<(k&63)) != 0
}

// Matcher finds catalog entries for invokes and string constants. The zero
// value matches nothing; build one with NewMatcher or use Index.
type Matcher struct {
	invoke map[invokeKey][]API
	inv    filter
	exact  map[string][]API
	str    filter
	uris   map[string][]API // authority → content-URI entries, longest Value first
	minLen int
	maxLen int
	first  [256]bool // first bytes of exact strings
}

const contentScheme = "content://"

// NewMatcher builds a matcher over apis. Method and field entries are found
// by MatchInvoke; content-URI, setting and reflection entries by MatchString.
func NewMatcher(apis []API) *Matcher {
	m := &Matcher{
		invoke: map[invokeKey][]API{},
		exact:  map[string][]API{},
		uris:   map[string][]API{},
	}
	for _, a := range apis {
		switch a.Kind {
		case KindMethod, KindField:
			k := invokeKey{a.Class, a.Method}
			m.invoke[k] = append(m.invoke[k], a)
			m.inv.add(a.Class, a.Method)
		case KindContentURI:
			auth := authority(a.Value)
			m.uris[auth] = append(m.uris[auth], a)
		case KindSetting, KindReflection:
			if a.Value == "" {
				continue
			}
			m.exact[a.Value] = append(m.exact[a.Value], a)
			n := len(a.Value)
			if m.minLen == 0 || n < m.minLen {
				m.minLen = n
			}
			m.maxLen = max(m.maxLen, n)
			m.first[a.Value[0]] = true
			m.str.add("", a.Value)
		}
	}
	for _, list := range m.uris {
		slices.SortStableFunc(list, func(a, b API) int { return len(b.Value) - len(a.Value) })
	}
	return m
}

// MatchInvoke reports the entry for an invoke of class.method (dotted class
// name, as in API.Class) with DEX descriptor proto, or for a read of the
// static field class.method. An entry whose Proto equals proto wins over one
// that matches any overload; proto may be empty when unknown, in which case
// only any-overload entries match. It does not allocate.
func (m *Matcher) MatchInvoke(class, method, proto string) (API, bool) {
	if !m.inv.has(class, method) {
		return API{}, false
	}
	list, ok := m.invoke[invokeKey{class, method}]
	if !ok {
		return API{}, false
	}
	var general API
	found := false
	for _, a := range list {
		if a.Proto == "" {
			if !found {
				general, found = a, true
			}
		} else if proto != "" && a.Proto == proto {
			return a, true
		}
	}
	return general, found
}

// MatchString reports the entries a string constant points to: the most
// specific content-URI entry whose URI is a prefix of s (ending at s's end or
// at a '/', '?' or '#'), or the setting and reflection entries whose Value
// equals s. Most strings are rejected without hashing; misses do not allocate.
func (m *Matcher) MatchString(s string) []API {
	n := len(s)
	if n == 0 {
		return nil
	}
	if n > len(contentScheme) && s[0] == 'c' && strings.HasPrefix(s, contentScheme) {
		return m.matchURI(s)
	}
	if n < m.minLen || n > m.maxLen || !m.first[s[0]] || !m.str.has("", s) {
		return nil
	}
	if list, ok := m.exact[s]; ok {
		return slices.Clone(list)
	}
	return nil
}

func (m *Matcher) matchURI(s string) []API {
	for _, a := range m.uris[authority(s)] {
		if !strings.HasPrefix(s, a.Value) {
			continue
		}
		if rest := s[len(a.Value):]; rest == "" || rest[0] == '/' || rest[0] == '?' || rest[0] == '#' {
			return []API{a}
		}
	}
	return nil
}

// authority returns the authority of a content URI ("sms" for
// "content://sms/inbox"), or "" when s is not one.
func authority(s string) string {
	if !strings.HasPrefix(s, contentScheme) {
		return ""
	}
	rest := s[len(contentScheme):]
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}
