package policy

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// fromUIAutomator reads the text of a screen from `uiautomator dump` XML:
// the text and content-desc attributes of every node, in document order,
// one line each (a content-desc equal to the node's text is not repeated).
func fromUIAutomator(b []byte) (*builder, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	bld := &builder{}
	seenRoot := false
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("uiautomator: xml: %w: %w", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 4096 {
				return nil, fmt.Errorf("uiautomator: nesting too deep: %w", ErrMalformed)
			}
			if t.Name.Local == "hierarchy" {
				seenRoot = true
			}
			if t.Name.Local != "node" {
				continue
			}
			var text, desc string
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "text":
					text = strings.TrimSpace(a.Value)
				case "content-desc":
					desc = strings.TrimSpace(a.Value)
				}
			}
			if text != "" {
				bld.para(text)
			}
			if desc != "" && desc != text {
				bld.para(desc)
			}
			if bld.err != nil {
				return nil, bld.err
			}
		case xml.EndElement:
			depth--
		}
	}
	if !seenRoot {
		return nil, fmt.Errorf("uiautomator: no <hierarchy> root: %w", ErrMalformed)
	}
	if bld.n == 0 {
		return nil, fmt.Errorf("uiautomator: screen has no text: %w", ErrNoText)
	}
	return bld, nil
}
