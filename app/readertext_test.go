package app

import (
	"testing"
	"time"

	"github.com/appinspect/appinspect/inspect"
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
