package ui

import (
	"context"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
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
