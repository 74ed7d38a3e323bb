//go:build unix

package inspect

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/appinspect/appinspect/inspect/apk"
)

// TestScanRefusesSpecialFiles: a FIFO (opening it would block), /dev/zero
// (never ends) and a directory are refused at once, naming the file.
func TestScanRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.apk")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, "/dev/zero", dir} {
		done := make(chan error, 1)
		go func() {
			_, err := Scan(context.Background(), p, Options{NoDetect: true})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), p) {
				t.Errorf("%s: %v, want ErrNotRegular naming the file", p, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: scan still running after 10 s", p)
		}
		if _, err := apk.Open(p, apk.Limits{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("apk.Open(%s) = %v", p, err)
		}
	}
}
