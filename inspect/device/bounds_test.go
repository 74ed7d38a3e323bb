//go:build unix

package device

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOutputLimit: an adb that prints forever is stopped at the limit.
func TestOutputLimit(t *testing.T) {
	f := newFake(t)
	f.rule("-", "devices -l", "flood")
	f.adb.MaxOutput = 4 << 20
	start := time.Now()
	_, err := f.adb.Devices(context.Background())
	if !errors.Is(err, ErrOutputLimit) {
		t.Fatalf("err = %v, want ErrOutputLimit", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestStderrFloodIsCapped: endless stderr is dropped beyond 1 MiB; the call
// ends at its timeout instead of filling memory.
func TestStderrFloodIsCapped(t *testing.T) {
	f := newFake(t)
	f.rule("-", "devices -l", "floodstderr")
	f.adb.Timeout = 500 * time.Millisecond
	_, err := f.adb.Devices(context.Background())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTimeout) || len(e.Msg) > 1<<20 {
		t.Fatalf("err = %v, want ErrTimeout with a bounded message", err)
	}
}

// TestTimeoutKillsTree: a hung adb's child does not outlive the timeout.
func TestTimeoutKillsTree(t *testing.T) {
	f := newFake(t)
	pidFile := filepath.Join(f.dir, "child.pid")
	f.rule("-", "devices -l", "child:"+pidFile, "sleep:60000")
	f.adb.Timeout = time.Second
	_, err := f.adb.Devices(context.Background())
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	b, rerr := os.ReadFile(pidFile)
	if rerr != nil {
		t.Fatal(rerr)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	deadline := time.Now().Add(5 * time.Second)
	for {
		// The child is reaped by init once killed; signal 0 tells whether it
		// still exists (a zombie still counts, so check its state too).
		err := syscall.Kill(pid, 0)
		st, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || strings.Contains(string(st), ") Z ") {
			return
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("child %d of the timed-out adb is still running", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
