//go:build unix

package policy

import (
	"syscall"
	"time"
)

// limitCPU limits the CPU time of the current process (the PDF worker).
func limitCPU(d time.Duration) {
	cpu := uint64(d/time.Second) + 1
	syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: cpu, Max: cpu})
}
