package checklist

import (
	"testing"

	"github.com/appinspect/appinspect/cases/rules"
)

// TestNetworkRulesNameItems checks that every checklist item a network rule
// answers exists in the embedded checklist.
func TestNetworkRulesNameItems(t *testing.T) {
	c := mustEmbedded(t)
	ids := map[string]bool{}
	for _, it := range c.Items {
		ids[it.ID] = true
	}
	for _, r := range rules.NetworkRules() {
		if len(r.Checklist) == 0 {
			t.Errorf("%s names no checklist item", r.ID)
		}
		for _, id := range r.Checklist {
			if !ids[id] {
				t.Errorf("%s: checklist item %q does not exist", r.ID, id)
			}
		}
	}
}
