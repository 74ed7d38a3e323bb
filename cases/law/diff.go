package law

import "strings"

// maxDiffCells bounds the quadratic rune-level diff; beyond it the differing
// middle is reported as one removal and one addition.
const maxDiffCells = 4_000_000

// diffText returns a rune-level diff of a and b (longest common
// subsequence), with the common prefix and suffix as "=" runs.
func diffText(a, b string) []DiffOp {
	ra, rb := []rune(a), []rune(b)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	var ops []DiffOp
	add := func(op string, r []rune) {
		if len(r) == 0 {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].Op == op {
			ops[n-1].Text += string(r)
			return
		}
		ops = append(ops, DiffOp{Op: op, Text: string(r)})
	}
	add("=", ra[:p])
	ma, mb := ra[p:len(ra)-s], rb[p:len(rb)-s]
	if len(ma)*len(mb) > maxDiffCells || len(ma) == 0 || len(mb) == 0 {
		add("-", ma)
		add("+", mb)
	} else {
		lcsDiff(ma, mb, add)
	}
	add("=", ra[len(ra)-s:])
	return ops
}

func lcsDiff(a, b []rune, add func(string, []rune)) {
	n, m := len(a), len(b)
	// l[i][j] = LCS length of a[i:] and b[j:], stored flat.
	w := m + 1
	l := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				l[i*w+j] = l[(i+1)*w+j+1] + 1
			} else if x, y := l[(i+1)*w+j], l[i*w+j+1]; x >= y {
				l[i*w+j] = x
			} else {
				l[i*w+j] = y
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			add("=", a[i:i+1])
			i++
			j++
		case l[(i+1)*w+j] >= l[i*w+j+1]:
			add("-", a[i:i+1])
			i++
		default:
			add("+", b[j:j+1])
			j++
		}
	}
	add("-", a[i:])
	add("+", b[j:])
}

// FormatDiff renders a diff inline: removed runs as [-…-], added as {+…+}.
func FormatDiff(ops []DiffOp) string {
	var b strings.Builder
	for _, o := range ops {
		switch o.Op {
		case "-":
			b.WriteString("[-" + o.Text + "-]")
		case "+":
			b.WriteString("{+" + o.Text + "+}")
		default:
			b.WriteString(o.Text)
		}
	}
	return b.String()
}
