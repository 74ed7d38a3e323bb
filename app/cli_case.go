package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/sqlite"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
)

func init() {
	register(command{name: "case", summary: "inspection cases: new, list, show, mark, status, attach, reinspect, policy, export, import, demo",
		usage: "case new|list|show|mark|status|attach|reinspect|policy|export|import|demo ... [--json]", run: runCase})
	register(command{name: "verify", summary: "check the audit hash chain and every evidence file; exit 2 when anything was tampered with",
		usage: "verify [--json]", run: runVerify})
	register(command{name: "backup", summary: "make a consistent online copy of the data (database and evidence) into a new directory",
		usage: "backup DIR", run: runBackup})
}

// openService opens the data directory for a command.
func openService(env *Env) (*Service, error) {
	return NewService(env.DataDir)
}

// resolveCase turns "12" or "〔2026〕第0001号" into a case id.
func resolveCase(ctx context.Context, s *Service, arg string) (int64, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		if _, err := s.db.Case(ctx, id); err != nil {
			return 0, fmt.Errorf("case %s: %w", arg, err)
		}
		return id, nil
	}
	c, err := s.db.CaseByNumber(ctx, arg)
	if err != nil {
		return 0, fmt.Errorf("case %s: %w", arg, err)
	}
	return c.ID, nil
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
  appinspect case status CASE [--to STATUS] [--note TEXT] [--json]
  appinspect case attach CASE FILE [--kind screenshot|policy|device_dump|log|apk|other] [--json]
  appinspect case reinspect CASE --apk FILE [--policy FILE] [--json]
  appinspect case policy CASE FILE
  appinspect case export CASE --out FILE.zip
  appinspect case import FILE.zip [--json]
  appinspect case demo [--json]          create (once) the demo case from the embedded fictitious sample

CASE is the case id or its number. Subject kinds: app_operator, distribution_platform, sdk_provider,
terminal_maker, network_access_provider. Sources: routine, complaint, campaign, reinspection.
Statuses: open, notice_issued, rectified, reinspection, closed, public_announcement, removal,
disconnection, credit_management.
`

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
	var run func(ctx context.Context, s *Service, pos []string) error
	switch sub {
	case "new":
		apkPath := fs.String("apk", "", "")
		pol := fs.String("policy", "", "")
		subject := fs.String("subject", "", "")
		kind := fs.String("subject-kind", "app_operator", "")
		code := fs.String("credit-code", "", "")
		appType := fs.String("app-type", "", "")
		source := fs.String("source", "routine", "")
		insp := fs.String("inspector", "", "")
		notes := fs.String("notes", "", "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if *apkPath == "" || len(pos) > 0 {
				return errUsage
			}
			var progress func(inspect.Progress)
			if env.ErrIsTerminal && !*jsonOut {
				progress = func(p inspect.Progress) { fmt.Fprintf(env.Err, "\r\033[K%s %d/%d", p.Stage, p.Done, p.Total) }
			}
			c, err := s.NewCase(ctx, workspace.NewCaseRequest{APK: *apkPath, Policy: *pol, AppType: *appType,
				Subject: cases.Subject{Name: *subject, Kind: cases.SubjectKind(*kind), CreditCode: *code},
				Source:  cases.CaseSource(*source), Inspector: *insp, Notes: *notes}, progress)
			if progress != nil {
				fmt.Fprint(env.Err, "\r\033[K")
			}
			if err != nil {
				return err
			}
			return showCase(ctx, env, s, c.ID, 0, *jsonOut)
		}
	case "list":
		status := fs.String("status", "", "")
		overdue := fs.Bool("overdue", false, "")
		query := fs.String("query", "", "")
		kind := fs.String("subject-kind", "", "")
		insp := fs.String("inspector", "", "")
		limit := fs.Int("limit", 100, "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) > 0 {
				return errUsage
			}
			f := cases.Filter{Query: *query, SubjectKind: cases.SubjectKind(*kind), Inspector: *insp, Limit: *limit}
			for _, st := range strings.Split(*status, ",") {
				if st = strings.TrimSpace(st); st != "" {
					f.Statuses = append(f.Statuses, cases.Status(st))
				}
			}
			if *overdue {
				f.OverdueAt = s.now()
			}
			list, err := s.ListCases(ctx, f)
			if err != nil {
				return err
			}
			if *jsonOut {
				out := make([]CaseJSON, 0, len(list))
				for i := range list {
					out = append(out, caseJSON(&list[i], s.now()))
				}
				writeJSON(env.Out, struct {
					Cases []CaseJSON `json:"cases"`
				}{out})
				return nil
			}
			for _, c := range list {
				dl := ""
				if !c.Deadline.IsZero() {
					dl = "deadline " + c.Deadline.Format("2006-01-02")
					if c.IsOverdue(s.now()) {
						dl += " OVERDUE"
					}
				}
				fmt.Fprintf(env.Out, "%4d  %-16s %-18s %-30s %-24s %s\n", c.ID, c.Number, c.Status, c.App.Name+" ("+c.App.Package+")", c.Subject.Name, dl)
			}
			return nil
		}
	case "show":
		ver := fs.Int64("version", 0, "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			return showCase(ctx, env, s, id, *ver, *jsonOut)
		}
	case "mark":
		article := fs.String("article", "", "")
		verdict := fs.String("verdict", "", "")
		sev := fs.String("severity", "", "")
		note := fs.String("note", "", "")
		rect := fs.String("rectification", "", "")
		stmt := fs.String("statement", "", "")
		evid := fs.String("evidence", "", "")
		insp := fs.String("inspector", "", "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 || *article == "" || *verdict == "" {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			in := cases.MarkInput{ItemID: *article, Verdict: cases.Verdict(*verdict), Severity: cases.Severity(*sev),
				Note: *note, Rectification: *rect, Inspector: *insp}
			if *stmt != "" {
				in.Statement = stmt
			}
			for _, e := range strings.Split(*evid, ",") {
				if e = strings.TrimSpace(e); e != "" {
					in.Evidence = append(in.Evidence, e)
				}
			}
			m, err := s.SetMark(ctx, id, in)
			if err != nil {
				return err
			}
			if *jsonOut {
				writeJSON(env.Out, markJSON(m))
			} else {
				fmt.Fprintf(env.Out, "marked %s: %s (%s)\n", m.ItemID, m.Verdict, m.Verdict.ZH())
			}
			return nil
		}
	case "status":
		to := fs.String("to", "", "")
		note := fs.String("note", "", "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			if *to != "" {
				if _, err := s.Transition(ctx, id, cases.Status(*to), *note); err != nil {
					return err
				}
			}
			c, err := s.db.Case(ctx, id)
			if err != nil {
				return err
			}
			cj := caseJSON(c, s.now())
			if *jsonOut {
				writeJSON(env.Out, cj)
				return nil
			}
			fmt.Fprintf(env.Out, "%s  %s (%s)\n", c.Number, c.Status, c.Status.ZH())
			if cj.Deadline != nil {
				fmt.Fprintf(env.Out, "  deadline %s (%d working days)", cj.Deadline.Format("2006-01-02"), c.RectificationDays)
				if cj.Overdue {
					fmt.Fprint(env.Out, " OVERDUE")
				}
				if c.DatesEstimated {
					fmt.Fprint(env.Out, " (estimated: the holiday calendar does not cover that year)")
				}
				fmt.Fprintln(env.Out)
			}
			if cj.RereleaseBlockedUntil != nil {
				fmt.Fprintf(env.Out, "  re-release blocked until %s\n", cj.RereleaseBlockedUntil.Format("2006-01-02"))
			}
			fmt.Fprintf(env.Out, "  next: %s\n", strings.Join(cj.NextStatuses, ", "))
			return nil
		}
	case "attach":
		kind := fs.String("kind", "other", "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 2 {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			e, err := s.AttachFile(ctx, id, cases.EvidenceKind(*kind), pos[1])
			if err != nil {
				return err
			}
			if *jsonOut {
				writeJSON(env.Out, EvidenceJSON{SHA256: e.SHA256, Kind: string(e.Kind), Name: e.Name, Size: e.Size, MediaType: e.MediaType, Added: e.Added, Source: e.Source, Path: s.EvidenceFile(e.SHA256)})
			} else {
				fmt.Fprintf(env.Out, "attached %s  sha256 %s\n", e.Name, e.SHA256)
			}
			return nil
		}
	case "reinspect":
		apkPath := fs.String("apk", "", "")
		pol := fs.String("policy", "", "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 || *apkPath == "" {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			r, err := s.Reinspect(ctx, workspace.ReinspectRequest{CaseID: id, APK: *apkPath, Policy: *pol}, nil)
			if err != nil {
				return err
			}
			if *jsonOut {
				writeJSON(env.Out, struct {
					Version   VersionJSON     `json:"version"`
					Fixed     []cases.Finding `json:"fixed"`
					New       []cases.Finding `json:"new"`
					Remaining []cases.Finding `json:"remaining"`
				}{VersionJSON{ID: r.Version.ID, VersionName: r.Version.VersionName, VersionCode: r.Version.VersionCode, APKSHA256: r.Version.APKSHA256, HasPolicy: len(r.Version.Policy) > 0, Created: r.Version.Created},
					nonNilF(r.Diff.Fixed), nonNilF(r.Diff.New), nonNilF(r.Diff.Remaining)})
				return nil
			}
			fmt.Fprintf(env.Out, "version %s (%d) added\n", r.Version.VersionName, r.Version.ID)
			writeDiff(env.Out, &r.Diff)
			return nil
		}
	case "policy":
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 2 {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			if err := s.SetPolicy(ctx, id, 0, pos[1], ""); err != nil {
				return err
			}
			fmt.Fprintf(env.Out, "policy of case %s set from %s (stored as a new version)\n", pos[0], pos[1])
			return nil
		}
	case "export":
		out := fs.String("out", "", "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 || *out == "" {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			if err := s.ExportBundle(ctx, id, *out); err != nil {
				return err
			}
			fmt.Fprintf(env.Err, "wrote %s\n", *out)
			return nil
		}
	case "demo":
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 0 {
				return errUsage
			}
			id, err := s.DemoCase(ctx)
			if err != nil {
				return err
			}
			return showCase(ctx, env, s, id, 0, *jsonOut)
		}
	case "import":
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 {
				return errUsage
			}
			id, err := s.ImportBundle(ctx, pos[0])
			if err != nil {
				return err
			}
			c, err := s.db.Case(ctx, id)
			if err != nil {
				return err
			}
			if *jsonOut {
				writeJSON(env.Out, caseJSON(c, s.now()))
			} else {
				fmt.Fprintf(env.Out, "imported case %s as id %d\n", c.Number, c.ID)
			}
			return nil
		}
	default:
		fmt.Fprintf(env.Err, "appinspect: unknown case command %q\n\n", sub)
		fmt.Fprint(env.Err, caseUsage)
		return ExitUsage
	}
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
	}{{"fixed", d.Fixed}, {"new", d.New}, {"remaining", d.Remaining}} {
		fmt.Fprintf(w, "  %s (%d)\n", g.name, len(g.fs))
		for _, f := range g.fs {
			fmt.Fprintf(w, "    %s  %s\n", f.Rule, f.Article)
		}
	}
}

// showCase prints a case with its versions, candidates and marks.
func showCase(ctx context.Context, env *Env, s *Service, id, version int64, jsonOut bool) error {
	w, err := s.OpenCase(ctx, id, version)
	if err != nil {
		return err
	}
	cj := s.fullCaseJSON(w)
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
		p("  Version    %d: %s (%d) apk %s…  policy %v\n", v.ID, v.VersionName, v.VersionCode, v.APKSHA256[:min(12, len(v.APKSHA256))], v.HasPolicy)
	}
	if w.PolicyName != "" {
		p("  Policy     %s (%d characters)\n", w.PolicyName, len([]rune(w.PolicyText)))
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

func runVerify(ctx context.Context, env *Env, args []string) int {
	c := command{name: "verify", summary: "Check the audit hash chain, every audited row against the log, and every evidence file's hash.\nExit status 2 when anything was tampered with, naming exactly what.", usage: "verify [--json]"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON")
	return withService(env, fs, args, 0, func(s *Service, _ []string) int {
		rep, err := s.db.Verify(ctx)
		if err != nil {
			return Fail(env.IO, err)
		}
		if *jsonOut {
			writeJSON(env.Out, verifyJSON(rep))
		} else {
			writeVerify(env.Out, s.db.Path(), rep)
		}
		if !rep.OK() {
			return ExitPartial
		}
		return ExitOK
	})
}

func verifyJSON(r *sqlite.VerifyReport) any {
	out := struct {
		OK           bool                     `json:"ok"`
		AuditEntries int                      `json:"audit_entries"`
		RowsChecked  int                      `json:"rows_checked"`
		FilesChecked int                      `json:"files_checked"`
		Integrity    string                   `json:"integrity"`
		Chain        []sqlite.ChainProblem    `json:"chain"`
		Rows         []sqlite.RowProblem      `json:"rows"`
		Evidence     []sqlite.EvidenceProblem `json:"evidence"`
	}{r.OK(), r.AuditEntries, r.RowsChecked, r.FilesChecked, r.IntegrityText,
		append([]sqlite.ChainProblem{}, r.Chain...), append([]sqlite.RowProblem{}, r.Rows...), append([]sqlite.EvidenceProblem{}, r.Evidence...)}
	return out
}

func writeVerify(w io.Writer, db string, r *sqlite.VerifyReport) {
	fmt.Fprintf(w, "%s: %d audit entries, %d rows, %d evidence files checked; integrity %s\n", db, r.AuditEntries, r.RowsChecked, r.FilesChecked, r.IntegrityText)
	for _, p := range r.Chain {
		fmt.Fprintf(w, "TAMPERED audit entry %d: %s (expected %s, found %s)\n", p.ID, p.Problem, p.Expected, p.Actual)
	}
	for _, p := range r.Rows {
		fmt.Fprintf(w, "TAMPERED %s %s: %s (audit entry %d; expected %s, found %s)\n", p.Table, p.Key, p.Problem, p.AuditID, p.Expected, p.Actual)
	}
	for _, p := range r.Evidence {
		fmt.Fprintf(w, "TAMPERED evidence %s at %s: %s %s\n", p.SHA256, p.Path, p.Problem, p.Actual)
	}
	if r.OK() {
		fmt.Fprintln(w, "ok: nothing was tampered with")
	}
}

func runBackup(ctx context.Context, env *Env, args []string) int {
	c := command{name: "backup", summary: "Make a consistent online copy of the data into DIR (which must not exist or be empty):\nDIR/cases.db (SQLite VACUUM INTO, while other users keep working) and DIR/evidence/, each file\nchecked against its hash. DIR is itself a data directory: appinspect --data-dir DIR verify.", usage: "backup DIR"}
	fs := c.flags(env)
	return withService(env, fs, args, 1, func(s *Service, pos []string) int {
		if err := s.db.Backup(ctx, pos[0]); err != nil {
			return Fail(env.IO, err)
		}
		fmt.Fprintf(env.Err, "backed up %s to %s\n", s.db.Path(), pos[0])
		return ExitOK
	})
}
