package device

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

var localNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._\-]*\.apk$`)

// Pull copies every APK of pkg (base and splits, from `pm path`) into
// destDir and returns the local paths, base.apk first. Files are pulled
// with `adb pull` into a hidden temporary directory inside destDir, their
// sizes checked against `stat -c %s` on the device, and only renamed into
// destDir once all succeeded: on any failure, cancellation or unplug no
// file is left behind (an existing file of the same name is replaced only
// on success). progress, when not nil, is called from one goroutine at a
// time with the bytes done and the total (-1 when the device did not report
// sizes), about five times a second.
func (a *ADB) Pull(ctx context.Context, serial, pkg, destDir string, progress func(done, total int64)) ([]string, error) {
	if !ValidPackage(pkg) {
		return nil, fmt.Errorf("device: pull %q: %w", pkg, ErrInvalidPackage)
	}
	serial, err := a.resolve(ctx, serial)
	if err != nil {
		return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
	}
	out, err := a.shell(ctx, nil, serial, "pm", "path", pkg)
	if err != nil {
		return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
	}
	remotes := ParsePMPath(out)
	if len(remotes) == 0 {
		return nil, fmt.Errorf("device: pull %s: %w", pkg, ErrNotInstalled)
	}
	names := make([]string, len(remotes))
	seen := map[string]bool{}
	for i, r := range remotes {
		if !validRemotePath(r) {
			return nil, fmt.Errorf("device: pull %s: path %q: %w", pkg, r, ErrBadOutput)
		}
		n := path.Base(r)
		if !localNameRE.MatchString(n) {
			return nil, fmt.Errorf("device: pull %s: file name %q: %w", pkg, n, ErrBadOutput)
		}
		if seen[n] {
			n = strconv.Itoa(i) + "_" + n
		}
		seen[n] = true
		names[i] = n
	}
	sizes := make([]int64, len(remotes))
	var total int64
	st, err := a.shell(ctx, nil, serial, append([]string{"stat", "-c", "%s"}, remotes...)...)
	if err != nil && fatal(err) {
		return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
	}
	fields := strings.Fields(string(st))
	if err == nil && len(fields) == len(remotes) {
		for i, f := range fields {
			n, perr := strconv.ParseInt(f, 10, 64)
			if perr != nil || n < 0 {
				total = -1
				break
			}
			sizes[i] = n
			total += n
		}
	} else {
		total = -1
	}
	if total < 0 {
		for i := range sizes {
			sizes[i] = -1
		}
	}
	if err := os.MkdirAll(destDir, 0o755); err != nil {
		return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
	}
	tmp, err := os.MkdirTemp(destDir, ".appinspect-pull-")
	if err != nil {
		return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
	}
	defer os.RemoveAll(tmp)

	var done int64
	report := func(n int64) {
		if progress != nil {
			progress(n, total)
		}
	}
	report(0)
	for i, r := range remotes {
		local := filepath.Join(tmp, names[i])
		stop := watchSize(local, func(n int64) { report(done + n) })
		_, err := a.run(ctx, call{serial: serial, args: []string{"pull", r, local}, long: true})
		stop()
		if err != nil {
			return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
		}
		fi, err := os.Stat(local)
		if err != nil {
			return nil, fmt.Errorf("device: pull %s: %s: %w", pkg, names[i], err)
		}
		if sizes[i] >= 0 && fi.Size() != sizes[i] {
			return nil, fmt.Errorf("device: pull %s: %s is %d bytes, device says %d: %w", pkg, names[i], fi.Size(), sizes[i], ErrBadOutput)
		}
		done += fi.Size()
		report(done)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
	}
	final := make([]string, len(names))
	for i, n := range names {
		dst := filepath.Join(destDir, n)
		if err := os.Rename(filepath.Join(tmp, n), dst); err != nil {
			for _, f := range final[:i] {
				_ = os.Remove(f)
			}
			return nil, fmt.Errorf("device: pull %s: %w", pkg, err)
		}
		final[i] = dst
	}
	return final, nil
}

// watchSize calls fn with the size of file every 200 ms until stop is
// called; stop waits for the watcher to end, so fn is never called after it.
func watchSize(file string, fn func(int64)) (stop func()) {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		var last int64 = -1
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				if fi, err := os.Stat(file); err == nil && fi.Size() != last {
					last = fi.Size()
					fn(last)
				}
			}
		}
	}()
	return func() { close(quit); wg.Wait() }
}
