package sign

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"runtime"
	"sync"
)

// contentDigest identifies how the APK contents are digested.
type contentDigest int

const (
	digestChunkedSHA256 contentDigest = iota + 1
	digestChunkedSHA512
	digestVeritySHA256
)

func (d contentDigest) String() string {
	switch d {
	case digestChunkedSHA256:
		return "chunked SHA-256"
	case digestChunkedSHA512:
		return "chunked SHA-512"
	case digestVeritySHA256:
		return "verity chunked SHA-256"
	}
	return "unknown"
}

// strength orders content digests as Android does: SHA-256 < verity < SHA-512.
func (d contentDigest) strength() int {
	switch d {
	case digestChunkedSHA256:
		return 1
	case digestVeritySHA256:
		return 2
	case digestChunkedSHA512:
		return 3
	}
	return 0
}

const (
	chunkSize       = 1 << 20 // 1 MiB, for the chunked digests
	verityBlockSize = 4096
)

// section is a byte range to be digested: either a range of the file or an
// in-memory buffer (the modified EOCD).
type section struct {
	ra   io.ReaderAt
	off  int64
	size int64
}

// contentSections returns the three digested sections: the entries before
// the signing block, the central directory, and the EOCD with its central
// directory offset pointing at the signing block.
func contentSections(ra io.ReaderAt, z *zipLayout, sigBlockOffset int64) [3]section {
	eocd := append([]byte(nil), z.eocd...)
	binary.LittleEndian.PutUint32(eocd[eocdCDOffsetField:], uint32(sigBlockOffset))
	return [3]section{
		{ra: ra, off: 0, size: sigBlockOffset},
		{ra: ra, off: z.cdOffset, size: z.eocdOffset - z.cdOffset},
		{ra: bytesReaderAt(eocd), off: 0, size: int64(len(eocd))},
	}
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off > int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// workers is how many goroutines hash chunks.
func workers() int { return max(1, min(runtime.GOMAXPROCS(0), 8)) }

// chunkRef is one unit of work: a chunk of a section.
type chunkRef struct {
	sec  *section
	off  int64
	size int
}

// computeDigests computes each requested content digest over secs,
// streaming with bounded memory (one chunk buffer per worker).
func computeDigests(secs [3]section, want map[contentDigest]bool) (map[contentDigest][]byte, error) {
	out := map[contentDigest][]byte{}
	var chunked []contentDigest
	for _, d := range []contentDigest{digestChunkedSHA256, digestChunkedSHA512} {
		if want[d] {
			chunked = append(chunked, d)
		}
	}
	if len(chunked) > 0 {
		res, err := chunkedDigests(secs, chunked)
		if err != nil {
			return nil, err
		}
		for d, v := range res {
			out[d] = v
		}
	}
	if want[digestVeritySHA256] {
		v, err := verityDigest(secs)
		if err != nil {
			return nil, err
		}
		out[digestVeritySHA256] = v
	}
	return out, nil
}

func newHash(d contentDigest) hash.Hash {
	if d == digestChunkedSHA512 {
		return sha512.New()
	}
	return sha256.New()
}

// chunkedDigests implements the 1 MiB chunked digest: each chunk is hashed
// as 0xa5 || uint32le(len) || data, and the result is the hash of
// 0x5a || uint32le(count) || chunk digests. Chunks are hashed in parallel.
func chunkedDigests(secs [3]section, algs []contentDigest) (map[contentDigest][]byte, error) {
	var chunks []chunkRef
	maxChunk := 0
	for i := range secs {
		s := &secs[i]
		for off := int64(0); off < s.size; off += chunkSize {
			c := chunkRef{sec: s, off: off, size: int(min(chunkSize, s.size-off))}
			maxChunk = max(maxChunk, c.size)
			chunks = append(chunks, c)
		}
	}
	if uint64(len(chunks)) > 0xffffffff {
		return nil, errors.New("too many chunks")
	}
	sums := make([][][]byte, len(algs))
	for a := range algs {
		sums[a] = make([][]byte, len(chunks))
	}
	err := parallel(len(chunks), func(buf []byte, i int) error {
		c := chunks[i]
		b := buf[:c.size]
		if m, err := c.sec.ra.ReadAt(b, c.sec.off+c.off); m < len(b) {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("read chunk %d: %w", i, err)
		}
		var pre [5]byte
		pre[0] = 0xa5
		binary.LittleEndian.PutUint32(pre[1:], uint32(c.size))
		for a, d := range algs {
			h := newHash(d)
			h.Write(pre[:])
			h.Write(b)
			sums[a][i] = h.Sum(nil)
		}
		return nil
	}, maxChunk)
	if err != nil {
		return nil, err
	}
	out := map[contentDigest][]byte{}
	for a, d := range algs {
		h := newHash(d)
		var pre [5]byte
		pre[0] = 0x5a
		binary.LittleEndian.PutUint32(pre[1:], uint32(len(chunks)))
		h.Write(pre[:])
		for _, s := range sums[a] {
			h.Write(s)
		}
		out[d] = h.Sum(nil)
	}
	return out, nil
}

// parallel runs fn(buf, i) for i in [0,n) on workers() goroutines, each with
// its own bufSize buffer, and returns the first error.
func parallel(n int, fn func(buf []byte, i int) error, bufSize int) error {
	w := min(workers(), n)
	if w <= 1 {
		buf := make([]byte, bufSize)
		for i := 0; i < n; i++ {
			if err := fn(buf, i); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		mu       sync.Mutex
		next     int
		firstErr error
		wg       sync.WaitGroup
	)
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, bufSize)
			for {
				mu.Lock()
				if firstErr != nil || next >= n {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				if err := fn(buf, i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// veritySalt is the salt apksigner uses for the verity tree of v2/v3
// signatures: eight zero bytes, hashed before every block.
var veritySalt = make([]byte, 8)

// verityDigest computes the root hash of a SHA-256 Merkle tree over 4 KiB
// blocks of the concatenated sections (the last block zero-padded), each
// level's digests padded to whole blocks, followed by the uint64le total
// length. The signing block must end on a 4 KiB boundary for this digest.
func verityDigest(secs [3]section) ([]byte, error) {
	if secs[0].size%verityBlockSize != 0 {
		return nil, fmt.Errorf("verity digest needs the signing block at a 4096-byte boundary, it is at %d", secs[0].size)
	}
	total := secs[0].size + secs[1].size + secs[2].size
	cat := &concatReaderAt{secs: secs[:]}
	nBlocks := (total + verityBlockSize - 1) / verityBlockSize
	// One 1 MiB read unit holds 256 blocks.
	const perUnit = chunkSize / verityBlockSize
	nUnits := int((nBlocks + perUnit - 1) / perUnit)
	level := make([]byte, nBlocks*sha256.Size)
	err := parallel(nUnits, func(buf []byte, u int) error {
		off := int64(u) * chunkSize
		n := int(min(chunkSize, total-off))
		if err := cat.readFull(buf[:n], off); err != nil {
			return err
		}
		// Zero-pad the last block.
		clear(buf[n:min(len(buf), (n+verityBlockSize-1)/verityBlockSize*verityBlockSize)])
		h := sha256.New()
		for b := 0; b*verityBlockSize < n; b++ {
			h.Reset()
			h.Write(veritySalt)
			h.Write(buf[b*verityBlockSize : (b+1)*verityBlockSize])
			h.Sum(level[(off/verityBlockSize+int64(b))*sha256.Size:][:0])
		}
		return nil
	}, int(min(chunkSize, nBlocks*verityBlockSize)))
	if err != nil {
		return nil, err
	}
	for {
		// Pad the level to whole blocks.
		if r := len(level) % verityBlockSize; r != 0 || len(level) == 0 {
			level = append(level, make([]byte, verityBlockSize-r)...)
		}
		if len(level) == verityBlockSize {
			break
		}
		next := make([]byte, 0, len(level)/verityBlockSize*sha256.Size)
		h := sha256.New()
		for p := 0; p < len(level); p += verityBlockSize {
			h.Reset()
			h.Write(veritySalt)
			h.Write(level[p : p+verityBlockSize])
			next = h.Sum(next)
		}
		level = next
	}
	h := sha256.New()
	h.Write(veritySalt)
	h.Write(level)
	out := h.Sum(nil)
	return binary.LittleEndian.AppendUint64(out, uint64(total)), nil
}

// concatReaderAt reads across the concatenation of sections.
type concatReaderAt struct{ secs []section }

func (c *concatReaderAt) readFull(p []byte, off int64) error {
	for _, s := range c.secs {
		if len(p) == 0 {
			return nil
		}
		if off >= s.size {
			off -= s.size
			continue
		}
		n := int(min(int64(len(p)), s.size-off))
		if m, err := s.ra.ReadAt(p[:n], s.off+off); m < n {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("read at %d: %w", s.off+off, err)
		}
		p = p[n:]
		off = 0
	}
	if len(p) > 0 {
		return io.ErrUnexpectedEOF
	}
	return nil
}
