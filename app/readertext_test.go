package app

import (
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

func TestReaderText(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone data")
	}
	r := &inspect.Result{
		SDKs: []inspect.SDK{{ID: "pangle", Name: "Pangle", NameZH: "穿山甲广告", Category: "ads"},
			{ID: "umeng-common", Name: "Umeng Common SDK", NameZH: "友盟基础组件库"}},
		APIs: []inspect.APIUse{{ID: "clipboard.getPrimaryClip", Class: "android.content.ClipboardManager", Method: "getPrimaryClip"}},
	}
	for _, tc := range []struct{ lang, in, want string }{
		{"zh", "第三方SDK“pangle”的代码调用了读取剪切板的接口（clipboard.getPrimaryClip）。", "第三方SDK“穿山甲广告”的代码调用了读取剪切板的接口（ClipboardManager.getPrimaryClip）。"},
		{"zh", "App集成了第三方SDK“穿山甲广告”（北京巨量引擎，ads），", "App集成了第三方SDK“穿山甲广告”（北京巨量引擎，广告），"},
		{"zh", "隐私政策列出了第三方SDK“Umeng Common SDK”", "隐私政策列出了第三方SDK“友盟基础组件库”"},
		{"zh", "在用户同意隐私政策（2026-03-02T02:16:40Z）之前", "在用户同意隐私政策（2026-03-02 10:16:40（北京时间））之前"},
		{"zh", "2个组件导出（activity 1个，service 1个）", "2个组件导出（活动组件（Activity）1个，服务组件（Service）1个）"},
		{"en", "The SDK pangle calls APIs (clipboard.getPrimaryClip). The SDK pangle.", "The SDK Pangle calls APIs (ClipboardManager.getPrimaryClip). The SDK Pangle."},
		{"en", "embeds the SDK \"Pangle\" (ByteDance, ads), first at 2026-03-02T02:16:40Z", "embeds the SDK \"Pangle\" (ByteDance, advertising), first at 2026-03-02 10:16:40 (Beijing time)"},
		{"zh", "com.bytedance.sdk.openadsdk.pangle.Probe", "com.bytedance.sdk.openadsdk.pangle.Probe"},
	} {
		if got := readerText(r, tc.lang, sh, tc.in); got != tc.want {
			t.Errorf("%s %q:\n got %q\nwant %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

// TestReaderTextNoOpOnNewRules: explanations written by the current rules
// already name SDKs, APIs, categories, component kinds and times for a
// reader, so the document-time rewrite leaves them as they are.
func TestReaderTextNoOpOnNewRules(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone data")
	}
	t0 := time.Date(2026, 3, 2, 2, 16, 40, 0, time.UTC)
	r := &inspect.Result{
		Package: "com.example.app", TargetSDK: 22,
		SDKs: []inspect.SDK{
			{ID: "pangle", Name: "Pangle", NameZH: "穿山甲广告", Vendor: "ByteDance", VendorZH: "北京巨量引擎", Category: "ads", Confidence: "high", APIs: []string{"clipboard.getPrimaryClip"}},
			{ID: "umeng-common", Name: "Umeng Common SDK", NameZH: "友盟基础组件库", Vendor: "Umeng", Category: "analytics", Confidence: "high", APIs: []string{"pm.getInstalledPackages"}},
		},
		APIs: []inspect.APIUse{
			{ID: "clipboard.getPrimaryClip", Category: pi.Clipboard, Class: "android.content.ClipboardManager", Method: "getPrimaryClip", Kind: "method",
				Callers: []inspect.Caller{{Class: "com.bytedance.A", Method: "b", Owner: "pangle"}, {Class: "com.example.app.P", Method: "p", Owner: "app"}}, Owners: []string{"pangle", "app"}},
			{ID: "pm.getInstalledPackages", Category: pi.InstalledApps, Class: "android.content.pm.PackageManager", Method: "getInstalledPackages", Kind: "method",
				Callers: []inspect.Caller{{Class: "com.umeng.U", Method: "u", Owner: "umeng-common"}}, Owners: []string{"umeng-common"}},
		},
		Components: []apk.Component{{Kind: "activity", Name: "com.example.app.Main", Exported: true, Enabled: true}, {Kind: "service", Name: "com.example.app.S", Exported: true, Enabled: true}},
	}
	f := &rules.Facts{Scan: r, Policy: &policy.Extraction{},
		Device: &rules.DeviceFacts{ConsentAt: t0, Ops: []rules.DeviceOp{{Op: "READ_CLIPBOARD", Time: t0.Add(-time.Minute)}},
			SelfStarts: []rules.SelfStart{{Time: t0.Add(-3 * time.Minute), Reason: "boot_receiver"}, {Time: t0.Add(-2 * time.Minute), Reason: "scheduled_job"}, {Time: t0.Add(-time.Minute), Reason: "boot_receiver: x"}}},
		Network: &rules.NetworkFacts{ConsentAt: t0, Contacts: []rules.NetworkContact{{Time: t0.Add(-time.Minute), Host: "api.pangle.io", Port: 443, Owner: "pangle", SDK: true}}},
	}
	cs := rules.Run(f, rules.Options{Location: sh})
	if len(cs) < 8 {
		t.Fatalf("only %d candidates: the facts do not exercise the rules", len(cs))
	}
	for _, c := range cs {
		for _, x := range []struct{ lang, s string }{{"zh", c.ExplanationZH}, {"en", c.ExplanationEN}} {
			if got := readerText(r, x.lang, sh, x.s); got != x.s {
				t.Errorf("%s %s: the rewrite changed a current explanation:\n got %q\nfrom %q", c.Rule, x.lang, got, x.s)
			}
		}
	}
}

// TestReadableCandidates: explanations stored by older rules are rewritten
// when a case is opened; those of the current rules are not touched.
func TestReadableCandidates(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no time zone data")
	}
	r := &inspect.Result{SDKs: []inspect.SDK{{ID: "pangle", Name: "Pangle", NameZH: "穿山甲广告", Category: "ads"}}}
	old := func() []rules.Candidate {
		return []rules.Candidate{{Explanation: "第三方SDK“pangle”（2026-03-02T02:16:40Z）", ExplanationZH: "第三方SDK“pangle”（2026-03-02T02:16:40Z）", ExplanationEN: "The SDK pangle at 2026-03-02T02:16:40Z"}}
	}
	cs := old()
	readableCandidates(r, "2026.12.3", sh, cs)
	if want := "第三方SDK“穿山甲广告”（2026-03-02 10:16:40（北京时间））"; cs[0].ExplanationZH != want || cs[0].Explanation != want {
		t.Errorf("zh: got %q / %q, want %q", cs[0].ExplanationZH, cs[0].Explanation, want)
	}
	if want := "The SDK Pangle at 2026-03-02 10:16:40 (Beijing time)"; cs[0].ExplanationEN != want {
		t.Errorf("en: got %q, want %q", cs[0].ExplanationEN, want)
	}
	cs = old()
	readableCandidates(r, rules.Version, sh, cs)
	if o := old()[0]; cs[0].Explanation != o.Explanation || cs[0].ExplanationZH != o.ExplanationZH || cs[0].ExplanationEN != o.ExplanationEN {
		t.Errorf("current rules' text was rewritten: %+v", cs[0])
	}
}
