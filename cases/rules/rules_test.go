package rules

import (
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

func TestPolicyMissing(t *testing.T) {
	withDoc := newScan("android.permission.CAMERA")
	withDoc.PolicyDocs = []apk.PolicyDoc{{Path: "assets/privacy.html", Kind: "privacy", Title: "隐私政策"}, {Path: "assets/terms.html", Kind: "terms"}}
	withURL := newScan("android.permission.CAMERA")
	withURL.Endpoints = []endpoint.Endpoint{{Value: "https://ex.com/privacy.html", Policy: true}, {Value: "https://ex.com/api"}}
	for _, tc := range []struct {
		name string
		f    *Facts
		n    int
		sev  []cases.Severity
		key  string
	}{
		{"policy present", &Facts{Scan: newScan("android.permission.CAMERA"), Policy: declaring()}, 0, nil, ""},
		{"none at all", &Facts{Scan: newScan("android.permission.CAMERA")}, 1, []cases.Severity{cases.SeverityHigh}, "scan:com.example.app"},
		{"bundled doc", &Facts{Scan: withDoc}, 1, []cases.Severity{cases.SeverityLow}, "policy_doc:assets/privacy.html"},
		{"policy url", &Facts{Scan: withURL}, 1, []cases.Severity{cases.SeverityLow}, "endpoint:https://ex.com/privacy.html"},
		{"collects nothing", &Facts{Scan: newScan("android.permission.INTERNET")}, 1, []cases.Severity{cases.SeverityInfo}, ""},
	} {
		got := runOnly(tc.f, "policy.missing")
		expect(t, tc.name, got, tc.n, tc.sev...)
		if tc.key != "" && len(got) == 1 && !hasKey(got[0], tc.key) {
			t.Errorf("%s: no evidence %s: %v", tc.name, tc.key, got[0].EvidenceKeys())
		}
		if tc.name == "bundled doc" && len(got) == 1 && hasKey(got[0], "policy_doc:assets/terms.html") {
			t.Error("terms cited as a policy")
		}
	}
}

func TestPermissionUndeclared(t *testing.T) {
	loc := "android.permission.ACCESS_FINE_LOCATION"
	groupOnly := declaring()
	groupOnly.PermissionGroups = []policy.PermissionGroup{{Group: "LOCATION", Text: "位置权限", Start: 3, End: 7, Via: "permission"}}
	negated := declaring()
	negated.DataTypes = []policy.DataType{{Category: pi.Location, Text: "位置", Start: 1, End: 3, Negated: true}}
	for _, tc := range []struct {
		name string
		f    *Facts
		n    int
		sev  []cases.Severity
	}{
		{"no policy: silent", &Facts{Scan: newScan(loc)}, 0, nil},
		{"declared data", &Facts{Scan: newScan(loc), Policy: declaring(pi.Location)}, 0, nil},
		{"group named", &Facts{Scan: newScan(loc), Policy: groupOnly}, 0, nil},
		{"undeclared sensitive", &Facts{Scan: newScan(loc), Policy: declaring(pi.Camera)}, 1, []cases.Severity{cases.SeverityHigh}},
		{"negated is not declared", &Facts{Scan: newScan(loc), Policy: negated}, 1, []cases.Severity{cases.SeverityHigh}},
		{"undeclared ordinary", &Facts{Scan: newScan("android.permission.READ_CALENDAR"), Policy: declaring()}, 1, []cases.Severity{cases.SeverityMedium}},
		{"normal permission ignored", &Facts{Scan: newScan("android.permission.ACCESS_WIFI_STATE", "android.permission.INTERNET"), Policy: declaring()}, 0, nil},
		{"special permission", &Facts{Scan: newScan("android.permission.QUERY_ALL_PACKAGES"), Policy: declaring()}, 1, nil},
		{"one of two categories declared", &Facts{Scan: newScan("android.permission.READ_PHONE_STATE"), Policy: declaring(pi.DeviceID)}, 0, nil},
	} {
		expect(t, tc.name, runOnly(tc.f, "permission.undeclared"), tc.n, tc.sev...)
	}
}

func TestPermissionUnexplained(t *testing.T) {
	cam := "android.permission.CAMERA"
	explainedGroup := declaring(pi.Camera)
	explainedGroup.Permissions = []policy.PermissionExplanation{{Group: "CAMERA", Explained: true}}
	unexplainedGroup := declaring(pi.Camera)
	unexplainedGroup.Permissions = []policy.PermissionExplanation{{Group: "CAMERA", Explained: false}}
	purpose := declaring(pi.Camera)
	purpose.Purposes = []policy.Purpose{{Text: "扫码", DataTypes: []pi.Category{pi.Camera}}}
	for _, tc := range []struct {
		name string
		f    *Facts
		n    int
	}{
		{"no policy", &Facts{Scan: newScan(cam)}, 0},
		{"never mentioned: left to undeclared", &Facts{Scan: newScan(cam), Policy: declaring()}, 0},
		{"mentioned, no purpose", &Facts{Scan: newScan(cam), Policy: declaring(pi.Camera)}, 1},
		{"explanation without purpose", &Facts{Scan: newScan(cam), Policy: unexplainedGroup}, 1},
		{"explained group", &Facts{Scan: newScan(cam), Policy: explainedGroup}, 0},
		{"purpose names the data", &Facts{Scan: newScan(cam), Policy: purpose}, 0},
		{"two location permissions, one candidate", &Facts{Scan: newScan("android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"), Policy: declaring(pi.Location)}, 1},
	} {
		got := runOnly(tc.f, "permission.unexplained")
		expect(t, tc.name, got, tc.n)
		if tc.n == 1 && len(got) == 1 && tc.name == "two location permissions, one candidate" && len(got[0].Evidence) != 3 {
			t.Errorf("%s: evidence %v", tc.name, got[0].EvidenceKeys())
		}
	}
}

func TestSDKUndisclosed(t *testing.T) {
	scan := func(s ...inspect.SDK) *inspect.Result {
		r := newScan()
		r.SDKs = s
		r.APIs = []inspect.APIUse{
			apiUse("telephony.getDeviceId", pi.DeviceID, false, caller("cn.jpush.A", "b", "jpush")),
			apiUse("uri.sms", pi.SMS, true, caller("com.weak.A", "b", "weak")),
			apiUse("pm.getPackageInfo", pi.InstalledApps, false, caller("com.low.A", "b", "low")),
		}
		return r
	}
	jp := sdkOf("jpush", "JPush", "push", "telephony.getDeviceId")
	jp.NameZH = "极光推送"
	lowConf := sdkOf("foo-ads", "Foo Ads", "ads")
	lowConf.Confidence = "low"
	byID := declaring()
	byID.SDKs = []policy.SDKMention{{Name: "极光", ID: "jpush", Start: 1, End: 3}}
	byZH := declaring()
	byZH.SDKs = []policy.SDKMention{{Name: "极光推送SDK", Start: 1, End: 7}}
	for _, tc := range []struct {
		name string
		f    *Facts
		n    int
		sev  []cases.Severity
	}{
		{"no policy", &Facts{Scan: scan(jp)}, 0, nil},
		{"undisclosed, calls sensitive API", &Facts{Scan: scan(jp), Policy: declaring()}, 1, []cases.Severity{cases.SeverityHigh}},
		{"disclosed by id", &Facts{Scan: scan(jp), Policy: byID}, 0, nil},
		{"disclosed by Chinese name", &Facts{Scan: scan(jp), Policy: byZH}, 0, nil},
		{"present, no API", &Facts{Scan: scan(sdkOf("umeng", "Umeng", "analytics")), Policy: declaring()}, 1, []cases.Severity{cases.SeverityMedium}},
		{"low confidence", &Facts{Scan: scan(lowConf), Policy: declaring()}, 1, []cases.Severity{cases.SeverityLow}},
		{"weak API only", &Facts{Scan: scan(sdkOf("weak", "Weak", "ads", "uri.sms")), Policy: declaring()}, 1, []cases.Severity{cases.SeverityMedium}},
		{"low-signal API only", &Facts{Scan: scan(sdkOf("low", "Low", "ads", "pm.getPackageInfo")), Policy: declaring()}, 1, []cases.Severity{cases.SeverityMedium}},
		{"development library", &Facts{Scan: scan(sdkOf("okhttp", "OkHttp", "network"), sdkOf("support-library", "Support", "development")), Policy: declaring()}, 0, nil},
		{"miscategorised jetpack", &Facts{Scan: scan(sdkOf("jetpack-fragment", "Fragment", "rtc"), sdkOf("jetpack-sharetarget", "Share", "social")), Policy: declaring()}, 0, nil},
	} {
		got := runOnly(tc.f, "sdk.undisclosed")
		expect(t, tc.name, got, tc.n, tc.sev...)
		if len(got) == 1 && got[0].Subject == "app" {
			t.Errorf("%s: subject is app", tc.name)
		}
	}
	got := runOnly(&Facts{Scan: scan(jp), Policy: declaring()}, "sdk.undisclosed")
	if len(got) == 1 && !hasKey(got[0], "api:telephony.getDeviceId@cn.jpush.A#b") {
		t.Errorf("call site not cited: %v", got[0].EvidenceKeys())
	}
}

func TestSDKDataUnderstated(t *testing.T) {
	s := sdkOf("umeng", "Umeng", "analytics", "wifiinfo.getMacAddress", "location.getLastKnownLocation")
	r := newScan()
	r.SDKs = []inspect.SDK{s}
	r.APIs = []inspect.APIUse{
		apiUse("wifiinfo.getMacAddress", pi.DeviceID, false, caller("com.umeng.A", "mac", "umeng")),
		apiUse("location.getLastKnownLocation", pi.Location, false, caller("com.umeng.B", "loc", "umeng")),
	}
	mention := func(cats ...pi.Category) *policy.Extraction {
		ex := declaring()
		ex.SDKs = []policy.SDKMention{{Name: "友盟", ID: "umeng", Start: 5, End: 7, DataTypes: cats, Sentence: policy.Span{Start: 0, End: 20}}}
		return ex
	}
	inSentence := mention(pi.DeviceID)
	inSentence.DataTypes = append(inSentence.DataTypes, policy.DataType{Category: pi.Location, Start: 10, End: 12})
	// a finer word of the sentence (电量: battery) names no device identifier
	narrowOnly := mention(pi.Location)
	narrowOnly.DataTypes = append(narrowOnly.DataTypes, policy.DataType{Category: pi.DeviceID, Narrow: "battery", Start: 10, End: 12})
	vendorOnly := *r
	vendorOnly.SDKs = []inspect.SDK{sdkOf("umeng", "Umeng", "analytics")}
	vendorOnly.SDKs[0].Collects = []pi.Category{pi.DeviceID}
	for _, tc := range []struct {
		name string
		f    *Facts
		n    int
		sev  []cases.Severity
	}{
		{"no policy", &Facts{Scan: r}, 0, nil},
		{"not listed: left to undisclosed", &Facts{Scan: r, Policy: declaring()}, 0, nil},
		{"listed with everything", &Facts{Scan: r, Policy: mention(pi.DeviceID, pi.Location)}, 0, nil},
		{"location missing", &Facts{Scan: r, Policy: mention(pi.DeviceID)}, 1, []cases.Severity{cases.SeverityHigh}},
		{"only non-sensitive missing", &Facts{Scan: r, Policy: mention(pi.Location)}, 1, []cases.Severity{cases.SeverityMedium}},
		{"named in the sentence", &Facts{Scan: r, Policy: inSentence}, 0, nil},
		{"only a narrower word in the sentence", &Facts{Scan: r, Policy: narrowOnly}, 1, []cases.Severity{cases.SeverityMedium}},
		{"vendor policy only", &Facts{Scan: &vendorOnly, Policy: mention()}, 1, []cases.Severity{cases.SeverityLow}},
	} {
		expect(t, tc.name, runOnly(tc.f, "sdk.data_understated"), tc.n, tc.sev...)
	}
}

func TestAPIUndeclared(t *testing.T) {
	build := func(apis ...inspect.APIUse) *inspect.Result {
		r := newScan()
		r.SDKs = []inspect.SDK{sdkOf("jpush", "JPush", "push"), sdkOf("jetpack-core", "Core", "development"), sdkOf("glide", "Glide", "image")}
		r.APIs = apis
		return r
	}
	clip := apiUse("clipboard.getPrimaryClip", pi.Clipboard, false, caller("com.example.A", "paste", "app"))
	loc := apiUse("location.getLastKnownLocation", pi.Location, false, caller("com.example.A", "loc", "app"), caller("cn.jpush.B", "loc", "jpush"))
	weak := apiUse("uri.contacts", pi.Contacts, true, caller("com.example.A", "x", "app"))
	own := apiUse("pm.getPackageInfo", pi.InstalledApps, false, caller("com.example.A", "version", "app"))
	installed := apiUse("pm.getInstalledPackages", pi.InstalledApps, false, caller("com.example.A", "apps", "app"))
	compat := apiUse("telephony.getImei", pi.DeviceID, false, caller("androidx.core.T", "getImei", "jetpack-core"))
	lib := apiUse("wifiinfo.getMacAddress", pi.DeviceID, false, caller("com.bumptech.G", "mac", "glide"))
	for _, tc := range []struct {
		name string
		f    *Facts
		n    int
		sev  []cases.Severity
		subj []string
	}{
		{"no policy", &Facts{Scan: build(clip)}, 0, nil, nil},
		{"declared", &Facts{Scan: build(clip), Policy: declaring(pi.Clipboard)}, 1 - 1, nil, nil},
		{"undeclared app call", &Facts{Scan: build(clip), Policy: declaring()}, 1, []cases.Severity{cases.SeverityMedium}, []string{"app"}},
		// sorted by the first evidence key: cn.jpush… before com.example…
		{"sensitive, split by subject", &Facts{Scan: build(loc), Policy: declaring()}, 2, []cases.Severity{cases.SeverityHigh, cases.SeverityHigh}, []string{"jpush", "app"}},
		{"weak only", &Facts{Scan: build(weak), Policy: declaring()}, 1, []cases.Severity{cases.SeverityLow}, nil},
		{"own package info is benign", &Facts{Scan: build(own), Policy: declaring()}, 0, nil, nil},
		{"installed apps list", &Facts{Scan: build(installed), Policy: declaring()}, 1, nil, nil},
		{"platform compat wrapper", &Facts{Scan: build(compat), Policy: declaring()}, 0, nil, nil},
		{"non-PI library folds into app", &Facts{Scan: build(lib), Policy: declaring()}, 1, nil, []string{"app"}},
	} {
		got := runOnly(tc.f, "api.undeclared")
		expect(t, tc.name, got, tc.n, tc.sev...)
		for i, s := range tc.subj {
			if i < len(got) && got[i].Subject != s {
				t.Errorf("%s: subject %d = %s, want %s", tc.name, i, got[i].Subject, s)
			}
		}
	}
	got := runOnly(&Facts{Scan: build(loc), Policy: declaring()}, "api.undeclared")
	if len(got) == 2 {
		if got[0].Articles[len(got[0].Articles)-1] != "pipl/30" {
			t.Errorf("sensitive data does not cite pipl/30: %v", got[0].Articles)
		}
		for _, c := range got {
			if c.Subject == "app" && hasKey(c, "api:location.getLastKnownLocation@cn.jpush.B#loc") {
				t.Error("the app's candidate cites the SDK's call site")
			}
		}
	}
}

func TestScope(t *testing.T) {
	lc := catalog(t)
	maps, _ := lc.AppType("maps-navigation")
	news, _ := lc.AppType("news")
	r := newScan("android.permission.ACCESS_FINE_LOCATION", "android.permission.READ_CONTACTS", "android.permission.ACCESS_WIFI_STATE")
	r.APIs = []inspect.APIUse{
		apiUse("wifiinfo.getSSID", pi.NetworkInfo, false, caller("com.example.A", "ssid", "app")),
		apiUse("uri.sms", pi.SMS, true, caller("com.example.A", "s", "app")),
		apiUse("telephony.getImei", pi.DeviceID, false, caller("androidx.T", "i", "jetpack-core")),
	}
	dev := &DeviceFacts{Ops: []DeviceOp{{Op: "READ_CLIPBOARD", Time: t0}, {Op: "CAMERA", Time: t0, Rejected: true}}}
	for _, tc := range []struct {
		name string
		f    *Facts
		n    int
	}{
		{"no app type", &Facts{Scan: r}, 0},
		// contacts (medium), network_info (low, from the API only); location is necessary
		{"maps", &Facts{Scan: r, AppType: &maps}, 2},
		{"news needs nothing", &Facts{Scan: r, AppType: &news}, 3},
		{"device access counts", &Facts{Scan: r, AppType: &maps, Device: dev}, 3},
	} {
		got := runOnly(tc.f, "scope.beyond_necessary")
		expect(t, tc.name, got, tc.n)
		for _, c := range got {
			if c.Articles[len(c.Articles)-1] != tc.f.AppType.ArticleID {
				t.Errorf("%s: does not cite the app type row: %v", tc.name, c.Articles)
			}
		}
	}
	got := runOnly(&Facts{Scan: r, AppType: &news}, "scope.beyond_necessary")
	sev := map[string]cases.Severity{}
	for _, c := range got {
		for _, e := range c.Evidence {
			sev[e.Key] = c.Severity
		}
	}
	if sev["permission:android.permission.ACCESS_FINE_LOCATION"] != cases.SeverityHigh {
		t.Errorf("location severity: %v", sev)
	}
	if sev["api:wifiinfo.getSSID@com.example.A#ssid"] != cases.SeverityLow {
		t.Errorf("network info severity: %v", sev)
	}
}

func TestElements(t *testing.T) {
	missing := declaring()
	for i := range missing.Elements {
		if missing.Elements[i].ID == "retention" || missing.Elements[i].ID == "third_party_sharing" {
			missing.Elements[i].Present = false
		}
	}
	partial := &policy.Extraction{Elements: []policy.Element{{ID: "retention", Present: false}}}
	withSDK := newScan()
	withSDK.SDKs = []inspect.SDK{sdkOf("jpush", "JPush", "push")}
	for _, tc := range []struct {
		name string
		f    *Facts
		id   RuleID
		n    int
		sev  []cases.Severity
	}{
		{"no policy", &Facts{Scan: newScan()}, "consent.element_missing.retention", 0, nil},
		{"all present", &Facts{Scan: newScan(), Policy: declaring()}, "consent.element_missing.retention", 0, nil},
		{"retention missing", &Facts{Scan: newScan(), Policy: missing}, "consent.element_missing.retention", 1, []cases.Severity{cases.SeverityMedium}},
		{"element not looked for", &Facts{Scan: newScan(), Policy: partial}, "consent.element_missing.purposes", 0, nil},
		{"sharing missing, no SDK", &Facts{Scan: newScan(), Policy: missing}, "consent.element_missing.third_party_sharing", 1, []cases.Severity{cases.SeverityLow}},
		{"sharing missing with SDK", &Facts{Scan: withSDK, Policy: missing}, "consent.element_missing.third_party_sharing", 1, []cases.Severity{cases.SeverityMedium}},
	} {
		expect(t, tc.name, runOnly(tc.f, tc.id), tc.n, tc.sev...)
	}
}

func TestPlatformAndSecurity(t *testing.T) {
	old := newScan("android.permission.CAMERA", "android.permission.INTERNET")
	old.TargetSDK = 22
	oldNoDanger := newScan("android.permission.INTERNET")
	oldNoDanger.TargetSDK = 22
	expect(t, "target 22 with dangerous", runOnly(&Facts{Scan: old}, "platform.target_sdk_lt_23"), 1)
	expect(t, "target 22 without dangerous", runOnly(&Facts{Scan: oldNoDanger}, "platform.target_sdk_lt_23"), 0)
	expect(t, "target 30", runOnly(&Facts{Scan: newScan("android.permission.CAMERA")}, "platform.target_sdk_lt_23"), 0)
	unknown := newScan("android.permission.CAMERA")
	unknown.TargetSDK = 0
	expect(t, "target unknown", runOnly(&Facts{Scan: unknown}, "platform.target_sdk_lt_23"), 0)

	ct := func(declared *bool, eff bool, nsc string, urls ...string) *Facts {
		r := newScan("android.permission.INTERNET")
		r.Application = apk.Application{UsesCleartextTraffic: declared, UsesCleartextTrafficEffective: eff, NetworkSecurityConfig: nsc}
		for _, u := range urls {
			r.Endpoints = append(r.Endpoints, endpoint.Endpoint{Value: u, Host: "h"})
		}
		return &Facts{Scan: r}
	}
	noNet := ct(boolp(true), true, "")
	noNet.Scan.Permissions = nil
	expect(t, "cleartext off", runOnly(ct(boolp(false), false, ""), "security.cleartext"), 0)
	expect(t, "cleartext declared", runOnly(ct(boolp(true), true, ""), "security.cleartext"), 1, cases.SeverityMedium)
	expect(t, "cleartext default", runOnly(ct(nil, true, ""), "security.cleartext"), 1, cases.SeverityLow)
	expect(t, "cleartext default with http URL", runOnly(ct(nil, true, "", "http://ex.com/a", "https://ex.com"), "security.cleartext"), 1, cases.SeverityMedium)
	expect(t, "network security config", runOnly(ct(nil, false, "@xml/nsc"), "security.cleartext"), 1, cases.SeverityInfo)
	expect(t, "no INTERNET", runOnly(noNet, "security.cleartext"), 0)

	dbg := newScan()
	dbg.Application.Debuggable = true
	expect(t, "debuggable", runOnly(&Facts{Scan: dbg}, "security.debuggable"), 1, cases.SeverityMedium)
	expect(t, "not debuggable", runOnly(&Facts{Scan: newScan()}, "security.debuggable"), 0)

	bk := func(declared *bool, eff bool, target int) *Facts {
		r := newScan()
		r.TargetSDK = target
		r.Application.AllowBackup, r.Application.AllowBackupEffective = declared, eff
		return &Facts{Scan: r}
	}
	expect(t, "backup default", runOnly(bk(nil, true, 28), "security.allow_backup"), 1, cases.SeverityLow)
	expect(t, "backup off", runOnly(bk(boolp(false), false, 28), "security.allow_backup"), 0)
	expect(t, "backup target 31", runOnly(bk(boolp(true), true, 33), "security.allow_backup"), 1, cases.SeverityInfo)

	comps := func(cs ...apk.Component) *Facts {
		r := newScan()
		r.Components = cs
		return &Facts{Scan: r}
	}
	launcher := component("activity", "a.Main", true, apk.IntentFilter{Actions: []string{"android.intent.action.MAIN"}, Categories: []string{"android.intent.category.LAUNCHER"}})
	guarded := component("service", "a.S", true)
	guarded.Permission = "a.PERM"
	prov := component("provider", "a.P", true)
	provRW := prov
	provRW.ReadPermission, provRW.WritePermission = "a.R", "a.W"
	provR := prov
	provR.ReadPermission = "a.R"
	expect(t, "launcher only", runOnly(comps(launcher), "security.exported_component"), 0)
	expect(t, "guarded service", runOnly(comps(guarded), "security.exported_component"), 0)
	expect(t, "not exported", runOnly(comps(component("receiver", "a.R", false)), "security.exported_component"), 0)
	expect(t, "open activity", runOnly(comps(launcher, component("activity", "a.Share", true)), "security.exported_component"), 1, cases.SeverityInfo)
	expect(t, "open receiver", runOnly(comps(component("receiver", "a.R", true)), "security.exported_component"), 1, cases.SeverityLow)
	expect(t, "open provider", runOnly(comps(prov), "security.exported_component"), 1, cases.SeverityMedium)
	expect(t, "provider read-only guarded", runOnly(comps(provR), "security.exported_component"), 1, cases.SeverityMedium)
	expect(t, "provider guarded", runOnly(comps(provRW), "security.exported_component"), 0)
}

func TestDeviceRules(t *testing.T) {
	r := newScan()
	fg := false
	ops := []DeviceOp{
		{Op: "FINE_LOCATION", Time: t0.Add(-time.Minute), Foreground: &fg},
		{Op: "android:coarse_location", Time: t0.Add(-2 * time.Minute)},
		{Op: "READ_CLIPBOARD", Time: t0.Add(-time.Second), Rejected: true},
		{Op: "CAMERA", Time: t0},                                      // at consent: not before
		{Op: "READ_CONTACTS", Time: t0.Add(time.Hour)},                // after
		{Op: "WAKE_LOCK", Time: t0.Add(-time.Hour)},                   // not personal information
		{Op: "CUSTOM", Category: pi.Health, Time: t0.Add(-time.Hour)}, // explicit category
		{Op: "READ_SMS"}, // no time
	}
	for _, tc := range []struct {
		name string
		d    *DeviceFacts
		n    int
		sev  []cases.Severity
	}{
		{"no device", nil, 0, nil},
		{"consent not marked", &DeviceFacts{Ops: ops}, 0, nil},
		// by evidence key: location (COARSE…), health (CUSTOM), clipboard (rejected → medium)
		{"before consent", &DeviceFacts{Ops: ops, ConsentAt: t0}, 3, []cases.Severity{cases.SeverityHigh, cases.SeverityHigh, cases.SeverityMedium}},
	} {
		got := runOnly(&Facts{Scan: r, Device: tc.d}, "device.access_before_consent")
		expect(t, tc.name, got, tc.n, tc.sev...)
		if tc.n == 3 && len(got) == 3 && len(got[0].Evidence) != 3 {
			t.Errorf("location evidence: %v", got[0].EvidenceKeys())
		}
	}

	grants := []PermissionEvent{
		{Permission: "android.permission.READ_PHONE_STATE", Time: t0.Add(-time.Minute), Granted: true},
		{Permission: "android.permission.READ_PHONE_STATE", Time: t0.Add(-2 * time.Minute), Granted: true},
		{Permission: "android.permission.INTERNET", Time: t0.Add(-time.Minute), Granted: true},
		{Permission: "android.permission.CAMERA", Time: t0.Add(-time.Minute), Granted: false},
		{Permission: "android.permission.RECORD_AUDIO", Time: t0.Add(time.Minute), Granted: true},
		{Permission: "com.vendor.UNKNOWN", Time: t0.Add(-time.Minute), Granted: true},
	}
	got := runOnly(&Facts{Scan: r, Device: &DeviceFacts{PermissionGrants: grants, ConsentAt: t0}}, "device.permission_before_consent")
	expect(t, "grants", got, 2)
	if len(got) == 2 && !hasKey(got[0], "device:permission:android.permission.READ_PHONE_STATE@"+timeKey(t0.Add(-2*time.Minute))) &&
		!hasKey(got[1], "device:permission:android.permission.READ_PHONE_STATE@"+timeKey(t0.Add(-2*time.Minute))) {
		t.Errorf("earliest grant not cited: %v", keysOf(got))
	}
	expect(t, "grants without consent", runOnly(&Facts{Scan: r, Device: &DeviceFacts{PermissionGrants: grants}}, "device.permission_before_consent"), 0)

	starts := func(consent time.Time, offs ...time.Duration) *Facts {
		d := &DeviceFacts{ConsentAt: consent}
		for _, o := range offs {
			d.SelfStarts = append(d.SelfStarts, SelfStart{Time: t0.Add(o), Reason: "boot_receiver"})
		}
		d.SelfStarts = append(d.SelfStarts, SelfStart{Reason: "boot_receiver"}) // untimed: ignored
		return &Facts{Scan: r, Device: d}
	}
	expect(t, "two starts", runOnly(starts(time.Time{}, 0, time.Minute), "device.frequent_self_start"), 0)
	expect(t, "three spread out", runOnly(starts(time.Time{}, 0, 2*time.Hour, 4*time.Hour), "device.frequent_self_start"), 0)
	expect(t, "three in an hour", runOnly(starts(time.Time{}, 3*time.Hour, 0, 30*time.Minute, time.Hour), "device.frequent_self_start"), 1, cases.SeverityMedium)
	expect(t, "before consent", runOnly(starts(t0.Add(10*time.Minute), 0, 5*time.Minute, 20*time.Minute), "device.frequent_self_start"), 1, cases.SeverityHigh)
}

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct {
		text       string
		start, end int
		want       string
	}{
		{"我们收集位置信息", 4, 8, "位置信息"},
		{"abc", 1, 10, "bc"},
		{"abc", 5, 6, ""},
		{"abc", 2, 1, ""},
		{"", 0, 3, ""},
		{"一二三四五", 0, 5, "一二…"},
	} {
		max := 120
		if tc.want == "一二…" {
			max = 2
		}
		if got := excerpt(tc.text, tc.start, tc.end, max); got != tc.want {
			t.Errorf("excerpt(%q,%d,%d) = %q, want %q", tc.text, tc.start, tc.end, got, tc.want)
		}
	}
}
