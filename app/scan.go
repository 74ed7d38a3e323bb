package app

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/appinspect/appinspect/inspect"
)

// IsAppFile reports whether name has an extension AppInspect scans.
func IsAppFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".apk", ".apks", ".xapk":
		return true
	}
	return false
}

// ExpandInputs turns files and directories into the list of files to scan:
// a file is taken as given, a directory contributes every .apk, .apks and
// .xapk below it, sorted. Unreadable directories are reported in errs.
func ExpandInputs(args []string) (files []string, dirs bool, errs []error) {
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() {
			files = append(files, a) // a missing file is reported by the scan
			continue
		}
		dirs = true
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if !d.IsDir() && IsAppFile(p) {
				// A FIFO or device named *.apk is refused here, naming it,
				// rather than handed to a scan.
				if !d.Type().IsRegular() {
					if err := inspect.RegularFile(p, nil); err != nil {
						errs = append(errs, err)
						return nil
					}
				}
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	return files, dirs, errs
}

// BatchProgress is reported after each file of a batch scan.
type BatchProgress struct {
	Done, Total, Failed int
	File                string
}

// ScanBatch scans files with jobs workers and calls emit for every result as
// it completes (from one goroutine at a time, in completion order). It
// returns when every file is done or ctx is cancelled.
func ScanBatch(ctx context.Context, files []string, jobs int, opt inspect.Options, emit func(*inspect.Result, error), progress func(BatchProgress)) {
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	jobs = max(1, min(jobs, len(files)))
	work := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	done, failed := 0, 0
	for range jobs {
		wg.Go(func() {
			for f := range work {
				r, err := inspect.Scan(ctx, f, opt)
				mu.Lock()
				done++
				if err != nil {
					failed++
				}
				emit(r, err)
				if progress != nil {
					progress(BatchProgress{Done: done, Total: len(files), Failed: failed, File: f})
				}
				mu.Unlock()
			}
		})
	}
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		work <- f
	}
	close(work)
	wg.Wait()
}
