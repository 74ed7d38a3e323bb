package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/sign"
	"github.com/appinspect/appinspect/cases/sqlite"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
)

// Service is the application layer behind the GUI and the command line
// (app/cli): every use case the workstation offers, with no Fyne in it and
// the only way to the case store.
type Service struct {
	dataDir string
	db      *sqlite.DB
	law     *law.Catalog
	det     *inspect.Detector
	log     *log.Logger
	logFile *os.File
	now     func() time.Time
	key     *sign.Key // the signing key of the data directory

	mu       sync.Mutex
	settings workspace.Settings
	adbFlag  string // Config.ADB (--adb on the command line); overrides the settings
}

// Config is what a Service is opened with: plain values, whatever front end
// (GUI, command line, test) gathered them.
type Config struct {
	// DataDir is the data directory; "" = APPINSPECT_DATA, else the OS
	// default.
	DataDir string
	// ADB is the adb binary to use (the --adb flag); "" = APPINSPECT_ADB,
	// the settings, $ANDROID_HOME/platform-tools, then PATH.
	ADB string
	// CatalogFile is an SDK catalog extension merged over the embedded
	// catalog; "" = sdk-catalog.json in the data directory when present.
	CatalogFile string
	// Now is the clock; nil = time.Now.
	Now func() time.Time
}

// NewService opens the application's data in cfg.DataDir: the case
// database, the regulation catalog with the user's imports, the holiday
// calendar and the settings. It creates the directory.
func NewService(cfg Config) (*Service, error) {
	dir, err := DataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	s := &Service{dataDir: dir, now: cfg.Now, adbFlag: cfg.ADB}
	if s.now == nil {
		s.now = time.Now
	}
	if s.settings, err = LoadSettings(dir); err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(filepath.Join(dir, "appinspect.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	s.logFile = lf
	s.log = log.New(lf, "", log.LstdFlags)
	if s.law, err = law.Open(filepath.Join(dir, "law")); err != nil {
		s.Close()
		return nil, err
	}
	if s.det, err = NewDetector(Config{DataDir: dir, CatalogFile: cfg.CatalogFile}); err != nil {
		s.Close()
		return nil, err
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "cases.db"))
	if err != nil {
		s.Close()
		return nil, err
	}
	s.db = db
	if db.Cleaned > 0 {
		s.Logf("removed %d temporary evidence files left by an interrupted import", db.Cleaned)
	}
	if s.key, err = sign.LoadOrCreate(dir); err != nil {
		s.Close()
		return nil, err
	}
	if err := db.SetSigner(context.Background(), s.key); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the database and the log file.
func (s *Service) Close() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.logFile != nil {
		errs = append(errs, s.logFile.Close())
	}
	return errors.Join(errs...)
}

var _ io.Closer = (*Service)(nil)

// DataDir returns the directory the service keeps its data in.
func (s *Service) DataDir() string { return s.dataDir }

// LogFile is where error details are written.
func (s *Service) LogFile() string { return filepath.Join(s.dataDir, "appinspect.log") }

// Logf writes a line to the log file.
func (s *Service) Logf(format string, args ...any) { s.log.Printf(format, args...) }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// Law is the regulation catalog.
func (s *Service) Law() *law.Catalog { return s.law }

// Settings returns the workstation settings.
func (s *Service) Settings() workspace.Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// SaveSettings validates and stores the settings. A new holiday calendar
// file is checked and copied into the data directory (holidays_cn.json,
// where the command line finds it too), and deadlines use it from now on.
func (s *Service) SaveSettings(st workspace.Settings) error {
	if st.HolidayFile != "" && st.HolidayFile != s.Settings().HolidayFile {
		if err := s.importHolidays(st.HolidayFile); err != nil {
			return err
		}
	}
	if err := SaveSettings(s.dataDir, st); err != nil {
		return err
	}
	s.mu.Lock()
	s.settings = st
	s.mu.Unlock()
	return nil
}

// inspector is the acting inspector: the one given, else the settings', else
// the OS user.
func (s *Service) inspector(given string) string {
	if given != "" {
		return given
	}
	if n := s.Settings().Inspector; n != "" {
		return n
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "inspector"
}

// Scan scans one APK, APKS or XAPK file without creating a case.
func (s *Service) Scan(ctx context.Context, path string, progress func(inspect.Progress)) (*inspect.Result, error) {
	return inspect.Scan(ctx, path, inspect.Options{Progress: progress, Detector: s.det})
}

// ScanDir scans every APK under dir (batch mode).
func (s *Service) ScanDir(ctx context.Context, dir string, result func(*inspect.Result, error), progress func(done, total int)) error {
	files, _, errs := ExpandInputs([]string{dir})
	if len(files) == 0 {
		if len(errs) > 0 {
			return errs[0]
		}
		return fmt.Errorf("%s: no .apk, .apks or .xapk files: %w", dir, cases.ErrNotFound)
	}
	ScanBatch(ctx, files, 0, inspect.Options{Detector: s.det}, result, func(p BatchProgress) {
		if progress != nil {
			progress(p.Done, p.Total)
		}
	})
	return ctx.Err()
}

// importHolidays validates a holiday calendar file (the embedded calendar's
// format) and installs it as the data directory's calendar override.
func (s *Service) importHolidays(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("holiday calendar: %w", err)
	}
	tmp, err := os.MkdirTemp("", "appinspect-holidays-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, cases.HolidayFileName), b, 0o644); err != nil {
		return err
	}
	cal, err := cases.LoadCalendar(tmp)
	if err != nil {
		return fmt.Errorf("holiday calendar %s: %w", path, err)
	}
	if err := writeFileAtomic(filepath.Join(s.dataDir, cases.HolidayFileName), b); err != nil {
		return err
	}
	s.db.SetCalendar(cal)
	return nil
}
