//go:build unix

package sqlite

import (
	"os"
	"syscall"
)

// lockWriting marks f as being written by this process (an exclusive advisory lock, released
// when the file is closed or the process dies).
func lockWriting(f *os.File) { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

// abandoned reports whether no live process holds the writer's lock on path.
func abandoned(path string, _ os.FileInfo) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
