package reports

import (
	"strings"
	"unicode"
)

// Line-breaking classes. A line may not start with a closing mark nor end with
// an opening one (禁则, the Chinese/Japanese kinsoku rules).
const (
	closingPunct = "，。、；：？！）》」』】〕〉’”…—,.;:!?)]}%"
	openingPunct = "（《「『【〔〈‘“([{"
	// softBreakAfter are the characters after which an over-long Latin token
	// (a class name, a URL, a path) is preferably broken.
	softBreakAfter = "./$_-#:;,"
)

func isClosing(r rune) bool { return strings.ContainsRune(closingPunct, r) }
func isOpening(r rune) bool { return strings.ContainsRune(openingPunct, r) }

// isCJK reports whether r is an ideograph, kana, hangul or a full-width form:
// characters between which a line may break.
func isCJK(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r),
		unicode.Is(unicode.Katakana, r), unicode.Is(unicode.Hangul, r):
		return true
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF, r >= 0x2E80 && r <= 0x2FDF:
		return true
	case r == '…' || r == '—' || r == '‘' || r == '’' || r == '“' || r == '”':
		return true
	}
	return false
}

// isWordRune reports whether r belongs to a Latin-script word: a run of such
// runes is kept on one line unless it is wider than the line by itself.
func isWordRune(r rune) bool { return !unicode.IsSpace(r) && !isCJK(r) }

// canBreakBefore reports whether a line may end before rs[i] (and the next
// line start with it).
func canBreakBefore(rs []rune, i int) bool {
	if i <= 0 || i >= len(rs) {
		return false
	}
	prev, cur := rs[i-1], rs[i]
	if unicode.IsSpace(cur) {
		return false // break after the space run instead
	}
	if isClosing(cur) || isOpening(prev) {
		return false
	}
	if unicode.IsSpace(prev) {
		return true
	}
	if isWordRune(prev) && isWordRune(cur) {
		return false
	}
	return true
}

// breakLines splits text into lines whose measured width does not exceed
// width. Explicit newlines start new lines (an empty paragraph gives an empty
// line). Lines break between CJK characters, at spaces between Latin words,
// and between CJK and Latin text; closing punctuation never starts a line and
// opening brackets never end one (the preceding character moves down with the
// punctuation instead). A Latin token wider than a whole line is broken after
// '.', '/', '$', '_' or '-' where possible, otherwise anywhere. No rune is
// ever dropped or added except spaces at a break, so joining the lines
// reproduces the text modulo white space.
//
// measure must return the width of a single rune's string; it is called once
// per distinct rune.
func breakLines(text string, width float64, measure func(string) float64) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	cache := map[rune]float64{}
	w := func(r rune) float64 {
		if r == '\t' {
			r = ' '
		}
		if v, ok := cache[r]; ok {
			return v
		}
		v := measure(string(r))
		cache[r] = v
		return v
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		out = append(out, breakParagraph([]rune(para), width, w)...)
	}
	return out
}

func breakParagraph(rs []rune, width float64, w func(rune) float64) []string {
	if len(rs) == 0 {
		return []string{""}
	}
	var lines []string
	emit := func(seg []rune) {
		lines = append(lines, strings.TrimRightFunc(string(seg), unicode.IsSpace))
	}
	start := 0
	for start < len(rs) {
		// Skip spaces at the start of a continuation line (not of the paragraph:
		// leading indentation of the first line is kept).
		if len(lines) > 0 {
			for start < len(rs) && unicode.IsSpace(rs[start]) {
				start++
			}
			if start >= len(rs) {
				break
			}
		}
		cur := 0.0
		i := start
		for i < len(rs) {
			rw := w(rs[i])
			if cur+rw > width && i > start && !unicode.IsSpace(rs[i]) {
				break
			}
			cur += rw
			i++
		}
		if i >= len(rs) {
			emit(rs[start:])
			break
		}
		// rs[i] does not fit. Find the last allowed break in (start, i].
		b := -1
		for j := i; j > start; j-- {
			if canBreakBefore(rs, j) {
				b = j
				break
			}
		}
		if b < 0 {
			b = forcedBreak(rs, start, i)
		}
		emit(rs[start:b])
		start = b
	}
	return lines
}

// forcedBreak chooses where to break rs[start:i] when no allowed break exists,
// as in a long hex digest or a fully qualified class name: after the last
// soft-break character in the second half of the segment, else right before i.
func forcedBreak(rs []rune, start, i int) int {
	for j := i - 1; j > start+(i-start)/2; j-- {
		if strings.ContainsRune(softBreakAfter, rs[j]) {
			return j + 1
		}
	}
	if i <= start {
		return start + 1
	}
	return i
}
