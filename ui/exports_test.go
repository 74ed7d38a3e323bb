package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases/workspace"
)

func TestExports(t *testing.T) {
	b := newFake(t)
	var notice, report workspace.DocumentOptions
	var xlsx, bundle string
	b.ExportNoticeFn = func(_ context.Context, _ int64, o workspace.DocumentOptions) error { notice = o; return nil }
	b.ExportReportFn = func(_ context.Context, _ int64, o workspace.DocumentOptions) error { report = o; return nil }
	b.ExportXLSXFn = func(_ context.Context, _ int64, p string) error { xlsx = p; return nil }
	b.ExportBundleFn = func(_ context.Context, _ int64, p string) error { bundle = p; return nil }
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	v := ws.exports
	for _, s := range []string{"示例外卖科技有限公司", "91110108MA01ABCD2X", "〔2026〕第0001号", "10 个工作日", "尚未标记违规项"} {
		if !strings.Contains(v.preview.Text, s) {
			t.Errorf("preview lacks %q:\n%s", s, v.preview.Text)
		}
	}
	v.template.SetSelectedIndex(1)
	v.lang.SetSelectedIndex(1)
	v.exportNotice("/out/notice.pdf")
	wait(t, ws.task.wait())
	if notice != (workspace.DocumentOptions{Lang: "en", Template: "agency", Path: "/out/notice.pdf"}) {
		t.Errorf("notice options = %+v", notice)
	}
	if !strings.Contains(v.last.Text, "/out/notice.pdf") {
		t.Errorf("last = %q", v.last.Text)
	}
	v.exportReport("/out/report.pdf")
	wait(t, ws.task.wait())
	v.exportXLSX("/out/f.xlsx")
	wait(t, ws.task.wait())
	v.exportBundle("/out/b.zip")
	wait(t, ws.task.wait())
	if report.Path != "/out/report.pdf" || xlsx != "/out/f.xlsx" || bundle != "/out/b.zip" {
		t.Errorf("report %+v xlsx %q bundle %q", report, xlsx, bundle)
	}
}

// TestExportCancel proves a long export runs off the UI goroutine and
// stops on Cancel.
func TestExportCancel(t *testing.T) {
	b := newFake(t)
	started := make(chan struct{})
	b.ExportReportFn = func(ctx context.Context, _ int64, _ workspace.DocumentOptions) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}
	m := newTestMain(t, b, "en")
	ws := openTestCase(t, m)
	ws.exports.exportReport("/out/r.pdf")
	wait(t, started)
	if !ws.task.running() || ws.task.cancel.Disabled() {
		t.Fatal("task not running with Cancel enabled")
	}
	if ws.task.run("again", nil) {
		t.Error("a second job started while one runs")
	}
	ws.task.cancel.OnTapped()
	wait(t, ws.task.wait())
	if ws.task.running() || !ws.task.cancel.Disabled() {
		t.Error("task still running after Cancel")
	}
	if s, _ := ws.task.step.Get(); !strings.Contains(s, "failed") {
		t.Errorf("step = %q", s)
	}
}
