package cli

import (
	"context"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/inspect/sdk"
)

func init() {
	register(command{name: "catalog", summary: "list, check or export the SDK catalog (embedded + extension file)",
		usage: "catalog list|check FILE|export [--json]", run: runCatalog})
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
	det, err := app.NewDetector(env.config())
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
