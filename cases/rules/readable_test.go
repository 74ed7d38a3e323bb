package rules_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect/api"
	"github.com/appinspect/appinspect/reports/doclint"
)

// rfc3339 is a machine timestamp ("2026-03-02T02:16:40Z").
var rfc3339 = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}`)

// rawKind is a manifest component kind written as its raw id before a
// count ("activity 12个").
var rawKind = regexp.MustCompile(`\b(activity-alias|activity|service|receiver|provider) ?\d+个`)

// goDuration is Go's duration syntax ("1h0m0s").
var goDuration = regexp.MustCompile(`\b\d+h\d+m\d+s\b|\b\d+m0s\b`)

// internalIDs maps the ids a reader must not meet in an explanation to
// what they are: every sensitive-API catalog id, and the id of every SDK
// the facts name (scan and network owners) that is not also its name.
func internalIDs(f *rules.Facts) map[string]string {
	ids := map[string]string{}
	for _, a := range api.All() {
		ids[a.ID] = "API id"
	}
	names := map[string]bool{}
	for _, s := range f.Scan.SDKs {
		names[s.Name], names[s.NameZH] = true, true
		ids[s.ID] = "SDK id"
	}
	if f.Network != nil {
		for _, c := range f.Network.Contacts {
			if c.SDK && c.Owner != "" {
				ids[c.Owner] = "SDK id"
			}
		}
	}
	for id := range ids {
		if names[id] {
			delete(ids, id)
		}
	}
	return ids
}

// TestExplanationsReadable runs every rule on rich facts and fails when an
// explanation (zh or en) carries an internal SDK or API id, a raw SDK
// category id, a raw component kind, a machine timestamp, Go's duration
// syntax, or what doclint rejects in a document (article and rule ids,
// English words in Chinese, Chinese in English beyond quoted originals).
func TestExplanationsReadable(t *testing.T) {
	ran := map[rules.RuleID]bool{}
	for _, in := range rules.LintInputs(t) {
		ids := internalIDs(in.Facts)
		// A raw category id in parentheses or a list; in English only where
		// its name is not the same word ("ads", not "push").
		cats := map[string][]*regexp.Regexp{}
		for _, s := range in.Facts.Scan.SDKs {
			if s.Category == "" {
				continue
			}
			re := regexp.MustCompile(`[（(，,、]\s*` + regexp.QuoteMeta(s.Category) + `\s*[）)，,、]`)
			cats["zh"] = append(cats["zh"], re)
			if rules.SDKCategoryName("en", s.Category) != s.Category {
				cats["en"] = append(cats["en"], re)
			}
		}
		for _, c := range rules.Run(in.Facts, rules.Options{}) {
			ran[c.Rule] = true
			for _, x := range []struct{ lang, text string }{{"zh", c.ExplanationZH}, {"en", c.ExplanationEN}} {
				probs := doclint.IDs(x.text, ids)
				// curly quotes are English typography; what they quote must be in Allow
				probs = append(probs, doclint.Lint(x.lang, strings.NewReplacer("“", `"`, "”", `"`).Replace(x.text), in.Allow)...)
				if m := rfc3339.FindAllString(x.text, -1); len(m) > 0 {
					probs = append(probs, "machine timestamps: "+strings.Join(m, ", "))
				}
				if m := goDuration.FindAllString(x.text, -1); len(m) > 0 {
					probs = append(probs, "Go durations: "+strings.Join(m, ", "))
				}
				if m := rawKind.FindAllString(x.text, -1); len(m) > 0 {
					probs = append(probs, "raw component kinds: "+strings.Join(m, ", "))
				}
				for _, re := range cats[x.lang] {
					if m := re.FindString(x.text); m != "" {
						probs = append(probs, "raw SDK category: "+m)
					}
				}
				for _, p := range probs {
					t.Errorf("%s: %s (%s): %s\n\t%s", in.Name, c.Rule, x.lang, p, x.text)
				}
			}
		}
	}
	// The facts must exercise the rules the issue names.
	for _, id := range []rules.RuleID{"api.undeclared", "sdk.undisclosed", "sdk.data_understated", "security.exported_component",
		"device.access_before_consent", "device.permission_before_consent", "device.frequent_self_start",
		rules.RuleNetworkBeforeConsent, rules.RuleNetworkAfterRefusal, rules.RuleNetworkPIInClear} {
		if !ran[id] {
			t.Errorf("no candidate of %s: the lint inputs do not exercise it", id)
		}
	}
}

// TestDescriptionsReadable: the registry's descriptions (the rules list)
// write windows in words, not Go's duration syntax.
func TestDescriptionsReadable(t *testing.T) {
	for _, r := range rules.All() {
		for _, d := range []string{r.DescriptionZH, r.DescriptionEN} {
			if m := goDuration.FindAllString(d, -1); len(m) > 0 {
				t.Errorf("%s: Go durations %v in %q", r.ID, m, d)
			}
		}
	}
}
