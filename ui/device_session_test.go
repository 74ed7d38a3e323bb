package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/netcap"
)

// sessionFromMarks builds the session a fake device records: one SDK
// contact before the consent mark and one plain-HTTP contact with an IMEI
// after it.
func sessionFromMarks(start, consent time.Time) *device.Session {
	c := consent
	return &device.Session{Package: "cn.example.waimai", Start: start, End: start.Add(time.Minute), Clock: device.ClockDevice, ConsentAt: &c,
		Proxy: device.SessionProxy{Port: 8899, Previous: "null", Restored: true},
		Contacts: []device.SessionContact{
			{Time: consent.Add(-2 * time.Second), Host: "log.umeng.com", Port: 443, SDK: "umeng", Owner: "umeng", BeforeConsent: true},
			{Time: consent.Add(3 * time.Second), Host: "api.waimai.example.cn", Port: 80, Owner: "app", PlainHTTP: true, Method: "GET",
				URL: "http://api.waimai.example.cn/r?imei=861234567890123", PI: []netcap.PIHit{{Kind: "imei", Where: "url", Field: "imei"}}},
		},
		Notes: []string{"no privacy-policy dialog seen in the UI dumps before consent", "no consent marked: contacts are not placed relative to consent"}}
}

func TestDeviceRecordSession(t *testing.T) {
	b := newFake(t)
	b.DevicesFn = func(context.Context) ([]device.Device, error) { return testDevices(), nil }
	b.DeviceAppsFn = func(context.Context, string) ([]device.App, error) {
		return []device.App{{Package: "cn.example.waimai"}}, nil
	}
	var got workspace.SessionRequest
	marked := make(chan time.Time, 1)
	recording := make(chan struct{})
	b.RecordSessionFn = func(ctx context.Context, req workspace.SessionRequest) (*workspace.SessionResult, error) {
		got = req
		req.Ready()
		close(recording)
		start := time.Now()
		select {
		case at := <-req.Consent:
			marked <- at
			return &workspace.SessionResult{Session: sessionFromMarks(start, at), Stored: true, SDKNames: map[string]string{"umeng": "友盟统计"},
				Findings: []workspace.SessionFinding{{Rule: "network.contact_before_consent", Title: "SDK 在用户同意前联网", Articles: []string{"pipl/13"}}}}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	v := ws.device
	v.refresh()
	wait(t, ws.task.wait())
	v.devList.Select(0)
	wait(t, ws.task.wait())
	p := v.session
	if !p.consent.Disabled() || !p.refuse.Disabled() {
		t.Fatal("consent/refusal marks enabled before a session runs")
	}

	p.duration.SetText("0")
	test.Tap(p.record)
	if ws.task.running() || !strings.Contains(textOf(m.w.Canvas().Overlays().Top()), "1 至 3600") {
		t.Fatalf("a zero duration was not refused: running %v", ws.task.running())
	}
	m.w.Canvas().Overlays().Top().Hide()

	p.duration.SetText("30")
	test.Tap(p.record)
	if !ws.task.running() || p.consent.Disabled() || p.refuse.Disabled() || !p.record.Disabled() {
		t.Fatal("while recording: marks should be enabled and record disabled")
	}
	wait(t, recording)
	test.Tap(p.consent)
	select {
	case <-marked:
	case <-time.After(5 * time.Second):
		t.Fatal("the consent press did not reach the session")
	}
	wait(t, ws.task.wait())
	if got.CaseID != 1 || got.Serial != "R58M123" || got.Duration != 30*time.Second || got.Lang != "zh" {
		t.Errorf("request = %+v", got)
	}
	if !p.consent.Disabled() || !p.refuse.Disabled() || p.record.Disabled() {
		t.Error("after the session: marks should be disabled and record enabled")
	}
	text := p.result.Text
	for _, want := range []string{"log.umeng.com:443", "SDK 友盟统计", "同意之前", "api.waimai.example.cn:80", "应用自身的接口", "同意之后",
		"明文 HTTP", "发送了个人信息：imei", "SDK 在用户同意前联网 (pipl/13)", "绕过系统代理", "QUIC", "手机的代理设置已恢复（无）", "设备时钟",
		"同意之前未在屏幕上看到隐私政策弹窗"} {
		if !strings.Contains(text, want) {
			t.Errorf("session result lacks %q:\n%s", want, text)
		}
	}
	// Each contact: its time and host, then its owner and place.
	for _, c := range []struct{ host, place string }{{"log.umeng.com:443", "SDK 友盟统计 · 同意之前"}, {"api.waimai.example.cn:80", "应用自身的接口 · 同意之后 · ⚠ 明文 HTTP"}} {
		i := strings.Index(text, c.host)
		if i < 0 || !strings.HasPrefix(strings.TrimSpace(strings.SplitN(text[i:], "\n", 3)[1]), c.place) {
			t.Errorf("contact %s is not followed by %q:\n%s", c.host, c.place, text)
		}
	}
}

func TestDeviceRecordSessionCancel(t *testing.T) {
	b := newFake(t)
	b.DevicesFn = func(context.Context) ([]device.Device, error) { return testDevices(), nil }
	b.DeviceAppsFn = func(context.Context, string) ([]device.App, error) { return nil, nil }
	recording := make(chan struct{})
	b.RecordSessionFn = func(ctx context.Context, req workspace.SessionRequest) (*workspace.SessionResult, error) {
		req.Ready()
		close(recording)
		<-ctx.Done()
		s := &device.Session{Package: "cn.example.waimai", Start: time.Now(), End: time.Now(), Clock: device.ClockLaptop,
			Proxy: device.SessionProxy{Previous: "10.0.0.1:3128", Restored: true}}
		return &workspace.SessionResult{Session: s, Stored: true}, ctx.Err()
	}
	m := newTestMain(t, b, "en")
	ws := openTestCase(t, m)
	v := ws.device
	v.refresh()
	wait(t, ws.task.wait())
	v.devList.Select(0)
	wait(t, ws.task.wait())
	test.Tap(v.session.record)
	if !ws.task.running() {
		t.Fatal("not recording")
	}
	wait(t, recording)
	test.Tap(ws.task.cancel)
	wait(t, ws.task.wait())
	text := v.session.result.Text
	for _, want := range []string{"Stopped early with Cancel", "proxy setting was restored (10.0.0.1:3128)", "computer clock",
		"No consent marked", "No contact went through the proxy"} {
		if !strings.Contains(text, want) {
			t.Errorf("result lacks %q:\n%s", want, text)
		}
	}
	if top := m.w.Canvas().Overlays().Top(); top != nil && strings.Contains(textOf(top), T("err.title")) {
		t.Errorf("cancel shown as an error: %s", textOf(top))
	}
}

// TestSessionNotes: the device's fixed notes are said in the UI language,
// an adb error as written.
func TestSessionNotes(t *testing.T) {
	SetLanguage("zh")
	defer SetLanguage("en")
	for n, want := range map[string]string{
		"restored http_proxy 10.0.0.1:3128 left by a session started 2026-12-04T02:00:00Z":                "先恢复了上一次会话（开始于 2026-12-04 10:00:00）遗留的代理设置：10.0.0.1:3128。",
		"restored http_proxy null left by a session started 2026-12-04T02:00:00Z":                         "先恢复了上一次会话（开始于 2026-12-04 10:00:00）遗留的代理设置：无。",
		"12 contacts beyond the proxy's bound were not kept":                                              "超出代理内存上限的 12 次连接未保留。",
		"session stopped early: context canceled":                                                         "录制提前结束（context canceled）。",
		"device clock unreadable; every time is the laptop's clock, AppOps and logcat times are left out": "无法读取手机时钟：所有时间均为本机时间，AppOps 与 logcat 的时间未列入。",
		"device: adb: error: closed":                                                                      "设备记录说明：device: adb: error: closed",
		"no consent marked: contacts are not placed relative to consent":                                  "",
	} {
		if got := sessionNote(n); got != want {
			t.Errorf("sessionNote(%q) = %q, want %q", n, got, want)
		}
	}
}
