// Package sqlite is the case store of AppInspect: one SQLite database (modernc.org/sqlite, pure
// Go) plus content-addressed evidence files beside it. Every change runs in one transaction that
// also appends to a hash-chained audit log; Verify proves the chain, the audited rows and the
// evidence files intact.
//
// Layout of the data directory: cases.db (with -wal/-shm), evidence/ab/abcdef….bin.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sign"
	_ "modernc.org/sqlite" // driver "sqlite"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open case store. It is safe for concurrent use; several DB values (the GUI and the
// CLI, in two processes) may use the same file at once: writers take the write lock at BEGIN
// (BEGIN IMMEDIATE) and wait up to the busy timeout.
type DB struct {
	// Now is the clock; tests replace it. It must be set before concurrent use.
	Now func() time.Time
	// Cleaned is how many files of killed imports Open removed: temporary evidence files, and
	// evidence files an import stored but never committed.
	Cleaned int
	// cal computes deadlines (see Calendar and SetCalendar).
	cal atomic.Pointer[cases.Calendar]

	w, r *sql.DB
	path string
	dir  string

	// signer signs the anchor lines (see SetSigner); pending maps a write transaction to the
	// newest audit entry it wrote; anchorErr keeps the last failed anchor append.
	signer    atomic.Pointer[sign.Key]
	pending   sync.Map
	anchorErr atomic.Pointer[error]
}

// busyTimeout is how long a writer waits for another writer (GUI and CLI at once).
const busyTimeout = 10 * time.Second

// Open opens or creates the database at path (its directory is the data directory and is created
// when missing) and applies pending migrations, each in its own transaction. It returns
// cases.ErrNewerSchema, without writing, when the database has a migration this binary does not
// know.
func Open(ctx context.Context, path string) (*DB, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cases/sqlite: open: %w", err)
	}
	migs, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	cal, err := cases.LoadCalendar(dir)
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: open: %w", err)
	}
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	base := "file:" + esc + "?_pragma=busy_timeout(" + strconv.Itoa(int(busyTimeout/time.Millisecond)) + ")" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	db := &DB{Now: time.Now, path: path, dir: dir}
	db.cal.Store(cal)
	// The writer handle: one connection, BEGIN IMMEDIATE, WAL set on first open.
	if db.w, err = sql.Open("sqlite", base+"&_pragma=journal_mode(WAL)&_txlock=immediate"); err != nil {
		return nil, fmt.Errorf("cases/sqlite: open: %w", err)
	}
	db.w.SetMaxOpenConns(1)
	if err := db.checkSchema(ctx, migs); err != nil {
		_ = db.w.Close()
		return nil, err
	}
	if err := db.migrate(ctx, migs); err != nil {
		_ = db.w.Close()
		return nil, err
	}
	// The reader pool: deferred transactions see a consistent WAL snapshot without blocking writers.
	if db.r, err = sql.Open("sqlite", base+"&_pragma=query_only(1)"); err != nil {
		_ = db.w.Close()
		return nil, fmt.Errorf("cases/sqlite: open: %w", err)
	}
	db.r.SetMaxOpenConns(4)
	db.Cleaned = cleanIncoming(dir) + db.cleanJournals(ctx)
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	err := db.r.Close()
	if err2 := db.w.Close(); err == nil {
		err = err2
	}
	return err
}

// Path returns the database file path.
func (db *DB) Path() string { return db.path }

// Dir returns the data directory (the directory of the database file).
func (db *DB) Dir() string { return db.dir }

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	ents, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("cases/sqlite: migrations: %w", err)
	}
	var ms []migration
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("cases/sqlite: migration %q: name must start with a number", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("cases/sqlite: migrations: %w", err)
		}
		ms = append(ms, migration{v, e.Name(), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("cases/sqlite: migration %s: numbers must run 1, 2, 3…", m.name)
		}
	}
	return ms, nil
}

// checkSchema refuses a database migrated by a newer binary, before anything is written.
func (db *DB) checkSchema(ctx context.Context, migs []migration) error {
	var n int
	if err := db.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_migrations'`).Scan(&n); err != nil {
		return fmt.Errorf("cases/sqlite: open: %w", err)
	}
	if n == 0 {
		return nil
	}
	var max sql.NullInt64
	if err := db.w.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&max); err != nil {
		return fmt.Errorf("cases/sqlite: open: %w", err)
	}
	if int(max.Int64) > len(migs) {
		return fmt.Errorf("cases/sqlite: open: database has migration %d, this program knows %d: %w", max.Int64, len(migs), cases.ErrNewerSchema)
	}
	return nil
}

func (db *DB) migrate(ctx context.Context, migs []migration) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("cases/sqlite: migrate: %w", err)
	}
	for _, m := range migs {
		err := db.write(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version=?`, m.version).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied) VALUES(?,?,?)`, m.version, m.name, ts(db.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("cases/sqlite: migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// write runs fn in one write transaction (BEGIN IMMEDIATE).
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		db.anchorAfterCommit(tx, false)
		return err
	}
	err = tx.Commit()
	db.anchorAfterCommit(tx, err == nil)
	return err
}

// read runs fn in one read transaction: a consistent snapshot.
func (db *DB) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	return fn(tx)
}

// tsLayout is fixed-width so that text order is time order.
const tsLayout = "2006-01-02T15:04:05.000000000Z"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

func parseTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(tsLayout, s)
	return t
}

// date formats the China civil date of t; zero time gives "".
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return cases.CivilDate(t).Format(time.DateOnly)
}

func parseDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.ParseInLocation(time.DateOnly, s, cases.ChinaTime)
	return t
}

func newUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

func notFound(what string, id any) error {
	return fmt.Errorf("cases/sqlite: %s %v: %w", what, id, cases.ErrNotFound)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Calendar returns the working-day calendar deadlines are computed with:
// the embedded one overridden by the data directory's holidays_cn.json.
func (db *DB) Calendar() *cases.Calendar { return db.cal.Load() }

// SetCalendar replaces the calendar, for example after the user imported a
// new holiday file; it is safe while other goroutines use the store.
func (db *DB) SetCalendar(c *cases.Calendar) {
	if c != nil {
		db.cal.Store(c)
	}
}
