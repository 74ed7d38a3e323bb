package sqlite

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// Case bundle: a zip handing one case to another inspector or agency.
//
//	case.json      {"format":"appinspect-case-bundle","format_version":1,"exported":…,"case":{…}}
//	versions.json  [cases.Version…] (scan, policy and candidates JSON inline)
//	marks.json     [cases.Mark…]
//	events.json    [cases.Event…]
//	evidence.json  [cases.Evidence…]
//	audit.json     [AuditEntry…] the sender's audit entries about the case (an excerpt: the chain
//	               links to entries outside it, so it documents history but is not re-verified)
//	evidence/<sha256>.bin
//	hashes.json    {"<name>":"<sha256>",…} every other entry
const (
	bundleFormat        = "appinspect-case-bundle"
	bundleFormatVersion = 1
	// Limits applied when reading a bundle (uncompressed bytes actually read, not the headers).
	maxBundleEntries  = 100000
	maxBundleJSON     = 256 << 20
	maxBundleEvidence = 4 << 30
	maxBundleTotal    = 16 << 30
)

var bundleJSONNames = []string{"case.json", "versions.json", "marks.json", "events.json", "evidence.json", "audit.json"}

type bundleCase struct {
	Format        string     `json:"format"`
	FormatVersion int        `json:"format_version"`
	Exported      time.Time  `json:"exported"`
	Case          cases.Case `json:"case"`
}

// ExportBundle writes case caseID as a zip bundle to w. Errors: cases.ErrNotFound.
func (db *DB) ExportBundle(ctx context.Context, caseID int64, w io.Writer) error {
	var (
		c     *cases.Case
		vers  []cases.Version
		marks []cases.Mark
		evs   []cases.Event
		evid  []cases.Evidence
		audit []AuditEntry
	)
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = scanCase(tx.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases c JOIN subjects s ON s.id=c.subject_id WHERE c.id=?`, caseID))
		if isNoRows(err) {
			return notFound("case", caseID)
		}
		if err != nil {
			return err
		}
		if vers, err = queryVersions(ctx, tx, `case_id=?`, caseID); err != nil {
			return err
		}
		if marks, err = queryMarks(ctx, tx, `case_id=?`, caseID); err != nil {
			return err
		}
		if evs, err = queryEvents(ctx, tx, caseID); err != nil {
			return err
		}
		if evid, err = queryEvidence(ctx, tx, caseID); err != nil {
			return err
		}
		audit, err = auditForCase(ctx, tx, caseID)
		return err
	})
	if err != nil {
		return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, err)
	}
	zw := zip.NewWriter(w)
	hashes := map[string]string{}
	put := func(name string, r io.Reader, method uint16) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		h := sha256.New()
		if _, err := io.Copy(io.MultiWriter(f, h), r); err != nil {
			return err
		}
		hashes[name] = hex.EncodeToString(h.Sum(nil))
		return nil
	}
	docs := []any{bundleCase{bundleFormat, bundleFormatVersion, db.Now().UTC(), *c}, nonNilSlice(vers), nonNilSlice(marks), nonNilSlice(evs), nonNilSlice(evid), nonNilSlice(audit)}
	for i, name := range bundleJSONNames {
		b, err := json.Marshal(docs[i])
		if err != nil {
			return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, err)
		}
		if err := put(name, bytes.NewReader(b), zip.Deflate); err != nil {
			return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, err)
		}
	}
	seen := map[string]bool{}
	for _, e := range evid {
		if seen[e.SHA256] {
			continue
		}
		seen[e.SHA256] = true
		f, err := db.OpenEvidence(ctx, caseID, e.SHA256)
		if err != nil {
			return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, err)
		}
		err = put("evidence/"+e.SHA256+".bin", f, zip.Deflate)
		f.Close()
		if err != nil {
			return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, err)
		}
		if hashes["evidence/"+e.SHA256+".bin"] != e.SHA256 {
			return fmt.Errorf("cases/sqlite: export case %d: evidence file %s is altered; run verify", caseID, e.SHA256)
		}
	}
	hb, _ := json.Marshal(hashes)
	if err := put("hashes.json", bytes.NewReader(hb), zip.Deflate); err != nil {
		return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, err)
	}
	return nil
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func corrupt(format string, a ...any) error {
	return fmt.Errorf("cases/sqlite: import bundle: %s: %w", fmt.Sprintf(format, a...), cases.ErrBundleCorrupt)
}

// readLimited reads a zip entry, refusing more than limit bytes whatever its header says.
func readLimited(f *zip.File, limit int64, w io.Writer) (string, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return "", 0, corrupt("%s: %v", f.Name, err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), io.LimitReader(rc, limit+1))
	if err != nil {
		return "", n, corrupt("%s: %v", f.Name, err)
	}
	if n > limit {
		return "", n, corrupt("%s: larger than %d bytes", f.Name, limit)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// ImportBundle imports a case bundle and returns the new case id. It refuses (cases.ErrBundleCorrupt)
// a bundle with unexpected or unsafe entry names, entries over the size limits, an entry whose
// SHA-256 differs from hashes.json, an evidence file whose content is not its name, or invalid
// content; and (cases.ErrExists) a case whose UID is already in the store. Nothing is imported
// unless everything is: the rows are written in one transaction; evidence files are stored
// before it by content address, so a failed import leaves only harmless, unreferenced copies.
// The subject is matched by kind and credit code, else created. The case keeps its number
// unless the number is taken here, in which case a new one is allocated.
func (db *DB) ImportBundle(ctx context.Context, r io.ReaderAt, size int64, actor string) (int64, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return 0, corrupt("%v", err)
	}
	if len(zr.File) > maxBundleEntries {
		return 0, corrupt("%d entries", len(zr.File))
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if !bundleNameOK(f.Name) {
			return 0, corrupt("entry name %q not allowed", f.Name)
		}
		if files[f.Name] != nil {
			return 0, corrupt("entry %q twice", f.Name)
		}
		files[f.Name] = f
	}
	hf := files["hashes.json"]
	if hf == nil {
		return 0, corrupt("no hashes.json")
	}
	var hb bytes.Buffer
	if _, _, err := readLimited(hf, maxBundleJSON, &hb); err != nil {
		return 0, err
	}
	var hashes map[string]string
	if err := json.Unmarshal(hb.Bytes(), &hashes); err != nil {
		return 0, corrupt("hashes.json: %v", err)
	}
	if len(hashes) != len(files)-1 {
		return 0, corrupt("hashes.json lists %d entries, the bundle has %d", len(hashes), len(files)-1)
	}
	docs := map[string][]byte{}
	var total int64
	for name, f := range files {
		if name == "hashes.json" {
			continue
		}
		want, ok := hashes[name]
		if !ok {
			return 0, corrupt("%s not in hashes.json", name)
		}
		var buf bytes.Buffer
		var sink io.Writer = io.Discard
		limit := int64(maxBundleEvidence)
		if !strings.HasPrefix(name, "evidence/") {
			sink, limit = &buf, maxBundleJSON
		}
		got, n, err := readLimited(f, limit, sink)
		if err != nil {
			return 0, err
		}
		if total += n; total > maxBundleTotal {
			return 0, corrupt("more than %d bytes uncompressed", int64(maxBundleTotal))
		}
		if got != want {
			return 0, corrupt("%s: sha256 %s, hashes.json says %s", name, got, want)
		}
		if strings.HasPrefix(name, "evidence/") && got != strings.TrimSuffix(strings.TrimPrefix(name, "evidence/"), ".bin") {
			return 0, corrupt("%s: content hash is %s", name, got)
		}
		if sink == &buf {
			docs[name] = buf.Bytes()
		}
	}
	var (
		bc    bundleCase
		vers  []cases.Version
		marks []cases.Mark
		evs   []cases.Event
		evid  []cases.Evidence
	)
	for _, d := range []struct {
		name string
		v    any
	}{{"case.json", &bc}, {"versions.json", &vers}, {"marks.json", &marks}, {"events.json", &evs}, {"evidence.json", &evid}} {
		b, ok := docs[d.name]
		if !ok {
			return 0, corrupt("no %s", d.name)
		}
		if err := json.Unmarshal(b, d.v); err != nil {
			return 0, corrupt("%s: %v", d.name, err)
		}
	}
	if bc.Format != bundleFormat || bc.FormatVersion != bundleFormatVersion {
		return 0, corrupt("format %q version %d", bc.Format, bc.FormatVersion)
	}
	for _, e := range evid {
		if files["evidence/"+e.SHA256+".bin"] == nil {
			return 0, corrupt("evidence %s listed without its file", e.SHA256)
		}
	}
	// Store the evidence files first (content-addressed: duplicates are harmless).
	for name, f := range files {
		if !strings.HasPrefix(name, "evidence/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0, corrupt("%s: %v", name, err)
		}
		sha, _, err := db.storeBlob(io.LimitReader(rc, maxBundleEvidence))
		rc.Close()
		if err != nil {
			return 0, fmt.Errorf("cases/sqlite: import bundle: %w", err)
		}
		if "evidence/"+sha+".bin" != name {
			return 0, corrupt("%s changed while reading", name)
		}
	}
	var caseID int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		var err error
		caseID, err = db.importRows(ctx, tx, bc.Case, vers, marks, evs, evid, actor)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("cases/sqlite: import bundle: %w", err)
	}
	return caseID, nil
}

func bundleNameOK(name string) bool {
	for _, n := range bundleJSONNames {
		if name == n {
			return true
		}
	}
	if name == "hashes.json" {
		return true
	}
	sha, ok := strings.CutPrefix(name, "evidence/")
	if !ok {
		return false
	}
	sha, ok = strings.CutSuffix(sha, ".bin")
	return ok && cases.IsSHA256(sha)
}

func (db *DB) importRows(ctx context.Context, tx *sql.Tx, c cases.Case, vers []cases.Version, marks []cases.Mark, evs []cases.Event, evid []cases.Evidence, actor string) (int64, error) {
	bad := func(format string, a ...any) error { return corrupt(format, a...) }
	if len(c.UID) != 32 || !cases.IsSHA256(c.UID+c.UID) { // 32 lower-case hex digits
		return 0, bad("case uid %q", c.UID)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE uid=?`, c.UID).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, fmt.Errorf("case %s (uid %s): %w", c.Number, c.UID, cases.ErrExists)
	}
	s := c.Subject
	if err := s.Validate(); err != nil {
		return 0, bad("subject: %v", err)
	}
	if !c.Source.Valid() || !c.Status.Valid() || c.RectificationDays <= 0 || c.Number == "" {
		return 0, bad("case fields (source %q, status %q, N %d)", c.Source, c.Status, c.RectificationDays)
	}
	subjectID := int64(0)
	if s.CreditCode != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM subjects WHERE credit_code=? AND kind=? ORDER BY id LIMIT 1`, s.CreditCode, s.Kind).Scan(&subjectID)
		if err != nil && !isNoRows(err) {
			return 0, err
		}
	}
	if subjectID == 0 {
		var err error
		if subjectID, err = insertSubject(ctx, tx, s); err != nil {
			return 0, err
		}
		if err := db.audit(ctx, tx, actor, "import", "subject", subjectID, map[string]string{"name": s.Name}); err != nil {
			return 0, err
		}
	}
	orig := c.Number
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE number=?`, c.Number).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		set, err := loadSettings(ctx, tx)
		if err != nil {
			return 0, err
		}
		if c.Number, err = allocateNumber(ctx, tx, set.NumberPattern, cases.CivilDate(db.Now()).Year()); err != nil {
			return 0, err
		}
	}
	c.SubjectID = subjectID
	caseID, err := insertCase(ctx, tx, &c)
	if err != nil {
		return 0, err
	}
	if err := db.audit(ctx, tx, actor, "import", "case", caseID, map[string]string{"uid": c.UID, "original_number": orig, "number": c.Number}); err != nil {
		return 0, err
	}
	for _, e := range evid {
		if !e.Kind.Valid() || !cases.IsSHA256(e.SHA256) {
			return 0, bad("evidence %q kind %q", e.SHA256, e.Kind)
		}
		e.CaseID = caseID
		id, err := insertEvidence(ctx, tx, e)
		if err != nil {
			return 0, bad("evidence %s: %v", e.SHA256, err)
		}
		if err := db.audit(ctx, tx, actor, "import", "evidence", id, map[string]string{"sha256": e.SHA256}); err != nil {
			return 0, err
		}
	}
	versionIDs := map[int64]int64{0: 0}
	sort.Slice(vers, func(i, j int) bool { return vers[i].ID < vers[j].ID })
	for _, v := range vers {
		in := cases.VersionInput{VersionName: v.VersionName, APKSHA256: v.APKSHA256, Scan: v.Scan, Policy: v.Policy, Candidates: v.Candidates}
		if err := in.Validate(); err != nil {
			return 0, bad("version %d: %v", v.ID, err)
		}
		if v.APKSHA256 != "" {
			if err := evidenceOfCase(ctx, tx, caseID, []string{v.APKSHA256}); err != nil {
				return 0, bad("version %d: %v", v.ID, err)
			}
		}
		old := v.ID
		v.CaseID = caseID
		id, err := insertVersion(ctx, tx, v)
		if err != nil {
			return 0, err
		}
		versionIDs[old] = id
		if err := db.audit(ctx, tx, actor, "import", "version", id, map[string]string{"version": v.VersionName}); err != nil {
			return 0, err
		}
	}
	for _, m := range marks {
		vid, ok := versionIDs[m.VersionID]
		if !ok {
			return 0, bad("mark %s: unknown version %d", m.ItemID, m.VersionID)
		}
		if m.ItemID == "" || (m.Verdict != cases.VerdictPending && !m.Verdict.Valid()) || (m.Severity != "" && !m.Severity.Valid()) {
			return 0, bad("mark %q: verdict %q severity %q", m.ItemID, m.Verdict, m.Severity)
		}
		if len(m.Citation) > 0 && !json.Valid(m.Citation) {
			return 0, bad("mark %s: citation", m.ItemID)
		}
		if err := evidenceOfCase(ctx, tx, caseID, m.Evidence); err != nil {
			return 0, bad("mark %s: %v", m.ItemID, err)
		}
		ej, _ := json.Marshal(nonNil(m.Evidence))
		rj, _ := json.Marshal(nonNil(m.CandidateRules))
		res, err := tx.ExecContext(ctx, `INSERT INTO marks(case_id, version_id, item_id, verdict, severity, note, evidence, candidate_rules, citation,
			rectification, statement, inspector, updated, suggested, needs_review) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			caseID, vid, m.ItemID, m.Verdict, m.Severity, m.Note, string(ej), string(rj), blob(m.Citation), m.Rectification, m.Statement, m.Inspector,
			ts(m.Updated), boolInt(m.Suggested), boolInt(m.NeedsReview))
		if err != nil {
			return 0, bad("mark %s: %v", m.ItemID, err)
		}
		id, _ := res.LastInsertId()
		if err := db.audit(ctx, tx, actor, "import", "mark", id, map[string]string{"item": m.ItemID}); err != nil {
			return 0, err
		}
	}
	for _, e := range evs {
		if !e.From.Valid() || !e.To.Valid() {
			return 0, bad("event %d: %s → %s", e.ID, e.From, e.To)
		}
		e.CaseID = caseID
		id, err := insertEvent(ctx, tx, e)
		if err != nil {
			return 0, err
		}
		if err := db.audit(ctx, tx, actor, "import", "event", id, nil); err != nil {
			return 0, err
		}
	}
	return caseID, reindexCase(ctx, tx, caseID)
}
