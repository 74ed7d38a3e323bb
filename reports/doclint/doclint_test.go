package doclint

import "testing"

// TestLintCatchesLeftovers proves the linter fails on what the issue found
// in real documents, and passes clean text.
func TestLintCatchesLeftovers(t *testing.T) {
	for _, tc := range []struct{ lang, text string }{
		{"zh", "[调用位置] contact missing"},
		{"zh", "触发规则 api.undeclared, consent.element_missing.*"},
		{"zh", "umeng-analytics … confidence high; called by the app"},
		{"zh", "依据 pipl/17"},
		{"zh", "检测人员：inspector"},
		{"zh", "保护级别 normal"},
		{"zh", "（北京巨量引擎网络技术有限公司，ads）"},
		{"zh", "activity 1个，service 1个"},
		{"en", "Legal basis: 暂无条文"},
		{"en", "Finding 1 第十七条"},
	} {
		if p := Lint(tc.lang, tc.text, nil); len(p) == 0 {
			t.Errorf("%s %q passed the linter", tc.lang, tc.text)
		}
	}
	for _, clean := range []string{
		"友盟统计SDK（com.umeng.analytics）在用户同意隐私政策前调用 TelephonyManager.getDeviceId 读取设备标识（3处），安装包 SHA-256",
		"联系邮箱 privacy@example.com，含1个http://地址",
		"签名密钥指纹 a5da 01ae abaf eeee",
	} {
		if p := Lint("zh", clean, nil); len(p) > 0 {
			t.Errorf("clean text flagged: %v", p)
		}
	}
	if p := Lint("en", "Addressee: 示例科技有限公司, quoted 《中华人民共和国个人信息保护法》", []string{"示例科技有限公司", "《中华人民共和国个人信息保护法》"}); len(p) > 0 {
		t.Errorf("allowed names flagged: %v", p)
	}
}

func TestIDsAndWhole(t *testing.T) {
	ids := map[string]string{"amap": "SDK id", "clipboard.getPrimaryClip": "API id", "normal|instant": "raw protection level"}
	text := "com.amap.api.location.AMapLocationClient amap: clipboard.getPrimaryClip normal|instant"
	if p := IDs(text, ids); len(p) != 3 {
		t.Errorf("ids = %v, want the SDK id, the API id and the level (not the package)", p)
	}
	if p := IDs("com.amap.api ClipboardManager.getPrimaryClip 普通", ids); len(p) != 0 {
		t.Errorf("clean text flagged: %v", p)
	}
	if p := Whole("android.permission.ACCESS_COARSE_\nLOCATION", []string{"android.permission.ACCESS_COARSE_LOCATION"}); len(p) != 1 {
		t.Errorf("a broken name passed: %v", p)
	}
}
