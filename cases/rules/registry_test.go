package rules

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect/pi"
)

func catalog(t testing.TB) *law.Catalog {
	t.Helper()
	c, err := law.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRegistry(t *testing.T) {
	lc := catalog(t)
	rs := All()
	if len(rs) < 30 {
		t.Fatalf("only %d rules", len(rs))
	}
	seen := map[RuleID]bool{}
	for i, r := range rs {
		if i > 0 && rs[i-1].ID >= r.ID {
			t.Errorf("registry not sorted at %s", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("duplicate id %s", r.ID)
		}
		seen[r.ID] = true
		if !r.Severity.Valid() {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.TitleZH == "" || r.TitleEN == "" || r.DescriptionZH == "" || r.DescriptionEN == "" {
			t.Errorf("%s: missing title or description in zh or en", r.ID)
		}
		if Rectification(r.ID, "zh") == "" || Rectification(r.ID, "en") == "" {
			t.Errorf("%s: missing rectification", r.ID)
		}
		if Rectification(r.ID, "zh") == Rectification(r.ID, "en") {
			t.Errorf("%s: rectification not translated", r.ID)
		}
		if r.Check == nil || r.Category == "" {
			t.Errorf("%s: no check or category", r.ID)
		}
		if len(r.Articles) == 0 {
			t.Errorf("%s: cites no article", r.ID)
		}
		for _, a := range r.Articles {
			if _, ok := lc.Article(a); !ok {
				t.Errorf("%s: article %q not in the catalog", r.ID, a)
			}
		}
		if got, ok := Lookup(r.ID); !ok || got.ID != r.ID {
			t.Errorf("Lookup(%s) failed", r.ID)
		}
	}
	for _, id := range []RuleID{"policy.missing", "permission.undeclared", "permission.unexplained", "sdk.undisclosed",
		"sdk.data_understated", "api.undeclared", "scope.beyond_necessary", "platform.target_sdk_lt_23",
		"security.cleartext", "security.debuggable", "security.allow_backup", "security.exported_component",
		"device.access_before_consent", "device.permission_before_consent", "device.frequent_self_start",
		"consent.element_missing.retention", "consent.element_missing.withdraw_consent"} {
		if !seen[id] {
			t.Errorf("rule %s missing", id)
		}
	}
	if Rectification("no.such.rule", "zh") != "" {
		t.Error("rectification of unknown rule")
	}
	// All returns a copy.
	rs[0].Articles[0] = "changed"
	if All()[0].Articles[0] == "changed" {
		t.Error("All shares its slices")
	}
}

// TestCandidateArticlesExist runs every rule on facts that trigger it, for
// every app type, and checks every cited id against the law catalog.
func TestCandidateArticlesExist(t *testing.T) {
	lc := catalog(t)
	fired := map[RuleID]bool{}
	for _, at := range lc.AppTypes() {
		at := at
		for _, f := range []*Facts{hermeticFacts(), {Scan: hermeticFacts().Scan}} {
			f.AppType = &at
			for _, c := range Run(f, Options{}) {
				fired[c.Rule] = true
				if len(c.Articles) == 0 {
					t.Errorf("%s cites nothing", c.Rule)
				}
				for _, a := range c.Articles {
					if _, ok := lc.Article(a); !ok {
						t.Errorf("%s (%s): article %q not in catalog", c.Rule, at.ID, a)
					}
				}
				if c.TitleZH == "" || c.TitleEN == "" || c.ExplanationZH == "" || c.ExplanationEN == "" || c.RectificationZH == "" || c.RectificationEN == "" {
					t.Errorf("%s: untranslated candidate %+v", c.Rule, c)
				}
				if c.ExplanationZH == c.ExplanationEN {
					t.Errorf("%s: explanation not translated", c.Rule)
				}
				if !c.Severity.Valid() {
					t.Errorf("%s: severity %q", c.Rule, c.Severity)
				}
				keys := map[string]bool{}
				for _, e := range c.Evidence {
					if e.Key == "" || e.Kind == "" || keys[e.Key] {
						t.Errorf("%s: bad or repeated evidence key %q", c.Rule, e.Key)
					}
					keys[e.Key] = true
				}
			}
		}
	}
	for _, r := range All() {
		if !fired[r.ID] {
			t.Errorf("rule %s never fired on the hermetic facts", r.ID)
		}
	}
}

func TestRunOrderAndOptions(t *testing.T) {
	f := hermeticFacts()
	a := Run(f, Options{})
	b := Run(hermeticFacts(), Options{Lang: "en"})
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("len %d vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Rule != b[i].Rule || strings.Join(a[i].EvidenceKeys(), "|") != strings.Join(b[i].EvidenceKeys(), "|") {
			t.Fatalf("order differs at %d", i)
		}
		if a[i].Explanation != a[i].ExplanationZH || b[i].Explanation != b[i].ExplanationEN {
			t.Errorf("%s: explanation not in the requested language", a[i].Rule)
		}
		if i > 0 && a[i-1].Rule > a[i].Rule {
			t.Errorf("not sorted by rule at %d", i)
		}
	}
	only := Run(hermeticFacts(), Options{Only: []RuleID{"security.debuggable"}})
	if len(only) != 1 || only[0].Rule != "security.debuggable" {
		t.Errorf("Only: %v", only)
	}
	if Run(nil, Options{}) != nil || Run(&Facts{}, Options{}) != nil {
		t.Error("nil facts gave candidates")
	}
}

func TestWriteCandidates(t *testing.T) {
	cs := Run(hermeticFacts(), Options{})
	var buf bytes.Buffer
	if err := WriteCandidates(&buf, cs, true, "en"); err != nil {
		t.Fatal(err)
	}
	// the store's view parses it
	got, err := cases.ParseCandidates(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(cs) {
		t.Fatalf("store parsed %d of %d", len(got), len(cs))
	}
	for i := range got {
		if got[i].Rule != string(cs[i].Rule) || strings.Join(got[i].Evidence, "|") != strings.Join(cs[i].EvidenceKeys(), "|") {
			t.Errorf("candidate %d: store view %+v", i, got[i])
		}
	}
	var raw struct {
		Candidates []map[string]any `json:"candidates"`
	}
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rule", "severity", "articles", "evidence", "explanation", "title_zh", "title_en", "subject"} {
		if _, ok := raw.Candidates[0][k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if raw.Candidates[0]["explanation"] != cs[0].ExplanationEN {
		t.Error("JSON explanation not in English")
	}
	buf.Reset()
	if err := WriteCandidates(&buf, cs, false, "zh"); err != nil {
		t.Fatal(err)
	}
	txt := buf.String()
	for _, want := range []string{"== 高", "== 中", "== 低", "policy:", "security.debuggable", "pipl/51"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
	if strings.Index(txt, "== 高") > strings.Index(txt, "== 低") {
		t.Error("severity groups out of order")
	}
	buf.Reset()
	if err := WriteCandidates(&buf, nil, true, "zh"); err != nil || !strings.Contains(buf.String(), `"candidates": []`) {
		t.Errorf("empty JSON: %q %v", buf.String(), err)
	}
	buf.Reset()
	if err := WriteCandidates(&buf, nil, false, "en"); err != nil || !strings.Contains(buf.String(), "No candidate") {
		t.Errorf("empty text: %q %v", buf.String(), err)
	}
}

func TestOpCategory(t *testing.T) {
	for op, want := range map[string]pi.Category{
		"COARSE_LOCATION": pi.Location, "android:fine_location": pi.Location, "OP_READ_CONTACTS": pi.Contacts,
		"READ_CLIPBOARD": pi.Clipboard, "read_phone_state": pi.PhoneState, "CAMERA": pi.Camera,
		"RECORD_AUDIO": pi.Microphone, "READ_SMS": pi.SMS, "READ_CALL_LOG": pi.CallLog,
		"READ_CALENDAR": pi.Calendar, "GET_ACCOUNTS": pi.Accounts, "READ_MEDIA_IMAGES": pi.Media,
		"READ_EXTERNAL_STORAGE": pi.Storage, "GET_USAGE_STATS": pi.RunningApps,
		"WAKE_LOCK": "", "WRITE_CLIPBOARD": "", "": "", "TOAST_WINDOW": "",
	} {
		if got := OpCategory(op); got != want {
			t.Errorf("OpCategory(%q) = %q, want %q", op, got, want)
		}
	}
	for op, c := range opCategories {
		if !pi.Valid(c) {
			t.Errorf("%s maps to unknown category %q", op, c)
		}
	}
}
