package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

func init() {
	register(command{name: "policy", summary: "read a privacy policy (txt, html, pdf, docx, uiautomator xml) and show what it declares, with spans",
		usage: "policy [--json] FILE", run: runPolicy})
}

func runPolicy(_ context.Context, env *Env, args []string) int {
	c := command{name: "policy", summary: "Read a privacy policy and show what it declares: data types, permission groups, SDKs,\ninformed-consent elements and sections, each with its character span (rune offsets into the normalised text).", usage: "policy [--json] FILE"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) != 1 {
		fs.Usage()
		return ExitUsage
	}
	doc, ex, err := app.ReadPolicy(pos[0])
	if err != nil {
		return Fail(env.IO, err)
	}
	if *jsonOut {
		out := struct {
			File   string        `json:"file"`
			SHA256 string        `json:"sha256"`
			Source policy.Source `json:"source"`
			Chars  int           `json:"chars"`
			Text   string        `json:"text"`
			*policy.Extraction
		}{File: pos[0], SHA256: doc.Original.SHA256, Source: doc.Original.Source, Chars: len([]rune(doc.Text)), Text: doc.Text, Extraction: ex}
		return writeJSON(env.Out, out)
	}
	writePolicySummary(env.Out, pos[0], doc, ex)
	return ExitOK
}

func writePolicySummary(w io.Writer, name string, doc *policy.Document, ex *policy.Extraction) {
	p := func(f string, a ...any) { fmt.Fprintf(w, f, a...) }
	p("%s\n  %d characters, %d sections, %s, sha256 %s\n", name, len([]rune(doc.Text)), len(doc.Sections), doc.Original.Source.Kind, doc.Original.SHA256)
	seen := map[pi.Category]int{}
	declared := 0
	for _, d := range ex.DataTypes {
		if d.Declared() {
			seen[d.Category]++
			declared++
		}
	}
	p("  Data types (%d mentions, %d declared as collected, used or shared)\n", len(ex.DataTypes), declared)
	for _, c := range pi.All() {
		if n := seen[c.ID]; n > 0 {
			p("    %-16s %-22s ×%d\n", c.ID, c.ZH, n)
		}
	}
	groups := map[string]int{}
	for _, g := range ex.PermissionGroups {
		groups[g.Group]++
	}
	p("  Permission groups:")
	for _, g := range []string{"CALENDAR", "CAMERA", "CONTACTS", "LOCATION", "MICROPHONE", "PHONE", "SENSORS", "SMS", "STORAGE"} {
		if groups[g] > 0 {
			p(" %s", g)
		}
	}
	p("\n  Third-party SDKs (%d)\n", len(ex.SDKs))
	for _, s := range ex.SDKs {
		id := s.ID
		if id == "" {
			id = "(not in catalog)"
		}
		p("    %-30s %s\n", s.Name, id)
	}
	p("  Informed-consent elements\n")
	for _, e := range ex.Elements {
		mark := "missing"
		if e.Present {
			mark = fmt.Sprintf("present [%d,%d) %s", e.Start, e.End, shortText(doc.Slice(e.Start, e.End), 40))
		}
		p("    %-22s %s\n", e.ID, mark)
	}
}
