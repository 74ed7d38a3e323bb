package app

import (
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// findingCase: Umeng's code is in the APK and calls getDeviceId from three
// places before consent; Getui is only mentioned in strings.
func findingCase() (*workspace.Case, []rules.Candidate) {
	scan := &inspect.Result{
		SDKs: []inspect.SDK{
			{ID: "umeng-analytics", Name: "Umeng Analytics", NameZH: "友盟统计", Vendor: "Umeng", VendorZH: "友盟同欣（北京）科技有限公司",
				Evidence: []sdk.Evidence{{Kind: sdk.KindClass, Value: "com.umeng.analytics", Count: 120}}},
			{ID: "getui", Name: "Getui Push", NameZH: "个推推送", Vendor: "Getui", VendorZH: "每日互动股份有限公司",
				Evidence: []sdk.Evidence{{Kind: sdk.KindString, Value: "com.igexin.sdk", Count: 1}}},
		},
		APIs: []inspect.APIUse{{ID: "telephony.getDeviceId", Class: "android.telephony.TelephonyManager", Method: "getDeviceId", ZH: "读取设备标识", EN: "reads the device identifier"}},
	}
	w := &workspace.Case{Scan: scan}
	api := func(site, owner string) rules.Evidence {
		return rules.Evidence{Key: "api:telephony.getDeviceId@" + site, Kind: "api", Ref: "telephony.getDeviceId", Detail: "android.telephony.TelephonyManager.getDeviceId requires android.permission.READ_PHONE_STATE", Owner: owner}
	}
	c := []rules.Candidate{
		{Rule: "device.access_before_consent", TitleZH: "征得用户同意前收集个人信息", TitleEN: "Personal information collected before consent",
			Evidence: []rules.Evidence{api("com.umeng.analytics.a#b", "umeng-analytics"), api("com.umeng.analytics.c#d", "umeng-analytics"), api("com.umeng.analytics.e#f", "umeng-analytics")}},
		{Rule: "sdk.undisclosed", TitleZH: "第三方SDK未在隐私政策中列明", TitleEN: "Third-party SDK not listed in the privacy policy",
			Evidence: []rules.Evidence{{Key: "sdk:getui", Kind: "sdk", Ref: "getui", Detail: "Getui Push", Owner: "getui"},
				{Key: "sdk:umeng-analytics", Kind: "sdk", Ref: "umeng-analytics", Detail: "Umeng", Owner: "umeng-analytics"}}},
	}
	return w, c
}

func TestSummaryAndResponsible(t *testing.T) {
	w, cands := findingCase()
	loc, _ := LoadZone("")
	got := summaryLines(w, cands[:1], "zh", loc)
	want := "友盟统计SDK（com.umeng.analytics）在用户同意隐私政策前调用 TelephonyManager.getDeviceId 读取设备标识（3处）"
	if len(got) != 1 || got[0] != want {
		t.Errorf("summary = %q, want [%q]", got, want)
	}
	// The mention-only SDK is never a responsible party.
	if r := responsible(w, cands, "zh"); r != "友盟统计SDK（友盟同欣（北京）科技有限公司）" {
		t.Errorf("responsible = %q", r)
	}
	for _, l := range summaryLines(w, cands, "zh", loc) {
		if strings.Contains(l, "个推") {
			t.Errorf("mention-only SDK in the summary: %q", l)
		}
	}
	// Nothing but the app: the app itself.
	if r := responsible(&workspace.Case{Scan: w.Scan}, []rules.Candidate{{Rule: "policy.missing"}}, "zh"); r != "" {
		t.Errorf("app-only finding responsible = %q, want \"\" (the app itself)", r)
	}
	en := summaryLines(w, cands[:1], "en", loc)
	if len(en) != 1 || en[0] != "Umeng Analytics SDK (com.umeng.analytics) calls TelephonyManager.getDeviceId (reads the device identifier) before the user consents (3 call sites)" {
		t.Errorf("en summary = %q", en)
	}
	if d := draftStatement(w, cands, "zh"); d != "经检测，应用集成的友盟统计SDK（com.umeng.analytics）在征得用户同意前收集个人信息；第三方SDK未在隐私政策中列明。" {
		t.Errorf("draft = %q", d)
	}
}
