package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/appinspect/appinspect/cases"
)

// AddVersion records a scanned APK version of a case with its scan, policy and candidate JSON, so
// the case reopens without rescanning. In the same transaction it carries the marks of the
// previous version forward (flagged NeedsReview) and applies the new candidates (see
// ApplyCandidates). in.APKSHA256, when set, must be evidence of the case.
// Errors: cases.ErrInvalid, cases.ErrNotFound.
func (db *DB) AddVersion(ctx context.Context, caseID int64, in cases.VersionInput) (cases.Version, error) {
	if err := in.Validate(); err != nil {
		return cases.Version{}, err
	}
	cands, _ := cases.ParseCandidates(in.Candidates)
	v := cases.Version{CaseID: caseID, VersionName: in.VersionName, VersionCode: in.VersionCode, APKSHA256: in.APKSHA256,
		Scan: compactJSON(in.Scan), Policy: compactJSON(in.Policy), Candidates: compactJSON(in.Candidates), PolicyText: in.PolicyText, Created: db.Now()}
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, caseID); err != nil {
			return err
		}
		if v.APKSHA256 != "" {
			if err := evidenceOfCase(ctx, tx, caseID, []string{v.APKSHA256}); err != nil {
				return err
			}
		}
		var prev sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM case_versions WHERE case_id=?`, caseID).Scan(&prev); err != nil {
			return err
		}
		var err error
		if v.ID, err = insertVersion(ctx, tx, v); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, in.Actor, "create", "version", v.ID, map[string]string{"version": v.VersionName}); err != nil {
			return err
		}
		if prev.Valid {
			if err := db.carryForward(ctx, tx, caseID, prev.Int64, v.ID, in.Actor); err != nil {
				return err
			}
		}
		if _, err := db.applyCandidates(ctx, tx, caseID, v.ID, cands, in.Actor); err != nil {
			return err
		}
		return reindexCase(ctx, tx, caseID)
	})
	if err != nil {
		return cases.Version{}, fmt.Errorf("cases/sqlite: add version to case %d: %w", caseID, err)
	}
	return v, nil
}

func insertVersion(ctx context.Context, tx *sql.Tx, v cases.Version) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO case_versions(case_id, version_name, version_code, apk_sha256, scan_json, policy_json, candidates_json, policy_text, created)
		VALUES(?,?,?,?,?,?,?,?,?)`, v.CaseID, v.VersionName, v.VersionCode, v.APKSHA256, blob(v.Scan), blob(v.Policy), blob(v.Candidates), v.PolicyText, ts(v.Created))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// compactJSON removes insignificant space, so that documents survive a bundle round trip
// byte for byte (encoding/json compacts raw messages when it writes them). Invalid JSON is
// returned unchanged; callers validate first.
func compactJSON(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// blob stores empty JSON as NULL.
func blob(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return []byte(b)
}

// carryForward copies the marks of version from to version to, flagged for review.
func (db *DB) carryForward(ctx context.Context, tx *sql.Tx, caseID, from, to int64, actor string) error {
	rows, err := tx.QueryContext(ctx, `INSERT INTO marks(case_id, version_id, item_id, verdict, severity, note, evidence, candidate_rules, citation,
			rectification, statement, inspector, updated, suggested, needs_review)
		SELECT case_id, ?, item_id, verdict, severity, note, evidence, candidate_rules, citation, rectification, statement, inspector, ?, suggested, 1
		FROM marks WHERE case_id=? AND version_id=? ORDER BY item_id RETURNING id`, to, ts(db.Now()), caseID, from)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := db.audit(ctx, tx, actor, "carry_forward", "mark", id, map[string]int64{"from_version": from, "to_version": to}); err != nil {
			return err
		}
	}
	return nil
}

func caseExists(ctx context.Context, tx *sql.Tx, caseID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE id=?`, caseID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFound("case", caseID)
	}
	return nil
}

func evidenceOfCase(ctx context.Context, tx *sql.Tx, caseID int64, shas []string) error {
	for _, s := range shas {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE case_id=? AND sha256=?`, caseID, s).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return notFound("evidence of the case", s)
		}
	}
	return nil
}

// Versions returns the versions of a case, oldest first, with their JSON documents.
func (db *DB) Versions(ctx context.Context, caseID int64) ([]cases.Version, error) {
	out, err := queryVersions(ctx, db.r, `case_id=?`, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: versions of case %d: %w", caseID, err)
	}
	return out, nil
}

// Version returns one version of a case. Errors: cases.ErrNotFound.
func (db *DB) Version(ctx context.Context, caseID, versionID int64) (cases.Version, error) {
	vs, err := queryVersions(ctx, db.r, `case_id=? AND id=?`, caseID, versionID)
	if err != nil {
		return cases.Version{}, fmt.Errorf("cases/sqlite: version %d: %w", versionID, err)
	}
	if len(vs) == 0 {
		return cases.Version{}, notFound("version", versionID)
	}
	return vs[0], nil
}

func queryVersions(ctx context.Context, q queryer, where string, args ...any) ([]cases.Version, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, case_id, version_name, version_code, apk_sha256, scan_json, policy_json, candidates_json, policy_text, created
		FROM case_versions WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cases.Version
	for rows.Next() {
		var v cases.Version
		var scan, pol, cand []byte
		var created string
		if err := rows.Scan(&v.ID, &v.CaseID, &v.VersionName, &v.VersionCode, &v.APKSHA256, &scan, &pol, &cand, &v.PolicyText, &created); err != nil {
			return nil, err
		}
		v.Scan, v.Policy, v.Candidates, v.Created = scan, pol, cand, parseTS(created)
		out = append(out, v)
	}
	return out, rows.Err()
}

// DiffVersions compares the candidate findings (rule, article) of two versions of a case: fixed,
// new and remaining. Errors: cases.ErrNotFound, cases.ErrInvalid (unparsable candidates).
func (db *DB) DiffVersions(ctx context.Context, caseID, fromVersion, toVersion int64) (*cases.Diff, error) {
	from, err := db.Version(ctx, caseID, fromVersion)
	if err != nil {
		return nil, err
	}
	to, err := db.Version(ctx, caseID, toVersion)
	if err != nil {
		return nil, err
	}
	a, err := cases.ParseCandidates(from.Candidates)
	if err != nil {
		return nil, err
	}
	b, err := cases.ParseCandidates(to.Candidates)
	if err != nil {
		return nil, err
	}
	d := cases.DiffCandidates(a, b)
	d.FromVersion, d.ToVersion = fromVersion, toVersion
	return &d, nil
}
