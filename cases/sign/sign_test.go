package sign

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestLoadOrCreate(t *testing.T) {
	dir := t.TempDir()
	k, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyDir, PrivateFile))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("private key mode %v", fi.Mode().Perm())
	}
	if runtime.GOOS != "windows" {
		_ = os.Chmod(filepath.Join(dir, KeyDir, PrivateFile), 0o644)
	}
	k2, err := LoadOrCreate(dir)
	if fi, _ := os.Stat(filepath.Join(dir, KeyDir, PrivateFile)); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("widened key mode kept: %v", fi.Mode().Perm())
	}
	if err != nil || k2.Fingerprint() != k.Fingerprint() {
		t.Fatalf("second load: %v %q %q", err, k2.Fingerprint(), k.Fingerprint())
	}
	if fp := k.Fingerprint(); len(fp) != 49 || strings.Count(fp, " ") != 9 {
		t.Errorf("fingerprint %q", fp)
	}
	msg := []byte("整改通知书")
	sig := k.Sign(msg)
	if !Verify(k.Public(), msg, sig) || Verify(k.Public(), []byte("改过"), sig) {
		t.Error("signature check")
	}
	pub, err := LoadPublic(dir)
	if err != nil || !pub.Equal(k.Public()) {
		t.Fatalf("public key file: %v", err)
	}
}

func TestDamagedKeyIsNotReplaced(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadOrCreate(dir); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, KeyDir, PrivateFile)
	if err := os.WriteFile(p, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreate(dir); !errors.Is(err, ErrBadKey) || !strings.Contains(err.Error(), p) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "garbage" {
		t.Fatal("damaged key file was overwritten")
	}
}

func TestTrust(t *testing.T) {
	dir := t.TempDir()
	own, _ := LoadOrCreate(dir)
	other, _ := LoadOrCreate(t.TempDir())
	kr, err := LoadKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := kr.Who(own.Public()); w != "own" || kr.Knows(other.Public()) {
		t.Fatal("keyring before trust")
	}
	if err := kr.Trust(other.Public(), "某检测机构", time.Now()); err != nil {
		t.Fatal(err)
	}
	kr2, err := LoadKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	if w, label := kr2.Who(other.Public()); w != "trusted" || label != "某检测机构" {
		t.Fatalf("after trust: %q %q", w, label)
	}
	if !SameFingerprint(strings.ToUpper(strings.ReplaceAll(other.Fingerprint(), " ", ":")), other.Fingerprint()) || SameFingerprint("", "") {
		t.Error("fingerprint comparison")
	}
}

func TestNewKeyKeepsPreviousPublicKey(t *testing.T) {
	dir := t.TempDir()
	old, _ := LoadOrCreate(dir)
	// A backup carries signing.pub without the private key.
	if err := os.Remove(filepath.Join(dir, KeyDir, PrivateFile)); err != nil {
		t.Fatal(err)
	}
	k, err := LoadOrCreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if k.Fingerprint() == old.Fingerprint() {
		t.Fatal("same key")
	}
	kr, _ := LoadKeyring(dir)
	if w, label := kr.Who(old.Public()); w != "trusted" || label != PreviousKeyLabel {
		t.Fatalf("previous key: %q %q", w, label)
	}
	if w, _ := kr.Who(k.Public()); w != "own" {
		t.Fatal("new key not own")
	}
}
