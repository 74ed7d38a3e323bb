package reports

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/appinspect/appinspect/assets"
)

// Layout constants, in millimetres and points.
const (
	fontFamily   = "wenkai"
	marginLeft   = 20.0
	marginRight  = 20.0
	marginTop    = 18.0
	marginBottom = 20.0 // the footer lives inside it
	ptToMM       = 25.4 / 72
	lineFactor   = 1.45 // line height / font size

	sizeTitle = 20.0
	sizeH1    = 13.5
	sizeH2    = 11.5
	sizeBody  = 10.5
	sizeSmall = 8.5
	sizeTable = 8.5
	sizeFoot  = 7.0
	cellPadX  = 1.5
	cellPadY  = 1.0
)

// rgb is a colour.
type rgb struct{ r, g, b int }

var (
	colText   = rgb{0, 0, 0}
	colGrey   = rgb{90, 90, 90}
	colRed    = rgb{192, 0, 0}
	colRule   = rgb{160, 160, 160}
	colHeadBG = rgb{232, 236, 241}
	colQuote  = rgb{246, 246, 240}
	colBar    = rgb{52, 101, 164}
	colBarAlt = rgb{196, 78, 82}
)

// writer lays out one PDF document: A4 portrait, one embedded font, its own
// line breaking and page breaking (fpdf's automatic page break is off).
type writer struct {
	pdf      *fpdf.Fpdf
	lang     string
	size     float64 // current font size in points
	pageW    float64
	pageH    float64
	width    float64           // usable text width
	header   string            // running header on pages after the first
	footL    string            // footer text at the left
	footL2   string            // second footer line at the left
	footL3   string            // third footer line (integrity), may be empty
	loc      *time.Location    // zone of printed times; nil is Asia/Shanghai
	images   map[string]string // sha256 of the original bytes → registered name
	thumbs   map[string]thumb  // sha256 of the original bytes → thumbnail
	usedW    map[int]bool      // thumbnail widths in use (see prepareImages)
	widthMem map[float64]map[rune]float64
}

// newWriter creates a writer with the font loaded and the dates fixed to now.
func newWriter(lang string, now time.Time, title, subject, author string) *writer {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCompression(true)
	p.SetCatalogSort(true)
	p.SetCreationDate(now)
	p.SetModificationDate(now)
	p.SetProducer("AppInspect", true)
	p.SetCreator("AppInspect", true)
	p.SetTitle(title, true)
	p.SetSubject(subject, true)
	if author != "" {
		p.SetAuthor(author, true)
	}
	if lang == LangEN {
		p.SetLang("en")
	} else {
		p.SetLang("zh-CN")
	}
	p.AliasNbPages("{nb}")
	p.AddUTF8FontFromBytes(fontFamily, "", assets.FontRegular)
	p.SetMargins(marginLeft, marginTop, marginRight)
	p.SetAutoPageBreak(false, marginBottom)
	w, h := p.GetPageSize()
	wr := &writer{
		pdf: p, lang: lang, pageW: w, pageH: h, width: w - marginLeft - marginRight,
		images: map[string]string{}, thumbs: map[string]thumb{}, usedW: map[int]bool{}, widthMem: map[float64]map[rune]float64{},
	}
	p.SetHeaderFunc(wr.drawHeader)
	p.SetFooterFunc(wr.drawFooter)
	wr.setFont(sizeBody)
	return wr
}

func (w *writer) drawHeader() {
	if w.pdf.PageNo() <= 1 || w.header == "" {
		return
	}
	size := w.size
	w.setFont(sizeFoot)
	w.color(colGrey)
	w.pdf.SetXY(marginLeft, 9)
	w.pdf.CellFormat(w.width, 4, w.fit(w.header, w.width), "", 0, "R", false, 0, "")
	w.drawColor(colRule)
	w.pdf.SetLineWidth(0.2)
	w.pdf.Line(marginLeft, 13.5, w.pageW-marginRight, 13.5)
	w.color(colText)
	w.setFont(size)
	w.pdf.SetXY(marginLeft, marginTop)
}

func (w *writer) drawFooter() {
	size := w.size
	w.setFont(sizeFoot)
	w.color(colGrey)
	y := w.pageH - marginBottom + 7
	w.drawColor(colRule)
	w.pdf.SetLineWidth(0.2)
	w.pdf.Line(marginLeft, y-1.5, w.pageW-marginRight, y-1.5)
	page := fmt.Sprintf(L(w.lang, "page_of"), w.pdf.PageNo(), "{nb}")
	pw := 32.0
	w.pdf.SetXY(marginLeft, y)
	w.pdf.CellFormat(w.width-pw, 3.5, w.fit(w.footL, w.width-pw), "", 0, "L", false, 0, "")
	w.pdf.SetXY(w.pageW-marginRight-pw, y)
	w.pdf.CellFormat(pw, 3.5, page, "", 0, "R", false, 0, "")
	if w.footL2 != "" {
		w.pdf.SetXY(marginLeft, y+3.5)
		w.pdf.CellFormat(w.width, 3.5, w.fit(w.footL2, w.width), "", 0, "L", false, 0, "")
	}
	if w.footL3 != "" {
		w.pdf.SetXY(marginLeft, y+7)
		w.pdf.CellFormat(w.width, 3.5, w.fit(w.footL3, w.width), "", 0, "L", false, 0, "")
	}
	w.color(colText)
	w.setFont(size)
}

// date writes an instant's civil date in the document's zone.
func (w *writer) date(t time.Time) string { return formatDate(w.lang, w.loc, t) }

// dateTime writes an instant to the second in the document's zone.
func (w *writer) dateTime(t time.Time) string { return formatDateTime(w.loc, t) }

func (w *writer) setFont(size float64) {
	w.size = size
	w.pdf.SetFont(fontFamily, "", size)
}

// useSize switches to size only when it differs from the current one, so
// that a table without shrunk cells writes exactly what it wrote before.
func (w *writer) useSize(size float64) {
	if size != w.size {
		w.setFont(size)
	}
}

func (w *writer) color(c rgb)     { w.pdf.SetTextColor(c.r, c.g, c.b) }
func (w *writer) drawColor(c rgb) { w.pdf.SetDrawColor(c.r, c.g, c.b) }
func (w *writer) fillColor(c rgb) { w.pdf.SetFillColor(c.r, c.g, c.b) }

// lineH is the line height for the current font size.
func (w *writer) lineH() float64 { return w.size * ptToMM * lineFactor }

// measure returns the width of a one-rune string at the current size, cached.
func (w *writer) measure(s string) float64 {
	m := w.widthMem[w.size]
	if m == nil {
		m = map[rune]float64{}
		w.widthMem[w.size] = m
	}
	r := []rune(s)[0]
	if v, ok := m[r]; ok {
		return v
	}
	v := w.pdf.GetStringWidth(s)
	m[r] = v
	return v
}

// lines breaks text for the given width at the current size.
func (w *writer) lines(text string, width float64) []string {
	return breakLines(text, width, w.measure)
}

// fit shortens text with an ellipsis so it fits in width on one line.
func (w *writer) fit(text string, width float64) string {
	if w.pdf.GetStringWidth(text) <= width {
		return text
	}
	rs := []rune(text)
	for len(rs) > 0 && w.pdf.GetStringWidth(string(rs)+"…") > width {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

func (w *writer) y() float64 { return w.pdf.GetY() }

// bottom is the lowest y text may reach.
func (w *writer) bottom() float64 { return w.pageH - marginBottom }

// ensure starts a new page unless h millimetres fit below the cursor.
func (w *writer) ensure(h float64) {
	if w.y()+h > w.bottom() {
		w.newPage()
	}
}

func (w *writer) newPage() {
	size := w.size
	w.pdf.AddPage()
	w.setFont(size)
	w.pdf.SetXY(marginLeft, marginTop)
}

func (w *writer) space(h float64) {
	if w.y()+h > w.bottom() {
		w.newPage()
		return
	}
	w.pdf.SetY(w.y() + h)
}

// text writes a paragraph at x offset indent, breaking lines and pages.
func (w *writer) text(s string, size float64, indent float64, align string) {
	w.setFont(size)
	lh := w.lineH()
	for _, ln := range w.lines(s, w.width-indent) {
		w.ensure(lh)
		w.pdf.SetX(marginLeft + indent)
		w.pdf.CellFormat(w.width-indent, lh, ln, "", 1, align, false, 0, "")
	}
}

// para writes body text.
func (w *writer) para(s string) { w.text(s, sizeBody, 0, "L") }

// heading writes a section heading and keeps it with the next lines.
func (w *writer) heading(s string, size float64) {
	w.setFont(size)
	w.ensure(w.lineH()*2 + 12)
	w.space(size * 0.25)
	w.text(s, size, 0, "L")
	w.space(1)
	w.setFont(sizeBody)
}

// quote writes a boxed, shaded block (an article quote) with a label line.
func (w *writer) quote(lbl, s string, size float64) {
	w.setFont(size)
	lh := w.lineH()
	pad := 2.0
	inner := w.width - 2*pad - 2
	ls := w.lines(s, inner)
	if lbl != "" {
		ls = append([]string{"\x00" + lbl}, ls...)
	}
	if h := float64(len(ls))*lh + 2*pad; len(ls) <= 16 && w.y()+h > w.bottom() {
		w.newPage() // keep a short quote in one piece
	}
	for len(ls) > 0 {
		w.ensure(lh + 2*pad)
		n := int((w.bottom() - w.y() - 2*pad) / lh)
		if n > len(ls) {
			n = len(ls)
		}
		if n < 1 {
			n = 1
		}
		h := float64(n)*lh + 2*pad
		y0 := w.y()
		w.fillColor(colQuote)
		w.drawColor(colRule)
		w.pdf.SetLineWidth(0.2)
		w.pdf.Rect(marginLeft, y0, w.width, h, "F")
		w.fillColor(colRule)
		w.pdf.Rect(marginLeft, y0, 0.8, h, "F")
		w.pdf.SetY(y0 + pad)
		for _, ln := range ls[:n] {
			w.pdf.SetX(marginLeft + pad + 2)
			if strings.HasPrefix(ln, "\x00") {
				w.color(colGrey)
				w.pdf.CellFormat(inner, lh, w.fit(ln[1:], inner), "", 1, "L", false, 0, "")
				w.color(colText)
				continue
			}
			w.pdf.CellFormat(inner, lh, ln, "", 1, "L", false, 0, "")
		}
		w.pdf.SetY(y0 + h)
		ls = ls[n:]
	}
	w.space(1)
}

// quoteHeight is the height quote will take, without page breaks.
func (w *writer) quoteHeight(lbl, s string, size float64) float64 {
	w.setFont(size)
	n := len(w.lines(s, w.width-6))
	if lbl != "" {
		n++
	}
	h := float64(n)*w.lineH() + 4 + 1
	w.setFont(sizeBody)
	return h
}

// kv writes label/value pairs as a two-column borderless table.
func (w *writer) kv(rows [][2]string, keyW float64) {
	w.table([]column{{Width: keyW, Shade: true}, {Width: w.width - keyW}}, nil, stringsRows(rows), sizeSmall+0.5)
}

func stringsRows(rows [][2]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r[0], r[1]}
	}
	return out
}

// column describes one table column.
type column struct {
	Width float64
	Align string // "L" (default), "C" or "R"
	Shade bool   // shade this column's cells like a header
	// Fit marks a column of identifiers (permission names, class names): a
	// cell with a token wider than the column is set in a smaller size, down
	// to sizeMinFit, so that the token stays whole on one line. Only a token
	// too wide even then is broken (and still never cut).
	Fit bool
}

// sizeMinFit is the smallest size a Fit column shrinks a cell to.
const sizeMinFit = 5.5

// table writes a bordered table whose cells wrap; head (may be nil) repeats
// on every page the table spans. Rows taller than a page are split.
func (w *writer) table(cols []column, head []string, rows [][]string, size float64) {
	w.setFont(size)
	lh := w.lineH()
	total := 0.0
	for _, c := range cols {
		total += c.Width
	}
	if total > w.width+0.01 { // scale down to the text width
		for i := range cols {
			cols[i].Width *= w.width / total
		}
	}
	// cellLines breaks a row's cells into lines and gives each line its
	// size: in a Fit column each paragraph of a cell gets its own (so a
	// long class name shrinks, its description beside it does not).
	cellLines := func(row []string, fit bool) ([][]string, [][]float64) {
		out := make([][]string, len(cols))
		sizes := make([][]float64, len(cols))
		for i := range cols {
			s := ""
			if i < len(row) {
				s = row[i]
			}
			width := cols[i].Width - 2*cellPadX
			paras := []string{s}
			if fit && cols[i].Fit {
				s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
				paras = strings.Split(s, "\n")
			}
			for _, para := range paras {
				ps := size
				if fit && cols[i].Fit {
					ps = w.fitSize(para, width, size)
				}
				w.useSize(ps)
				for _, ln := range w.lines(para, width) {
					out[i] = append(out[i], ln)
					sizes[i] = append(sizes[i], ps)
				}
			}
		}
		w.useSize(size)
		return out, sizes
	}
	drawHead := func() {
		if head == nil {
			return
		}
		hl, hs := cellLines(head, false)
		w.drawRow(cols, hl, hs, lh, true)
	}
	headH := 0.0
	if head != nil {
		hl, _ := cellLines(head, false)
		headH = float64(maxLen(hl))*lh + 2*cellPadY
	}
	// Keep the head with the first row (when that row is short enough to
	// be kept whole), so that a head never stands alone at a page's foot.
	firstH := lh
	if len(rows) > 0 {
		if fl, _ := cellLines(rows[0], true); maxLen(fl) <= 12 {
			firstH = float64(maxLen(fl)) * lh
		}
	}
	w.ensure(headH + firstH + 2*cellPadY)
	drawHead()
	for _, r := range rows {
		cl, sizes := cellLines(r, true)
		first := true
		for first || rawMax(cl) > 0 {
			first = false
			avail := int((w.bottom() - w.y() - 2*cellPadY) / lh)
			need := maxLen(cl)
			if avail < need && (avail < 3 || need <= 12) {
				// Keep short rows whole; split long ones only where at least 3 lines fit.
				w.newPage()
				drawHead()
				avail = int((w.bottom() - w.y() - 2*cellPadY) / lh)
			}
			n := need
			if n > avail {
				n = max(avail, 1)
			}
			part := make([][]string, len(cl))
			rest := make([][]string, len(cl))
			partS := make([][]float64, len(cl))
			restS := make([][]float64, len(cl))
			for i, c := range cl {
				k := min(n, len(c))
				part[i], rest[i] = c[:k], c[k:]
				partS[i], restS[i] = sizes[i][:k], sizes[i][k:]
			}
			w.drawRow(cols, part, partS, lh, false)
			cl, sizes = rest, restS
		}
	}
	w.space(2)
	w.setFont(sizeBody)
}

func rawMax(cl [][]string) int {
	m := 0
	for _, c := range cl {
		m = max(m, len(c))
	}
	return m
}

func maxLen(cl [][]string) int {
	m := 0
	for _, c := range cl {
		m = max(m, len(c))
	}
	if m == 0 {
		m = 1
	}
	return m
}

// fitSize is the size at which every Latin word of text (a run of runes
// the line breaker keeps together: a permission, class or package name)
// fits in width on one line: size itself when they fit, else smaller, but
// not below sizeMinFit. Chinese text, which may break anywhere, does not
// shrink a cell. The current font size is left unchanged.
func (w *writer) fitSize(text string, width, size float64) float64 {
	keep := w.size
	w.useSize(size)
	widest := 0.0
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isWordRune(rs[j]) {
			j++
		}
		// The line breaker keeps an opening bracket before a word and a
		// closing punctuation after it on the word's line.
		a, b := i, j
		for a > 0 && isOpening(rs[a-1]) {
			a--
		}
		for b < len(rs) && isClosing(rs[b]) {
			b++
		}
		widest = max(widest, w.pdf.GetStringWidth(string(rs[a:b])))
		i = j
	}
	w.useSize(keep)
	if widest <= width || widest == 0 {
		return size
	}
	// Widths scale with the size; round down to a tenth of a point.
	return max(sizeMinFit, math.Floor(size*width/widest*10)/10)
}

// drawRow draws one row (or one page's part of it) at the cursor, each
// line in its own size (sizes[i][j]; the current size when nil).
func (w *writer) drawRow(cols []column, cl [][]string, sizes [][]float64, lh float64, head bool) {
	keep := w.size
	n := 0
	for _, c := range cl {
		n = max(n, len(c))
	}
	n = max(n, 1)
	h := float64(n)*lh + 2*cellPadY
	x, y := marginLeft, w.y()
	w.drawColor(colRule)
	w.pdf.SetLineWidth(0.2)
	for i, c := range cols {
		style := "D"
		if head || c.Shade {
			w.fillColor(colHeadBG)
			style = "FD"
		}
		w.pdf.Rect(x, y, c.Width, h, style)
		align := c.Align
		if align == "" {
			align = "L"
		}
		for j, ln := range cl[i] {
			if sizes != nil && j < len(sizes[i]) {
				w.useSize(sizes[i][j])
			}
			w.pdf.SetXY(x+cellPadX, y+cellPadY+float64(j)*lh)
			w.pdf.CellFormat(c.Width-2*cellPadX, lh, ln, "", 0, align, false, 0, "")
		}
		x += c.Width
	}
	w.useSize(keep)
	w.pdf.SetXY(marginLeft, y+h)
}

// hrule draws a horizontal rule across the text width.
func (w *writer) hrule(c rgb, width float64) {
	w.drawColor(c)
	w.pdf.SetLineWidth(width)
	y := w.y()
	w.pdf.Line(marginLeft, y, w.pageW-marginRight, y)
	w.pdf.SetLineWidth(0.2)
}

// barChart draws a horizontal bar chart of (label, value) pairs.
func (w *writer) barChart(title string, data []barDatum, c rgb) {
	if len(data) == 0 {
		return
	}
	w.setFont(sizeSmall)
	lh := w.lineH()
	barH := 4.2
	rowH := math.Max(barH+1.6, lh+0.6)
	labelW := 48.0
	numW := 10.0
	plotW := w.width - labelW - numW
	w.ensure(lh*2 + rowH*float64(min(len(data), 4)))
	w.setFont(sizeH2 - 1)
	w.text(title, sizeH2-1, 0, "L")
	w.setFont(sizeSmall)
	maxV := 0
	for _, d := range data {
		maxV = max(maxV, d.Value)
	}
	if maxV == 0 {
		maxV = 1
	}
	for _, d := range data {
		w.ensure(rowH)
		y := w.y()
		w.color(colText)
		w.pdf.SetXY(marginLeft, y+(rowH-lh)/2)
		w.pdf.CellFormat(labelW-2, lh, w.fit(d.Label, labelW-2), "", 0, "R", false, 0, "")
		bw := plotW * float64(d.Value) / float64(maxV)
		w.fillColor(c)
		if bw > 0 {
			w.pdf.Rect(marginLeft+labelW, y+(rowH-barH)/2, bw, barH, "F")
		}
		w.pdf.SetXY(marginLeft+labelW+bw+1, y+(rowH-lh)/2)
		w.pdf.CellFormat(numW, lh, fmt.Sprint(d.Value), "", 0, "L", false, 0, "")
		w.pdf.SetXY(marginLeft, y+rowH)
	}
	w.drawColor(colRule)
	w.pdf.SetLineWidth(0.3)
	top := w.y() - rowH*float64(len(data))
	if top < marginTop {
		top = marginTop
	}
	w.pdf.Line(marginLeft+labelW, top, marginLeft+labelW, w.y())
	w.pdf.SetLineWidth(0.2)
	w.space(3)
	w.setFont(sizeBody)
}

// barDatum is one bar.
type barDatum struct {
	Label string
	Value int
}

// finish writes the document.
func (w *writer) finish(out io.Writer) error {
	if err := w.pdf.Error(); err != nil {
		return fmt.Errorf("reports: layout: %w", err)
	}
	if err := w.pdf.Output(out); err != nil {
		return fmt.Errorf("reports: write pdf: %w", err)
	}
	return nil
}
