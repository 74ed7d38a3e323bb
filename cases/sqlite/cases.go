package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/appinspect/appinspect/cases"
)

// CreateCase creates a case in status open. Its number is allocated from the settings' number
// pattern and the year's sequence inside the same transaction, so two writers (even in two
// processes) never get the same number. Errors: cases.ErrInvalid, cases.ErrNotFound (subject).
func (db *DB) CreateCase(ctx context.Context, in cases.NewCase) (*cases.Case, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	uid, err := newUID()
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: create case: %w", err)
	}
	var id int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		set, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		if in.RectificationDays == 0 {
			in.RectificationDays = set.RectificationDays
		}
		now := db.Now()
		number, err := allocateNumber(ctx, tx, set.NumberPattern, cases.CivilDate(now).Year())
		if err != nil {
			return err
		}
		c := cases.Case{UID: uid, Number: number, Source: in.Source, SubjectID: in.SubjectID, Inspectors: cases.SortedUnique(in.Inspectors),
			App: in.App, Status: cases.StatusOpen, Notes: in.Notes, RectificationDays: in.RectificationDays, Created: now, Updated: now}
		if id, err = insertCase(ctx, tx, &c); err != nil {
			return err
		}
		if err := reindexCase(ctx, tx, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, in.Actor, "create", "case", id, map[string]string{"number": number})
	})
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: create case: %w", err)
	}
	return db.Case(ctx, id)
}

// allocateNumber takes the next sequence number of the year, skipping numbers already used (by
// imported cases, or after the pattern changed).
func allocateNumber(ctx context.Context, tx *sql.Tx, p cases.NumberPattern, year int) (string, error) {
	for {
		var seq int
		err := tx.QueryRowContext(ctx, `INSERT INTO case_numbers(year, last) VALUES(?, 1)
			ON CONFLICT(year) DO UPDATE SET last = last + 1 RETURNING last`, year).Scan(&seq)
		if err != nil {
			return "", err
		}
		number, err := p.Format(year, seq)
		if err != nil {
			return "", err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE number=?`, number).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return number, nil
		}
	}
}

func insertCase(ctx context.Context, tx *sql.Tx, c *cases.Case) (int64, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subjects WHERE id=?`, c.SubjectID).Scan(&n); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, notFound("subject", c.SubjectID)
	}
	insp, _ := json.Marshal(nonNil(c.Inspectors))
	res, err := tx.ExecContext(ctx, `INSERT INTO cases(uid, number, source, subject_id, inspectors, app_package, app_name, app_type_id, status, notes,
		rectification_days, created, updated, notice_issued, deadline, closed, rerelease_until, dates_estimated)
		VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.UID, c.Number, c.Source, c.SubjectID, string(insp), c.App.Package, c.App.Name, c.App.TypeID, c.Status, c.Notes,
		c.RectificationDays, ts(c.Created), ts(c.Updated), date(c.NoticeIssued), date(c.Deadline), date(c.Closed),
		date(c.RereleaseBlockedUntil), boolInt(c.DatesEstimated))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// reindexCase rebuilds the full-text row of a case from the case, its subject and the policy
// text of its versions.
func reindexCase(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM cases_fts WHERE rowid=?`, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO cases_fts(rowid, number, app, subject, notes, policy)
		SELECT c.id, c.number, c.app_name || ' ' || c.app_package, s.name || ' ' || s.credit_code, c.notes,
		       coalesce((SELECT group_concat(policy_text, char(10)) FROM case_versions WHERE case_id=c.id), '')
		FROM cases c JOIN subjects s ON s.id=c.subject_id WHERE c.id=?`, id)
	return err
}

const caseCols = `c.id, c.uid, c.number, c.source, c.subject_id, c.inspectors, c.app_package, c.app_name, c.app_type_id, c.status, c.notes,
	c.rectification_days, c.created, c.updated, c.notice_issued, c.deadline, c.closed, c.rerelease_until, c.dates_estimated,
	s.id, s.kind, s.name, s.credit_code, s.contact, s.address, s.created, s.updated`

func scanCase(sc interface{ Scan(...any) error }) (*cases.Case, error) {
	var c cases.Case
	var insp, created, updated, notice, deadline, closed, rerelease, sCreated, sUpdated string
	var est int
	err := sc.Scan(&c.ID, &c.UID, &c.Number, &c.Source, &c.SubjectID, &insp, &c.App.Package, &c.App.Name, &c.App.TypeID, &c.Status, &c.Notes,
		&c.RectificationDays, &created, &updated, &notice, &deadline, &closed, &rerelease, &est,
		&c.Subject.ID, &c.Subject.Kind, &c.Subject.Name, &c.Subject.CreditCode, &c.Subject.Contact, &c.Subject.Address, &sCreated, &sUpdated)
	if err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(insp), &c.Inspectors)
	c.Created, c.Updated = parseTS(created), parseTS(updated)
	c.NoticeIssued, c.Deadline, c.Closed, c.RereleaseBlockedUntil = parseDate(notice), parseDate(deadline), parseDate(closed), parseDate(rerelease)
	c.DatesEstimated = est != 0
	c.Subject.Created, c.Subject.Updated = parseTS(sCreated), parseTS(sUpdated)
	return &c, nil
}

// Case returns one case with its subject. Errors: cases.ErrNotFound.
func (db *DB) Case(ctx context.Context, id int64) (*cases.Case, error) {
	c, err := scanCase(db.r.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases c JOIN subjects s ON s.id=c.subject_id WHERE c.id=?`, id))
	if isNoRows(err) {
		return nil, notFound("case", id)
	}
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: case %d: %w", id, err)
	}
	return c, nil
}

// CaseByNumber returns the case with the given number. Errors: cases.ErrNotFound.
func (db *DB) CaseByNumber(ctx context.Context, number string) (*cases.Case, error) {
	var id int64
	err := db.r.QueryRowContext(ctx, `SELECT id FROM cases WHERE number=?`, number).Scan(&id)
	if isNoRows(err) {
		return nil, notFound("case", number)
	}
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: case %s: %w", number, err)
	}
	return db.Case(ctx, id)
}

// UpdateCase changes the editable fields of a case. Errors: cases.ErrInvalid, cases.ErrNotFound.
func (db *DB) UpdateCase(ctx context.Context, id int64, u cases.CaseUpdate, actor string) (*cases.Case, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		c, err := scanCase(tx.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases c JOIN subjects s ON s.id=c.subject_id WHERE c.id=?`, id))
		if isNoRows(err) {
			return notFound("case", id)
		}
		if err != nil {
			return err
		}
		if u.Source != nil {
			c.Source = *u.Source
		}
		if u.SubjectID != nil {
			c.SubjectID = *u.SubjectID
		}
		if u.Inspectors != nil {
			c.Inspectors = cases.SortedUnique(*u.Inspectors)
		}
		if u.App != nil {
			c.App = *u.App
		}
		if u.Notes != nil {
			c.Notes = *u.Notes
		}
		if u.RectificationDays != nil {
			c.RectificationDays = *u.RectificationDays
		}
		check := cases.NewCase{Source: c.Source, SubjectID: c.SubjectID, App: c.App, RectificationDays: c.RectificationDays}
		if err := check.Validate(); err != nil {
			return err
		}
		if c.RectificationDays == 0 {
			return fmt.Errorf("rectification days must be positive: %w", cases.ErrInvalid)
		}
		insp, _ := json.Marshal(nonNil(c.Inspectors))
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET source=?, subject_id=?, inspectors=?, app_package=?, app_name=?, app_type_id=?, notes=?,
			rectification_days=?, updated=? WHERE id=?`, c.Source, c.SubjectID, string(insp), c.App.Package, c.App.Name, c.App.TypeID, c.Notes,
			c.RectificationDays, ts(db.Now()), id); err != nil {
			return err
		}
		if err := reindexCase(ctx, tx, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, actor, "update", "case", id, nil)
	})
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: update case %d: %w", id, err)
	}
	return db.Case(ctx, id)
}

// ListCases returns the cases matching f, newest first. Filter.Query is a full-text query: each
// whitespace-separated term must occur (as a substring) in the case number, app name or package,
// subject name or credit code, notes, or the policy text of any version.
func (db *DB) ListCases(ctx context.Context, f cases.Filter) ([]cases.Case, error) {
	where, args := filterSQL(f)
	q := `SELECT ` + caseCols + ` FROM cases c JOIN subjects s ON s.id=c.subject_id` + where + ` ORDER BY c.created DESC, c.id DESC`
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	q += ` LIMIT ? OFFSET ?`
	args = append(args, limit, max(f.Offset, 0))
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: list cases: %w", err)
	}
	defer rows.Close()
	var out []cases.Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, fmt.Errorf("cases/sqlite: list cases: %w", err)
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cases/sqlite: list cases: %w", err)
	}
	return out, nil
}

// CountCases returns how many cases match f, ignoring Limit and Offset.
func (db *DB) CountCases(ctx context.Context, f cases.Filter) (int, error) {
	where, args := filterSQL(f)
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM cases c JOIN subjects s ON s.id=c.subject_id`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("cases/sqlite: count cases: %w", err)
	}
	return n, nil
}

func filterSQL(f cases.Filter) (string, []any) {
	var conds []string
	var args []any
	if len(f.Statuses) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(f.Statuses)), ",")
		conds = append(conds, `c.status IN (`+ph+`)`)
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	if f.SubjectKind != "" {
		conds, args = append(conds, `s.kind = ?`), append(args, string(f.SubjectKind))
	}
	if f.SubjectID != 0 {
		conds, args = append(conds, `c.subject_id = ?`), append(args, f.SubjectID)
	}
	if f.Inspector != "" {
		conds, args = append(conds, `EXISTS (SELECT 1 FROM json_each(c.inspectors) WHERE value = ?)`), append(args, f.Inspector)
	}
	if !f.OverdueAt.IsZero() {
		conds = append(conds, `c.status = ? AND c.deadline <> '' AND c.deadline < ?`)
		args = append(args, string(cases.StatusNoticeIssued), date(f.OverdueAt))
	}
	for _, term := range strings.Fields(f.Query) {
		if utf8.RuneCountInString(term) >= 3 {
			// Trigram index: a quoted phrase matches the term as a substring.
			conds = append(conds, `c.id IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?)`)
			args = append(args, `"`+strings.ReplaceAll(term, `"`, `""`)+`"`)
		} else {
			// Shorter than a trigram (common in Chinese: 微信, 定位): substring scan.
			like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(term) + "%"
			conds = append(conds, `c.id IN (SELECT rowid FROM cases_fts WHERE number LIKE ? ESCAPE '\' OR app LIKE ? ESCAPE '\'
				OR subject LIKE ? ESCAPE '\' OR notes LIKE ? ESCAPE '\' OR policy LIKE ? ESCAPE '\')`)
			args = append(args, like, like, like, like, like)
		}
	}
	if len(conds) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// Overdue returns the cases whose rectification deadline has passed on the China civil day of now
// while they still wait for rectification, oldest deadline first.
func (db *DB) Overdue(ctx context.Context, now time.Time) ([]cases.Case, error) {
	cs, err := db.ListCases(ctx, cases.Filter{OverdueAt: now})
	if err != nil {
		return nil, err
	}
	sortCasesByDeadline(cs)
	return cs, nil
}
