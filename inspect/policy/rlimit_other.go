//go:build !unix

package policy

import "time"

// limitCPU does nothing here: the parent's wall-time limit still applies.
func limitCPU(time.Duration) {}
