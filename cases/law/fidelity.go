package law

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode"
)

// Notes added to an article's StatusNote by the fidelity passes.
const (
	NotePunctRestored = "ASCII punctuation of the source restored to full-width in Chinese context (，；：（）？！)"
	NoteTraditional   = "text is in traditional characters; replace it with the official simplified text"
	NoteAssembled     = "the 39-type table is rendered from the catalog's necessary-information table (nps39), item by item"
)

// tradChars holds characters that occur only in traditional Chinese: the
// characters U+4E00–U+9FFF that OpenCC's t2s conversion changes and that
// t2s never produces (derived from OpenCC 1.1.6, Apache-2.0; see
// data/PROVENANCE.md). A text with two or more distinct ones is flagged.
//
//go:embed tradchars.txt
var tradChars string

var tradSet = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range strings.TrimSpace(tradChars) {
		m[r] = true
	}
	return m
}()

// IsTraditional reports whether s is written in traditional characters:
// it contains at least two distinct traditional-only characters.
func IsTraditional(s string) bool {
	seen := map[rune]bool{}
	for _, r := range s {
		if tradSet[r] {
			seen[r] = true
			if len(seen) >= 2 {
				return true
			}
		}
	}
	return false
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

func isASCIIAlnum(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

var fullWidth = map[rune]rune{',': '，', ';': '；', ':': '：', '(': '（', ')': '）', '?': '？', '!': '！'}

// RestorePunct returns s with ASCII , ; : ( ) ? ! turned into their
// full-width forms where they stand in Chinese text, and whether it changed
// anything. Only texts with Chinese characters are touched; a mark between
// two ASCII letters or digits ("1,000", "a:b", "f(x)") is kept, and a pair
// of brackets is converted together.
func RestorePunct(s string) (string, bool) {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return s, false
	}
	rs := []rune(s)
	conv := make([]bool, len(rs))
	neighbour := func(i, step int) rune {
		for j := i + step; j >= 0 && j < len(rs); j += step {
			if rs[j] != ' ' {
				return rs[j]
			}
		}
		return 0
	}
	var open []int
	for i, r := range rs {
		if _, ok := fullWidth[r]; !ok {
			continue
		}
		prev, next := neighbour(i, -1), neighbour(i, 1)
		inCJK := isCJK(prev) || isCJK(next) || !(isASCIIAlnum(prev) && isASCIIAlnum(next))
		switch r {
		case '(':
			open = append(open, i)
			conv[i] = inCJK
		case ')':
			if n := len(open); n > 0 {
				o := open[n-1]
				open = open[:n-1]
				inner := string(rs[o+1 : i])
				c := conv[o] || inCJK || strings.ContainsFunc(inner, isCJK)
				conv[o], conv[i] = c, c
			} else {
				conv[i] = inCJK
			}
		default:
			conv[i] = isCJK(prev) || isCJK(next)
		}
	}
	changed := false
	for i, c := range conv {
		if c {
			rs[i] = fullWidth[rs[i]]
			changed = true
		}
	}
	if !changed {
		return s, false
	}
	// Spaces the source put after folded punctuation go with it.
	out := string(rs)
	for _, p := range []string{"， ", "； ", "： ", "） ", "？ ", "！ "} {
		out = strings.ReplaceAll(out, p, strings.TrimSpace(p))
	}
	return out, true
}

// tablePlaceholder is the line a source file puts where a table belongs.
var tablePlaceholder = regexp.MustCompile(`\n?\[\d+ items — see ([A-Za-z0-9_.-]+\.json)\]`)

// applyFidelity restores punctuation, flags traditional texts and renders
// table placeholders, on the effective documents.
func applyFidelity(docs []*Document) {
	byFile := map[string]*Document{}
	for _, d := range docs {
		byFile[d.File] = d
	}
	for _, d := range docs {
		for i := range d.Articles {
			a := &d.Articles[i]
			if m := tablePlaceholder.FindStringSubmatchIndex(a.TextZH); m != nil {
				if t, ok := byFile[a.TextZH[m[2]:m[3]]]; ok {
					if table := renderTable(t); table != "" {
						a.TextZH = a.TextZH[:m[0]] + "\n" + table + a.TextZH[m[1]:]
						a.Assembled = true
						if a.Status == StatusPartial {
							a.Status, a.Partial = StatusVerbatim, false
						}
						a.StatusNote = joinNote(a.StatusNote, NoteAssembled)
					}
				}
			}
			if t, ok := RestorePunct(a.TextZH); ok {
				a.TextZH, a.PunctRestored = t, true
				a.StatusNote = joinNote(a.StatusNote, NotePunctRestored)
			}
			if IsTraditional(a.TextZH) {
				a.Traditional = true
				a.StatusNote = joinNote(a.StatusNote, NoteTraditional)
			}
		}
	}
}

// renderTable writes a table document's rows as its parent article prints
// them: "（一）地图导航类，基本功能服务为……". It returns "" when a row has
// no text, so a placeholder is never replaced by an incomplete table.
func renderTable(t *Document) string {
	var b strings.Builder
	for i, a := range t.Articles {
		if a.Gap || strings.TrimSpace(a.TextZH) == "" {
			return ""
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(a.Number + a.TitleZH + "，" + strings.TrimSpace(a.TextZH))
	}
	return b.String()
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	if strings.Contains(a, b) {
		return a
	}
	return a + "; " + b
}
