package policy

import (
	"fmt"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLDepth bounds recursion over deeply nested (hostile) HTML.
const maxHTMLDepth = 512

var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Head: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true,
}

var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Body: true,
	atom.Center: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Dir: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Html: true,
	atom.Li: true, atom.Main: true, atom.Menu: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Section: true, atom.Summary: true, atom.Ul: true, atom.Caption: true, atom.Br: true,
	atom.Option: true, atom.Legend: true,
}

var headingTags = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

// htmlConv renders an HTML tree into a builder.
type htmlConv struct {
	b      *builder
	inline strings.Builder
}

// fromHTML renders HTML: scripts and styles dropped, one line per block,
// headings kept as headings, tables as rows of tab-separated cells, <pre>
// text kept line by line.
func fromHTML(s string) (*builder, error) {
	root, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	c := &htmlConv{b: &builder{}}
	c.walk(root, 0)
	c.flush()
	return c.b, c.b.err
}

func (c *htmlConv) flush() {
	t := strings.Join(strings.Fields(c.inline.String()), " ")
	c.inline.Reset()
	if t != "" {
		c.b.para(t)
	}
}

func (c *htmlConv) walk(n *html.Node, depth int) {
	if depth > maxHTMLDepth || c.b.err != nil {
		return
	}
	switch n.Type {
	case html.TextNode:
		c.inline.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipTags[n.DataAtom] {
			return
		}
		if lvl, ok := headingTags[n.DataAtom]; ok {
			c.flush()
			c.b.heading(lvl, strings.Join(strings.Fields(textContent(n, 0)), " "))
			return
		}
		switch n.DataAtom {
		case atom.Table:
			c.flush()
			c.table(n)
			return
		case atom.Pre, atom.Textarea:
			c.flush()
			c.b.para(textContent(n, 0))
			return
		}
		if blockTags[n.DataAtom] {
			c.flush()
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				c.walk(ch, depth+1)
			}
			c.flush()
			return
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.walk(ch, depth+1)
	}
}

// table emits the rows of t (rows of nested tables are rendered inside
// their cell's text).
func (c *htmlConv) table(t *html.Node) {
	id := c.b.newTable()
	var rows func(n *html.Node, inHead bool, depth int)
	rows = func(n *html.Node, inHead bool, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			switch ch.DataAtom {
			case atom.Thead:
				rows(ch, true, depth+1)
			case atom.Tbody, atom.Tfoot:
				rows(ch, false, depth+1)
			case atom.Caption:
				c.b.para(textContent(ch, 0))
			case atom.Tr:
				var cells []string
				allTH := true
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if td.Type != html.ElementNode || (td.DataAtom != atom.Td && td.DataAtom != atom.Th) {
						continue
					}
					if td.DataAtom != atom.Th {
						allTH = false
					}
					cells = append(cells, textContent(td, 0))
				}
				c.b.row(id, cells, inHead || (allTH && len(cells) > 0))
			}
		}
	}
	rows(t, false, 0)
}

// textContent is the visible text under n, blocks separated by spaces.
func textContent(n *html.Node, depth int) string {
	var sb strings.Builder
	var rec func(n *html.Node, depth int)
	rec = func(n *html.Node, depth int) {
		if depth > maxHTMLDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			sb.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipTags[n.DataAtom] {
				return
			}
			if n.DataAtom == atom.Br {
				sb.WriteString("\n")
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			rec(ch, depth+1)
		}
		if n.Type == html.ElementNode && (blockTags[n.DataAtom] || n.DataAtom == atom.Td || n.DataAtom == atom.Th) {
			sb.WriteString(" ")
		}
	}
	rec(n, depth)
	return sb.String()
}
