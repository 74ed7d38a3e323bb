package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases/rules"
)

func init() {
	register(command{name: "check", summary: "scan an APK, read its policy and list candidate violations citing articles",
		usage: "check [--json] [--lang zh|en] [--policy FILE] [--app-type TYPE] APK", run: runCheck})
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
	res, err := app.Check(ctx, env.config(), app.CheckRequest{APK: pos[0], Policy: *policyPath, AppType: *appType, Lang: *lang})
	if errors.Is(err, app.ErrUnknownAppType) {
		fmt.Fprintf(env.Err, "appinspect: app type %q is not in the 39-type table; list them with: appinspect articles --search nps39\n", *appType)
		return ExitUsage
	}
	if err != nil {
		return Fail(env.IO, err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(env.Err, "appinspect: warning:", w)
	}
	if !*jsonOut {
		if res.PolicyName != "" {
			fmt.Fprintf(env.Out, "Policy: %s\n\n", res.PolicyName)
		} else {
			fmt.Fprintf(env.Out, "Policy: none found in the APK and none given (--policy FILE)\n\n")
		}
	}
	ev := res.Evaluation
	if *jsonOut {
		doc, err := app.CheckJSON(env.config(), ev, *lang)
		if err != nil {
			return Fail(env.IO, err)
		}
		return writeJSON(env.Out, doc)
	}
	if err := rules.WriteEvaluation(env.Out, ev, false, *lang); err != nil {
		return Fail(env.IO, err)
	}
	return ExitOK
}
