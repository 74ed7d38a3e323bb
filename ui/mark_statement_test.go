package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
)

// TestNewCaseRecordsInspector: the new-case dialog has an inspector field,
// filled from the settings and editable; the request carries what it says.
func TestNewCaseRecordsInspector(t *testing.T) {
	b := newFake(t)
	var req workspace.NewCaseRequest
	b.NewCaseFn = func(_ context.Context, r workspace.NewCaseRequest, _ func(inspect.Progress)) (*cases.Case, error) {
		req = r
		return &cases.Case{ID: 1}, nil
	}
	m := newTestMain(t, b, "zh")
	f := showNewCase(m, m.home.task, "/data/a.apk")
	if f.inspector.Text != "张三" {
		t.Errorf("inspector field = %q, want the settings' 张三", f.inspector.Text)
	}
	f.inspector.SetText(" 王五 ")
	f.submit()
	wait(t, m.home.task.wait())
	if req.Inspector != "王五" {
		t.Errorf("request inspector = %q", req.Inspector)
	}
}

// TestChecklistStatement: the mark form edits the plain-language statement;
// the drafted statement the backend stores is shown for editing; a gap
// article says the notice will cite it without a quotation.
func TestChecklistStatement(t *testing.T) {
	b := newFake(t)
	var saved []cases.MarkInput
	const draft = "经检测，应用在征得用户同意前收集个人信息。"
	b.SetMarkFn = func(_ context.Context, _ int64, in cases.MarkInput) (cases.Mark, error) {
		saved = append(saved, in)
		st := draft
		if in.Statement != nil && *in.Statement != "" {
			st = *in.Statement
		}
		return cases.Mark{ID: 20, CaseID: 1, VersionID: in.VersionID, ItemID: in.ItemID, Verdict: in.Verdict, Severity: in.Severity,
			Statement: st, Inspector: in.Inspector, Updated: time.Now()}, nil
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	v := ws.checklist
	ws.nextCandidate(1)
	ws.setVerdictKey(0)
	wait(t, ws.task.wait())
	if len(saved) != 1 || saved[0].Statement == nil || *saved[0].Statement != "" {
		t.Fatalf("first save: %+v", saved)
	}
	if v.stmt.Text != draft {
		t.Errorf("statement field after save = %q, want the stored draft", v.stmt.Text)
	}
	v.stmt.SetText("应用启动即读取设备标识。")
	v.save()
	wait(t, ws.task.wait())
	if len(saved) != 2 || *saved[1].Statement != "应用启动即读取设备标识。" {
		t.Errorf("edited statement not saved: %+v", saved)
	}
	// A gap article: marking is allowed, and the UI says how it is cited.
	v.onlyCand.SetChecked(false)
	for i, it := range v.items {
		if it.Art.Gap {
			v.list.Select(i)
			if !strings.Contains(textOf(v.detail), "按名称和条号引用") {
				t.Errorf("gap article %s without the citation note: %q", it.Art.ID, textOf(v.detail))
			}
			return
		}
	}
	// The default filter may list only one document; look in all of them.
	for d := range v.doc.Options {
		v.doc.SetSelectedIndex(d)
		for i, it := range v.items {
			if it.Art.Gap {
				v.list.Select(i)
				if !strings.Contains(textOf(v.detail), "按名称和条号引用") {
					t.Errorf("gap article %s without the citation note: %q", it.Art.ID, textOf(v.detail))
				}
				return
			}
		}
	}
	t.Error("no gap article found in the checklist")
}

// TestNoticeRefusedNamesFields: the GUI's refusal names the settings
// fields to fill, and a refused export leaves no empty file.
func TestNoticeRefusedNamesFields(t *testing.T) {
	SetLanguage("zh")
	msg := userMessage(fmt.Errorf("export: %w", &workspace.MissingIdentityError{Keys: []string{"issuer", "inspector"}}))
	if !strings.Contains(msg, T("set.authname")) || !strings.Contains(msg, T("set.inspector")) || !strings.Contains(msg, "设置") {
		t.Errorf("message %q does not name the fields", msg)
	}
	b := newFake(t)
	b.ExportNoticeFn = func(context.Context, int64, workspace.DocumentOptions) error {
		return &workspace.MissingIdentityError{Keys: []string{"inspector"}}
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	path := filepath.Join(t.TempDir(), "n.pdf")
	os.WriteFile(path, nil, 0o644) // what the save dialog leaves
	ws.exports.exportNotice(path)
	wait(t, ws.task.wait())
	if _, err := os.Stat(path); err == nil {
		t.Error("refused export left an empty file")
	}
}
