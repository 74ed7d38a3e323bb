package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/checklist"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/packer"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

var errNotFaked = errors.New("fake: not faked")

// fakeBackend implements Backend with function fields; a nil field
// returns a zero value or errNotFaked.
type fakeBackend struct {
	ScanFn                 func(context.Context, string, func(inspect.Progress)) (*inspect.Result, error)
	ScanDirFn              func(context.Context, string, func(*inspect.Result, error), func(int, int)) error
	ListCasesFn            func(context.Context, cases.Filter) ([]cases.Case, error)
	NewCaseFn              func(context.Context, workspace.NewCaseRequest, func(inspect.Progress)) (*cases.Case, error)
	OpenCaseFn             func(context.Context, int64, int64) (*workspace.Case, error)
	ReinspectFn            func(context.Context, workspace.ReinspectRequest, func(inspect.Progress)) (*workspace.Reinspection, error)
	DiffVersionsFn         func(context.Context, int64, int64, int64) (*cases.Diff, error)
	SetPolicyFn            func(context.Context, int64, int64, string, string) error
	SetMarkFn              func(context.Context, int64, cases.MarkInput) (cases.Mark, error)
	TransitionFn           func(context.Context, int64, cases.Status, string) (cases.Event, error)
	UpdateCaseFn           func(context.Context, int64, cases.CaseUpdate) (*cases.Case, error)
	AttachFileFn           func(context.Context, int64, cases.EvidenceKind, string) (cases.Evidence, error)
	EvidenceFileFn         func(string) string
	SubjectsFn             func(context.Context) ([]cases.Subject, error)
	ImportBundleFn         func(context.Context, string) (int64, error)
	ImportTrustingFn       func(context.Context, string, string, bool) (int64, error)
	KeyFingerprintFn       func() string
	ExportBundleFn         func(context.Context, int64, string) error
	DemoCaseFn             func(context.Context) (int64, error)
	LawFn                  func() *law.Catalog
	ChecklistFn            func(context.Context, int64) (*checklist.Sheet, error)
	SetItemFn              func(context.Context, int64, string, checklist.Result, string) (checklist.Outcome, error)
	ExportNoticeFn         func(context.Context, int64, workspace.DocumentOptions) error
	ExportReportFn         func(context.Context, int64, workspace.DocumentOptions) error
	ExportXLSXFn           func(context.Context, int64, string) error
	DevicesFn              func(context.Context) ([]device.Device, error)
	DeviceAppsFn           func(context.Context, string) ([]device.App, error)
	PullToCaseFn           func(context.Context, string, string, int64, func(int64, int64)) (int64, error)
	CollectEvidenceFn      func(context.Context, int64, string) (*device.Evidence, error)
	ScreenshotFn           func(context.Context, int64, string) (cases.Evidence, error)
	CaptureConsentDialogFn func(context.Context, int64, string) error
	MarkConsentFn          func(context.Context, int64, time.Time) error
	RecordSessionFn        func(context.Context, workspace.SessionRequest) (*workspace.SessionResult, error)
	ReevaluateFn           func(context.Context, int64, int64) (*workspace.Reinspection, error)
	ConfirmSDKFn           func(ctx context.Context, caseID int64, sdkID, note string, withdraw bool) (*workspace.Reinspection, error)
	SettingsFn             func() workspace.Settings
	SaveSettingsFn         func(workspace.Settings) error
	DataDirFn              func() string
	LogFileFn              func() string
}

var _ Backend = (*fakeBackend)(nil)

func (f *fakeBackend) Scan(ctx context.Context, p string, pr func(inspect.Progress)) (*inspect.Result, error) {
	if f.ScanFn == nil {
		return nil, errNotFaked
	}
	return f.ScanFn(ctx, p, pr)
}
func (f *fakeBackend) ScanDir(ctx context.Context, d string, r func(*inspect.Result, error), p func(int, int)) error {
	if f.ScanDirFn == nil {
		return errNotFaked
	}
	return f.ScanDirFn(ctx, d, r, p)
}
func (f *fakeBackend) ListCases(ctx context.Context, fl cases.Filter) ([]cases.Case, error) {
	if f.ListCasesFn == nil {
		return nil, nil
	}
	return f.ListCasesFn(ctx, fl)
}
func (f *fakeBackend) NewCase(ctx context.Context, r workspace.NewCaseRequest, p func(inspect.Progress)) (*cases.Case, error) {
	if f.NewCaseFn == nil {
		return nil, errNotFaked
	}
	return f.NewCaseFn(ctx, r, p)
}
func (f *fakeBackend) OpenCase(ctx context.Context, id, ver int64) (*workspace.Case, error) {
	if f.OpenCaseFn == nil {
		return nil, errNotFaked
	}
	return f.OpenCaseFn(ctx, id, ver)
}
func (f *fakeBackend) Reinspect(ctx context.Context, r workspace.ReinspectRequest, p func(inspect.Progress)) (*workspace.Reinspection, error) {
	if f.ReinspectFn == nil {
		return nil, errNotFaked
	}
	return f.ReinspectFn(ctx, r, p)
}
func (f *fakeBackend) DiffVersions(ctx context.Context, id, a, b int64) (*cases.Diff, error) {
	if f.DiffVersionsFn == nil {
		return nil, errNotFaked
	}
	return f.DiffVersionsFn(ctx, id, a, b)
}
func (f *fakeBackend) SetPolicy(ctx context.Context, id, ver int64, path, text string) error {
	if f.SetPolicyFn == nil {
		return errNotFaked
	}
	return f.SetPolicyFn(ctx, id, ver, path, text)
}
func (f *fakeBackend) SetMark(ctx context.Context, id int64, in cases.MarkInput) (cases.Mark, error) {
	if f.SetMarkFn == nil {
		return cases.Mark{}, errNotFaked
	}
	return f.SetMarkFn(ctx, id, in)
}
func (f *fakeBackend) Transition(ctx context.Context, id int64, to cases.Status, note string) (cases.Event, error) {
	if f.TransitionFn == nil {
		return cases.Event{}, errNotFaked
	}
	return f.TransitionFn(ctx, id, to, note)
}
func (f *fakeBackend) UpdateCase(ctx context.Context, id int64, u cases.CaseUpdate) (*cases.Case, error) {
	if f.UpdateCaseFn == nil {
		return nil, errNotFaked
	}
	return f.UpdateCaseFn(ctx, id, u)
}
func (f *fakeBackend) AttachFile(ctx context.Context, id int64, k cases.EvidenceKind, p string) (cases.Evidence, error) {
	if f.AttachFileFn == nil {
		return cases.Evidence{}, errNotFaked
	}
	return f.AttachFileFn(ctx, id, k, p)
}
func (f *fakeBackend) EvidenceFile(h string) string {
	if f.EvidenceFileFn == nil {
		return ""
	}
	return f.EvidenceFileFn(h)
}
func (f *fakeBackend) Subjects(ctx context.Context) ([]cases.Subject, error) {
	if f.SubjectsFn == nil {
		return nil, nil
	}
	return f.SubjectsFn(ctx)
}
func (f *fakeBackend) ImportBundleTrusting(ctx context.Context, p, fp string, unsigned bool) (int64, error) {
	if f.ImportTrustingFn == nil {
		return 0, errNotFaked
	}
	return f.ImportTrustingFn(ctx, p, fp, unsigned)
}

func (f *fakeBackend) KeyFingerprint() string {
	if f.KeyFingerprintFn == nil {
		return ""
	}
	return f.KeyFingerprintFn()
}

func (f *fakeBackend) ImportBundle(ctx context.Context, p string) (int64, error) {
	if f.ImportBundleFn == nil {
		return 0, errNotFaked
	}
	return f.ImportBundleFn(ctx, p)
}
func (f *fakeBackend) ExportBundle(ctx context.Context, id int64, p string) error {
	if f.ExportBundleFn == nil {
		return errNotFaked
	}
	return f.ExportBundleFn(ctx, id, p)
}
func (f *fakeBackend) DemoCase(ctx context.Context) (int64, error) {
	if f.DemoCaseFn == nil {
		return 0, errNotFaked
	}
	return f.DemoCaseFn(ctx)
}
func (f *fakeBackend) Law() *law.Catalog {
	if f.LawFn == nil {
		return nil
	}
	return f.LawFn()
}
func (f *fakeBackend) Checklist(ctx context.Context, id int64) (*checklist.Sheet, error) {
	if f.ChecklistFn == nil {
		return nil, errNotFaked
	}
	return f.ChecklistFn(ctx, id)
}
func (f *fakeBackend) SetItem(ctx context.Context, id int64, item string, res checklist.Result, note string) (checklist.Outcome, error) {
	if f.SetItemFn == nil {
		return checklist.Outcome{}, errNotFaked
	}
	return f.SetItemFn(ctx, id, item, res, note)
}
func (f *fakeBackend) ExportNotice(ctx context.Context, id int64, o workspace.DocumentOptions) error {
	if f.ExportNoticeFn == nil {
		return errNotFaked
	}
	return f.ExportNoticeFn(ctx, id, o)
}
func (f *fakeBackend) ExportReport(ctx context.Context, id int64, o workspace.DocumentOptions) error {
	if f.ExportReportFn == nil {
		return errNotFaked
	}
	return f.ExportReportFn(ctx, id, o)
}
func (f *fakeBackend) ExportXLSX(ctx context.Context, id int64, p string) error {
	if f.ExportXLSXFn == nil {
		return errNotFaked
	}
	return f.ExportXLSXFn(ctx, id, p)
}
func (f *fakeBackend) Devices(ctx context.Context) ([]device.Device, error) {
	if f.DevicesFn == nil {
		return nil, errNotFaked
	}
	return f.DevicesFn(ctx)
}
func (f *fakeBackend) DeviceApps(ctx context.Context, s string) ([]device.App, error) {
	if f.DeviceAppsFn == nil {
		return nil, errNotFaked
	}
	return f.DeviceAppsFn(ctx, s)
}
func (f *fakeBackend) PullToCase(ctx context.Context, s, p string, id int64, pr func(int64, int64)) (int64, error) {
	if f.PullToCaseFn == nil {
		return 0, errNotFaked
	}
	return f.PullToCaseFn(ctx, s, p, id, pr)
}
func (f *fakeBackend) CollectEvidence(ctx context.Context, id int64, s string) (*device.Evidence, error) {
	if f.CollectEvidenceFn == nil {
		return nil, errNotFaked
	}
	return f.CollectEvidenceFn(ctx, id, s)
}
func (f *fakeBackend) Screenshot(ctx context.Context, id int64, s string) (cases.Evidence, error) {
	if f.ScreenshotFn == nil {
		return cases.Evidence{}, errNotFaked
	}
	return f.ScreenshotFn(ctx, id, s)
}
func (f *fakeBackend) CaptureConsentDialog(ctx context.Context, id int64, s string) error {
	if f.CaptureConsentDialogFn == nil {
		return errNotFaked
	}
	return f.CaptureConsentDialogFn(ctx, id, s)
}
func (f *fakeBackend) ConfirmSDK(ctx context.Context, id int64, sdkID, note string, withdraw bool) (*workspace.Reinspection, error) {
	if f.ConfirmSDKFn == nil {
		return nil, errors.New("fake: ConfirmSDK not set")
	}
	return f.ConfirmSDKFn(ctx, id, sdkID, note, withdraw)
}

func (f *fakeBackend) Reevaluate(ctx context.Context, id, ver int64) (*workspace.Reinspection, error) {
	if f.ReevaluateFn == nil {
		return nil, errNotFaked
	}
	return f.ReevaluateFn(ctx, id, ver)
}

func (f *fakeBackend) MarkConsent(ctx context.Context, id int64, at time.Time) error {
	if f.MarkConsentFn == nil {
		return errNotFaked
	}
	return f.MarkConsentFn(ctx, id, at)
}

func (f *fakeBackend) RecordSession(ctx context.Context, req workspace.SessionRequest) (*workspace.SessionResult, error) {
	if f.RecordSessionFn == nil {
		return nil, errNotFaked
	}
	return f.RecordSessionFn(ctx, req)
}
func (f *fakeBackend) Settings() workspace.Settings {
	if f.SettingsFn == nil {
		return workspace.Settings{}
	}
	return f.SettingsFn()
}
func (f *fakeBackend) SaveSettings(s workspace.Settings) error {
	if f.SaveSettingsFn == nil {
		return errNotFaked
	}
	return f.SaveSettingsFn(s)
}
func (f *fakeBackend) DataDir() string {
	if f.DataDirFn == nil {
		return ""
	}
	return f.DataDirFn()
}
func (f *fakeBackend) LogFile() string {
	if f.LogFileFn == nil {
		return ""
	}
	return f.LogFileFn()
}

// testPolicy is a short Chinese privacy policy; its spans are computed
// below by rune offset.
const testPolicy = `隐私政策
更新日期：2026年1月5日
一、我们收集的信息
为向您提供附近门店推荐，我们会收集您的位置信息，并申请定位权限。
为完成注册，我们会收集您的手机号码。
我们不会收集您的通讯录。
二、第三方SDK
我们接入了极光推送SDK，用于消息推送，会收集设备标识符。
三、联系我们
如有问题，请联系 privacy@example.cn。`

// runeSpan returns the rune offsets of the first occurrence of sub in s.
func runeSpan(t testing.TB, s, sub string) (int, int) {
	t.Helper()
	i := strings.Index(s, sub)
	if i < 0 {
		t.Fatalf("%q not in policy", sub)
	}
	start := utf8.RuneCountInString(s[:i])
	return start, start + utf8.RuneCountInString(sub)
}

// testCase builds a realistic case: a food-delivery app with location,
// phone-number and contacts permissions, JPush and Amap SDKs, API uses by
// the app and by an SDK, the Chinese policy above with its spans,
// candidates citing pipl/17 and rd2019/3.1, marks and device evidence.
func testCase(t testing.TB) *workspace.Case {
	t.Helper()
	ls, le := runeSpan(t, testPolicy, "位置信息")
	ps, pe := runeSpan(t, testPolicy, "手机号码")
	cs, ce := runeSpan(t, testPolicy, "通讯录")
	gs, ge := runeSpan(t, testPolicy, "定位权限")
	js, je := runeSpan(t, testPolicy, "极光推送")
	ds, de := runeSpan(t, testPolicy, "设备标识符")
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, cases.ChinaTime)
	ver := cases.Version{ID: 7, CaseID: 1, VersionName: "3.2.0", VersionCode: 320, Created: created}
	consent := time.Date(2026, 3, 2, 10, 0, 30, 0, cases.ChinaTime)
	ev := &device.Evidence{
		Device:    device.Device{Serial: "R58M123", State: "device", Model: "SM-G9910", Brand: "samsung", AndroidVersion: "14", SDK: 34},
		Package:   "cn.example.waimai",
		Collected: consent.Add(time.Minute),
		Permissions: []device.PermState{
			{Name: "android.permission.ACCESS_FINE_LOCATION", Requested: true, Granted: true, Runtime: true},
		},
		Timeline: []device.Event{
			{Time: consent.Add(-20 * time.Second), Kind: "access", Op: "FINE_LOCATION", Detail: "top"},
			{Time: consent.Add(-10 * time.Second), Kind: "access", Op: "READ_CONTACTS", Detail: "fg"},
			{Time: consent.Add(40 * time.Second), Kind: "process_start", Detail: "cn.example.waimai"},
		},
	}
	shot := strings.Repeat("ab", 32)
	c := &workspace.Case{
		Case: cases.Case{ID: 1, Number: "〔2026〕第0001号", Status: cases.StatusOpen,
			Subject: cases.Subject{ID: 3, Kind: cases.AppOperator, Name: "示例外卖科技有限公司", CreditCode: "91110108MA01ABCD2X"},
			App:     cases.App{Package: "cn.example.waimai", Name: "示例外卖"}, Inspectors: []string{"张三"},
			RectificationDays: 10, Created: created},
		Versions: []cases.Version{{ID: 5, CaseID: 1, VersionName: "3.1.0", VersionCode: 310, Created: created.AddDate(0, -2, 0)}, ver},
		Version:  &ver,
		Scan: &inspect.Result{
			File: "waimai.apk", Size: 25 << 20, SHA256: strings.Repeat("3f", 32), MD5: strings.Repeat("a1", 16),
			Format: "apk", Package: "cn.example.waimai", VersionCode: 320, VersionName: "3.2.0", MinSDK: 24, TargetSDK: 34,
			Label: "Waimai", LabelZH: "示例外卖",
			Permissions: []inspect.Permission{
				{Name: "android.permission.ACCESS_FINE_LOCATION", Protection: "dangerous", Dangerous: true, LegacyGroup: "LOCATION",
					Categories: []pi.Category{pi.Location}, ZH: "获取精确位置", EN: "access precise location"},
				{Name: "android.permission.READ_CONTACTS", Protection: "dangerous", Dangerous: true, LegacyGroup: "CONTACTS",
					Categories: []pi.Category{pi.Contacts}, ZH: "读取通讯录", EN: "read your contacts"},
				{Name: "android.permission.READ_PHONE_NUMBERS", Protection: "dangerous", Dangerous: true, LegacyGroup: "PHONE",
					Categories: []pi.Category{pi.PhoneNumber}, ZH: "读取本机电话号码", EN: "read phone numbers"},
				{Name: "android.permission.INTERNET", Protection: "normal", ZH: "访问网络", EN: "full network access"},
			},
			SDKs: []inspect.SDK{
				{ID: "jpush", Name: "JPush", NameZH: "极光推送", Vendor: "Aurora Mobile", VendorZH: "极光", Category: "push", Used: true,
					Collects: []pi.Category{pi.DeviceID}},
				{ID: "amap-location", Name: "AMap Location", NameZH: "高德定位", Vendor: "AutoNavi", VendorZH: "高德", Category: "maps",
					Collects: []pi.Category{pi.Location}},
			},
			SDKMentions: []inspect.SDK{
				{ID: "getui", Name: "Getui", NameZH: "个推", Category: "push", Note: "named only by strings, hosts or meta-data: its code is not in the APK",
					NoteZH: "仅在字符串、域名或 meta-data 中被提及，APK 中没有其代码"},
			},
			APIs: []inspect.APIUse{
				{ID: "location.getLastKnownLocation", Category: pi.Location, Class: "android.location.LocationManager", Method: "getLastKnownLocation",
					ZH: "获取最近位置", EN: "last known location", Owners: []string{"amap-location", "app"},
					Callers: []inspect.Caller{{Class: "cn.example.waimai.home.NearbyActivity", Method: "onResume", Owner: "app"},
						{Class: "com.amap.api.location.AMapLocationClient", Method: "a", Owner: "amap-location"}}},
				{ID: "telephony.getDeviceId", Category: pi.DeviceID, Class: "android.telephony.TelephonyManager", Method: "getImei",
					ZH: "获取IMEI", EN: "read IMEI", Owners: []string{"jpush"},
					Callers: []inspect.Caller{{Class: "cn.jpush.android.helper.DeviceInfo", Method: "b", Owner: "jpush"}}},
				{ID: "contacts.query", Category: pi.Contacts, Class: "android.content.ContentResolver", Method: "query",
					ZH: "读取通讯录", EN: "query contacts", Owners: []string{"app"},
					Callers: []inspect.Caller{{Class: "cn.example.waimai.invite.InviteActivity", Method: "load", Owner: "app"}}},
			},
			Endpoints: []endpoint.Endpoint{
				{Value: "https://api.example.cn/v2", Kind: "url", Host: "api.example.cn", Sources: []string{"dex"}, Count: 3},
				{Value: "https://tracker.adsdk.com/collect", Kind: "url", Host: "tracker.adsdk.com", Sources: []string{"dex"}, Count: 1},
			},
			Components: []apk.Component{
				{Kind: "activity", Name: "cn.example.waimai.MainActivity", Exported: true},
				{Kind: "service", Name: "cn.jpush.android.service.PushService", Exported: false},
			},
			Packers: []packer.Finding{{ID: "legu", Vendor: "Tencent Legu", VendorZH: "腾讯乐固", Evidence: []string{"lib/arm64-v8a/libshell.so"}}},
		},
		Policy: &policy.Extraction{
			DataTypes: []policy.DataType{
				{Category: pi.Location, Kind: "location", Text: "位置信息", Start: ls, End: le, Practice: "collect"},
				{Category: pi.PhoneNumber, Kind: "phone_number", Text: "手机号码", Start: ps, End: pe, Practice: "collect"},
				{Category: pi.Contacts, Kind: "contacts", Text: "通讯录", Start: cs, End: ce, Negated: true},
				{Category: pi.DeviceID, Kind: "device_id", Text: "设备标识符", Start: ds, End: de, Practice: "collect"},
			},
			PermissionGroups: []policy.PermissionGroup{{Group: "LOCATION", Text: "定位权限", Start: gs, End: ge, Via: "permission"}},
			SDKs:             []policy.SDKMention{{Name: "极光推送", ID: "jpush", Start: js, End: je, Source: "text"}},
		},
		PolicyText: testPolicy,
		PolicyName: "privacy.html",
		Candidates: []rules.Candidate{
			{Rule: "permission.undeclared", TitleZH: "申请通讯录权限但隐私政策未说明", TitleEN: "Contacts permission not explained in the policy",
				Severity: cases.SeverityHigh, Articles: []string{"pipl/17", "rd2019/3.1"},
				ExplanationZH: "App 申请 READ_CONTACTS 并调用通讯录接口，隐私政策称不收集通讯录。", ExplanationEN: "The app reads contacts; the policy says it does not.",
				Evidence: []rules.Evidence{
					{Key: "permission:READ_CONTACTS", Kind: "permission", Ref: "android.permission.READ_CONTACTS"},
					{Key: "policy:contacts", Kind: "policy", Ref: "通讯录", Start: cs, End: ce},
				}},
			{Rule: "device.collect_before_consent", TitleZH: "同意前收集位置信息", TitleEN: "Location collected before consent",
				Severity: cases.SeverityHigh, Articles: []string{"rd2019/3.1"},
				ExplanationZH: "用户同意前访问了 FINE_LOCATION。", ExplanationEN: "FINE_LOCATION was accessed before consent.",
				Evidence: []rules.Evidence{{Key: "device:FINE_LOCATION", Kind: "device", Ref: "FINE_LOCATION"}}},
		},
		Marks: []cases.Mark{{ID: 11, CaseID: 1, VersionID: 7, ItemID: "rd2019/3.1", Suggested: true, CandidateRules: []string{"device.collect_before_consent"}}},
		Evidence: []cases.Evidence{
			{ID: 1, CaseID: 1, SHA256: strings.Repeat("3f", 32), Kind: cases.EvidenceAPK, Name: "waimai.apk", Size: 25 << 20, Added: created},
			{ID: 2, CaseID: 1, SHA256: shot, Kind: cases.EvidenceScreenshot, Name: "consent.png", Size: 120 << 10, MediaType: "image/png",
				Added: consent, DeviceTime: consent, Source: "R58M123"},
		},
		Device:    ev,
		ConsentAt: consent,
	}
	// the judgement comes from cases/rules, as the service stores it
	c.Disclosures = rules.Disclose(&rules.Facts{Scan: c.Scan, Policy: c.Policy, PolicyText: c.PolicyText,
		Device: &rules.DeviceFacts{ConsentAt: consent, Ops: []rules.DeviceOp{{Op: "FINE_LOCATION", Time: consent.Add(-20 * time.Second)},
			{Op: "READ_CONTACTS", Time: consent.Add(-10 * time.Second)}}}})
	c.RulesVersion = rules.Version
	return c
}

// testCases is a case list with deadline situations.
func testCases() []cases.Case {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, cases.ChinaTime) }
	return []cases.Case{
		{ID: 1, Number: "〔2026〕第0001号", Status: cases.StatusOpen, App: cases.App{Package: "cn.example.waimai", Name: "示例外卖"},
			Subject: cases.Subject{Name: "示例外卖科技有限公司", Kind: cases.AppOperator}},
		{ID: 2, Number: "〔2026〕第0002号", Status: cases.StatusNoticeIssued, App: cases.App{Package: "com.example.reader", Name: "阅读器"},
			Subject: cases.Subject{Name: "示例阅读有限公司", Kind: cases.AppOperator}, NoticeIssued: d(2026, 2, 2), Deadline: d(2026, 3, 1)},
		{ID: 3, Number: "〔2026〕第0003号", Status: cases.StatusNoticeIssued, App: cases.App{Package: "com.example.maps", Name: "Maps"},
			Subject: cases.Subject{Name: "Example Maps Ltd", Kind: cases.SDKProvider}, NoticeIssued: d(2026, 3, 2), Deadline: d(2026, 3, 12)},
		{ID: 4, Number: "〔2025〕第0102号", Status: cases.StatusClosed, App: cases.App{Package: "com.example.old", Name: "旧应用"},
			Subject: cases.Subject{Name: "旧公司", Kind: cases.AppOperator}},
	}
}

// testNow is the fixed "today" of tests: 2026-03-10, China time.
var testNow = time.Date(2026, 3, 10, 15, 0, 0, 0, cases.ChinaTime)

func mustLaw(t testing.TB) *law.Catalog {
	t.Helper()
	c, err := law.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newFake is a fake serving testCase and testCases.
func newFake(t testing.TB) *fakeBackend {
	c := mustLaw(t)
	return &fakeBackend{
		ListCasesFn: func(context.Context, cases.Filter) ([]cases.Case, error) { return testCases(), nil },
		OpenCaseFn:  func(context.Context, int64, int64) (*workspace.Case, error) { return testCase(t), nil },
		LawFn:       func() *law.Catalog { return c },
		ChecklistFn: fakeChecklist(t, nil),
		SettingsFn: func() workspace.Settings {
			return workspace.Settings{Inspector: "张三", RectificationDays: 10,
				Authority: workspace.Authority{Kind: "regulator", Name: "某省通信管理局"}}
		},
		DataDirFn: func() string { return "/tmp/appinspect-data" },
	}
}

// wait waits for ch or fails after a few seconds.
func wait(t testing.TB, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for the UI")
	}
}
