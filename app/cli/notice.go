package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases/workspace"
)

func init() {
	register(command{name: "notice", summary: "write the rectification notice (整改通知书) of a case as PDF",
		usage: "notice CASE --out FILE.pdf [--lang zh|en] [--template regulator|agency|association]", run: runNotice})
}

func runNotice(ctx context.Context, env *Env, args []string) int {
	c := command{name: "notice", summary: "Write the rectification notice of a case as a formal document: the issuer's legal basis, one\nsection per mark with verdict violation (the article by name and number, quoted verbatim or cited,\nthe plain-language statement, the responsible party, a short evidence summary, the required\nrectification), the deadline (N working days from the issue date), contact, signature and seal;\nattachment 1 lists the raw evidence with the digest. Templates: regulator (整改通知书), agency\n(检测报告（整改建议书）), association (自律审查意见). Refused until the issuer and the inspector\nare set (appinspect settings set issuer NAME / inspector NAME).", usage: "notice CASE --out FILE.pdf [--lang zh|en] [--template regulator|agency|association]"}
	fs := c.flags(env)
	out := fs.String("out", "", "the PDF to write")
	lang := fs.String("lang", "zh", "zh or en")
	tmpl := fs.String("template", "", "regulator, agency or association (default: the settings')")
	return runDoc(ctx, env, fs, args, out, lang, func(s *app.Service, id int64) error {
		return s.ExportNotice(ctx, id, workspace.DocumentOptions{Lang: *lang, Template: *tmpl, Path: *out})
	})
}

// runDoc runs a document command: CASE, --out (or --xlsx) and --lang.
func runDoc(ctx context.Context, env *Env, fs *flag.FlagSet, args []string, out, lang *string, do func(*app.Service, int64) error) int {
	return withService(env, fs, args, 1, func(s *app.Service, pos []string) int {
		if *out == "" || (*lang != "zh" && *lang != "en") {
			fs.Usage()
			return ExitUsage
		}
		id, err := resolveCase(ctx, s, pos[0])
		if err != nil {
			return Fail(env.IO, err)
		}
		if err := do(s, id); err != nil {
			return Fail(env.IO, err)
		}
		fmt.Fprintf(env.Err, "wrote %s\n", *out)
		return ExitOK
	})
}
