package law

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// listSnippetRunes is how much of a text a list line shows.
const listSnippetRunes = 40

type listJSON struct {
	Documents []listDoc `json:"documents"`
}

type listDoc struct {
	ID       string        `json:"id"`
	TitleZH  string        `json:"title_zh"`
	TitleEN  string        `json:"title_en"`
	Status   string        `json:"status"`
	Version  string        `json:"version"`
	Articles []listArticle `json:"articles"`
}

type listArticle struct {
	ID      string   `json:"id"`
	Number  string   `json:"number"`
	TextZH  string   `json:"text_zh"`
	TextEN  string   `json:"text_en"`
	Status  string   `json:"status"`
	Gap     bool     `json:"gap"`
	Partial bool     `json:"partial"`
	Topics  []string `json:"topics"`
}

// WriteList writes the catalog for `appinspect articles`: with jsonOut, one
// JSON object {"documents":[{id,title_zh,title_en,status,version,articles:
// [{id,number,text_zh,text_en,status,gap,partial,topics}]}]}; otherwise one
// line per document followed by one line per article (id, number, the first
// characters of the text in lang, with [GAP] or [PARTIAL] marks, and
// [TRADITIONAL] / [PUNCT RESTORED] for the catalog's fidelity flags).
func WriteList(w io.Writer, c *Catalog, jsonOut bool, lang string) error {
	docs := c.Documents()
	if jsonOut {
		out := listJSON{Documents: make([]listDoc, 0, len(docs))}
		for _, d := range docs {
			ld := listDoc{ID: d.ID, TitleZH: d.TitleZH, TitleEN: d.TitleEN, Status: d.Status, Version: d.Version,
				Articles: make([]listArticle, 0, len(d.Articles))}
			for _, a := range d.Articles {
				ld.Articles = append(ld.Articles, listArticle{ID: a.ID, Number: a.Number, TextZH: a.TextZH, TextEN: a.TextEN,
					Status: a.Status, Gap: a.Gap, Partial: a.Partial, Topics: a.Topics})
			}
			out.Documents = append(out.Documents, ld)
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("law: write list: %w", err)
		}
		return nil
	}
	bw := bufio.NewWriter(w)
	en := lang == "en"
	for i, d := range docs {
		if i > 0 {
			bw.WriteString("\n")
		}
		title := d.TitleZH
		if en && d.TitleEN != "" {
			title = d.TitleEN
		}
		gaps := 0
		for _, a := range d.Articles {
			if a.Gap {
				gaps++
			}
		}
		fmt.Fprintf(bw, "%s  %s  [%s] %d articles, %d gaps\n", d.ID, title, d.Status, len(d.Articles), gaps)
		for _, a := range d.Articles {
			mark := ""
			var text string
			switch {
			case a.Gap:
				// The gap sentence is shown whole; only a title is cut.
				gap := GapSentenceZH
				sep := "："
				if en {
					gap, sep = GapSentenceEN, ": "
				}
				line := "[GAP] " + gap
				if a.TitleZH != "" {
					line = "[GAP] " + snippet(a.TitleZH, listSnippetRunes) + sep + gap
				}
				fmt.Fprintf(bw, "  %-14s %-10s %s\n", a.ID, a.Number, line)
				continue
			default:
				if a.Partial {
					mark = "[PARTIAL] "
				}
				if a.Traditional {
					mark += "[TRADITIONAL] "
				}
				if a.PunctRestored {
					mark += "[PUNCT RESTORED] "
				}
				text = a.TextZH
				if en && a.TextEN != "" {
					text = a.TextEN
				}
			}
			fmt.Fprintf(bw, "  %-14s %-10s %s%s\n", a.ID, a.Number, mark, snippet(text, listSnippetRunes))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("law: write list: %w", err)
	}
	return nil
}

// snippet returns the first n runes of s on one line, with "…" when cut.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n]), " ") + "…"
}
