package sqlite

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
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
//	hashes.json    {"<name>":"<sha256>",…} every other entry but signature.json
//	signature.json bundleSignature: the sender's Ed25519 signature over hashes.json's SHA-256,
//	               the case UID, the sender's audit chain head and the signing time
const (
	bundleFormat        = "appinspect-case-bundle"
	bundleFormatVersion = 1
	// Limits applied when reading a bundle (uncompressed bytes actually read, not the headers).
	maxBundleEntries  = 100000
	maxBundleJSON     = 256 << 20
	maxBundleEvidence = 4 << 30
	maxBundleTotal    = 16 << 30
	// A bundle may expand to at most bundleBaseBytes + bundleRatio × its own size: evidence
	// (APKs, screenshots) barely compresses and JSON by about 10×, so a higher ratio is a bomb.
	bundleBaseBytes = 32 << 20
	bundleRatio     = 50
)

const bundleSigFormat = "appinspect-bundle-signature"

// bundleSignature is signature.json.
type bundleSignature struct {
	Format         string    `json:"format"`
	Version        int       `json:"version"`
	HashesSHA256   string    `json:"hashes_sha256"`
	CaseUID        string    `json:"case_uid"`
	ChainHead      Head      `json:"chain_head"`
	SignedAt       time.Time `json:"signed_at"`
	Signer         string    `json:"signer"`
	PublicKey      string    `json:"public_key"`
	KeyFingerprint string    `json:"key_fingerprint"`
	Signature      string    `json:"signature"`
}

func (b *bundleSignature) message() []byte {
	return []byte("appinspect-bundle-v1\n" + b.HashesSHA256 + "\n" + b.CaseUID + "\n" + b.ChainHead.String() + "\n" +
		b.SignedAt.UTC().Format(time.RFC3339Nano) + "\n" + b.Signer)
}

// BundleSigner describes who signed a bundle, as checked by ImportBundle.
type BundleSigner struct {
	Fingerprint string
	Signer      string
	SignedAt    time.Time
	// Head is the sender's audit chain head when the bundle was made.
	Head Head
	// Known is "own", "trusted" or "new" (trusted now, by ImportOptions.TrustFingerprint).
	Known string
}

// ImportOptions control ImportBundle.
type ImportOptions struct {
	Actor string
	// TrustFingerprint accepts a bundle signed by the key with this fingerprint (formatting
	// ignored) and adds the key to the trusted keys of the data directory.
	TrustFingerprint string
	// AllowUnsigned accepts a bundle without signature.json.
	AllowUnsigned bool
	// Signer, when not nil, receives the checked signer before anything is stored.
	Signer func(BundleSigner)
}

var bundleJSONNames = []string{"case.json", "versions.json", "marks.json", "events.json", "evidence.json", "audit.json"}

// ErrNoSigner is returned by ExportBundle when the store has no signing key (see SetSigner).
var ErrNoSigner = errors.New("no signing key")

type bundleCase struct {
	Format        string     `json:"format"`
	FormatVersion int        `json:"format_version"`
	Exported      time.Time  `json:"exported"`
	Case          cases.Case `json:"case"`
}

// ExportBundle writes case caseID as a zip bundle to w, signed with the store's key (SetSigner)
// and recording the audit chain head. signer names the exporting inspector in the signature.
// Errors: cases.ErrNotFound, ErrNoSigner.
func (db *DB) ExportBundle(ctx context.Context, caseID int64, signer string, w io.Writer) error {
	key := db.signer.Load()
	if key == nil {
		return fmt.Errorf("cases/sqlite: export case %d: %w", caseID, ErrNoSigner)
	}
	var head Head
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
		if audit, err = auditForCase(ctx, tx, caseID); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&head.Seq, &head.Hash)
		if isNoRows(err) {
			err = nil
		}
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
	bs := bundleSignature{Format: bundleSigFormat, Version: 1, HashesSHA256: hashes["hashes.json"], CaseUID: c.UID, ChainHead: head,
		SignedAt: db.Now().UTC(), Signer: signer, PublicKey: sign.EncodePublic(key.Public()), KeyFingerprint: key.Fingerprint()}
	bs.Signature = base64.StdEncoding.EncodeToString(key.Sign(bs.message()))
	sb, _ := json.MarshalIndent(bs, "", "  ")
	if err := put("signature.json", bytes.NewReader(sb), zip.Deflate); err != nil {
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

// ImportBundle imports a case bundle and returns the new case id.
//
// Order of checks, cheapest first, and nothing is stored before all pass: entry names and
// counts; signature.json (its Ed25519 signature over hashes.json's SHA-256 must verify, and the
// key must be this directory's own, a trusted one, or opts.TrustFingerprint); every entry's
// SHA-256 against hashes.json, reading at most bundleBaseBytes + bundleRatio × size bytes in all;
// the JSON content; the case UID not yet present. Then the evidence files are stored by content
// address and the rows written in one transaction; if that fails, the evidence files this import
// created and no row names are removed again.
//
// Errors: cases.ErrBundleCorrupt (names, sizes, hashes, bad signature, invalid content),
// cases.ErrUnsigned, cases.ErrUntrustedSigner (a *cases.SignerError with the fingerprint),
// cases.ErrExists (the case UID is already in the store). The subject is matched by kind and
// credit code, else created. The case keeps its number unless the number is taken here, in
// which case a new one is allocated.
func (db *DB) ImportBundle(ctx context.Context, r io.ReaderAt, size int64, opts ImportOptions) (int64, error) {
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
	budget := min(int64(maxBundleTotal), bundleBaseBytes+bundleRatio*size)
	hf := files["hashes.json"]
	if hf == nil {
		return 0, corrupt("no hashes.json")
	}
	var hb bytes.Buffer
	hashesSHA, _, err := readLimited(hf, min(maxBundleJSON, budget), &hb)
	if err != nil {
		return 0, err
	}
	var hashes map[string]string
	if err := json.Unmarshal(hb.Bytes(), &hashes); err != nil {
		return 0, corrupt("hashes.json: %v", err)
	}
	signed := files["signature.json"] != nil
	listed := len(files) - 1
	if signed {
		listed--
	}
	if len(hashes) != listed {
		return 0, corrupt("hashes.json lists %d entries, the bundle has %d", len(hashes), listed)
	}
	if _, ok := hashes["signature.json"]; ok {
		return 0, corrupt("hashes.json lists signature.json")
	}
	bs, err := db.checkBundleSignature(files["signature.json"], hashesSHA, opts)
	if err != nil {
		return 0, err
	}
	docs := map[string][]byte{}
	var total int64
	for name, f := range files {
		if name == "hashes.json" || name == "signature.json" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("cases/sqlite: import bundle: %w", err)
		}
		want, ok := hashes[name]
		if !ok {
			return 0, corrupt("%s not in hashes.json", name)
		}
		var buf bytes.Buffer
		var sink io.Writer = io.Discard
		limit := min(int64(maxBundleEvidence), budget-total)
		if !strings.HasPrefix(name, "evidence/") {
			sink, limit = &buf, min(maxBundleJSON, budget-total)
		}
		got, n, err := readLimited(f, limit, sink)
		if err != nil {
			return 0, fmt.Errorf("%w (the bundle is %d bytes; it may expand to %d)", err, size, budget)
		}
		if total += n; total > budget {
			return 0, corrupt("more than %d bytes uncompressed from a %d-byte bundle", budget, size)
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
	if bs != nil && bs.CaseUID != bc.Case.UID {
		return 0, corrupt("signature is for case %s, case.json holds %s", bs.CaseUID, bc.Case.UID)
	}
	for _, e := range evid {
		if files["evidence/"+e.SHA256+".bin"] == nil {
			return 0, corrupt("evidence %s listed without its file", e.SHA256)
		}
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE uid=?`, bc.Case.UID).Scan(&n); err != nil {
		return 0, fmt.Errorf("cases/sqlite: import bundle: %w", err)
	}
	if n > 0 {
		return 0, fmt.Errorf("cases/sqlite: import bundle: case %s (uid %s): %w", bc.Case.Number, bc.Case.UID, cases.ErrExists)
	}
	// Store the evidence files (content-addressed); remember the ones this import created, to
	// remove them again if the rows cannot be written.
	// A journal lists them too, so that if this process is killed before the commit, the next
	// Open removes them (see cleanJournals).
	var created []string
	jr, err := db.newJournal()
	if err != nil {
		return 0, fmt.Errorf("cases/sqlite: import bundle: %w", err)
	}
	defer func() {
		if created != nil {
			db.removeUnreferenced(created)
		}
		jr.done()
	}()
	for name, f := range files {
		if !strings.HasPrefix(name, "evidence/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0, corrupt("%s: %v", name, err)
		}
		sha, _, isNew, err := db.storeBlob(ctx, io.LimitReader(rc, maxBundleEvidence), -1, jr)
		rc.Close()
		if isNew {
			created = append(created, sha)
		}
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
		caseID, err = db.importRows(ctx, tx, bc.Case, vers, marks, evs, evid, opts.Actor, bs)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("cases/sqlite: import bundle: %w", err)
	}
	created = nil
	return caseID, nil
}

// checkBundleSignature verifies signature.json (nil f: unsigned) and decides trust.
func (db *DB) checkBundleSignature(f *zip.File, hashesSHA string, opts ImportOptions) (*bundleSignature, error) {
	if f == nil {
		if opts.AllowUnsigned {
			return nil, nil
		}
		return nil, fmt.Errorf("cases/sqlite: import bundle: no signature.json: %w", cases.ErrUnsigned)
	}
	var sb bytes.Buffer
	if _, _, err := readLimited(f, 64<<10, &sb); err != nil {
		return nil, err
	}
	var bs bundleSignature
	if err := json.Unmarshal(sb.Bytes(), &bs); err != nil {
		return nil, corrupt("signature.json: %v", err)
	}
	if bs.Format != bundleSigFormat || bs.Version != 1 {
		return nil, corrupt("signature.json: format %q version %d", bs.Format, bs.Version)
	}
	pub, err := sign.DecodePublic(bs.PublicKey)
	if err != nil {
		return nil, corrupt("signature.json: %v", err)
	}
	sig, err := base64.StdEncoding.DecodeString(bs.Signature)
	if err != nil || !sign.Verify(pub, bs.message(), sig) {
		return nil, corrupt("signature.json: the signature does not verify (the signed fields were changed)")
	}
	if bs.HashesSHA256 != hashesSHA {
		return nil, corrupt("signature.json signs hashes.json %s, the bundle's hashes.json is %s (content edited after signing)", bs.HashesSHA256, hashesSHA)
	}
	fp := sign.Fingerprint(pub)
	if bs.KeyFingerprint != fp {
		return nil, corrupt("signature.json: key fingerprint %q does not match its public key %s", bs.KeyFingerprint, fp)
	}
	kr, err := sign.LoadKeyring(db.dir)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: import bundle: %w", err)
	}
	who, _ := kr.Who(pub)
	if who == "" {
		if !sign.SameFingerprint(opts.TrustFingerprint, fp) {
			return nil, fmt.Errorf("cases/sqlite: import bundle: %w", &cases.SignerError{Fingerprint: fp, Signer: bs.Signer, SignedAt: bs.SignedAt})
		}
		if err := kr.Trust(pub, bs.Signer, db.Now()); err != nil {
			return nil, fmt.Errorf("cases/sqlite: import bundle: %w", err)
		}
		who = "new"
	}
	if opts.Signer != nil {
		opts.Signer(BundleSigner{Fingerprint: fp, Signer: bs.Signer, SignedAt: bs.SignedAt, Head: bs.ChainHead, Known: who})
	}
	return &bs, nil
}

// removeUnreferenced deletes evidence files that no evidence row names (those a failed import
// just created).
func (db *DB) removeUnreferenced(shas []string) {
	for _, s := range shas {
		var n int
		if err := db.w.QueryRow(`SELECT count(*) FROM evidence WHERE sha256=?`, s).Scan(&n); err != nil || n > 0 {
			continue
		}
		_ = os.Remove(db.EvidencePath(s))
	}
}

func bundleNameOK(name string) bool {
	for _, n := range bundleJSONNames {
		if name == n {
			return true
		}
	}
	if name == "hashes.json" || name == "signature.json" {
		return true
	}
	sha, ok := strings.CutPrefix(name, "evidence/")
	if !ok {
		return false
	}
	sha, ok = strings.CutSuffix(sha, ".bin")
	return ok && cases.IsSHA256(sha)
}

func (db *DB) importRows(ctx context.Context, tx *sql.Tx, c cases.Case, vers []cases.Version, marks []cases.Mark, evs []cases.Event, evid []cases.Evidence, actor string, bs *bundleSignature) (int64, error) {
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
	det := map[string]string{"uid": c.UID, "original_number": orig, "number": c.Number, "signed_by": "unsigned"}
	if bs != nil {
		det["signed_by"], det["signer"], det["sender_chain_head"] = bs.KeyFingerprint, bs.Signer, bs.ChainHead.String()
	}
	if err := db.audit(ctx, tx, actor, "import", "case", caseID, det); err != nil {
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
