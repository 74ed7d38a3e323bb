package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
)

func init() {
	register(command{name: "case", summary: "inspection cases: new, list, show, mark, item, sdk, status, attach, reinspect, reevaluate, policy, export, import, demo",
		usage: "case new|list|show|mark|item|sdk|status|attach|reinspect|reevaluate|policy|export|import|demo ... [--json]", run: runCase})
}

var caseUsage = `Usage:
  appinspect case new --apk FILE [--policy FILE] [--subject NAME] [--subject-kind KIND] [--credit-code CODE]
                      [--app-type TYPE] [--source SOURCE] [--inspector NAME] [--notes TEXT] [--json]
  appinspect case list [--status S[,S]] [--overdue] [--query TEXT] [--subject-kind KIND] [--inspector NAME] [--limit N] [--json]
  appinspect case show CASE [--version ID] [--json]
  appinspect case mark CASE --article ID --verdict violation|compliant|not_applicable|needs_follow_up
                      [--severity high|medium|low|info] [--note TEXT] [--rectification TEXT] [--statement TEXT]
                      [--evidence SHA256[,…]] [--json]
                      (--statement: the problem in plain words for the notice; a violation without one gets a
                      statement drafted from the rules and evidence, kept until edited)
  appinspect case item CASE ITEM --result fail|pass|na|pending [--note TEXT] [--json]
                      record a checklist item's result (a failed item marks its articles as violated)
  appinspect case sdk CASE SDK-ID --note TEXT [--json]
                      confirm that an SDK the scan only found mentioned (strings, hosts, a callback class)
                      is in the app, saying how it was seen; it then counts as present (a 涉及主体 when it
                      is a third-party SDK that handles personal information) and the newest version is
                      evaluated again. --withdraw (instead of --note) takes it back.
                      The SDK ids are in: appinspect case show CASE (SDKs only mentioned)
  appinspect case status CASE [--to STATUS] [--note TEXT] [--json]
  appinspect case attach CASE FILE [--kind screenshot|policy|device_dump|log|apk|other] [--json]
  appinspect case reinspect CASE --apk FILE [--policy FILE] [--json]
  appinspect case reevaluate CASE [--json]   run the current rules over the newest version; stored
                      as a new version recording the rules version
  appinspect case policy CASE FILE
  appinspect case export CASE --out FILE.zip
  appinspect case import FILE.zip [--trust FINGERPRINT] [--allow-unsigned] [--json]
  appinspect case demo [--json]          create (once) the demo case from the embedded fictitious sample

CASE is the case id or its number. Subject kinds: app_operator, distribution_platform, sdk_provider,
terminal_maker, network_access_provider. Sources: routine, complaint, campaign, reinspection.
Statuses: open, notice_issued, rectified, reinspection, closed, public_announcement, removal,
disconnection, credit_management.
`

// caseRun runs one case subcommand on the open service with its positional
// arguments; errUsage means the arguments were wrong.
type caseRun func(ctx context.Context, s *app.Service, pos []string) error

// caseCommands are the case subcommands, each in its case_*.go file: the
// function defines its flags on fs and returns what runs them.
var caseCommands = map[string]func(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun{
	"new":        caseNew,
	"list":       caseList,
	"show":       caseShow,
	"mark":       caseMark,
	"item":       caseItem,
	"sdk":        caseSDK,
	"status":     caseStatus,
	"attach":     caseAttach,
	"reinspect":  caseReinspect,
	"reevaluate": caseReevaluate,
	"policy":     casePolicy,
	"export":     caseExport,
	"demo":       caseDemo,
	"import":     caseImport,
}

func runCase(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(env.Out, caseUsage)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("case "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Err)
	fs.Usage = func() { fmt.Fprint(env.Err, caseUsage) }
	jsonOut := fs.Bool("json", false, "print JSON")
	newRun, ok := caseCommands[sub]
	if !ok {
		fmt.Fprintf(env.Err, "appinspect: unknown case command %q\n\n", sub)
		fmt.Fprint(env.Err, caseUsage)
		return ExitUsage
	}
	run := newRun(env, fs, jsonOut)
	pos, err := parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		return ExitUsage
	}
	s, err := openService(env)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	if err := run(ctx, s, pos); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprint(env.Err, caseUsage)
			return ExitUsage
		}
		return Fail(env.IO, err)
	}
	return ExitOK
}

func nonNilF(f []cases.Finding) []cases.Finding {
	if f == nil {
		return []cases.Finding{}
	}
	return f
}

func writeDiff(w io.Writer, d *cases.Diff) {
	for _, g := range []struct {
		name string
		fs   []cases.Finding
	}{{"fixed", d.Fixed}, {"new", d.New}, {"remaining", d.Remaining}, {"unchecked (not re-tested on this build)", d.Unchecked}} {
		fmt.Fprintf(w, "  %s (%d)\n", g.name, len(g.fs))
		for _, f := range g.fs {
			fmt.Fprintf(w, "    %s  %s\n", f.Rule, f.Article)
		}
	}
}

// showCase prints a case with its versions, candidates and marks.
func showCase(ctx context.Context, env *Env, s *app.Service, id, version int64, jsonOut bool) error {
	w, err := s.OpenCase(ctx, id, version)
	if err != nil {
		return err
	}
	cj := s.FullCaseJSON(w)
	if jsonOut {
		writeJSON(env.Out, cj)
		return nil
	}
	p := func(f string, a ...any) { fmt.Fprintf(env.Out, f, a...) }
	c := w.Case
	p("Case %s (id %d)  %s / %s\n", c.Number, c.ID, c.Status, c.Status.ZH())
	p("  Subject    %s (%s) %s\n", c.Subject.Name, c.Subject.Kind.ZH(), c.Subject.CreditCode)
	p("  App        %s  %s  type %s\n", c.App.Name, c.App.Package, c.App.TypeID)
	p("  Inspectors %s; source %s\n", strings.Join(c.Inspectors, ", "), c.Source)
	if cj.Deadline != nil {
		p("  Deadline   %s", cj.Deadline.Format("2006-01-02"))
		if cj.Overdue {
			p(" OVERDUE")
		}
		p("\n")
	}
	for _, v := range cj.Versions {
		rv := v.RulesVersion
		if rv == "" {
			rv = "not recorded"
		}
		p("  Version    %d: %s (%d) apk %s…  policy %v  rules %s\n", v.ID, v.VersionName, v.VersionCode, v.APKSHA256[:min(12, len(v.APKSHA256))], v.HasPolicy, rv)
	}
	if len(w.Outdated) > 0 {
		p("  Outdated   %s: the stored candidates predate them; run: appinspect case reevaluate %d\n", strings.Join(w.Outdated, ", "), c.ID)
	}
	if w.PolicyName != "" {
		p("  Policy     %s (%d characters)\n", w.PolicyName, len([]rune(w.PolicyText)))
	}
	undeclared := 0
	for _, d := range w.Disclosures {
		if !d.Declared {
			undeclared++
		}
	}
	p("  Disclosures %d behaviours, %d not declared in the policy\n", len(w.Disclosures), undeclared)
	if w.Scan != nil {
		var present, confirmed []string
		for _, x := range w.Scan.SDKs {
			if who, _, ok := x.Confirmation(); ok {
				confirmed = append(confirmed, x.ID+" (by "+who+")")
			} else {
				present = append(present, x.ID)
			}
		}
		p("  SDKs       %d present: %s\n", len(present), strings.Join(present, ", "))
		if len(confirmed) > 0 {
			p("  Confirmed  %s (no code in the APK; confirmed by the inspector)\n", strings.Join(confirmed, ", "))
		}
		if len(w.Scan.SDKMentions) > 0 {
			var ids []string
			for _, x := range w.Scan.SDKMentions {
				ids = append(ids, x.ID)
			}
			p("  Mentioned  %s (strings, hosts, meta-data keys or callback classes only, never a finding; confirm one with: appinspect case sdk %d SDK-ID --note TEXT)\n", strings.Join(ids, ", "), c.ID)
		}
	}
	p("  Candidates (%d)\n", len(w.Candidates))
	for _, k := range w.Candidates {
		subj := ""
		if k.Subject != "" && k.Subject != "app" {
			subj = " [" + k.Subject + "]"
		}
		p("    %-6s %-38s %-34s %s%s\n", k.Severity, k.Rule, strings.Join(k.Articles, ", "), shortText(k.ExplanationZH, 40), subj)
	}
	p("  Marks (%d)\n", len(w.Marks))
	for _, m := range w.Marks {
		v := string(m.Verdict)
		if v == "" {
			v = "pending"
		}
		p("    %-14s %-16s %s %s\n", m.ItemID, v, m.Inspector, shortText(m.Note, 50))
	}
	p("  Evidence (%d files)\n", len(w.Evidence))
	return nil
}
