// Package apk opens Android packages safely and decodes what they declare.
//
// It reads a single .apk, a bundletool split set (.apks) or an XAPK (.xapk),
// with hard limits on what may be inflated (see Limits), and decodes the
// binary AndroidManifest.xml and resources.arsc into plain Go values with
// aapt-compatible semantics (ParseManifest, ResourceStrings, NativeLibs,
// FindPolicyDocs).
//
// Nothing here writes outside the Archive's own temporary directory, and
// corrupt input yields an error naming the file and the broken part, never a
// panic.
package apk

import (
	"archive/zip"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Sentinel errors. Errors returned by this package wrap one of these where it
// applies, so callers can test with errors.Is.
var (
	// ErrNotFound: the split or entry does not exist.
	ErrNotFound = errors.New("not found")
	// ErrLimit: an entry or the archive exceeds a configured Limit.
	ErrLimit = errors.New("limit exceeded")
	// ErrZipBomb: an entry's compression ratio is implausible for real data.
	ErrZipBomb = errors.New("compression ratio too high (zip bomb?)")
	// ErrFormat: the container or a file in it is malformed.
	ErrFormat = errors.New("malformed")
	// ErrEmpty: the archive has no entries.
	ErrEmpty = errors.New("empty archive")
	// ErrMethod: an entry uses a compression method we cannot read.
	ErrMethod = errors.New("unsupported compression method")
	// ErrNoManifest: the package has no AndroidManifest.xml.
	ErrNoManifest = errors.New("no AndroidManifest.xml")
	// ErrClosed: the Archive was closed.
	ErrClosed = errors.New("archive closed")
)

// Limits bounds what reading an archive may cost. Zero fields mean "use the
// default" (see DefaultLimits).
type Limits struct {
	// MaxEntrySize is the largest uncompressed size of one entry (declared
	// and actual).
	MaxEntrySize int64
	// MaxTotalInflated bounds the bytes inflated over the Archive's lifetime,
	// counting every ReadFile/Open and the extraction of nested split APKs.
	MaxTotalInflated int64
	// MaxRatio bounds uncompressed/compressed for entries larger than
	// RatioThreshold (small files legitimately compress hugely).
	MaxRatio float64
	// MaxEntries bounds the number of entries in each zip.
	MaxEntries int
}

// RatioThreshold is the uncompressed size from which MaxRatio applies.
const RatioThreshold = 1 << 20

// DefaultLimits returns limits that accept real apps (a 150 MB APK with 60 MB
// dex files, large native libraries) and refuse zip bombs: 512 MiB per entry,
// 8 GiB inflated in total, a ratio of 250:1 above 1 MiB (deflate's maximum is
// about 1032:1; real dex, .so and asset files stay well under 20:1), and
// 200 000 entries.
func DefaultLimits() Limits {
	return Limits{
		MaxEntrySize:     512 << 20,
		MaxTotalInflated: 8 << 30,
		MaxRatio:         250,
		MaxEntries:       200_000,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxEntrySize <= 0 {
		l.MaxEntrySize = d.MaxEntrySize
	}
	if l.MaxTotalInflated <= 0 {
		l.MaxTotalInflated = d.MaxTotalInflated
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	return l
}

// Split describes one APK of a package: the base or a split.
type Split struct {
	Name string `json:"name"` // "base", "config.arm64_v8a", a feature name …
	Path string `json:"path"` // path inside the bundle; the file name for a plain .apk
	Size int64  `json:"size"` // size of the APK file in bytes
}

// Entry is one zip entry of the base or a split.
type Entry struct {
	Split          string `json:"split"`
	Name           string `json:"name"`
	Size           int64  `json:"size"`            // declared uncompressed size
	CompressedSize int64  `json:"compressed_size"` // declared compressed size
	Method         uint16 `json:"method"`          // 0 stored, 8 deflated, other = unknown
}

// part is one opened APK (base or split).
type part struct {
	split Split
	ra    io.ReaderAt
	size  int64
	zr    *zip.Reader
	files map[string]*zip.File
	order []*zip.File
	file  *os.File // non-nil when the part owns an open file
	// problems are the archive problems found (none refusing, once open).
	problems []ArchiveProblem
}

// Archive is an opened .apk, .apks or .xapk. Its methods are safe for
// concurrent use; Close releases the files and removes the temp directory.
type Archive struct {
	name   string // base name of the opened file, for errors
	format string
	lim    Limits

	f      *os.File
	tmpDir string
	parts  []*part // parts[0] is the base
	outer  *part   // the bundle container, for .apks/.xapk

	inflated atomic.Int64
	closed   atomic.Bool
	closeMu  sync.Mutex
}

// Open opens an .apk, .apks (bundletool split set) or .xapk file. The kind is
// detected from the content: a zip with AndroidManifest.xml is an APK; a zip
// holding *.apk files is a bundle ("xapk" when it has manifest.json or the
// .xapk extension, "apks" otherwise). Nested APKs stored uncompressed are read
// in place; compressed ones are inflated (within lim) into a temp directory
// the Archive owns and Close removes.
func Open(path string, lim Limits) (_ *Archive, err error) {
	lim = lim.withDefaults()
	name := filepath.Base(path)
	// Refuse special files before opening: opening a FIFO blocks, and
	// /dev/zero never ends.
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("apk: %s: %w", name, err)
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("apk: %s: not a regular file (%s): %w", name, fileKind(st.Mode()), ErrFormat)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("apk: %s: open: %w", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("apk: %s: stat: %w", name, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("apk: %s: not a regular file (%s): %w", name, fileKind(st.Mode()), ErrFormat)
	}
	a := &Archive{name: name, lim: lim, f: f}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	outer, err := openZip(f, st.Size(), lim)
	if err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			re.setSplit("base")
		}
		return nil, fmt.Errorf("apk: %s: %w", name, err)
	}
	outer.split = Split{Name: "base", Path: name, Size: st.Size()}
	if _, ok := outer.files["AndroidManifest.xml"]; ok || !hasNestedAPKs(outer) {
		a.format = "apk"
		a.parts = []*part{outer}
		return a, nil
	}
	if err := a.openBundle(outer, path); err != nil {
		return nil, fmt.Errorf("apk: %s: %w", name, err)
	}
	return a, nil
}

// Problems returns the archive problems of the base, the splits and the
// bundle container that did not make Android refuse the package (Open
// fails with a *RefusedError for those); never nil.
func (a *Archive) Problems() []ArchiveProblem {
	out := []ArchiveProblem{}
	ps := a.parts
	if a.outer != nil && !slices.Contains(ps, a.outer) {
		ps = append([]*part{a.outer}, ps...)
	}
	for _, p := range ps {
		for _, q := range p.problems {
			q.Split = p.split.Name
			if p == a.outer {
				q.Split = a.name // the bundle container itself
			}
			out = append(out, q)
		}
	}
	return out
}

// Format returns "apk", "apks" or "xapk".
func (a *Archive) Format() string { return a.format }

// Name returns the base name of the opened file.
func (a *Archive) Name() string { return a.name }

// Splits returns the base and the splits, the base first, then by name.
func (a *Archive) Splits() []Split {
	out := make([]Split, len(a.parts))
	for i, p := range a.parts {
		out[i] = p.split
	}
	return out
}

// Entries returns every zip entry of the base and the splits, sorted by split
// (base first, then by split name) and by entry name.
func (a *Archive) Entries() []Entry {
	var out []Entry
	for _, p := range a.parts {
		for _, f := range p.order {
			out = append(out, Entry{
				Split: p.split.Name, Name: f.Name,
				Size: int64(f.UncompressedSize64), CompressedSize: int64(f.CompressedSize64),
				Method: f.Method,
			})
		}
	}
	// parts are already ordered base-first then by name; keep that order.
	rank := map[string]int{}
	for i, p := range a.parts {
		rank[p.split.Name] = i
	}
	slices.SortStableFunc(out, func(x, y Entry) int {
		if c := cmp.Compare(rank[x.Split], rank[y.Split]); c != 0 {
			return c
		}
		return strings.Compare(x.Name, y.Name)
	})
	return out
}

// Has reports whether the split ("" = base) holds an entry called name.
func (a *Archive) Has(split, name string) bool {
	p := a.part(split)
	if p == nil {
		return false
	}
	_, ok := p.files[name]
	return ok
}

// InflatedBytes returns how many bytes have been inflated (or reserved for
// inflation) so far; it is what MaxTotalInflated bounds.
func (a *Archive) InflatedBytes() int64 { return a.inflated.Load() }

func (a *Archive) part(split string) *part {
	if split == "" {
		split = "base"
	}
	for _, p := range a.parts {
		if p.split.Name == split {
			return p
		}
	}
	return nil
}

func (a *Archive) lookup(split, name string) (*part, *zip.File, error) {
	if a.closed.Load() {
		return nil, nil, fmt.Errorf("apk: %s: %w", a.name, ErrClosed)
	}
	p := a.part(split)
	if p == nil {
		return nil, nil, fmt.Errorf("apk: %s: split %q: %w", a.name, split, ErrNotFound)
	}
	f, ok := p.files[name]
	if !ok {
		return nil, nil, fmt.Errorf("apk: %s: %s: %w", a.where(p), name, ErrNotFound)
	}
	return p, f, nil
}

// where names a part for error messages: the file, plus the split path in a
// bundle.
func (a *Archive) where(p *part) string {
	if a.format == "apk" || p == nil {
		return a.name
	}
	return a.name + "!" + p.split.Path
}

// ReadFile returns the uncompressed content of an entry of the split ("" or
// "base" = the base APK). The declared size is checked against the limits
// before anything is allocated, and the actual inflated size is enforced
// while reading. The bytes count toward MaxTotalInflated.
func (a *Archive) ReadFile(split, name string) ([]byte, error) {
	p, f, err := a.lookup(split, name)
	if err != nil {
		return nil, err
	}
	rc, size, err := a.openEntry(p, f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, size)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, fmt.Errorf("apk: %s: %s: %w", a.where(p), name, err)
	}
	// Reading one more byte triggers the overrun and CRC checks.
	var one [1]byte
	if n, err := rc.Read(one[:]); n != 0 || (err != nil && err != io.EOF) {
		if err == nil {
			err = fmt.Errorf("entry longer than declared: %w", ErrFormat)
		}
		return nil, fmt.Errorf("apk: %s: %s: %w", a.where(p), name, err)
	}
	return buf, nil
}

// Open returns a streaming reader of an entry, bounded like ReadFile.
func (a *Archive) Open(split, name string) (io.ReadCloser, error) {
	p, f, err := a.lookup(split, name)
	if err != nil {
		return nil, err
	}
	rc, _, err := a.openEntry(p, f)
	return rc, err
}

// BaseReaderAt returns the raw bytes of the base APK and their length, for
// signature verification.
func (a *Archive) BaseReaderAt() (io.ReaderAt, int64) {
	p := a.parts[0]
	return p.ra, p.size
}

// SplitReaderAt returns the raw bytes of a split APK ("" = base).
func (a *Archive) SplitReaderAt(split string) (io.ReaderAt, int64, error) {
	p := a.part(split)
	if p == nil {
		return nil, 0, fmt.Errorf("apk: %s: split %q: %w", a.name, split, ErrNotFound)
	}
	return p.ra, p.size, nil
}

// Close closes the files and removes the Archive's temp directory. It is safe
// to call more than once.
func (a *Archive) Close() error {
	a.closeMu.Lock()
	defer a.closeMu.Unlock()
	if a.closed.Swap(true) {
		return nil
	}
	var errs []error
	for _, p := range a.parts {
		if p.file != nil {
			errs = append(errs, p.file.Close())
		}
	}
	if a.f != nil {
		errs = append(errs, a.f.Close())
	}
	if a.tmpDir != "" {
		errs = append(errs, os.RemoveAll(a.tmpDir))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("apk: %s: close: %w", a.name, err)
	}
	return nil
}

// fileKind names the type of a non-regular file for error messages.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}
