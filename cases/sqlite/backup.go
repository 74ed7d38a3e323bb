package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent online copy of the store into the directory dst, which must not
// exist or be empty: dst/cases.db (made with VACUUM INTO, so other readers and writers go on) and
// dst/evidence/…, every evidence file the copied database references, each checked against its
// hash while copied. The result is a data directory: Open(dst/cases.db) and Verify work on it.
// A file that is missing or altered in the source makes Backup fail (after writing the database
// copy) with an error naming it.
func (db *DB) Backup(ctx context.Context, dst string) error {
	if ents, err := os.ReadDir(dst); err == nil && len(ents) > 0 {
		return fmt.Errorf("cases/sqlite: backup: %s is not empty", dst)
	}
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return fmt.Errorf("cases/sqlite: backup: %w", err)
	}
	dbCopy := filepath.Join(dst, "cases.db")
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, dbCopy); err != nil {
		return fmt.Errorf("cases/sqlite: backup: vacuum into: %w", err)
	}
	cp, err := sql.Open("sqlite", "file:"+strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(dbCopy)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("cases/sqlite: backup: %w", err)
	}
	defer cp.Close()
	rows, err := cp.QueryContext(ctx, `SELECT DISTINCT sha256 FROM evidence ORDER BY sha256`)
	if err != nil {
		return fmt.Errorf("cases/sqlite: backup: %w", err)
	}
	var shas []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("cases/sqlite: backup: %w", err)
		}
		shas = append(shas, s)
	}
	rows.Close()
	for _, s := range shas {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("cases/sqlite: backup: %w", err)
		}
		rel, _ := filepath.Rel(db.dir, db.EvidencePath(s))
		if err := copyVerified(db.EvidencePath(s), filepath.Join(dst, rel), s); err != nil {
			return fmt.Errorf("cases/sqlite: backup: evidence %s: %w", s, err)
		}
	}
	return nil
}

func copyVerified(src, dst, sha string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && hex.EncodeToString(h.Sum(nil)) != sha {
		err = fmt.Errorf("content does not match its hash (altered)")
	}
	if err != nil {
		_ = os.Remove(dst)
	}
	return err
}
