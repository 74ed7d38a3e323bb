package rules

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

func networkSession() *NetworkFacts {
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	imei := NetworkPI{Kind: "imei", Category: pi.DeviceID, Where: "url", Field: "imei"}
	return &NetworkFacts{
		ConsentAt: t0.Add(10 * time.Second),
		Contacts: []NetworkContact{
			{Time: t0.Add(1 * time.Second), Host: "log.umeng.com", Port: 443, Owner: "umeng", SDK: true, URL: "log.umeng.com:443"},
			{Time: t0.Add(2 * time.Second), Host: "api.shop.example", Port: 80, Owner: "app", PlainHTTP: true, URL: "http://api.shop.example/report?imei=490154203237518", PI: []NetworkPI{imei}},
			{Time: t0.Add(3 * time.Second), Host: "cdn.shop.example", Port: 443, Owner: "app", URL: "cdn.shop.example:443"},
			{Time: t0.Add(4 * time.Second), Host: "sdk.jpush.cn", Port: 80, Owner: "jpush", SDK: true, PlainHTTP: true, URL: "http://sdk.jpush.cn/r?imei=490154203237518", PI: []NetworkPI{imei}},
			{Time: t0.Add(20 * time.Second), Host: "log.umeng.com", Port: 443, Owner: "umeng", SDK: true, URL: "log.umeng.com:443"},
			{Time: t0.Add(21 * time.Second), Host: "x.unknown.example", Port: 80, PlainHTTP: true, URL: "http://x.unknown.example/?mac=AC:DE:48:00:11:22",
				PI: []NetworkPI{{Kind: "mac", Category: pi.DeviceID, Where: "url", Field: "mac"}}},
		},
	}
}

func TestNetworkRules(t *testing.T) {
	cs := RunNetwork(networkSession(), Options{Lang: "en"})
	type row struct {
		rule    RuleID
		subject string
		sev     cases.Severity
	}
	var got []row
	for _, c := range cs {
		got = append(got, row{c.Rule, c.Subject, c.Severity})
	}
	want := []row{
		{RuleNetworkBeforeConsent, "app", cases.SeverityHigh},     // the app's host with an IMEI in clear, before consent
		{RuleNetworkBeforeConsent, "jpush", cases.SeverityHigh},   // an SDK with an IMEI in clear
		{RuleNetworkBeforeConsent, "umeng", cases.SeverityMedium}, // an SDK over TLS: content not seen
		{RuleNetworkPIInClear, "app", cases.SeverityHigh},         // api.shop.example
		{RuleNetworkPIInClear, "jpush", cases.SeverityHigh},       // sdk.jpush.cn
		{RuleNetworkPIInClear, "app", cases.SeverityHigh},         // x.unknown.example (after consent, still in clear)
	}
	slices.SortFunc(got, func(a, b row) int { return strings.Compare(string(a.rule)+a.subject, string(b.rule)+b.subject) })
	slices.SortFunc(want, func(a, b row) int { return strings.Compare(string(a.rule)+a.subject, string(b.rule)+b.subject) })
	if len(got) != len(want) {
		t.Fatalf("candidates = %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("candidate %d = %v, want %v", i, got[i], want[i])
		}
	}
	for _, c := range cs {
		// the cdn contact (the app, nothing seen) and the after-consent umeng contact are no evidence of before-consent
		for _, e := range c.Evidence {
			if c.Rule == RuleNetworkBeforeConsent && (e.Ref == "cdn.shop.example" || e.Time != nil && e.Kind == "network_contact" && !e.Time.Before(networkSession().ConsentAt)) {
				t.Errorf("%s cites %s at %v", c.Rule, e.Ref, e.Time)
			}
		}
		if c.Rule == RuleNetworkBeforeConsent && c.Severity == cases.SeverityMedium && !strings.Contains(c.ExplanationEN, "not seen") {
			t.Errorf("a TLS-only candidate must say the content was not seen: %s", c.ExplanationEN)
		}
	}
	// No consent mark: the before-consent rule stays silent.
	f := networkSession()
	f.ConsentAt = time.Time{}
	for _, c := range RunNetwork(f, Options{Lang: "zh"}) {
		if c.Rule == RuleNetworkBeforeConsent {
			t.Errorf("fired without a consent mark: %+v", c)
		}
	}
}

func TestNetworkRulesCiteCatalog(t *testing.T) {
	lc := catalog(t)
	for _, r := range NetworkRules() {
		if r.TitleZH == "" || r.TitleEN == "" || r.DescriptionZH == "" || r.DescriptionEN == "" || len(r.Checklist) == 0 {
			t.Errorf("%s: missing text or checklist item", r.ID)
		}
		if got, ok := Lookup(r.ID); !ok || got.Check == nil || Rectification(r.ID, "en") == "" {
			t.Errorf("%s is not in the case registry", r.ID)
		}
		for _, a := range r.Articles {
			if _, ok := lc.Article(a); !ok {
				t.Errorf("%s: article %q not in the catalog", r.ID, a)
			}
		}
	}
	for _, c := range RunNetwork(networkSession(), Options{Lang: "zh"}) {
		for _, a := range c.Articles {
			if _, ok := lc.Article(a); !ok {
				t.Errorf("%s: article %q not in the catalog", c.Rule, a)
			}
		}
		if c.ExplanationZH == "" || c.ExplanationEN == "" || c.ExplanationZH == c.ExplanationEN || c.RectificationZH == "" || c.RectificationEN == "" || c.Explanation != c.ExplanationZH {
			t.Errorf("%s: untranslated candidate %+v", c.Rule, c)
		}
		keys := map[string]bool{}
		for _, e := range c.Evidence {
			if e.Key == "" || keys[e.Key] {
				t.Errorf("%s: bad evidence key %q", c.Rule, e.Key)
			}
			keys[e.Key] = true
		}
	}
}

func TestNetworkDisclosures(t *testing.T) {
	const text = "我们使用友盟统计SDK。我们收集您的设备标识符。"
	ex := extractionOf(text, []word{{"设备标识符", pi.DeviceID, "collect", false}})
	i := strings.Index(text, "友盟")
	s := len([]rune(text[:i]))
	ex.SDKs = []policy.SDKMention{{Name: "友盟", ID: "umeng", Start: s, End: s + 2, Source: "text"}}
	r := newScan()
	r.SDKs = []inspect.SDK{sdkOf("umeng", "Umeng", "analytics"), sdkOf("jpush", "JPush", "push")}
	f := &Facts{Scan: r, Policy: ex, PolicyText: text}
	ds := NetworkDisclosures(f, networkSession())
	got := map[string]bool{}
	for _, d := range ds {
		if d.Kind != DiscloseNetwork {
			t.Errorf("kind %q", d.Kind)
		}
		if d.Declared != (len(d.Spans) > 0) {
			t.Errorf("%s: declared %v with %d spans", d.Key(), d.Declared, len(d.Spans))
		}
		got[d.Key()] = d.Declared
	}
	want := map[string]bool{
		"network:umeng:log.umeng.com":  true,  // named in the policy, nothing personal seen
		"network:jpush:sdk.jpush.cn":   false, // not named, though device_id is declared
		"network:app:api.shop.example": true,  // device_id declared
	}
	if len(got) != len(want) {
		t.Errorf("disclosures = %v, want %v", got, want)
	}
	for k, v := range want {
		if d, ok := got[k]; !ok || d != v {
			t.Errorf("%s: declared %v (present %v), want %v", k, d, ok, v)
		}
	}
	f.Policy, f.PolicyText = nil, ""
	for _, d := range NetworkDisclosures(f, networkSession()) {
		if d.Declared {
			t.Errorf("no policy: %s declared", d.Key())
		}
	}
}

func TestNetworkAfterRefusal(t *testing.T) {
	f := networkSession()
	t0 := f.ConsentAt.Add(-10 * time.Second)
	// The user refused at t0+5s and never agreed.
	f.ConsentAt, f.RefusedAt = time.Time{}, t0.Add(5*time.Second)
	subjects := map[RuleID][]string{}
	for _, c := range RunNetwork(f, Options{Lang: "en"}) {
		subjects[c.Rule] = append(subjects[c.Rule], c.Subject)
		for _, e := range c.Evidence {
			if e.Kind != "network_contact" {
				continue
			}
			before := e.Time.Before(f.RefusedAt)
			if c.Rule == RuleNetworkAfterRefusal && before || c.Rule == RuleNetworkBeforeConsent && !before {
				t.Errorf("%s cites a contact at %v (refusal %v)", c.Rule, e.Time, f.RefusedAt)
			}
		}
		if c.Rule == RuleNetworkAfterRefusal && !slices.Contains(c.Articles, "rd2019/3.2") {
			t.Errorf("after refusal cites %v", c.Articles)
		}
	}
	for _, v := range subjects {
		slices.Sort(v)
	}
	// Before the refusal: umeng (1 s), the app's IMEI (2 s), jpush (4 s); after: umeng (20 s), the unknown host with a MAC (21 s).
	if got := strings.Join(subjects[RuleNetworkBeforeConsent], ","); got != "app,jpush,umeng" {
		t.Errorf("before consent (never agreed): %s", got)
	}
	if got := strings.Join(subjects[RuleNetworkAfterRefusal], ","); got != "app,umeng" {
		t.Errorf("after refusal: %s", got)
	}
	// Refused at 3 s, agreed at 19 s: only jpush (4 s) is after the refusal and before the consent.
	f.RefusedAt, f.ConsentAt = t0.Add(3*time.Second), t0.Add(19*time.Second)
	subjects = map[RuleID][]string{}
	for _, c := range RunNetwork(f, Options{Lang: "en"}) {
		subjects[c.Rule] = append(subjects[c.Rule], c.Subject)
	}
	if got := strings.Join(subjects[RuleNetworkAfterRefusal], ","); got != "jpush" {
		t.Errorf("after refusal, before a later consent: %s", got)
	}
}
