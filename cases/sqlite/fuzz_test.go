package sqlite

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/appinspect/appinspect/cases"
)

// FuzzImportBundle feeds arbitrary bytes to ImportBundle: it must never panic, and anything it
// refuses must leave no case behind.
func FuzzImportBundle(f *testing.F) {
	src, _ := openTestDB(f)
	c := newCase(f, src, "fuzz")
	var buf bytes.Buffer
	if err := src.ExportBundle(context.Background(), c.ID, "张三", &buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	db, _ := openTestDB(f)
	opts := trusting(f, src, "fuzz")
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx := context.Background()
		before, _ := db.CountCases(ctx, cases.Filter{})
		_, err := db.ImportBundle(ctx, bytes.NewReader(b), int64(len(b)), opts)
		after, _ := db.CountCases(ctx, cases.Filter{})
		if err != nil && after != before {
			t.Fatalf("refused import changed the case count %d → %d", before, after)
		}
		if err != nil {
			if n := evidenceFiles(t, db); n != 0 && after == 0 {
				t.Fatalf("refused import left %d evidence files", n)
			}
		}
		if err != nil && !errors.Is(err, cases.ErrBundleCorrupt) && !errors.Is(err, cases.ErrExists) && !errors.Is(err, cases.ErrUnsigned) && !errors.Is(err, cases.ErrUntrustedSigner) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
