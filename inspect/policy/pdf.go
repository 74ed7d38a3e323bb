package policy

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// maxPDFPages bounds the pages read from one PDF.
const maxPDFPages = 2000

// readPDF reads the text layer of a PDF with github.com/ledongthuc/pdf
// (BSD-3-Clause; it applies ToUnicode CMaps, so CJK text with embedded
// subset fonts comes out as Unicode). Each text row becomes a line.
// Scanned PDFs without a text layer give ErrNoText. fromPDF (pdfguard.go)
// runs it in a bounded child process.
func readPDF(b []byte) (bld *builder, err error) {
	defer func() {
		if r := recover(); r != nil { // the PDF library panics on some malformed files
			bld, err = nil, fmt.Errorf("pdf: %w: %v", ErrMalformed, r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("pdf: %w: %w", ErrMalformed, err)
	}
	bld = &builder{}
	pages, err := pdfPages(r, maxPDFPages)
	if err != nil {
		return nil, err
	}
	for i, p := range pages {
		if p.V.IsNull() {
			continue
		}
		if err := checkPage(p, i+1); err != nil {
			return nil, err
		}
		if wide := wideIdentityFonts(p); len(wide) > 0 {
			if err := identityPageText(p, wide, bld); err != nil {
				return nil, err
			}
			continue
		}
		// text runs in content-stream order; a new line starts where the
		// baseline moves by more than half the font size.
		var line strings.Builder
		prevY, have := 0.0, false
		for _, t := range p.Content().Text {
			if have && math.Abs(t.Y-prevY) > math.Max(t.FontSize, 1)/2 {
				bld.para(line.String())
				line.Reset()
			}
			line.WriteString(t.S)
			prevY, have = t.Y, true
			if line.Len() > MaxTextRunes*4 {
				return nil, fmt.Errorf("pdf: line too long: %w", ErrTooLarge)
			}
		}
		bld.para(line.String())
		if bld.err != nil {
			return nil, bld.err
		}
	}
	if bld.n == 0 {
		return nil, fmt.Errorf("pdf: no text layer (scanned?): %w", ErrNoText)
	}
	return bld, nil
}

// wideRange is a ToUnicode bfrange mapping every two-byte code to the same
// code point (<0000> <FFFF> <0000>), as fpdf and gofpdf write for their
// UTF-8 fonts. The PDF library applies a bfrange by adjusting the last byte
// only (what the PDF specification allows ranges to span), which turns such
// text into garbage, so pages using these fonts are read by
// identityPageText.
var wideRange = regexp.MustCompile(`beginbfrange\s*<0+>\s*<[fF]{4}>\s*<0+>`)

// wideIdentityFonts returns the page's Identity-H fonts whose ToUnicode map
// is the single identity range.
func wideIdentityFonts(p pdf.Page) map[string]bool {
	out := map[string]bool{}
	for _, name := range p.Fonts() {
		f := p.Font(name)
		if f.V.Key("Encoding").Name() != "Identity-H" {
			continue
		}
		tu := f.V.Key("ToUnicode")
		if tu.Kind() != pdf.Stream {
			continue
		}
		rd := tu.Reader()
		b, _ := io.ReadAll(io.LimitReader(rd, 64<<10))
		rd.Close()
		if bytes.Count(b, []byte("bfrange")) == 2 && wideRange.Match(b) {
			out[name] = true
		}
	}
	return out
}

// identityPageText reads the text of a page that uses wide identity fonts:
// their two-byte codes are UTF-16 code units; other fonts are decoded by
// the library. A line ends where the text position moves to another
// baseline.
func identityPageText(p pdf.Page, wide map[string]bool, bld *builder) error {
	var line strings.Builder
	isWide := false
	var enc pdf.TextEncoding
	y, ly, size, leading := 0.0, math.NaN(), 1.0, 0.0
	flush := func() {
		if line.Len() > 0 {
			bld.para(line.String())
			line.Reset()
		}
	}
	moveTo := func(ny float64) {
		if math.IsNaN(ly) || math.Abs(ny-ly) > math.Max(size, 1)/2 {
			flush()
			ly = ny
		}
		y = ny
	}
	show := func(raw string) {
		if isWide {
			u := make([]uint16, 0, len(raw)/2)
			for i := 0; i+1 < len(raw); i += 2 {
				u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
			}
			line.WriteString(string(utf16.Decode(u)))
		} else if enc != nil {
			line.WriteString(enc.Decode(raw))
		} else {
			line.WriteString(raw)
		}
	}
	var tooLong bool
	pdf.Interpret(p.V.Key("Contents"), func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "BT":
			y = 0 // the text matrix restarts; no new line until it moves
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				size, isWide = math.Abs(args[1].Float64()), wide[name]
				f := p.Font(name)
				enc = f.Encoder()
			}
		case "TL":
			if len(args) == 1 {
				leading = args[0].Float64()
			}
		case "Td", "TD":
			if len(args) == 2 {
				if op == "TD" {
					leading = -args[1].Float64()
				}
				moveTo(y + args[1].Float64())
			}
		case "Tm":
			if len(args) == 6 {
				moveTo(args[5].Float64())
			}
		case "T*":
			moveTo(y - leading)
		case "'", "\"":
			moveTo(y - leading)
			if len(args) > 0 {
				show(args[len(args)-1].RawString())
			}
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				for i := 0; i < args[0].Len(); i++ {
					if x := args[0].Index(i); x.Kind() == pdf.String {
						show(x.RawString())
					}
				}
			}
		}
		if line.Len() > MaxTextRunes*4 {
			tooLong = true
		}
	})
	if tooLong {
		return fmt.Errorf("pdf: line too long: %w", ErrTooLarge)
	}
	flush()
	return bld.err
}
