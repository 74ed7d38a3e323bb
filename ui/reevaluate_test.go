package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

// TestReevaluateButton: an out-of-date evaluation is flagged with its
// reasons, and the button runs Reevaluate on the shown version and then
// shows the newest version.
func TestReevaluateButton(t *testing.T) {
	f := newFake(t)
	outdated := []string{"rules", "device"}
	var opened []int64
	f.OpenCaseFn = func(_ context.Context, _ int64, ver int64) (*workspace.Case, error) {
		opened = append(opened, ver)
		c := testCase(t)
		c.Outdated = outdated
		return c, nil
	}
	var gotCase, gotVer int64
	called := make(chan struct{})
	f.ReevaluateFn = func(_ context.Context, id, ver int64) (*workspace.Reinspection, error) {
		gotCase, gotVer = id, ver
		outdated = nil
		close(called)
		return &workspace.Reinspection{Version: cases.Version{ID: 8}, Diff: cases.Diff{New: []cases.Finding{{Rule: "api.undeclared"}}}}, nil
	}
	ws := openTestCase(t, newTestMain(t, f, "zh"))
	if b := ws.reeval; b.Disabled() || b.Importance != widget.WarningImportance || !strings.Contains(b.Text, "规则已更新") || !strings.Contains(b.Text, "有新的设备证据") {
		t.Fatalf("button %q importance %v disabled %v", b.Text, b.Importance, b.Disabled())
	}
	ws.reevaluate(ws.data.Version.ID)
	wait(t, called)
	wait(t, ws.task.done)
	wait(t, ws.loaded)
	if gotCase != 1 || gotVer != 7 {
		t.Errorf("Reevaluate(%d, %d), want case 1 version 7", gotCase, gotVer)
	}
	if opened[len(opened)-1] != 0 {
		t.Errorf("after re-evaluating opened version %d, want the newest (0)", opened[len(opened)-1])
	}
	if b := ws.reeval; b.Importance == widget.WarningImportance || b.Text != "重新评估" {
		t.Errorf("after: button %q importance %v", b.Text, b.Importance)
	}
}
