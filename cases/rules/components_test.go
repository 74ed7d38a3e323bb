package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// TestComponentRules runs each new rule alone on facts built in Go: a case
// that must fire (with the evidence keys it must cite and its severity) and
// neighbours that must stay silent.
func TestComponentRules(t *testing.T) {
	withComps := func(cs ...apk.Component) *Facts {
		r := newScan()
		r.Components = cs
		return &Facts{Scan: r}
	}
	withAPIs := func(as ...inspect.APIUse) *Facts {
		r := newScan()
		r.APIs = as
		return &Facts{Scan: r}
	}
	bgFacts := func(class string) *Facts {
		f := withAPIs(apiUse("telephony.getDeviceId", pi.DeviceID, false, caller(class, "onReceive", "app")))
		f.Scan.Components = []apk.Component{component("receiver", "com.example.app.Boot", false)}
		return f
	}
	sdkUpdate := newScan()
	sdkUpdate.SDKs = []inspect.SDK{sdkOf("umeng-update", "Umeng Update", "development")}
	onlyPerm := newScan("android.permission.REQUEST_INSTALL_PACKAGES")
	installer := withComps(component("activity", "com.example.app.Installer", false, apk.IntentFilter{Actions: []string{"android.intent.action.VIEW"}, MimeTypes: []string{apkMIME}}))
	queryAll := newScan("android.permission.QUERY_ALL_PACKAGES")
	declaredList := withAPIs(apiUse("pm.getInstalledPackages", pi.InstalledApps, false, caller("com.example.app.A", "b", "app")))
	declaredList.Policy = &policy.Extraction{DataTypes: []policy.DataType{{Category: pi.InstalledApps, Start: 0, End: 4, Practice: "collect"}}}
	declaredList.PolicyText = "应用列表用于安全检测。"
	plain := func(vals ...string) *Facts {
		r := newScan()
		for _, v := range vals {
			e := endpoint.Endpoint{Value: v, Kind: endpoint.URL, Sources: []string{"dex"}}
			if strings.Contains(v, "192.168.") {
				e.Private = true
			}
			r.Endpoints = append(r.Endpoints, e)
		}
		return &Facts{Scan: r}
	}

	tests := []struct {
		name     string
		rule     RuleID
		f        *Facts
		keys     []string // evidence keys the first candidate must cite; nil = must not fire
		severity cases.Severity
		subjects int
	}{
		{"accessibility by permission", "component.accessibility_service",
			withComps(apk.Component{Kind: "service", Name: "com.x.Acc", Exported: true, Permission: "android.permission.BIND_ACCESSIBILITY_SERVICE", Enabled: true}),
			[]string{"component:service:com.x.Acc"}, cases.SeverityMedium, 1},
		{"accessibility by action", "component.accessibility_service",
			withComps(component("service", "com.x.Acc2", true, apk.IntentFilter{Actions: []string{"android.accessibilityservice.AccessibilityService"}})),
			[]string{"component:service:com.x.Acc2"}, cases.SeverityMedium, 1},
		{"ordinary service is no accessibility service", "component.accessibility_service",
			withComps(component("service", "com.x.Plain", false)), nil, "", 0},
		{"device admin", "component.device_admin",
			withComps(apk.Component{Kind: "receiver", Name: "com.x.Admin", Exported: true, Permission: "android.permission.BIND_DEVICE_ADMIN", Enabled: true}),
			[]string{"component:receiver:com.x.Admin"}, cases.SeverityMedium, 1},
		{"receiver without admin", "component.device_admin",
			withComps(component("receiver", "com.x.R", false)), nil, "", 0},
		{"boot receiver", "component.self_start",
			withComps(component("receiver", "com.x.Boot", true, apk.IntentFilter{Actions: []string{"android.intent.action.BOOT_COMPLETED"}})),
			[]string{"component:receiver:com.x.Boot"}, cases.SeverityMedium, 1},
		{"connectivity receiver", "component.self_start",
			withComps(component("receiver", "com.x.Net", false, apk.IntentFilter{Actions: []string{"android.net.conn.CONNECTIVITY_CHANGE"}})),
			[]string{"component:receiver:com.x.Net"}, cases.SeverityLow, 1},
		{"sync adapter", "component.self_start",
			withComps(component("service", "com.x.Sync", true, apk.IntentFilter{Actions: []string{"android.content.SyncAdapter"}})),
			[]string{"component:service:com.x.Sync"}, cases.SeverityLow, 1},
		{"exported service other apps bind", "component.self_start",
			withComps(component("service", "com.sdk.push.WakeService", true, apk.IntentFilter{Actions: []string{"com.sdk.push.WAKE"}})),
			[]string{"component:service:com.sdk.push.WakeService"}, cases.SeverityLow, 1},
		{"guarded exported service is not associated start", "component.self_start",
			withComps(apk.Component{Kind: "service", Name: "com.x.G", Exported: true, Permission: "com.x.P", Enabled: true, IntentFilters: []apk.IntentFilter{{Actions: []string{"a"}}}}),
			nil, "", 0},
		{"disabled boot receiver", "component.self_start",
			withComps(apk.Component{Kind: "receiver", Name: "com.x.Off", IntentFilters: []apk.IntentFilter{{Actions: []string{"android.intent.action.BOOT_COMPLETED"}}}}),
			nil, "", 0},
		{"update SDK", "component.self_update", &Facts{Scan: sdkUpdate}, []string{"sdk:umeng-update"}, cases.SeverityMedium, 1},
		{"update component", "component.self_update",
			withComps(component("service", "com.umeng.update.net.DownloadingService", false)),
			[]string{"component:service:com.umeng.update.net.DownloadingService"}, cases.SeverityMedium, 1},
		{"apk installer intent", "component.self_update", installer, []string{"component:activity:com.example.app.Installer"}, cases.SeverityMedium, 1},
		{"install permission only", "component.self_update", &Facts{Scan: onlyPerm},
			[]string{"permission:android.permission.REQUEST_INSTALL_PACKAGES"}, cases.SeverityLow, 1},
		{"nothing installs", "component.self_update", &Facts{Scan: newScan("android.permission.INTERNET")}, nil, "", 0},
		{"app list by API, per subject", "api.app_list",
			withAPIs(apiUse("pm.getInstalledPackages", pi.InstalledApps, false, caller("com.example.app.A", "b", "app"), caller("com.sdk.X", "y", "some-sdk"))),
			[]string{"api:pm.getInstalledPackages@com.example.app.A#b"}, cases.SeverityMedium, 2},
		{"app list by permission", "api.app_list", &Facts{Scan: queryAll},
			[]string{"permission:android.permission.QUERY_ALL_PACKAGES"}, cases.SeverityMedium, 1},
		{"app list declared", "api.app_list", declaredList, []string{"api:pm.getInstalledPackages@com.example.app.A#b", "policy:0-4"}, cases.SeverityLow, 1},
		{"own package info is no app list", "api.app_list",
			withAPIs(apiUse("pm.getPackageInfo", pi.InstalledApps, false, caller("com.example.app.A", "b", "app"))), nil, "", 0},
		{"clipboard read", "api.clipboard",
			withAPIs(apiUse("clipboard.getPrimaryClip", pi.Clipboard, false, caller("com.sdk.C", "r", "some-sdk"))),
			[]string{"api:clipboard.getPrimaryClip@com.sdk.C#r"}, cases.SeverityMedium, 1},
		{"clipboard probe only", "api.clipboard",
			withAPIs(apiUse("clipboard.hasPrimaryClip", pi.Clipboard, false, caller("com.sdk.C", "r", "some-sdk"))), nil, "", 0},
		{"identifier read in a receiver", "api.background_collection", bgFacts("com.example.app.Boot"),
			[]string{"api:telephony.getDeviceId@com.example.app.Boot#onReceive", "component:receiver:com.example.app.Boot"}, cases.SeverityMedium, 1},
		{"identifier read in an inner class of a receiver", "api.background_collection", bgFacts("com.example.app.Boot$1"),
			[]string{"api:telephony.getDeviceId@com.example.app.Boot$1#onReceive", "component:receiver:com.example.app.Boot"}, cases.SeverityMedium, 1},
		{"identifier read in an activity", "api.background_collection", bgFacts("com.example.app.Main"), nil, "", 0},
		{"plaintext URL with imei", "security.plaintext_personal_data", plain("http://t.example.cn/c?imei=1&v=2"),
			[]string{"endpoint:http://t.example.cn/c?imei=1&v=2"}, cases.SeverityHigh, 1},
		{"https URL with imei", "security.plaintext_personal_data", plain("https://t.example.cn/c?imei=1"), nil, "", 0},
		{"plaintext URL without personal data", "security.plaintext_personal_data", plain("http://t.example.cn/c?v=2"), nil, "", 0},
		{"private address", "security.plaintext_personal_data", plain("http://192.168.1.2/c?mac=1"), nil, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Run(tc.f, Options{Only: []RuleID{tc.rule}})
			if tc.keys == nil {
				if len(got) != 0 {
					t.Fatalf("fired: %+v", got)
				}
				return
			}
			if len(got) != tc.subjects {
				t.Fatalf("%d candidates, want %d: %+v", len(got), tc.subjects, got)
			}
			c := got[0]
			for _, k := range tc.keys {
				if !slices.Contains(c.EvidenceKeys(), k) {
					t.Errorf("evidence %v lacks %q", c.EvidenceKeys(), k)
				}
			}
			if c.Severity != tc.severity {
				t.Errorf("severity %s, want %s", c.Severity, tc.severity)
			}
			if c.ExplanationZH == "" || c.ExplanationEN == "" || c.RectificationZH == "" || c.RectificationEN == "" {
				t.Errorf("untranslated: %+v", c)
			}
		})
	}
}

func TestContradictionSharing(t *testing.T) {
	scan := func(sdks ...inspect.SDK) *inspect.Result {
		r := newScan()
		r.SDKs = sdks
		return r
	}
	umeng := sdkOf("umeng-analytics", "Umeng Analytics", "analytics", "telephony.getDeviceId")
	quiet := sdkOf("some-ui", "Some UI", "ui")
	tests := []struct {
		name string
		text string
		scan *inspect.Result
		fire bool
	}{
		{"promise and uploading SDK", "我们承诺：我们不会向任何第三方共享您的个人信息。", scan(umeng), true},
		{"promise with other verb order", "我们不会将您的个人信息提供给任何第三方。", scan(umeng), true},
		{"english promise", "We will not share your personal information with any third party.", scan(umeng), true},
		{"conditional promise", "未经您的同意，我们不会向任何第三方共享您的个人信息。", scan(umeng), false},
		{"exception stated", "除本政策所述情形外，我们不会向任何第三方提供您的个人信息。", scan(umeng), false},
		{"no third-party SDK", "我们不会向任何第三方共享您的个人信息。", scan(quiet), false},
		{"no promise", "我们会与友盟共享设备标识。", scan(umeng), false},
		{"no policy text", "", scan(umeng), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Run(&Facts{Scan: tc.scan, PolicyText: tc.text}, Options{Only: []RuleID{"policy.contradiction_sharing"}})
			if (len(got) > 0) != tc.fire {
				t.Fatalf("fired=%v, want %v: %+v", len(got) > 0, tc.fire, got)
			}
			if tc.fire {
				keys := got[0].EvidenceKeys()
				if !slices.Contains(keys, "sdk:umeng-analytics") || !strings.HasPrefix(keys[0], "policy:") {
					t.Errorf("evidence %v", keys)
				}
			}
		})
	}
}

// TestCorrectedCitations pins the citations checked against the article
// texts: n164/2.1 is about forced, frequent and excessive permission
// requests, so neither the policy-purpose rule nor the before-consent grant
// rule cites it.
func TestCorrectedCitations(t *testing.T) {
	for id, want := range map[RuleID][]string{
		"permission.unexplained":                       {"rd2019/2.1", "pipl/17"},
		"device.permission_before_consent":             {"rd2019/3.1", "pipl/13"},
		"consent.element_missing.account_cancellation": {"pipl/17", "rd2019/6.1"},
	} {
		r, ok := Lookup(id)
		if !ok || !slices.Equal(r.Articles, want) {
			t.Errorf("%s cites %v, want %v", id, r.Articles, want)
		}
	}
}

// TestReadmeRuleCount keeps the repository README's rule count true.
func TestReadmeRuleCount(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Skipf("README.md not found: %v", err)
	}
	m := regexp.MustCompile(`The (\d+) rules and the`).FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md no longer states the rule count")
	}
	if n, _ := strconv.Atoi(string(m[1])); n != len(All()) {
		t.Errorf("README.md says %d rules, the registry has %d", n, len(All()))
	}
}

func TestStatementRules(t *testing.T) {
	tests := []struct {
		name string
		rule RuleID
		text string
		fire bool
	}{
		{"no history versions", "policy.statement_missing.history_versions", "我们会更新本政策。", true},
		{"history versions stated", "policy.statement_missing.history_versions", "您可以在设置中查看本政策的历史版本。", false},
		{"no consent exceptions", "policy.statement_missing.consent_exceptions", "我们收集您的位置信息。", true},
		{"consent exceptions stated", "policy.statement_missing.consent_exceptions", "以下情形中，我们收集您的个人信息无需征得您的授权同意。", false},
		{"no dual lists", "policy.statement_missing.dual_lists", "我们收集您的位置信息。", true},
		{"third-party list stated", "policy.statement_missing.dual_lists", "详见《第三方信息共享清单》。", false},
		{"push without opt-out", "policy.statement_missing.targeted_push_optout", "我们会根据您的偏好进行个性化推荐。", true},
		{"push with opt-out", "policy.statement_missing.targeted_push_optout", "我们会进行个性化推荐，您可在设置中关闭个性化推荐。", false},
		{"no push at all", "policy.statement_missing.targeted_push_optout", "我们收集您的位置信息。", false},
		{"no summary", "policy.statement_missing.summary", "我们收集您的位置信息。", true},
		{"summary", "policy.statement_missing.summary", "本政策摘要如下。", false},
		{"no time limit", "policy.statement_missing.complaint_time_limit", "您可以联系我们投诉。", true},
		{"time limit", "policy.statement_missing.complaint_time_limit", "我们将在15个工作日内答复。", false},
		{"time limit in Chinese numerals", "policy.statement_missing.complaint_time_limit", "我们将在十五个工作日内答复。", false},
		{"vague lists", "policy.vague_enumeration", "设备信息等信息、日志数据等数据、通话记录等信息、手机号码等信息、位置权限等权限。", true},
		{"few vague lists", "policy.vague_enumeration", "设备信息等信息。", false},
		{"no policy text", "policy.statement_missing.summary", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Run(&Facts{Scan: newScan(), PolicyText: tc.text}, Options{Only: []RuleID{tc.rule}})
			if (len(got) > 0) != tc.fire {
				t.Fatalf("fired=%v, want %v: %+v", len(got) > 0, tc.fire, got)
			}
		})
	}
}

func TestDeviceFrequencyAndBackground(t *testing.T) {
	at := func(s int, fg *bool) DeviceOp {
		return DeviceOp{Op: "FINE_LOCATION", Time: t0.Add(time.Duration(s) * time.Second), Foreground: fg}
	}
	fg, bg := boolp(true), boolp(false)
	burst := &DeviceFacts{Ops: []DeviceOp{at(0, fg), at(10, fg), at(20, fg), at(30, fg), at(40, fg)}}
	spread := &DeviceFacts{Ops: []DeviceOp{at(0, fg), at(70, fg), at(140, fg), at(210, fg), at(280, fg)}}
	rejected := &DeviceFacts{Ops: []DeviceOp{at(0, bg)}}
	rejected.Ops[0].Rejected = true
	tests := []struct {
		name string
		rule RuleID
		dev  *DeviceFacts
		fire bool
	}{
		{"five reads in a minute", "device.high_frequency_access", burst, true},
		{"five reads over five minutes", "device.high_frequency_access", spread, false},
		{"no device", "device.high_frequency_access", nil, false},
		{"background read", "device.background_access", &DeviceFacts{Ops: []DeviceOp{at(0, bg)}}, true},
		{"foreground read", "device.background_access", &DeviceFacts{Ops: []DeviceOp{at(0, fg)}}, false},
		{"unknown state", "device.background_access", &DeviceFacts{Ops: []DeviceOp{at(0, nil)}}, false},
		{"rejected background attempt", "device.background_access", rejected, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Run(&Facts{Scan: newScan(), Device: tc.dev}, Options{Only: []RuleID{tc.rule}})
			if (len(got) > 0) != tc.fire {
				t.Fatalf("fired=%v, want %v: %+v", len(got) > 0, tc.fire, got)
			}
		})
	}
}

// TestSubjectNamedNotID: a per-subject explanation names an SDK by its
// catalog name and unidentified code by its package root, never by an
// internal id.
func TestSubjectNamedNotID(t *testing.T) {
	r := newScan()
	r.SDKs = []inspect.SDK{sdkOf("jpush", "JPush", "push")}
	r.SDKs[0].NameZH = "极光推送"
	r.APIs = []inspect.APIUse{apiUse("pm.getInstalledPackages", pi.InstalledApps, false,
		caller("cn.jpush.a.B", "c", "jpush"), caller("com.unknown.lib.X", "y", "com.unknown.lib"))}
	got := Run(&Facts{Scan: r}, Options{Only: []RuleID{"api.app_list"}})
	if len(got) != 2 {
		t.Fatalf("%d candidates, want 2: %+v", len(got), got)
	}
	byS := map[string]Candidate{}
	for _, c := range got {
		byS[c.Subject] = c
	}
	if c := byS["jpush"]; !strings.Contains(c.ExplanationZH, "第三方SDK“极光推送”") || !strings.Contains(c.ExplanationEN, `SDK "JPush"`) {
		t.Errorf("SDK not named: %q / %q", c.ExplanationZH, c.ExplanationEN)
	}
	if c := byS["com.unknown.lib"]; !strings.Contains(c.ExplanationZH, "第三方代码（com.unknown.lib）") || !strings.Contains(c.ExplanationEN, "hird-party code under com.unknown.lib") {
		t.Errorf("third-party code not named by its root: %q / %q", c.ExplanationZH, c.ExplanationEN)
	}
}
