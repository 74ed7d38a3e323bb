package cli

import (
	"context"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases/workspace"
)

func init() {
	register(command{name: "report", summary: "write the full inspection report of a case as PDF",
		usage: "report CASE --out FILE.pdf [--lang zh|en]", run: runReport})
}

func runReport(ctx context.Context, env *Env, args []string) int {
	c := command{name: "report", summary: "Write the inspection report of a case: app facts, permissions, SDKs, sensitive APIs by owner,\nthe policy checklist and policy-versus-behaviour matrix, the device timeline and every mark.", usage: "report CASE --out FILE.pdf [--lang zh|en]"}
	fs := c.flags(env)
	out := fs.String("out", "", "the PDF to write")
	lang := fs.String("lang", "zh", "zh or en")
	return runDoc(ctx, env, fs, args, out, lang, func(s *app.Service, id int64) error {
		return s.ExportReport(ctx, id, workspace.DocumentOptions{Lang: *lang, Path: *out})
	})
}
