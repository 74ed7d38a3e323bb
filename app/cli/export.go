package cli

import (
	"context"

	"github.com/appinspect/appinspect/app"
)

func init() {
	register(command{name: "export", summary: "export a case's findings and marks as XLSX",
		usage: "export CASE --xlsx FILE.xlsx", run: runExport})
}

func runExport(ctx context.Context, env *Env, args []string) int {
	c := command{name: "export", summary: "Export a case's findings and marks as XLSX (item, article/standard, result, risk level,\nsubject, behaviour, evidence, suggestion), with sheets for marks, permissions, SDKs and APIs.", usage: "export CASE --xlsx FILE.xlsx"}
	fs := c.flags(env)
	out := fs.String("xlsx", "", "the XLSX file to write")
	lang := new(string)
	*lang = "zh"
	return runDoc(ctx, env, fs, args, out, lang, func(s *app.Service, id int64) error {
		return s.ExportXLSX(ctx, id, *out)
	})
}
