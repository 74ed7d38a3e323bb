package policy

import (
	"sort"
	"unicode"
)

// matcher is an Aho-Corasick automaton over folded runes. Patterns and text
// are folded the same way (fold) and whitespace is ignored except a single
// space between two ASCII letters or digits, so "IP 地址" matches "IP地址"
// and "Android ID" does not match "AndroidID" unless both are listed.
// Matches of patterns that begin or end with an ASCII letter or digit must
// not be glued to a neighbouring ASCII letter or digit ("ip" does not match
// inside "zip").
type matcher struct {
	next []map[rune]int32 // goto function
	fail []int32
	out  [][]int32 // pattern ids ending at the node (own + via fail links)
	plen []int     // folded length of each pattern
	edge []uint8   // bit 1: pattern starts with ASCII alnum; bit 2: ends with one
}

func isASCIIAlnum(r rune) bool {
	return r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// fold maps full-width ASCII to ASCII and letters to lower case; it maps one
// rune to one rune so offsets are kept.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	switch r {
	case '帐':
		r = '账'
	case '—', '－', '–':
		r = '-'
	}
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		return r
	}
	return unicode.ToLower(r)
}

func isSpaceRune(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\u00A0' }

// compact folds rs and drops whitespace (keeping one space between two ASCII
// alnums) and Markdown emphasis between two Han characters; pos[i] is the
// index in rs of compacted rune i.
func compact(rs []rune) (out []rune, pos []int) {
	out = make([]rune, 0, len(rs))
	pos = make([]int, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if isSpaceRune(r) {
			j := i
			for j < len(rs) && isSpaceRune(rs[j]) {
				j++
			}
			if len(out) > 0 && isASCIIAlnum(out[len(out)-1]) && j < len(rs) && isASCIIAlnum(fold(rs[j])) {
				out = append(out, ' ')
				pos = append(pos, i)
			}
			i = j - 1
			continue
		}
		if r == '*' && len(out) > 0 && out[len(out)-1] > 0x2E80 {
			// Markdown emphasis inside a Han word ("收付款账户**信息")
			j := i
			for j < len(rs) && rs[j] == '*' {
				j++
			}
			if j < len(rs) && rs[j] > 0x2E80 {
				i = j - 1
				continue
			}
		}
		out = append(out, fold(r))
		pos = append(pos, i)
	}
	return out, pos
}

func newMatcher(patterns []string) *matcher {
	m := &matcher{next: []map[rune]int32{{}}, fail: []int32{0}, out: [][]int32{nil}}
	for id, p := range patterns {
		cp, _ := compact([]rune(p))
		var e uint8
		if len(cp) > 0 && isASCIIAlnum(cp[0]) {
			e |= 1
		}
		if len(cp) > 0 && isASCIIAlnum(cp[len(cp)-1]) {
			e |= 2
		}
		m.plen = append(m.plen, len(cp))
		m.edge = append(m.edge, e)
		if len(cp) == 0 {
			continue
		}
		s := int32(0)
		for _, r := range cp {
			n, ok := m.next[s][r]
			if !ok {
				n = int32(len(m.next))
				m.next = append(m.next, map[rune]int32{})
				m.fail = append(m.fail, 0)
				m.out = append(m.out, nil)
				m.next[s][r] = n
			}
			s = n
		}
		m.out[s] = append(m.out[s], int32(id))
	}
	// breadth-first failure links, in a deterministic order.
	queue := []int32{}
	for _, r := range sortedKeys(m.next[0]) {
		queue = append(queue, m.next[0][r])
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, r := range sortedKeys(m.next[s]) {
			t := m.next[s][r]
			f := m.fail[s]
			for f != 0 {
				if _, ok := m.next[f][r]; ok {
					break
				}
				f = m.fail[f]
			}
			if n, ok := m.next[f][r]; ok && n != t {
				m.fail[t] = n
			}
			m.out[t] = append(m.out[t], m.out[m.fail[t]]...)
			queue = append(queue, t)
		}
	}
	return m
}

func sortedKeys(m map[rune]int32) []rune {
	ks := make([]rune, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// hit is one match: pattern id and rune range in the original text.
type hit struct {
	id         int
	start, end int
}

// compacted is a text prepared for matching.
type compacted struct {
	rs  []rune // original
	c   []rune // compacted
	pos []int
}

func prepare(rs []rune) *compacted {
	c, pos := compact(rs)
	return &compacted{rs: rs, c: c, pos: pos}
}

// findAll returns every match in [from, to) of the original text, sorted by
// start, then longest first.
func (m *matcher) findAll(t *compacted, from, to int) []hit {
	// locate the compacted range.
	ci := sort.SearchInts(t.pos, from)
	cj := sort.SearchInts(t.pos, to)
	var hits []hit
	s := int32(0)
	for i := ci; i < cj; i++ {
		r := t.c[i]
		for {
			if n, ok := m.next[s][r]; ok {
				s = n
				break
			}
			if s == 0 {
				break
			}
			s = m.fail[s]
		}
		for _, id := range m.out[s] {
			l := m.plen[id]
			cs := i - l + 1
			if cs < ci {
				continue
			}
			start, end := t.pos[cs], t.pos[i]+1
			e := m.edge[id]
			if e&1 != 0 && start > 0 && isASCIIAlnum(t.rs[start-1]) {
				continue
			}
			if e&2 != 0 && end < len(t.rs) && isASCIIAlnum(t.rs[end]) {
				continue
			}
			hits = append(hits, hit{id: int(id), start: start, end: end})
		}
	}
	sort.Slice(hits, func(a, b int) bool {
		if hits[a].start != hits[b].start {
			return hits[a].start < hits[b].start
		}
		if hits[a].end != hits[b].end {
			return hits[a].end > hits[b].end
		}
		return hits[a].id < hits[b].id
	})
	return hits
}

// longest keeps leftmost-longest non-overlapping hits.
func longest(hits []hit) []hit {
	var out []hit
	end := -1
	for _, h := range hits {
		if h.start < end {
			continue
		}
		out = append(out, h)
		end = h.end
	}
	return out
}
