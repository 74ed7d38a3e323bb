package sign

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"io"
)

// ErrNotZip is wrapped by the error Verify returns when the input has no
// readable ZIP end of central directory record or central directory.
var ErrNotZip = errors.New("not a zip archive")

const (
	eocdSig        = 0x06054b50
	eocdMinSize    = 22
	eocdMaxComment = 0xffff
	cdEntrySig     = 0x02014b50
	cdEntryMinSize = 46
	localSig       = 0x04034b50
	localMinSize   = 30
	zip64LocSig    = 0x07064b50
	// eocdCDOffsetField is the offset, inside the EOCD record, of the
	// "offset of start of central directory" field.
	eocdCDOffsetField = 16
)

// zipEntry is one central directory record.
type zipEntry struct {
	name        string
	method      uint16
	flags       uint16
	compSize    int64
	uncompSize  int64
	localOffset int64
}

// zipLayout is what the signature verifiers need to know about the archive.
type zipLayout struct {
	size       int64
	eocdOffset int64
	eocd       []byte // the EOCD record including its comment
	cdOffset   int64
	cdSize     int64
	entries    []zipEntry
}

// readZip locates the end of central directory record and parses the central
// directory. Every length is bounded by the input size before allocating.
func readZip(ra io.ReaderAt, size int64) (*zipLayout, error) {
	if size < eocdMinSize {
		return nil, fmt.Errorf("sign: zip: %d bytes is too short for an end of central directory record: %w", size, ErrNotZip)
	}
	tailLen := min(size, int64(eocdMinSize+eocdMaxComment))
	tail := make([]byte, tailLen)
	if _, err := ra.ReadAt(tail, size-tailLen); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("sign: zip: read end of central directory: %w", err)
	}
	// Search backwards for an EOCD record whose comment runs exactly to the
	// end of the file, as Android's tools do.
	eocdPos := -1
	for i := len(tail) - eocdMinSize; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) != eocdSig {
			continue
		}
		commentLen := int(binary.LittleEndian.Uint16(tail[i+20:]))
		if i+eocdMinSize+commentLen == len(tail) {
			eocdPos = i
			break
		}
	}
	if eocdPos < 0 {
		return nil, fmt.Errorf("sign: zip: no end of central directory record: %w", ErrNotZip)
	}
	z := &zipLayout{size: size, eocdOffset: size - tailLen + int64(eocdPos)}
	z.eocd = append([]byte(nil), tail[eocdPos:]...)
	e := z.eocd
	total := binary.LittleEndian.Uint16(e[10:])
	z.cdSize = int64(binary.LittleEndian.Uint32(e[12:]))
	z.cdOffset = int64(binary.LittleEndian.Uint32(e[16:]))
	if z.cdOffset == 0xffffffff || z.cdSize == 0xffffffff || total == 0xffff {
		if z.eocdOffset >= 20 {
			var loc [4]byte
			if _, err := ra.ReadAt(loc[:], z.eocdOffset-20); err == nil && binary.LittleEndian.Uint32(loc[:]) == zip64LocSig {
				return nil, fmt.Errorf("sign: zip: zip64 archives are not supported (APKs cannot be zip64): %w", ErrNotZip)
			}
		}
	}
	if z.cdOffset > z.eocdOffset || z.cdSize > z.eocdOffset-z.cdOffset {
		return nil, fmt.Errorf("sign: zip: central directory (offset %d, size %d) overlaps the end of central directory record at %d: %w",
			z.cdOffset, z.cdSize, z.eocdOffset, ErrNotZip)
	}
	cd := make([]byte, z.cdSize)
	if _, err := ra.ReadAt(cd, z.cdOffset); err != nil && !(errors.Is(err, io.EOF) && len(cd) == 0) {
		return nil, fmt.Errorf("sign: zip: read central directory: %w", err)
	}
	for p := 0; p < len(cd); {
		if len(cd)-p < cdEntryMinSize || binary.LittleEndian.Uint32(cd[p:]) != cdEntrySig {
			return nil, fmt.Errorf("sign: zip: central directory record %d at offset %d: bad signature or truncated: %w",
				len(z.entries), z.cdOffset+int64(p), ErrNotZip)
		}
		r := cd[p:]
		nameLen := int(binary.LittleEndian.Uint16(r[28:]))
		extraLen := int(binary.LittleEndian.Uint16(r[30:]))
		commentLen := int(binary.LittleEndian.Uint16(r[32:]))
		recLen := cdEntryMinSize + nameLen + extraLen + commentLen
		if recLen > len(r) {
			return nil, fmt.Errorf("sign: zip: central directory record %d is truncated: %w", len(z.entries), ErrNotZip)
		}
		z.entries = append(z.entries, zipEntry{
			name:        string(r[cdEntryMinSize : cdEntryMinSize+nameLen]),
			flags:       binary.LittleEndian.Uint16(r[8:]),
			method:      binary.LittleEndian.Uint16(r[10:]),
			compSize:    int64(binary.LittleEndian.Uint32(r[20:])),
			uncompSize:  int64(binary.LittleEndian.Uint32(r[24:])),
			localOffset: int64(binary.LittleEndian.Uint32(r[42:])),
		})
		p += recLen
	}
	if int(total) != len(z.entries) && total != 0xffff {
		return nil, fmt.Errorf("sign: zip: end of central directory claims %d entries, central directory holds %d: %w",
			total, len(z.entries), ErrNotZip)
	}
	return z, nil
}

// cdFollowedByEOCD reports whether the central directory ends exactly where
// the EOCD record starts, which APK Signature Scheme v2+ requires.
func (z *zipLayout) cdFollowedByEOCD() bool { return z.cdOffset+z.cdSize == z.eocdOffset }

// open returns a reader of the uncompressed data of e. The reader yields an
// error if the data is longer or shorter than the central directory says.
func (z *zipLayout) open(ra io.ReaderAt, e *zipEntry) (io.Reader, error) {
	if e.localOffset > z.cdOffset || z.cdOffset-e.localOffset < localMinSize {
		return nil, fmt.Errorf("local header offset %d outside the entries area", e.localOffset)
	}
	var h [localMinSize]byte
	if _, err := ra.ReadAt(h[:], e.localOffset); err != nil {
		return nil, fmt.Errorf("read local header: %w", err)
	}
	if binary.LittleEndian.Uint32(h[:]) != localSig {
		return nil, fmt.Errorf("bad local header signature at offset %d", e.localOffset)
	}
	dataOff := e.localOffset + localMinSize + int64(binary.LittleEndian.Uint16(h[26:])) + int64(binary.LittleEndian.Uint16(h[28:]))
	if dataOff > z.cdOffset || e.compSize > z.cdOffset-dataOff {
		return nil, fmt.Errorf("data (offset %d, %d bytes) runs past the start of the central directory", dataOff, e.compSize)
	}
	if e.flags&1 != 0 {
		return nil, errors.New("entry is encrypted")
	}
	sr := io.NewSectionReader(ra, dataOff, e.compSize)
	var r io.Reader
	switch e.method {
	case 0:
		if e.compSize != e.uncompSize {
			return nil, fmt.Errorf("stored entry has compressed size %d but uncompressed size %d", e.compSize, e.uncompSize)
		}
		r = sr
	case 8:
		r = flate.NewReader(bufio.NewReaderSize(sr, 32<<10))
	default:
		return nil, fmt.Errorf("unsupported compression method %d", e.method)
	}
	return &sizedReader{r: r, want: e.uncompSize}, nil
}

// sizedReader checks that exactly want bytes are produced.
type sizedReader struct {
	r    io.Reader
	want int64
	got  int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.got > s.want {
		return 0, errors.New("uncompressed data longer than declared")
	}
	// Allow one byte past the declared size so an overlong stream is noticed.
	if rem := s.want - s.got + 1; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := s.r.Read(p)
	s.got += int64(n)
	if s.got > s.want {
		return n, errors.New("uncompressed data longer than declared")
	}
	if errors.Is(err, io.EOF) && s.got != s.want {
		return n, fmt.Errorf("uncompressed data is %d bytes, declared %d", s.got, s.want)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return n, fmt.Errorf("truncated compressed data: %w", err)
	}
	return n, err
}

// readAllEntry reads a whole (small) entry, refusing ones above limit.
func (z *zipLayout) readAllEntry(ra io.ReaderAt, e *zipEntry, limit int64) ([]byte, error) {
	if e.uncompSize > limit {
		return nil, fmt.Errorf("%d bytes exceeds the %d byte limit", e.uncompSize, limit)
	}
	r, err := z.open(ra, e)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(int(e.uncompSize))
	if _, err := io.Copy(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
