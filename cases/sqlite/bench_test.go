package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
)

const (
	benchCases = 10000
	benchMarks = 50
)

var (
	benchOnce sync.Once
	benchDB   *DB
	benchErr  error
	benchDir  string
)

// benchStore builds, once per test process, a store with 10,000 cases of 50 marks each. Rows are
// inserted in bulk (the benchmarks measure reads, not audited writes).
func benchStore(b *testing.B) *DB {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "appinspect-bench-")
		if benchErr != nil {
			return
		}
		ctx := context.Background()
		if benchDB, benchErr = Open(ctx, filepath.Join(benchDir, "cases.db")); benchErr != nil {
			return
		}
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		benchErr = benchDB.write(ctx, func(tx *sql.Tx) error {
			for s := 1; s <= 100; s++ {
				kind := cases.SubjectKinds[s%len(cases.SubjectKinds)]
				if _, err := tx.ExecContext(ctx, `INSERT INTO subjects(id, kind, name, created, updated) VALUES(?,?,?,?,?)`, s, kind, fmt.Sprintf("公司%03d", s), ts(start), ts(start)); err != nil {
					return err
				}
			}
			caseStmt, err := tx.PrepareContext(ctx, `INSERT INTO cases(id, uid, number, source, subject_id, inspectors, app_package, app_name, status, notes, rectification_days, created, updated, deadline)
				VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
			if err != nil {
				return err
			}
			markStmt, err := tx.PrepareContext(ctx, `INSERT INTO marks(case_id, version_id, item_id, verdict, severity, note, updated) VALUES(?,0,?,?,?,?,?)`)
			if err != nil {
				return err
			}
			for i := 1; i <= benchCases; i++ {
				status := cases.Statuses[i%len(cases.Statuses)]
				deadline := ""
				if status == cases.StatusNoticeIssued {
					deadline = start.AddDate(0, 0, i%300).Format(time.DateOnly)
				}
				created := ts(start.Add(time.Duration(i) * time.Minute))
				if _, err := caseStmt.ExecContext(ctx, i, fmt.Sprintf("%032x", i), fmt.Sprintf("〔2025〕第%05d号", i), cases.SourceRoutine, 1+i%100,
					fmt.Sprintf(`["检查员%d"]`, i%20), fmt.Sprintf("com.app%d.android", i), fmt.Sprintf("应用%d", i), status,
					fmt.Sprintf("案件备注 %d 涉及定位与通讯录", i), 10, created, created, deadline); err != nil {
					return err
				}
				for m := 0; m < benchMarks; m++ {
					if _, err := markStmt.ExecContext(ctx, i, fmt.Sprintf("pipl/%d", m), cases.Verdicts[m%4], cases.SeverityLow, "备注", created); err != nil {
						return err
					}
				}
				if err := reindexCase(ctx, tx, int64(i)); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		_ = benchDB.Close()
		_ = os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func BenchmarkListCasesFilter(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	f := cases.Filter{Statuses: []cases.Status{cases.StatusNoticeIssued, cases.StatusRectified}, SubjectKind: cases.AppOperator, Limit: 50}
	for b.Loop() {
		cs, err := db.ListCases(ctx, f)
		if err != nil || len(cs) != 50 {
			b.Fatal(len(cs), err)
		}
	}
}

func BenchmarkListCasesInspector(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	for b.Loop() {
		cs, err := db.ListCases(ctx, cases.Filter{Inspector: "检查员7", Limit: 50})
		if err != nil || len(cs) != 50 {
			b.Fatal(len(cs), err)
		}
	}
}

func BenchmarkListCasesText(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	for b.Loop() {
		cs, err := db.ListCases(ctx, cases.Filter{Query: "com.app999", Limit: 50})
		if err != nil || len(cs) == 0 {
			b.Fatal(len(cs), err)
		}
	}
}

func BenchmarkOverdue(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := db.Overdue(ctx, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenCase loads what the case screen shows: the case, its marks, versions, evidence and
// events.
func BenchmarkOpenCase(b *testing.B) {
	db := benchStore(b)
	ctx := context.Background()
	id := int64(1)
	for b.Loop() {
		id = id%benchCases + 7
		if _, err := db.Case(ctx, id); err != nil {
			b.Fatal(err)
		}
		ms, err := db.Marks(ctx, id)
		if err != nil || len(ms) != benchMarks {
			b.Fatal(len(ms), err)
		}
		if _, err := db.Versions(ctx, id); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Evidence(ctx, id); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Events(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
}
