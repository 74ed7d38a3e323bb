package evalfix

import (
	"fmt"
	"slices"
	"testing"
)

// TestSplit: the held-out part is ⌈n/3⌉ documents, chosen by the document
// ids alone (not their order), and the committed CA4P split is unchanged.
func TestSplit(t *testing.T) {
	var ids []string
	for i := range 20 {
		ids = append(ids, fmt.Sprintf("%04d", 505+i*9))
	}
	a := Split(ids)
	rev := slices.Clone(ids)
	slices.Reverse(rev)
	b := Split(rev)
	if len(a) != 7 || len(b) != 7 {
		t.Fatalf("held out %d and %d of 20, want 7", len(a), len(b))
	}
	for id := range a {
		if !b[id] {
			t.Errorf("split depends on order: %s", id)
		}
	}
	if n := len(Split(ids[:4])); n != 2 {
		t.Errorf("held out %d of 4, want 2", n)
	}
	// the CA4P split decided before tuning for issue 15 (BENCHMARKS.md)
	ca4p := []string{"0505", "0523", "0554", "0569", "0577", "0595", "0600", "0602", "0608", "0618", "0634", "0637", "0641", "0652", "0655", "0669", "0675", "0684", "0685", "0691"}
	got := Split(ca4p)
	for _, id := range []string{"0569", "0577", "0600", "0602", "0608", "0618", "0691"} {
		if !got[id] {
			t.Errorf("%s not held out", id)
		}
	}
	if len(got) != 7 {
		t.Errorf("CA4P: %d held out, want 7", len(got))
	}
}
