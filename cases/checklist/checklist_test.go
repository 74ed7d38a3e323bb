package checklist

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
)

func mustEmbedded(t *testing.T) *Catalog {
	t.Helper()
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLint checks the embedded catalog against the regulation catalog and
// the rule registry: every cited article exists, every pre-filling rule
// exists, every rule pre-fills some item, and the coverage the checklist
// promises holds (all 31 items of the 认定方法, every 164号文 problem type and
// inspection scenario, the 39-type check, the GB/T 41391 clauses).
func TestLint(t *testing.T) {
	c := mustEmbedded(t)
	lc, err := law.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cited := map[string]bool{}
	byRule := map[string]bool{}
	scenes := map[string]bool{}
	clauses := map[string]bool{}
	for _, it := range c.Items {
		if it.TitleZH == it.TitleEN || it.StepsZH == it.StepsEN || it.RectificationZH == it.RectificationEN {
			t.Errorf("%s: not translated", it.ID)
		}
		if len(it.Articles) == 0 {
			t.Errorf("%s: cites no article", it.ID)
		}
		for _, a := range it.Articles {
			if _, ok := lc.Article(a); !ok {
				t.Errorf("%s: article %q not in the regulation catalog", it.ID, a)
			}
			cited[a] = true
		}
		for _, r := range it.Rules {
			if _, ok := rules.Lookup(rules.RuleID(r)); !ok {
				t.Errorf("%s: unknown rule %q", it.ID, r)
			}
			byRule[r] = true
		}
		if len(it.Rules) > 0 && it.Method == MethodManual {
			t.Errorf("%s: pre-filled by rules but method manual", it.ID)
		}
		for _, s := range it.Scenes {
			scenes[s] = true
		}
		for _, cl := range it.Clauses {
			if _, ok := lc.Article(cl); !ok || !strings.HasPrefix(cl, "gbt41391/") {
				t.Errorf("%s: clause %q is not a GB/T 41391 clause of the catalog", it.ID, cl)
			}
			clauses[cl] = true
		}
	}
	for _, r := range rules.All() {
		if !byRule[string(r.ID)] {
			t.Errorf("rule %s pre-fills no checklist item", r.ID)
		}
	}
	doc, _ := lc.Document("rd2019")
	if len(doc.Articles) != 31 {
		t.Fatalf("认定方法 has %d items in the catalog", len(doc.Articles))
	}
	for _, a := range doc.Articles {
		if !cited[a.ID] {
			t.Errorf("认定方法 %s is cited by no item", a.ID)
		}
	}
	doc, _ = lc.Document("n164")
	for _, a := range doc.Articles {
		if !cited[a.ID] {
			t.Errorf("164号文 %s is cited by no item", a.ID)
		}
	}
	if !byRule["scope.beyond_necessary"] || !cited["nps/4"] {
		t.Error("no item for the 39-type necessary-scope check")
	}
	doc, _ = lc.Document("gbt41391")
	for _, a := range doc.Articles {
		switch a.ID {
		case "gbt41391/1", "gbt41391/2", "gbt41391/3", "gbt41391/4", "gbt41391/6", "gbt41391/6.7":
			continue // scope, references, terms, abbreviations, the chapter heading, and 6.7
			// "其他要求", whose heading alone cannot place it on an item
		}
		if !clauses[a.ID] {
			t.Errorf("GB/T 41391 %s (%s) is referenced by no item", a.ID, a.TitleZH)
		}
	}
	// Every 164号文 inspection scenario is covered, and no item names one
	// that does not exist.
	all := scenesOf164(t)
	for s := range all {
		if !scenes[s] {
			t.Errorf("scenario %s is covered by no item", s)
		}
	}
	for s := range scenes {
		if !all[s] {
			t.Errorf("scenario %s does not exist", s)
		}
	}
}

// scenesOf164 reads the scenario labels from the embedded regulation file.
func scenesOf164(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "law", "data", "miit_xinguanhan_2020_164_app_rectification.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Items []struct {
			Number string `json:"number"`
			Scenes []struct {
				Label string `json:"label"`
			} `json:"scenes"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, it := range doc.Items {
		for _, s := range it.Scenes {
			out["n164/"+it.Number+"#"+s.Label] = true
		}
	}
	if len(out) < 40 {
		t.Fatalf("only %d scenarios read", len(out))
	}
	return out
}

// TestNoArticleText makes sure no item wording copies regulation text: no
// 14-character run of any article text appears in an item's fields.
func TestNoArticleText(t *testing.T) {
	c := mustEmbedded(t)
	lc, err := law.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	const n = 14
	grams := map[string]string{}
	for _, d := range lc.Documents() {
		for _, a := range d.Articles {
			r := []rune(a.TextZH)
			for i := 0; i+n <= len(r); i++ {
				grams[string(r[i:i+n])] = a.ID
			}
		}
	}
	for _, it := range c.Items {
		for _, f := range []string{it.TitleZH, it.StepsZH, it.PassZH, it.FailZH, it.RectificationZH} {
			r := []rune(f)
			for i := 0; i+n <= len(r); i++ {
				if a, ok := grams[string(r[i:i+n])]; ok {
					t.Errorf("%s copies text of %s: %q", it.ID, a, string(r[i:i+n]))
					break
				}
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	for name, in := range map[string]string{
		"not json":       `{`,
		"unknown field":  `{"id":"x","version":"1","groups":[],"items":[],"extra":1}`,
		"no items":       `{"id":"x","version":"1","groups":[{"id":"g","zh":"组","en":"G"}],"items":[]}`,
		"bad method":     `{"id":"x","version":"1","groups":[{"id":"g","zh":"组","en":"G"}],"items":[{"id":"a","group":"g","method":"guess","title_zh":"a","title_en":"a","steps_zh":"a","steps_en":"a","pass_zh":"a","pass_en":"a","fail_zh":"a","fail_en":"a","rectification_zh":"a","rectification_en":"a"}]}`,
		"unknown group":  `{"id":"x","version":"1","groups":[{"id":"g","zh":"组","en":"G"}],"items":[{"id":"a","group":"h","method":"manual","title_zh":"a","title_en":"a","steps_zh":"a","steps_en":"a","pass_zh":"a","pass_en":"a","fail_zh":"a","fail_en":"a","rectification_zh":"a","rectification_en":"a"}]}`,
		"empty wording":  `{"id":"x","version":"1","groups":[{"id":"g","zh":"组","en":"G"}],"items":[{"id":"a","group":"g","method":"manual","title_zh":"","title_en":"a","steps_zh":"a","steps_en":"a","pass_zh":"a","pass_en":"a","fail_zh":"a","fail_en":"a","rectification_zh":"a","rectification_en":"a"}]}`,
		"duplicate item": `{"id":"x","version":"1","groups":[{"id":"g","zh":"组","en":"G"}],"items":[{"id":"a","group":"g","method":"manual","title_zh":"a","title_en":"a","steps_zh":"a","steps_en":"a","pass_zh":"a","pass_en":"a","fail_zh":"a","fail_en":"a","rectification_zh":"a","rectification_en":"a"},{"id":"a","group":"g","method":"manual","title_zh":"a","title_en":"a","steps_zh":"a","steps_en":"a","pass_zh":"a","pass_en":"a","fail_zh":"a","fail_en":"a","rectification_zh":"a","rectification_en":"a"}]}`,
	} {
		_, err := Parse([]byte(in), "test.json")
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "test.json") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(dir)
	if err != nil || c.Origin != "embedded" {
		t.Fatalf("no file: %v %v", c, err)
	}
	// An amended catalog replaces the embedded one and has its own version.
	var doc map[string]any
	if err := json.Unmarshal(embedded, &doc); err != nil {
		t.Fatal(err)
	}
	doc["version"] = "2"
	b, _ := json.Marshal(doc)
	if err := os.WriteFile(filepath.Join(dir, FileName), b, 0o644); err != nil {
		t.Fatal(err)
	}
	c2, err := Open(dir)
	if err != nil || c2.Version != "2" || c2.Hash == c.Hash || len(c2.Items) != len(c.Items) {
		t.Fatalf("amended: %v", err)
	}
	// A broken file is an error naming it, not a silent fallback.
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), FileName) {
		t.Errorf("broken file: %v", err)
	}
}

func TestPrefillAndEntries(t *testing.T) {
	c := mustEmbedded(t)
	fs := []Finding{
		{Rule: "component.self_start", Severity: "medium", ExplanationZH: "开机", ExplanationEN: "boot",
			Evidence: []Evidence{{Key: "component:receiver:com.x.Boot", Kind: "component"}}},
		{Rule: "device.frequent_self_start", Severity: "high", ExplanationZH: "频繁", ExplanationEN: "often",
			Evidence: []Evidence{{Key: "device:self_start@1", Kind: "device_self_start"}}},
	}
	pre := c.Prefill(fs)
	p := pre["usage.self_start"]
	if p.Result != ResultFail || p.Severity != "high" || !slices.Equal(p.Rules, []string{"component.self_start", "device.frequent_self_start"}) || len(p.Evidence) != 2 {
		t.Fatalf("self_start prefill %+v", p)
	}
	if pre["collection.before_consent"].Result != ResultPending {
		t.Error("an item whose rules found nothing must stay pending")
	}
	if _, ok := pre["consent.default_agree"]; ok {
		t.Error("a manual item has a proposal")
	}
	es := c.Entries(pre, []Record{{ItemID: "collection.before_consent", Result: ResultPass, Note: "ok", Inspector: "张三"}})
	if len(es) != len(c.Items) {
		t.Fatal("entries")
	}
	for _, e := range es {
		switch e.Item.ID {
		case "usage.self_start":
			if e.Result != ResultFail || e.Source != SourceRules || len(e.Evidence) != 2 {
				t.Errorf("self_start entry %+v", e)
			}
		case "collection.before_consent":
			if e.Result != ResultPass || e.Source != SourceInspector || e.Note != "ok" {
				t.Errorf("recorded entry %+v", e)
			}
		case "consent.default_agree":
			if e.Result != ResultPending || e.Source != SourceNone {
				t.Errorf("manual entry %+v", e)
			}
		}
	}
}

func TestInputAndResults(t *testing.T) {
	c := mustEmbedded(t)
	for _, s := range []string{"fail", "不符合", "Pass", "na", "N/A", "pending", "待检测"} {
		if _, err := ParseResult(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if _, err := ParseResult("maybe"); !errors.Is(err, ErrInvalid) {
		t.Error("bad result accepted")
	}
	in := Input{ItemID: "nope", Result: ResultFail, Inspector: "x"}
	if err := in.Validate(c); !errors.Is(err, ErrUnknownItem) {
		t.Errorf("unknown item: %v", err)
	}
	in = Input{ItemID: "usage.self_start", Result: "bad", Inspector: "x"}
	if err := in.Validate(c); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad result: %v", err)
	}
	in = Input{ItemID: "usage.self_start", Result: ResultFail}
	if err := in.Validate(c); !errors.Is(err, ErrInvalid) {
		t.Errorf("no inspector: %v", err)
	}
}

// TestCounts records the catalog's size and coverage, so a change to them
// is deliberate.
func TestCounts(t *testing.T) {
	c := mustEmbedded(t)
	auto := 0
	for _, it := range c.Items {
		if it.Automatic() {
			auto++
		}
	}
	t.Logf("%d items, %d pre-filled by rules", len(c.Items), auto)
	if len(c.Items) < 80 || auto < 35 {
		t.Errorf("%d items, %d automatic", len(c.Items), auto)
	}
}
