package app

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestSigningKeyMadeOnFirstRun(t *testing.T) {
	data := t.TempDir()
	s, err := NewService(Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	fp := s.KeyFingerprint()
	s.Close()
	fi, err := os.Stat(filepath.Join(data, "keys", "signing.key"))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("private key mode %v", fi.Mode().Perm())
	}
	s, err = NewService(Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fp == "" || s.KeyFingerprint() != fp {
		t.Fatalf("fingerprint changed between runs: %q %q", fp, s.KeyFingerprint())
	}
}
