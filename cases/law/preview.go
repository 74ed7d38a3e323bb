package law

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits of the text preview, so a large document gives a reviewable page, not a dump.
const (
	previewContext = 12  // unchanged runes shown on each side of a change
	previewChange  = 160 // runes shown of one removed or added run
	previewDiff    = 600 // runes of diff shown per article and language
	previewExcerpt = 60  // runes of an added or removed article's text
)

// WriteText writes the preview for a person to review before the import replaces a document:
// the document and versions, then article by article what is added, removed and changed, with
// short excerpts and text diffs ([-removed-]{+added+}). Both Chinese and English labels.
func (p *ImportPreview) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	pf := func(format string, a ...any) { fmt.Fprintf(ew, format, a...) }
	pf("Import preview 导入预览: %s\n", p.File)
	pf("  document 文件  %s  %s (file id %s)\n", p.DocID, p.TitleZH, p.FileID)
	if p.NewDocument {
		pf("  new document, version %s 新增文件\n", p.NewVersion)
	} else {
		pf("  replaces version %s with %s 替换现行版本\n", p.OldVersion, p.NewVersion)
	}
	pf("  %d added 新增, %d removed 删除, %d changed 修改, %d unchanged 未变\n", len(p.Added), len(p.Removed), len(p.Changed), p.Unchanged)
	for _, wmsg := range p.Warnings {
		pf("  warning 警告: %s\n", wmsg)
	}
	if !p.HasChanges() {
		pf("No article changes. 条文无变化。\n")
		return ew.err
	}
	byID := func(d *Document) map[string]Article {
		m := map[string]Article{}
		if d != nil {
			for _, a := range d.Articles {
				m[a.ID] = a
			}
		}
		return m
	}
	newArts, oldArts := byID(p.doc), byID(p.old)
	if len(p.Added) > 0 {
		pf("\nAdded 新增 (%d):\n", len(p.Added))
		for _, id := range p.Added {
			a := newArts[id]
			pf("  + %-16s %s  %s\n", id, a.Number, excerpt(articleText(a), previewExcerpt))
		}
	}
	if len(p.Removed) > 0 {
		pf("\nRemoved 删除 (%d):\n", len(p.Removed))
		for _, id := range p.Removed {
			a := oldArts[id]
			pf("  - %-16s %s  %s\n", id, a.Number, excerpt(articleText(a), previewExcerpt))
		}
	}
	if len(p.Changed) > 0 {
		pf("\nChanged 修改 (%d):\n", len(p.Changed))
		for _, ch := range p.Changed {
			pf("  ~ %-16s %s  [%s]\n", ch.ID, ch.Number, strings.Join(ch.Fields, ", "))
			if len(ch.DiffZH) > 0 {
				pf("      zh: %s\n", diffLine(ch.DiffZH))
			}
			if len(ch.DiffEN) > 0 {
				pf("      en: %s\n", diffLine(ch.DiffEN))
			}
			o, n := oldArts[ch.ID], newArts[ch.ID]
			for _, f := range ch.Fields {
				switch f {
				case "title_zh":
					pf("      title 标题: %q → %q\n", o.TitleZH, n.TitleZH)
				case "number":
					pf("      number 条号: %q → %q\n", o.Number, n.Number)
				case "status":
					pf("      status 状态: %s → %s\n", o.Status, n.Status)
				case "topics":
					pf("      topics 主题: %s → %s\n", strings.Join(o.Topics, ","), strings.Join(n.Topics, ","))
				}
			}
		}
	}
	pf("\nMarks and documents citing a removed or changed article keep the text they quoted; review them after the import.\n已引用被删除或修改条文的标记和文书保留原引用文字，导入后请复核。\n")
	return ew.err
}

func articleText(a Article) string {
	if a.TextZH != "" {
		return a.TextZH
	}
	if a.TextEN != "" {
		return a.TextEN
	}
	return "(no text 无正文)"
}

// excerpt returns the first n runes of s on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// diffLine renders a diff on one line: unchanged runs shortened to their ends, removals as
// [-…-], additions as {+…+}, the whole at most previewDiff runes.
func diffLine(ops []DiffOp) string {
	var b strings.Builder
	total := 0
	for i, op := range ops {
		r := []rune(strings.Join(strings.Fields(op.Text), " "))
		var piece string
		switch op.Op {
		case "=":
			switch {
			case len(r) <= 2*previewContext:
				piece = string(r)
			case i == 0:
				piece = "…" + string(r[len(r)-previewContext:])
			case i == len(ops)-1:
				piece = string(r[:previewContext]) + "…"
			default:
				piece = string(r[:previewContext]) + "…" + string(r[len(r)-previewContext:])
			}
		case "-":
			piece = "[-" + excerpt(string(r), previewChange) + "-]"
		case "+":
			piece = "{+" + excerpt(string(r), previewChange) + "+}"
		}
		n := utf8.RuneCountInString(piece)
		if total+n > previewDiff {
			b.WriteString(" …(shortened 已截断)")
			break
		}
		total += n
		b.WriteString(piece)
	}
	return b.String()
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
