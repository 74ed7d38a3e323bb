package rules

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/policy"
)

// fuzzFacts is the JSON shape FuzzRun decodes into Facts.
type fuzzFacts struct {
	Scan       inspect.Result     `json:"scan"`
	Policy     *policy.Extraction `json:"policy"`
	PolicyText string             `json:"policy_text"`
	Device     *DeviceFacts       `json:"device"`
	AppType    string             `json:"app_type"`
}

// FuzzRun feeds arbitrary scans, extractions and device facts to every rule:
// Run must not panic, must cite only catalog articles and must be
// deterministic. Seeded with the hermetic facts.
func FuzzRun(f *testing.F) {
	h := hermeticFacts()
	seed, _ := json.Marshal(fuzzFacts{Scan: *h.Scan, Policy: h.Policy, PolicyText: h.PolicyText, Device: h.Device, AppType: h.AppType.ID})
	f.Add(seed)
	f.Add([]byte(`{"scan":{"target_sdk":1,"permissions":[{"name":"x","dangerous":true,"categories":["location"]}]},"policy_text":"短","policy":{"data_types":[{"category":"location","start":5,"end":2}]}}`))
	lc, err := law.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var ff fuzzFacts
		if json.Unmarshal(b, &ff) != nil {
			return
		}
		facts := &Facts{Scan: &ff.Scan, Policy: ff.Policy, PolicyText: ff.PolicyText, Device: ff.Device}
		if at, ok := lc.AppType(ff.AppType); ok && ff.AppType != "" {
			facts.AppType = &at
		}
		a := Run(facts, Options{})
		for _, c := range a {
			for _, art := range c.Articles {
				if _, ok := lc.Article(art); !ok {
					t.Fatalf("%s cites unknown %q", c.Rule, art)
				}
			}
		}
		x, _ := json.Marshal(a)
		y, _ := json.Marshal(Run(facts, Options{}))
		if string(x) != string(y) {
			t.Fatal("not deterministic")
		}
		if err := WriteCandidates(io.Discard, a, false, "en"); err != nil {
			t.Fatal(err)
		}
		// the one judgement: no candidate contradicts a disclosure
		ev := Evaluate(facts, Options{})
		for _, d := range ev.Disclosures {
			if d.Declared != (len(d.Spans) > 0) {
				t.Fatalf("%s declared=%v with %d spans", d.Key(), d.Declared, len(d.Spans))
			}
		}
		agreeCandidates(t, "fuzz", facts, ev)
		if err := WriteEvaluation(io.Discard, ev, true, "zh"); err != nil {
			t.Fatal(err)
		}
	})
}
