package inspect

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/appinspect/appinspect/inspect/api"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/packer"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// Detector holds the catalogs a scan matches against: SDK signatures,
// sensitive APIs and packers. Build it once and share it between scans; it
// is safe for concurrent use.
type Detector struct {
	catalog *sdk.Catalog
	sdks    *sdk.Matcher
	apis    []api.API
	apiM    *api.Matcher
	apiIdx  map[string]int         // API id → index in apis
	entries map[classMethod]string // entry point → SDK id
	classes map[string]bool        // every class a sensitive API or entry point belongs to
	generic []bool                 // API index → a generic method whose meaning depends on a setting-name argument
}

var (
	defaultOnce sync.Once
	defaultDet  *Detector
	defaultErr  error
)

// DefaultDetector returns the detector built from the embedded catalogs and
// the user's catalog extension, if LoadDetector was not used.
func DefaultDetector() (*Detector, error) {
	defaultOnce.Do(func() { defaultDet, defaultErr = NewDetector("") })
	return defaultDet, defaultErr
}

// NewDetector builds a detector from the embedded catalogs merged with the
// SDK catalog extension file at extPath ("" for none).
func NewDetector(extPath string) (*Detector, error) {
	cat, err := sdk.Load(extPath)
	if err != nil {
		return nil, fmt.Errorf("sdk catalog: %w", err)
	}
	d := &Detector{catalog: cat, sdks: cat.Matcher(), apis: api.All(), apiM: api.Index(),
		entries: map[classMethod]string{}, classes: map[string]bool{}}
	d.apiIdx = make(map[string]int, len(d.apis))
	for i, a := range d.apis {
		d.apiIdx[a.ID] = i
		if a.Kind == "method" || a.Kind == "field" {
			d.classes[a.Class] = true
		}
	}
	settings := map[string]bool{}
	for _, a := range d.apis {
		if a.Kind == "setting" {
			settings[a.Class+"."+a.Method] = true
		}
	}
	d.generic = make([]bool, len(d.apis))
	for i, a := range d.apis {
		d.generic[i] = a.Kind == "method" && settings[a.Class+"."+a.Method]
	}
	for _, e := range cat.Entries() {
		for _, ep := range d.sdks.EntryPoints(e.ID) {
			d.entries[classMethod{ep.Class, ep.Method}] = e.ID
			d.classes[ep.Class] = true
		}
	}
	return d, nil
}

// Catalog returns the SDK catalog the detector uses.
func (d *Detector) Catalog() *sdk.Catalog { return d.catalog }

func (d *Detector) matchInvoke(class, method, proto string) (int, string) {
	idx := -1
	if a, ok := d.apiM.MatchInvoke(class, method, proto); ok {
		idx = d.apiIdx[a.ID]
	}
	return idx, d.entries[classMethod{class, method}]
}

// classMethod names a method without its prototype.
type classMethod struct{ class, method string }

func (d *Detector) matchString(s string) []int {
	ms := d.apiM.MatchString(s)
	if len(ms) == 0 {
		return nil
	}
	out := make([]int, 0, len(ms))
	for _, a := range ms {
		out = append(out, d.apiIdx[a.ID])
	}
	return out
}

// owner names who a class belongs to: an SDK id or OwnerApp.
func (d *Detector) owner(class string) string {
	if id := d.sdks.OwnerOf(class); id != "" {
		return id
	}
	return OwnerApp
}

// detect fills r.SDKs, r.APIs and r.Packers.
func (d *Detector) detect(a *apk.Archive, m *apk.Manifest, code *codeFacts, r *Result, maxCallers int) {
	if maxCallers <= 0 {
		maxCallers = 100
	}
	in := sdk.Input{Classes: code.classes, Strings: code.strs}
	for _, c := range m.Components {
		in.Components = append(in.Components, c.Name)
	}
	for _, l := range r.NativeLibs {
		in.NativeLibs = append(in.NativeLibs, l.Name)
	}
	for _, md := range m.MetaData {
		in.MetaDataKeys = append(in.MetaDataKeys, md.Name)
	}
	for _, e := range r.Endpoints {
		in.Hosts = append(in.Hosts, e.Host)
	}
	slices.Sort(in.Hosts)
	in.Hosts = slices.Compact(in.Hosts)

	// Sensitive API call sites, grouped by API, each attributed to its owner.
	byAPI := map[int]*APIUse{}
	used := map[string][]Caller{}
	type siteKey struct {
		api           int
		entry         string
		class, method string
	}
	seen := map[siteKey]bool{}
	for _, h := range code.hits {
		c := Caller{Class: h.callerClass, Method: h.callerMethod, Owner: d.owner(h.callerClass)}
		if h.entry != "" && c.Owner != h.entry {
			key := siteKey{api: -1, entry: h.entry, class: c.Class, method: c.Method}
			if !seen[key] {
				seen[key] = true
				used[h.entry] = append(used[h.entry], c)
			}
		}
		if h.api < 0 {
			continue
		}
		u := byAPI[h.api]
		if u == nil {
			x := d.apis[h.api]
			u = &APIUse{ID: x.ID, Category: x.Category, Class: x.Class, Method: x.Method, Kind: x.Kind,
				Permission: x.Permission, ZH: x.ZH, EN: x.EN, Weak: true}
			byAPI[h.api] = u
		}
		if !h.weak {
			u.Weak = false
		}
		key := siteKey{api: h.api, class: c.Class, method: c.Method}
		if seen[key] {
			continue
		}
		seen[key] = true
		u.Callers = append(u.Callers, c)
	}
	sdkAPIs := map[string][]string{}
	for _, u := range byAPI {
		slices.SortFunc(u.Callers, compareCallers)
		owners := map[string]bool{}
		for _, c := range u.Callers {
			owners[c.Owner] = true
		}
		for o := range owners {
			u.Owners = append(u.Owners, o)
			if o != OwnerApp {
				sdkAPIs[o] = append(sdkAPIs[o], u.ID)
			}
		}
		slices.Sort(u.Owners)
		if len(u.Callers) > maxCallers {
			u.Truncated = len(u.Callers) - maxCallers
			u.Callers = u.Callers[:maxCallers]
		}
		r.APIs = append(r.APIs, *u)
	}
	slices.SortFunc(r.APIs, func(x, y APIUse) int { return strings.Compare(x.ID, y.ID) })

	for _, det := range d.sdks.Detect(in) {
		s := SDK{ID: det.ID, Name: det.Name, NameZH: det.NameZH, Vendor: det.Vendor, VendorZH: det.VendorZH, Category: det.Category,
			Confidence: det.Confidence, Obfuscated: det.Obfuscated, Evidence: det.Evidence}
		if e, ok := d.catalog.Get(det.ID); ok {
			s.Collects = e.Collects
		}
		s.UsedBy = used[det.ID]
		slices.SortFunc(s.UsedBy, compareCallers)
		s.Used = len(s.UsedBy) > 0
		s.APIs = sdkAPIs[det.ID]
		slices.Sort(s.APIs)
		r.SDKs = append(r.SDKs, s)
	}

	pin := packer.Input{Classes: code.classes, ApplicationClass: m.Application.ClassName, DexSizes: code.dexSizes}
	for _, e := range a.Entries() {
		pin.Files = append(pin.Files, e.Name)
	}
	r.Packers = packer.Detect(pin)
	for _, p := range r.Packers {
		r.Warnings = append(r.Warnings, fmt.Sprintf("packed by %s: the static SDK and API evidence is incomplete; collect device evidence", p.Vendor))
	}
}

func compareCallers(x, y Caller) int {
	if c := strings.Compare(x.Class, y.Class); c != 0 {
		return c
	}
	return strings.Compare(x.Method, y.Method)
}
