//go:build !unix

package sqlite

import (
	"os"
	"time"
)

func lockWriting(*os.File) {}

// abandoned: without advisory locks, a temporary file not modified for staleIncoming belongs to a
// killed process (a writer modifies it continuously).
func abandoned(_ string, fi os.FileInfo) bool { return time.Since(fi.ModTime()) >= staleIncoming }
