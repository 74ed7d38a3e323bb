package sqlite

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
)

// fullCase builds a case with evidence, two versions, marks and events.
func fullCase(t *testing.T, db *DB) *cases.Case {
	t.Helper()
	ctx := context.Background()
	c := newCase(t, db, "bundle")
	apk, err := db.PutEvidence(ctx, c.ID, cases.EvidenceAPK, "app.apk", strings.NewReader("PK fake apk"), cases.EvidenceMeta{Actor: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := db.AddVersion(ctx, c.ID, cases.VersionInput{VersionName: "1.0", APKSHA256: apk.SHA256, PolicyText: "隐私政策全文", Actor: "张三",
		Candidates: json.RawMessage(`{"candidates":[{"rule":"r1","articles":["pipl/13"]}]}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{VersionID: v1.ID, ItemID: "pipl/13", Verdict: cases.VerdictViolation, Severity: cases.SeverityHigh,
		Evidence: []string{apk.SHA256}, Citation: json.RawMessage(`{"a":1}`), Inspector: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddVersion(ctx, c.ID, cases.VersionInput{VersionName: "1.1", Actor: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Transition(ctx, c.ID, cases.StatusNoticeIssued, "张三", "下发", cst("2025-09-28")); err != nil {
		t.Fatal(err)
	}
	return c
}

func exportBytes(t *testing.T, db *DB, id int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := db.ExportBundle(context.Background(), id, "张三", &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBundleRoundTrip(t *testing.T) {
	ctx := context.Background()
	src, _ := openTestDB(t)
	c := fullCase(t, src)
	b := exportBytes(t, src, c.ID)

	dst, _ := openTestDB(t)
	id, err := dst.ImportBundle(ctx, bytes.NewReader(b), int64(len(b)), trusting(t, src, "王五"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := dst.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.UID != c.UID || got.Number != c.Number || got.Subject.Name != c.Subject.Name || got.Deadline.IsZero() || got.Status != cases.StatusNoticeIssued {
		t.Fatalf("imported case %+v", got)
	}
	srcMarks, _ := src.Marks(ctx, c.ID)
	dstMarks, _ := dst.Marks(ctx, id)
	if len(srcMarks) != len(dstMarks) || len(dstMarks) != 2 || dstMarks[0].Verdict != cases.VerdictViolation || string(dstMarks[0].Citation) != `{"a":1}` {
		t.Fatalf("marks %+v", dstMarks)
	}
	vs, _ := dst.Versions(ctx, id)
	if len(vs) != 2 || dstMarks[1].VersionID != vs[1].ID || !dstMarks[1].NeedsReview {
		t.Fatalf("versions %+v marks %+v", vs, dstMarks)
	}
	if evs, _ := dst.Events(ctx, id); len(evs) != 1 {
		t.Fatalf("events %v", evs)
	}
	if hits, _ := dst.ListCases(ctx, cases.Filter{Query: "隐私政策全文"}); len(hits) != 1 {
		t.Fatal("imported policy text not indexed")
	}
	mustVerifyOK(t, dst)
	// Importing it again is refused; nothing changes.
	if _, err := dst.ImportBundle(ctx, bytes.NewReader(b), int64(len(b)), trusting(t, src, "王五")); !errors.Is(err, cases.ErrExists) {
		t.Fatalf("second import: %v", err)
	}
	// Re-export of the import is a valid bundle too.
	_ = exportBytes(t, dst, id)
}

// rewrite copies a bundle, letting edit change or drop entries (return nil to drop) and optionally
// fixing hashes.json afterwards.
func rewrite(t *testing.T, b []byte, fixHashes bool, edit func(name string, data []byte) []byte, extra map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name != "hashes.json" {
			data = edit(f.Name, data)
		}
		if data != nil {
			entries[f.Name] = data
			order = append(order, f.Name)
		}
	}
	for n, d := range extra {
		entries[n] = d
		order = append([]string{n}, order...)
	}
	if fixHashes {
		h := map[string]string{}
		for n, d := range entries {
			if n != "hashes.json" && n != "signature.json" {
				h[n] = sha256Hex(d)
			}
		}
		entries["hashes.json"], _ = json.Marshal(h)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, n := range order {
		if entries[n] == nil {
			continue
		}
		w, _ := zw.Create(n)
		_, _ = w.Write(entries[n])
	}
	_ = zw.Close()
	return out.Bytes()
}

func TestBundleRefused(t *testing.T) {
	ctx := context.Background()
	src, _ := openTestDB(t)
	c := fullCase(t, src)
	b := exportBytes(t, src, c.ID)
	same := func(_ string, d []byte) []byte { return d }
	tests := []struct {
		name   string
		bundle []byte
		want   error
	}{
		{"evidence byte flipped", rewrite(t, b, false, func(n string, d []byte) []byte {
			if strings.HasPrefix(n, "evidence/") {
				d = append([]byte(nil), d...)
				d[0] ^= 1
			}
			return d
		}, nil), cases.ErrBundleCorrupt},
		{"evidence replaced with matching hashes.json", rewrite(t, b, true, func(n string, d []byte) []byte {
			if strings.HasPrefix(n, "evidence/") {
				return []byte("other content")
			}
			return d
		}, nil), cases.ErrBundleCorrupt},
		{"marks edited", rewrite(t, b, false, func(n string, d []byte) []byte {
			if n == "marks.json" {
				return bytes.Replace(d, []byte("violation"), []byte("compliant"), 1)
			}
			return d
		}, nil), cases.ErrBundleCorrupt},
		{"path traversal", rewrite(t, b, true, same, map[string][]byte{"../../evil.sh": []byte("x")}), cases.ErrBundleCorrupt},
		{"absolute name", rewrite(t, b, true, same, map[string][]byte{"/etc/passwd": []byte("x")}), cases.ErrBundleCorrupt},
		{"missing case.json", rewrite(t, b, true, func(n string, d []byte) []byte {
			if n == "case.json" {
				return nil
			}
			return d
		}, nil), cases.ErrBundleCorrupt},
		{"not a zip", []byte("hello"), cases.ErrBundleCorrupt},
		// Hashes match, but the last mark is invalid: the transaction must roll back entirely.
		{"invalid mark late in the import", rewrite(t, b, true, func(n string, d []byte) []byte {
			if n == "marks.json" {
				i := bytes.LastIndex(d, []byte(`"Severity":"high"`))
				return append(append(append([]byte(nil), d[:i]...), `"Severity":"catastrophic"`...), d[i+len(`"Severity":"high"`):]...)
			}
			return d
		}, nil), cases.ErrBundleCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst, _ := openTestDB(t)
			count := func(table string) int {
				var n int
				if err := dst.r.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			tables := []string{"cases", "subjects", "marks", "case_versions", "evidence", "case_events", "audit_log"}
			before := map[string]int{}
			for _, table := range tables {
				before[table] = count(table)
			}
			_, err := dst.ImportBundle(ctx, bytes.NewReader(tt.bundle), int64(len(tt.bundle)), trusting(t, src, "王五"))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			for _, table := range tables {
				if n := count(table); n != before[table] {
					t.Fatalf("%s has %d rows after a refused import, %d before", table, n, before[table])
				}
			}
			if n := evidenceFiles(t, dst); n != 0 {
				t.Fatalf("a refused import left %d evidence files", n)
			}
			if matches, _ := filepath.Glob(filepath.Join(dst.Dir(), "..", "..", "evil.sh")); len(matches) > 0 {
				t.Fatal("traversal wrote a file")
			}
		})
	}
}

// trusting returns import options that trust the signing key of src's data directory.
func trusting(t testing.TB, src *DB, actor string) ImportOptions {
	t.Helper()
	k, err := sign.LoadOrCreate(src.Dir())
	if err != nil {
		t.Fatal(err)
	}
	return ImportOptions{Actor: actor, TrustFingerprint: k.Fingerprint()}
}

// evidenceFiles counts the files under the evidence directory (stored blobs and temporaries).
func evidenceFiles(t testing.TB, db *DB) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(filepath.Join(db.Dir(), "evidence"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}
