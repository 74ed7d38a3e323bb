package rules

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
)

// NetworkContact is one network contact of a recorded device session, as
// the network rules see it.
type NetworkContact struct {
	Time time.Time
	Host string
	Port int
	// Owner is the SDK id whose network signature the host matches,
	// inspect.OwnerApp for the app's own endpoints, "" when unknown; SDK
	// is true when Owner is an SDK id.
	Owner string
	SDK   bool
	// PlainHTTP: the request was sent in clear and its content seen.
	PlainHTTP bool
	URL       string
	PI        []NetworkPI
}

// NetworkPI is one piece of personal data seen in a plain-HTTP request.
type NetworkPI struct {
	Kind     string // imei, android_id, mac, phone_number, location
	Category pi.Category
	Where    string // url, header:NAME, body
	Field    string
}

// NetworkFacts is a recorded session for the network rules.
type NetworkFacts struct {
	// ConsentAt is the consent mark on the session clock; zero = not marked
	// (the before-consent rule then stays silent).
	ConsentAt time.Time
	// RefusedAt is the moment the user refused the policy, as marked; zero
	// = not marked.
	RefusedAt time.Time
	Contacts  []NetworkContact
}

// Network rule ids.
const (
	RuleNetworkBeforeConsent RuleID = "network.contact_before_consent"
	RuleNetworkPIInClear     RuleID = "network.pi_in_clear"
	RuleNetworkAfterRefusal  RuleID = "network.contact_after_refusal"
)

// NetworkRule is a rule on a session's network contacts. Checklist names
// the inspection checklist items (cases/checklist) its candidates answer.
type NetworkRule struct {
	Rule
	Checklist []string
	check     func(*Facts) []Candidate // reads Facts.Network, which is non-nil
}

var networkRectifications = map[RuleID][2]string{
	RuleNetworkBeforeConsent: {
		"在用户同意隐私政策前不得向任何服务器发送个人信息；第三方SDK应在用户同意后再初始化和联网。",
		"Send no personal information to any server before the user agrees to the privacy policy; initialise third-party SDKs and let them connect only after consent.",
	},
	RuleNetworkAfterRefusal: {
		"用户拒绝隐私政策后不得收集个人信息，第三方SDK不得初始化或联网发送数据；可提供不收集个人信息的基本功能。",
		"After the user refuses the privacy policy collect no personal information and keep third-party SDKs from starting or sending data; basic functions that collect nothing may remain.",
	},
	RuleNetworkPIInClear: {
		"个人信息应经加密通道（HTTPS等）传输，不得以明文HTTP发送。",
		"Send personal information over an encrypted channel (HTTPS or similar), never in clear HTTP.",
	},
}

// NetworkRules lists the rules on session network contacts. They are in
// the case registry too (All, Run read Facts.Network); RunNetwork applies
// them to a session alone, without a scan.
func NetworkRules() []NetworkRule {
	return []NetworkRule{
		{
			Rule: Rule{ID: RuleNetworkBeforeConsent, TitleZH: "征得用户同意前联网发送数据", TitleEN: "Data sent to servers before consent",
				Severity: cases.SeverityHigh, Category: CategoryDevice,
				Articles:      []string{"rd2019/3.1", "n164/1.1", "pipl/13", "pipl/23"},
				DescriptionZH: "设备会话的代理记录显示，在检查人员标记的同意时刻之前，第三方SDK已连接其服务器（每个SDK一条），或App以明文发送了个人信息。HTTPS内容不可见：仅有连接而未见内容时为中，需结合抓包或AppOps核实；明文请求中可见个人信息时为高。未标记同意时刻时不运行。",
				DescriptionEN: "The session proxy saw a third-party SDK connect to its servers (one candidate per SDK), or the app send personal information in clear, before the consent moment the inspector marked. HTTPS content is not visible: medium when only the connection was seen (confirm with AppOps or a capture), high when a plain-HTTP request visibly carried personal information. Silent until consent is marked."},
			Checklist: []string{"collection.before_consent", "sharing.sdk_without_consent"},
			check:     checkNetworkBeforeConsent,
		},
		{
			Rule: Rule{ID: RuleNetworkAfterRefusal, TitleZH: "用户拒绝后仍联网发送数据", TitleEN: "Data sent to servers after refusal",
				Severity: cases.SeverityHigh, Category: CategoryDevice,
				Articles:      []string{"rd2019/3.2", "n164/1.1", "pipl/13", "pipl/23"},
				DescriptionZH: "检查人员标记用户拒绝隐私政策后（至其后的同意前），代理记录显示第三方SDK仍连接其服务器（每个SDK一条），或App以明文发送了个人信息。仅有连接而未见内容时为中。未标记拒绝时不运行。",
				DescriptionEN: "After the refusal of the privacy policy the inspector marked (until a later consent, if any), the session proxy saw a third-party SDK connect to its servers (one candidate per SDK), or the app send personal information in clear. Medium when only the connection was seen. Silent until a refusal is marked."},
			Checklist: []string{"collection.after_refusal"},
			check:     checkNetworkAfterRefusal,
		},
		{
			Rule: Rule{ID: RuleNetworkPIInClear, TitleZH: "明文传输个人信息", TitleEN: "Personal information sent in clear",
				Severity: cases.SeverityHigh, Category: CategoryDevice,
				Articles:      []string{"pipl/51"},
				DescriptionZH: "设备会话中，App或其SDK通过未加密的HTTP发送了设备标识、电话号码或位置等个人信息（每个主机一条）。",
				DescriptionEN: "During the device session the app or one of its SDKs sent personal information (device identifiers, phone number, location) over unencrypted HTTP (one candidate per host)."},
			Checklist: []string{"storage.plaintext_transmission"},
			check:     checkPIInClear,
		},
	}
}

// registryRule is the rule as the case registry runs it, on Facts.Network.
func (r NetworkRule) registryRule() Rule {
	out := r.Rule
	out.Articles = slices.Clone(r.Articles)
	check := r.check
	out.Check = func(f *Facts) []Candidate {
		if f.Network == nil {
			return nil
		}
		return check(f)
	}
	return out
}

// RunNetwork applies the network rules to a session and returns the
// candidates sorted by rule, then evidence keys. opt.Lang picks
// Explanation, opt.Location the zone of the times; opt.Only is ignored.
// SDK owners are named as the embedded catalog names them.
func RunNetwork(f *NetworkFacts, opt Options) []Candidate {
	if f == nil {
		return nil
	}
	lang := opt.Lang
	facts := &Facts{Network: f, loc: opt.Location}
	var out []Candidate
	for _, r := range NetworkRules() {
		for _, c := range r.check(facts) {
			if c.RectificationZH == "" {
				c.RectificationZH = networkRectifications[r.ID][0]
				c.RectificationEN = networkRectifications[r.ID][1]
			}
			out = append(out, finish(r.Rule, c, lang))
		}
	}
	sortCandidates(out)
	return out
}

func contactEvidence(c NetworkContact) Evidence {
	d := c.URL
	if c.PlainHTTP {
		d += " (HTTP in clear)"
	} else {
		d += " (encrypted or opaque tunnel; content not seen)"
	}
	for _, p := range c.PI {
		k := p.Kind
		if n := piKindNames([]string{k}, false); len(n) > 0 {
			k = n[0]
		}
		d += "; " + k + " in " + p.Where
	}
	return Evidence{Key: "network:" + c.Host + ":" + strconv.Itoa(c.Port) + "@" + timeKey(c.Time), Kind: "network_contact",
		Ref: c.Host, Detail: d, Owner: c.Owner, Time: timePtr(c.Time)}
}

func piCats(ps []NetworkPI) []pi.Category {
	var cs []pi.Category
	for _, p := range ps {
		if !slices.Contains(cs, p.Category) {
			cs = append(cs, p.Category)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	return cs
}

func checkNetworkBeforeConsent(facts *Facts) []Candidate {
	f := facts.Network
	cut, mark := f.ConsentAt, Evidence{Key: "device:consent@" + timeKey(f.ConsentAt), Kind: "device_consent", Detail: "consent moment marked by the inspector", Time: timePtr(f.ConsentAt)}
	zh, en := fmt.Sprintf("在用户同意隐私政策（%s）之前", facts.timeZH(f.ConsentAt)), fmt.Sprintf("Before the user agreed to the privacy policy (%s)", facts.timeEN(f.ConsentAt))
	if cut.IsZero() {
		if f.RefusedAt.IsZero() {
			return nil
		}
		// Refused and never agreed: everything before the refusal was before consent too.
		cut, mark = f.RefusedAt, refusalEvidence(f.RefusedAt)
		zh, en = fmt.Sprintf("用户从未同意隐私政策，在其拒绝（%s）之前", facts.timeZH(f.RefusedAt)), fmt.Sprintf("The user never agreed to the privacy policy; before refusing it (%s)", facts.timeEN(f.RefusedAt))
	}
	return windowCandidates(facts, time.Time{}, cut, mark, zh, en, []string{"rd2019/3.1", "n164/1.1", "pipl/13"})
}

func refusalEvidence(t time.Time) Evidence {
	return Evidence{Key: "device:refusal@" + timeKey(t), Kind: "device_refusal", Detail: "refusal of the privacy policy marked by the inspector", Time: timePtr(t)}
}

func checkNetworkAfterRefusal(facts *Facts) []Candidate {
	f := facts.Network
	if f.RefusedAt.IsZero() {
		return nil
	}
	var until time.Time // the end of the session, or a later consent
	if f.ConsentAt.After(f.RefusedAt) {
		until = f.ConsentAt
	}
	return windowCandidates(facts, f.RefusedAt, until, refusalEvidence(f.RefusedAt),
		fmt.Sprintf("在用户明确拒绝隐私政策（%s）之后", facts.timeZH(f.RefusedAt)), fmt.Sprintf("After the user explicitly refused the privacy policy (%s)", facts.timeEN(f.RefusedAt)),
		[]string{"rd2019/3.2", "n164/1.1", "pipl/13"})
}

// windowCandidates groups the contacts in [from, until) (zero bounds are
// open) by owner: every contact of a catalog SDK, and contacts of the app or
// of unknown hosts that visibly carried personal data. One candidate per
// group: high when personal data was seen, medium for SDK contacts whose
// content was not seen. SDK candidates also cite pipl/23 (provision to a
// third party).
func windowCandidates(facts *Facts, from, until time.Time, mark Evidence, whenZH, whenEN string, articles []string) []Candidate {
	f := facts.Network
	type grp struct {
		owner string
		sdk   bool
		ev    []Evidence
		hosts []string
		pi    []NetworkPI
	}
	groups := map[string]*grp{}
	for _, c := range f.Contacts {
		if c.Time.IsZero() || !from.IsZero() && c.Time.Before(from) || !until.IsZero() && !c.Time.Before(until) {
			continue
		}
		key := c.Owner
		switch {
		case c.SDK && c.Owner != "":
		case len(c.PI) > 0: // the app or an unknown host, with personal data seen
			if key == "" {
				key = "host:" + c.Host
			}
		default:
			continue // a non-SDK contact with nothing seen: config, CDN … not evidence of collection
		}
		g, ok := groups[key]
		if !ok {
			g = &grp{owner: c.Owner, sdk: c.SDK}
			groups[key] = g
		}
		g.ev = append(g.ev, contactEvidence(c))
		if !slices.Contains(g.hosts, c.Host) {
			g.hosts = append(g.hosts, c.Host)
		}
		g.pi = append(g.pi, c.PI...)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []Candidate
	for _, k := range keys {
		g := groups[k]
		sort.Strings(g.hosts)
		hosts := strings.Join(g.hosts, ", ")
		cand := Candidate{Evidence: append(g.ev, mark), Subject: inspect.OwnerApp, Articles: slices.Clone(articles)}
		who, whoEN := "App", "the app"
		if g.sdk {
			cand.Subject = g.owner
			cand.Articles = append(cand.Articles, "pipl/23")
			who, whoEN = facts.ownerZH(g.owner), facts.ownerEN(g.owner)
		} else if g.owner == "" {
			who, whoEN = "App（未识别主机）", "the app (unidentified host)"
		}
		cand.ExplanationZH = fmt.Sprintf("%s，%s已连接 %s。", whenZH, who, hosts)
		cand.ExplanationEN = fmt.Sprintf("%s, %s connected to %s.", whenEN, whoEN, hosts)
		if cats := piCats(g.pi); len(cats) > 0 {
			cand.ExplanationZH += fmt.Sprintf("明文请求中可见%s。", catsZH(cats))
			cand.ExplanationEN += fmt.Sprintf(" Plain-HTTP requests visibly carried %s.", strings.Join(catNamesEN(cats), ", "))
		} else {
			cand.Severity = cases.SeverityMedium
			cand.ExplanationZH += "连接内容已加密、未被查看：这说明SDK已初始化并联网，是否发送了个人信息需结合AppOps记录或抓包核实。"
			cand.ExplanationEN += " The content was encrypted and not seen: the SDK was initialised and online; whether it sent personal information must be confirmed with AppOps records or a capture."
		}
		out = append(out, cand)
	}
	return out
}

func catNamesEN(cs []pi.Category) []string {
	var s []string
	for _, c := range cs {
		s = append(s, catEN(c))
	}
	return s
}

func checkPIInClear(facts *Facts) []Candidate {
	f := facts.Network
	type grp struct {
		owner string
		sdk   bool
		ev    []Evidence
		pi    []NetworkPI
	}
	groups := map[string]*grp{}
	for _, c := range f.Contacts {
		if !c.PlainHTTP || len(c.PI) == 0 {
			continue
		}
		g, ok := groups[c.Host]
		if !ok {
			g = &grp{owner: c.Owner, sdk: c.SDK}
			groups[c.Host] = g
		}
		g.ev = append(g.ev, contactEvidence(c))
		g.pi = append(g.pi, c.PI...)
	}
	hosts := make([]string, 0, len(groups))
	for h := range groups {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	var out []Candidate
	for _, h := range hosts {
		g := groups[h]
		var kinds []string
		for _, p := range g.pi {
			if !slices.Contains(kinds, p.Kind) {
				kinds = append(kinds, p.Kind)
			}
		}
		sort.Strings(kinds)
		cand := Candidate{Evidence: g.ev, Subject: inspect.OwnerApp}
		who, whoEN := "App", "The app"
		if g.sdk {
			cand.Subject = g.owner
			who, whoEN = facts.ownerZH(g.owner), capitalize(facts.ownerEN(g.owner))
		}
		cats := piCats(g.pi)
		sentZH, sentEN := catsZH(cats), strings.Join(catNamesEN(cats), ", ")
		if kz := piKindNames(kinds, true); len(kz) > 0 {
			sentZH += "（" + strings.Join(kz, "、") + "）"
			sentEN += " (" + strings.Join(piKindNames(kinds, false), ", ") + ")"
		}
		cand.ExplanationZH = fmt.Sprintf("%s通过明文HTTP向 %s 发送了%s，传输过程可被窃听或篡改。", who, h, sentZH)
		cand.ExplanationEN = fmt.Sprintf("%s sent %s to %s over plain HTTP, where it can be read or altered in transit.", whoEN, sentEN, h)
		out = append(out, cand)
	}
	return out
}

// NetworkDisclosures judges, against the case's policy in f, each host a
// session contacted whose owner is known (an SDK of the catalog or the
// app): one Disclosure of kind "network" per owner and host, with the PI
// categories seen in clear. An SDK's contact is declared when the policy
// names the SDK and declares every category seen; the app's when it
// declares every category seen (the app's hosts where nothing personal was
// seen get no disclosure). Hosts of unknown owner are not judged. A nil f, f.Scan
// or n gives nil.
func NetworkDisclosures(f *Facts, n *NetworkFacts) []Disclosure {
	if f == nil || f.Scan == nil || n == nil {
		return nil
	}
	return networkDisclosures(newJudge(f), f, n)
}

func networkDisclosures(j *judge, f *Facts, n *NetworkFacts) []Disclosure {
	sdks := map[string]inspect.SDK{}
	for _, s := range f.Scan.SDKs {
		sdks[s.ID] = s
	}
	type key struct{ owner, host string }
	cats := map[key][]NetworkPI{}
	var order []key
	for _, c := range n.Contacts {
		if c.Owner == "" {
			continue
		}
		k := key{c.Owner, strings.ToLower(c.Host)}
		if _, ok := cats[k]; !ok {
			order = append(order, k)
			cats[k] = []NetworkPI{}
		}
		cats[k] = append(cats[k], c.PI...)
	}
	var out []Disclosure
	for _, k := range order {
		if k.owner == inspect.OwnerApp && len(cats[k]) == 0 {
			continue // the app's own host, nothing personal seen: nothing to declare
		}
		d := Disclosure{Kind: DiscloseNetwork, Ref: k.host, Owner: k.owner, Categories: piCats(cats[k])}
		var spans []Span
		ok := true
		if k.owner != inspect.OwnerApp {
			s, found := sdks[k.owner]
			if !found {
				s = inspect.SDK{ID: k.owner, Name: k.owner}
			}
			ss := j.sdkSpans(s)
			ok = len(ss) > 0
			spans = append(spans, ss...)
		}
		for _, c := range d.Categories {
			cs := j.category(c)
			ok = ok && len(cs) > 0
			spans = append(spans, cs...)
		}
		finishSpans(&d, spans)
		if !ok {
			d.Declared, d.Spans, d.Why = false, []Span{}, ""
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Owner != out[b].Owner {
			return out[a].Owner < out[b].Owner
		}
		return out[a].Ref < out[b].Ref
	})
	return out
}
