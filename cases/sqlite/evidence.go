package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/appinspect/appinspect/cases"
)

// EvidencePath returns where the evidence file with this SHA-256 lives:
// <data dir>/evidence/ab/abcdef….bin.
func (db *DB) EvidencePath(sha string) string {
	if len(sha) < 2 {
		return filepath.Join(db.dir, "evidence", sha+".bin")
	}
	return filepath.Join(db.dir, "evidence", sha[:2], sha+".bin")
}

// PutEvidence stores the content of r as an evidence file of the case and records its metadata.
// The content is written to a temporary file in the evidence directory, hashed while writing,
// fsynced and renamed to its hash name, so a crash never leaves a partial file under a hash name.
// Attaching the same content to the same case again returns the existing record.
// Errors: cases.ErrInvalid, cases.ErrNotFound (case).
func (db *DB) PutEvidence(ctx context.Context, caseID int64, kind cases.EvidenceKind, name string, r io.Reader, meta cases.EvidenceMeta) (cases.Evidence, error) {
	if !kind.Valid() || strings.TrimSpace(name) == "" {
		return cases.Evidence{}, fmt.Errorf("cases/sqlite: put evidence: kind %q, name %q: %w", kind, name, cases.ErrInvalid)
	}
	if _, err := db.Case(ctx, caseID); err != nil {
		return cases.Evidence{}, err
	}
	sha, size, err := db.storeBlob(r)
	if err != nil {
		return cases.Evidence{}, fmt.Errorf("cases/sqlite: put evidence: %w", err)
	}
	ev := cases.Evidence{CaseID: caseID, SHA256: sha, Kind: kind, Name: name, Size: size, MediaType: meta.MediaType,
		Added: db.Now(), Source: meta.Source, DeviceTime: meta.DeviceTime, Actor: meta.Actor}
	err = db.write(ctx, func(tx *sql.Tx) error {
		var existing int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM evidence WHERE case_id=? AND sha256=?`, caseID, sha).Scan(&existing)
		if err == nil {
			ev.ID = existing
			return nil
		}
		if !isNoRows(err) {
			return err
		}
		if ev.ID, err = insertEvidence(ctx, tx, ev); err != nil {
			return err
		}
		return db.audit(ctx, tx, meta.Actor, "create", "evidence", ev.ID, map[string]string{"sha256": sha, "name": name})
	})
	if err != nil {
		return cases.Evidence{}, fmt.Errorf("cases/sqlite: put evidence: %w", err)
	}
	if ev.ID != 0 {
		all, err := db.Evidence(ctx, caseID)
		if err != nil {
			return cases.Evidence{}, err
		}
		for _, e := range all {
			if e.ID == ev.ID {
				return e, nil
			}
		}
	}
	return ev, nil
}

func insertEvidence(ctx context.Context, tx *sql.Tx, ev cases.Evidence) (int64, error) {
	dt := ""
	if !ev.DeviceTime.IsZero() {
		dt = ts(ev.DeviceTime)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO evidence(case_id, sha256, kind, name, size, media_type, added, source, device_time, actor) VALUES(?,?,?,?,?,?,?,?,?,?)`,
		ev.CaseID, ev.SHA256, ev.Kind, ev.Name, ev.Size, ev.MediaType, ts(ev.Added), ev.Source, dt, ev.Actor)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// storeBlob writes r to its content address and returns its SHA-256 and size.
func (db *DB) storeBlob(r io.Reader) (string, int64, error) {
	root := filepath.Join(db.dir, "evidence")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", 0, err
	}
	tmp, err := os.CreateTemp(root, ".incoming-*")
	if err != nil {
		return "", 0, err
	}
	tmpName := tmp.Name()
	defer func() { _ = os.Remove(tmpName) }() // no-op after the rename
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, err
	}
	sha := hex.EncodeToString(h.Sum(nil))
	dst := db.EvidencePath(sha)
	if got, _, err := hashFile(dst); err == nil && got == sha {
		return sha, size, nil // already stored intact
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", 0, err
	}
	// Missing, or present but damaged: (re)place it atomically.
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmpName, dst); err != nil {
		return "", 0, err
	}
	syncDir(filepath.Dir(dst))
	return sha, size, nil
}

// syncDir makes a rename durable where the OS supports fsync on directories.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// Evidence returns the evidence records of a case, oldest first.
func (db *DB) Evidence(ctx context.Context, caseID int64) ([]cases.Evidence, error) {
	out, err := queryEvidence(ctx, db.r, caseID)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: evidence of case %d: %w", caseID, err)
	}
	return out, nil
}

func queryEvidence(ctx context.Context, q queryer, caseID int64) ([]cases.Evidence, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, case_id, sha256, kind, name, size, media_type, added, source, device_time, actor FROM evidence WHERE case_id=? ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []cases.Evidence
	for rows.Next() {
		var e cases.Evidence
		var added, dt string
		if err := rows.Scan(&e.ID, &e.CaseID, &e.SHA256, &e.Kind, &e.Name, &e.Size, &e.MediaType, &added, &e.Source, &dt, &e.Actor); err != nil {
			return nil, err
		}
		e.Added, e.DeviceTime = parseTS(added), parseTS(dt)
		out = append(out, e)
	}
	return out, rows.Err()
}

// OpenEvidence opens an evidence file of the case for reading. Errors: cases.ErrNotFound.
func (db *DB) OpenEvidence(ctx context.Context, caseID int64, sha string) (io.ReadCloser, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE case_id=? AND sha256=?`, caseID, sha).Scan(&n); err != nil {
		return nil, fmt.Errorf("cases/sqlite: open evidence: %w", err)
	}
	if n == 0 {
		return nil, notFound("evidence", sha)
	}
	f, err := os.Open(db.EvidencePath(sha))
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: open evidence: %w", err)
	}
	return f, nil
}
