package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
	"github.com/appinspect/appinspect/inspect/sdk"
)

func init() {
	register(command{name: "policy", summary: "read a privacy policy (txt, html, pdf, docx, uiautomator xml) and show what it declares, with spans",
		usage: "policy [--json] FILE", run: runPolicy})
	register(command{name: "check", summary: "scan an APK, read its policy and list candidate violations citing articles",
		usage: "check [--json] [--lang zh|en] [--policy FILE] [--app-type TYPE] APK", run: runCheck})
	register(command{name: "articles", summary: "list the regulation catalog (documents and articles, gaps marked)",
		usage: "articles [--json] [--lang zh|en] [--search TEXT] [--import FILE [--yes]] [--fill ID --text-file FILE --source TEXT]", run: runArticles})
	register(command{name: "catalog", summary: "list, check or export the SDK catalog (embedded + extension file)",
		usage: "catalog list|check FILE|export [--json]", run: runCatalog})
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
	doc, err := policy.Load(pos[0])
	if err != nil {
		return Fail(env.IO, err)
	}
	cat, err := sdk.Embedded()
	if err != nil {
		return Fail(env.IO, err)
	}
	res := cat.Resolver()
	ex := policy.Extract(doc, policy.Options{ResolveSDK: res.Resolve})
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

func writeJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ExitPartial
	}
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

func shortText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func runCheck(ctx context.Context, env *Env, args []string) int {
	c := command{name: "check", summary: "Scan an APK, read its privacy policy (the file given, else the one bundled in the APK) and\nlist the candidate violations the rules find, each citing its articles, with evidence, and\nwhether the policy declares each detected behaviour (the disclosures every view reads).", usage: "check [--json] [--lang zh|en] [--policy FILE] [--app-type TYPE] APK"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON: {\"rules_version\", \"candidates\":[{rule, severity, articles, evidence, explanation, …}], \"disclosures\":[{kind, ref, owner, categories, declared, spans, why}], \"items\":[{id, result, evidence}]}")
	lang := fs.String("lang", "zh", "language of titles and explanations: zh or en")
	policyPath := fs.String("policy", "", "privacy policy file (txt, html, pdf, docx); default: the one bundled in the APK")
	appType := fs.String("app-type", "", "app type of the 39-type necessary-information table (number, id or name; see appinspect articles)")
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) != 1 || (*lang != "zh" && *lang != "en") {
		fs.Usage()
		return ExitUsage
	}
	det, err := DetectorFor(env, "")
	if err != nil {
		return Fail(env.IO, err)
	}
	cat, err := law.Embedded()
	if err != nil {
		return Fail(env.IO, err)
	}
	var t *law.AppType
	if *appType != "" {
		x, ok := cat.AppType(*appType)
		if !ok {
			fmt.Fprintf(env.Err, "appinspect: app type %q is not in the 39-type table; list them with: appinspect articles --search nps39\n", *appType)
			return ExitUsage
		}
		t = &x
	}
	r, err := inspect.Scan(ctx, pos[0], inspect.Options{Detector: det})
	if err != nil {
		return Fail(env.IO, err)
	}
	p, err := readPolicy(*policyPath, "", r)
	if err != nil {
		return Fail(env.IO, err)
	}
	for _, w := range r.Warnings {
		if strings.HasPrefix(w, "policy: bundled") {
			fmt.Fprintln(env.Err, "appinspect: warning:", w)
		}
	}
	f := &rules.Facts{Scan: r, AppType: t}
	if p != nil {
		res := det.Catalog().Resolver()
		f.Policy = policy.Extract(p.doc, policy.Options{ResolveSDK: res.Resolve})
		f.PolicyText = p.doc.Text
		if !*jsonOut {
			fmt.Fprintf(env.Out, "Policy: %s\n\n", p.name)
		}
	} else if !*jsonOut {
		fmt.Fprintf(env.Out, "Policy: none found in the APK and none given (--policy FILE)\n\n")
	}
	ev := rules.Evaluate(f, rules.Options{Lang: *lang})
	if *jsonOut {
		return writeCheckJSON(env, ev, *lang)
	}
	if err := rules.WriteEvaluation(env.Out, ev, false, *lang); err != nil {
		return Fail(env.IO, err)
	}
	return ExitOK
}

func runArticles(_ context.Context, env *Env, args []string) int {
	c := command{name: "articles", summary: "List the regulation catalog: documents and their articles or items, with gaps marked\n([GAP]: text not available — import the official text). --import previews (and with --yes applies)\na new or amended document; --fill fills one gap with the official text pasted into a file.", usage: "articles [--json] [--lang zh|en] [--search TEXT] [--import FILE [--yes]] [--fill ID --text-file FILE --source TEXT]"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON")
	lang := fs.String("lang", "zh", "language: zh or en")
	search := fs.String("search", "", "only articles whose id, number, title, text or topic contains TEXT")
	imp := fs.String("import", "", "preview importing a document (JSON in the catalog's shape)")
	yes := fs.Bool("yes", false, "with --import: apply it")
	fill := fs.String("fill", "", "fill the gap of this article id (e.g. rd2019/4.1) with the official Chinese text")
	textFile := fs.String("text-file", "", "with --fill: a UTF-8 file holding the official text, exactly as published")
	source := fs.String("source", "", "with --fill: where the text comes from (URL or document), recorded with it")
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) != 0 {
		fs.Usage()
		return ExitUsage
	}
	dir, err := DataDir(env.DataDir)
	if err != nil {
		return Fail(env.IO, err)
	}
	cat, err := law.Open(dir + string(os.PathSeparator) + "law")
	if err != nil {
		return Fail(env.IO, err)
	}
	if *fill != "" {
		if *textFile == "" || *source == "" {
			fmt.Fprintln(env.Err, "appinspect: --fill needs --text-file and --source")
			return ExitUsage
		}
		b, err := os.ReadFile(*textFile)
		if err != nil {
			return Fail(env.IO, err)
		}
		if err := cat.FillGap(*fill, strings.TrimSpace(string(b)), "", *source); err != nil {
			return Fail(env.IO, err)
		}
		a, _ := cat.Article(*fill)
		fmt.Fprintf(env.Out, "%s filled (%s): %s\n", a.ID, a.Status, shortText(a.DisplayText(*lang), 60))
		return ExitOK
	}
	if *imp != "" {
		pv, err := cat.PreviewImport(*imp)
		if err != nil {
			return Fail(env.IO, err)
		}
		if *jsonOut {
			writeJSON(env.Out, pv)
		} else {
			if err := pv.WriteText(env.Out); err != nil {
				return Fail(env.IO, err)
			}
		}
		if !*yes {
			fmt.Fprintln(env.Err, "appinspect: preview only; add --yes to import")
			return ExitOK
		}
		if err := cat.Import(*imp); err != nil {
			return Fail(env.IO, err)
		}
		fmt.Fprintln(env.Err, "appinspect: imported")
		return ExitOK
	}
	if *search != "" {
		arts := cat.Search(*search)
		if *jsonOut {
			return writeJSON(env.Out, struct {
				Articles []law.Article `json:"articles"`
			}{arts})
		}
		for _, a := range arts {
			fmt.Fprintf(env.Out, "%-16s %s\n", a.ID, shortText(a.DisplayText(*lang), 80))
		}
		return ExitOK
	}
	if err := law.WriteList(env.Out, cat, *jsonOut, *lang); err != nil {
		return Fail(env.IO, err)
	}
	return ExitOK
}

func runCatalog(_ context.Context, env *Env, args []string) int {
	c := command{name: "catalog", summary: "The SDK catalog: list its entries, check an extension file, or export the merged catalog.\nThe extension file (same entry schema) is sdk-catalog.json in the data directory.", usage: "catalog list|check FILE|export [--json]"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) == 0 {
		fs.Usage()
		return ExitUsage
	}
	det, err := DetectorFor(env, "")
	if err != nil {
		return Fail(env.IO, err)
	}
	cat := det.Catalog()
	switch pos[0] {
	case "list":
		if *jsonOut {
			return writeJSON(env.Out, struct {
				Version string      `json:"version"`
				Entries []sdk.Entry `json:"entries"`
			}{cat.Version, cat.Entries()})
		}
		fmt.Fprintf(env.Out, "SDK catalog %s: %d entries\n", cat.Version, cat.Len())
		for _, e := range cat.Entries() {
			fmt.Fprintf(env.Out, "%-36s %-12s %-24s %s\n", e.ID, e.Category, e.NameZH, e.NameEN)
		}
		return ExitOK
	case "check":
		if len(pos) != 2 {
			fs.Usage()
			return ExitUsage
		}
		probs := cat.Check(pos[1])
		if *jsonOut {
			writeJSON(env.Out, struct {
				File     string        `json:"file"`
				OK       bool          `json:"ok"`
				Problems []sdk.Problem `json:"problems"`
			}{pos[1], len(probs) == 0, append([]sdk.Problem{}, probs...)})
		} else if len(probs) == 0 {
			fmt.Fprintf(env.Out, "%s: ok\n", pos[1])
		}
		for _, p := range probs {
			if !*jsonOut {
				fmt.Fprintln(env.Err, p)
			}
		}
		if len(probs) > 0 {
			return ExitPartial
		}
		return ExitOK
	case "export":
		if err := cat.Export(env.Out); err != nil {
			return Fail(env.IO, err)
		}
		return ExitOK
	}
	fs.Usage()
	return ExitUsage
}
