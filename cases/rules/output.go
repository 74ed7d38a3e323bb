package rules

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/appinspect/appinspect/cases"
)

// WriteCandidates writes candidates for `appinspect rules` and reports. With
// jsonOut it writes {"candidates":[…]} (keys rule, title_zh, title_en,
// severity, articles, evidence, explanation, explanation_zh, explanation_en,
// rectification_zh, rectification_en, subject), explanation in lang;
// otherwise text grouped by severity, high first: one line per candidate
// with its rule, title and articles, the explanation, then one line per
// evidence item. The order of cands is kept within each group.
func WriteCandidates(w io.Writer, cands []Candidate, jsonOut bool, lang string) error {
	out := make([]Candidate, len(cands))
	for i, c := range cands {
		c.Explanation = pick(lang, c.ExplanationZH, c.ExplanationEN)
		if c.Articles == nil {
			c.Articles = []string{}
		}
		if c.Evidence == nil {
			c.Evidence = []Evidence{}
		}
		out[i] = c
	}
	if jsonOut {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Candidates []Candidate `json:"candidates"`
		}{out}); err != nil {
			return fmt.Errorf("rules: write candidates: %w", err)
		}
		return nil
	}
	bw := bufio.NewWriter(w)
	en := isEN(lang)
	if len(out) == 0 {
		if en {
			fmt.Fprintln(bw, "No candidate findings.")
		} else {
			fmt.Fprintln(bw, "无候选问题。")
		}
	}
	for _, sev := range append(cases.Severities, "") {
		var group []Candidate
		for _, c := range out {
			if c.Severity == sev || (sev == "" && !c.Severity.Valid()) {
				group = append(group, c)
			}
		}
		if len(group) == 0 {
			continue
		}
		name := sev.ZH()
		if en {
			name = sev.EN()
		}
		if sev == "" {
			name = "?"
		}
		fmt.Fprintf(bw, "== %s (%d) ==\n", name, len(group))
		for _, c := range group {
			title := c.TitleZH
			if en {
				title = c.TitleEN
			}
			subj := ""
			if c.Subject != "" && c.Subject != "app" {
				subj = " [" + c.Subject + "]"
			}
			fmt.Fprintf(bw, "%s  %s%s  — %s\n", c.Rule, title, subj, strings.Join(c.Articles, ", "))
			if c.Explanation != "" {
				fmt.Fprintf(bw, "    %s\n", c.Explanation)
			}
			for _, e := range c.Evidence {
				line := "    - " + e.Key
				if e.Detail != "" {
					line += "  " + e.Detail
				}
				if e.Owner != "" && e.Kind == "api" {
					line += "  (owner " + e.Owner + ")"
				}
				fmt.Fprintln(bw, line)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("rules: write candidates: %w", err)
	}
	return nil
}
