package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/device"
)

func testDevices() []device.Device {
	return []device.Device{
		{Serial: "R58M123", State: "device", Brand: "samsung", Model: "SM-G9910", AndroidVersion: "14", SDK: 34},
		{Serial: "8XV7N18", State: "unauthorized", Fix: "在手机上允许 USB 调试 / Allow USB debugging on the phone"},
	}
}

func TestDeviceWorkspacePanel(t *testing.T) {
	b := newFake(t)
	b.DevicesFn = func(context.Context) ([]device.Device, error) { return testDevices(), nil }
	b.DeviceAppsFn = func(_ context.Context, s string) ([]device.App, error) {
		return []device.App{{Package: "cn.example.waimai", VersionName: "3.2.0", VersionCode: 320}, {Package: "com.other.app"}}, nil
	}
	var pulled []any
	b.PullToCaseFn = func(_ context.Context, s, p string, id int64, pr func(int64, int64)) (int64, error) {
		pr(50, 100)
		pulled = append(pulled, s, p, id)
		return id, nil
	}
	var consent time.Time
	consentCalled := false
	b.MarkConsentFn = func(_ context.Context, id int64, at time.Time) error { consent, consentCalled = at, true; return nil }
	shots := 0
	b.ScreenshotFn = func(context.Context, int64, string) (cases.Evidence, error) { shots++; return cases.Evidence{}, nil }
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	v := ws.device
	if !strings.Contains(v.info.Text, "SM-G9910") || !strings.Contains(v.info.Text, "同意前访问 2 次") {
		t.Errorf("evidence summary = %q", v.info.Text)
	}
	v.refresh()
	wait(t, ws.task.wait())
	if v.devList.Length() != 2 {
		t.Fatalf("%d devices", v.devList.Length())
	}
	v.devList.Select(1)
	if !strings.Contains(v.info.Text, "Allow USB debugging") || v.serial != "" {
		t.Errorf("not-ready device: %q", v.info.Text)
	}
	v.devList.Select(0)
	wait(t, ws.task.wait())
	if v.appList.Length() != 2 || v.app != "cn.example.waimai" {
		t.Fatalf("apps %d, selected %q (the case's app should be chosen)", v.appList.Length(), v.app)
	}
	v.filter.SetText("other")
	if v.appList.Length() != 1 {
		t.Errorf("filter: %d apps", v.appList.Length())
	}
	v.onPull()
	wait(t, ws.task.wait())
	if len(pulled) != 3 || pulled[0] != "R58M123" || pulled[2] != int64(1) {
		t.Errorf("pulled = %v", pulled)
	}
	wait(t, ws.loaded)
	v.onScreenshot()
	wait(t, ws.task.wait())
	v.onConsent()
	wait(t, ws.task.wait())
	if shots != 1 || !consentCalled || !consent.IsZero() {
		t.Errorf("screenshots %d, consent %v %v", shots, consentCalled, consent)
	}
}

func TestDeviceDialogFromHomeOpensNewCase(t *testing.T) {
	b := newFake(t)
	b.DevicesFn = func(context.Context) ([]device.Device, error) { return testDevices(), nil }
	b.DeviceAppsFn = func(context.Context, string) ([]device.App, error) {
		return []device.App{{Package: "cn.example.waimai"}}, nil
	}
	b.PullToCaseFn = func(_ context.Context, _, _ string, id int64, _ func(int64, int64)) (int64, error) {
		if id != 0 {
			t.Errorf("pull into case %d, want a new case", id)
		}
		return 1, nil
	}
	m := newTestMain(t, b, "en")
	v := showDeviceDialog(m, 0)
	wait(t, v.task.wait())
	for _, btn := range v.caseBtns {
		if !btn.Disabled() {
			t.Errorf("%q enabled without a case", btn.Text)
		}
	}
	v.devList.Select(0)
	wait(t, v.task.wait())
	v.appList.Select(0)
	v.onPull()
	wait(t, v.task.wait())
	if m.ws == nil || m.ws.caseID != 1 {
		t.Fatal("pulled case not opened")
	}
	wait(t, m.ws.loaded)
}

func TestDeviceGoneShowsSentence(t *testing.T) {
	b := newFake(t)
	b.DevicesFn = func(context.Context) ([]device.Device, error) {
		return nil, &device.Error{Serial: "R58M123", Err: device.ErrDeviceGone}
	}
	m := newTestMain(t, b, "en")
	ws := openTestCase(t, m)
	ws.device.refresh()
	wait(t, ws.task.wait())
	if got := textOf(m.w.Canvas().Overlays().Top()); !strings.Contains(got, "The device was disconnected") {
		t.Errorf("dialog = %q", got)
	}
}
