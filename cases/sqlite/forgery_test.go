package sqlite

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
)

// The forgery scenarios of issue 17. Each test fails on a store without the anchor file and
// signed bundles: the old Verify called every one of these databases intact, and the old import
// accepted every one of these bundles.

func rawDB(t *testing.T, db *DB) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	return raw
}

func verify(t *testing.T, db *DB) *VerifyReport {
	t.Helper()
	rep, err := db.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func anchorProblems(rep *VerifyReport) map[string]int {
	m := map[string]int{}
	for _, p := range rep.Anchor.Problems {
		m[p.Problem]++
	}
	return m
}

// onlyAnchorProblems checks that the database by itself looks intact (what the old Verify
// reported) and the anchor shows problem want.
func onlyAnchorProblems(t *testing.T, rep *VerifyReport, want string) {
	t.Helper()
	if len(rep.Chain) != 0 || len(rep.Rows) != 0 || len(rep.Evidence) != 0 {
		t.Fatalf("the forgery is not self-consistent (test setup): chain %+v rows %+v evidence %+v", rep.Chain, rep.Rows, rep.Evidence)
	}
	if rep.OK() || anchorProblems(rep)[want] == 0 {
		t.Fatalf("verify did not report %s: ok=%v anchor %+v", want, rep.OK(), rep.Anchor)
	}
}

func TestForgeryTailTruncation(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := fullCase(t, db)
	if _, err := db.PutEvidence(ctx, c.ID, cases.EvidenceScreenshot, "shot.png", strings.NewReader("png"), cases.EvidenceMeta{Actor: "张三"}); err != nil {
		t.Fatal(err)
	}
	mustVerifyOK(t, db)
	head, _ := db.ChainHead(ctx)
	raw := rawDB(t, db)
	// Delete the last evidence row and the audit entry recording it, and its file.
	var sha string
	if err := raw.QueryRow(`SELECT sha256 FROM evidence ORDER BY id DESC LIMIT 1`).Scan(&sha); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM evidence WHERE id=(SELECT max(id) FROM evidence)`, `DELETE FROM audit_log WHERE id=(SELECT max(id) FROM audit_log)`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.Remove(db.EvidencePath(sha))
	rep := verify(t, db)
	onlyAnchorProblems(t, rep, "missing_entry")
	if rep.Anchor.Problems[0].Seq != head.Seq {
		t.Fatalf("missing entry %d, want %d", rep.Anchor.Problems[0].Seq, head.Seq)
	}
}

// recomputeChain rewrites every audit hash from entry from on, as a forger who edited a row and
// its audit entry would.
func recomputeChain(t *testing.T, raw *sql.DB, from int64) {
	t.Helper()
	rows, err := raw.Query(`SELECT id, at, actor, action, entity, entity_key, row_hash, details, prev_hash, hash FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var all []auditEntry
	for rows.Next() {
		var e auditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityKey, &e.RowHash, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			t.Fatal(err)
		}
		all = append(all, e)
	}
	rows.Close()
	prev := ""
	for _, e := range all {
		if e.ID >= from {
			e.PrevHash = prev
			e.Hash = e.computeHash()
			if _, err := raw.Exec(`UPDATE audit_log SET prev_hash=?, hash=? WHERE id=?`, e.PrevHash, e.Hash, e.ID); err != nil {
				t.Fatal(err)
			}
		}
		prev = e.Hash
	}
}

func TestForgeryRecomputedChain(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := fullCase(t, db)
	marks, _ := db.Marks(ctx, c.ID)
	m := marks[0]
	raw := rawDB(t, db)
	// Turn the violation into a compliant verdict, fix the row hash in its last audit entry and
	// recompute the chain from there.
	if _, err := raw.Exec(`UPDATE marks SET verdict='compliant', note='核查无问题' WHERE id=?`, m.ID); err != nil {
		t.Fatal(err)
	}
	rh, err := rowHash(ctx, raw, "mark", itoa(m.ID))
	if err != nil {
		t.Fatal(err)
	}
	var aid int64
	if err := raw.QueryRow(`SELECT max(id) FROM audit_log WHERE entity='mark' AND entity_key=?`, itoa(m.ID)).Scan(&aid); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_log SET row_hash=? WHERE id=?`, rh, aid); err != nil {
		t.Fatal(err)
	}
	recomputeChain(t, raw, aid)
	onlyAnchorProblems(t, verify(t, db), "hash_mismatch")

	// A forger who also rewrites the anchor file without the key breaks its signatures.
	path := filepath.Join(db.Dir(), AnchorFile)
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var hashes = map[int64]string{}
	r2, _ := raw.Query(`SELECT id, hash FROM audit_log`)
	for r2.Next() {
		var id int64
		var h string
		_ = r2.Scan(&id, &h)
		hashes[id] = h
	}
	r2.Close()
	for i, l := range lines {
		var al anchorLine
		_ = json.Unmarshal([]byte(l), &al)
		al.Head = hashes[al.Seq]
		nb, _ := json.Marshal(al)
		lines[i] = string(nb)
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	onlyAnchorProblems(t, verify(t, db), "bad_signature")
}

func TestForgeryRollback(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.db")
	db, _ := openAt(t, path)
	c := newCase(t, db, "rollback")
	old := filepath.Join(t.TempDir(), "old.db")
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, old); err != nil {
		t.Fatal(err)
	}
	// Later work: a violation is marked.
	if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/13", Verdict: cases.VerdictViolation, Severity: cases.SeverityHigh, Inspector: "张三"}); err != nil {
		t.Fatal(err)
	}
	mustVerifyOK(t, db)
	_ = db.Close()
	// Roll the database file back to the older copy.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
	b, _ := os.ReadFile(old)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, _ = openAt(t, path)
	rep := verify(t, db)
	onlyAnchorProblems(t, rep, "missing_entry")
	// More work on the rolled-back copy reuses the sequence numbers with other hashes.
	if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/17", Verdict: cases.VerdictCompliant, Inspector: "张三"}); err != nil {
		t.Fatal(err)
	}
	if anchorProblems(verify(t, db))["hash_mismatch"] == 0 {
		t.Fatal("diverged rollback not reported")
	}
}

func TestForgeryDeletedDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.db")
	db, _ := openAt(t, path)
	fullCase(t, db)
	_ = db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
	db, _ = openAt(t, path) // a fresh, empty database, as the next start makes
	rep := verify(t, db)
	if rep.OK() || len(rep.Unreferenced) == 0 || anchorProblems(rep)["missing_entry"] == 0 {
		t.Fatalf("deleted database not reported: unreferenced %v anchor %+v", rep.Unreferenced, rep.Anchor)
	}
	_ = ctx
	// With the anchor file deleted too, the evidence files left behind still show.
	_ = os.Remove(filepath.Join(dir, AnchorFile))
	rep = verify(t, db)
	if rep.OK() || len(rep.Unreferenced) == 0 || anchorProblems(rep)["missing_file"] == 0 {
		t.Fatalf("deleted database and anchor not reported: %+v", rep)
	}
}

// openAt opens a store at path with its signing key, as the application does.
func openAt(t *testing.T, path string) (*DB, *clock) {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	clk := &clock{t: time.Date(2025, 9, 26, 2, 0, 0, 0, time.UTC)}
	db.Now = clk.now
	k, err := sign.LoadOrCreate(db.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetSigner(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	return db, clk
}

func TestAnchorSurvivesBackup(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	fullCase(t, db)
	dst := filepath.Join(t.TempDir(), "backup")
	if err := db.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	bk, err := Open(ctx, filepath.Join(dst, "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer bk.Close()
	rep := verify(t, bk)
	if !rep.OK() || !rep.Anchor.Present || rep.Anchor.LastSeq != rep.Head.Seq {
		t.Fatalf("backup: %+v", rep)
	}
	if _, err := os.Stat(filepath.Join(dst, sign.KeyDir, sign.PrivateFile)); err == nil {
		t.Fatal("backup copied the private key")
	}
}

// resign replaces signature.json with a valid signature by key over the bundle's hashes.json,
// as a sender (or a forger holding key) would.
func resign(t *testing.T, b []byte, key *sign.Key) []byte {
	t.Helper()
	return rewrite(t, b, false, func(n string, d []byte) []byte {
		if n != "signature.json" {
			return d
		}
		zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		var hashes []byte
		for _, f := range zr.File {
			if f.Name == "hashes.json" {
				rc, _ := f.Open()
				hashes, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		var bs bundleSignature
		if err := json.Unmarshal(d, &bs); err != nil {
			t.Fatal(err)
		}
		bs.HashesSHA256 = sha256Hex(hashes)
		bs.PublicKey, bs.KeyFingerprint = sign.EncodePublic(key.Public()), key.Fingerprint()
		bs.Signature = base64.StdEncoding.EncodeToString(key.Sign(bs.message()))
		out, _ := json.Marshal(bs)
		return out
	}, nil)
}

func editNote(n string, d []byte) []byte {
	if n == "marks.json" {
		var ms []map[string]any
		_ = json.Unmarshal(d, &ms)
		ms[0]["Note"] = "经核查，该应用已取得用户同意"
		out, _ := json.Marshal(ms)
		return out
	}
	return d
}

func TestForgedBundles(t *testing.T) {
	ctx := context.Background()
	src, _ := openTestDB(t)
	c := fullCase(t, src)
	b := exportBytes(t, src, c.ID)
	srcKey, _ := sign.LoadOrCreate(src.Dir())
	forger, _ := sign.LoadOrCreate(t.TempDir())
	imp := func(t *testing.T, dst *DB, bundle []byte, opts ImportOptions) error {
		t.Helper()
		before := evidenceFiles(t, dst)
		_, err := dst.ImportBundle(ctx, bytes.NewReader(bundle), int64(len(bundle)), opts)
		if err != nil && evidenceFiles(t, dst) != before {
			t.Fatalf("refused import (%v) left evidence files: %d before, %d after", err, before, evidenceFiles(t, dst))
		}
		return err
	}

	t.Run("note edited, hashes recomputed", func(t *testing.T) {
		dst, _ := openTestDB(t)
		forged := rewrite(t, b, true, editNote, nil)
		if err := imp(t, dst, forged, trusting(t, src, "王五")); !errors.Is(err, cases.ErrBundleCorrupt) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("note edited, re-signed by another key", func(t *testing.T) {
		dst, _ := openTestDB(t)
		forged := resign(t, rewrite(t, b, true, editNote, nil), forger)
		err := imp(t, dst, forged, trusting(t, src, "王五"))
		var se *cases.SignerError
		if !errors.As(err, &se) || !errors.Is(err, cases.ErrUntrustedSigner) || se.Fingerprint != forger.Fingerprint() {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("signature removed", func(t *testing.T) {
		dst, _ := openTestDB(t)
		unsigned := rewrite(t, rewrite(t, b, true, editNote, nil), false, func(n string, d []byte) []byte {
			if n == "signature.json" {
				return nil
			}
			return d
		}, nil)
		if err := imp(t, dst, unsigned, ImportOptions{Actor: "王五"}); !errors.Is(err, cases.ErrUnsigned) {
			t.Fatalf("err = %v", err)
		}
		if err := imp(t, dst, unsigned, ImportOptions{Actor: "王五", AllowUnsigned: true}); err != nil {
			t.Fatalf("explicitly allowed unsigned bundle: %v", err)
		}
	})
	t.Run("unknown key needs explicit trust, then is remembered", func(t *testing.T) {
		dst, _ := openTestDB(t)
		err := imp(t, dst, b, ImportOptions{Actor: "王五"})
		var se *cases.SignerError
		if !errors.As(err, &se) || !sign.SameFingerprint(se.Fingerprint, srcKey.Fingerprint()) {
			t.Fatalf("err = %v", err)
		}
		var got BundleSigner
		if _, err := dst.ImportBundle(ctx, bytes.NewReader(b), int64(len(b)), ImportOptions{Actor: "王五",
			TrustFingerprint: strings.ToUpper(strings.ReplaceAll(se.Fingerprint, " ", ":")), Signer: func(s BundleSigner) { got = s }}); err != nil {
			t.Fatal(err)
		}
		if got.Known != "new" || got.Signer != "张三" || got.Head.Seq == 0 {
			t.Fatalf("signer %+v", got)
		}
		kr, _ := sign.LoadKeyring(dst.Dir())
		if !kr.Knows(srcKey.Public()) {
			t.Fatal("trusted key not remembered")
		}
	})
	t.Run("validly signed but invalid late: no orphan evidence", func(t *testing.T) {
		dst, _ := openTestDB(t)
		bad := resign(t, rewrite(t, b, true, func(n string, d []byte) []byte {
			if n == "marks.json" {
				return bytes.Replace(d, []byte(`"Severity":"high"`), []byte(`"Severity":"catastrophic"`), 1)
			}
			return d
		}, nil), srcKey)
		if err := imp(t, dst, bad, trusting(t, src, "王五")); !errors.Is(err, cases.ErrBundleCorrupt) {
			t.Fatalf("err = %v", err)
		}
		if n := evidenceFiles(t, dst); n != 0 {
			t.Fatalf("%d evidence files left", n)
		}
	})
	t.Run("expansion beyond the size-proportional limit", func(t *testing.T) {
		dst, _ := openTestDB(t)
		zeros := make([]byte, 48<<20)
		sha := sha256Hex(zeros)
		bomb := resign(t, rewrite(t, b, true, func(n string, d []byte) []byte { return d }, map[string][]byte{"evidence/" + sha + ".bin": zeros}), srcKey)
		err := imp(t, dst, bomb, trusting(t, src, "王五"))
		if !errors.Is(err, cases.ErrBundleCorrupt) || !strings.Contains(err.Error(), "may expand to") {
			t.Fatalf("%d-byte bundle of %d bytes: err = %v", len(bomb), len(zeros), err)
		}
	})
}

func TestStaleIncomingRemovedOnOpen(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "evidence")
	if err := os.MkdirAll(ev, 0o700); err != nil {
		t.Fatal(err)
	}
	// Left by a process killed in the middle of an import (nobody holds it), and one another
	// process is writing right now (it holds the writer's lock).
	stale := filepath.Join(ev, incomingPrefix+"123")
	if err := os.WriteFile(stale, make([]byte, 1024), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	writing, err := os.CreateTemp(ev, incomingPrefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	defer writing.Close()
	lockWriting(writing)
	db, err := Open(context.Background(), filepath.Join(dir, "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := os.Stat(stale); err == nil || db.Cleaned != 1 {
		t.Fatalf("leftover .incoming file kept (cleaned %d)", db.Cleaned)
	}
	if _, err := os.Stat(writing.Name()); err != nil {
		t.Fatal("a .incoming file another process is writing was removed")
	}
}

func TestPutEvidenceLimit(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "limit")
	_, _, _, err := db.storeBlob(ctx, io.LimitReader(zeroReader{}, 2048), 1024, nil)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if n := evidenceFiles(t, db); n != 0 {
		t.Fatalf("%d files left", n)
	}
	_ = c
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestTornAnchorLineIsNotTampering(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "torn")
	path := filepath.Join(db.Dir(), AnchorFile)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"v":1,"at":"2025-`) // power lost in the middle of an append
	f.Close()
	rep := verify(t, db)
	if !rep.OK() || !rep.Anchor.Torn {
		t.Fatalf("torn last line: ok=%v %+v", rep.OK(), rep.Anchor)
	}
	// The next append starts on a new line and is checked as usual.
	if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/13", Verdict: cases.VerdictCompliant, Inspector: "张三"}); err != nil {
		t.Fatal(err)
	}
	rep = verify(t, db)
	head, _ := db.ChainHead(ctx)
	if !rep.OK() || !rep.Anchor.Torn || rep.Anchor.LastSeq != head.Seq {
		t.Fatalf("after the torn line: %+v", rep.Anchor)
	}
}

func TestKilledImportEvidenceRemovedOnOpen(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := newCase(t, db, "journal")
	kept, err := db.PutEvidence(ctx, c.ID, cases.EvidenceOther, "kept.txt", strings.NewReader("referenced"), cases.EvidenceMeta{Actor: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	// An import killed after storing one new file (and one a row already names), before its commit.
	orphan, _, _, err := db.storeBlob(ctx, strings.NewReader("stored by the killed import"), -1, nil)
	if err != nil {
		t.Fatal(err)
	}
	j := filepath.Join(db.Dir(), "evidence", journalPrefix+"999")
	if err := os.WriteFile(j, []byte(orphan+"\n"+kept.SHA256+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rep := verify(t, db); len(rep.Unreferenced) != 1 {
		t.Fatalf("setup: unreferenced %v", rep.Unreferenced)
	}
	_ = db.Close()
	db2, err := Open(ctx, db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := os.Stat(db2.EvidencePath(orphan)); err == nil || db2.Cleaned != 1 {
		t.Fatalf("the killed import's evidence file was kept (cleaned %d)", db2.Cleaned)
	}
	if _, err := os.Stat(db2.EvidencePath(kept.SHA256)); err != nil {
		t.Fatal("a referenced evidence file was removed")
	}
	if _, err := os.Stat(j); err == nil {
		t.Fatal("journal kept")
	}
	if rep := verify(t, db2); len(rep.Unreferenced) != 0 || len(rep.Evidence) != 0 {
		t.Fatalf("after cleanup: %+v %+v", rep.Unreferenced, rep.Evidence)
	}
}
