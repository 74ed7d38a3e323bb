package rules

import (
	"github.com/appinspect/appinspect/inspect/api"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/perm"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// permOf builds a scan permission from the catalog.
func permOf(name string) inspect.Permission {
	i := perm.Describe(name)
	return inspect.Permission{
		Name: name, Protection: i.Protection, Dangerous: i.Dangerous, Special: i.Special,
		Group: i.Group, LegacyGroup: i.LegacyGroup, Categories: i.Categories, ZH: i.ZH, EN: i.EN,
	}
}

func newScan(perms ...string) *inspect.Result {
	r := &inspect.Result{Package: "com.example.app", TargetSDK: 30, MinSDK: 21}
	for _, p := range perms {
		r.Permissions = append(r.Permissions, permOf(p))
	}
	return r
}

func apiUse(id string, cat pi.Category, weak bool, callers ...inspect.Caller) inspect.APIUse {
	a := inspect.APIUse{ID: id, Category: cat, Class: "android.X", Method: "m", Kind: "method", Weak: weak, Callers: callers}
	for _, x := range api.All() { // the catalog's class, method and words, as a scan reports them
		if x.ID == id {
			a.Class, a.Method, a.Kind, a.ZH, a.EN, a.Permission = x.Class, x.Method, x.Kind, x.ZH, x.EN, x.Permission
		}
	}
	seen := map[string]bool{}
	for _, c := range callers {
		if !seen[c.Owner] {
			seen[c.Owner] = true
			a.Owners = append(a.Owners, c.Owner)
		}
	}
	return a
}

func caller(class, method, owner string) inspect.Caller {
	return inspect.Caller{Class: class, Method: method, Owner: owner}
}

func sdkOf(id, name, cat string, apis ...string) inspect.SDK {
	return inspect.SDK{ID: id, Name: name, Vendor: name + " Ltd", Category: cat, Confidence: "high", APIs: apis,
		Evidence: nil}
}

// allElements returns every consent element, present.
func allElements() []policy.Element {
	var out []policy.Element
	for _, e := range elements {
		out = append(out, policy.Element{ID: e.id, Present: true, Start: 1, End: 2})
	}
	return out
}

func declaring(cats ...pi.Category) *policy.Extraction {
	ex := &policy.Extraction{Elements: allElements()}
	for i, c := range cats {
		ex.DataTypes = append(ex.DataTypes, policy.DataType{Category: c, Kind: string(c), Text: string(c), Start: 10 * i, End: 10*i + 4, Practice: "collect"})
	}
	return ex
}

func runOnly(f *Facts, ids ...RuleID) []Candidate {
	return Run(f, Options{Only: ids})
}

func keysOf(cs []Candidate) [][]string {
	var out [][]string
	for _, c := range cs {
		out = append(out, c.EvidenceKeys())
	}
	return out
}

func hasKey(c Candidate, key string) bool {
	for _, e := range c.Evidence {
		if e.Key == key {
			return true
		}
	}
	return false
}

// expect checks the number of candidates and, when given, the severity of each.
func expect(t *testing.T, name string, got []Candidate, n int, sev ...cases.Severity) {
	t.Helper()
	if len(got) != n {
		t.Errorf("%s: %d candidates, want %d: %v", name, len(got), n, keysOf(got))
		return
	}
	for i, s := range sev {
		if got[i].Severity != s {
			t.Errorf("%s: candidate %d severity %s, want %s (%v)", name, i, got[i].Severity, s, got[i].EvidenceKeys())
		}
	}
}

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func boolp(b bool) *bool { return &b }

func component(kind, name string, exported bool, filters ...apk.IntentFilter) apk.Component {
	return apk.Component{Kind: kind, Name: name, Exported: exported, Enabled: true, IntentFilters: filters}
}
