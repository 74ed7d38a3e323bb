package main

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sdk"
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

func TestTruthSplitAndMatch(t *testing.T) {
	names := []string{"a.apk", "b.apk", "c.apk", "d.apk", "e.apk", "f.apk", "g.apk"}
	tune, held := split(names)
	if len(held) != heldOutCount || len(tune) != len(names)-heldOutCount {
		t.Fatalf("split %v / %v", tune, held)
	}
	rev := slices.Clone(names)
	slices.Reverse(rev)
	tune2, held2 := split(rev)
	if !slices.Equal(tune, tune2) || !slices.Equal(held, held2) {
		t.Errorf("split depends on order: %v/%v vs %v/%v", tune, held, tune2, held2)
	}
	var ts truthSDK
	ts.Proof.Packages = []string{"cn.jpush.android (89 classes)"}
	ts.Proof.NativeLibs = []string{"lib/armeabi/libjcore110.so"}
	for _, c := range []struct {
		ev   sdk.Evidence
		want bool
	}{
		{sdk.Evidence{Kind: sdk.KindClass, Value: "cn.jpush"}, true},
		{sdk.Evidence{Kind: sdk.KindClass, Value: "cn.jpush.android.api"}, true},
		{sdk.Evidence{Kind: sdk.KindClass, Value: "cn.jpushx"}, false},
		{sdk.Evidence{Kind: sdk.KindNativeLib, Value: "libjcore*.so", Examples: []string{"libjcore110.so"}}, true},
		{sdk.Evidence{Kind: sdk.KindString, Value: "cn.jpush.android"}, false}, // strings never prove an SDK
	} {
		if got := sdkMatches(ts, inspect.SDK{Evidence: []sdk.Evidence{c.ev}}); got != c.want {
			t.Errorf("%+v: %v, want %v", c.ev, got, c.want)
		}
	}
}
