package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases/sign"
)

// The anchor file keeps the audit chain's head outside the database, so that what the database
// alone cannot show — its last rows deleted, the whole chain recomputed, the file rolled back to
// an older copy or deleted — is still found by Verify.
//
// AnchorFile in the data directory is append-only: after every write transaction that appended
// to the audit log, one line is added:
//
//	{"v":1,"at":"2026-12-04T18:00:00.000000000Z","seq":42,"head":"<hash of audit entry 42>",
//	 "key":"<base64 Ed25519 public key>","sig":"<base64 signature>"}
//
// The signature covers "appinspect-anchor-v1\n" + at + "\n" + seq + "\n" + head. Lines from two
// processes may interleave out of order; each is checked on its own.
const AnchorFile = "audit-anchor.log"

// anchorKeySetting is the settings row naming the key that anchors the chain. It is written (and
// so audited) when anchoring starts or the key changes; its presence means the anchor file must
// exist.
const anchorKeySetting = "anchor_key"

// maxAnchorLine bounds one line of the anchor file.
const maxAnchorLine = 4096

// Head is the audit chain's head: the id (sequence number) and hash of its last entry.
type Head struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// String formats a head as "SEQ:HASH".
func (h Head) String() string { return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash }

// Short formats a head for a document footer: "SEQ:" and the first 16 hex digits of the hash.
func (h Head) Short() string {
	return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash[:min(16, len(h.Hash))]
}

// ParseHead parses "SEQ:HASH" (the hash may be shortened to a prefix of at least 8 digits).
func ParseHead(s string) (Head, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(a, 10, 64)
	if !ok || err != nil || n < 0 || len(b) < 8 || len(b) > 64 || strings.Trim(b, "0123456789abcdef") != "" {
		return Head{}, fmt.Errorf("cases/sqlite: chain head %q: want SEQ:HASH", s)
	}
	return Head{n, b}, nil
}

type anchorLine struct {
	V    int    `json:"v"`
	At   string `json:"at"`
	Seq  int64  `json:"seq"`
	Head string `json:"head"`
	Key  string `json:"key"`
	Sig  string `json:"sig"`

	n int // line number in the file
}

func (l *anchorLine) message() []byte {
	return []byte("appinspect-anchor-v1\n" + l.At + "\n" + strconv.FormatInt(l.Seq, 10) + "\n" + l.Head)
}

// SetSigner makes the store sign and append the chain head to the anchor file after every write
// that changes the audit log. The first time (or when the key changed) it records the key's
// fingerprint as the audited setting "anchor_key", which itself anchors the current head.
func (db *DB) SetSigner(ctx context.Context, k *sign.Key) error {
	db.signer.Store(k)
	var cur string
	err := db.w.QueryRowContext(ctx, `SELECT value FROM settings WHERE key=?`, anchorKeySetting).Scan(&cur)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("cases/sqlite: set signer: %w", err)
	}
	if cur == k.Fingerprint() {
		return nil
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, anchorKeySetting, k.Fingerprint()); err != nil {
			return err
		}
		return db.audit(ctx, tx, "system", "anchor", "setting", anchorKeySetting, map[string]string{"key": k.Fingerprint(), "previous": cur})
	})
	if err != nil {
		return fmt.Errorf("cases/sqlite: set signer: %w", err)
	}
	return nil
}

// ChainHead returns the head of the audit chain (zero Head when the log is empty).
func (db *DB) ChainHead(ctx context.Context) (Head, error) {
	var h Head
	err := db.r.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&h.Seq, &h.Hash)
	if err != nil && !isNoRows(err) {
		return Head{}, fmt.Errorf("cases/sqlite: chain head: %w", err)
	}
	return h, nil
}

// ErrHeadMismatch is returned by CheckHead when the database does not hold the given head.
var ErrHeadMismatch = errors.New("the database does not hold this audit chain head")

// CheckHead checks that audit entry h.Seq exists and its hash starts with h.Hash: a document or
// bundle made from this database still matches it. Errors: ErrHeadMismatch, naming what differs.
func (db *DB) CheckHead(ctx context.Context, h Head) error {
	var got string
	err := db.r.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE id=?`, h.Seq).Scan(&got)
	if isNoRows(err) {
		head, _ := db.ChainHead(ctx)
		return fmt.Errorf("cases/sqlite: audit entry %d is not in the database (it ends at entry %d: truncated, rolled back or replaced): %w", h.Seq, head.Seq, ErrHeadMismatch)
	}
	if err != nil {
		return fmt.Errorf("cases/sqlite: check head: %w", err)
	}
	if !strings.HasPrefix(got, h.Hash) {
		return fmt.Errorf("cases/sqlite: audit entry %d has hash %s, not %s (the chain was rewritten or the database replaced): %w", h.Seq, got, h.Hash, ErrHeadMismatch)
	}
	return nil
}

// noteAudit remembers the newest audit entry written in tx, for the anchor after commit.
func (db *DB) noteAudit(tx *sql.Tx, h Head) {
	if db.signer.Load() != nil {
		db.pending.Store(tx, h)
	}
}

// anchorAfterCommit appends the head written by tx, if any, to the anchor file. A failure to
// append is kept (AnchorError) and shows in Verify as entries after the last anchor; the
// committed change itself stands.
func (db *DB) anchorAfterCommit(tx *sql.Tx, committed bool) {
	v, ok := db.pending.LoadAndDelete(tx)
	if !ok || !committed {
		return
	}
	k := db.signer.Load()
	if k == nil {
		return
	}
	h := v.(Head)
	l := anchorLine{V: 1, At: ts(db.Now()), Seq: h.Seq, Head: h.Hash, Key: sign.EncodePublic(k.Public())}
	l.Sig = base64.StdEncoding.EncodeToString(k.Sign(l.message()))
	b, _ := json.Marshal(l)
	if err := appendLine(filepath.Join(db.dir, AnchorFile), b); err != nil {
		db.anchorErr.Store(&err)
	}
}

// AnchorError returns the last failure to append to the anchor file, or nil.
func (db *DB) AnchorError() error {
	if p := db.anchorErr.Load(); p != nil {
		return *p
	}
	return nil
}

func appendLine(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	line := append(b, '\n')
	// A line torn by a crash is ended first, so this one stays whole.
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	_, err = f.Write(line)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// AnchorReport is what Verify found in the anchor file.
type AnchorReport struct {
	File    string `json:"file"`
	Present bool   `json:"present"`
	// Expected: the database records that anchoring started (setting anchor_key), so the file
	// must exist.
	Expected bool `json:"expected"`
	Lines    int  `json:"lines"`
	// LastSeq is the highest sequence number anchored with a valid signature.
	LastSeq int64     `json:"last_seq"`
	LastAt  time.Time `json:"last_at"`
	// Unanchored is how many audit entries follow the last anchored one (written by a process
	// without a key, or after a failed append): those could be cut off without trace.
	Unanchored int64 `json:"unanchored"`
	// Torn: the file holds an incomplete line (an append cut short by a crash); it is ignored.
	Torn     bool            `json:"torn"`
	Problems []AnchorProblem `json:"problems"`
}

// AnchorProblem is one finding about the anchor file:
//   - "missing_file": the database says anchoring started but the file is gone;
//   - "malformed": a line that is not an anchor;
//   - "bad_signature": a line whose signature does not verify (the file was edited);
//   - "unknown_key": a line signed by a key that is neither this data directory's nor trusted;
//   - "missing_entry": an anchored entry the database lacks (tail deleted, database rolled back
//     to an older copy, or replaced);
//   - "hash_mismatch": the database's entry at an anchored sequence number has another hash (the
//     chain was recomputed, or the database is a different or diverged copy).
type AnchorProblem struct {
	Line     int    `json:"line"`
	Seq      int64  `json:"seq"`
	Problem  string `json:"problem"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

// readAnchors parses the anchor file; each line is checked for its signature and key.
func readAnchors(path string, kr *sign.Keyring, rep *AnchorReport) ([]anchorLine, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep.Present = true
	var good []anchorLine
	br := bufio.NewReaderSize(f, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br, maxAnchorLine)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			if errors.Is(err, errLongLine) {
				rep.Problems = append(rep.Problems, AnchorProblem{Line: n, Problem: "malformed", Actual: "line too long"})
				continue
			}
			return nil, err
		}
		var l anchorLine
		bad := json.Unmarshal(line, &l) != nil || l.V != 1 || l.Seq <= 0 || l.Head == ""
		if bad && (errors.Is(err, io.EOF) || tornLine(line)) {
			rep.Torn = true // an append cut short by a crash (the next append starts a new line)
			continue
		}
		rep.Lines++
		if bad {
			rep.Problems = append(rep.Problems, AnchorProblem{Line: n, Problem: "malformed", Actual: string(line[:min(len(line), 80)])})
			continue
		}
		pub, perr := sign.DecodePublic(l.Key)
		sig, serr := base64.StdEncoding.DecodeString(l.Sig)
		if perr != nil || serr != nil || !sign.Verify(pub, l.message(), sig) {
			rep.Problems = append(rep.Problems, AnchorProblem{Line: n, Seq: l.Seq, Problem: "bad_signature"})
			continue
		}
		if !kr.Knows(pub) {
			rep.Problems = append(rep.Problems, AnchorProblem{Line: n, Seq: l.Seq, Problem: "unknown_key", Actual: sign.Fingerprint(pub)})
			continue
		}
		if l.Seq > rep.LastSeq {
			rep.LastSeq, rep.LastAt = l.Seq, parseTS(l.At)
		}
		l.n = n
		good = append(good, l)
	}
	return good, nil
}

var errLongLine = errors.New("line too long")

// tornLine reports whether line looks like the start of an anchor line cut off by a crash.
func tornLine(line []byte) bool {
	t := strings.TrimSpace(string(line))
	return strings.HasPrefix(t, `{"v":`) && !strings.HasSuffix(t, "}")
}

// readLine reads one line of at most max bytes (without the newline); a longer line is skipped
// and reported as errLongLine.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var out []byte
	long := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !long {
			out = append(out, chunk...)
			if len(out) > max+1 {
				long, out = true, nil
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if long && (err == nil || errors.Is(err, io.EOF)) {
			return nil, errLongLine
		}
		return []byte(strings.TrimRight(string(out), "\r\n")), err
	}
}

// checkAnchors compares the anchored heads with the audit hashes read from the database.
func checkAnchors(lines []anchorLine, hashes map[int64]string, maxSeq int64, rep *AnchorReport) {
	for _, l := range lines {
		got, ok := hashes[l.Seq]
		switch {
		case !ok:
			rep.Problems = append(rep.Problems, AnchorProblem{Line: l.n, Seq: l.Seq, Problem: "missing_entry", Expected: l.Head,
				Actual: "the database ends at entry " + strconv.FormatInt(maxSeq, 10)})
		case got != l.Head:
			rep.Problems = append(rep.Problems, AnchorProblem{Line: l.n, Seq: l.Seq, Problem: "hash_mismatch", Expected: l.Head, Actual: got})
		}
	}
	if rep.LastSeq < maxSeq {
		rep.Unanchored = maxSeq - rep.LastSeq
	}
}
