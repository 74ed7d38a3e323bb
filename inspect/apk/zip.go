package apk

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

const (
	eocdSig        = 0x06054b50
	eocdLen        = 22
	zip64LocSig    = 0x07064b50
	zip64LocLen    = 20
	zip64EOCDSig   = 0x06064b50
	zip64EOCDLen   = 56
	maxCommentLen  = 0xffff
	methodStored   = 0
	methodDeflated = 8
)

// eocd is what we check of the end of central directory record.
type eocd struct {
	offset    int64 // where the record starts
	records   uint64
	cdSize    uint64
	cdOffset  uint64
	zip64     bool
	cdLimitAt int64 // the central directory must end at or before this offset
}

// readEOCD finds and checks the end of central directory record the way
// Android's libziparchive does: the last signature whose comment fits, and a
// central directory that ends before the record ("bad offsets" otherwise).
// archive/zip is more lenient about some of these, so we check first.
func readEOCD(r io.ReaderAt, size int64) (*eocd, error) {
	if size < eocdLen {
		return nil, fmt.Errorf("zip end of central directory: file too short (%d bytes): %w", size, ErrFormat)
	}
	tail := min(size, eocdLen+maxCommentLen)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("zip end of central directory: read: %w", err)
	}
	for i := len(buf) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) != eocdSig {
			continue
		}
		rec := buf[i:]
		commentLen := int(binary.LittleEndian.Uint16(rec[20:]))
		if commentLen > len(buf)-i-eocdLen {
			return nil, fmt.Errorf("zip end of central directory: bad comment length %d: %w", commentLen, ErrFormat)
		}
		e := &eocd{
			offset:   size - tail + int64(i),
			records:  uint64(binary.LittleEndian.Uint16(rec[10:])),
			cdSize:   uint64(binary.LittleEndian.Uint32(rec[12:])),
			cdOffset: uint64(binary.LittleEndian.Uint32(rec[16:])),
		}
		e.cdLimitAt = e.offset
		if binary.LittleEndian.Uint16(rec[4:]) != 0 || binary.LittleEndian.Uint16(rec[6:]) != 0 {
			return nil, fmt.Errorf("zip end of central directory: multi-disk archives are not supported: %w", ErrFormat)
		}
		if e.records == 0xffff || e.cdSize == 0xffffffff || e.cdOffset == 0xffffffff {
			if err := e.readZip64(r); err != nil {
				return nil, err
			}
		}
		if e.cdOffset > math.MaxInt64/2 || e.cdSize > math.MaxInt64/2 ||
			int64(e.cdOffset+e.cdSize) > e.cdLimitAt {
			return nil, fmt.Errorf("zip central directory: bad offsets (dir %d, size %d, eocd %d): %w",
				e.cdOffset, e.cdSize, e.cdLimitAt, ErrFormat)
		}
		return e, nil
	}
	return nil, fmt.Errorf("zip end of central directory: not found (not a zip file): %w", ErrFormat)
}

func (e *eocd) readZip64(r io.ReaderAt) error {
	if e.offset < zip64LocLen {
		return nil // no locator: the 0xffff values are literal
	}
	var loc [zip64LocLen]byte
	if _, err := r.ReadAt(loc[:], e.offset-zip64LocLen); err != nil {
		return fmt.Errorf("zip64 end of central directory locator: %w", err)
	}
	if binary.LittleEndian.Uint32(loc[:]) != zip64LocSig {
		return nil
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if off > uint64(e.offset-zip64LocLen) || uint64(e.offset-zip64LocLen)-off < zip64EOCDLen {
		return fmt.Errorf("zip64 end of central directory: bad offset %d: %w", off, ErrFormat)
	}
	var rec [zip64EOCDLen]byte
	if _, err := r.ReadAt(rec[:], int64(off)); err != nil {
		return fmt.Errorf("zip64 end of central directory: %w", err)
	}
	if binary.LittleEndian.Uint32(rec[:]) != zip64EOCDSig {
		return fmt.Errorf("zip64 end of central directory: bad signature: %w", ErrFormat)
	}
	e.zip64 = true
	e.records = binary.LittleEndian.Uint64(rec[32:])
	e.cdSize = binary.LittleEndian.Uint64(rec[40:])
	e.cdOffset = binary.LittleEndian.Uint64(rec[48:])
	e.cdLimitAt = int64(off)
	return nil
}

// openZip checks and opens one zip (an APK or a bundle). Beyond archive/zip
// it applies Android's rules: an archive with no entries, entry names with
// NUL bytes or invalid UTF-8, and duplicate names are refused (libziparchive
// refuses them too; duplicates are how the "master key" attacks worked).
// Names with "..", absolute paths or backslashes are accepted, as Android
// accepts them: they are only ever used as map keys here, never as paths.
func openZip(r io.ReaderAt, size int64, lim Limits) (*part, error) {
	e, err := readEOCD(r, size)
	if err != nil {
		return nil, err
	}
	if e.records == 0 {
		return nil, fmt.Errorf("zip central directory: %w", ErrEmpty)
	}
	if e.records > uint64(lim.MaxEntries) {
		return nil, fmt.Errorf("zip central directory: %d entries (limit %d): %w", e.records, lim.MaxEntries, ErrLimit)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("zip central directory: %w", err)
	}
	if len(zr.File) == 0 {
		return nil, fmt.Errorf("zip central directory: %w", ErrEmpty)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("zip central directory: %d entries (limit %d): %w", len(zr.File), lim.MaxEntries, ErrLimit)
	}
	p := &part{ra: r, size: size, zr: zr, files: make(map[string]*zip.File, len(zr.File))}
	for i, f := range zr.File {
		if strings.IndexByte(f.Name, 0) >= 0 || !utf8.ValidString(f.Name) || f.Name == "" {
			return nil, fmt.Errorf("zip central directory: invalid file name at entry %d (%q): %w", i, f.Name, ErrFormat)
		}
		if _, dup := p.files[f.Name]; dup {
			return nil, fmt.Errorf("zip central directory: duplicate entry %q: %w", f.Name, ErrFormat)
		}
		p.files[f.Name] = f
		p.order = append(p.order, f)
	}
	return p, nil
}

// openEntry checks the limits for f and returns a bounded, CRC-checked reader
// of its uncompressed bytes and the declared size.
//
// Compression methods: 0 (stored) and 8 (deflated) are read. Android's
// libziparchive refuses to extract any other method, but tools that only
// look at the central directory (and some packers that patch the method
// field to break decompilers) exist; as a tolerance we read an entry with an
// unknown method as stored when its compressed and uncompressed sizes are
// equal, and rely on the CRC check to reject it if that guess is wrong.
// Otherwise the read fails with ErrMethod.
func (a *Archive) openEntry(p *part, f *zip.File) (io.ReadCloser, int64, error) {
	where := a.where(p) + ": " + f.Name
	if f.UncompressedSize64 > uint64(a.lim.MaxEntrySize) {
		return nil, 0, fmt.Errorf("apk: %s: declared size %d exceeds the entry limit %d: %w",
			where, f.UncompressedSize64, a.lim.MaxEntrySize, ErrLimit)
	}
	size := int64(f.UncompressedSize64)
	csize := int64(f.CompressedSize64)
	if size > RatioThreshold {
		if csize <= 0 || float64(size)/float64(csize) > a.lim.MaxRatio {
			return nil, 0, fmt.Errorf("apk: %s: %d bytes from %d compressed (limit %.0f:1): %w",
				where, size, csize, a.lim.MaxRatio, ErrZipBomb)
		}
	}
	var mkReader func(io.Reader) io.Reader
	switch {
	case f.Method == methodStored:
		if csize != size {
			return nil, 0, fmt.Errorf("apk: %s: stored entry with compressed size %d != size %d: %w", where, csize, size, ErrFormat)
		}
		mkReader = func(r io.Reader) io.Reader { return r }
	case f.Method == methodDeflated:
		mkReader = func(r io.Reader) io.Reader { return flate.NewReader(r) }
	case csize == size:
		mkReader = func(r io.Reader) io.Reader { return r }
	default:
		return nil, 0, fmt.Errorf("apk: %s: method %d: %w", where, f.Method, ErrMethod)
	}
	if a.inflated.Add(size) > a.lim.MaxTotalInflated {
		a.inflated.Add(-size)
		return nil, 0, fmt.Errorf("apk: %s: total inflated bytes would exceed %d: %w", where, a.lim.MaxTotalInflated, ErrLimit)
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, 0, fmt.Errorf("apk: %s: local header: %w", where, err)
	}
	dec := mkReader(raw)
	er := &entryReader{
		where: where, r: dec, remaining: size, crc: crc32.NewIEEE(), want: f.CRC32,
	}
	if c, ok := dec.(io.Closer); ok {
		er.closer = c
	}
	return er, size, nil
}

// entryReader yields at most the declared number of bytes, fails when the
// data is longer or shorter than declared, and checks the CRC-32 at the end.
type entryReader struct {
	where     string
	r         io.Reader
	closer    io.Closer
	remaining int64
	crc       hash.Hash32
	want      uint32
	err       error
}

func (e *entryReader) Read(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if e.remaining == 0 {
		var probe [1]byte
		n, err := io.ReadFull(e.r, probe[:])
		switch {
		case n > 0:
			e.err = fmt.Errorf("apk: %s: data longer than its declared size: %w", e.where, ErrFormat)
		case err != nil && err != io.EOF && err != io.ErrUnexpectedEOF:
			e.err = fmt.Errorf("apk: %s: %w", e.where, err)
		case e.crc.Sum32() != e.want:
			e.err = fmt.Errorf("apk: %s: checksum mismatch: %w", e.where, ErrFormat)
		default:
			e.err = io.EOF
		}
		return 0, e.err
	}
	if int64(len(b)) > e.remaining {
		b = b[:e.remaining]
	}
	n, err := e.r.Read(b)
	e.remaining -= int64(n)
	e.crc.Write(b[:n])
	if err == io.EOF {
		if e.remaining > 0 {
			e.err = fmt.Errorf("apk: %s: data shorter than its declared size: %w", e.where, io.ErrUnexpectedEOF)
			return n, e.err
		}
		err = nil
	} else if err != nil {
		e.err = fmt.Errorf("apk: %s: %w", e.where, err)
		return n, e.err
	}
	return n, err
}

func (e *entryReader) Close() error {
	if e.closer != nil {
		return e.closer.Close()
	}
	return nil
}
