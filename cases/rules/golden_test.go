package rules

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
	"github.com/appinspect/appinspect/inspect/sdk"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// hermeticText is the policy text the hermetic extraction points into.
const hermeticText = "我们收集您的位置信息用于导航。我们会读取通讯录。我们使用友盟统计SDK，收集设备标识符。相机用于扫码。我们不会向任何第三方共享您的个人信息。我们会为您提供个性化推荐。我们收集设备信息等信息、日志数据等数据、通话记录等信息、手机号码等信息、位置权限等权限。"

// hermeticFacts builds, in Go, facts on which every rule fires.
func hermeticFacts() *Facts {
	r := newScan(
		"android.permission.ACCESS_FINE_LOCATION",
		"android.permission.READ_CONTACTS",
		"android.permission.READ_PHONE_STATE",
		"android.permission.CAMERA",
		"android.permission.INTERNET",
		"android.permission.QUERY_ALL_PACKAGES",
	)
	r.TargetSDK = 22
	r.Application = apk.Application{
		Debuggable: true, AllowBackupEffective: true,
		UsesCleartextTraffic: boolp(true), UsesCleartextTrafficEffective: true,
	}
	r.Components = []apk.Component{
		component("activity", "com.example.app.Main", true, apk.IntentFilter{Actions: []string{"android.intent.action.MAIN"}, Categories: []string{"android.intent.category.LAUNCHER"}}),
		component("provider", "com.example.app.DataProvider", true),
		{Kind: "service", Name: "com.example.app.Guarded", Exported: true, Permission: "com.example.app.PRIVATE", Enabled: true},
		component("receiver", "com.example.app.Hidden", false),
		{Kind: "service", Name: "com.example.app.Reader", Exported: true, Permission: "android.permission.BIND_ACCESSIBILITY_SERVICE", Enabled: true},
		{Kind: "receiver", Name: "com.example.app.Admin", Exported: true, Permission: "android.permission.BIND_DEVICE_ADMIN", Enabled: true,
			IntentFilters: []apk.IntentFilter{{Actions: []string{"android.app.action.DEVICE_ADMIN_ENABLED"}}}},
		component("receiver", "com.example.app.Boot", true, apk.IntentFilter{Actions: []string{"android.intent.action.BOOT_COMPLETED"}}),
		component("service", "com.umeng.update.net.DownloadingService", false),
	}
	r.SDKs = []inspect.SDK{
		sdkOf("jpush", "JPush", "push", "telephony.getDeviceId"),
		sdkOf("umeng-analytics", "Umeng Analytics", "analytics", "wifiinfo.getMacAddress", "location.getLastKnownLocation"),
		sdkOf("jetpack-core", "Jetpack Core", "development", "telephony.getImei"),
		sdkOf("jetpack-fragment", "Jetpack Fragment", "rtc"),
	}
	r.SDKs[0].NameZH = "极光推送"
	r.SDKs[0].Evidence = []sdk.Evidence{{Kind: "class", Value: "cn.jpush.android", Count: 120, Examples: []string{"cn.jpush.android.api.JPushInterface"}}}
	r.SDKs[1].NameZH = "友盟统计"
	r.SDKs[1].Collects = []pi.Category{pi.DeviceID}
	r.APIs = []inspect.APIUse{
		apiUse("clipboard.getPrimaryClip", pi.Clipboard, false, caller("com.example.app.Paste", "onResume", "app")),
		apiUse("location.getLastKnownLocation", pi.Location, false, caller("com.example.app.Map", "where", "app"), caller("com.umeng.Loc", "get", "umeng-analytics")),
		apiUse("pm.getPackageInfo", pi.InstalledApps, false, caller("com.example.app.About", "version", "app")),
		apiUse("telephony.getDeviceId", pi.DeviceID, false, caller("cn.jpush.android.Dev", "imei", "jpush"), caller("com.example.app.Boot", "onReceive", "app")),
		apiUse("telephony.getImei", pi.DeviceID, false, caller("androidx.core.telephony.TelephonyManagerCompat", "getImei", "jetpack-core")),
		apiUse("uri.sms", pi.SMS, true, caller("com.example.app.Sms", "<clinit>", "app")),
		apiUse("wifiinfo.getMacAddress", pi.DeviceID, false, caller("com.umeng.Net", "mac", "umeng-analytics")),
	}
	r.Endpoints = []endpoint.Endpoint{{Value: "http://log.example.cn/t?imei=1&lat=2", Kind: endpoint.URL, Host: "log.example.cn", Sources: []string{"dex"}, Count: 1}}
	ex := &policy.Extraction{
		DataTypes: []policy.DataType{
			{Category: pi.Location, Kind: "location", Text: "位置信息", Start: 6, End: 10, Practice: "collect", Sentence: policy.Span{Start: 0, End: 15}},
			{Category: pi.Contacts, Kind: "contacts", Text: "通讯录", Start: 20, End: 23, Practice: "collect", Sentence: policy.Span{Start: 15, End: 24}},
			{Category: pi.DeviceID, Kind: "device_id", Text: "设备标识符", Start: 38, End: 43, Practice: "collect", Sentence: policy.Span{Start: 24, End: 44}},
			{Category: pi.Camera, Kind: "camera", Text: "相机", Start: 44, End: 46, Practice: "use", Sentence: policy.Span{Start: 44, End: 51}},
			{Category: pi.SMS, Kind: "sms", Text: "短信", Start: 0, End: 2, Negated: true},
		},
		Permissions: []policy.PermissionExplanation{
			{Group: "LOCATION", Explained: true, Permission: policy.Span{Start: 6, End: 10}, Purpose: policy.Span{Start: 11, End: 13}},
		},
		Purposes: []policy.Purpose{{Text: "扫码", Start: 48, End: 50, DataTypes: []pi.Category{pi.Camera}}},
		SDKs: []policy.SDKMention{
			{Name: "友盟统计SDK", ID: "umeng-analytics", Start: 28, End: 35, Source: "text", Sentence: policy.Span{Start: 24, End: 44}},
		},
	}
	for _, e := range elements {
		ex.Elements = append(ex.Elements, policy.Element{ID: e.id})
	}
	dev := &DeviceFacts{
		Serial: "emulator-5554", Model: "Pixel", AndroidVersion: "14", ConsentAt: t0,
		Ops: []DeviceOp{
			{Op: "COARSE_LOCATION", Time: t0.Add(-5 * time.Minute), Foreground: boolp(false)},
			{Op: "READ_CLIPBOARD", Time: t0.Add(-1 * time.Minute), Rejected: true},
			{Op: "READ_CONTACTS", Time: t0.Add(time.Minute)},
			{Op: "WAKE_LOCK", Time: t0.Add(-time.Minute)},
			{Op: "FINE_LOCATION", Time: t0.Add(2 * time.Minute), Foreground: boolp(true)},
			{Op: "FINE_LOCATION", Time: t0.Add(2*time.Minute + 10*time.Second)},
			{Op: "FINE_LOCATION", Time: t0.Add(2*time.Minute + 20*time.Second)},
			{Op: "FINE_LOCATION", Time: t0.Add(2*time.Minute + 30*time.Second)},
			{Op: "FINE_LOCATION", Time: t0.Add(2*time.Minute + 40*time.Second)},
		},
		PermissionGrants: []PermissionEvent{
			{Permission: "android.permission.READ_PHONE_STATE", Time: t0.Add(-10 * time.Minute), Granted: true},
			{Permission: "android.permission.INTERNET", Time: t0.Add(-10 * time.Minute), Granted: true},
			{Permission: "android.permission.CAMERA", Time: t0.Add(10 * time.Minute), Granted: true},
		},
		SelfStarts: []SelfStart{
			{Time: t0.Add(-20 * time.Minute), Reason: "boot_receiver"},
			{Time: t0.Add(5 * time.Minute), Reason: "scheduled_job"},
			{Time: t0.Add(30 * time.Minute), Reason: "associated_start"},
		},
	}
	lc, err := law.Embedded()
	if err != nil {
		panic(err) // test helper: the embedded catalog is proven valid by cases/law
	}
	at, _ := lc.AppType("maps-navigation")
	// A recorded session: the user refused, then agreed (t0); Umeng online
	// before the refusal, JPush after it, the app's IMEI in clear.
	imei := NetworkPI{Kind: "imei", Category: pi.DeviceID, Where: "url", Field: "imei"}
	nw := &NetworkFacts{RefusedAt: t0.Add(-2 * time.Minute), ConsentAt: t0, Contacts: []NetworkContact{
		{Time: t0.Add(-3 * time.Minute), Host: "alog.umeng.com", Port: 443, Owner: "umeng", SDK: true, URL: "alog.umeng.com:443"},
		{Time: t0.Add(-1 * time.Minute), Host: "sdk.jpush.cn", Port: 443, Owner: "jpush", SDK: true, URL: "sdk.jpush.cn:443"},
		{Time: t0.Add(-30 * time.Second), Host: "log.example.com", Port: 80, Owner: "app", PlainHTTP: true,
			URL: "http://log.example.com/c?imei=490154203237518", PI: []NetworkPI{imei}},
	}}
	return &Facts{Scan: r, Policy: ex, PolicyText: hermeticText, Device: dev, AppType: &at, Network: nw}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run `go test ./cases/rules -run Golden -update` and review the diff", path)
	}
}

func render(t *testing.T, f *Facts) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCandidates(&buf, Run(f, Options{Lang: "zh"}), true, "zh"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGoldenHermetic(t *testing.T) {
	checkGolden(t, "hermetic", render(t, hermeticFacts()))
	f := hermeticFacts()
	f.Policy, f.PolicyText, f.Device, f.AppType = nil, "", nil, nil
	checkGolden(t, "hermetic-nopolicy", render(t, f))
}

// sharedDir is /work/shared as seen from this package (repo/cases/rules).
func sharedDir() string { return filepath.Join("..", "..", "..", "shared") }

func resolver(t *testing.T) func(string) (string, bool) {
	t.Helper()
	cat, err := sdk.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, e := range cat.Entries() {
		for _, n := range []string{e.NameEN, e.NameZH} {
			if n != "" {
				if _, dup := names[strings.ToLower(n)]; !dup {
					names[strings.ToLower(n)] = e.ID
				}
			}
		}
	}
	return func(n string) (string, bool) {
		id, ok := names[strings.ToLower(strings.TrimSpace(n))]
		return id, ok
	}
}

func TestGoldenFixtures(t *testing.T) {
	apks := filepath.Join(sharedDir(), "fixtures", "apks")
	pols := filepath.Join(sharedDir(), "fixtures", "policies", "real")
	if _, err := os.Stat(apks); err != nil {
		t.Skipf("shared fixtures absent (%s): %v", apks, err)
	}
	lc := catalog(t)
	res := resolver(t)
	for _, tc := range []struct{ apk, policy, appType string }{
		{"androguard__a2dp.Vol_137.apk", "douban_privacy.md", "utilities"},
		{"androguard__weardrawers.apk", "coolapk_privacy.md", ""},
		{"androguard__com.teleca.jamendo_35.apk", "bilibili_privacy_2021-10-08.md", "video-music"},
	} {
		t.Run(tc.apk, func(t *testing.T) {
			r, err := inspect.Scan(context.Background(), filepath.Join(apks, tc.apk), inspect.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r.Stats = inspect.Stats{}
			base := strings.TrimSuffix(tc.apk, ".apk")
			checkGolden(t, base, render(t, &Facts{Scan: r}))
			doc, err := policy.Load(filepath.Join(pols, tc.policy))
			if err != nil {
				t.Skipf("policy fixture: %v", err)
			}
			f := &Facts{Scan: r, Policy: policy.Extract(doc, policy.Options{ResolveSDK: res}), PolicyText: doc.Text}
			if tc.appType != "" {
				at, ok := lc.AppType(tc.appType)
				if !ok {
					t.Fatalf("app type %s", tc.appType)
				}
				f.AppType = &at
			}
			out := render(t, f)
			checkGolden(t, base+"+"+strings.TrimSuffix(tc.policy, ".md"), out)
			if !bytes.Equal(out, render(t, f)) {
				t.Error("second run differs")
			}
		})
	}
}
