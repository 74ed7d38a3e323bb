package app

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/cases/workspace"
)

func init() {
	register(command{name: "notice", summary: "write the rectification notice (整改通知书) of a case as PDF",
		usage: "notice CASE --out FILE.pdf [--lang zh|en] [--template regulator|agency|association]", run: runNotice})
	register(command{name: "report", summary: "write the full inspection report of a case as PDF",
		usage: "report CASE --out FILE.pdf [--lang zh|en]", run: runReport})
	register(command{name: "export", summary: "export a case's findings and marks as XLSX",
		usage: "export CASE --xlsx FILE.xlsx", run: runExport})
}

func runNotice(ctx context.Context, env *Env, args []string) int {
	c := command{name: "notice", summary: "Write the rectification notice of a case as a formal document: the issuer's legal basis, one\nsection per mark with verdict violation (the article by name and number, quoted verbatim or cited,\nthe plain-language statement, the responsible party, a short evidence summary, the required\nrectification), the deadline (N working days from the issue date), contact, signature and seal;\nattachment 1 lists the raw evidence with the digest. Templates: regulator (整改通知书), agency\n(检测报告（整改建议书）), association (自律审查意见). Refused until the issuer and the inspector\nare set (appinspect settings set issuer NAME / inspector NAME).", usage: "notice CASE --out FILE.pdf [--lang zh|en] [--template regulator|agency|association]"}
	fs := c.flags(env)
	out := fs.String("out", "", "the PDF to write")
	lang := fs.String("lang", "zh", "zh or en")
	tmpl := fs.String("template", "", "regulator, agency or association (default: the settings')")
	return runDoc(ctx, env, fs, args, out, lang, func(s *Service, id int64) error {
		return s.ExportNotice(ctx, id, workspace.DocumentOptions{Lang: *lang, Template: *tmpl, Path: *out})
	})
}

func runReport(ctx context.Context, env *Env, args []string) int {
	c := command{name: "report", summary: "Write the inspection report of a case: app facts, permissions, SDKs, sensitive APIs by owner,\nthe policy checklist and policy-versus-behaviour matrix, the device timeline and every mark.", usage: "report CASE --out FILE.pdf [--lang zh|en]"}
	fs := c.flags(env)
	out := fs.String("out", "", "the PDF to write")
	lang := fs.String("lang", "zh", "zh or en")
	return runDoc(ctx, env, fs, args, out, lang, func(s *Service, id int64) error {
		return s.ExportReport(ctx, id, workspace.DocumentOptions{Lang: *lang, Path: *out})
	})
}

func runExport(ctx context.Context, env *Env, args []string) int {
	c := command{name: "export", summary: "Export a case's findings and marks as XLSX (item, article/standard, result, risk level,\nsubject, behaviour, evidence, suggestion), with sheets for marks, permissions, SDKs and APIs.", usage: "export CASE --xlsx FILE.xlsx"}
	fs := c.flags(env)
	out := fs.String("xlsx", "", "the XLSX file to write")
	lang := new(string)
	*lang = "zh"
	return runDoc(ctx, env, fs, args, out, lang, func(s *Service, id int64) error {
		return s.ExportXLSX(ctx, id, *out)
	})
}

func runDoc(ctx context.Context, env *Env, fs *flag.FlagSet, args []string, out, lang *string, do func(*Service, int64) error) int {
	return withService(env, fs, args, 1, func(s *Service, pos []string) int {
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
