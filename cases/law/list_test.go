package law

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteListJSON(t *testing.T) {
	c := mustEmbedded(t)
	var buf bytes.Buffer
	if err := WriteList(&buf, c, true, "zh"); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Documents []struct {
			ID       string  `json:"id"`
			TitleZH  string  `json:"title_zh"`
			TitleEN  *string `json:"title_en"`
			Status   string  `json:"status"`
			Articles []struct {
				ID     string   `json:"id"`
				Number string   `json:"number"`
				TextZH *string  `json:"text_zh"`
				TextEN *string  `json:"text_en"`
				Status string   `json:"status"`
				Gap    *bool    `json:"gap"`
				Topics []string `json:"topics"`
			} `json:"articles"`
		} `json:"documents"`
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	docs := c.Documents()
	if len(out.Documents) != len(docs) {
		t.Fatalf("%d documents, want %d", len(out.Documents), len(docs))
	}
	for i, d := range out.Documents {
		if d.ID != docs[i].ID || d.TitleZH != docs[i].TitleZH || d.TitleEN == nil || d.Status != docs[i].Status {
			t.Errorf("document %d: %+v", i, d.ID)
		}
		for j, a := range d.Articles {
			want := docs[i].Articles[j]
			if a.ID != want.ID || a.Number != want.Number || a.TextZH == nil || *a.TextZH != want.TextZH ||
				a.TextEN == nil || a.Gap == nil || *a.Gap != want.Gap || a.Status != want.Status || a.Topics == nil {
				t.Errorf("article %s mismatched", want.ID)
			}
		}
	}
	// Deterministic.
	var again bytes.Buffer
	_ = WriteList(&again, c, true, "zh")
	if !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Error("JSON list not deterministic")
	}
	if strings.Contains(buf.String(), `\u003c`) {
		t.Error("HTML escaping in JSON output")
	}
}

func TestWriteListText(t *testing.T) {
	c := mustEmbedded(t)
	var zh, en bytes.Buffer
	if err := WriteList(&zh, c, false, "zh"); err != nil {
		t.Fatal(err)
	}
	if err := WriteList(&en, c, false, "en"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(zh.String(), "\n")
	var pipl13, gap string
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "pipl/13 ") {
			pipl13 = l
		}
		if strings.HasPrefix(strings.TrimSpace(l), "draft2021/7 ") {
			gap = l
		}
	}
	if !strings.Contains(pipl13, "第十三条") || !strings.Contains(pipl13, "符合下列情形之一的") || !strings.HasSuffix(pipl13, "…") {
		t.Errorf("pipl/13 line %q", pipl13)
	}
	if !strings.Contains(gap, "[GAP]") || !strings.Contains(gap, GapSentenceZH) {
		t.Errorf("gap line %q", gap)
	}
	if !strings.Contains(zh.String(), "[PARTIAL]") {
		t.Error("no partial mark")
	}
	if !strings.Contains(en.String(), GapSentenceEN) || !strings.Contains(en.String(), "Personal Information Protection Law") {
		t.Error("English list lacks the English gap sentence or titles")
	}
	// One line per article plus a header per document.
	n := 0
	for _, d := range c.Documents() {
		n += len(d.Articles) + 1
	}
	nonEmpty := 0
	for _, l := range lines {
		if l != "" {
			nonEmpty++
		}
	}
	if nonEmpty != n {
		t.Errorf("%d lines, want %d", nonEmpty, n)
	}
	if got := snippet("一二三\n四五", 4); got != "一二三…" {
		t.Errorf("snippet = %q", got)
	}
}
