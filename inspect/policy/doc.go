// Package policy reads privacy policies and extracts what they declare.
//
// A policy arrives as pasted text, a .txt/.html/.pdf/.docx file, a file
// bundled inside an APK, or the text of a consent dialog captured from a
// device screen (uiautomator dump XML). Load and LoadBytes keep the original
// bytes as evidence (source, time, SHA-256) and build a Document: the
// normalised text with paragraphs, sentences, numbered sections and table
// rows. Extract then finds the personal-information types the policy
// declares (in the shared pi vocabulary), the Android permission groups it
// explains, the third-party SDKs it lists, the purposes and conditions of
// processing, and which elements of informed consent are present.
//
// # Offsets
//
// Every offset in this package (Span.Start, Span.End, DataType.Start, …) is a
// rune (Unicode code point) offset into Document.Text, half-open [Start, End).
// Document.Text is the normalised text: decoded to UTF-8, byte-order marks and
// zero-width characters removed, line endings turned into "\n", other control
// characters removed; for HTML, DOCX, PDF and uiautomator input it is the text
// rendered one block per line, table cells separated by "\t". Offsets are
// stable: the same bytes always give the same Text and the same offsets.
// A UI can highlight a span with []rune(doc.Text)[s.Start:s.End].
package policy

import (
	"errors"
	"time"
)

// Errors returned by the loaders. They are wrapped with context; test with
// errors.Is.
var (
	ErrEmpty       = errors.New("empty input")
	ErrTooLarge    = errors.New("input too large")
	ErrBinary      = errors.New("input is binary, not text")
	ErrUnsupported = errors.New("unsupported format")
	ErrMalformed   = errors.New("malformed document")
	ErrNoText      = errors.New("document has no text")
)

// Limits applied to every input.
const (
	// MaxInputBytes caps the size of the original bytes.
	MaxInputBytes = 32 << 20
	// MaxTextRunes caps the length of the normalised text.
	MaxTextRunes = 4 << 20
	// maxUnzipped caps the uncompressed size read from a DOCX part.
	maxUnzipped = 64 << 20
)

// Source kinds accepted by LoadBytes.
const (
	KindPaste       = "paste"
	KindTXT         = "txt"
	KindHTML        = "html"
	KindPDF         = "pdf"
	KindDOCX        = "docx"
	KindAPK         = "apk"
	KindUIAutomator = "uiautomator"
)

// Source says where a policy came from.
type Source struct {
	Kind    string    `json:"kind"` // "paste","txt","html","pdf","docx","apk","uiautomator"
	Name    string    `json:"name"` // file name, path inside the APK, or a label for a paste
	Fetched time.Time `json:"fetched"`
	Format  string    `json:"format"` // the format actually parsed: txt, html, pdf, docx, uiautomator
	// Encoding is the character encoding the text was decoded from
	// ("utf-8", "utf-16le", "utf-16be", "gb18030", "mixed utf-8/gb18030").
	Encoding string `json:"encoding,omitempty"`
}

// Original is the evidence: the bytes exactly as received.
type Original struct {
	Source Source `json:"source"`
	SHA256 string `json:"sha256"` // hex of the SHA-256 of Bytes
	Size   int    `json:"size"`
	Bytes  []byte `json:"-"`
}

// Span is a half-open range [Start, End) of rune offsets into Document.Text,
// with the text it covers.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Section is a part of the policy opened by a heading: an HTML/Markdown
// heading or a paragraph starting with Chinese or Arabic numbering
// (一、 （一） 1. （1） 第一条).
type Section struct {
	Heading Span   `json:"heading"`
	Number  string `json:"number"` // the numbering as written, e.g. "一、", "（二）", "3."; empty for unnumbered headings
	Title   string `json:"title"`  // the heading without its numbering
	Level   int    `json:"level"`  // 1 is the outermost
	Start   int    `json:"start"`  // start of the heading
	End     int    `json:"end"`    // end of the section's body (start of the next heading of the same or a higher level)
	Parent  int    `json:"parent"` // index into Document.Sections, -1 for top level
}

// Table is a table of the source document (HTML, DOCX or Markdown pipe
// table). Each row is one line of Document.Text with cells separated by tabs.
type Table struct {
	Start int        `json:"start"`
	End   int        `json:"end"`
	Rows  []TableRow `json:"rows"`
}

// TableRow is one row of a Table.
type TableRow struct {
	Span
	Cells  []Span `json:"cells"`
	Header bool   `json:"header"` // the row is made of th cells or is the first row of a Markdown table
}

// Document is a loaded policy.
type Document struct {
	Original Original `json:"original"`
	// Text is the normalised text; all offsets are rune offsets into it.
	Text       string    `json:"text"`
	Sections   []Section `json:"sections"`
	Paragraphs []Span    `json:"paragraphs"`
	Sentences  []Span    `json:"sentences"`
	Tables     []Table   `json:"tables"`

	runes []rune
}

// Slice returns the text of the rune range [start, end), clamped to the text.
func (d *Document) Slice(start, end int) string {
	r := d.rs()
	start = max(0, min(start, len(r)))
	end = max(start, min(end, len(r)))
	return string(r[start:end])
}

func (d *Document) rs() []rune {
	if d.runes == nil || len(d.runes) == 0 && d.Text != "" {
		d.runes = []rune(d.Text)
	}
	return d.runes
}
