package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/appinspect/appinspect/cases/checklist"
)

// SetItemResult records an inspector's result for one checklist item of a case, replacing an
// earlier one, and audits the change. The input is validated for shape; the caller checks the
// item against its catalog. Errors: checklist.ErrInvalid, cases.ErrNotFound.
func (db *DB) SetItemResult(ctx context.Context, caseID int64, in checklist.Input) (checklist.Record, error) {
	if err := in.Validate(nil); err != nil {
		return checklist.Record{}, err
	}
	ev := in.Evidence
	if ev == nil {
		ev = []checklist.Evidence{}
	}
	ej, err := json.Marshal(ev)
	if err != nil {
		return checklist.Record{}, fmt.Errorf("cases/sqlite: set item %s: %w", in.ItemID, err)
	}
	var id int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, caseID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO checklist_results(case_id, item_id, result, note, evidence, inspector, catalog_version, updated)
			VALUES(?,?,?,?,?,?,?,?)
			ON CONFLICT(case_id, item_id) DO UPDATE SET result=excluded.result, note=excluded.note, evidence=excluded.evidence,
				inspector=excluded.inspector, catalog_version=excluded.catalog_version, updated=excluded.updated
			RETURNING id`, caseID, in.ItemID, string(in.Result), in.Note, string(ej), in.Inspector, in.CatalogVersion, ts(db.Now())).Scan(&id)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, in.Inspector, "set", "checklist_item", id, map[string]string{"item": in.ItemID, "result": string(in.Result)})
	})
	if err != nil {
		return checklist.Record{}, fmt.Errorf("cases/sqlite: set item %s on case %d: %w", in.ItemID, caseID, err)
	}
	rs, err := db.itemResults(ctx, `id=?`, id)
	if err != nil || len(rs) == 0 {
		return checklist.Record{}, fmt.Errorf("cases/sqlite: set item %s: reread: %v", in.ItemID, err)
	}
	return rs[0], nil
}

// ItemResults returns the recorded checklist results of a case, by item id.
func (db *DB) ItemResults(ctx context.Context, caseID int64) ([]checklist.Record, error) {
	rs, err := db.itemResults(ctx, `case_id=?`, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: checklist results of case %d: %w", caseID, err)
	}
	return rs, nil
}

func (db *DB) itemResults(ctx context.Context, where string, arg any) ([]checklist.Record, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT case_id, item_id, result, note, evidence, inspector, catalog_version, updated
		FROM checklist_results WHERE `+where+` ORDER BY item_id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []checklist.Record{}
	for rows.Next() {
		var r checklist.Record
		var res, ev, upd string
		if err := rows.Scan(&r.CaseID, &r.ItemID, &res, &r.Note, &ev, &r.Inspector, &r.CatalogVersion, &upd); err != nil {
			return nil, err
		}
		r.Result = checklist.Result(res)
		if err := json.Unmarshal([]byte(ev), &r.Evidence); err != nil {
			return nil, fmt.Errorf("item %s: evidence: %w", r.ItemID, err)
		}
		r.Updated = parseTS(upd)
		out = append(out, r)
	}
	return out, rows.Err()
}
