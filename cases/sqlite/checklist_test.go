package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/checklist"
)

func TestChecklistResults(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "items")
	got, err := db.ItemResults(ctx, c.ID)
	if err != nil || len(got) != 0 {
		t.Fatalf("fresh case: %v %v", got, err)
	}
	in := checklist.Input{ItemID: "usage.self_start", Result: checklist.ResultFail, Note: "开机自启动",
		Evidence: []checklist.Evidence{{Key: "component:receiver:com.x.Boot", Rule: "component.self_start"}}, Inspector: "张三", CatalogVersion: "1 sha256:ab"}
	r, err := db.SetItemResult(ctx, c.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Result != checklist.ResultFail || r.Note != "开机自启动" || len(r.Evidence) != 1 || r.Inspector != "张三" || r.Updated.IsZero() {
		t.Fatalf("record %+v", r)
	}
	// A second result replaces the first; evidence may be empty.
	in.Result, in.Note, in.Evidence = checklist.ResultPass, "复核后符合", nil
	if _, err := db.SetItemResult(ctx, c.ID, in); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetItemResult(ctx, c.ID, checklist.Input{ItemID: "consent.default_agree", Result: checklist.ResultNA, Inspector: "李四"}); err != nil {
		t.Fatal(err)
	}
	got, err = db.ItemResults(ctx, c.ID)
	if err != nil || len(got) != 2 || got[1].ItemID != "usage.self_start" || got[1].Result != checklist.ResultPass || got[1].Evidence == nil {
		t.Fatalf("results %+v %v", got, err)
	}
	mustVerifyOK(t, db)
	// Every change is audited, and Verify notices a result changed behind the store's back.
	raw, err := sql.Open("sqlite", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE checklist_results SET result='fail' WHERE item_id='usage.self_start'`); err != nil {
		t.Fatal(err)
	}
	rep, _ := db.Verify(ctx)
	if len(rep.Rows) != 1 || rep.Rows[0].Table != "checklist_results" {
		t.Fatalf("tampering not detected: %+v", rep.Rows)
	}
	// Errors.
	if _, err := db.SetItemResult(ctx, 9999, checklist.Input{ItemID: "x", Result: checklist.ResultFail, Inspector: "张三"}); !errors.Is(err, cases.ErrNotFound) {
		t.Errorf("unknown case: %v", err)
	}
	if _, err := db.SetItemResult(ctx, c.ID, checklist.Input{ItemID: "x", Result: "maybe", Inspector: "张三"}); !errors.Is(err, checklist.ErrInvalid) {
		t.Errorf("bad result: %v", err)
	}
	// Results survive reopening the database.
	p := db.Path()
	_ = db.Close()
	db2, err := Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if got, _ := db2.ItemResults(ctx, c.ID); len(got) != 2 {
		t.Errorf("after reopen: %+v", got)
	}
}
