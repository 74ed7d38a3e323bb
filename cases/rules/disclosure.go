package rules

import (
	"slices"
	"sort"
	"strings"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// Version identifies the rules and the declared-or-not judgement. It is
// stored with every evaluation of a case version, so an inspector can tell
// which rules produced the candidates on file; change it whenever a rule, a
// threshold or the Disclosure judgement changes what is proposed.
const Version = "2026.12.4"

// Disclosure kinds (Disclosure.Kind).
const (
	DisclosePermission = "permission" // a requested dangerous or special permission with PI categories
	DiscloseSDK        = "sdk"        // a third-party SDK present in the app
	DiscloseAPI        = "api"        // a sensitive-API category reached by one owner's code
	DiscloseDevice     = "device"     // an AppOps operation observed on a device
	DiscloseNetwork    = "network"    // a host a recorded device session contacted (Facts.Network)
)

// Span is a stretch of the policy text: rune offsets [Start, End) into the
// normalised text and the words there.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Disclosure is the one answer to "does the policy declare this behaviour?"
// for one detected behaviour. The rules that raise "undeclared", the review
// pane, the report's behaviour matrix and the documents all read it.
//
// Kind is one of the Disclose* constants; Ref the object: a permission name,
// an SDK id, a PI category (for "api", one disclosure per category and
// owner) or an AppOps operation; Owner "app" or the SDK id whose code it is;
// Categories the PI categories involved. Declared is true when the policy
// declares it, and Spans are then the policy passages that do (never empty
// when Declared, always empty otherwise); Why lists the words that matched.
//
// The judgement: a data word satisfies only the category the extractor gave
// it (an identifier category is satisfied by identifier words only: "设备信息"
// does not declare device_id) and only when the sentence or section states a
// practice and does not negate it (policy.DataType.Declared). A permission is
// declared when one of its categories is, or when the policy names its
// permission group as a permission ("位置权限", not a data word of another
// category such as "设备型号" read as the PHONE group): the platform group, or the
// legacy group when that group guards one of the permission's categories
// (naming 位置权限 does not declare BLUETOOTH_SCAN). A device operation is
// declared like its category, or by naming a legacy group that guards the
// category (the operation exercises that permission). An SDK is declared when
// the policy names it (catalog id, English or Chinese name). An API category
// is declared when the policy declares the category, or, for a third-party
// SDK's code, when the SDK's entry in the policy names it.
type Disclosure struct {
	Kind       string        `json:"kind"`
	Ref        string        `json:"ref"`
	Owner      string        `json:"owner"`
	Categories []pi.Category `json:"categories"`
	Declared   bool          `json:"declared"`
	Spans      []Span        `json:"spans"`
	Why        string        `json:"why"`
}

// Key is "kind:owner:ref", unique within one evaluation.
func (d Disclosure) Key() string { return d.Kind + ":" + d.Owner + ":" + d.Ref }

// legacyGroupCategories are the PI categories each of the nine legacy
// permission groups guards, as a policy naming the group means them.
var legacyGroupCategories = map[string][]pi.Category{
	"CALENDAR":   {pi.Calendar},
	"CAMERA":     {pi.Camera},
	"CONTACTS":   {pi.Contacts},
	"LOCATION":   {pi.Location},
	"MICROPHONE": {pi.Microphone},
	"PHONE":      {pi.PhoneState, pi.PhoneNumber, pi.CallLog},
	"SENSORS":    {pi.BodySensors, pi.Health, pi.Sensors},
	"SMS":        {pi.SMS},
	"STORAGE":    {pi.Storage, pi.Media},
}

// judge holds the judgement's inputs for one set of facts.
type judge struct {
	f    *Facts
	ex   *policy.Extraction
	text []rune
	// wordAt maps the rune offsets a data word covers to its category
	wordAt map[int]pi.Category
	cats   map[pi.Category][]Span // category's declarations, cached
}

func newJudge(f *Facts) *judge {
	j := &judge{f: f, ex: f.Policy, wordAt: map[int]pi.Category{}, cats: map[pi.Category][]Span{}}
	if f.PolicyText != "" {
		j.text = []rune(f.PolicyText)
	}
	if j.ex != nil {
		for _, d := range j.ex.DataTypes {
			if d.Category == "" {
				continue
			}
			for i := d.Start; i < d.End && i-d.Start < 64; i++ {
				j.wordAt[i] = d.Category
			}
		}
	}
	return j
}

// otherWord reports whether a group phrase at [s, e) is (part of) a data
// word of a category outside cats: "设备型号" is device information, not a
// name of the PHONE permission, so it declares only what a data word does.
func (j *judge) otherWord(s, e int, cats []pi.Category) bool {
	for i := s; i < e; i++ {
		if c, ok := j.wordAt[i]; ok && !slices.Contains(cats, c) {
			return true
		}
	}
	return false
}

// spanText is the policy text at [s, e), or fallback when the text is not
// known or the offsets are out of range.
func (j *judge) spanText(s, e int, fallback string) string {
	if s >= 0 && e > s && e <= len(j.text) {
		return string(j.text[s:e])
	}
	return fallback
}

// category returns the declarations of category c.
func (j *judge) category(c pi.Category) []Span {
	if j.ex == nil || c == "" {
		return nil
	}
	if out, ok := j.cats[c]; ok {
		return slices.Clone(out)
	}
	var out []Span
	for _, d := range j.ex.Declares(c) {
		out = append(out, Span{Start: d.Start, End: d.End, Text: j.spanText(d.Start, d.End, d.Text)})
	}
	j.cats[c] = out
	return slices.Clone(out)
}

// groupNames returns the policy's permission phrases naming a group that
// covers permission p.
func (j *judge) groupNames(p inspect.Permission) []Span {
	if j.ex == nil {
		return nil
	}
	var out []Span
	for _, g := range j.ex.PermissionGroups {
		if g.Via != "permission" || !groupCovers(g.Group, p) || j.otherWord(g.Start, g.End, p.Categories) {
			continue
		}
		out = append(out, Span{Start: g.Start, End: g.End, Text: j.spanText(g.Start, g.End, g.Text)})
	}
	return out
}

// groupsGuarding returns the policy's permission phrases naming a legacy
// group that guards category c (an AppOps operation exercises the
// permission the phrase names).
func (j *judge) groupsGuarding(c pi.Category) []Span {
	if j.ex == nil {
		return nil
	}
	var out []Span
	for _, g := range j.ex.PermissionGroups {
		if g.Via == "permission" && slices.Contains(legacyGroupCategories[strings.ToUpper(g.Group)], c) && !j.otherWord(g.Start, g.End, []pi.Category{c}) {
			out = append(out, Span{Start: g.Start, End: g.End, Text: j.spanText(g.Start, g.End, g.Text)})
		}
	}
	return out
}

// groupCovers reports whether naming group g declares permission p.
func groupCovers(g string, p inspect.Permission) bool {
	if g == "" {
		return false
	}
	if strings.EqualFold(g, p.Group) {
		return true
	}
	if !strings.EqualFold(g, p.LegacyGroup) {
		return false
	}
	for _, c := range legacyGroupCategories[strings.ToUpper(g)] {
		if slices.Contains(p.Categories, c) {
			return true
		}
	}
	return false
}

// sdkSpans returns the policy's mentions of SDK s.
func (j *judge) sdkSpans(s inspect.SDK) []Span {
	if j.ex == nil {
		return nil
	}
	var out []Span
	for _, m := range sdkMentions(j.ex, s) {
		out = append(out, Span{Start: m.Start, End: m.End, Text: j.spanText(m.Start, m.End, m.Name)})
	}
	return out
}

// sdkCategorySpans returns the SDK's policy entries that name category c.
func (j *judge) sdkCategorySpans(s inspect.SDK, c pi.Category) []Span {
	if j.ex == nil {
		return nil
	}
	var out []Span
	for _, m := range sdkMentions(j.ex, s) {
		if slices.Contains(mentionCategories(j.ex, m), c) {
			out = append(out, Span{Start: m.Start, End: m.End, Text: j.spanText(m.Start, m.End, m.Name)})
		}
	}
	return out
}

// finishSpans sorts, de-duplicates and sets Declared, Spans and Why.
func finishSpans(d *Disclosure, spans []Span) {
	sort.Slice(spans, func(a, b int) bool {
		if spans[a].Start != spans[b].Start {
			return spans[a].Start < spans[b].Start
		}
		return spans[a].End < spans[b].End
	})
	d.Spans = []Span{}
	var words []string
	for i, s := range spans {
		if i > 0 && s.Start == spans[i-1].Start && s.End == spans[i-1].End {
			continue
		}
		d.Spans = append(d.Spans, s)
		w := "「" + strings.TrimSpace(s.Text) + "」"
		if !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	d.Declared = len(d.Spans) > 0
	d.Why = strings.Join(words, " ")
	if d.Categories == nil {
		d.Categories = []pi.Category{}
	}
}

// Disclose judges every detected behaviour of f against its policy. With no
// policy every behaviour is undeclared. The order is by kind (permission,
// sdk, api, device), then owner, then ref. A nil f or f.Scan gives nil.
func Disclose(f *Facts) []Disclosure {
	if f == nil || f.Scan == nil {
		return nil
	}
	f.disc = nil // judge the facts as they are now
	return slices.Clone(f.disclosures().list)
}

// disclosureIndex is the judgement for one Facts, computed once.
type disclosureIndex struct {
	list  []Disclosure
	byKey map[string]int
}

// disclosures computes (once) the judgement of f.
func (f *Facts) disclosures() *disclosureIndex {
	if f.disc != nil {
		return f.disc
	}
	j := newJudge(f)
	var out []Disclosure
	r := f.Scan
	for _, p := range r.Permissions {
		if !permissionRelevant(p) {
			continue
		}
		d := Disclosure{Kind: DisclosePermission, Ref: p.Name, Owner: inspect.OwnerApp, Categories: sortedCats(slices.Clone(p.Categories))}
		var spans []Span
		for _, c := range d.Categories {
			spans = append(spans, j.category(c)...)
		}
		spans = append(spans, j.groupNames(p)...)
		finishSpans(&d, spans)
		out = append(out, d)
	}
	idx := apiIndex(r)
	sdks := map[string]inspect.SDK{}
	for _, s := range r.SDKs {
		sdks[s.ID] = s
		if !isThirdParty(s) {
			continue
		}
		var cats []pi.Category
		for _, a := range sdkAPIs(s, idx) {
			cats = append(cats, a.Category)
		}
		d := Disclosure{Kind: DiscloseSDK, Ref: s.ID, Owner: s.ID, Categories: sortedCats(append(cats, s.Collects...))}
		finishSpans(&d, j.sdkSpans(s))
		out = append(out, d)
	}
	type ownCat struct {
		owner string
		cat   pi.Category
	}
	seen := map[ownCat]bool{}
	for _, a := range r.APIs {
		if a.Category == "" || lowSignalAPIs[a.ID] {
			continue
		}
		owners := a.Owners
		if len(owners) == 0 {
			owners = []string{inspect.OwnerApp}
		}
		for _, o := range owners {
			if subjectOf(o) == "" {
				continue // a platform library's compat wrapper
			}
			k := ownCat{o, a.Category}
			if seen[k] {
				continue
			}
			seen[k] = true
			d := Disclosure{Kind: DiscloseAPI, Ref: string(a.Category), Owner: o, Categories: []pi.Category{a.Category}}
			spans := j.category(a.Category)
			if s, ok := sdks[o]; ok && o != inspect.OwnerApp && (isThirdParty(s) || thirdPartyUnknown(s)) {
				spans = append(spans, j.sdkCategorySpans(s, a.Category)...)
			}
			finishSpans(&d, spans)
			out = append(out, d)
		}
	}
	if dv := f.Device; dv != nil {
		ops := map[string]bool{}
		for _, op := range dv.Ops {
			c := op.Category
			if c == "" {
				c = OpCategory(op.Op)
			}
			name := opName(op.Op)
			if c == "" || ops[name] {
				continue
			}
			ops[name] = true
			d := Disclosure{Kind: DiscloseDevice, Ref: name, Owner: inspect.OwnerApp, Categories: []pi.Category{c}}
			finishSpans(&d, append(j.category(c), j.groupsGuarding(c)...))
			out = append(out, d)
		}
	}
	if f.Network != nil {
		out = append(out, networkDisclosures(j, f, f.Network)...)
	}
	order := map[string]int{DisclosePermission: 0, DiscloseSDK: 1, DiscloseAPI: 2, DiscloseDevice: 3, DiscloseNetwork: 4}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.Kind != y.Kind {
			return order[x.Kind] < order[y.Kind]
		}
		if x.Owner != y.Owner {
			if (x.Owner == inspect.OwnerApp) != (y.Owner == inspect.OwnerApp) {
				return x.Owner == inspect.OwnerApp
			}
			return x.Owner < y.Owner
		}
		return x.Ref < y.Ref
	})
	di := &disclosureIndex{list: out, byKey: make(map[string]int, len(out))}
	for i, d := range out {
		di.byKey[d.Key()] = i
	}
	f.disc = di
	return di
}

// lookup returns the disclosure of kind/owner/ref.
func (f *Facts) lookup(kind, owner, ref string) (Disclosure, bool) {
	di := f.disclosures()
	i, ok := di.byKey[kind+":"+owner+":"+ref]
	if !ok {
		return Disclosure{}, false
	}
	return di.list[i], true
}

// declared reports whether the disclosure of kind/owner/ref is declared; a
// behaviour without a disclosure is not.
func (f *Facts) declared(kind, owner, ref string) bool {
	d, ok := f.lookup(kind, owner, ref)
	return ok && d.Declared
}

// Evaluation is what the rules conclude about one version: the candidates,
// the disclosures they agree with and the rules version that produced them.
// Its JSON ({"rules_version", "candidates", "disclosures"}) is the document
// stored with a case version; cases.ParseCandidates reads its candidates.
type Evaluation struct {
	RulesVersion string       `json:"rules_version"`
	Candidates   []Candidate  `json:"candidates"`
	Disclosures  []Disclosure `json:"disclosures"`
}

// Evaluate runs the rules and the disclosure judgement over f. A nil f or
// f.Scan gives an empty evaluation of this rules version.
func Evaluate(f *Facts, opt Options) Evaluation {
	ev := Evaluation{RulesVersion: Version, Candidates: Run(f, opt)}
	if f != nil && f.Scan != nil {
		ev.Disclosures = slices.Clone(f.disclosures().list) // the judgement Run used
	}
	if ev.Candidates == nil {
		ev.Candidates = []Candidate{}
	}
	if ev.Disclosures == nil {
		ev.Disclosures = []Disclosure{}
	}
	return ev
}
