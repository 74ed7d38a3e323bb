package rules

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/perm"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// largeFacts builds a scan with n permissions, n SDKs and n APIs, each API
// called from 20 sites, against a policy that declares half the categories
// and lists half the SDKs.
func largeFacts(n int) *Facts {
	r := newScan()
	all := perm.All()
	for i := 0; i < n; i++ {
		p := all[i%len(all)]
		r.Permissions = append(r.Permissions, inspect.Permission{Name: fmt.Sprintf("%s.%d", p.Name, i), Dangerous: p.Dangerous, Special: p.Special,
			Group: p.Group, LegacyGroup: p.LegacyGroup, Categories: p.Categories})
	}
	cats := pi.All()
	cat := []string{"push", "analytics", "ads", "development", "maps", "crash"}
	ex := &policy.Extraction{Elements: allElements()}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("sdk-%03d", i)
		apiID := fmt.Sprintf("api.%03d", i)
		c := cats[i%len(cats)].ID
		r.SDKs = append(r.SDKs, inspect.SDK{ID: id, Name: "SDK " + id, Category: cat[i%len(cat)], Confidence: "high", APIs: []string{apiID}, Collects: []pi.Category{c}})
		var callers []inspect.Caller
		for j := 0; j < 20; j++ {
			owner := id
			if j%2 == 0 {
				owner = "app"
			}
			callers = append(callers, inspect.Caller{Class: fmt.Sprintf("com.x.C%d", j), Method: "m", Owner: owner})
		}
		r.APIs = append(r.APIs, apiUse(apiID, c, i%7 == 0, callers...))
		if i%2 == 0 {
			ex.SDKs = append(ex.SDKs, policy.SDKMention{Name: "SDK " + id, ID: id, Start: i, End: i + 3})
		}
		if i%2 == 1 {
			ex.DataTypes = append(ex.DataTypes, policy.DataType{Category: c, Start: i, End: i + 2})
		}
	}
	lc, _ := law.Embedded()
	at, _ := lc.AppType("news")
	return &Facts{Scan: r, Policy: ex, AppType: &at, Device: hermeticFacts().Device}
}

func BenchmarkRun(b *testing.B) {
	f := largeFacts(500)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Run(f, Options{}))
	}
	b.ReportMetric(float64(n), "candidates")
}

func TestLargeFactsDeterministic(t *testing.T) {
	a, _ := json.Marshal(Run(largeFacts(120), Options{}))
	b, _ := json.Marshal(Run(largeFacts(120), Options{}))
	if string(a) != string(b) {
		t.Error("Run is not deterministic")
	}
}
