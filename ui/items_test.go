package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases/checklist"
)

// fakeChecklist serves the embedded checklist with the rules proposing a
// failure of usage.self_start, and the records in recs.
func fakeChecklist(t testing.TB, recs *[]checklist.Record) func(context.Context, int64) (*checklist.Sheet, error) {
	cat, err := checklist.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	pre := cat.Prefill([]checklist.Finding{{Rule: "component.self_start", Severity: "medium", ExplanationZH: "清单中有开机自启动接收器。", ExplanationEN: "The manifest has a boot receiver.",
		Evidence: []checklist.Evidence{{Key: "component:receiver:com.example.Boot", Kind: "component", Detail: "static receiver: android.intent.action.BOOT_COMPLETED"}}}})
	return func(context.Context, int64) (*checklist.Sheet, error) {
		var rs []checklist.Record
		if recs != nil {
			rs = *recs
		}
		return &checklist.Sheet{CatalogVersion: cat.VersionString(), Groups: cat.Groups, Entries: cat.Entries(pre, rs)}, nil
	}
}

func TestItemsView(t *testing.T) {
	b := newFake(t)
	var recs []checklist.Record
	b.ChecklistFn = fakeChecklist(t, &recs)
	var got []string
	b.SetItemFn = func(_ context.Context, id int64, item string, res checklist.Result, note string) (checklist.Outcome, error) {
		got = append(got, item+"="+string(res)+":"+note)
		recs = append(recs, checklist.Record{CaseID: id, ItemID: item, Result: res, Note: note, Inspector: "张三", Updated: time.Now()})
		return checklist.Outcome{Marked: []string{"n164/2.2"}}, nil
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	v := ws.items
	wait(t, v.loaded)
	if v.sheet == nil || len(v.rows) < 80 || v.rows[0].group == "" {
		t.Fatalf("rows %d, first %+v", len(v.rows), v.rows)
	}
	if !strings.Contains(v.counts.Text, "不符合 1") {
		t.Errorf("counts %q", v.counts.Text)
	}
	// Filter: failed items only, then the proposal's evidence and cited text show.
	v.result.SetSelectedIndex(1) // 不符合
	if n := len(v.rows); n != 2 || v.rows[0].group == "" || v.sheet.Entries[v.rows[1].entry].Item.ID != "usage.self_start" {
		t.Fatalf("fail filter rows %+v", v.rows)
	}
	ws.tabs.SelectIndex(itemsTab)
	ws.nextCandidate(1) // Ctrl+J on this tab moves through items
	if v.selectedID() != "usage.self_start" {
		t.Fatalf("selected %q", v.selectedID())
	}
	text := textOf(v.detail)
	for _, want := range []string{"component:receiver:com.example.Boot", "规则预填", "component.self_start", "检查步骤", "n164/2.2#场景1", "清单中有开机自启动接收器"} {
		if !strings.Contains(text, want) {
			t.Errorf("detail lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "重点整治APP未向用户告知且未经用户同意") {
		t.Errorf("detail lacks the cited article text:\n%s", text)
	}
	// Ctrl+1 on this tab confirms the failure.
	v.note.SetText("重启后自启动")
	ws.setVerdictKey(0)
	wait(t, ws.task.wait())
	if len(got) != 1 || got[0] != "usage.self_start=fail:重启后自启动" {
		t.Fatalf("saved %v", got)
	}
	wait(t, ws.loaded)
	wait(t, v.loaded)
	if !strings.Contains(v.saved.Text, "n164/2.2") {
		t.Errorf("saved label %q", v.saved.Text)
	}
	// Method filter: device items only; a manual item recorded as pass shows as such.
	v.result.SetSelectedIndex(0)
	v.method.SetSelectedIndex(4) // 人工检查
	for _, r := range v.rows {
		if r.group == "" && v.sheet.Entries[r.entry].Item.Method != checklist.MethodManual {
			t.Fatalf("method filter kept %s", v.sheet.Entries[r.entry].Item.ID)
		}
	}
	v.step(1)
	first := v.selectedID()
	v.choice.SetSelected(v.choice.Options[1]) // 符合
	v.save()
	wait(t, ws.task.wait())
	if len(got) != 2 || !strings.HasPrefix(got[1], first+"=pass") {
		t.Fatalf("saved %v", got)
	}
	// English labels.
	SetLanguage("en")
	defer SetLanguage("zh")
	if methodName(checklist.MethodDevice) != "On a device" || checklist.ResultNA.Name(Language()) != "N/A" {
		t.Error("english names")
	}
}

// TestItemsViewEmptyCase: an item without findings says the rules found
// nothing instead of claiming compliance.
func TestItemsViewNoFinding(t *testing.T) {
	b := newFake(t)
	m := newTestMain(t, b, "en")
	ws := openTestCase(t, m)
	v := ws.items
	wait(t, v.loaded)
	for i, r := range v.rows {
		if r.group == "" && v.sheet.Entries[r.entry].Item.ID == "collection.before_consent" {
			v.list.Select(i)
		}
	}
	if text := textOf(v.detail); !strings.Contains(text, "not proof of compliance") || !strings.Contains(text, "Pending") {
		t.Errorf("detail:\n%s", text)
	}
}
