// Package sign holds the workstation's signing key and the keys it trusts.
//
// Each data directory has one Ed25519 key pair, made on first use:
//
//	keys/signing.key   the private key (0600): "appinspect-ed25519-private-v1\n" + base64(seed) + "\n"
//	keys/signing.pub   the public key: "appinspect-ed25519-public-v1\n" + base64(key) + "\n"
//	keys/trusted.json  [{"fingerprint","public_key","label","added"}…] keys of other
//	                   inspectors or agencies the user chose to trust (case import)
//
// A key is named by its fingerprint: the first 20 bytes of the SHA-256 of the public key, in
// lower-case hex, in groups of four ("3f2a 9c01 …"). The package uses only crypto/ed25519 from the
// standard library.
package sign

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// File names inside the data directory.
const (
	KeyDir      = "keys"
	PrivateFile = "signing.key"
	PublicFile  = "signing.pub"
	TrustedFile = "trusted.json"

	privHeader = "appinspect-ed25519-private-v1"
	pubHeader  = "appinspect-ed25519-public-v1"
)

// ErrBadKey is returned for a key file that cannot be read as a key.
var ErrBadKey = errors.New("bad signing key file")

// Key is a signing key pair.
type Key struct {
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

// Public returns the public key.
func (k *Key) Public() ed25519.PublicKey { return k.pub }

// Fingerprint returns the public key's fingerprint.
func (k *Key) Fingerprint() string { return Fingerprint(k.pub) }

// Sign signs msg.
func (k *Key) Sign(msg []byte) []byte { return ed25519.Sign(k.priv, msg) }

// Fingerprint names a public key: the first 20 bytes of its SHA-256, hex, in groups of four.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	h := hex.EncodeToString(sum[:20])
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i : i+4])
	}
	return b.String()
}

// NormalizeFingerprint lower-cases a fingerprint typed by a user and drops spaces, colons and
// dashes, so "3F2A:9C01…" and "3f2a 9c01 …" compare equal.
func NormalizeFingerprint(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f':
			return r
		case r >= 'A' && r <= 'F':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}

// SameFingerprint reports whether two fingerprints name the same key (formatting ignored).
func SameFingerprint(a, b string) bool {
	na, nb := NormalizeFingerprint(a), NormalizeFingerprint(b)
	return na != "" && na == nb
}

// Verify reports whether sig is pub's signature of msg.
func Verify(pub ed25519.PublicKey, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && len(sig) == ed25519.SignatureSize && ed25519.Verify(pub, msg, sig)
}

// EncodePublic and DecodePublic convert a public key to and from base64 (as stored in
// signatures, anchors and bundles).
func EncodePublic(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// DecodePublic parses a base64 public key.
func DecodePublic(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("sign: public key %.20q: %w", s, ErrBadKey)
	}
	return ed25519.PublicKey(b), nil
}

// LoadOrCreate reads the data directory's key pair, creating it (private key 0600) when there is
// none. A damaged key file is an error naming it; it is never replaced silently.
func LoadOrCreate(dataDir string) (*Key, error) {
	dir := filepath.Join(dataDir, KeyDir)
	privPath := filepath.Join(dir, PrivateFile)
	b, err := os.ReadFile(privPath)
	if errors.Is(err, fs.ErrNotExist) {
		return create(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("sign: read %s: %w", privPath, err)
	}
	head, body, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(body))
	if head != privHeader || err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("sign: %s: %w", privPath, ErrBadKey)
	}
	// Keep the private key private even if its mode was widened.
	if fi, err := os.Stat(privPath); err == nil && fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(privPath, 0o600); err != nil {
			return nil, fmt.Errorf("sign: %s is readable by others and cannot be made private: %w", privPath, err)
		}
	}
	priv := ed25519.NewKeyFromSeed(seed)
	k := &Key{priv: priv, pub: priv.Public().(ed25519.PublicKey)}
	// Keep the public key file in step (it is what a backup carries).
	pubPath := filepath.Join(dir, PublicFile)
	if pb, err := os.ReadFile(pubPath); err != nil || !strings.Contains(string(pb), EncodePublic(k.pub)) {
		if err := writeFile(pubPath, []byte(pubHeader+"\n"+EncodePublic(k.pub)+"\n"), 0o644); err != nil {
			return nil, fmt.Errorf("sign: write %s: %w", pubPath, err)
		}
	}
	return k, nil
}

func create(dir string) (*Key, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sign: create key: %w", err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sign: create key: %w", err)
	}
	privPath := filepath.Join(dir, PrivateFile)
	f, err := os.OpenFile(privPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process made it first: use that one.
		return LoadOrCreate(filepath.Dir(dir))
	}
	if err != nil {
		return nil, fmt.Errorf("sign: create key: %w", err)
	}
	_, err = f.WriteString(privHeader + "\n" + base64.StdEncoding.EncodeToString(priv.Seed()) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(privPath)
		return nil, fmt.Errorf("sign: create key %s: %w", privPath, err)
	}
	// A public key without its private key: a backup, or a key deleted or lost. What that key
	// signed stays verifiable: it moves to the trusted keys.
	if old, err := LoadPublic(filepath.Dir(dir)); err == nil && !old.Equal(pub) {
		kr, err := LoadKeyring(filepath.Dir(dir))
		if err == nil {
			kr.Own = nil // signing.pub still names the old key
			err = kr.Trust(old, PreviousKeyLabel, time.Now())
		}
		if err != nil {
			return nil, fmt.Errorf("sign: keep the previous public key: %w", err)
		}
	}
	pubPath := filepath.Join(dir, PublicFile)
	if err := writeFile(pubPath, []byte(pubHeader+"\n"+EncodePublic(pub)+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("sign: write %s: %w", pubPath, err)
	}
	return &Key{priv: priv, pub: pub}, nil
}

// PreviousKeyLabel labels, in trusted.json, a public key of this data directory whose private key
// was not there when a new key was made (a backup restored, or the key lost or deleted).
const PreviousKeyLabel = "previous key of this data directory"

// LoadPublic reads keys/signing.pub of a data directory (a backup has it without the private key).
func LoadPublic(dataDir string) (ed25519.PublicKey, error) {
	p := filepath.Join(dataDir, KeyDir, PublicFile)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	head, body, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if head != pubHeader {
		return nil, fmt.Errorf("sign: %s: %w", p, ErrBadKey)
	}
	pub, err := DecodePublic(strings.TrimSpace(body))
	if err != nil {
		return nil, fmt.Errorf("sign: %s: %w", p, ErrBadKey)
	}
	return pub, nil
}

// TrustedKey is a key of another signer the user chose to trust.
type TrustedKey struct {
	Fingerprint string    `json:"fingerprint"`
	PublicKey   string    `json:"public_key"`
	Label       string    `json:"label,omitempty"`
	Added       time.Time `json:"added"`
}

// Keyring is the set of keys a data directory accepts signatures from: its own public key and
// the trusted ones.
type Keyring struct {
	Own     ed25519.PublicKey // nil when the directory has no key yet
	Trusted []TrustedKey
	dir     string
}

// LoadKeyring reads the data directory's own public key (if any) and its trusted keys.
func LoadKeyring(dataDir string) (*Keyring, error) {
	kr := &Keyring{dir: dataDir}
	if pub, err := LoadPublic(dataDir); err == nil {
		kr.Own = pub
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	p := filepath.Join(dataDir, KeyDir, TrustedFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return kr, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if err := json.Unmarshal(b, &kr.Trusted); err != nil {
		return nil, fmt.Errorf("sign: %s: %w", p, err)
	}
	for _, t := range kr.Trusted {
		pub, err := DecodePublic(t.PublicKey)
		if err != nil || Fingerprint(pub) != t.Fingerprint {
			return nil, fmt.Errorf("sign: %s: key %q: %w", p, t.Fingerprint, ErrBadKey)
		}
	}
	return kr, nil
}

// Who says whose key pub is: "own", "trusted" (with its label) or "" (unknown).
func (kr *Keyring) Who(pub ed25519.PublicKey) (string, string) {
	if kr.Own != nil && kr.Own.Equal(pub) {
		return "own", ""
	}
	fp := Fingerprint(pub)
	for _, t := range kr.Trusted {
		if t.Fingerprint == fp {
			return "trusted", t.Label
		}
	}
	return "", ""
}

// Knows reports whether pub is the own or a trusted key.
func (kr *Keyring) Knows(pub ed25519.PublicKey) bool {
	w, _ := kr.Who(pub)
	return w != ""
}

// Trust adds pub to keys/trusted.json (no-op when already known).
func (kr *Keyring) Trust(pub ed25519.PublicKey, label string, now time.Time) error {
	if kr.Knows(pub) {
		return nil
	}
	trusted := append(slices.Clone(kr.Trusted), TrustedKey{Fingerprint: Fingerprint(pub), PublicKey: EncodePublic(pub), Label: label, Added: now.UTC()})
	b, err := json.MarshalIndent(trusted, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(kr.dir, KeyDir), 0o700); err != nil {
		return fmt.Errorf("sign: trust: %w", err)
	}
	if err := writeFile(filepath.Join(kr.dir, KeyDir, TrustedFile), b, 0o644); err != nil {
		return fmt.Errorf("sign: trust: %w", err)
	}
	kr.Trusted = trusted
	return nil
}

// writeFile writes through a temp file and a rename, so a crash leaves the old or the new file.
func writeFile(path string, b []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
