package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
)

func TestNewCaseCreatesAndOpens(t *testing.T) {
	b := newFake(t)
	var req workspace.NewCaseRequest
	b.NewCaseFn = func(_ context.Context, r workspace.NewCaseRequest, p func(inspect.Progress)) (*cases.Case, error) {
		req = r
		p(inspect.Progress{Stage: "dex", Done: 1, Total: 2})
		return &cases.Case{ID: 1}, nil
	}
	m := newTestMain(t, b, "zh")
	f := showNewCase(m, m.home.task, "/data/waimai.apk")
	f.subject.SetText("示例外卖科技有限公司")
	f.kind.SetSelectedIndex(0)
	f.appType.SetSelectedIndex(0)
	f.policyText.SetText("隐私政策……")
	f.submit()
	wait(t, m.home.task.wait())
	if req.APK != "/data/waimai.apk" || req.Subject.Name != "示例外卖科技有限公司" || req.Subject.Kind != cases.AppOperator {
		t.Errorf("request = %+v", req)
	}
	if req.AppType == "" || req.PolicyText != "隐私政策……" || req.Inspector != "张三" || req.Source != cases.SourceRoutine {
		t.Errorf("request = %+v", req)
	}
	if m.ws == nil || m.ws.caseID != 1 {
		t.Fatal("new case not opened")
	}
	wait(t, m.ws.loaded)
}

// TestNewCaseKeepsFormOnError: an invalid credit code is reported next to
// its field and nothing typed is lost; a failing creation leaves the form
// open with its content; the error dialog's title is translated.
func TestNewCaseKeepsFormOnError(t *testing.T) {
	b := newFake(t)
	calls := 0
	b.NewCaseFn = func(context.Context, workspace.NewCaseRequest, func(inspect.Progress)) (*cases.Case, error) {
		calls++
		return nil, fmt.Errorf("app: new case: %w", apk.ErrNoManifest)
	}
	m := newTestMain(t, b, "zh")
	f := showNewCase(m, m.home.task, "/data/waimai.apk")
	f.subject.SetText("示例外卖科技有限公司")
	f.policyText.SetText("隐私政策……")
	f.credit.SetText("91110108MA01ABCD2") // 17 characters
	f.onCreate()
	if calls != 0 {
		t.Fatal("an invalid credit code reached the backend")
	}
	if !f.creditMsg.Visible() || !strings.Contains(f.creditMsg.Text, "18 位") {
		t.Errorf("credit message %q (visible %v)", f.creditMsg.Text, f.creditMsg.Visible())
	}
	if f.subject.Text != "示例外卖科技有限公司" || f.policyText.Text != "隐私政策……" || f.credit.Text != "91110108MA01ABCD2" {
		t.Errorf("form lost its content: %q %q %q", f.subject.Text, f.policyText.Text, f.credit.Text)
	}
	if top := m.w.Canvas().Overlays().Top(); top == nil || !strings.Contains(textOf(top), "新建案件") {
		t.Fatalf("the form closed")
	}
	// A valid code: the backend fails; the form stays, the error is shown.
	f.credit.SetText("91350100M000100Y43")
	if f.creditMsg.Visible() {
		t.Error("the message stays after the field changed")
	}
	f.onCreate()
	wait(t, m.home.task.wait())
	if calls != 1 {
		t.Fatalf("backend called %d times", calls)
	}
	ov := m.w.Canvas().Overlays().List()
	if len(ov) < 2 {
		t.Fatalf("want the form and an error dialog, have %d overlays", len(ov))
	}
	msg := textOf(ov[len(ov)-1])
	if !strings.Contains(msg, "错误") || !strings.Contains(msg, "文件 waimai.apk：这不是安卓应用") || strings.Contains(msg, "\nError\n") {
		t.Errorf("error dialog = %q", msg)
	}
	if f.subject.Text != "示例外卖科技有限公司" || f.credit.Text != "91350100M000100Y43" || f.create.Disabled() {
		t.Errorf("form after the error: %q %q disabled=%v", f.subject.Text, f.credit.Text, f.create.Disabled())
	}
}
