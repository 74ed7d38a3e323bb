package policy

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

type blockKind int

const (
	blockPara blockKind = iota
	blockHeading
	blockRow
)

// block is one line of Document.Text with what the source format says of it.
type block struct {
	kind   blockKind
	level  int // heading level for blockHeading
	start  int // rune offsets into the text
	end    int
	cells  [][2]int
	header bool
	table  int // table number for blockRow; rows of one table are consecutive
}

// builder accumulates the normalised text and its blocks.
type builder struct {
	sb     strings.Builder
	n      int // runes written
	blocks []block
	tables int
	err    error
}

func (b *builder) write(s string) {
	if b.err != nil {
		return
	}
	b.sb.WriteString(s)
	b.n += utf8.RuneCountInString(s)
	if b.n > MaxTextRunes {
		b.err = fmt.Errorf("text longer than %d characters: %w", MaxTextRunes, ErrTooLarge)
	}
}

// line appends s (normalised, internal newlines turned into spaces) as a
// block of the given kind followed by "\n". Blank lines add nothing.
func (b *builder) line(kind blockKind, level int, s string) {
	s = strings.TrimSpace(strings.ReplaceAll(normalise(s), "\n", " "))
	if s == "" {
		return
	}
	start := b.n
	b.write(s)
	b.blocks = append(b.blocks, block{kind: kind, level: level, start: start, end: b.n})
	b.write("\n")
}

// para appends a paragraph; text with newlines becomes one block per line.
func (b *builder) para(s string) {
	for l := range strings.SplitSeq(normalise(s), "\n") {
		b.line(blockPara, 0, l)
	}
}

func (b *builder) heading(level int, s string) { b.line(blockHeading, level, s) }

// newTable starts a table; the rows that follow belong to it.
func (b *builder) newTable() int { b.tables++; return b.tables }

// row appends a table row: cells separated by tabs.
func (b *builder) row(table int, cells []string, header bool) {
	var cl []string
	for _, c := range cells {
		c = strings.Join(strings.Fields(strings.ReplaceAll(normalise(c), "\t", " ")), " ")
		cl = append(cl, c)
	}
	empty := true
	for _, c := range cl {
		if c != "" {
			empty = false
		}
	}
	if empty {
		return
	}
	blk := block{kind: blockRow, start: b.n, table: table, header: header}
	for i, c := range cl {
		if i > 0 {
			b.write("\t")
		}
		s := b.n
		b.write(c)
		blk.cells = append(blk.cells, [2]int{s, b.n})
	}
	blk.end = b.n
	b.blocks = append(b.blocks, blk)
	b.write("\n")
}

var (
	mdHeading = regexp.MustCompile(`^\s{0,3}(#{1,6})\s+\S`)
	mdRule    = regexp.MustCompile(`^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$`)
)

// fromPlain keeps the text as it is (normalised) and finds its lines,
// Markdown headings and Markdown pipe tables.
func fromPlain(s string) *builder {
	b := &builder{}
	s = normalise(s)
	b.write(s)
	if b.err != nil {
		return b
	}
	off := 0
	table, prevRow := 0, false
	rowInTable := 0
	for l := range strings.SplitSeq(s, "\n") {
		n := utf8.RuneCountInString(l)
		lead := utf8.RuneCountInString(l) - utf8.RuneCountInString(strings.TrimLeftFunc(l, unicode.IsSpace))
		trail := n - utf8.RuneCountInString(strings.TrimRightFunc(l, unicode.IsSpace))
		start, end := off+lead, off+n-trail
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			prevRow = false
		case strings.HasPrefix(t, "|") && strings.Count(t, "|") >= 2:
			if mdRule.MatchString(t) {
				if prevRow && rowInTable == 1 {
					b.blocks[len(b.blocks)-1].header = true
				}
				break
			}
			if !prevRow {
				table = b.newTable()
				rowInTable = 0
			}
			prevRow = true
			rowInTable++
			blk := block{kind: blockRow, start: start, end: end, table: table}
			// cells: split on '|' at rune positions
			rs := []rune(l)
			cs := -1
			for i, r := range rs {
				if r != '|' {
					continue
				}
				if cs >= 0 {
					a, z := cs, i
					for a < z && unicode.IsSpace(rs[a]) {
						a++
					}
					for z > a && unicode.IsSpace(rs[z-1]) {
						z--
					}
					blk.cells = append(blk.cells, [2]int{off + a, off + z})
				}
				cs = i + 1
			}
			b.blocks = append(b.blocks, blk)
		default:
			prevRow = false
			if m := mdHeading.FindStringSubmatch(l); m != nil {
				b.blocks = append(b.blocks, block{kind: blockHeading, level: len(m[1]), start: start, end: end})
			} else {
				b.blocks = append(b.blocks, block{kind: blockPara, start: start, end: end})
			}
		}
		off += n + 1
	}
	return b
}

// Chinese and Arabic numbering at the start of a paragraph, by rank.
var numbering = []struct {
	re   *regexp.Regexp
	rank int
}{
	{regexp.MustCompile(`^第[一二三四五六七八九十百零〇]+[章部篇]`), 1},
	{regexp.MustCompile(`^[一二三四五六七八九十百]+\s*[、.．]`), 2},
	{regexp.MustCompile(`^第[一二三四五六七八九十百零〇]+[节条]`), 3},
	{regexp.MustCompile(`^[（(]\s*[一二三四五六七八九十百]+\s*[）)]`), 3},
	{regexp.MustCompile(`^\d{1,2}[.．]\d{1,2}[.．]\d{1,2}(?:[.．、\s]|$)`), 6},
	{regexp.MustCompile(`^\d{1,2}[.．]\d{1,2}(?:[.．、\s]|$)`), 5},
	{regexp.MustCompile(`^\d{1,2}\s*[、.．](?:[^\d]|$)`), 4},
	{regexp.MustCompile(`^[（(]\s*\d{1,2}\s*[）)]`), 7},
	{regexp.MustCompile(`^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]`), 8},
	{regexp.MustCompile(`^(?i)(?:article|section|part)\s+\d+`), 2},
}

var headingEnd = []rune("。；;，,：:")

// headingNumber returns the numbering of a numbered heading paragraph and
// its rank, or "" when p is not a heading.
func headingNumber(p string) (string, int) {
	p = strings.TrimLeft(p, "#*> \t\u3000")
	for _, n := range numbering {
		loc := n.re.FindStringIndex(p)
		if loc == nil {
			continue
		}
		num := p[:loc[1]]
		// the last rune of the match may belong to the title ([^\d]).
		if r, w := utf8.DecodeLastRuneInString(num); !strings.ContainsRune("、.．）)章部篇节条 \t", r) && !strings.ContainsRune("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳", r) && !unicode.IsDigit(r) {
			num = num[:len(num)-w]
		}
		return strings.TrimSpace(num), n.rank
	}
	return "", 0
}

// isHeadingText decides whether a numbered paragraph is a heading rather
// than a numbered list item with body text.
func isHeadingText(p string) bool {
	p = strings.TrimSpace(strings.Trim(p, "*#"))
	n := utf8.RuneCountInString(p)
	if n == 0 || n > 60 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	for _, r := range headingEnd {
		if last == r && r != '：' && r != ':' {
			return false
		}
	}
	// a sentence end inside means body text follows the number.
	return !strings.ContainsAny(strings.TrimRight(p, "。"), "。；")
}

// document turns the builder's text and blocks into a Document.
func (b *builder) document() (*Document, error) {
	if b.err != nil {
		return nil, b.err
	}
	text := b.sb.String()
	if strings.TrimSpace(text) == "" {
		return nil, ErrNoText
	}
	d := &Document{Text: text}
	rs := d.rs()
	span := func(s, e int) Span { return Span{Start: s, End: e, Text: string(rs[s:e])} }
	var stack []int // indices of open sections
	curTable := -1
	for _, blk := range b.blocks {
		if blk.kind != blockRow {
			curTable = -1
		}
		switch blk.kind {
		case blockRow:
			row := TableRow{Span: span(blk.start, blk.end), Header: blk.header}
			for _, c := range blk.cells {
				row.Cells = append(row.Cells, span(c[0], c[1]))
			}
			if curTable != blk.table || len(d.Tables) == 0 {
				d.Tables = append(d.Tables, Table{Start: blk.start})
				curTable = blk.table
			}
			t := &d.Tables[len(d.Tables)-1]
			t.Rows = append(t.Rows, row)
			t.End = blk.end
			d.Paragraphs = append(d.Paragraphs, row.Span)
			d.Sentences = append(d.Sentences, row.Span)
			continue
		}
		p := span(blk.start, blk.end)
		d.Paragraphs = append(d.Paragraphs, p)
		d.Sentences = append(d.Sentences, splitSentences(rs, blk.start, blk.end)...)
		level, num := 0, ""
		if blk.kind == blockHeading {
			level = blk.level
			num, _ = headingNumber(p.Text)
		} else if n, rank := headingNumber(p.Text); n != "" && isHeadingText(p.Text) {
			num, level = n, rank+10 // numbered headings nest below explicit ones
		}
		if level == 0 {
			continue
		}
		for len(stack) > 0 && d.Sections[stack[len(stack)-1]].Level >= level {
			d.Sections[stack[len(stack)-1]].End = blk.start
			stack = stack[:len(stack)-1]
		}
		parent := -1
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		title := strings.TrimSpace(strings.TrimLeft(p.Text, "#*> \t\u3000"))
		title = strings.TrimSpace(strings.TrimPrefix(title, num))
		title = strings.Trim(title, "*# \t")
		d.Sections = append(d.Sections, Section{Heading: p, Number: num, Title: title, Level: level, Start: blk.start, End: len(rs), Parent: parent})
		stack = append(stack, len(d.Sections)-1)
	}
	// renumber levels densely (1 = outermost) in order of depth.
	for i := range d.Sections {
		depth, p := 1, d.Sections[i].Parent
		for p >= 0 {
			depth++
			p = d.Sections[p].Parent
		}
		d.Sections[i].Level = depth
	}
	return d, nil
}

// sentence ends: Chinese and Latin terminal punctuation, semicolons.
func isSentenceEnd(rs []rune, i, end int) bool {
	switch rs[i] {
	case '。', '！', '？', '；', '!', '?', ';', '…':
		return true
	case '.':
		// a Latin full stop followed by space or the end, not inside a number.
		if i+1 >= end {
			return true
		}
		return unicode.IsSpace(rs[i+1]) && !(i > 0 && unicode.IsDigit(rs[i-1]) && i < 4)
	}
	return false
}

// closing punctuation kept with the sentence it ends.
func isCloser(r rune) bool { return strings.ContainsRune("”’」』）)】\"'", r) }

// splitSentences splits the paragraph [start,end) into trimmed sentences.
func splitSentences(rs []rune, start, end int) []Span {
	var out []Span
	s := start
	emit := func(a, z int) {
		for a < z && unicode.IsSpace(rs[a]) {
			a++
		}
		for z > a && unicode.IsSpace(rs[z-1]) {
			z--
		}
		if z > a {
			out = append(out, Span{Start: a, End: z, Text: string(rs[a:z])})
		}
	}
	for i := start; i < end; i++ {
		if !isSentenceEnd(rs, i, end) {
			continue
		}
		j := i + 1
		for j < end && (isCloser(rs[j]) || isSentenceEnd(rs, j, end)) {
			j++
		}
		emit(s, j)
		s = j
		i = j - 1
	}
	emit(s, end)
	return out
}
