// Package sdk holds AppInspect's catalog of third-party SDKs (push, analytics,
// ads, maps, payment, one-tap login …) and a one-pass matcher that tells which
// of them an app contains, from its dex classes, manifest components, native
// libraries, meta-data keys, hosts and strings.
//
// The catalog is embedded (catalog.json, generated from the reference lists in
// ../shared/catalogs plus AppInspect's own additions by `go generate`) and can
// be extended without a release by a user file with the same entry schema.
package sdk

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/appinspect/appinspect/inspect/pi"
)

//go:generate go run ./internal/gen -shared ../../../shared/catalogs -policies ../../../shared/fixtures/policies/real -out catalog.json

//go:embed catalog.json
var embedded []byte

// ErrInvalidCatalog is returned (wrapped) when a catalog or extension file
// fails validation; the wrapping error lists every problem found.
var ErrInvalidCatalog = errors.New("invalid sdk catalog")

// Category is the closed list of SDK kinds.
type Category string

// The SDK categories.
const (
	CatPush        Category = "push"
	CatAnalytics   Category = "analytics"
	CatCrash       Category = "crash"
	CatAds         Category = "ads"
	CatMaps        Category = "maps"
	CatLocation    Category = "location"
	CatSocial      Category = "social"
	CatPayment     Category = "payment"
	CatLogin       Category = "login"
	CatOAID        Category = "oaid"
	CatSecurity    Category = "security"
	CatNetwork     Category = "network"
	CatImage       Category = "image"
	CatMedia       Category = "media"
	CatUI          Category = "ui"
	CatDevelopment Category = "development"
	CatFramework   Category = "framework"
	CatDatabase    Category = "database"
	CatWebView     Category = "webview"
	CatIM          Category = "im"
	CatRTC         Category = "rtc"
	CatGame        Category = "game"
	CatIdentity    Category = "identity" // real-name and face verification
	CatVoice       Category = "voice"
	CatAI          Category = "ai"
	CatCloud       Category = "cloud"
	CatHotfix      Category = "hotfix"
	CatCustomer    Category = "customer_service"
	CatUtility     Category = "utility"
	CatOther       Category = "other"
)

var categories = []Category{
	CatPush, CatAnalytics, CatCrash, CatAds, CatMaps, CatLocation, CatSocial, CatPayment,
	CatLogin, CatOAID, CatSecurity, CatNetwork, CatImage, CatMedia, CatUI, CatDevelopment,
	CatFramework, CatDatabase, CatWebView, CatIM, CatRTC, CatGame, CatIdentity, CatVoice,
	CatAI, CatCloud, CatHotfix, CatCustomer, CatUtility, CatOther,
}

// Categories returns the closed list of SDK categories.
func Categories() []Category { return slices.Clone(categories) }

// ValidCategory reports whether c is in the closed list.
func ValidCategory(c Category) bool { return slices.Contains(categories, c) }

// Vendor names the company behind an SDK.
type Vendor struct {
	ZH string `json:"zh,omitempty"`
	EN string `json:"en,omitempty"`
}

// Signatures are the static traces an SDK leaves in an APK.
type Signatures struct {
	// Packages are dotted package prefixes matched on segment boundaries
	// ("cn.jpush.android" matches cn.jpush.android.api.JPushInterface).
	Packages []string `json:"packages,omitempty"`
	// Classes are fully qualified class names; a class also matches its
	// inner classes (Name$Inner).
	Classes []string `json:"classes,omitempty"`
	// Components are manifest component class names. A leading "*" makes
	// a suffix pattern ("*.wxapi.WXEntryActivity") that also matches the
	// app's own classes of that name (callbacks an SDK requires).
	Components []string `json:"components,omitempty"`
	// NativeLibs are native library file names; one "*" may stand for a
	// variable middle part ("libjcore*.so").
	NativeLibs []string `json:"native_libs,omitempty"`
	// MetaData are <meta-data android:name> keys (JPUSH_APPKEY).
	MetaData []string `json:"meta_data,omitempty"`
	// Hosts are host names; a host also matches its sub-domains.
	Hosts []string `json:"hosts,omitempty"`
}

// MethodSig names a method by declaring class and name. An empty Descriptor
// means any overload.
type MethodSig struct {
	Class      string `json:"class"`
	Method     string `json:"method"`
	Descriptor string `json:"descriptor,omitempty"`
}

// String returns Class.Method.
func (m MethodSig) String() string { return m.Class + "." + m.Method }

// Source records where a field's value comes from.
type Source struct {
	Field  string `json:"field"`            // "signatures.packages", "collects", "*" for the whole entry …
	Source string `json:"source"`           // "exodus-etip", "libchecker", "libradar", "appinspect", a policy file …
	Ref    string `json:"ref,omitempty"`    // row, tracker name or section
	Reason string `json:"reason,omitempty"` // why, for own additions and decisions
}

// Entry is one SDK.
type Entry struct {
	ID          string        `json:"id"`
	NameZH      string        `json:"name_zh,omitempty"`
	NameEN      string        `json:"name_en,omitempty"`
	Vendor      Vendor        `json:"vendor"`
	Category    Category      `json:"category"`
	Website     string        `json:"website,omitempty"`
	Parent      string        `json:"parent,omitempty"` // id of the enclosing SDK whose signatures nest this one's
	Signatures  Signatures    `json:"signatures"`
	EntryPoints []MethodSig   `json:"entry_points,omitempty"`
	Collects    []pi.Category `json:"collects,omitempty"`
	Sources     []Source      `json:"sources,omitempty"`
}

// Name returns the English name, or the Chinese one when there is none.
func (e *Entry) Name() string {
	if e.NameEN != "" {
		return e.NameEN
	}
	return e.NameZH
}

// SourceInfo describes one input of the catalog.
type SourceInfo struct {
	ID      string `json:"id"`
	File    string `json:"file"`
	Licence string `json:"licence"`
	Credit  string `json:"credit"`
	Rows    int    `json:"rows,omitempty"`
}

// File is the on-disk form of a catalog (catalog.json) and of a user
// extension file (which may leave out everything but Entries).
type File struct {
	Version   string         `json:"version,omitempty"`
	Generated string         `json:"generated,omitempty"`
	Sources   []SourceInfo   `json:"sources,omitempty"`
	Stats     map[string]int `json:"stats,omitempty"`
	Entries   []Entry        `json:"entries"`
}

// Catalog is an immutable, validated set of SDK entries.
type Catalog struct {
	Version   string
	Generated string
	Sources   []SourceInfo
	Stats     map[string]int

	entries []Entry        // sorted by ID
	byID    map[string]int // index into entries

	matcherOnce sync.Once
	matcher     *Matcher

	resolverOnce sync.Once
	resolver     *Resolver
}

var loadEmbedded = sync.OnceValues(func() (*File, error) {
	var f File
	if err := decodeStrict(embedded, &f); err != nil {
		return nil, fmt.Errorf("sdk: embedded catalog: %w", err)
	}
	return &f, nil
})

func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Embedded returns the catalog built into the binary.
func Embedded() (*Catalog, error) { return Load("") }

// Load returns the embedded catalog merged with the extension file at extPath
// (none when extPath is ""). An extension entry with the id of an embedded
// entry replaces it; others are added. An invalid extension yields an error
// wrapping ErrInvalidCatalog that lists each problem with file, entry index
// and field.
func Load(extPath string) (*Catalog, error) {
	base, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	entries := slices.Clone(base.Entries)
	if extPath != "" {
		ext, probs := readExtension(extPath)
		if len(probs) == 0 {
			probs = checkMerge(base.Entries, ext, extPath)
		}
		if len(probs) > 0 {
			return nil, problemsError(probs)
		}
		entries = merge(entries, ext)
	}
	return newCatalog(base, entries), nil
}

// Parse builds a catalog from a complete catalog document (the schema of
// catalog.json), validating it with Lint. It lets tools and tests check a
// catalog other than the embedded one.
func Parse(r io.Reader) (*Catalog, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("sdk: read catalog: %w", err)
	}
	var f File
	if err := decodeStrict(b, &f); err != nil {
		return nil, fmt.Errorf("sdk: decode catalog: %w", err)
	}
	if probs := Lint(f.Entries, "catalog"); len(probs) > 0 {
		return nil, problemsError(probs)
	}
	return newCatalog(&f, f.Entries), nil
}

func newCatalog(meta *File, entries []Entry) *Catalog {
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	c := &Catalog{
		Version:   meta.Version,
		Generated: meta.Generated,
		Sources:   slices.Clone(meta.Sources),
		Stats:     meta.Stats,
		entries:   entries,
		byID:      make(map[string]int, len(entries)),
	}
	for i := range entries {
		c.byID[entries[i].ID] = i
	}
	return c
}

func merge(base, ext []Entry) []Entry {
	idx := make(map[string]int, len(base))
	for i := range base {
		idx[base[i].ID] = i
	}
	for _, e := range ext {
		if i, ok := idx[e.ID]; ok {
			base[i] = e
			continue
		}
		idx[e.ID] = len(base)
		base = append(base, e)
	}
	return base
}

// Entries returns a copy of every entry, sorted by ID.
func (c *Catalog) Entries() []Entry { return slices.Clone(c.entries) }

// Len returns the number of entries.
func (c *Catalog) Len() int { return len(c.entries) }

// Get returns the entry with the given id.
func (c *Catalog) Get(id string) (Entry, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Export writes the catalog, extension entries included, as indented JSON in
// the catalog.json schema.
func (c *Catalog) Export(w io.Writer) error {
	f := File{Version: c.Version, Generated: c.Generated, Sources: c.Sources, Stats: c.Stats, Entries: c.entries}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("sdk: export: %w", err)
	}
	return nil
}

// Check validates the extension file at path against c without loading it:
// syntax, schema, each entry's fields, and signature collisions with the
// entries of c that it does not replace. It returns nil when the file is fine.
func (c *Catalog) Check(path string) []Problem {
	ext, probs := readExtension(path)
	if len(probs) > 0 {
		return probs
	}
	return checkMerge(c.entries, ext, path)
}

func readExtension(path string) ([]Entry, []Problem) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, []Problem{{File: path, Index: -1, Message: fmt.Sprintf("read: %v", err)}}
	}
	var f File
	if err := decodeStrict(b, &f); err != nil {
		return nil, []Problem{{File: path, Index: -1, Message: fmt.Sprintf("decode JSON: %v", jsonErrorDetail(b, err))}}
	}
	if len(f.Entries) == 0 {
		return nil, []Problem{{File: path, Index: -1, Field: "entries", Message: "no entries"}}
	}
	return f.Entries, nil
}

func jsonErrorDetail(b []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 {
		return err.Error()
	}
	line := 1 + bytes.Count(b[:min(int(off), len(b))], []byte("\n"))
	return fmt.Sprintf("line %d: %v", line, err)
}
