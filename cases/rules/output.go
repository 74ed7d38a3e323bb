package rules

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/pi"
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

// WriteEvaluation writes what `appinspect check` prints. With jsonOut it
// writes {"rules_version", "candidates":[…], "disclosures":[…]}: candidates
// as WriteCandidates, disclosures with keys kind, ref, owner, categories,
// declared, spans[] {start, end, text} and why. Otherwise the candidates as
// text, then one line per disclosure: ✓ or ✗, kind, ref, owner, categories
// and the words that matched.
func WriteEvaluation(w io.Writer, ev Evaluation, jsonOut bool, lang string) error {
	if jsonOut {
		out := ev
		out.Candidates = make([]Candidate, len(ev.Candidates))
		for i, c := range ev.Candidates {
			c.Explanation = pick(lang, c.ExplanationZH, c.ExplanationEN)
			if c.Articles == nil {
				c.Articles = []string{}
			}
			if c.Evidence == nil {
				c.Evidence = []Evidence{}
			}
			out.Candidates[i] = c
		}
		out.Disclosures = make([]Disclosure, len(ev.Disclosures))
		for i, d := range ev.Disclosures {
			if d.Categories == nil {
				d.Categories = []pi.Category{}
			}
			if d.Spans == nil {
				d.Spans = []Span{}
			}
			out.Disclosures[i] = d
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("rules: write evaluation: %w", err)
		}
		return nil
	}
	if err := WriteCandidates(w, ev.Candidates, false, lang); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if isEN(lang) {
		fmt.Fprintf(bw, "\n== Declared in the policy? (%d behaviours, rules %s) ==\n", len(ev.Disclosures), ev.RulesVersion)
	} else {
		fmt.Fprintf(bw, "\n== 隐私政策是否声明（%d 项行为，规则版本 %s）==\n", len(ev.Disclosures), ev.RulesVersion)
	}
	for _, d := range ev.Disclosures {
		mark := "✗"
		if d.Declared {
			mark = "✓"
		}
		cs := make([]string, len(d.Categories))
		for i, c := range d.Categories {
			cs[i] = string(c)
		}
		line := fmt.Sprintf("%s %s %s", mark, d.Kind, d.Ref)
		if d.Owner != "" && d.Owner != "app" && d.Owner != d.Ref {
			line += " [" + d.Owner + "]"
		}
		if len(cs) > 0 {
			line += " (" + strings.Join(cs, ",") + ")"
		}
		if d.Why != "" {
			line += "  " + d.Why
		}
		fmt.Fprintln(bw, line)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("rules: write evaluation: %w", err)
	}
	return nil
}
