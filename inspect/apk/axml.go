package apk

import (
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sync"
	"unicode/utf16"
)

// Chunk types of the binary XML and resource table formats (AOSP
// ResourceTypes.h).
const (
	chunkStringPool   = 0x0001
	chunkTable        = 0x0002
	chunkXML          = 0x0003
	chunkXMLStartNS   = 0x0100
	chunkXMLEndNS     = 0x0101
	chunkXMLStart     = 0x0102
	chunkXMLEnd       = 0x0103
	chunkTablePackage = 0x0200
	chunkTableType    = 0x0201
	chunkTableSpec    = 0x0202

	nilRef = 0xffffffff

	// maxXMLSize bounds a binary XML file we decode; real manifests are
	// well under 1 MiB.
	maxXMLSize = 16 << 20
)

// chunk is a decoded ResChunk_header with its bytes.
type chunk struct {
	typ        uint16
	headerSize int
	data       []byte // the whole chunk, header included
}

// readChunk reads the chunk header at off of b and checks that the chunk lies
// within b.
func readChunk(b []byte, off int, what string) (chunk, error) {
	if off < 0 || len(b)-off < 8 {
		return chunk{}, fmt.Errorf("%s: chunk header at %d: truncated: %w", what, off, ErrFormat)
	}
	typ := binary.LittleEndian.Uint16(b[off:])
	hs := int(binary.LittleEndian.Uint16(b[off+2:]))
	size := int64(binary.LittleEndian.Uint32(b[off+4:]))
	if hs < 8 || int64(hs) > size {
		return chunk{}, fmt.Errorf("%s: chunk 0x%04x at %d: bad header size %d (chunk size %d): %w", what, typ, off, hs, size, ErrFormat)
	}
	if size > int64(len(b)-off) {
		return chunk{}, fmt.Errorf("%s: chunk 0x%04x at %d: size %d exceeds the %d bytes left: %w", what, typ, off, size, len(b)-off, ErrFormat)
	}
	return chunk{typ: typ, headerSize: hs, data: b[off : off+int(size)]}, nil
}

// stringPool is a ResStringPool whose strings are decoded lazily, the way
// Android's ResStringPool reads them: the structure (counts, offset array,
// start of the strings) is checked up front, each string only when it is
// used. Entries that share an offset are decoded once (a pool whose 100 000
// entries all alias one long string costs one string), and the bytes decoded
// over the pool's lifetime are bounded by a budget proportional to its size,
// so overlapping strings cannot make the work quadratic.
type stringPool struct {
	d      []byte // the whole chunk
	idx    int64  // where the offset array starts
	count  int64
	start  int64
	utf8   bool
	mu     sync.Mutex
	cache  map[int64]string // by offset in d
	bad    map[int64]error  // offsets that failed to decode
	budget int64            // source bytes that may still be decoded
	over   bool             // the budget ran out
}

// poolBudget is the number of source bytes a pool may decode: four times
// its size plus 1 MiB (every string once, with room for overlaps that real
// pools never have).
func poolBudget(size int) int64 { return 4*int64(size) + 1<<20 }

// len returns the number of entries.
func (p *stringPool) len() int {
	if p == nil {
		return 0
	}
	return int(p.count)
}

func (p *stringPool) offset(ref uint32) int64 {
	return p.start + int64(binary.LittleEndian.Uint32(p.d[p.idx+4*int64(ref):]))
}

// get returns the string ref; false when ref is nil, out of range or
// undecodable, or when the pool's decoding budget is spent.
func (p *stringPool) get(ref uint32) (string, bool) {
	s, err := p.lookup(ref)
	return s, err == nil
}

// lookup is get with the reason for a failure.
func (p *stringPool) lookup(ref uint32) (string, error) {
	if p == nil || ref == nilRef || int64(ref) >= p.count {
		return "", fmt.Errorf("string reference 0x%08x out of range: %w", ref, ErrFormat)
	}
	off := p.offset(ref)
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.cache[off]; ok {
		return s, nil
	}
	if err, ok := p.bad[off]; ok {
		return "", err
	}
	s, n, err := decodePoolString(p.d, off, p.utf8, p.budget)
	if err != nil {
		if errors.Is(err, ErrLimit) {
			p.over = true
			return "", err
		}
		p.bad[off] = err
		return "", err
	}
	p.budget -= n
	p.cache[off] = s
	return s, nil
}

// exceeded reports whether a lookup was refused because the budget ran out.
func (p *stringPool) exceeded() bool {
	if p == nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.over
}

// parseStringPool checks the structure of a string pool chunk. Strings are
// decoded on use (see stringPool).
func parseStringPool(c chunk, what string) (*stringPool, error) {
	d := c.data
	if c.headerSize < 28 {
		return nil, fmt.Errorf("%s: string pool: header size %d: %w", what, c.headerSize, ErrFormat)
	}
	count := int64(binary.LittleEndian.Uint32(d[8:]))
	styles := int64(binary.LittleEndian.Uint32(d[12:]))
	flags := binary.LittleEndian.Uint32(d[16:])
	start := int64(binary.LittleEndian.Uint32(d[20:]))
	stylesStart := int64(binary.LittleEndian.Uint32(d[24:]))
	size := int64(len(d))
	if int64(c.headerSize)+4*(count+styles) > size {
		return nil, fmt.Errorf("%s: string pool: %d strings and %d styles do not fit in %d bytes: %w", what, count, styles, size, ErrFormat)
	}
	if count > 0 && start >= size {
		return nil, fmt.Errorf("%s: string pool: strings start %d beyond the chunk (%d bytes): %w", what, start, size, ErrFormat)
	}
	idx := int64(c.headerSize)
	for i := range styles {
		off := stylesStart + int64(binary.LittleEndian.Uint32(d[idx+4*count+4*i:]))
		if off < 0 || off+8 > size {
			return nil, fmt.Errorf("%s: string pool: style %d at %d beyond the chunk: %w", what, i, off, ErrFormat)
		}
	}
	return &stringPool{
		d: d, idx: idx, count: count, start: start, utf8: flags&(1<<8) != 0,
		cache: map[int64]string{}, bad: map[int64]error{}, budget: poolBudget(len(d)),
	}, nil
}

// badEntries counts the entries whose string cannot be decoded, checking
// only offsets and lengths (nothing is decoded or allocated), and returns
// the first bad index.
func (p *stringPool) badEntries() (int, int) {
	if p == nil {
		return 0, -1
	}
	n, first := 0, -1
	for i := range p.count {
		if _, err := poolStringSpan(p.d, p.offset(uint32(i)), p.utf8); err != nil {
			if first < 0 {
				first = int(i)
			}
			n++
		}
	}
	return n, first
}

// all returns every distinct decodable string of the pool (each offset
// decoded once, within the budget), for the callers that want the whole
// pool. It fails with ErrLimit when the budget runs out.
func (p *stringPool) all() ([]string, error) {
	if p == nil {
		return nil, nil
	}
	var out []string
	seen := map[int64]bool{}
	for i := range p.count {
		off := p.offset(uint32(i))
		if seen[off] {
			continue
		}
		seen[off] = true
		s, err := p.lookup(uint32(i))
		if errors.Is(err, ErrLimit) {
			return out, err
		}
		if err == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// poolStringSpan returns the number of source bytes of the string at off
// (its payload), checking that it lies within d.
func poolStringSpan(d []byte, off int64, utf8Pool bool) (int64, error) {
	size := int64(len(d))
	if off < 0 || off >= size {
		return 0, fmt.Errorf("offset %d beyond the chunk: %w", off, ErrFormat)
	}
	if utf8Pool {
		_, n1, err := utf8Len(d, off)
		if err != nil {
			return 0, err
		}
		l, n2, err := utf8Len(d, off+n1)
		if err != nil {
			return 0, err
		}
		if off+n1+n2+l > size {
			return 0, fmt.Errorf("length %d beyond the chunk: %w", l, ErrFormat)
		}
		return l, nil
	}
	if off+2 > size {
		return 0, fmt.Errorf("truncated length: %w", ErrFormat)
	}
	l := int64(binary.LittleEndian.Uint16(d[off:]))
	n := int64(2)
	if l&0x8000 != 0 {
		if off+4 > size {
			return 0, fmt.Errorf("truncated length: %w", ErrFormat)
		}
		l = (l&0x7fff)<<16 | int64(binary.LittleEndian.Uint16(d[off+2:]))
		n = 4
	}
	if off+n+2*l > size {
		return 0, fmt.Errorf("length %d beyond the chunk: %w", l, ErrFormat)
	}
	return 2 * l, nil
}

// decodePoolString decodes one string of a pool at off of d, refusing with
// ErrLimit when its payload exceeds budget bytes. It returns the string and
// the payload size.
func decodePoolString(d []byte, off int64, utf8Pool bool, budget int64) (string, int64, error) {
	n, err := poolStringSpan(d, off, utf8Pool)
	if err != nil {
		return "", 0, err
	}
	if n > budget {
		return "", 0, fmt.Errorf("string pool decoding budget spent (%d bytes left, string of %d): %w", budget, n, ErrLimit)
	}
	if utf8Pool {
		_, n1, _ := utf8Len(d, off)
		_, n2, _ := utf8Len(d, off+n1)
		b := off + n1 + n2
		return string(d[b : b+n]), n, nil
	}
	hdr := int64(2)
	if binary.LittleEndian.Uint16(d[off:])&0x8000 != 0 {
		hdr = 4
	}
	b := off + hdr
	u := make([]uint16, n/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(d[b+2*int64(i):])
	}
	return string(utf16.Decode(u)), n, nil
}

func utf8Len(d []byte, off int64) (int64, int64, error) {
	if off >= int64(len(d)) {
		return 0, 0, fmt.Errorf("truncated length: %w", ErrFormat)
	}
	l := int64(d[off])
	if l&0x80 == 0 {
		return l, 1, nil
	}
	if off+1 >= int64(len(d)) {
		return 0, 0, fmt.Errorf("truncated length: %w", ErrFormat)
	}
	return (l&0x7f)<<8 | int64(d[off+1]), 2, nil
}

// splitManifest is the part of a split APK's manifest used to name it.
type splitManifest struct {
	XMLName xml.Name `xml:"manifest"`
	Split   *aval    `xml:"split,attr"`
}

// readSplitAttr returns the split attribute of a part's manifest and whether
// the manifest could be read.
func readSplitAttr(a *Archive, p *part) (string, bool) {
	f := p.files["AndroidManifest.xml"]
	if f == nil || f.UncompressedSize64 > maxXMLSize {
		return "", false
	}
	rc, size, err := a.openEntry(p, f)
	if err != nil {
		return "", false
	}
	defer rc.Close()
	buf := make([]byte, size)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return "", false
	}
	var m splitManifest
	if _, err := decodeAXML(buf, "manifest", &m); err != nil {
		return "", false
	}
	if m.Split == nil {
		return "", true
	}
	return raw(*m.Split), true
}
