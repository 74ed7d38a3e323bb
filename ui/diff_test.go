package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
)

func testDiff() cases.Diff {
	return cases.Diff{FromVersion: 5, ToVersion: 7,
		Fixed:     []cases.Finding{{Rule: "sdk.undeclared", Article: "pipl/17"}},
		New:       []cases.Finding{{Rule: "device.collect_before_consent", Article: "rd2019/3.1"}},
		Remaining: []cases.Finding{{Rule: "permission.undeclared", Article: "pipl/17"}, {Rule: "permission.undeclared", Article: "rd2019/3.1"}}}
}

func TestDiffCompareAndReinspect(t *testing.T) {
	b := newFake(t)
	var from, to int64
	b.DiffVersionsFn = func(_ context.Context, _, f, tt int64) (*cases.Diff, error) {
		from, to = f, tt
		d := testDiff()
		return &d, nil
	}
	var req workspace.ReinspectRequest
	b.ReinspectFn = func(_ context.Context, r workspace.ReinspectRequest, p func(inspect.Progress)) (*workspace.Reinspection, error) {
		req = r
		p(inspect.Progress{Stage: "scan", Done: 1, Total: 1})
		return &workspace.Reinspection{Diff: cases.Diff{Fixed: []cases.Finding{{Rule: "a", Article: "pipl/13"}}}}, nil
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	v := ws.diff
	v.compare()
	wait(t, ws.task.wait())
	if from != 5 || to != 7 {
		t.Errorf("compared %d → %d", from, to)
	}
	if !strings.HasSuffix(v.summary.Text, "规则命中：已整改 1 项，新增 1 项，仍存在 2 项。") || v.lists[2].Length() != 2 {
		t.Errorf("summary %q", v.summary.Text)
	}
	if got := v.findingText(testDiff().New[0]); got != "同意前收集位置信息 · rd2019/3.1" {
		t.Errorf("finding text = %q", got)
	}
	v.reinspect("/data/waimai-3.3.apk")
	wait(t, ws.task.wait())
	wait(t, ws.loaded)
	if req.CaseID != 1 || req.APK != "/data/waimai-3.3.apk" || req.Inspector != "张三" {
		t.Errorf("reinspect request = %+v", req)
	}
	if !strings.Contains(v.summary.Text, "规则命中：已整改 1 项") || v.lists[0].Length() != 1 || v.lists[2].Length() != 0 {
		t.Errorf("after reinspect: %q", v.summary.Text)
	}
}

func TestWorkspaceTransition(t *testing.T) {
	b := newFake(t)
	var to cases.Status
	var note string
	b.TransitionFn = func(_ context.Context, _ int64, s cases.Status, n string) (cases.Event, error) {
		to, note = s, n
		return cases.Event{}, nil
	}
	m := newTestMain(t, b, "en")
	ws := openTestCase(t, m)
	if len(ws.status.Options) != len(cases.NextStatuses(cases.StatusOpen)) {
		t.Errorf("status options = %v", ws.status.Options)
	}
	ws.transition(cases.StatusNoticeIssued, " issued today ")
	wait(t, ws.task.wait())
	wait(t, ws.loaded)
	if to != cases.StatusNoticeIssued || note != "issued today" {
		t.Errorf("transition %q %q", to, note)
	}
}

// TestDiffFindingsPerVersion: the first view compares the inspector's marks
// of the two versions; versions are labelled by name, code and scan time.
func TestDiffFindingsPerVersion(t *testing.T) {
	b := newFake(t)
	c := testCase(t)
	c.Marks = []cases.Mark{
		{VersionID: 5, ItemID: "pipl/17", Verdict: cases.VerdictViolation},
		{VersionID: 5, ItemID: "rd2019/3.1", Verdict: cases.VerdictViolation},
		{VersionID: 5, ItemID: "pipl/13", Verdict: cases.VerdictCompliant},
		{VersionID: 7, ItemID: "pipl/17", Verdict: cases.VerdictCompliant},
		{VersionID: 7, ItemID: "rd2019/3.1", Verdict: cases.VerdictViolation, NeedsReview: true},
		{VersionID: 7, ItemID: "pipl/13", Verdict: cases.VerdictViolation},
	}
	b.OpenCaseFn = func(context.Context, int64, int64) (*workspace.Case, error) { return c, nil }
	m := newTestMain(t, b, "zh")
	v := openTestCase(t, m).diff
	if got := v.to.Selected; got != "第 2 版 · 3.2.0（320）· 扫描于 2026-03-02 09:00" {
		t.Errorf("version label = %q", got)
	}
	if len(v.marks[0]) != 1 || v.marks[0][0].Item != "pipl/17" || len(v.marks[1]) != 1 || v.marks[1][0].Item != "pipl/13" ||
		len(v.marks[2]) != 1 || v.marks[2][0].Item != "rd2019/3.1" {
		t.Errorf("marks diff = %+v", v.marks)
	}
	if _, sub := v.markText(v.marks[2][0]); sub != "违规 → 违规 (待复核)" {
		t.Errorf("remaining item = %q", sub)
	}
	if v.summary.Text != "判定：已整改 1 项，新增 1 项，仍存在 1 项。" {
		t.Errorf("summary = %q", v.summary.Text)
	}
}

// TestReinspectSameAPK: the backend refuses the identical APK; the sentence
// names the file and the version it equals.
func TestReinspectSameAPK(t *testing.T) {
	b := newFake(t)
	ver := testCase(t).Versions[1]
	b.ReinspectFn = func(_ context.Context, r workspace.ReinspectRequest, _ func(inspect.Progress)) (*workspace.Reinspection, error) {
		return nil, &workspace.SameAPKError{APK: r.APK, SHA256: strings.Repeat("3f", 32), Version: ver}
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	ws.diff.reinspect("/data/waimai.apk")
	wait(t, ws.task.wait())
	top := m.w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no error shown")
	}
	if got := textOf(top); !strings.Contains(got, "文件 waimai.apk：与已有版本 3.2.0（320，扫描于 2026-03-02 09:00）完全相同") {
		t.Errorf("message = %q", got)
	}
}

// TestDiffShowsNotRetested: runtime findings the new build was not
// re-tested for have their own column and are never counted as fixed.
func TestDiffShowsNotRetested(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		b := newFake(t)
		b.DiffVersionsFn = func(context.Context, int64, int64, int64) (*cases.Diff, error) {
			d := testDiff()
			d.Unchecked = []cases.Finding{{Rule: "network.contact_before_consent", Article: "n164/1.1"}, {Rule: "network.plain_pi", Article: "pipl/51"}}
			return &d, nil
		}
		m := newTestMain(t, b, lang)
		ws := openTestCase(t, m)
		v := ws.diff
		v.compare()
		wait(t, ws.task.wait())
		if v.lists[3].Length() != 2 || v.lists[0].Length() != 1 {
			t.Errorf("%s: not re-tested %d, fixed %d", lang, v.lists[3].Length(), v.lists[0].Length())
		}
		want := map[string][]string{
			"zh": {"规则命中：已整改 1 项", "未复测 2 项", "不计为已整改"},
			"en": {"Not re-tested: 2", "not counted as fixed"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(v.summary.Text, w) {
				t.Errorf("%s: summary %q lacks %q", lang, v.summary.Text, w)
			}
		}
		title := map[string]string{"zh": "未复测", "en": "Not re-tested"}[lang]
		if got := textOf(v.views.Items[1].Content); !strings.Contains(got, title) {
			t.Errorf("%s: rule-hit columns lack %q:\n%s", lang, title, got)
		}
		if f := v.findings[3]; len(f) != 2 || !strings.HasSuffix(v.findingText(f[0]), "n164/1.1") {
			t.Errorf("%s: not re-tested = %+v", lang, f)
		}
		if got := textOf(v.views.Items[0].Content); strings.Contains(got, title) {
			t.Errorf("%s: the marks view has a not-re-tested column", lang)
		}
	}
}
