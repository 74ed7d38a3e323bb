package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
)

// audited maps an audit entity name to its table and key column. Every row of these tables has
// its hash recorded in the audit entry of its last change, so Verify detects a row changed,
// added or deleted behind the store's back (for example with the sqlite3 shell).
var audited = []struct{ entity, table, key string }{
	{"setting", "settings", "key"},
	{"subject", "subjects", "id"},
	{"case", "cases", "id"},
	{"evidence", "evidence", "id"},
	{"version", "case_versions", "id"},
	{"mark", "marks", "id"},
	{"event", "case_events", "id"},
	{"checklist_item", "checklist_results", "id"},
}

func tableOf(entity string) (table, key string) {
	for _, a := range audited {
		if a.entity == entity {
			return a.table, a.key
		}
	}
	return "", ""
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// rowHash returns the SHA-256 of the row's canonical encoding, or "" when the row does not exist.
func rowHash(ctx context.Context, q queryer, entity, key string) (string, error) {
	table, col := tableOf(entity)
	if table == "" {
		return "", fmt.Errorf("unknown audit entity %q", entity)
	}
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` WHERE `+col+` = ?`, key)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	h := ""
	err = scanRows(rows, func(cols []string, vals []any) { h = hashRow(cols, vals) })
	return h, err
}

func scanRows(rows *sql.Rows, fn func(cols []string, vals []any)) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fn(cols, vals)
	}
	return rows.Err()
}

// hashRow encodes a row as a JSON array of [column, type, value] triples in column order and
// hashes it. NULL columns are left out, so a later migration that adds a nullable column does not
// change the hashes of existing rows.
func hashRow(cols []string, vals []any) string {
	enc := make([][3]string, 0, len(cols))
	for i, c := range cols {
		var t, v string
		switch x := vals[i].(type) {
		case nil:
			continue
		case int64:
			t, v = "i", strconv.FormatInt(x, 10)
		case float64:
			t, v = "f", strconv.FormatFloat(x, 'g', -1, 64)
		case string:
			t, v = "s", x
		case []byte:
			t, v = "b", base64.StdEncoding.EncodeToString(x)
		case bool:
			t, v = "i", strconv.Itoa(boolInt(x))
		case time.Time:
			t, v = "t", x.UTC().Format(time.RFC3339Nano)
		default:
			t, v = "?", fmt.Sprint(x)
		}
		enc = append(enc, [3]string{c, t, v})
	}
	b, _ := json.Marshal(enc)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// auditEntry is one row of audit_log.
type auditEntry struct {
	ID        int64
	At        string
	Actor     string
	Action    string
	Entity    string
	EntityKey string
	RowHash   string
	Details   string
	PrevHash  string
	Hash      string
}

// computeHash is SHA-256 over the JSON array of every field but the hash itself.
func (e *auditEntry) computeHash() string {
	b, _ := json.Marshal([]string{strconv.FormatInt(e.ID, 10), e.At, e.Actor, e.Action, e.Entity, e.EntityKey, e.RowHash, e.Details, e.PrevHash})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// audit appends an entry for a change already made in tx, recording the row's new hash.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, actor, action, entity string, key any, details any) error {
	k := fmt.Sprint(key)
	rh, err := rowHash(ctx, tx, entity, k)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", entity, k, err)
	}
	det := []byte("{}")
	if details != nil {
		if det, err = json.Marshal(details); err != nil {
			return fmt.Errorf("audit %s %s: %w", entity, k, err)
		}
	}
	e := auditEntry{At: ts(db.Now()), Actor: actor, Action: action, Entity: entity, EntityKey: k, RowHash: rh, Details: string(det)}
	err = tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&e.ID, &e.PrevHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("audit: %w", err)
	}
	e.ID++
	e.Hash = e.computeHash()
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log(id, at, actor, action, entity, entity_key, row_hash, details, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?)`,
		e.ID, e.At, e.Actor, e.Action, e.Entity, e.EntityKey, e.RowHash, e.Details, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	db.noteAudit(tx, Head{e.ID, e.Hash})
	return nil
}

// AuditEntry is one audit log entry as shown to users and exported in bundles.
type AuditEntry struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityKey string          `json:"entity_key"`
	RowHash   string          `json:"row_hash"`
	Details   json.RawMessage `json:"details"`
	PrevHash  string          `json:"prev_hash"`
	Hash      string          `json:"hash"`
}

// VerifyReport lists everything Verify found wrong. A report with no problems means: the audit
// chain is unbroken, every audited row matches the hash recorded at its last audited change, and
// every evidence file exists with the content its name claims.
type VerifyReport struct {
	AuditEntries  int
	RowsChecked   int
	FilesChecked  int
	Chain         []ChainProblem
	Rows          []RowProblem
	Evidence      []EvidenceProblem
	IntegrityOK   bool
	IntegrityText string
	// Head is the chain head the database holds.
	Head Head
	// Anchor is what the anchor file (kept outside the database) says about the chain.
	Anchor AnchorReport
	// Unreferenced lists evidence files in the data directory that no evidence row names: left by
	// a deleted or rolled-back database (or rows deleted behind the store's back).
	Unreferenced []string
}

// OK reports whether nothing was found wrong.
func (r *VerifyReport) OK() bool {
	return r.IntegrityOK && len(r.Chain) == 0 && len(r.Rows) == 0 && len(r.Evidence) == 0 &&
		len(r.Anchor.Problems) == 0 && len(r.Unreferenced) == 0
}

// ChainProblem is a broken link of the audit chain: an entry whose stored hash is not the hash of
// its fields ("hash"), whose prev_hash is not the previous entry's hash ("prev_hash"), or whose id
// does not follow the previous one ("gap": entries deleted).
type ChainProblem struct {
	ID       int64
	Problem  string
	Expected string
	Actual   string
}

// RowProblem is an audited row that does not match the audit log: "modified" (its hash differs
// from the one recorded at its last change), "unaudited" (no audit entry: inserted behind the
// store's back) or "deleted" (the log says it exists, the table has no such row).
type RowProblem struct {
	Table    string
	Key      string
	Problem  string
	Expected string
	Actual   string
	// AuditID is the audit entry holding the expected hash (0 for unaudited rows).
	AuditID int64
}

// EvidenceProblem is an evidence file that is "missing" or "altered" (its content hash is Actual).
type EvidenceProblem struct {
	SHA256  string
	Path    string
	Problem string
	Actual  string
}

// Verify checks the database (PRAGMA integrity_check), the audit hash chain, every audited row
// against its last audit entry, every evidence file's content hash, the chain against the signed
// heads of the anchor file (AnchorFile), and looks for evidence files no row names. It returns an
// error only when the checks could not run; what was found wrong is in the report.
func (db *DB) Verify(ctx context.Context) (*VerifyReport, error) {
	rep := &VerifyReport{Anchor: AnchorReport{File: filepath.Join(db.dir, AnchorFile)}}
	kr, err := sign.LoadKeyring(db.dir)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: verify: %w", err)
	}
	// The anchor file is read before the database snapshot: every line in it was written after
	// its entry committed, so the snapshot holds every entry it names.
	anchors, err := readAnchors(rep.Anchor.File, kr, &rep.Anchor)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: verify: anchor file: %w", err)
	}
	var shas []string
	err = db.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&rep.IntegrityText); err != nil {
			return err
		}
		rep.IntegrityOK = rep.IntegrityText == "ok"
		latest, hashes, err := verifyChain(ctx, tx, rep)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM settings WHERE key=?`, anchorKeySetting).Scan(&n); err != nil {
			return err
		}
		rep.Anchor.Expected = n > 0
		if rep.Anchor.Expected && !rep.Anchor.Present {
			rep.Anchor.Problems = append(rep.Anchor.Problems, AnchorProblem{Problem: "missing_file", Expected: rep.Anchor.File})
		}
		checkAnchors(anchors, hashes, rep.Head.Seq, &rep.Anchor)
		if err := verifyRows(ctx, tx, rep, latest); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT sha256 FROM evidence ORDER BY sha256`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			shas = append(shas, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: verify: %w", err)
	}
	for _, s := range shas {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("cases/sqlite: verify: %w", err)
		}
		rep.FilesChecked++
		p := db.EvidencePath(s)
		got, _, err := hashFile(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			rep.Evidence = append(rep.Evidence, EvidenceProblem{SHA256: s, Path: p, Problem: "missing"})
		case err != nil:
			rep.Evidence = append(rep.Evidence, EvidenceProblem{SHA256: s, Path: p, Problem: "unreadable: " + err.Error()})
		case got != s:
			rep.Evidence = append(rep.Evidence, EvidenceProblem{SHA256: s, Path: p, Problem: "altered", Actual: got})
		}
	}
	known := make(map[string]bool, len(shas))
	for _, s := range shas {
		known[s] = true
	}
	root := filepath.Join(db.dir, "evidence")
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return ctx.Err()
		}
		sha, ok := strings.CutSuffix(d.Name(), ".bin")
		if ok && cases.IsSHA256(sha) && !known[sha] {
			rep.Unreferenced = append(rep.Unreferenced, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: verify: %w", err)
	}
	return rep, nil
}

type latestAudit struct {
	id   int64
	hash string
}

func verifyChain(ctx context.Context, tx *sql.Tx, rep *VerifyReport) (map[[2]string]latestAudit, map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, action, entity, entity_key, row_hash, details, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	latest := map[[2]string]latestAudit{}
	hashes := map[int64]string{}
	var prevID int64
	prevHash := ""
	for rows.Next() {
		var e auditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityKey, &e.RowHash, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return nil, nil, err
		}
		rep.AuditEntries++
		hashes[e.ID] = e.Hash
		rep.Head = Head{e.ID, e.Hash}
		if e.ID != prevID+1 {
			rep.Chain = append(rep.Chain, ChainProblem{ID: e.ID, Problem: "gap", Expected: strconv.FormatInt(prevID+1, 10), Actual: strconv.FormatInt(e.ID, 10)})
		}
		if e.PrevHash != prevHash {
			rep.Chain = append(rep.Chain, ChainProblem{ID: e.ID, Problem: "prev_hash", Expected: prevHash, Actual: e.PrevHash})
		}
		if h := e.computeHash(); h != e.Hash {
			rep.Chain = append(rep.Chain, ChainProblem{ID: e.ID, Problem: "hash", Expected: h, Actual: e.Hash})
		}
		prevID, prevHash = e.ID, e.Hash
		latest[[2]string{e.Entity, e.EntityKey}] = latestAudit{e.ID, e.RowHash}
	}
	return latest, hashes, rows.Err()
}

func verifyRows(ctx context.Context, tx *sql.Tx, rep *VerifyReport, latest map[[2]string]latestAudit) error {
	seen := map[[2]string]bool{}
	for _, a := range audited {
		rows, err := tx.QueryContext(ctx, `SELECT * FROM `+a.table+` ORDER BY `+a.key)
		if err != nil {
			return err
		}
		keyIdx := -1
		err = scanRows(rows, func(cols []string, vals []any) {
			if keyIdx < 0 {
				for i, c := range cols {
					if c == a.key {
						keyIdx = i
					}
				}
			}
			rep.RowsChecked++
			k := fmt.Sprint(vals[keyIdx])
			id := [2]string{a.entity, k}
			seen[id] = true
			got := hashRow(cols, vals)
			la, ok := latest[id]
			switch {
			case !ok:
				rep.Rows = append(rep.Rows, RowProblem{Table: a.table, Key: k, Problem: "unaudited", Actual: got})
			case la.hash != got:
				rep.Rows = append(rep.Rows, RowProblem{Table: a.table, Key: k, Problem: "modified", Expected: la.hash, Actual: got, AuditID: la.id})
			}
		})
		rows.Close()
		if err != nil {
			return err
		}
	}
	var gone []RowProblem
	for id, la := range latest {
		if la.hash != "" && !seen[id] {
			table, _ := tableOf(id[0])
			gone = append(gone, RowProblem{Table: table, Key: id[1], Problem: "deleted", Expected: la.hash, AuditID: la.id})
		}
	}
	sort.Slice(gone, func(i, j int) bool { return gone[i].AuditID < gone[j].AuditID })
	rep.Rows = append(rep.Rows, gone...)
	return nil
}

// AuditLog returns the audit entries about one case (the case row and its evidence, versions,
// marks and events) in log order.
func (db *DB) AuditLog(ctx context.Context, caseID int64) ([]AuditEntry, error) {
	var out []AuditEntry
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = auditForCase(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: audit log of case %d: %w", caseID, err)
	}
	return out, nil
}

func auditForCase(ctx context.Context, tx *sql.Tx, caseID int64) ([]AuditEntry, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, action, entity, entity_key, row_hash, details, prev_hash, hash FROM audit_log
		WHERE (entity='case' AND entity_key=?1)
		   OR (entity='evidence' AND entity_key IN (SELECT CAST(id AS TEXT) FROM evidence WHERE case_id=?2))
		   OR (entity='version' AND entity_key IN (SELECT CAST(id AS TEXT) FROM case_versions WHERE case_id=?2))
		   OR (entity='mark' AND entity_key IN (SELECT CAST(id AS TEXT) FROM marks WHERE case_id=?2))
		   OR (entity='event' AND entity_key IN (SELECT CAST(id AS TEXT) FROM case_events WHERE case_id=?2))
		ORDER BY id`, strconv.FormatInt(caseID, 10), caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at, det string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.EntityKey, &e.RowHash, &det, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At, e.Details = parseTS(at), json.RawMessage(det)
		out = append(out, e)
	}
	return out, rows.Err()
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
