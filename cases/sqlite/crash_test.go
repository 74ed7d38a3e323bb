package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
)

const crashEnv = "APPINSPECT_CRASH_CHILD_DB"

// TestCrashChild is the child writer of TestCrash: it writes cases with a mark and an event until
// killed, printing each case id after its transactions committed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("child process of TestCrash only")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	s, err := db.CreateSubject(ctx, cases.Subject{Kind: cases.AppOperator, Name: "崩溃测试"}, "child")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		c, err := db.CreateCase(ctx, cases.NewCase{Source: cases.SourceRoutine, SubjectID: s.ID, Notes: strings.Repeat("记录", 200), Actor: "child"})
		if err == nil {
			_, err = db.PutEvidence(ctx, c.ID, cases.EvidenceLog, "log.txt", strings.NewReader("log "+strconv.Itoa(i)+strings.Repeat("x", 5000)), cases.EvidenceMeta{Actor: "child"})
		}
		if err == nil {
			_, err = db.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/13", Verdict: cases.VerdictViolation, Severity: cases.SeverityLow, Inspector: "child"})
		}
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("committed", c.ID) // unbuffered: reaches the parent right after the commit
	}
}

// TestCrash kills a writer process with SIGKILL in the middle of its writes and checks that the
// database is intact and holds every write the child reported committed.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	path := filepath.Join(t.TempDir(), "cases.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var committed []int64
	sc := bufio.NewScanner(out)
	deadline := time.Now().Add(20 * time.Second)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "error") {
			t.Fatalf("child: %s", line)
		}
		if id, ok := strings.CutPrefix(line, "committed "); ok {
			n, _ := strconv.ParseInt(id, 10, 64)
			committed = append(committed, n)
			if len(committed) == 20 || time.Now().After(deadline) {
				_ = cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
	}
	// Lines printed between the last read and the kill may still be in the pipe.
	for sc.Scan() {
		if id, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			n, _ := strconv.ParseInt(id, 10, 64)
			committed = append(committed, n)
		}
	}
	_ = cmd.Wait()
	if len(committed) == 0 {
		t.Fatal("child committed nothing")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rep, err := db.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.IntegrityOK || len(rep.Chain) > 0 || len(rep.Rows) > 0 || len(rep.Evidence) > 0 || len(rep.Unreferenced) > 0 {
		t.Fatalf("after kill: %+v", rep)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "evidence", ".*")); len(left) > 0 {
		t.Fatalf("temporary files left after reopening: %v", left)
	}
	for _, id := range committed {
		c, err := db.Case(ctx, id)
		if err != nil {
			t.Fatalf("committed case %d lost: %v", id, err)
		}
		ms, _ := db.Marks(ctx, c.ID)
		ev, _ := db.Evidence(ctx, c.ID)
		if len(ms) != 1 || len(ev) != 1 {
			t.Fatalf("case %d: %d marks, %d evidence", id, len(ms), len(ev))
		}
	}
	// No case is half-written: every case row has its audit entry (checked by Verify) and a
	// number; the killed transaction left nothing.
	all, _ := db.ListCases(ctx, cases.Filter{})
	if len(all) < len(committed) {
		t.Fatalf("%d cases, %d committed", len(all), len(committed))
	}
	t.Logf("child killed after %d reported commits; %d cases on disk; %d leftovers removed on open", len(committed), len(all), db.Cleaned)
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	c := fullCase(t, db)
	dst := filepath.Join(t.TempDir(), "backup")
	if err := db.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, dst); err == nil {
		t.Fatal("backup into a non-empty directory")
	}
	b, err := Open(ctx, filepath.Join(dst, "cases.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mustVerifyOK(t, b)
	got, err := b.Case(ctx, c.ID)
	if err != nil || got.Number != c.Number {
		t.Fatalf("backup case: %v", err)
	}
	// A damaged source evidence file makes the backup fail, naming it.
	ev, _ := db.Evidence(ctx, c.ID)
	if err := os.WriteFile(db.EvidencePath(ev[0].SHA256), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = db.Backup(ctx, filepath.Join(t.TempDir(), "b2"))
	if err == nil || !strings.Contains(err.Error(), ev[0].SHA256) {
		t.Fatalf("backup of damaged evidence: %v", err)
	}
}
