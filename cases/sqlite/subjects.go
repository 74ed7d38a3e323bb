package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/appinspect/appinspect/cases"
)

// CreateSubject validates and stores a new subject and returns it with its id.
// Errors: cases.ErrInvalid.
func (db *DB) CreateSubject(ctx context.Context, s cases.Subject, actor string) (cases.Subject, error) {
	if err := s.Validate(); err != nil {
		return cases.Subject{}, err
	}
	now := db.Now()
	s.Created, s.Updated = now, now
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		s.ID, err = insertSubject(ctx, tx, s)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, actor, "create", "subject", s.ID, map[string]string{"name": s.Name, "kind": string(s.Kind)})
	})
	if err != nil {
		return cases.Subject{}, fmt.Errorf("cases/sqlite: create subject: %w", err)
	}
	return s, nil
}

func insertSubject(ctx context.Context, tx *sql.Tx, s cases.Subject) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO subjects(kind, name, credit_code, contact, address, created, updated) VALUES(?,?,?,?,?,?,?)`,
		s.Kind, s.Name, s.CreditCode, s.Contact, s.Address, ts(s.Created), ts(s.Updated))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateSubject replaces the fields of subject s.ID. Errors: cases.ErrInvalid, cases.ErrNotFound.
func (db *DB) UpdateSubject(ctx context.Context, s cases.Subject, actor string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE subjects SET kind=?, name=?, credit_code=?, contact=?, address=?, updated=? WHERE id=?`,
			s.Kind, s.Name, s.CreditCode, s.Contact, s.Address, ts(db.Now()), s.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("subject", s.ID)
		}
		if err := db.audit(ctx, tx, actor, "update", "subject", s.ID, map[string]string{"name": s.Name}); err != nil {
			return err
		}
		// The subject's name is indexed with each of its cases.
		rows, err := tx.QueryContext(ctx, `SELECT id FROM cases WHERE subject_id=?`, s.ID)
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
		for _, id := range ids {
			if err := reindexCase(ctx, tx, id); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("cases/sqlite: update subject %d: %w", s.ID, err)
	}
	return nil
}

const subjectCols = `id, kind, name, credit_code, contact, address, created, updated`

func scanSubject(sc interface{ Scan(...any) error }) (cases.Subject, error) {
	var s cases.Subject
	var created, updated string
	err := sc.Scan(&s.ID, &s.Kind, &s.Name, &s.CreditCode, &s.Contact, &s.Address, &created, &updated)
	s.Created, s.Updated = parseTS(created), parseTS(updated)
	return s, err
}

// Subject returns one subject. Errors: cases.ErrNotFound.
func (db *DB) Subject(ctx context.Context, id int64) (cases.Subject, error) {
	s, err := scanSubject(db.r.QueryRowContext(ctx, `SELECT `+subjectCols+` FROM subjects WHERE id=?`, id))
	if isNoRows(err) {
		return s, notFound("subject", id)
	}
	if err != nil {
		return s, fmt.Errorf("cases/sqlite: subject %d: %w", id, err)
	}
	return s, nil
}

// Subjects returns all subjects sorted by name, then id.
func (db *DB) Subjects(ctx context.Context) ([]cases.Subject, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+subjectCols+` FROM subjects ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: subjects: %w", err)
	}
	defer rows.Close()
	var out []cases.Subject
	for rows.Next() {
		s, err := scanSubject(rows)
		if err != nil {
			return nil, fmt.Errorf("cases/sqlite: subjects: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Settings returns the store-wide settings (defaults until changed).
func (db *DB) Settings(ctx context.Context) (cases.Settings, error) {
	s, err := loadSettings(ctx, db.r)
	if err != nil {
		return s, fmt.Errorf("cases/sqlite: settings: %w", err)
	}
	return s, nil
}

func loadSettings(ctx context.Context, q queryer) (cases.Settings, error) {
	s := cases.DefaultSettings()
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, err
		}
		switch k {
		case "number_pattern":
			s.NumberPattern = cases.NumberPattern(v)
		case "rectification_days":
			if n, err := strconv.Atoi(v); err == nil {
				s.RectificationDays = n
			}
		}
	}
	return s, rows.Err()
}

// SetSettings validates and stores the settings. Errors: cases.ErrInvalid.
func (db *DB) SetSettings(ctx context.Context, s cases.Settings, actor string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		for _, kv := range [][2]string{{"number_pattern", string(s.NumberPattern)}, {"rectification_days", strconv.Itoa(s.RectificationDays)}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, kv[0], kv[1]); err != nil {
				return err
			}
			if err := db.audit(ctx, tx, actor, "set", "setting", kv[0], map[string]string{"value": kv[1]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cases/sqlite: set settings: %w", err)
	}
	return nil
}
