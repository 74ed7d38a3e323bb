// Package rules turns evidence into candidate findings: each rule is a small
// function over the scan of an APK (inspect.Result), what its privacy policy
// declares (policy.Extraction), runtime evidence from a device (DeviceFacts)
// and the app type the inspector chose (law.AppType). A rule proposes
// candidates — never verdicts — each citing the articles of the regulation
// catalog (cases/law) it may breach and the evidence behind it, so the
// inspector confirms or rejects instead of starting from a blank page.
//
// Rule ids are stable: they are stored with the inspector's marks and compared
// between APK versions. Output is deterministic: candidates are sorted by rule
// id, then by their evidence keys, and every evidence item has a stable key
// ("permission:android.permission.READ_CONTACTS", "sdk:jpush",
// "api:telephony.getDeviceId@com.foo.A#b", "policy:120-138",
// "device:op:COARSE_LOCATION@2026-01-02T03:04:05Z" …).
//
// Noise control is part of each rule; the choices are documented on the rules
// and in README.md next to this file.
package rules

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/policy"
)

// RuleID is the stable identifier of a rule, e.g. "permission.undeclared".
type RuleID string

// Rule categories (Rule.Category).
const (
	CategoryNotice    = "notice"            // notice and informed consent (the policy)
	CategoryNecessity = "minimum_necessity" // scope of collection
	CategoryThirdPart = "third_party"       // SDKs and provision to third parties
	CategorySecurity  = "security"          // security measures
	CategoryPlatform  = "platform"          // platform behaviour that bypasses consent
	CategoryDevice    = "device"            // runtime evidence from a device
)

// Facts is everything a rule may look at.
type Facts struct {
	Scan       *inspect.Result    // required; Run returns nil without it
	Policy     *policy.Extraction // nil = no policy found or provided
	PolicyText string             // the policy's normalised text, for span excerpts; optional
	Device     *DeviceFacts       // nil = no device evidence
	AppType    *law.AppType       // nil = not chosen
	Network    *NetworkFacts      // nil = no recorded device session (network rules stay silent)

	disc *disclosureIndex // the Disclosure judgement, computed once per Run
	loc  *time.Location   // the zone explanations write times in (Options.Location)
}

// Evidence is one reference to a fact behind a candidate. Key is stable and
// unique within a candidate; Kind says what it points at ("permission",
// "sdk", "sdk_trace", "api", "policy", "manifest", "component", "device_op",
// "device_permission", "device_self_start", "app_type", "policy_doc",
// "endpoint"); Ref is the referenced object (a permission name, an SDK id,
// an API id …); Detail a human-readable note; Owner who the code belongs to
// ("app" or an SDK id) for API call sites; Start and End a rune span of the
// policy text for policy evidence; Time the moment of device evidence.
type Evidence struct {
	Key    string     `json:"key"`
	Kind   string     `json:"kind"`
	Ref    string     `json:"ref,omitempty"`
	Detail string     `json:"detail,omitempty"`
	Owner  string     `json:"owner,omitempty"`
	Start  int        `json:"start,omitempty"`
	End    int        `json:"end,omitempty"`
	Time   *time.Time `json:"time,omitempty"`
}

// Candidate is one proposed finding. Articles are the catalog ids it cites;
// Explanation is ExplanationZH or ExplanationEN according to Options.Lang.
// Subject says whose behaviour it is: "app" or the id of an SDK.
type Candidate struct {
	Rule            RuleID         `json:"rule"`
	TitleZH         string         `json:"title_zh"`
	TitleEN         string         `json:"title_en"`
	Severity        cases.Severity `json:"severity"`
	Articles        []string       `json:"articles"`
	Evidence        []Evidence     `json:"evidence"`
	Explanation     string         `json:"explanation"`
	ExplanationZH   string         `json:"explanation_zh"`
	ExplanationEN   string         `json:"explanation_en"`
	RectificationZH string         `json:"rectification_zh"`
	RectificationEN string         `json:"rectification_en"`
	Subject         string         `json:"subject"`
}

// EvidenceKeys returns the keys of the candidate's evidence, in order.
func (c Candidate) EvidenceKeys() []string {
	out := make([]string, len(c.Evidence))
	for i, e := range c.Evidence {
		out[i] = e.Key
	}
	return out
}

// Rule is one check. Articles lists every article id the rule may cite (a
// candidate cites a subset, or, for scope.beyond_necessary, also the
// chosen app type's row of the 39-type table).
type Rule struct {
	ID            RuleID
	TitleZH       string
	TitleEN       string
	Severity      cases.Severity // the default; a candidate may be graded lower or higher
	Articles      []string
	Category      string
	Check         func(*Facts) []Candidate
	DescriptionZH string
	DescriptionEN string
}

// Options tune Run.
type Options struct {
	Lang string   // "zh" (default) or "en": the language of Candidate.Explanation
	Only []RuleID // run only these rules; empty runs all
	// Location is the zone explanations write times in, labelled
	// (北京时间 / Beijing time for Asia/Shanghai); nil is DefaultLocation.
	Location *time.Location
}

var (
	registryOnce sync.Once
	registry     []Rule
	byID         map[RuleID]Rule
)

func loadRegistry() {
	registryOnce.Do(func() {
		var rs []Rule
		rs = append(rs, policyRules()...)
		rs = append(rs, consentRules()...)
		rs = append(rs, scopeRules()...)
		rs = append(rs, platformRules()...)
		rs = append(rs, deviceRules()...)
		rs = append(rs, componentRules()...)
		rs = append(rs, contradictionRules()...)
		rs = append(rs, statementRules()...)
		for _, nr := range NetworkRules() {
			rs = append(rs, nr.registryRule())
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
		registry = rs
		byID = make(map[RuleID]Rule, len(rs))
		for _, r := range rs {
			byID[r.ID] = r
		}
	})
}

// All returns the registry, sorted by ID. The slice is a copy.
func All() []Rule {
	loadRegistry()
	out := make([]Rule, len(registry))
	for i, r := range registry {
		r.Articles = slices.Clone(r.Articles)
		out[i] = r
	}
	return out
}

// Lookup returns the rule with the given id.
func Lookup(id RuleID) (Rule, bool) {
	loadRegistry()
	r, ok := byID[id]
	return r, ok
}

// Run applies the rules to f and returns the candidates sorted by rule id,
// then by evidence keys. A nil f or a nil f.Scan gives nil.
func Run(f *Facts, opt Options) []Candidate {
	if f == nil || f.Scan == nil {
		return nil
	}
	loadRegistry()
	f.disc = nil // judge the facts as they are now
	f.loc = opt.Location
	var only map[RuleID]bool
	if len(opt.Only) > 0 {
		only = make(map[RuleID]bool, len(opt.Only))
		for _, id := range opt.Only {
			only[id] = true
		}
	}
	var out []Candidate
	for _, r := range registry {
		if only != nil && !only[r.ID] {
			continue
		}
		for _, c := range r.Check(f) {
			out = append(out, finish(r, c, opt.Lang))
		}
	}
	sortCandidates(out)
	return out
}

// finish fills what every candidate of r shares and orders its evidence.
func finish(r Rule, c Candidate, lang string) Candidate {
	c.Rule = r.ID
	if c.TitleZH == "" {
		c.TitleZH = r.TitleZH
	}
	if c.TitleEN == "" {
		c.TitleEN = r.TitleEN
	}
	if c.Severity == "" {
		c.Severity = r.Severity
	}
	if c.Articles == nil {
		c.Articles = slices.Clone(r.Articles)
	}
	if c.Subject == "" {
		c.Subject = inspect.OwnerApp
	}
	if c.RectificationZH == "" {
		c.RectificationZH = Rectification(r.ID, "zh")
	}
	if c.RectificationEN == "" {
		c.RectificationEN = Rectification(r.ID, "en")
	}
	c.Evidence = dedupEvidence(c.Evidence)
	c.Explanation = pick(lang, c.ExplanationZH, c.ExplanationEN)
	return c
}

// dedupEvidence sorts evidence by key and drops repeated keys (the first wins).
func dedupEvidence(ev []Evidence) []Evidence {
	if len(ev) == 0 {
		return []Evidence{}
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Key < ev[j].Key })
	out := ev[:1]
	for _, e := range ev[1:] {
		if e.Key != out[len(out)-1].Key {
			out = append(out, e)
		}
	}
	return out
}

func sortCandidates(cs []Candidate) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Rule != cs[j].Rule {
			return cs[i].Rule < cs[j].Rule
		}
		a, b := cs[i].Evidence, cs[j].Evidence
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k].Key != b[k].Key {
				return a[k].Key < b[k].Key
			}
		}
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return cs[i].Subject < cs[j].Subject
	})
}

// pick returns en for lang "en" (or "en-…"), zh otherwise.
func pick(lang, zh, en string) string {
	if isEN(lang) {
		return en
	}
	return zh
}

func isEN(lang string) bool {
	l := strings.ToLower(lang)
	return l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_")
}
