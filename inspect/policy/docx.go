package policy

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// fromDOCX reads word/document.xml of a .docx: paragraphs (w:p) with their
// runs (w:t, w:tab, w:br), heading styles (Heading1…, 标题1…, or the numeric
// style ids Chinese Word uses) and tables (w:tbl/w:tr/w:tc).
func fromDOCX(b []byte) (*builder, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("open docx: %w: %w", ErrMalformed, err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return nil, fmt.Errorf("docx: no word/document.xml: %w", ErrUnsupported)
	}
	if doc.UncompressedSize64 > maxUnzipped {
		return nil, fmt.Errorf("docx: document.xml %d bytes: %w", doc.UncompressedSize64, ErrTooLarge)
	}
	rc, err := doc.Open()
	if err != nil {
		return nil, fmt.Errorf("docx: open document.xml: %w: %w", ErrMalformed, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxUnzipped+1))
	if err != nil {
		return nil, fmt.Errorf("docx: read document.xml: %w: %w", ErrMalformed, err)
	}
	if len(data) > maxUnzipped {
		return nil, fmt.Errorf("docx: document.xml: %w", ErrTooLarge)
	}
	return parseWordXML(data)
}

// parseWordXML walks WordprocessingML.
func parseWordXML(data []byte) (*builder, error) {
	bld := &builder{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var (
		para      strings.Builder // current paragraph text
		style     string          // current paragraph style
		inText    bool
		tblDepth  int // nesting of w:tbl
		cells     []string
		cell      strings.Builder
		rowHeader bool
		tableID   int
		depth     int
	)
	endPara := func() {
		if tblDepth > 0 {
			if cell.Len() > 0 {
				cell.WriteString(" ")
			}
			cell.WriteString(para.String())
		} else if lvl := headingLevel(style); lvl > 0 {
			bld.heading(lvl, para.String())
		} else {
			bld.para(para.String())
		}
		para.Reset()
		style = ""
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("docx: xml: %w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 4096 {
				return nil, fmt.Errorf("docx: nesting too deep: %w", ErrMalformed)
			}
			switch t.Name.Local {
			case "p":
				para.Reset()
				style = ""
			case "pStyle":
				for _, a := range t.Attr {
					if a.Name.Local == "val" {
						style = a.Value
					}
				}
			case "t":
				inText = true
			case "tab":
				para.WriteString("\t")
			case "br", "cr":
				para.WriteString("\n")
			case "tbl":
				tblDepth++
				if tblDepth == 1 {
					tableID = bld.newTable()
				}
			case "tr":
				if tblDepth == 1 {
					cells = cells[:0]
					rowHeader = false
				}
			case "tblHeader":
				rowHeader = true
			case "tc":
				if tblDepth == 1 {
					cell.Reset()
				}
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				endPara()
			case "tc":
				if tblDepth == 1 {
					cells = append(cells, cell.String())
					cell.Reset()
				}
			case "tr":
				if tblDepth == 1 {
					bld.row(tableID, cells, rowHeader)
				}
			case "tbl":
				tblDepth--
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
		if bld.err != nil {
			return nil, bld.err
		}
	}
	return bld, bld.err
}

// headingLevel maps a paragraph style id to a heading level (0 = body).
func headingLevel(style string) int {
	s := strings.ToLower(style)
	for _, p := range []string{"heading", "标题", "title"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			rest = strings.TrimSpace(rest)
			if rest == "" {
				return 1
			}
			if len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
				return int(rest[0] - '0')
			}
		}
	}
	if len(s) == 1 && s[0] >= '1' && s[0] <= '6' { // Chinese Word: style ids "1".."6" are headings
		return int(s[0] - '0')
	}
	return 0
}
