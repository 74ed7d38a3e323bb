package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/appinspect/appinspect/cases/sign"
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
	var maxSeq int64
	if err := cp.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit_log`).Scan(&maxSeq); err != nil {
		return fmt.Errorf("cases/sqlite: backup: %w", err)
	}
	if err := backupAnchors(db.dir, dst, maxSeq); err != nil {
		return fmt.Errorf("cases/sqlite: backup: %w", err)
	}
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

// backupAnchors copies the public key, the trusted keys and the anchor lines up to maxSeq (the
// copied database's last entry; later lines belong to writes after the copy), so Verify works on
// the backup. The private key is not copied.
func backupAnchors(src, dst string, maxSeq int64) error {
	if err := os.MkdirAll(filepath.Join(dst, sign.KeyDir), 0o700); err != nil {
		return err
	}
	for _, name := range []string{sign.PublicFile, sign.TrustedFile} {
		b, err := os.ReadFile(filepath.Join(src, sign.KeyDir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dst, sign.KeyDir, name), b, 0o644)
		}
		if err != nil {
			return err
		}
	}
	in, err := os.Open(filepath.Join(src, AnchorFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	var out bytes.Buffer
	br := bufio.NewReader(in)
	for {
		line, err := readLine(br, maxAnchorLine)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, errLongLine) {
			return err
		}
		var l anchorLine
		if json.Unmarshal(line, &l) == nil && l.Seq > maxSeq {
			continue
		}
		if len(line) > 0 {
			out.Write(line)
			out.WriteByte('\n')
		}
	}
	return os.WriteFile(filepath.Join(dst, AnchorFile), out.Bytes(), 0o644)
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
