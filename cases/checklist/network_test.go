package checklist

import (
	"slices"
	"testing"

	"github.com/appinspect/appinspect/cases/rules"
)

// TestNetworkRulesNameItems checks that every checklist item a network rule
// answers exists in the embedded checklist and lists the rule.
func TestNetworkRulesNameItems(t *testing.T) {
	c := mustEmbedded(t)
	ids := map[string][]string{}
	for _, it := range c.Items {
		ids[it.ID] = it.Rules
	}
	for _, r := range rules.NetworkRules() {
		if len(r.Checklist) == 0 {
			t.Errorf("%s names no checklist item", r.ID)
		}
		for _, id := range r.Checklist {
			rs, ok := ids[id]
			if !ok {
				t.Errorf("%s: checklist item %q does not exist", r.ID, id)
			}
			if !slices.Contains(rs, string(r.ID)) {
				t.Errorf("%s: checklist item %q does not list the rule", r.ID, id)
			}
		}
	}
}
