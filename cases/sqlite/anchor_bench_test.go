package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
)

// BenchmarkSetMark measures one audited write with and without the signed anchor append (one
// more fsync and an Ed25519 signature per transaction).
func BenchmarkSetMark(b *testing.B) {
	for _, anchored := range []bool{false, true} {
		b.Run(fmt.Sprintf("anchored=%v", anchored), func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(ctx, filepath.Join(b.TempDir(), "cases.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if anchored {
				k, err := sign.LoadOrCreate(db.Dir())
				if err != nil {
					b.Fatal(err)
				}
				if err := db.SetSigner(ctx, k); err != nil {
					b.Fatal(err)
				}
			}
			c := newCase(b, db, "bench")
			i := 0
			for b.Loop() {
				i++
				if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/13", Verdict: cases.VerdictCompliant, Note: fmt.Sprint(i), Inspector: "张三"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyAnchored verifies a store of 2,000 anchored transactions.
func BenchmarkVerifyAnchored(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "cases.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	k, _ := sign.LoadOrCreate(db.Dir())
	if err := db.SetSigner(ctx, k); err != nil {
		b.Fatal(err)
	}
	c := newCase(b, db, "bench")
	for i := range 2000 {
		if _, err := db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: fmt.Sprintf("pipl/%d", i%70), Verdict: cases.VerdictCompliant, Inspector: "张三"}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		rep, err := db.Verify(ctx)
		if err != nil || !rep.OK() {
			b.Fatal(err, rep)
		}
	}
}
