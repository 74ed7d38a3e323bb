package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/appinspect/appinspect/cases"
)

// SetMark records an inspector's decision on one item of a case version (in.VersionID 0: the case
// itself). It replaces verdict, severity, note, evidence, citation and rectification text (and the
// statement when in.Statement is not nil), sets the inspector and clears NeedsReview; the candidate rules of the mark are kept. Evidence hashes
// must be evidence of the case. Errors: cases.ErrInvalid, cases.ErrNotFound.
func (db *DB) SetMark(ctx context.Context, caseID int64, in cases.MarkInput) (cases.Mark, error) {
	if err := in.Validate(); err != nil {
		return cases.Mark{}, err
	}
	evid := cases.SortedUnique(in.Evidence)
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, caseID); err != nil {
			return err
		}
		if err := versionOfCase(ctx, tx, caseID, in.VersionID); err != nil {
			return err
		}
		if err := evidenceOfCase(ctx, tx, caseID, evid); err != nil {
			return err
		}
		ej, _ := json.Marshal(nonNil(evid))
		stmt, setStmt := "", 0
		if in.Statement != nil {
			stmt, setStmt = strings.TrimSpace(*in.Statement), 1
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO marks(case_id, version_id, item_id, verdict, severity, note, evidence, citation, rectification, statement, inspector, updated)
			VALUES(?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT(case_id, version_id, item_id) DO UPDATE SET verdict=excluded.verdict, severity=excluded.severity, note=excluded.note,
				evidence=excluded.evidence, citation=excluded.citation, rectification=excluded.rectification,
				statement=CASE WHEN ? THEN excluded.statement ELSE marks.statement END, inspector=excluded.inspector,
				updated=excluded.updated, needs_review=0
			RETURNING id`, caseID, in.VersionID, in.ItemID, in.Verdict, in.Severity, in.Note, string(ej), blob(compactJSON(in.Citation)),
			in.Rectification, stmt, in.Inspector, ts(db.Now()), setStmt).Scan(&id)
		if err != nil {
			return err
		}
		details := map[string]string{"item": in.ItemID, "verdict": string(in.Verdict), "severity": string(in.Severity)}
		if setStmt == 1 {
			details["statement"] = stmt
		}
		return db.audit(ctx, tx, in.Inspector, "set", "mark", id, details)
	})
	if err != nil {
		return cases.Mark{}, fmt.Errorf("cases/sqlite: set mark %s on case %d: %w", in.ItemID, caseID, err)
	}
	ms, err := queryMarks(ctx, db.r, `id=?`, id)
	if err != nil || len(ms) == 0 {
		return cases.Mark{}, fmt.Errorf("cases/sqlite: set mark: reread: %v", err)
	}
	return ms[0], nil
}

func versionOfCase(ctx context.Context, tx *sql.Tx, caseID, versionID int64) error {
	if versionID == 0 {
		return nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM case_versions WHERE case_id=? AND id=?`, caseID, versionID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFound("version", versionID)
	}
	return nil
}

// ApplyCandidates turns candidate findings of a version into suggested marks: for each cited
// article without a mark it creates a pending mark (empty verdict) listing the candidate rules;
// a pending mark gets the new rule list; a mark with an inspector's verdict is never changed. It
// returns how many marks it created. Errors: cases.ErrNotFound.
func (db *DB) ApplyCandidates(ctx context.Context, caseID, versionID int64, cands []cases.Candidate, actor string) (int, error) {
	var created int
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, caseID); err != nil {
			return err
		}
		if err := versionOfCase(ctx, tx, caseID, versionID); err != nil {
			return err
		}
		var err error
		created, err = db.applyCandidates(ctx, tx, caseID, versionID, cands, actor)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("cases/sqlite: apply candidates to case %d: %w", caseID, err)
	}
	return created, nil
}

func (db *DB) applyCandidates(ctx context.Context, tx *sql.Tx, caseID, versionID int64, cands []cases.Candidate, actor string) (int, error) {
	rulesByArticle := map[string][]string{}
	var articles []string
	for _, f := range cases.Findings(cands) {
		if f.Article == "" {
			continue
		}
		if _, ok := rulesByArticle[f.Article]; !ok {
			articles = append(articles, f.Article)
		}
		rulesByArticle[f.Article] = append(rulesByArticle[f.Article], f.Rule)
	}
	created := 0
	now := ts(db.Now())
	for _, art := range cases.SortedUnique(articles) {
		rj, _ := json.Marshal(cases.SortedUnique(rulesByArticle[art]))
		var id int64
		var verdict, rules string
		err := tx.QueryRowContext(ctx, `SELECT id, verdict, candidate_rules FROM marks WHERE case_id=? AND version_id=? AND item_id=?`, caseID, versionID, art).Scan(&id, &verdict, &rules)
		switch {
		case isNoRows(err):
			res, err := tx.ExecContext(ctx, `INSERT INTO marks(case_id, version_id, item_id, candidate_rules, updated, suggested) VALUES(?,?,?,?,?,1)`,
				caseID, versionID, art, string(rj), now)
			if err != nil {
				return 0, err
			}
			if id, err = res.LastInsertId(); err != nil {
				return 0, err
			}
			created++
			if err := db.audit(ctx, tx, actor, "suggest", "mark", id, map[string]string{"item": art}); err != nil {
				return 0, err
			}
		case err != nil:
			return 0, err
		case verdict == string(cases.VerdictPending) && rules != string(rj):
			if _, err := tx.ExecContext(ctx, `UPDATE marks SET candidate_rules=?, updated=? WHERE id=?`, string(rj), now, id); err != nil {
				return 0, err
			}
			if err := db.audit(ctx, tx, actor, "suggest", "mark", id, map[string]string{"item": art}); err != nil {
				return 0, err
			}
		}
	}
	return created, nil
}

// Marks returns all marks of a case, by version then item id.
func (db *DB) Marks(ctx context.Context, caseID int64) ([]cases.Mark, error) {
	out, err := queryMarks(ctx, db.r, `case_id=?`, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: marks of case %d: %w", caseID, err)
	}
	return out, nil
}

func queryMarks(ctx context.Context, q queryer, where string, args ...any) ([]cases.Mark, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, case_id, version_id, item_id, verdict, severity, note, evidence, candidate_rules, citation,
		rectification, statement, inspector, updated, suggested, needs_review FROM marks WHERE `+where+` ORDER BY version_id, item_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cases.Mark
	for rows.Next() {
		var m cases.Mark
		var ev, rules, updated string
		var cit []byte
		var sugg, review int
		if err := rows.Scan(&m.ID, &m.CaseID, &m.VersionID, &m.ItemID, &m.Verdict, &m.Severity, &m.Note, &ev, &rules, &cit,
			&m.Rectification, &m.Statement, &m.Inspector, &updated, &sugg, &review); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(ev), &m.Evidence)
		_ = json.Unmarshal([]byte(rules), &m.CandidateRules)
		if len(m.Evidence) == 0 {
			m.Evidence = nil
		}
		if len(m.CandidateRules) == 0 {
			m.CandidateRules = nil
		}
		m.Citation, m.Updated, m.Suggested, m.NeedsReview = cit, parseTS(updated), sugg != 0, review != 0
		out = append(out, m)
	}
	return out, rows.Err()
}
