package reports

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
)

// fixedNow is the clock of every test document.
var fixedNow = time.Date(2026, 3, 9, 10, 0, 0, 0, cases.ChinaTime)

func cite(t testing.TB, id string) law.Citation {
	t.Helper()
	c, err := law.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	ci, err := c.Cite(id)
	if err != nil {
		t.Fatalf("cite %s: %v", id, err)
	}
	return ci
}

// screenshot draws a phone-sized PNG: a title bar, a dialog box and stripes,
// coloured by seed so different screenshots differ.
func screenshot(t testing.TB, w, h int, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{245, 245, 245, 255}
	bar := color.RGBA{uint8(40 + seed*37%200), uint8(90 + seed*53%150), 200, 255}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := bg
			switch {
			case y < h/14:
				c = bar
			case y > h/3 && y < h*2/3 && x > w/10 && x < w*9/10:
				c = color.RGBA{255, 255, 255, 255}
				if y < h/3+h/40 || y > h*2/3-h/40 || x < w/10+w/60 || x > w*9/10-w/60 {
					c = color.RGBA{60, 60, 60, 255}
				}
				if (y/(h/60))%3 == 0 && x > w/5 && x < w*4/5 && y > h/3+h/20 && y < h*2/3-h/10 {
					c = color.RGBA{120, 120, 120, 255}
				}
			case (y/(h/48))%4 == 0 && x < w*(50+seed%40)/100:
				c = color.RGBA{200, 200, 205, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sampleSubject() cases.Subject {
	return cases.Subject{ID: 1, Kind: cases.AppOperator, Name: "北京示例科技有限公司", CreditCode: "91110108MA01ABCD2X", Address: "北京市海淀区中关村大街1号"}
}

func sampleCase() cases.Case {
	return cases.Case{ID: 7, Number: "〔2026〕第0007号", Source: cases.SourceComplaint, Inspectors: []string{"张三", "李四"},
		App: cases.App{Package: "com.example.shop", Name: "示例商城"}, Status: cases.StatusOpen, RectificationDays: 10}
}

func sampleApp() AppIdentity {
	return AppIdentity{Name: "示例商城", Package: "com.example.shop", VersionName: "5.2.1", VersionCode: 5021,
		SHA256: "3f1a9c0e6b2d4f8a7c5e1b9d0a2c4e6f8b1d3f5a7c9e0b2d4f6a8c0e2b4d6f8a", CertSHA256: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
		Source: SourceDevice, TestDate: time.Date(2026, 3, 2, 0, 0, 0, 0, cases.ChinaTime),
		Device: &DeviceEnv{Brand: "Xiaomi", Model: "Redmi Note 12", AndroidVersion: "13", Serial: "8a7f0c21"}}
}

func sampleAuthority(kind string) Authority {
	switch kind {
	case "agency":
		return Authority{Name: "示例信息安全测评中心", Address: "上海市浦东新区张江路88号", Contact: "王工", Phone: "021-55550000", Kind: kind}
	case "association":
		return Authority{Name: "示例互联网行业协会", Address: "广州市天河区体育西路1号", Contact: "赵老师", Phone: "020-55550000", Kind: kind}
	}
	return Authority{Name: "某省通信管理局", Address: "某市某区某路100号", Contact: "陈科长", Phone: "010-55550000", Kind: "regulator", Seal: seal()}
}

// seal draws a red ring on a transparent background, standing in for a seal image.
func seal() []byte {
	const n = 160
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, dy := float64(x-n/2), float64(y-n/2)
			if d := dx*dx + dy*dy; d < 78*78 && d > 70*70 {
				img.SetNRGBA(x, y, color.NRGBA{200, 0, 0, 255})
			}
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

// sampleViolations returns three violations citing PIPL 17, PIPL 13 and the
// 2019 method 3.1, and a gap citation; shots are attached to the first.
func sampleViolations(t testing.TB, shots [][]byte) []Violation {
	t.Helper()
	first := []EvidenceItem{
		{Kind: EvidenceCallSite, Text: "com.igexin.push.core.a.b(Landroid/content/Context;)V → android.provider.Settings$Secure.getString(android_id)", SHA256: "5d41402abc4b2a76b9719d911017c592d41402abc4b2a76b9719d911017c5925"},
		{Kind: EvidencePolicy, Text: "《示例商城隐私政策》第三条：我们可能会收集您的设备信息以提供更好的服务。"},
	}
	for i, s := range shots {
		first = append(first, EvidenceItem{Kind: EvidenceScreenshot, Image: s, Text: map[bool]string{true: "首次启动弹窗（同意前）", false: ""}[i == 0]})
	}
	gap := law.Citation{DocID: "x", DocTitleZH: "某征求意见稿", DocStatus: law.DocStatusDraft, ArticleID: "x/9", Number: "第九条", Status: law.StatusGap}
	return []Violation{
		{ItemID: "pipl/17", Citation: cite(t, "pipl/17"),
			Behaviour: "隐私政策未说明应用集成的个推 SDK 收集设备标识符（OAID、Android ID）的目的和方式；首次启动时弹窗仅提供“同意并继续”按钮。2026-03-02 10:15:03，用户同意前，观察到 com.igexin.push.core.a#b 读取 Android ID。",
			Statement: "应用集成的个推推送SDK在用户同意隐私政策前读取设备标识符（Android ID），隐私政策未说明其收集目的和方式。",
			Summary:   []string{"个推推送SDK（com.igexin.push）在用户同意隐私政策前调用 Settings$Secure.getString 读取设备标识（Android ID）（1处）", "隐私政策未列明个推推送SDK及其收集的个人信息"},
			Subject:   "个推推送 SDK（每日互动股份有限公司）", Evidence: first, Severity: cases.SeverityHigh,
			RuleIDs: []string{"sdk.collect_before_consent"}, Note: "复测两次，结果一致。"},
		{ItemID: "pipl/13", Citation: cite(t, "pipl/13"),
			Behaviour: "用户拒绝隐私政策后，应用仍调用 TelephonyManager.getDeviceId 读取 IMEI（2026-03-02 10:16:40，同意前）。",
			Summary:   []string{"应用自身代码（com.example.shop.util.DeviceUtil）在用户拒绝隐私政策后调用 TelephonyManager.getDeviceId 读取设备标识（IMEI）（1处）"},
			Subject:   "app", Severity: cases.SeverityHigh,
			Evidence:      []EvidenceItem{{Kind: EvidenceDevice, Text: "appops: READ_PHONE_STATE 2026-03-02T02:16:40Z uid 10234 (before consent)"}},
			Rectification: "在用户明确同意前，停止读取 IMEI 等设备标识符。"},
		{ItemID: "rd2019/3.1", Citation: cite(t, "rd2019/3.1"),
			Behaviour: "征得同意前开启定位权限申请。", Subject: "", Severity: cases.SeverityMedium,
			Evidence: []EvidenceItem{{Kind: EvidenceStack, Text: "at com.example.shop.location.LocationHelperImplementationWithAVeryLongNameThatDoesNotFitAnywhereAtAll.requestLocationUpdatesFromTheFusedProviderAndTheGpsProvider(LocationHelper.java:128)"}}},
		{ItemID: "x/9", Citation: gap, Behaviour: "草案条款示例。", Severity: cases.SeverityLow},
	}
}

func sampleNotice(t testing.TB, lang string, tmpl Template, shots [][]byte) NoticeInput {
	t.Helper()
	cal, err := cases.DefaultCalendar()
	if err != nil {
		t.Fatal(err)
	}
	dl, note := DeadlineFor(cal, fixedNow, 10, lang)
	return NoticeInput{Lang: lang, Template: tmpl, Now: fixedNow, Authority: sampleAuthority(string(tmpl)),
		Case: sampleCase(), Subject: sampleSubject(), Inspectors: []string{"张三", "李四"}, App: sampleApp(),
		Violations: sampleViolations(t, shots), Deadline: dl, RectificationDays: 10, CalendarNote: note,
		Consequence: cases.StatusPublicAnnouncement}
}

func sampleScan() *inspect.Result {
	return &inspect.Result{Schema: 1, Format: "apk", Size: 48213312, SHA256: sampleApp().SHA256, Package: "com.example.shop",
		VersionCode: 5021, VersionName: "5.2.1", MinSDK: 21, TargetSDK: 33, Label: "示例商城",
		Permissions: []inspect.Permission{
			{Name: "android.permission.READ_PHONE_STATE", Protection: "dangerous", Dangerous: true, Categories: []pi.Category{pi.PhoneState, pi.DeviceID}, ZH: "读取电话状态和身份", EN: "read phone status and identity"},
			{Name: "android.permission.ACCESS_FINE_LOCATION", Protection: "dangerous", Dangerous: true, Categories: []pi.Category{pi.Location}, ZH: "精确位置", EN: "precise location"},
			{Name: "android.permission.INTERNET", Protection: "normal", ZH: "访问网络", EN: "full network access"},
		},
		SDKs: []inspect.SDK{{ID: "getui", Name: "Getui Push", NameZH: "个推推送", Vendor: "Getui", Category: "push"}},
		APIs: []inspect.APIUse{
			{ID: "telephony.getDeviceId", Category: pi.DeviceID, Class: "android.telephony.TelephonyManager", Method: "getDeviceId", ZH: "读取 IMEI", EN: "read IMEI",
				Callers: []inspect.Caller{{Class: "com.igexin.push.core.a", Method: "b", Owner: "getui"}, {Class: "com.example.shop.util.DeviceUtil", Method: "imei", Owner: "app"}},
				Owners:  []string{"app", "getui"}},
			{ID: "settings.androidId", Category: pi.DeviceID, Class: "android.provider.Settings$Secure", Method: "getString", ZH: "读取 Android ID", EN: "read Android ID",
				Callers: []inspect.Caller{{Class: "com.igexin.push.core.a", Method: "b", Owner: "getui"}}, Owners: []string{"getui"}},
		},
	}
}

func sampleReport(t testing.TB, lang string) ReportInput {
	t.Helper()
	consent := time.Date(2026, 3, 2, 10, 16, 0, 0, cases.ChinaTime)
	upd := time.Date(2026, 3, 5, 15, 30, 0, 0, cases.ChinaTime)
	return ReportInput{Lang: lang, Now: fixedNow, Authority: sampleAuthority("agency"), Case: sampleCase(), Subject: sampleSubject(),
		App: sampleApp(), Scan: sampleScan(),
		PolicyElements: []PolicyElement{
			{ID: "operator", NameZH: "个人信息处理者名称和联系方式", NameEN: "Operator name and contact", Present: true, Excerpt: "北京示例科技有限公司，联系邮箱 privacy@example.com"},
			{ID: "sdk_list", NameZH: "第三方 SDK 清单", NameEN: "Third-party SDK list", Present: false},
		},
		Matrix: []MatrixRow{
			{Category: pi.DeviceID, Requested: []string{"android.permission.READ_PHONE_STATE"}, Used: map[string][]string{
				LangZH: {"个推推送：读取 Android ID（Settings$Secure.getString）", "应用自身：读取 IMEI（TelephonyManager.getDeviceId）"},
				LangEN: {"Getui Push: read Android ID (Settings$Secure.getString)", "the app: read IMEI (TelephonyManager.getDeviceId)"}}[lang], Declared: false},
			{Category: pi.Location, Requested: []string{"android.permission.ACCESS_FINE_LOCATION"}, Declared: true, Excerpt: "为向您推荐附近门店，我们会收集您的位置信息。"},
		},
		SDKs: []SDKRow{
			{Name: "个推推送", Vendor: "每日互动股份有限公司", Category: "push", Collects: []pi.Category{pi.DeviceID, pi.Location}, Disclosed: false, Used: true},
			{Name: "高德定位", Vendor: "高德软件有限公司", Category: "map", Collects: []pi.Category{pi.Location}, Disclosed: true, Used: true},
			{Name: "友盟统计", Vendor: "友盟同欣（北京）科技有限公司", Category: "analytics", Collects: []pi.Category{pi.DeviceID}, Disclosed: true},
			{Name: "极光推送", Vendor: "深圳市和讯华谷信息技术有限公司", Category: "push", Collects: []pi.Category{pi.DeviceID}, Disclosed: true},
		},
		Timeline: []TimelineEvent{
			{Time: time.Date(2026, 3, 2, 10, 15, 3, 0, cases.ChinaTime), Kind: "appops", Detail: "com.igexin.push.core.a#b 读取 Android ID", BeforeConsent: true},
			{Time: time.Date(2026, 3, 2, 10, 15, 0, 0, cases.ChinaTime), Kind: "launch", Detail: "首次启动，显示隐私政策弹窗"},
			{Time: time.Date(2026, 3, 2, 10, 17, 30, 0, cases.ChinaTime), Kind: "permission", Detail: "申请 ACCESS_FINE_LOCATION"},
		},
		ConsentAt: &consent,
		Marks: []MarkRow{
			{ItemID: "pipl/17", Citation: cite(t, "pipl/17"), Verdict: cases.VerdictViolation, Severity: cases.SeverityHigh, Note: "隐私政策未披露个推 SDK。", Inspector: "张三", Updated: upd,
				Rectification: "完善隐私政策。", Subject: "个推推送 SDK（每日互动股份有限公司）", Behaviour: "同意前读取 Android ID", Evidence: []string{"5d41402abc4b2a76b9719d911017c592d41402abc4b2a76b9719d911017c5925 com.igexin.push.core.a#b"}},
			{ItemID: "pipl/13", Citation: cite(t, "pipl/13"), Verdict: cases.VerdictViolation, Severity: cases.SeverityHigh, Inspector: "李四", Updated: upd, Behaviour: "拒绝后仍读取 IMEI", Rectification: "停止读取 IMEI。"},
			{ItemID: "rd2019/3.1", Citation: cite(t, "rd2019/3.1"), Verdict: cases.VerdictCompliant, Inspector: "张三", Updated: upd, Note: "定位权限在使用附近门店功能时申请。"},
			{ItemID: "pipl/15", Verdict: cases.VerdictPending}, // suggested: no citation stored
		},
		Candidates: []CandidateRow{{Rule: "sdk.collect_before_consent", Title: "SDK 在同意前收集个人信息", Severity: cases.SeverityHigh, Articles: []string{"pipl/13", "rd2019/3.1"}, Explanation: "个推 SDK 初始化早于隐私政策同意。"}},
	}
}
