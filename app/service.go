package app

import (
	"context"
	"fmt"
	"io"

	"github.com/appinspect/appinspect/inspect"
)

// Service is the application layer behind the GUI: every use case the
// workstation offers, with no Fyne in it.
type Service struct {
	dataDir string
}

// NewService opens the application's data in dataDir ("" = the default data
// directory).
func NewService(dataDir string) (*Service, error) {
	dir, err := DataDir(dataDir)
	if err != nil {
		return nil, err
	}
	return &Service{dataDir: dir}, nil
}

// Close releases what the service holds.
func (s *Service) Close() error { return nil }

// DataDir returns the directory the service keeps its data in.
func (s *Service) DataDir() string { return s.dataDir }

// Scan scans one APK, APKS or XAPK file.
func (s *Service) Scan(ctx context.Context, path string, progress func(inspect.Progress)) (*inspect.Result, error) {
	det, err := DetectorFor(&Env{DataDir: s.dataDir}, "")
	if err != nil {
		return nil, err
	}
	return inspect.Scan(ctx, path, inspect.Options{Progress: progress, Detector: det})
}

// SplitArgs tells the command line from a GUI start: it strips global flags
// (--data-dir) and reports whether a subcommand follows.
func SplitArgs(args []string) (rest []string, dataDir string, isCLI bool) {
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--data-dir" && len(args) > 1:
			dataDir, args = args[1], args[2:]
			continue
		case len(a) > len("--data-dir=") && a[:len("--data-dir=")] == "--data-dir=":
			dataDir, args = a[len("--data-dir="):], args[1:]
			continue
		}
		break
	}
	return args, dataDir, len(args) > 0
}

// Fail prints err and returns the exit status for a failure.
func Fail(stdio IO, err error) int {
	fmt.Fprintf(stdio.Err, "appinspect: %v\n", err)
	return ExitPartial
}

var _ io.Closer = (*Service)(nil)
