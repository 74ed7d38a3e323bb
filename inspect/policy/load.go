package policy

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// now is the clock used for Source.Fetched; tests replace it.
var now = func() time.Time { return time.Now().UTC() }

// Load reads a policy file. The format is chosen by sniffing the content
// (PDF and ZIP signatures, uiautomator XML, HTML) and then by the extension
// (.pdf, .docx, .html/.htm/.xhtml, .xml, .txt/.md/anything else as text).
func Load(path string) (*Document, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("policy: load: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("policy: load %s: is a directory: %w", filepath.Base(path), ErrUnsupported)
	}
	if !fi.Mode().IsRegular() {
		// A FIFO would block the read, a device such as /dev/zero never
		// ends.
		return nil, fmt.Errorf("policy: load %s: not a regular file (%s) / 不是普通文件: %w", filepath.Base(path), fi.Mode().Type(), ErrUnsupported)
	}
	if fi.Size() > MaxInputBytes {
		return nil, fmt.Errorf("policy: load %s: %d bytes (limit %d): %w", filepath.Base(path), fi.Size(), MaxInputBytes, ErrTooLarge)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: load: %w", err)
	}
	kind := ""
	switch sniff(path, b) {
	case "pdf":
		kind = KindPDF
	case "docx":
		kind = KindDOCX
	case "html":
		kind = KindHTML
	case "uiautomator":
		kind = KindUIAutomator
	default:
		kind = KindTXT
	}
	return LoadBytes(path, b, kind)
}

// LoadBytes builds a Document from bytes: a paste (kind "paste"), a file
// found inside an APK by the scan (kind "apk", name is the entry path), a
// consent-dialog screen dump (kind "uiautomator") or the content of a file
// of the given kind. An empty kind sniffs the format from name and content.
// For kinds "paste" and "apk" the format is sniffed too (a paste may be HTML,
// an APK may bundle .html or .txt).
func LoadBytes(name string, b []byte, kind string) (*Document, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("policy: load %q: %w", name, ErrEmpty)
	}
	if len(b) > MaxInputBytes {
		return nil, fmt.Errorf("policy: load %q: %d bytes (limit %d): %w", name, len(b), MaxInputBytes, ErrTooLarge)
	}
	format := ""
	switch kind {
	case KindTXT:
		format = "txt"
	case KindHTML, KindPDF, KindDOCX, KindUIAutomator:
		format = kind
	case KindPaste, KindAPK, "":
		format = sniff(name, b)
		if kind == "" {
			kind = format
			if kind == "txt" {
				kind = KindTXT
			}
		}
	default:
		return nil, fmt.Errorf("policy: load %q: kind %q: %w", name, kind, ErrUnsupported)
	}
	sum := sha256.Sum256(b)
	orig := Original{
		Source: Source{Kind: kind, Name: name, Fetched: now(), Format: format},
		SHA256: hex.EncodeToString(sum[:]),
		Size:   len(b),
		Bytes:  bytes.Clone(b),
	}
	var (
		bld *builder
		err error
	)
	switch format {
	case "pdf":
		bld, err = fromPDF(b)
	case "docx":
		bld, err = fromDOCX(b)
	case "html":
		var s string
		s, orig.Source.Encoding, err = decodeText(b)
		if err == nil {
			bld, err = fromHTML(s)
		}
	case "uiautomator":
		bld, err = fromUIAutomator(b)
	default:
		var s string
		s, orig.Source.Encoding, err = decodeText(b)
		if err == nil {
			bld = fromPlain(s)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("policy: load %q as %s: %w", name, format, err)
	}
	doc, err := bld.document()
	if err != nil {
		return nil, fmt.Errorf("policy: load %q as %s: %w", name, format, err)
	}
	doc.Original = orig
	return doc, nil
}

// sniff names the format of b: "pdf", "docx", "html", "uiautomator" or "txt".
func sniff(name string, b []byte) string {
	head := b[:min(len(b), 1024)]
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "docx"
	}
	lh := bytes.ToLower(head)
	if bytes.Contains(lh, []byte("<hierarchy")) {
		return "uiautomator"
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return "pdf"
	case ".docx":
		return "docx"
	case ".html", ".htm", ".xhtml":
		return "html"
	}
	t := bytes.TrimLeft(lh, " \t\r\n\xef\xbb\xbf")
	if bytes.HasPrefix(t, []byte("<!doctype html")) || bytes.HasPrefix(t, []byte("<html")) ||
		(bytes.HasPrefix(t, []byte("<")) && (bytes.Contains(lh, []byte("<body")) || bytes.Contains(lh, []byte("<p>")) || bytes.Contains(lh, []byte("<div")))) {
		return "html"
	}
	return "txt"
}

// decodeText decodes b to UTF-8: a BOM decides; else valid UTF-8; else
// UTF-16 without BOM (many NULs); else GB18030 (a superset of GBK and
// GB2312), line by line so that a file mixing UTF-8 and GBK lines is read
// correctly. Binary content is refused.
func decodeText(b []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return checkText(decodeUTF16(b[2:], false), "utf-16le")
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return checkText(decodeUTF16(b[2:], true), "utf-16be")
	}
	if looksUTF16(b) {
		le := b[1] == 0 // "a\x00" little-endian ASCII
		enc := "utf-16be"
		if le {
			enc = "utf-16le"
		}
		return checkText(decodeUTF16(b, !le), enc)
	}
	if bytes.IndexByte(b, 0) >= 0 || controlRatio(b) > 0.02 {
		return "", "", ErrBinary
	}
	if utf8.Valid(b) {
		return checkText(string(b), "utf-8")
	}
	dec := simplifiedchinese.GB18030.NewDecoder()
	var out strings.Builder
	out.Grow(len(b) * 3 / 2)
	validLines, gbLines := 0, 0
	for line := range bytes.Lines(b) {
		if utf8.Valid(line) {
			out.Write(line)
			validLines++
			continue
		}
		s, err := dec.Bytes(line)
		if err != nil {
			return "", "", fmt.Errorf("decode gb18030: %w", err)
		}
		out.Write(s)
		gbLines++
	}
	enc := "gb18030"
	if hasNonASCIIValid(b) {
		enc = "mixed utf-8/gb18030"
	}
	return checkText(out.String(), enc)
}

// hasNonASCIIValid reports whether some line of b is valid UTF-8 with
// non-ASCII content (so the file mixes encodings).
func hasNonASCIIValid(b []byte) bool {
	for line := range bytes.Lines(b) {
		if utf8.Valid(line) && bytes.ContainsFunc(line, func(r rune) bool { return r >= 0x80 }) {
			return true
		}
	}
	return false
}

func looksUTF16(b []byte) bool {
	if len(b) < 4 || len(b)%2 != 0 {
		return false
	}
	n := min(len(b), 512)
	even, odd := 0, 0
	for i := 0; i+1 < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return (odd > pairs*3/10 && even == 0) || (even > pairs*3/10 && odd == 0)
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if bigEndian {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	return string(utf16.Decode(u))
}

// controlRatio is the share of C0 control bytes other than whitespace.
func controlRatio(b []byte) float64 {
	n := min(len(b), 1<<16)
	bad := 0
	for _, c := range b[:n] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b {
			bad++
		}
	}
	return float64(bad) / float64(max(n, 1))
}

// checkText refuses decoded text that is mostly replacement or control
// characters.
func checkText(s, enc string) (string, string, error) {
	total, bad := 0, 0
	for _, r := range s {
		total++
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v') {
			bad++
		}
	}
	if total > 0 && float64(bad)/float64(total) > 0.05 {
		return "", "", ErrBinary
	}
	return s, enc, nil
}

// normalise applies the text normalisation documented in the package
// comment: no BOM or zero-width characters, "\n" line ends, no control
// characters other than "\n" and "\t".
func normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteByte('\n')
		case r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\u00AD':
		case r == utf8.RuneError && w == 1:
			b.WriteRune('\uFFFD')
		case unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
