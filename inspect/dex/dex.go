// Package dex parses Android DEX files (versions 035 to 041, including the
// 041 container format) well enough for privacy-compliance detectors: class
// names, type, method and field references, string constants, and the call
// sites inside every method body.
//
// Parse checks the header and every section bound against the input before
// anything is allocated, and then decodes lazily: names are decoded on first
// use and cached, and Walk runs over the code units of each method without
// building an instruction list. Every loop is bounded by the input size, so
// crafted or truncated files give an error and never a panic or a hang.
package dex

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"sync"
)

// Sentinel errors. Errors returned by this package wrap one of them.
var (
	// ErrFormat means the input is not a DEX file or its header is inconsistent.
	ErrFormat = errors.New("not a valid dex file")
	// ErrVersion means the magic names a DEX version this package does not read.
	ErrVersion = errors.New("unsupported dex version")
	// ErrTruncated means a section, item or instruction runs past the end of the input.
	ErrTruncated = errors.New("truncated dex data")
	// ErrTooLarge means the input or one of its counts exceeds the Limits.
	ErrTooLarge = errors.New("dex exceeds limits")
	// ErrIndex means an index (string, type, proto, field or method) is out of range.
	ErrIndex = errors.New("dex index out of range")
	// ErrChecksum means the adler32 checksum or the SHA-1 signature does not match.
	ErrChecksum = errors.New("dex checksum mismatch")
	// ErrCode means a class_data_item or code_item is malformed.
	ErrCode = errors.New("malformed dex code")
	// ErrBudget means Walk gave up because a crafted file made it repeat work
	// (for example thousands of methods sharing one huge code item).
	ErrBudget = errors.New("dex walk work budget exceeded")
)

// Limits bound what Parse accepts. Zero fields take the DefaultLimits value.
type Limits struct {
	// MaxFileSize is the largest input (a DEX file or a 041 container) accepted.
	MaxFileSize int64
	// MaxCount is the largest count accepted for any id table
	// (string_ids, type_ids, proto_ids, field_ids, method_ids, class_defs).
	MaxCount uint32
	// StrictChecksum makes Parse fail with ErrChecksum when the header's
	// adler32 checksum does not match. By default a wrong checksum is only
	// reported by File.VerifyChecksum, since packers tamper with headers.
	StrictChecksum bool
}

// DefaultLimits returns limits that accept every real application seen so far
// (multi-dex apps with 60 MB dex files and more than 65,536 methods in all)
// while keeping a crafted header from making Parse allocate gigabytes.
func DefaultLimits() Limits {
	return Limits{MaxFileSize: 512 << 20, MaxCount: 1 << 24}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxCount == 0 {
		l.MaxCount = d.MaxCount
	}
	return l
}

const (
	headerSize035 = 0x70
	headerSize041 = 0x78
	endianTag     = 0x12345678
	reverseEndian = 0x78563412

	stringIDSize = 4
	typeIDSize   = 4
	protoIDSize  = 12
	fieldIDSize  = 8
	methodIDSize = 8
	classDefSize = 32
)

// File is one parsed DEX file. It keeps the byte slice given to Parse and
// reads from it on demand; the caller must not modify that slice afterwards.
//
// A File is safe for concurrent use: its name caches are guarded by a mutex
// (taken once per call, so bulk calls like Classes pay for it once).
type File struct {
	b       []byte // the whole input; offsets in the file resolve against it
	base    int    // offset of this DEX's header inside b (non-zero only in a 041 container)
	rel     uint64 // added to every offset: 0, or base when a container entry counts from its header
	end     int    // base + file_size
	version int

	checksum   uint32
	headerSize uint32

	nStrings, nTypes, nProtos, nFields, nMethods, nClasses    uint32
	strIDs, typeIDs, protoIDs, fieldIDs, methodIDs, classDefs int

	mu         sync.Mutex // guards the caches that follow
	typeNames  []string   // dotted names by type index, "" until decoded
	typeDescs  []string   // raw descriptors by type index, "" until decoded
	protoDescs []string   // proto descriptors by proto index, "" until decoded

	lmu       sync.Mutex     // guards the long-string caches (see longAt)
	long      map[int]string // decoded strings of longString units or more, by data offset
	longNames map[int]string // their dotted type names, by data offset
	longLeft  int            // bytes longAt may still decode

	codeMethods     int
	codeMethodsDone bool
}

// Parse checks the header of the DEX file in b and returns a File that
// decodes the rest lazily. b is retained, not copied. For a 041 container
// holding several DEX files Parse returns the first; use ParseAll for all.
func Parse(b []byte, lim Limits) (*File, error) {
	lim = lim.withDefaults()
	if int64(len(b)) > lim.MaxFileSize {
		return nil, fmt.Errorf("dex: parse: %d bytes, limit %d: %w", len(b), lim.MaxFileSize, ErrTooLarge)
	}
	return parseAt(b, 0, lim)
}

// ParseAll parses every DEX file in b: one for versions 035 to 040, and each
// DEX of a 041 container in order. Method, type and string indexes are local
// to each returned File.
func ParseAll(b []byte, lim Limits) ([]*File, error) {
	first, err := Parse(b, lim)
	if err != nil {
		return nil, err
	}
	files := []*File{first}
	if first.version < 41 {
		return files, nil
	}
	lim = lim.withDefaults()
	limit := len(first.b) // the container, already cut to container_size
	for off := first.end; off < limit; {
		f, err := parseAt(first.b, off, lim)
		if err != nil {
			return files, fmt.Errorf("dex: container entry at %#x: %w", off, err)
		}
		files = append(files, f)
		off = f.end // f.end > off: file_size is at least the header size
	}
	return files, nil
}

func le16(b []byte, off int) uint32 { return uint32(binary.LittleEndian.Uint16(b[off:])) }
func le32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// parseAt parses the header found at offset base of b.
func parseAt(b []byte, base int, lim Limits) (*File, error) {
	if base < 0 || len(b)-base < headerSize035 {
		return nil, fmt.Errorf("dex: read header: %d bytes: %w", len(b)-base, ErrTruncated)
	}
	h := b[base:]
	if h[0] != 'd' || h[1] != 'e' || h[2] != 'x' || h[3] != '\n' || h[7] != 0 {
		return nil, fmt.Errorf("dex: read header: bad magic %q: %w", h[:8], ErrFormat)
	}
	if h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9' || h[6] < '0' || h[6] > '9' {
		return nil, fmt.Errorf("dex: read header: bad version %q: %w", h[4:7], ErrFormat)
	}
	version := int(h[4]-'0')*100 + int(h[5]-'0')*10 + int(h[6]-'0')
	if version < 35 || version > 41 {
		return nil, fmt.Errorf("dex: read header: version %03d: %w", version, ErrVersion)
	}
	if base != 0 && version < 41 {
		return nil, fmt.Errorf("dex: read header: version %03d inside a container: %w", version, ErrFormat)
	}
	switch tag := le32(h, 40); tag {
	case endianTag:
	case reverseEndian:
		return nil, fmt.Errorf("dex: read header: big-endian dex: %w", ErrVersion)
	default:
		return nil, fmt.Errorf("dex: read header: endian tag %#x: %w", tag, ErrFormat)
	}
	f := &File{version: version, base: base, checksum: le32(h, 8)}
	fileSize := uint64(le32(h, 32))
	f.headerSize = le32(h, 36)
	minHeader := uint32(headerSize035)
	if version >= 41 {
		minHeader = headerSize041
	}
	if f.headerSize < minHeader || uint64(f.headerSize) > fileSize {
		return nil, fmt.Errorf("dex: read header: header_size %#x: %w", f.headerSize, ErrFormat)
	}
	if uint64(len(h)) < uint64(f.headerSize) {
		return nil, fmt.Errorf("dex: read header: %w", ErrTruncated)
	}
	if version >= 41 {
		containerSize := uint64(le32(h, 112))
		headerOffset := uint64(le32(h, 116))
		if headerOffset != uint64(base) {
			return nil, fmt.Errorf("dex: read header: header_offset %#x, found at %#x: %w", headerOffset, base, ErrFormat)
		}
		if containerSize > uint64(len(b)) {
			return nil, fmt.Errorf("dex: read header: container_size %d, have %d bytes: %w", containerSize, len(b), ErrTruncated)
		}
		if uint64(base)+fileSize > containerSize {
			return nil, fmt.Errorf("dex: read header: file_size %d past container_size %d: %w", fileSize, containerSize, ErrFormat)
		}
		f.b = b[:containerSize]
	} else {
		if fileSize > uint64(len(b)) {
			return nil, fmt.Errorf("dex: read header: file_size %d, have %d bytes: %w", fileSize, len(b), ErrTruncated)
		}
		f.b = b[:fileSize]
	}
	f.end = base + int(fileSize)

	type section struct {
		name     string
		size     uint32
		off      uint32
		itemSize uint64
		count    *uint32
		pos      *int
	}
	secs := [...]section{
		{"string_ids", le32(h, 56), le32(h, 60), stringIDSize, &f.nStrings, &f.strIDs},
		{"type_ids", le32(h, 64), le32(h, 68), typeIDSize, &f.nTypes, &f.typeIDs},
		{"proto_ids", le32(h, 72), le32(h, 76), protoIDSize, &f.nProtos, &f.protoIDs},
		{"field_ids", le32(h, 80), le32(h, 84), fieldIDSize, &f.nFields, &f.fieldIDs},
		{"method_ids", le32(h, 88), le32(h, 92), methodIDSize, &f.nMethods, &f.methodIDs},
		{"class_defs", le32(h, 96), le32(h, 100), classDefSize, &f.nClasses, &f.classDefs},
		{"link", le32(h, 44), le32(h, 48), 1, nil, nil},
		{"data", le32(h, 104), le32(h, 108), 1, nil, nil},
	}
	if base > 0 {
		// Parse reads the offsets of a 041 container entry from the container
		// start, since entries share one data area. The format documentation
		// is thin on this point, so an entry whose id sections would then
		// start inside or before its own header is read with every offset
		// (id sections and data alike) counted from that header instead.
		// For 035-040 and the first entry of a container both agree.
		for _, s := range secs[:6] {
			if s.size != 0 && uint64(s.off) < uint64(base)+uint64(f.headerSize) {
				f.rel = uint64(base)
				break
			}
		}
	}
	for _, s := range secs {
		if s.count == nil && (version >= 41 || s.size == 0) {
			continue // link and data are unused in 041 containers
		}
		if s.count != nil && s.size > lim.MaxCount {
			return nil, fmt.Errorf("dex: read header: %s_size %d, limit %d: %w", s.name, s.size, lim.MaxCount, ErrTooLarge)
		}
		if s.size == 0 {
			continue
		}
		start := f.rel + uint64(s.off)
		if start < uint64(f.base)+uint64(f.headerSize) || start+uint64(s.size)*s.itemSize > uint64(len(f.b)) {
			return nil, fmt.Errorf("dex: read header: %s (%d at %#x) outside the file: %w", s.name, s.size, s.off, ErrTruncated)
		}
		if s.count != nil {
			*s.count = s.size
			*s.pos = int(start)
		}
	}
	if lim.StrictChecksum {
		if err := f.VerifyChecksum(); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Version returns the DEX format version from the magic, e.g. 35 or 41.
func (f *File) Version() int { return f.version }

// Size returns file_size: the bytes of this DEX (in a 041 container, from its
// header to the next header or the end of the container).
func (f *File) Size() int { return f.end - f.base }

// Checksum returns the adler32 checksum recorded in the header.
func (f *File) Checksum() uint32 { return f.checksum }

// VerifyChecksum computes the adler32 checksum over the bytes after the
// checksum field and compares it with the header. It returns an error
// wrapping ErrChecksum on a mismatch; a mismatch does not stop anything else
// from working.
func (f *File) VerifyChecksum() error {
	got := adler32.Checksum(f.b[f.base+12 : f.end])
	if got != f.checksum {
		return fmt.Errorf("dex: verify checksum: header %#08x, computed %#08x: %w", f.checksum, got, ErrChecksum)
	}
	return nil
}

// VerifySignature computes the SHA-1 signature over the bytes after the
// signature field and compares it with the header.
func (f *File) VerifySignature() error {
	sum := sha1.Sum(f.b[f.base+32 : f.end]) //nolint:gosec // the DEX format defines this digest as SHA-1
	if string(sum[:]) != string(f.b[f.base+12:f.base+32]) {
		return fmt.Errorf("dex: verify signature: %w", ErrChecksum)
	}
	return nil
}

// NumClasses returns class_defs_size, the number of classes defined in this
// DEX (the count dexdump reports).
func (f *File) NumClasses() int { return int(f.nClasses) }

// NumStrings returns string_ids_size.
func (f *File) NumStrings() int { return int(f.nStrings) }

// NumTypes returns type_ids_size.
func (f *File) NumTypes() int { return int(f.nTypes) }

// NumMethods returns method_ids_size: every method referenced, defined here or not.
func (f *File) NumMethods() int { return int(f.nMethods) }

// NumFields returns field_ids_size: every field referenced, defined here or not.
func (f *File) NumFields() int { return int(f.nFields) }

// uleb128 reads an unsigned LEB128 value of at most five bytes at off and
// returns the value and the offset after it.
func uleb128(b []byte, off int) (uint32, int, bool) {
	var v uint32
	for i := 0; i < 5; i++ {
		if off >= len(b) {
			return 0, off, false
		}
		c := b[off]
		off++
		v |= uint32(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, off, true
		}
	}
	return 0, off, false // a sixth byte would be needed: not a 32-bit value
}
