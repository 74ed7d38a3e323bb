package main

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestScore(t *testing.T) {
	parent := map[string]string{"child": "parent", "grandchild": "child"}
	s := newScore()
	// expected child, x, y; detected parent (related), child, z (FP); y missed.
	s.add([]string{"child", "x", "y"}, []string{"parent", "child", "x", "z"}, parent)
	if s.tp != 2 || s.related != 1 || s.fp != 1 || s.fn != 1 || s.fnLenient != 1 {
		t.Errorf("score = %+v", s)
	}
	// expected grandchild, only its grandparent detected: strict FN, lenient hit.
	s = newScore()
	s.add([]string{"grandchild"}, []string{"parent"}, parent)
	if s.tp != 0 || s.related != 1 || s.fn != 1 || s.fnLenient != 0 {
		t.Errorf("score = %+v", s)
	}
	var b strings.Builder
	s.row(&b, "x")
	if !strings.Contains(b.String(), "| 0.0% | 0.0% | 100.0% | 100.0% |") {
		t.Errorf("row = %s", b.String())
	}
}

func TestPrefixTableAndClasses(t *testing.T) {
	pt := prefixTable{"cn.jpush.android": "jpush", "com.umeng.commonsdk": "umeng-common", "a.B": "cls"}
	for class, want := range map[string]string{
		"cn.jpush.android.api.X": "jpush", "cn.jpush.androidx.Y": "", "a.B$Inner": "cls", "a.Bc": "", "com.umeng.commonsdk.Z": "umeng-common",
	} {
		if got := pt.owner(class); got != want {
			t.Errorf("owner(%s) = %q, want %q", class, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	c := candidate{id: "jpush", packages: []string{"cn.jpush.android"}}
	for _, n := range sdkClasses(rng, c) {
		if pt.owner(n) != "jpush" {
			t.Errorf("generated %s is not under the prefix", n)
		}
	}
}
