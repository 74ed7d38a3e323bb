package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// TestConfirmMentionedSDK: selecting a mentioned SDK's row offers to
// confirm it; confirming calls ConfirmSDK with the note and shows the newest
// version.
func TestConfirmMentionedSDK(t *testing.T) {
	f := newFake(t)
	var gotID, gotNote string
	var gotWithdraw bool
	called := make(chan struct{})
	f.ConfirmSDKFn = func(_ context.Context, _ int64, id, note string, withdraw bool) (*workspace.Reinspection, error) {
		gotID, gotNote, gotWithdraw = id, note, withdraw
		close(called)
		return &workspace.Reinspection{Version: cases.Version{ID: 8}, Diff: cases.Diff{New: []cases.Finding{{Rule: "sdk.undisclosed"}}}}, nil
	}
	ws := openTestCase(t, newTestMain(t, f, "zh"))
	v := ws.review
	sdks := v.rows[revSDKs]
	i := rowByTitle(t, sdks, "（提及）个推")
	if r := sdks[i]; !r.Mention || r.SDK != "getui" || !strings.Contains(r.Sub, "选中可确认") {
		t.Fatalf("mention row = %+v", r)
	}
	v.tabs.SelectIndex(revSDKs)
	v.lists[revSDKs].Select(i)
	if ws.w.Canvas().Overlays().Top() == nil {
		t.Fatal("selecting the mention row opened no dialog")
	}
	if !strings.Contains(v.found.Text, "仅在APK中被提及") || strings.Contains(v.found.Text, "不涉及个人信息") {
		t.Errorf("found = %q", v.found.Text)
	}
	// the dialog's own note and button: what the inspector types is sent
	v.sdkNote.SetText("抓包见上报")
	v.sdkDlg.Confirm()
	wait(t, called)
	wait(t, ws.task.done)
	wait(t, ws.loaded)
	if gotID != "getui" || gotNote != "抓包见上报" || gotWithdraw {
		t.Errorf("ConfirmSDK(%q, %q, %v)", gotID, gotNote, gotWithdraw)
	}
	// a present SDK row is no mention and offers nothing
	if r := sdks[rowByTitle(t, sdks, "极光推送")]; r.Mention || r.ConfirmedBy != "" || r.SDK != "jpush" {
		t.Errorf("present row = %+v", r)
	}
	// after the dialog closed the row is unselected: selecting it again reopens it
	if v.lists[revSDKs].Length() > 0 {
		v.sdkDlg = nil
		v.lists[revSDKs].Select(rowByTitle(t, v.rows[revSDKs], "（提及）个推"))
		if v.sdkDlg == nil {
			t.Error("selecting the mention row again opened no dialog")
		}
	}
}

// TestWithdrawConfirmedSDK: a row present by confirmation offers to
// withdraw it; the dialog's button sends the withdrawal.
func TestWithdrawConfirmedSDK(t *testing.T) {
	f := newFake(t)
	base := f.OpenCaseFn
	f.OpenCaseFn = func(ctx context.Context, id, ver int64) (*workspace.Case, error) {
		c, err := base(ctx, id, ver)
		if err != nil {
			return nil, err
		}
		for i := range c.Scan.SDKs {
			if c.Scan.SDKs[i].ID == "amap-location" {
				c.Scan.SDKs[i].Evidence = append(c.Scan.SDKs[i].Evidence, sdk.Evidence{Kind: sdk.KindConfirmed, Value: "张检测", Count: 1, Examples: []string{"抓包"}})
			}
		}
		return c, nil
	}
	var withdrew bool
	called := make(chan struct{})
	f.ConfirmSDKFn = func(_ context.Context, _ int64, id, _ string, withdraw bool) (*workspace.Reinspection, error) {
		withdrew = withdraw && id == "amap-location"
		close(called)
		return &workspace.Reinspection{Version: cases.Version{ID: 8}}, nil
	}
	ws := openTestCase(t, newTestMain(t, f, "zh"))
	v := ws.review
	i := rowByTitle(t, v.rows[revSDKs], "高德定位")
	if r := v.rows[revSDKs][i]; r.ConfirmedBy != "张检测" || !strings.Contains(r.Sub, "已由张检测确认存在：抓包") {
		t.Fatalf("confirmed row = %+v", r)
	}
	v.tabs.SelectIndex(revSDKs)
	v.lists[revSDKs].Select(i)
	if v.sdkDlg == nil {
		t.Fatal("no withdraw dialog")
	}
	v.sdkDlg.Confirm()
	wait(t, called)
	wait(t, ws.task.done)
	if !withdrew {
		t.Error("the dialog did not withdraw amap-location")
	}
}
