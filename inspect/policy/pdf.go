package policy

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// maxPDFPages bounds the pages read from one PDF.
const maxPDFPages = 2000

// fromPDF reads the text layer of a PDF with github.com/ledongthuc/pdf
// (BSD-3-Clause; it applies ToUnicode CMaps, so CJK text with embedded
// subset fonts comes out as Unicode). Each text row becomes a line.
// Scanned PDFs without a text layer give ErrNoText.
func fromPDF(b []byte) (bld *builder, err error) {
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
	n := min(r.NumPage(), maxPDFPages)
	for i := 1; i <= n; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
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
