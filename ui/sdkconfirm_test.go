package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
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
	ws.w.Canvas().Overlays().Top().Hide()
	ws.confirmSDK("getui", "抓包见上报", false)
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
}
