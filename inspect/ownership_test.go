package inspect

import (
	"slices"
	"testing"

	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/sdk"
)

func launcher(name string) apk.Component {
	return apk.Component{Kind: "activity", Name: name, IntentFilters: []apk.IntentFilter{{
		Actions: []string{"android.intent.action.MAIN"}, Categories: []string{"android.intent.category.LAUNCHER"}}}}
}

func TestOwnership(t *testing.T) {
	cat, err := sdk.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	m := cat.Matcher()
	classes := []string{
		"cn.jiguang.jmlinkdemo.MainActivity", "cn.jiguang.jmlinkdemo.util.Net", // the demo's own code under JIGUANG's prefix
		"com.shop.app.App", "com.shop.common.Util", // the app, two trees under one root
		"com.vendor.sdk.ui.LoginActivity", "com.vendor.sdk.Core", // an unknown SDK's activity and code
		"cn.jpush.android.api.JPushInterface", "cn.jpush.android.helper.X", // a catalog SDK
		"a.b.C", "o.cc", // renamed
	}
	man := &apk.Manifest{Package: "com.shop.app", Application: apk.Application{ClassName: "com.shop.app.App"},
		Components: []apk.Component{
			launcher("cn.jiguang.jmlinkdemo.MainActivity"),
			{Kind: "activity", Name: "com.vendor.sdk.ui.LoginActivity"},
			{Kind: "service", Name: "cn.jpush.android.service.PushService"},
		}}
	o := newOwnership(m, classes, man)
	if want := []string{"cn.jiguang.jmlinkdemo", "com.shop"}; !slices.Equal(o.app, want) {
		t.Errorf("app namespaces = %v, want %v", o.app, want)
	}
	for class, want := range map[string]owner{
		"cn.jiguang.jmlinkdemo.util.Net":      {OwnerApp, OwnerKindApp},
		"com.shop.common.Util":                {OwnerApp, OwnerKindApp},
		"com.vendor.sdk.Core":                 {"com.vendor", OwnerKindThirdParty}, // never the app's by default
		"com.vendor.sdk.ui.LoginActivity":     {"com.vendor", OwnerKindThirdParty},
		"cn.jpush.android.api.JPushInterface": {"jpush", OwnerKindSDK},
		"org.someone.lib.Widget":              {"org.someone", OwnerKindThirdParty},
		"a.b.C":                               {"a.b", OwnerKindThirdParty},
		"cn.jiguang.verifysdk.api.X":          {"jverification", OwnerKindSDK},
	} {
		got := o.of(class)
		if got.kind == OwnerKindSDK && want.kind == OwnerKindSDK && got.id != want.id {
			t.Errorf("of(%s) = %+v, want %+v", class, got, want)
		}
		if got.kind != want.kind || want.kind != OwnerKindSDK && got.id != want.id {
			t.Errorf("of(%s) = %+v, want %+v", class, got, want)
		}
	}
}

// An unclaimed class in a package tree only one SDK's classes populate is
// that SDK's (com.xiaomi.channel next to com.xiaomi.push).
func TestOwnershipSDKTree(t *testing.T) {
	cat, err := sdk.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	m := cat.Matcher()
	id := m.OwnerOf("cn.jpush.android.api.JPushInterface")
	classes := []string{"cn.jpush.android.api.JPushInterface", "cn.jpush.xyz.Y", "com.app.x.Main"}
	o := newOwnership(m, classes, &apk.Manifest{Package: "com.app.x"})
	if got := o.of("cn.jpush.xyz.Y"); got.id != id || got.kind != OwnerKindSDK {
		t.Errorf("of = %+v, want %s", got, id)
	}
	if got := o.of("com.app.x.Main"); got.kind != OwnerKindApp {
		t.Errorf("app class: %+v", got)
	}
}

// Renamed packages are attributed by what they call and what calls them,
// only when one owner is on both sides.
func TestOwnershipRenamedByCalls(t *testing.T) {
	cat, err := sdk.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	classes := []string{"com.shop.app.App", "cn.jpush.android.api.JPushInterface", "a.b.C", "a.c.D", "a.d.E", "a.e.F"}
	defined := map[string]bool{}
	for _, c := range classes {
		defined[c] = true
	}
	o := newOwnership(cat.Matcher(), classes, &apk.Manifest{Package: "com.shop.app"})
	o.attributeRenamed([]classEdge{
		{Renamed: "a.b.C", Other: "com.shop.app.App", Out: true}, {Renamed: "a.b.C", Other: "com.shop.app.App"},
		{Renamed: "a.c.D", Other: "cn.jpush.android.api.JPushInterface", Out: true}, {Renamed: "a.c.D", Other: "cn.jpush.android.api.JPushInterface"},
		{Renamed: "a.d.E", Other: "com.shop.app.App"}, {Renamed: "a.d.E", Other: "cn.jpush.android.api.JPushInterface", Out: true},
		{Renamed: "a.e.F", Other: "com.shop.app.App"}, {Renamed: "a.e.F", Other: "android.app.Activity", Out: true}, // platform: not defined
	}, defined)
	for class, want := range map[string]owner{
		"a.b.C": {OwnerApp, OwnerKindApp},
		"a.c.D": {"jpush", OwnerKindSDK},
		"a.d.E": {"a.d", OwnerKindThirdParty}, // called by the app, calls JPush: undecidable
		"a.e.F": {"a.e", OwnerKindThirdParty}, // only one side known
	} {
		if got := o.of(class); got != want {
			t.Errorf("of(%s) = %+v, want %+v", class, got, want)
		}
	}
}
