package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases/law"
)

func init() {
	register(command{name: "articles", summary: "list the regulation catalog (documents and articles, gaps marked)",
		usage: "articles [--json] [--lang zh|en] [--search TEXT] [--import FILE [--yes]] [--fill ID --text-file FILE --source TEXT]", run: runArticles})
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
	cat, err := app.OpenLaw(env.config())
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
