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

// libraryOnly reports whether an SDK is a general-purpose library (code
// any app or SDK calls: development, UI, image, network …), not a third
// party processing personal information on its own account.
func (d *Detector) libraryOnly(id string) bool {
	e, ok := d.catalog.Get(id)
	if !ok {
		return false
	}
	switch e.Category {
	case sdk.CatDevelopment, sdk.CatUI, sdk.CatImage, sdk.CatFramework, sdk.CatDatabase, sdk.CatNetwork,
		sdk.CatUtility, sdk.CatMedia, sdk.CatWebView, sdk.CatOther:
		return true
	}
	return false
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

// detect fills r.SDKs, r.APIs and r.Packers.
func (d *Detector) detect(a *apk.Archive, m *apk.Manifest, code *codeFacts, r *Result, maxCallers int) {
	if maxCallers <= 0 {
		maxCallers = 100
	}
	pin := packer.Input{Classes: code.classes, ApplicationClass: m.Application.ClassName, DexSizes: code.dexSizes}
	for _, e := range a.Entries() {
		pin.Files = append(pin.Files, e.Name)
	}
	r.Packers = packer.Detect(pin)

	own := newOwnership(d.sdks, code.classes, m)
	own.generic = d.libraryOnly
	r.AppNamespaces = slices.Clone(own.app)
	in := sdk.Input{Strings: code.strs, AppNamespaces: own.app}
	defined := make(map[string]bool, len(code.classes))
	for _, c := range code.classes {
		defined[c] = true
	}
	if len(code.edges) > 0 {
		own.attributeRenamed(code.edges, defined)
	}
	third := map[string]*ThirdPartyCode{}
	for _, c := range code.classes {
		o := own.of(c)
		switch o.kind {
		case OwnerKindApp:
			if d.sdks.OwnerOf(c) != "" {
				continue // the app's own class under an SDK's prefix is not the SDK's code
			}
		case OwnerKindThirdParty:
			t := third[o.id]
			if t == nil {
				t = &ThirdPartyCode{Root: o.id, Renamed: sdk.RenamedPackage(c)}
				third[o.id] = t
			}
			t.Classes++
		}
		in.Classes = append(in.Classes, c)
	}
	for _, t := range third {
		r.ThirdParty = append(r.ThirdParty, *t)
	}
	slices.SortFunc(r.ThirdParty, func(x, y ThirdPartyCode) int { return strings.Compare(x.Root, y.Root) })
	// A component is the SDK's evidence when its class is in the code (a
	// declaration left in the manifest is not), or when the code cannot be
	// read (none, or packed), and it is not the app's own class.
	trustDecl := len(code.classes) == 0 || len(r.Packers) > 0
	for _, c := range m.Components {
		if !trustDecl && !defined[c.Name] {
			continue
		}
		if d.sdks.OwnerOf(c.Name) != "" && own.of(c.Name).kind == OwnerKindApp {
			continue
		}
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
		o := own.of(h.callerClass)
		c := Caller{Class: h.callerClass, Method: h.callerMethod, Owner: o.id, OwnerKind: o.kind}
		if h.entry != "" && c.OwnerKind == OwnerKindApp {
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
	// Calls from the app's own code into an SDK's classes also mark it used
	// (an SDK without catalog entry points, or called past them).
	for _, sc := range code.sdkCalls {
		o := own.of(sc.class)
		if o.kind != OwnerKindApp {
			continue
		}
		key := siteKey{api: -1, entry: sc.sdk, class: sc.class, method: sc.method}
		if !seen[key] {
			seen[key] = true
			used[sc.sdk] = append(used[sc.sdk], Caller{Class: sc.class, Method: sc.method, Owner: o.id, OwnerKind: o.kind})
		}
	}
	sdkAPIs := map[string][]string{}
	for _, u := range byAPI {
		slices.SortFunc(u.Callers, compareCallers)
		owners := map[string]string{}
		for _, c := range u.Callers {
			owners[c.Owner] = c.OwnerKind
		}
		for o, kind := range owners {
			u.Owners = append(u.Owners, o)
			if kind == OwnerKindSDK {
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

	dets := d.sdks.Detect(in)
	names := map[string][2]string{}
	for _, det := range dets {
		names[det.ID] = [2]string{det.Name, firstNonEmpty(det.NameZH, det.Name)}
	}
	for _, det := range dets {
		s := SDK{ID: det.ID, Name: det.Name, NameZH: det.NameZH, Vendor: det.Vendor, VendorZH: det.VendorZH, Category: det.Category,
			Confidence: det.Confidence, Present: det.Present, Obfuscated: det.Obfuscated, Evidence: det.Evidence}
		if e, ok := d.catalog.Get(det.ID); ok {
			s.Collects = e.Collects
		}
		s.UsedBy = used[det.ID]
		slices.SortFunc(s.UsedBy, compareCallers)
		s.Used = len(s.UsedBy) > 0
		s.APIs = sdkAPIs[det.ID]
		slices.Sort(s.APIs)
		if !s.Present {
			d.explainMention(&s, code.supers, own, names)
			r.SDKMentions = append(r.SDKMentions, s)
			continue
		}
		r.SDKs = append(r.SDKs, s)
	}
	for _, p := range r.Packers {
		r.Warnings = append(r.Warnings, fmt.Sprintf("packed by %s: the static SDK and API evidence is incomplete; collect device evidence", p.Vendor))
	}
}

// explainMention notes what a mention's evidence means. The app's own
// callback class (pkg.wxapi.WXEntryActivity) without the SDK's code is the
// WeChat login or share of another SDK, named by the callback's superclass.
func (d *Detector) explainMention(s *SDK, supers map[string]string, own *ownership, names map[string][2]string) {
	var callbacks []string
	for _, ev := range s.Evidence {
		if ev.Kind == sdk.KindCallback {
			callbacks = append(callbacks, ev.Examples...)
		}
	}
	if len(callbacks) == 0 {
		s.Note = "named only by strings, hosts or meta-data: its code is not in the APK"
		s.NoteZH = "仅在字符串、域名或 meta-data 中被提及，APK 中没有其代码"
		return
	}
	slices.Sort(callbacks)
	for _, cb := range callbacks {
		seen := map[string]bool{}
		for sup := supers[cb]; sup != "" && !seen[sup]; sup = supers[sup] {
			seen[sup] = true
			if o := own.of(sup); o.kind == OwnerKindSDK && o.id != s.ID {
				s.Through = o.id
				break
			}
		}
		if s.Through != "" {
			break
		}
	}
	if s.Through == "" {
		s.Note = fmt.Sprintf("the app defines %s but the SDK's code is not in the APK", callbacks[0])
		s.NoteZH = fmt.Sprintf("应用定义了 %s，但 APK 中没有该 SDK 的代码", callbacks[0])
		return
	}
	n, ok := names[s.Through]
	if !ok {
		if e, found := d.catalog.Get(s.Through); found {
			n = [2]string{e.Name(), firstNonEmpty(e.NameZH, e.Name())}
		} else {
			n = [2]string{s.Through, s.Through}
		}
	}
	s.Note = fmt.Sprintf("WeChat login/share through %s (%s extends its class)", n[0], callbacks[0])
	s.NoteZH = fmt.Sprintf("通过 %s 实现微信登录/分享（%s 继承其类）", n[1], callbacks[0])
}

func compareCallers(x, y Caller) int {
	if c := strings.Compare(x.Class, y.Class); c != 0 {
		return c
	}
	return strings.Compare(x.Method, y.Method)
}
