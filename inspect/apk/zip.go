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
	"slices"
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
	p.problems = checkArchive(r, size, e)
	if slices.ContainsFunc(p.problems, func(q ArchiveProblem) bool { return q.Refused }) {
		return p, &RefusedError{Problems: p.problems}
	}
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
	for _, q := range p.problems {
		if q.Entry == f.Name && (q.Code == "local_name_mismatch" || q.Code == "local_header_missing") {
			// Android cannot read this entry either.
			return nil, 0, fmt.Errorf("apk: %s: %s: %w", where, q.Detail, ErrFormat)
		}
	}
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

// ArchiveProblem is a structural problem of an APK's zip container that
// Android's libziparchive checks: each has a severity, and Refused says
// that Android refuses to install (or open) such a package.
type ArchiveProblem struct {
	Code     string `json:"code"`
	Severity string `json:"severity"` // "critical", "high", "medium"
	Refused  bool   `json:"refused"`  // Android refuses the package
	Split    string `json:"split"`
	Entry    string `json:"entry,omitempty"`
	Offset   int64  `json:"offset"`
	Detail   string `json:"detail"`
	EN       string `json:"en"`
	ZH       string `json:"zh"`
}

// archiveTexts describes each problem code (en, zh).
var archiveTexts = map[string][2]string{
	"janus_dex_prefix":     {"a DEX file precedes the zip (Janus, CVE-2017-13156): older Android ran that DEX while verifying the zip's signature", "zip 之前附加了 DEX 文件（Janus 漏洞，CVE-2017-13156）：旧版 Android 会运行该 DEX，同时按 zip 校验签名"},
	"data_before_zip":      {"bytes before the first local file header", "第一个本地文件头之前有数据"},
	"unlisted_local_entry": {"local entries holding data that the central directory does not list (Android ignores them; hidden content)", "中央目录未列出的本地条目中含有数据（Android 忽略，属于隐藏内容）"},
	"cd_offset_mismatch":   {"the central directory is not where the end record says (data prepended without fixing the offsets?)", "中央目录不在结束记录所述位置（前置数据但未修正偏移？）"},
	"local_header_missing": {"an entry's local file header is missing or beyond the file: Android cannot read the entry (nor install the package when it is the manifest)", "某条目的本地文件头缺失或超出文件：Android 无法读取该条目（若为清单文件则无法安装）"},
	"local_name_mismatch":  {"an entry's local file header names a different file than the central directory: Android cannot read the entry (nor install the package when it is the manifest)", "某条目的本地文件头中的文件名与中央目录不一致：Android 无法读取该条目（若为清单文件则无法安装）"},
	"local_method_differs": {"an entry's local header gives another compression method than the central directory (Android uses the central directory's)", "某条目本地文件头的压缩方法与中央目录不同（Android 以中央目录为准）"},
}

func newProblem(code, severity string, refused bool, entry string, off int64, format string, args ...any) ArchiveProblem {
	t := archiveTexts[code]
	return ArchiveProblem{Code: code, Severity: severity, Refused: refused, Entry: entry, Offset: off,
		Detail: fmt.Sprintf(format, args...), EN: t[0], ZH: t[1]}
}

// ErrRefused: Android refuses the package (see RefusedError).
var ErrRefused = errors.New("refused as Android refuses it / Android 同样拒绝此安装包")

// RefusedError is returned by Open for a package Android refuses; it
// carries every problem found, the refusing ones first.
type RefusedError struct {
	Problems []ArchiveProblem
}

func (e *RefusedError) Error() string {
	var parts []string
	for _, p := range e.Problems {
		if p.Refused {
			s := p.Code + ": " + p.Detail
			if p.Entry != "" {
				s = p.Entry + ": " + s
			}
			parts = append(parts, s)
		}
	}
	return ErrRefused.Error() + " (" + strings.Join(parts, "; ") + ")"
}

func (e *RefusedError) Unwrap() error { return ErrRefused }

func (e *RefusedError) setSplit(name string) {
	for i := range e.Problems {
		if e.Problems[i].Split == "" {
			e.Problems[i].Split = name
		}
	}
}

const (
	cdHeaderSig    = 0x02014b50
	cdHeaderLen    = 46
	localHeaderSig = 0x04034b50
	localHeaderLen = 30
	// maxCDRead bounds the central directory read in one piece.
	maxCDRead = 256 << 20
)

// unlistedEntries walks the local headers from offset 0 up to end (the
// first entry the central directory lists). It reports the bytes of data
// they hold and whether the walk lands exactly on end (the prefix is then
// only local entries).
func unlistedEntries(r io.ReaderAt, end int64) (int64, bool) {
	var h [localHeaderLen]byte
	var data int64
	for off := int64(0); off < end; {
		if _, err := r.ReadAt(h[:], off); err != nil || binary.LittleEndian.Uint32(h[:]) != localHeaderSig {
			return data, false
		}
		if binary.LittleEndian.Uint16(h[6:])&0x8 != 0 {
			return data, false // sizes in a data descriptor: cannot walk on
		}
		n := int64(binary.LittleEndian.Uint32(h[18:]))
		data += n
		off += localHeaderLen + int64(binary.LittleEndian.Uint16(h[26:])) + int64(binary.LittleEndian.Uint16(h[28:])) + n
		if off == end {
			return data, true
		}
	}
	return data, false
}

// checkArchive walks the central directory at its raw offset, as Android's
// libziparchive does (archive/zip silently corrects for prepended data),
// and compares each entry's local header with it. Problems that make
// Android refuse the package are marked Refused.
func checkArchive(r io.ReaderAt, size int64, e *eocd) []ArchiveProblem {
	var out []ArchiveProblem
	if e.cdSize > maxCDRead {
		return nil // openZip's entry limit refuses such archives anyway
	}
	cd := make([]byte, e.cdSize)
	if _, err := r.ReadAt(cd, int64(e.cdOffset)); err != nil && !errors.Is(err, io.EOF) {
		return []ArchiveProblem{newProblem("cd_offset_mismatch", "critical", true, "", int64(e.cdOffset), "cannot read the central directory: %v", err)}
	}
	minLocal := int64(math.MaxInt64)
	var lh [localHeaderLen]byte
	nameBuf := make([]byte, 0, 256)
	off := 0
	for i := uint64(0); i < e.records; i++ {
		if len(cd)-off < cdHeaderLen || binary.LittleEndian.Uint32(cd[off:]) != cdHeaderSig {
			out = append(out, newProblem("cd_offset_mismatch", "critical", true, "", int64(e.cdOffset)+int64(off),
				"no central directory entry %d at offset %d", i, int64(e.cdOffset)+int64(off)))
			break
		}
		h := cd[off:]
		method := binary.LittleEndian.Uint16(h[10:])
		nameLen := int(binary.LittleEndian.Uint16(h[28:]))
		extraLen := int(binary.LittleEndian.Uint16(h[30:]))
		commentLen := int(binary.LittleEndian.Uint16(h[32:]))
		local := int64(binary.LittleEndian.Uint32(h[42:]))
		if len(h) < cdHeaderLen+nameLen {
			break // archive/zip has refused this already
		}
		name := string(h[cdHeaderLen : cdHeaderLen+nameLen])
		off += cdHeaderLen + nameLen + extraLen + commentLen
		if local == 0xffffffff {
			continue // zip64 offset: archive/zip checks it
		}
		minLocal = min(minLocal, local)
		// libziparchive checks a local header when the entry is read: a bad
		// one makes that entry unreadable, and the package uninstallable
		// when the entry is the manifest (aapt, too, fails only then).
		sev, refuse := "high", false
		if name == "AndroidManifest.xml" {
			sev, refuse = "critical", true
		}
		if local+localHeaderLen > size {
			out = append(out, newProblem("local_header_missing", sev, refuse, name, local, "local header at %d beyond the file (%d bytes)", local, size))
			continue
		}
		if _, err := r.ReadAt(lh[:], local); err != nil || binary.LittleEndian.Uint32(lh[:]) != localHeaderSig {
			out = append(out, newProblem("local_header_missing", sev, refuse, name, local, "no local header signature at %d", local))
			continue
		}
		lnameLen := int(binary.LittleEndian.Uint16(lh[26:]))
		nameBuf = nameBuf[:0]
		nameBuf = append(nameBuf, make([]byte, lnameLen)...)
		if _, err := r.ReadAt(nameBuf, local+localHeaderLen); err != nil {
			out = append(out, newProblem("local_header_missing", sev, refuse, name, local, "local header name beyond the file"))
			continue
		}
		if string(nameBuf) != name {
			out = append(out, newProblem("local_name_mismatch", sev, refuse, name, local,
				"local header names %q, central directory %q", nameBuf, name))
		}
		if lm := binary.LittleEndian.Uint16(lh[8:]); lm != method {
			out = append(out, newProblem("local_method_differs", "medium", false, name, local,
				"local header method %d, central directory %d", lm, method))
		}
	}
	// libziparchive refuses an archive that does not start with a local
	// header ("Entry at offset zero has invalid LFH signature": the fix
	// for Janus); data between a local header at 0 and the first entry is
	// only reported.
	var magic [4]byte
	r.ReadAt(magic[:], 0)
	startsLFH := binary.LittleEndian.Uint32(magic[:]) == localHeaderSig
	if string(magic[:]) == "dex\n" {
		out = append(out, newProblem("janus_dex_prefix", "critical", true, "", 0, "DEX magic at offset 0, %d bytes before the first entry", minLocal))
	}
	if minLocal != math.MaxInt64 && minLocal > 0 {
		switch hidden, ok := unlistedEntries(r, minLocal); {
		case !startsLFH:
			out = append(out, newProblem("data_before_zip", "critical", true, "", 0, "%d bytes before the first local header", minLocal))
		case ok && hidden == 0:
			// Local headers without data that the central directory does
			// not list: the "virtual entries" build tools (zipflinger)
			// write for alignment. Not a problem.
		case ok:
			out = append(out, newProblem("unlisted_local_entry", "medium", false, "", 0, "local entries before the first listed one hold %d bytes the central directory does not list", hidden))
		default:
			out = append(out, newProblem("data_before_zip", "high", false, "", 0, "%d bytes before the first local header", minLocal))
		}
	}
	return out
}
