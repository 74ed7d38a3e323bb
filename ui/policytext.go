package ui

import (
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Line-breaking classes for Chinese text (the common subset of the
// GB/T 15834 and W3C clreq rules): a line never starts with closing
// punctuation and never ends with opening punctuation.
const (
	noLineStart = "，。、；：？！）》」』】〉〕］｝〗〙〛’”…‥—～·・%,.;:!?)]}"
	noLineEnd   = "（《「『【〈〔［｛〖〘〚‘“([{"
)

// breakable reports whether a CJK ideograph, kana, hangul or full-width
// character: a line may break on either side of it.
func breakable(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// canBreakBefore reports whether a line may start at runes[i] (i > 0).
func canBreakBefore(runes []rune, i int) bool {
	r, prev := runes[i], runes[i-1]
	switch {
	case strings.ContainsRune(noLineStart, r), strings.ContainsRune(noLineEnd, prev):
		return false
	case unicode.IsSpace(r), unicode.IsSpace(prev):
		return true
	case breakable(r), breakable(prev):
		return true
	}
	return false // inside a Latin word or a number
}

// wrapRunes breaks a paragraph whose runes have the widths w into lines no
// wider than width, returning the start of each line. Words of Latin text
// stay whole unless wider than a line; Chinese breaks between characters
// by the rules above; spaces at a line start are skipped.
func wrapRunes(runes []rune, w []float32, width float32) []int {
	if len(runes) == 0 {
		return []int{0}
	}
	starts := []int{0}
	start := 0
	var x float32
	for i := 0; i < len(runes); i++ {
		x += w[i]
		if x <= width || i == start {
			continue
		}
		// runes[i] does not fit: break at the last opportunity after start.
		b := -1
		for j := i; j > start; j-- {
			if canBreakBefore(runes, j) {
				b = j
				break
			}
		}
		if b < 0 { // one word wider than the line: cut it, but not before closing punctuation
			b = i
			for b > start+1 && strings.ContainsRune(noLineStart, runes[b]) {
				b--
			}
		}
		for b < len(runes) && unicode.IsSpace(runes[b]) {
			b++
		}
		if b >= len(runes) {
			break
		}
		start = b
		starts = append(starts, start)
		x = 0
		for j := start; j <= i; j++ {
			x += w[j]
		}
	}
	return starts
}

// ptPara is one paragraph of a policyText: its segments, runes, and for
// each rune the index of its segment.
type ptPara struct {
	segs   []*widget.TextSegment
	runes  []rune
	seg    []int
	starts []int // line starts for the current width
}

// ptLine is one laid-out line: paragraph p, runes [start, end), at y.
type ptLine struct {
	p, start, end int
	y             float32
}

// policyText draws paragraphs of styled text wrapped to its width. Styles
// (the highlights) apply to runs inside a paragraph; wrapping works on the
// paragraph as a whole, so a highlight never breaks a line early. Only the
// lines in the viewport (setViewport) get canvas objects.
type policyText struct {
	widget.BaseWidget
	paras []ptPara
	lines []ptLine
	width float32 // width the lines are wrapped for (0: not yet)
	height,
	lineH float32
	widths map[wkey]float32

	top, view float32 // the visible band, in the widget's coordinates

	// onHeight is called after a re-wrap changed the height (the scroll
	// around it lays out again).
	onHeight func()
}

type wkey struct {
	r    rune
	bold bool
	size fyne.ThemeSizeName
}

func newPolicyText() *policyText {
	t := &policyText{widths: map[wkey]float32{}}
	t.ExtendBaseWidget(t)
	return t
}

// SetParagraphs replaces the text: one slice of segments per paragraph.
func (t *policyText) SetParagraphs(paras [][]widget.RichTextSegment) {
	t.paras = t.paras[:0]
	for _, segs := range paras {
		t.paras = append(t.paras, makePara(segs))
	}
	t.rewrap()
	t.Refresh()
}

// SetSegments restyles paragraph i (same text, other highlights).
func (t *policyText) SetSegments(i int, segs []widget.RichTextSegment) {
	if i < 0 || i >= len(t.paras) {
		return
	}
	t.paras[i] = makePara(segs)
	t.wrapPara(i) // only this paragraph's lines can change
	t.placeLines()
	t.Refresh()
}

// Segments returns the segments of paragraph i.
func (t *policyText) Segments(i int) []*widget.TextSegment { return t.paras[i].segs }

func makePara(segs []widget.RichTextSegment) ptPara {
	var p ptPara
	for _, s := range segs {
		ts, ok := s.(*widget.TextSegment)
		if !ok {
			continue
		}
		p.segs = append(p.segs, ts)
		for _, r := range ts.Text {
			p.runes = append(p.runes, r)
			p.seg = append(p.seg, len(p.segs)-1)
		}
	}
	return p
}

func (t *policyText) textSize(s *widget.TextSegment) float32 {
	name := s.Style.SizeName
	if name == "" {
		name = theme.SizeNameText
	}
	return t.Theme().Size(name)
}

func (t *policyText) runeWidth(r rune, s *widget.TextSegment) float32 {
	k := wkey{r, s.Style.TextStyle.Bold, s.Style.SizeName}
	w, ok := t.widths[k]
	if !ok {
		w = fyne.MeasureText(string(r), t.textSize(s), s.Style.TextStyle).Width
		t.widths[k] = w
	}
	return w
}

// pad is the inner padding around the text.
func (t *policyText) pad() float32 { return theme.InnerPadding() }

// rewrap lays every paragraph out for the current width.
func (t *policyText) rewrap() {
	t.lineH = fyne.MeasureText("国Ag", t.Theme().Size(theme.SizeNameText), fyne.TextStyle{}).Height + theme.LineSpacing()
	for i := range t.paras {
		t.wrapPara(i)
	}
	t.placeLines()
}

// wrapPara breaks paragraph i into lines for the current width.
func (t *policyText) wrapPara(i int) {
	width := t.width
	if width <= 0 {
		width = 600 // before the first layout: a guess, corrected on Resize
	}
	avail := max(width-2*t.pad(), 20)
	p := &t.paras[i]
	w := make([]float32, len(p.runes))
	for j, r := range p.runes {
		w[j] = t.runeWidth(r, p.segs[p.seg[j]])
	}
	p.starts = wrapRunes(p.runes, w, avail)
}

// placeLines stacks the paragraphs' lines from the top.
func (t *policyText) placeLines() {
	if t.lineH == 0 {
		t.lineH = fyne.MeasureText("国Ag", t.Theme().Size(theme.SizeNameText), fyne.TextStyle{}).Height + theme.LineSpacing()
	}
	gap := theme.Padding() * 2
	t.lines = t.lines[:0]
	y := t.pad()
	for pi, p := range t.paras {
		for k, s := range p.starts {
			e := len(p.runes)
			if k+1 < len(p.starts) {
				e = p.starts[k+1]
			}
			t.lines = append(t.lines, ptLine{p: pi, start: s, end: e, y: y})
			y += t.lineH
		}
		y += gap
	}
	t.height = y - gap + t.pad()
}

// ParaY is the y of the line holding rune off of paragraph p.
func (t *policyText) ParaY(p, off int) float32 {
	for _, l := range t.lines {
		if l.p == p && off < l.end {
			return l.y
		}
		if l.p > p {
			return l.y
		}
	}
	return 0
}

// setViewport tells which band [top, top+height) is visible.
func (t *policyText) setViewport(top, height float32) {
	if top == t.top && height == t.view {
		return
	}
	t.top, t.view = top, height
	t.Refresh()
}

func (t *policyText) MinSize() fyne.Size {
	t.ExtendBaseWidget(t)
	return fyne.NewSize(80, t.height)
}

func (t *policyText) Resize(s fyne.Size) {
	t.BaseWidget.Resize(s)
	if s.Width == t.width {
		return
	}
	old := t.height
	t.width = s.Width
	t.rewrap()
	t.Refresh()
	if t.height != old && t.onHeight != nil {
		t.onHeight()
	}
}

func (t *policyText) CreateRenderer() fyne.WidgetRenderer {
	r := &policyTextRenderer{t: t}
	r.Refresh()
	return r
}

type policyTextRenderer struct {
	t    *policyText
	objs []fyne.CanvasObject
	pool []*canvas.Text
}

func (r *policyTextRenderer) Destroy()                     {}
func (r *policyTextRenderer) Layout(fyne.Size)             {}
func (r *policyTextRenderer) MinSize() fyne.Size           { return r.t.MinSize() }
func (r *policyTextRenderer) Objects() []fyne.CanvasObject { return r.objs }

// Refresh makes one canvas.Text per styled run of each visible line.
func (r *policyTextRenderer) Refresh() {
	t := r.t
	th := t.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	view := t.view
	if view <= 0 {
		view = 2000
	}
	lo, hi := t.top-view, t.top+2*view
	r.objs = r.objs[:0]
	n := 0
	next := func() *canvas.Text {
		if n == len(r.pool) {
			r.pool = append(r.pool, canvas.NewText("", color.Black))
		}
		n++
		return r.pool[n-1]
	}
	for _, l := range t.lines {
		if l.y+t.lineH < lo || l.y > hi {
			continue
		}
		p := t.paras[l.p]
		x := t.pad()
		for i := l.start; i < l.end; {
			j := i
			var w float32
			for j < l.end && p.seg[j] == p.seg[i] {
				w += t.runeWidth(p.runes[j], p.segs[p.seg[j]])
				j++
			}
			s := p.segs[p.seg[i]]
			cn := s.Style.ColorName
			if cn == "" {
				cn = theme.ColorNameForeground
			}
			tx := next()
			tx.Text = string(p.runes[i:j])
			tx.Color = th.Color(cn, variant)
			tx.TextStyle = s.Style.TextStyle
			tx.TextSize = t.textSize(s)
			tx.Move(fyne.NewPos(x, l.y))
			tx.Resize(fyne.NewSize(w, t.lineH))
			tx.Refresh()
			r.objs = append(r.objs, tx)
			x += w
			i = j
		}
	}
}

// wrappedText is a paragraph of plain text wrapped by the rules above
// (Fyne's word wrapping breaks Chinese only at spaces).
func wrappedText(s string, color fyne.ThemeColorName) *policyText {
	st := widget.RichTextStyleInline
	if color != "" {
		st.ColorName = color
	}
	t := newPolicyText()
	var paras [][]widget.RichTextSegment
	for _, line := range strings.Split(s, "\n") {
		paras = append(paras, []widget.RichTextSegment{&widget.TextSegment{Text: line, Style: st}})
	}
	t.SetParagraphs(paras)
	return t
}
