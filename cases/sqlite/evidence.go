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
	"time"

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
	jr, err := db.newJournal()
	if err != nil {
		return cases.Evidence{}, fmt.Errorf("cases/sqlite: put evidence %s: %w", name, err)
	}
	defer jr.done()
	sha, size, isNew, err := db.storeBlob(ctx, r, MaxEvidenceSize, jr)
	if err != nil {
		return cases.Evidence{}, fmt.Errorf("cases/sqlite: put evidence %s: %w", name, err)
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
		if isNew {
			db.removeUnreferenced([]string{sha})
		}
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

// MaxEvidenceSize is the largest evidence file PutEvidence stores (APKs of big games reach a few
// GB; anything beyond is refused rather than filling the disk).
const MaxEvidenceSize = 4 << 30

// ErrTooLarge is returned when evidence is larger than the limit.
var ErrTooLarge = errors.New("evidence larger than the limit")

// incomingPrefix names the temporary files evidence is written to before its rename.
const incomingPrefix = ".incoming-"

// staleIncoming is how old (last modified) a temporary evidence file must be before Open removes
// it where advisory file locks are not available (not Unix): a writer modifies it continuously,
// so an old one belongs to a killed process. On Unix the writer holds a lock on it instead, and
// a file nobody holds locked is removed at once.
const staleIncoming = 10 * time.Minute

// ctxReader stops a copy when the context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// storeBlob writes r to its content address and returns its SHA-256 and size, and whether this
// call created the file. limit > 0 refuses (ErrTooLarge) content longer than limit bytes,
// without storing any of it. A file it is about to create is first listed in jr (when not nil),
// so that a process killed before its commit leaves nothing behind (see cleanJournals).
func (db *DB) storeBlob(ctx context.Context, r io.Reader, limit int64, jr *journal) (string, int64, bool, error) {
	root := filepath.Join(db.dir, "evidence")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", 0, false, err
	}
	tmp, err := os.CreateTemp(root, incomingPrefix+"*")
	if err != nil {
		return "", 0, false, err
	}
	tmpName := tmp.Name()
	lockWriting(tmp)
	defer func() { _ = os.Remove(tmpName) }() // no-op after the rename
	h := sha256.New()
	src := io.Reader(ctxReader{ctx, r})
	if limit > 0 {
		src = io.LimitReader(src, limit+1)
	}
	size, err := io.Copy(io.MultiWriter(tmp, h), src)
	if err == nil && limit > 0 && size > limit {
		err = fmt.Errorf("%w (%d bytes)", ErrTooLarge, int64(limit))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, false, err
	}
	sha := hex.EncodeToString(h.Sum(nil))
	dst := db.EvidencePath(sha)
	if got, _, err := hashFile(dst); err == nil && got == sha {
		return sha, size, false, nil // already stored intact
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", 0, false, err
	}
	// Missing, or present but damaged: (re)place it atomically.
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, false, err
	}
	if jr != nil {
		if err := jr.add(sha); err != nil {
			return "", 0, false, err
		}
	}
	if err := os.Rename(tmpName, dst); err != nil {
		return "", 0, false, err
	}
	syncDir(filepath.Dir(dst))
	return sha, size, true, nil
}

// journalPrefix names the journal of an import in progress: the evidence files it created, one
// SHA-256 a line, removed again if the import never commits.
const journalPrefix = ".import-"

type journal struct{ f *os.File }

func (db *DB) newJournal() (*journal, error) {
	root := filepath.Join(db.dir, "evidence")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(root, journalPrefix+"*")
	if err != nil {
		return nil, err
	}
	lockWriting(f)
	return &journal{f}, nil
}

func (j *journal) add(sha string) error {
	if _, err := j.f.WriteString(sha + "\n"); err != nil {
		return err
	}
	return j.f.Sync()
}

// done removes the journal: the import committed, or cleaned up after itself.
func (j *journal) done() {
	_ = j.f.Close()
	_ = os.Remove(j.f.Name())
}

// cleanJournals finishes imports killed before their commit: every evidence file an abandoned
// journal lists and no evidence row names is removed, then the journal. It returns how many files
// it removed.
func (db *DB) cleanJournals(ctx context.Context) int {
	root := filepath.Join(db.dir, "evidence")
	ents, err := os.ReadDir(root)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), journalPrefix) || e.IsDir() {
			continue
		}
		p := filepath.Join(root, e.Name())
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() || !abandoned(p, fi) {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		clean := true
		for _, sha := range strings.Fields(string(b)) {
			if !cases.IsSHA256(sha) {
				continue
			}
			var refs int
			if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE sha256=?`, sha).Scan(&refs); err != nil {
				clean = false
				continue
			}
			if refs == 0 {
				if err := os.Remove(db.EvidencePath(sha)); err == nil {
					n++
				} else if !errors.Is(err, fs.ErrNotExist) {
					clean = false
				}
			}
		}
		if clean {
			_ = os.Remove(p)
		}
	}
	return n
}

// cleanIncoming removes temporary evidence files left by a killed process (no live writer holds
// them; see abandoned) and reports how many it removed.
func cleanIncoming(dir string) int {
	ents, err := os.ReadDir(filepath.Join(dir, "evidence"))
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), incomingPrefix) || e.IsDir() {
			continue
		}
		p := filepath.Join(dir, "evidence", e.Name())
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() || !abandoned(p, fi) {
			continue
		}
		if os.Remove(p) == nil {
			n++
		}
	}
	return n
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
