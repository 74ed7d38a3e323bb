package sdk

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/appinspect/appinspect/inspect/pi"
)

func mustEmbedded(t testing.TB) *Catalog {
	t.Helper()
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEmbeddedCatalog(t *testing.T) {
	c := mustEmbedded(t)
	if c.Len() < 1200 {
		t.Errorf("catalog has %d entries, want ≥ 1200", c.Len())
	}
	// every entry names a product and its vendor (the lint; issue 16)
	for _, e := range c.Entries() {
		if e.Name() == "" || e.Vendor.EN == "" && e.Vendor.ZH == "" {
			t.Errorf("%s: name %q vendor %+v", e.ID, e.Name(), e.Vendor)
		}
	}
	if c.Version == "" || c.Generated == "" || len(c.Sources) < 4 {
		t.Errorf("catalog metadata incomplete: version %q generated %q sources %d", c.Version, c.Generated, len(c.Sources))
	}
	if probs := Lint(c.Entries(), "catalog"); len(probs) > 0 {
		t.Fatalf("embedded catalog does not lint: %v", problemList(probs))
	}
	ids := map[string]bool{}
	for _, e := range c.Entries() {
		ids[e.ID] = true
		for _, col := range e.Collects {
			if !pi.Valid(col) {
				t.Errorf("%s: collects %q", e.ID, col)
			}
		}
		if len(e.Collects) > 0 {
			found := false
			for _, s := range e.Sources {
				if s.Field == "collects" && strings.HasPrefix(s.Source, "fixtures/policies/") {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: collects without a policy source", e.ID)
			}
		}
		if len(e.Sources) == 0 {
			t.Errorf("%s: no sources", e.ID)
		}
	}
}

// The major Chinese SDKs: a class of each must be owned by the right entry,
// and each must have an entry point whose class is catalog code.
func TestMajorChineseSDKs(t *testing.T) {
	c := mustEmbedded(t)
	m := c.Matcher()
	tests := []struct{ class, id string }{
		{"cn.jpush.android.api.JPushInterface", "jpush"},
		{"com.igexin.sdk.PushManager", "getui"},
		{"com.xiaomi.mipush.sdk.MiPushClient", "xiaomi-push"},
		{"com.huawei.hms.push.HmsMessaging", "huawei-push"},
		{"com.hihonor.push.sdk.HonorPushClient", "honor-push"},
		{"com.heytap.msp.push.HeytapPushManager", "oppo-push"},
		{"com.vivo.push.PushClient", "vivo-push"},
		{"com.meizu.cloud.pushsdk.PushManager", "meizu-push"},
		{"com.tencent.android.tpush.XGPushManager", "tencent-tpns"},
		{"com.alibaba.sdk.android.push.noonesdk.PushServiceFactory", "aliyun-push"},
		{"com.umeng.commonsdk.UMConfigure", "umeng-common"},
		{"com.umeng.analytics.MobclickAgent", "umeng-analytics"},
		{"com.umeng.message.PushAgent", "umeng-push"},
		{"com.sensorsdata.analytics.android.sdk.SensorsDataAPI", "sensors-analytics"},
		{"com.growingio.android.sdk.collection.GrowingIO", "growingio"},
		{"com.tendcloud.tenddata.TCAgent", "talkingdata"},
		{"com.baidu.mobstat.StatService", "baidu-mobstat"},
		{"com.tencent.stat.StatService", "tencent-mta"},
		{"com.tencent.bugly.crashreport.CrashReport", "bugly"},
		{"com.bytedance.sdk.openadsdk.TTAdSdk", "pangle"},
		{"com.qq.e.comm.managers.GDTAdSdk", "gdt"},
		{"com.kwad.sdk.api.KsAdSDK", "kuaishou-ads"},
		{"com.baidu.mobads.sdk.api.BDAdConfig", "baidu-mobads"},
		{"com.sigmob.windad.WindAds", "sigmob"},
		{"com.mbridge.msdk.out.MBridgeSDKFactory", "mintegral"},
		{"com.amap.api.location.AMapLocationClient", "amap"},
		{"com.baidu.location.LocationClient", "baidu-lbs"},
		{"com.tencent.map.geolocation.TencentLocationManager", "tencent-lbs"},
		{"com.tencent.mm.opensdk.openapi.WXAPIFactory", "wechat-opensdk"},
		{"com.tencent.mm.opensdk.modelpay.PayReq", "wechat-pay"},
		{"com.tencent.tauth.Tencent", "qq-connect"},
		{"com.tencent.connect.common.AssistActivity", "qq-connect"},
		{"com.sina.weibo.sdk.openapi.WBAPIFactory", "weibo"},
		{"cn.sharesdk.framework.ShareSDK", "sharesdk"},
		{"com.mob.MobSDK", "mobtech"},
		{"com.alipay.sdk.app.PayTask", "alipay"},
		{"com.unionpay.UPPayAssistEx", "unionpay"},
		{"com.cmic.sso.sdk.auth.AuthnHelper", "cmic-sso"},
		{"com.unicom.online.account.shield.UniAccountHelper", "unicom-login"},
		{"cn.com.chinatelecom.account.api.CtAuth", "telecom-login"},
		{"cn.jiguang.verifysdk.api.JVerificationInterface", "jverification"},
		{"com.bun.miitmdid.core.MdidSdkHelper", "msa-oaid"},
		{"com.bun.supplier.IIdentifierListener", "msa-oaid"},
	}
	for _, tt := range tests {
		if got := m.OwnerOf(tt.class); got != tt.id {
			t.Errorf("OwnerOf(%s) = %q, want %q", tt.class, got, tt.id)
		}
		eps := m.EntryPoints(tt.id)
		if len(eps) == 0 {
			t.Errorf("%s: no entry points", tt.id)
		}
		for _, ep := range eps {
			if m.OwnerOf(ep.Class) == "" {
				t.Errorf("%s: entry point %s is not catalog code", tt.id, ep)
			}
		}
	}
	for _, key := range []string{"JPUSH_APPKEY", "UMENG_APPKEY", "com.amap.api.v2.apikey", "BaiduMobAd_APP_ID", "com.baidu.lbsapi.API_KEY"} {
		if d := m.Detect(Input{MetaDataKeys: []string{key}}); len(d) != 1 {
			t.Errorf("meta-data %s: %d detections", key, len(d))
		}
	}
	if e, _ := c.Get("tencent-tpns"); len(e.Collects) == 0 {
		t.Error("tencent-tpns: collects should come from the TPNS SDK policy")
	}
	if e, _ := c.Get("msa-oaid"); len(e.Collects) != 0 {
		t.Error("msa-oaid: no policy source in the fixtures, collects must stay empty")
	}
}

func entry(id string, pkgs ...string) Entry {
	return Entry{ID: id, NameEN: id, Vendor: Vendor{EN: "Vendor of " + id}, Category: CatOther, Signatures: Signatures{Packages: pkgs}}
}

func TestLint(t *testing.T) {
	tests := []struct {
		name    string
		entries []Entry
		want    string // substring of a problem; "" means no problem
	}{
		{"fine", []Entry{entry("a-sdk", "com.foo.bar"), entry("b-sdk", "com.baz.qux")}, ""},
		{"one segment", []Entry{entry("a-sdk", "foo")}, "fewer than 2 segments"},
		{"deny com.google", []Entry{entry("a-sdk", "com.google")}, "too generic"},
		{"deny com.tencent", []Entry{entry("a-sdk", "com.tencent")}, "too generic"},
		{"deny com.a", []Entry{entry("a-sdk", "com.a")}, "too generic"},
		{"short com.zz", []Entry{entry("a-sdk", "com.zz")}, "obfuscated"},
		{"deny a.a.a", []Entry{entry("a-sdk", "a.a.a")}, "obfuscated"},
		{"com.qq.e is fine", []Entry{entry("a-sdk", "com.qq.e")}, ""},
		{"platform", []Entry{entry("a-sdk", "android.app.foo")}, "platform code"},
		{"okhttp3 own entry", []Entry{entry("okhttp3", "okhttp3")}, ""},
		{"okhttp3 in another", []Entry{entry("netlib", "okhttp3", "com.net.lib")}, "belongs only to entry"},
		{"bad java name", []Entry{entry("a-sdk", "com.foo-bar.x")}, "not a dotted Java name"},
		{"duplicate id", []Entry{entry("a-sdk", "com.foo.bar"), entry("a-sdk", "com.baz.qux")}, "duplicate id"},
		{"bad id", []Entry{entry("A_sdk", "com.foo.bar")}, "slug"},
		{"no vendor", []Entry{{ID: "a-sdk", NameEN: "A", Category: CatAds, Signatures: Signatures{Packages: []string{"com.foo.bar"}}}}, "needs vendor"},
		{"no name", []Entry{{ID: "a-sdk", Vendor: Vendor{EN: "A Inc"}, Category: CatAds, Signatures: Signatures{Packages: []string{"com.foo.bar"}}}}, "needs name"},
		{"unknown category", []Entry{{ID: "a-sdk", NameEN: "A", Vendor: Vendor{EN: "A Inc"}, Category: "trackers", Signatures: Signatures{Packages: []string{"com.foo.bar"}}}}, "is not one of"},
		{"duplicate product", []Entry{
			{ID: "umeng-analysis", NameEN: "Umeng Analytics SDK", Vendor: Vendor{EN: "Umeng"}, Category: CatAnalytics, Signatures: Signatures{Packages: []string{"u.aly"}}},
			{ID: "umeng-analytics", NameEN: "umeng analytics", Vendor: Vendor{EN: "Umeng"}, Category: CatAnalytics, Signatures: Signatures{Packages: []string{"com.umeng.analytics"}}},
		}, "duplicate product"},
		{"same prefix", []Entry{entry("a-sdk", "com.foo.bar"), entry("b-sdk", "com.foo.bar")}, "also in entry 0"},
		{"nested no parent", []Entry{entry("a-sdk", "com.foo.bar"), entry("b-sdk", "com.foo.bar.baz")}, "nested in"},
		{"nested with parent", []Entry{entry("a-sdk", "com.foo.bar"), func() Entry { e := entry("b-sdk", "com.foo.bar.baz"); e.Parent = "a-sdk"; return e }()}, ""},
		{"unknown parent", []Entry{func() Entry { e := entry("b-sdk", "com.foo.bar.baz"); e.Parent = "zzz"; return e }()}, "unknown parent"},
		{"parent cycle", []Entry{
			func() Entry { e := entry("a-sdk", "com.foo.bar"); e.Parent = "b-sdk"; return e }(),
			func() Entry { e := entry("b-sdk", "com.foo.baz"); e.Parent = "a-sdk"; return e }(),
		}, "cycle"},
		{"bad category", []Entry{func() Entry { e := entry("a-sdk", "com.foo.bar"); e.Category = "stuff"; return e }()}, "category"},
		{"no signature", []Entry{entry("a-sdk")}, "no signature"},
		{"collects without source", []Entry{func() Entry { e := entry("a-sdk", "com.foo.bar"); e.Collects = []pi.Category{pi.DeviceID}; return e }()}, "needs a source"},
		{"collects invalid", []Entry{func() Entry {
			e := entry("a-sdk", "com.foo.bar")
			e.Collects = []pi.Category{"imei"}
			e.Sources = []Source{{Field: "collects", Source: "x"}}
			return e
		}()}, "not a pi category"},
		{"same lib", []Entry{
			{ID: "a-sdk", NameEN: "a", Category: CatOther, Signatures: Signatures{NativeLibs: []string{"libfoo.so"}}},
			{ID: "b-sdk", NameEN: "b", Category: CatOther, Signatures: Signatures{NativeLibs: []string{"libfoo.so"}}},
		}, "also in entry 0"},
		{"same component", []Entry{
			{ID: "a-sdk", NameEN: "a", Category: CatOther, Signatures: Signatures{Components: []string{"com.x.y.Svc"}}},
			{ID: "b-sdk", NameEN: "b", Category: CatOther, Signatures: Signatures{Components: []string{"com.x.y.Svc"}}},
		}, "also in entry 0"},
		{"nested host", []Entry{
			{ID: "a-sdk", NameEN: "a", Category: CatOther, Signatures: Signatures{Hosts: []string{"foo.com"}}},
			{ID: "b-sdk", NameEN: "b", Category: CatOther, Signatures: Signatures{Hosts: []string{"api.foo.com"}}},
		}, "is under"},
		{"generic host", []Entry{{ID: "a-sdk", NameEN: "a", Category: CatOther, Signatures: Signatures{Hosts: []string{"amazonaws.com"}}}}, "too generic"},
		{"lib glob too loose", []Entry{{ID: "a-sdk", NameEN: "a", Category: CatOther, Signatures: Signatures{NativeLibs: []string{"li*.so"}}}}, "4 literal"},
		{"entry point", []Entry{func() Entry {
			e := entry("a-sdk", "com.foo.bar")
			e.EntryPoints = []MethodSig{{Class: "com.foo.bar.X"}}
			return e
		}()}, "entry_points"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := Lint(tt.entries, "test.json")
			if tt.want == "" {
				if len(probs) > 0 {
					t.Fatalf("unexpected problems: %v", problemList(probs))
				}
				return
			}
			for _, p := range probs {
				if strings.Contains(p.Error(), tt.want) {
					return
				}
			}
			t.Fatalf("want a problem containing %q, got %v", tt.want, problemList(probs))
		})
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ext.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadExtension(t *testing.T) {
	p := writeFile(t, `{"entries": [
	  {"id": "acme-track", "name_en": "Acme Tracker", "vendor": {"en": "Acme"}, "category": "analytics",
	   "signatures": {"packages": ["io.acme.track"], "meta_data": ["ACME_KEY"]},
	   "entry_points": [{"class": "io.acme.track.Acme", "method": "start"}]},
	  {"id": "jpush", "name_zh": "极光推送（自定义）", "name_en": "JPush custom", "vendor": {"en": "Aurora Mobile"}, "category": "push",
	   "signatures": {"packages": ["cn.jpush.android"]}}
	]}`)
	base := mustEmbedded(t)
	if probs := base.Check(p); len(probs) > 0 {
		t.Fatalf("Check: %v", problemList(probs))
	}
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != base.Len()+1 {
		t.Errorf("Len = %d, want %d", c.Len(), base.Len()+1)
	}
	if e, _ := c.Get("jpush"); e.NameEN != "JPush custom" {
		t.Errorf("jpush not overridden: %q", e.NameEN)
	}
	m := c.Matcher()
	if got := m.OwnerOf("io.acme.track.Acme"); got != "acme-track" {
		t.Errorf("OwnerOf = %q", got)
	}
	if eps := m.EntryPoints("acme-track"); len(eps) != 1 || eps[0].String() != "io.acme.track.Acme.start" {
		t.Errorf("EntryPoints = %v", eps)
	}
	// the embedded catalog is untouched
	if e, _ := mustEmbedded(t).Get("jpush"); e.NameEN != "JPush" {
		t.Errorf("embedded jpush changed: %q", e.NameEN)
	}
}

func TestLoadExtensionErrors(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"syntax", `{"entries": [`, []string{"decode JSON"}},
		{"unknown field", `{"entries": [{"id": "x-sdk", "colour": 1}]}`, []string{"unknown field"}},
		{"empty", `{"entries": []}`, []string{"no entries"}},
		{"bad fields", `{"entries": [{"id": "ok-sdk", "name_en": "x", "category": "push", "signatures": {"packages": ["com.ok.sdk"]}},
			{"id": "Bad Id", "category": "nope", "signatures": {"packages": ["com.google"]}}]}`,
			[]string{"entry 1 (Bad Id): id:", "entry 1 (Bad Id): category:", "entry 1 (Bad Id): signatures.packages[0]: prefix \"com.google\" is too generic", "name"}},
		{"collides with embedded", `{"entries": [{"id": "my-push", "name_en": "x", "category": "push", "signatures": {"packages": ["cn.jpush.android"]}}]}`,
			[]string{"entry 0 (my-push): signatures.packages[0]", "catalog entry jpush"}},
		{"nested in embedded", `{"entries": [{"id": "my-push", "name_en": "x", "category": "push", "signatures": {"packages": ["cn.jpush.android.mine"]}}]}`,
			[]string{"nested in \"cn.jpush.android\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, tt.body)
			_, err := Load(p)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !errors.Is(err, ErrInvalidCatalog) {
				t.Errorf("error %v does not wrap ErrInvalidCatalog", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, p) {
				t.Errorf("error does not name the file: %s", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			if len(Problems(err)) == 0 {
				t.Error("Problems(err) is empty")
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestExportRoundTrip(t *testing.T) {
	c := mustEmbedded(t)
	var buf bytes.Buffer
	if err := c.Export(&buf); err != nil {
		t.Fatal(err)
	}
	c2, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Len() != c.Len() || c2.Version != c.Version {
		t.Errorf("round trip: %d/%s vs %d/%s", c2.Len(), c2.Version, c.Len(), c.Version)
	}
	// deterministic
	var a, b bytes.Buffer
	_ = c.Export(&a)
	_ = c2.Export(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("export is not deterministic")
	}
}

func TestParseRejectsInvalid(t *testing.T) {
	_, err := Parse(strings.NewReader(`{"entries":[{"id":"a-sdk","name_en":"a","category":"ads","signatures":{"packages":["com.google"]}}]}`))
	if !errors.Is(err, ErrInvalidCatalog) {
		t.Fatalf("err = %v", err)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// The catalog defects and gaps issue 16 lists.
func TestIssue16Catalog(t *testing.T) {
	c := mustEmbedded(t)
	m := c.Matcher()
	for class, want := range map[string]string{
		"com.loc.ab": "amap",
		"com.umeng.weixin.handler.UmengWXHandler":            "umeng-share",
		"com.xiaomi.channel.commonutils.logger.b":            "xiaomi-push",
		"com.tencent.tinker.loader.TinkerLoader":             "tinker",
		"cn.bmob.v3.Bmob":                                    "bmob",
		"com.tencent.midas.api.APMidasPayAPI":                "tencent-midas",
		"com.cnzz.mobile.X":                                  "cnzz",
		"com.mob.pushsdk.MobPush":                            "mobpush",
		"com.tencent.cos.xml.CosXmlService":                  "tencent-cos",
		"com.huawei.hms.ads.identifier.AdvertisingIdClient":  "huawei-oaid",
		"com.hihonor.ads.identifier.AdvertisingIdClient":     "honor-oaid",
		"com.bytedance.sdk.open.douyin.DouYinOpenApiFactory": "douyin-opensdk",
		"com.ishumei.smantifraud.SmAntiFraud":                "shumei",
		"com.ut.device.UTDevice":                             "utdid",
		"com.tencent.beacon.event.open.BeaconReport":         "tencent-beacon",
		"com.tencent.qimei.sdk.QimeiSDK":                     "tencent-qimei",
		"com.tencent.turingfd.sdk.xq.TuringFdService":        "tencent-turing",
		"com.netease.nis.captcha.Captcha":                    "netease-yidun",
		"com.geetest.sdk.GT3GeetestUtils":                    "geetest",
		"com.chuanglan.shanyan_sdk.OneKeyLoginManager":       "shanyan",
		"u.aly.bt":                           "umeng-analytics",
		"com.mobclick.android.MobclickAgent": "umeng-analytics",
		"com.iflytek.cloud.SpeechUtility":    "iflytek",
	} {
		if got := m.OwnerOf(class); got != want {
			t.Errorf("OwnerOf(%s) = %q, want %q", class, got, want)
		}
	}
	for _, gone := range []string{"umeng-analysis", "mobclick", "google-play-service", "lib-msc", "iflyteck-speech", "xunfei"} {
		if _, ok := c.Get(gone); ok {
			t.Errorf("%s is still an entry of its own", gone)
		}
	}
	if e, _ := c.Get("jetpack-fragment"); e.Category != CatDevelopment {
		t.Errorf("jetpack-fragment category %q", e.Category)
	}
	for id, cat := range map[string]Category{"bmob": CatCloud, "iflytek": CatVoice, "umeng-exchange": CatAds} {
		if e, ok := c.Get(id); !ok || e.Category != cat || e.NameZH == "" || e.Vendor.ZH == "" {
			t.Errorf("%s: %+v", id, e)
		}
	}
}

func TestHostOwner(t *testing.T) {
	m := mustEmbedded(t).Matcher()
	for host, want := range map[string]string{
		"https://apilocate.amap.com/mobile/binary": "amap",
		"ulogs.umengcloud.com":                     "umeng-common",
		"API.example.org":                          "",
	} {
		got, ok := m.HostOwner(host)
		if got != want || ok != (want != "") {
			t.Errorf("HostOwner(%s) = %q, %v; want %q", host, got, ok, want)
		}
		if got, _ := mustEmbedded(t).HostOwner(host); got != want {
			t.Errorf("Catalog.HostOwner(%s) = %q, want %q", host, got, want)
		}
	}
}

// TestCatalogBreadth checks the SDKs added from vendor documentation for
// issue 16 (carriers' one-tap login in every packaging, the SDKs MIIT
// notices name) and that source rows describing the same product were
// folded into one entry.
func TestCatalogBreadth(t *testing.T) {
	c := mustEmbedded(t)
	m := c.Matcher()
	for class, want := range map[string]string{
		"com.sdk.base.module.manager.SDKManager":                  "unicom-login",
		"com.sdk.mobile.manager.login.cucc.OauthManager":          "unicom-login",
		"com.unicom.xiaowo.login.UniAuthHelper":                   "unicom-login",
		"com.unikuwei.mianmi.account.shield.UniAccountHelper":     "unicom-login",
		"cn.com.chinatelecom.account.api.CtAuth":                  "telecom-login",
		"com.cmic.sso.sdk.auth.AuthnHelper":                       "cmic-sso",
		"com.g.gysdk.GYManager":                                   "geyan",
		"io.agora.rtc.RtcEngine":                                  "agora",
		"im.zego.zegoexpress.ZegoExpressEngine":                   "zego",
		"cn.shuzilm.core.Main":                                    "shuzilm",
		"cn.smssdk.SMSSDK":                                        "mob-smssdk",
		"cn.jiguang.analytics.android.api.JAnalyticsInterface":    "jiguang-analytics",
		"cn.jiguang.share.android.api.JShareInterface":            "jshare",
		"com.kwad.components.core.A":                              "kuaishou-ads",
		"com.baidu.mobad.feeds.BaiduNative":                       "baidu-mobads",
		"com.baidu.mtjstatsdk.StatSDKService":                     "baidu-mobstat",
		"com.tendcloud.dot.A":                                     "talkingdata",
		"com.sensorsdata.sf.ui.A":                                 "sensors-analytics",
		"io.rong.calllib.RongCallClient":                          "rongcloud",
		"com.easemob.chat.EMChatManager":                          "hyphenate",
		"com.netease.nim.uikit.api.NimUIKit":                      "netease-im",
		"com.dx.mobile.risk.DXRisk":                               "dingxiang",
		"com.taobao.sophix.SophixManager":                         "aliyun-sophix",
		"com.alibaba.sdk.android.httpdns.HttpDns":                 "aliyun-httpdns",
		"com.umeng.umcrash.UMCrash":                               "umeng-apm",
		"com.umeng.umverify.UMVerifyHelper":                       "umeng-verify",
		"com.bytedance.msdk.api.TTAdSdk":                          "gromore",
		"com.huawei.hms.api.HuaweiApiAvailability":                "hms-core",
		"com.huawei.hms.location.FusedLocationProviderClient":     "huawei-location",
		"com.huawei.hms.support.hwid.HuaweiIdAuthManager":         "huawei-account",
		"com.anythink.core.api.ATSDK":                             "topon",
		"com.qiniu.android.storage.UploadManager":                 "qiniu",
		"com.qiniu.android.jpush.storage.UploadManager":           "jmessage", // shaded inside the JMessage jar
		"com.tencent.mobileqq.openpay.api.OpenApiFactory":         "qq-wallet",
		"com.baidu.sofire.ac.FH":                                  "baidu-sofire",
		"com.alibaba.wireless.security.open.SecurityGuardManager": "alibaba-securityguard",
		"com.baidu.trace.LBSTraceClient":                          "baidu-lbs",
		"com.baidu.vi.VMsg":                                       "baidu-lbs",
		"com.upyun.jpush.api.main.A":                              "jmessage",
		"com.iflytek.voiceads.IFLYNativeAd":                       "iflytek-ads",
		"com.iflytek.cloud.SpeechRecognizer":                      "iflytek",
		"com.xiaomi.mistatistic.sdk.MiStatInterface":              "xiaomi-mistat",
	} {
		if got := m.OwnerOf(class); got != want {
			t.Errorf("OwnerOf(%s) = %q, want %q", class, got, want)
		}
	}
	for _, gone := range []string{"netease-im-2", "huanxin", "mob-sms", "agora-analytics", "digital-union-shuzilm", "alibaba-httpdns", "httpdns", "lib-aikl-calc-arm", "baidu-stat-android-sdk-api"} {
		if _, ok := c.Get(gone); ok {
			t.Errorf("%s is still an entry of its own", gone)
		}
	}
	for host, want := range map[string]string{
		"www.cmpassport.com":   "cmic-sso",
		"id6.me":               "telecom-login",
		"opencloud.wostore.cn": "unicom-login",
		"mi.gdt.qq.com":        "gdt",
		"hmma.baidu.com":       "baidu-mobstat",
	} {
		if got, _ := m.HostOwner(host); got != want {
			t.Errorf("HostOwner(%s) = %q, want %q", host, got, want)
		}
	}
	for _, e := range c.Entries() {
		if !hasCurated(e) || e.Category == CatDevelopment {
			continue
		}
		if e.NameZH == "" || e.NameEN == "" || e.Vendor.ZH == "" || e.Vendor.EN == "" {
			t.Errorf("%s: curated entry without both names and vendors: %+v", e.ID, e)
		}
	}
}

func hasCurated(e Entry) bool {
	for _, s := range e.Sources {
		if s.Source == "appinspect" && s.Field == "*" {
			return true
		}
	}
	return false
}
