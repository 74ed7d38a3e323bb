package inspect

import (
	"crypto"
	"crypto/sha1" //nolint:gosec // JAR manifests use SHA-1 digests
	"crypto/sha256"
	"sync"
)

// digestCache hands the SHA-1 and SHA-256 digests of the dex files, computed
// while the code analysis has them inflated anyway, to the v1 signature
// check, so a v1-signed APK's largest entries are not inflated twice.
type digestCache struct {
	mu      sync.Mutex
	entries map[string]*digestEntry
}

type digestEntry struct {
	done   chan struct{}
	sha1   []byte
	sha256 []byte
	ok     bool
}

func newDigestCache(names []string) *digestCache {
	c := &digestCache{entries: make(map[string]*digestEntry, len(names))}
	for _, n := range names {
		c.entries[n] = &digestEntry{done: make(chan struct{})}
	}
	return c
}

// put records the digests of an entry's content.
func (c *digestCache) put(name string, data []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	e := c.entries[name]
	c.mu.Unlock()
	if e == nil {
		return
	}
	select {
	case <-e.done:
		return
	default:
	}
	s1 := sha1.Sum(data) //nolint:gosec // JAR manifests use SHA-1 digests
	s256 := sha256.Sum256(data)
	e.sha1, e.sha256, e.ok = s1[:], s256[:], true
	close(e.done)
}

// abandon releases every entry still waiting (the analysis stopped early):
// the signature check then reads those entries itself.
func (c *digestCache) abandon() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.entries {
		select {
		case <-e.done:
		default:
			close(e.done)
		}
	}
}

// digests implements sign.Options.EntryDigests.
func (c *digestCache) digests(name string, algs []crypto.Hash) ([][]byte, bool) {
	c.mu.Lock()
	e := c.entries[name]
	c.mu.Unlock()
	if e == nil {
		return nil, false
	}
	<-e.done
	if !e.ok {
		return nil, false
	}
	out := make([][]byte, len(algs))
	for i, h := range algs {
		switch h {
		case crypto.SHA1:
			out[i] = e.sha1
		case crypto.SHA256:
			out[i] = e.sha256
		default:
			return nil, false
		}
	}
	return out, true
}
