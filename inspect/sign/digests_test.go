package sign

import (
	"bytes"
	"crypto"
	"crypto/sha1" //nolint:gosec // JAR digests
	"crypto/sha256"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// TestEntryDigestsSupplied checks that digests a caller supplies are used
// (the entry is not read) and checked: right ones verify, wrong ones fail
// with the entry named, and declining falls back to reading the entry.
func TestEntryDigestsSupplied(t *testing.T) {
	testKeys(t)
	files := baseFiles()
	apk := writeZip(t, signV1(t, files, keyRSA, v1Options{}))
	var content []byte
	for _, f := range files {
		if f.name == "classes.dex" {
			content = f.data
		}
	}
	if content == nil {
		t.Fatal("the test APK has no classes.dex")
	}
	digest := func(h crypto.Hash, b []byte) []byte {
		if h == crypto.SHA1 {
			s := sha1.Sum(b) //nolint:gosec // JAR digests
			return s[:]
		}
		s := sha256.Sum256(b)
		return s[:]
	}
	run := func(supply func(string, []crypto.Hash) ([][]byte, bool)) *Result {
		res, err := VerifyWith(bytes.NewReader(apk), int64(len(apk)), Options{EntryDigests: supply})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	var asked atomic.Int32
	good := run(func(name string, algs []crypto.Hash) ([][]byte, bool) {
		if name != "classes.dex" {
			return nil, false
		}
		asked.Add(1)
		out := make([][]byte, len(algs))
		for i, h := range algs {
			out[i] = digest(h, content)
		}
		return out, true
	})
	if asked.Load() != 1 || !slices.Equal(good.Schemes, []int{1}) {
		t.Fatalf("supplied digests: asked %d, schemes %v, problems %v", asked.Load(), good.Schemes, good.Problems)
	}
	bad := run(func(name string, algs []crypto.Hash) ([][]byte, bool) {
		if name != "classes.dex" {
			return nil, false
		}
		out := make([][]byte, len(algs))
		for i, h := range algs {
			out[i] = digest(h, []byte("something else"))
		}
		return out, true
	})
	if len(bad.Schemes) != 0 || len(bad.Problems) == 0 || !strings.Contains(bad.Problems[0].Message, "classes.dex") {
		t.Fatalf("wrong supplied digests verified: %v %v", bad.Schemes, bad.Problems)
	}
	declined := run(func(string, []crypto.Hash) ([][]byte, bool) { return nil, false })
	if !slices.Equal(declined.Schemes, []int{1}) {
		t.Fatalf("declining broke verification: %v", declined.Problems)
	}
}
