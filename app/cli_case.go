package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/sqlite"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
)

func init() {
	register(command{name: "case", summary: "inspection cases: new, list, show, mark, item, status, attach, reinspect, reevaluate, policy, export, import, demo",
		usage: "case new|list|show|mark|item|status|attach|reinspect|reevaluate|policy|export|import|demo ... [--json]", run: runCase})
	register(command{name: "verify", summary: "check the audit chain, evidence files and signed anchor (or --doc FILE, --head SEQ:HASH); exit 2 when tampered",
		usage: "verify [--json] [--doc FILE] [--head SEQ:HASH]", run: runVerify})
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
                      [--severity high|medium|low|info] [--note TEXT] [--rectification TEXT] [--evidence SHA256[,…]] [--json]
  appinspect case item CASE ITEM --result fail|pass|na|pending [--note TEXT] [--json]
                      record a checklist item's result (a failed item marks its articles as violated)
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
	case "item":
		run = caseItemCommand(env, fs, jsonOut)
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
					Unchecked []cases.Finding `json:"unchecked"` // runtime findings the new build was not re-tested for
				}{VersionJSON{ID: r.Version.ID, VersionName: r.Version.VersionName, VersionCode: r.Version.VersionCode, APKSHA256: r.Version.APKSHA256, HasPolicy: len(r.Version.Policy) > 0, Created: r.Version.Created},
					nonNilF(r.Diff.Fixed), nonNilF(r.Diff.New), nonNilF(r.Diff.Remaining), nonNilF(r.Diff.Unchecked)})
				return nil
			}
			fmt.Fprintf(env.Out, "version %s (%d) added\n", r.Version.VersionName, r.Version.ID)
			writeDiff(env.Out, &r.Diff)
			return nil
		}
	case "reevaluate":
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 {
				return errUsage
			}
			id, err := resolveCase(ctx, s, pos[0])
			if err != nil {
				return err
			}
			r, err := s.Reevaluate(ctx, id, 0)
			if err != nil {
				return err
			}
			if *jsonOut {
				writeJSON(env.Out, struct {
					Version      VersionJSON     `json:"version"`
					RulesVersion string          `json:"rules_version"`
					Fixed        []cases.Finding `json:"fixed"`
					New          []cases.Finding `json:"new"`
					Remaining    []cases.Finding `json:"remaining"`
					Unchecked    []cases.Finding `json:"unchecked"`
				}{VersionJSON{ID: r.Version.ID, VersionName: r.Version.VersionName, VersionCode: r.Version.VersionCode, APKSHA256: r.Version.APKSHA256, HasPolicy: len(r.Version.Policy) > 0, RulesVersion: rules.Version, Created: r.Version.Created},
					rules.Version, nonNilF(r.Diff.Fixed), nonNilF(r.Diff.New), nonNilF(r.Diff.Remaining), nonNilF(r.Diff.Unchecked)})
				return nil
			}
			fmt.Fprintf(env.Out, "version %s re-evaluated with rules %s, stored as version %d\n", r.Version.VersionName, rules.Version, r.Version.ID)
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
			fmt.Fprintf(env.Err, "wrote %s, signed with key %s\n", *out, s.KeyFingerprint())
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
		trust := fs.String("trust", "", "")
		unsigned := fs.Bool("allow-unsigned", false, "")
		run = func(ctx context.Context, s *Service, pos []string) error {
			if len(pos) != 1 {
				return errUsage
			}
			id, err := s.ImportBundleTrusting(ctx, pos[0], *trust, *unsigned)
			var se *cases.SignerError
			if errors.As(err, &se) {
				fmt.Fprintf(env.Err, "The bundle is signed by a key this workstation does not know:\n  fingerprint %s\n  signer      %s (as the sender's workstation names it)\n  signed at   %s\n"+
					"该案卷包由未知密钥签名。请通过电话或书面方式与发送方核对指纹，确认无误后再导入：\n  appinspect case import %s --trust '%s'\n",
					se.Fingerprint, se.Signer, se.SignedAt.Format(time.RFC3339), pos[0], se.Fingerprint)
			}
			if errors.Is(err, cases.ErrUnsigned) {
				fmt.Fprintf(env.Err, "The bundle carries no signature: its origin and integrity cannot be checked. 该案卷包没有签名。\nIf it comes from an AppInspect older than signed bundles and you know its origin: --allow-unsigned\n")
			}
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
	}{{"fixed", d.Fixed}, {"new", d.New}, {"remaining", d.Remaining}, {"unchecked (not re-tested on this build)", d.Unchecked}} {
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
	c := command{name: "verify", summary: "Check the audit hash chain, every audited row against the log, every evidence file's hash, and\nthe chain against the signed anchor file kept outside the database; --doc checks a generated\ndocument against its .sig; --head checks a chain head printed on a document.\nExit status 2 when anything was tampered with, naming exactly what.",
		usage: "verify [--json] [--doc FILE] [--head SEQ:HASH]"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON")
	doc := fs.String("doc", "", "check a generated document (PDF/XLSX) against its detached signature FILE.sig")
	head := fs.String("head", "", "check a chain head printed in a document footer (SEQ:HASH) against the database")
	return withService(env, fs, args, 0, func(s *Service, _ []string) int {
		if *doc != "" {
			chk, err := s.VerifyDocument(ctx, *doc)
			if err != nil {
				return Fail(env.IO, err)
			}
			if *jsonOut {
				writeJSON(env.Out, chk)
			} else {
				writeDocCheck(env.Out, chk)
			}
			if !chk.OK() {
				return ExitPartial
			}
			return ExitOK
		}
		if *head != "" {
			err := s.CheckHead(ctx, *head)
			switch {
			case errors.Is(err, sqlite.ErrHeadMismatch):
				fmt.Fprintf(env.Out, "MISMATCH %s\n", strings.TrimPrefix(err.Error(), "cases/sqlite: "))
				return ExitPartial
			case err != nil:
				return Fail(env.IO, err)
			}
			fmt.Fprintf(env.Out, "ok: the database holds audit entry %s as printed (the document was made from this record)\n", *head)
			return ExitOK
		}
		rep, err := s.VerifyStore(ctx)
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

func verifyJSON(r *StoreCheck) any {
	out := struct {
		OK             bool                     `json:"ok"`
		AuditEntries   int                      `json:"audit_entries"`
		RowsChecked    int                      `json:"rows_checked"`
		FilesChecked   int                      `json:"files_checked"`
		Integrity      string                   `json:"integrity"`
		Head           sqlite.Head              `json:"head"`
		KeyFingerprint string                   `json:"key_fingerprint"`
		Chain          []sqlite.ChainProblem    `json:"chain"`
		Rows           []sqlite.RowProblem      `json:"rows"`
		Evidence       []sqlite.EvidenceProblem `json:"evidence"`
		Anchor         sqlite.AnchorReport      `json:"anchor"`
		Unreferenced   []string                 `json:"unreferenced_evidence"`
		Limits         []string                 `json:"cannot_prove"`
	}{r.OK(), r.AuditEntries, r.RowsChecked, r.FilesChecked, r.IntegrityText, r.Head, r.KeyFingerprint,
		append([]sqlite.ChainProblem{}, r.Chain...), append([]sqlite.RowProblem{}, r.Rows...), append([]sqlite.EvidenceProblem{}, r.Evidence...),
		r.Anchor, append([]string{}, r.Unreferenced...), verifyLimits(r)}
	out.Anchor.Problems = append([]sqlite.AnchorProblem{}, out.Anchor.Problems...)
	return out
}

// anchorMeaning says in words what an anchor problem means.
var anchorMeaning = map[string]string{
	"missing_file":  "the anchor file is gone although the database says anchoring started (deleted)",
	"malformed":     "a line of the anchor file is not an anchor (edited)",
	"bad_signature": "an anchor line's signature does not verify (the anchor file was edited)",
	"unknown_key":   "an anchor line is signed by a key that is neither this workstation's nor trusted (the key was replaced)",
	"missing_entry": "the database lacks an anchored audit entry: its last rows were deleted, or the file was rolled back to an older copy or replaced",
	"hash_mismatch": "the database's audit entry differs from the anchored one: the chain was recomputed, or the database is another or a diverged copy",
}

// verifyLimits states what a clean result cannot prove.
func verifyLimits(r *StoreCheck) []string {
	lim := []string{
		"Someone holding this workstation's private key (keys/signing.key) and write access to the data directory can rewrite the database, the anchor file and their signatures together; only copies held elsewhere (signed documents and bundles handed out, backups, the anchor file copied off the machine) can show that. 持有本机私钥并能写数据目录的人可以同时改写数据库和锚定文件；只有外部保存的副本（已签发的文书、案卷包、备份）能揭示这种改写。",
		"A change made and then undone between two checks leaves no trace in the data. 两次核验之间先改后复原的操作不会留下痕迹。",
	}
	if !r.Anchor.Present {
		lim = append(lim, "There is no anchor file: deleting the last rows, rolling the database back or replacing it cannot be detected. 没有锚定文件：删除末尾记录、回滚或替换数据库无法被发现。")
	} else if r.Anchor.Unanchored > 0 {
		lim = append(lim, fmt.Sprintf("The last %d audit entries are not anchored (written without the signing key, or the anchor append failed): they could be removed without trace. 最后 %d 条审计记录未锚定。", r.Anchor.Unanchored, r.Anchor.Unanchored))
	}
	return lim
}

func writeVerify(w io.Writer, db string, r *StoreCheck) {
	fmt.Fprintf(w, "%s: %d audit entries, %d rows, %d evidence files checked; integrity %s\n", db, r.AuditEntries, r.RowsChecked, r.FilesChecked, r.IntegrityText)
	if r.Head.Seq > 0 {
		fmt.Fprintf(w, "chain head %s (entry %d)\n", r.Head.Short(), r.Head.Seq)
	}
	if r.Anchor.Present {
		fmt.Fprintf(w, "anchor file %s: %d lines, last anchored entry %d", r.Anchor.File, r.Anchor.Lines, r.Anchor.LastSeq)
		if !r.Anchor.LastAt.IsZero() {
			fmt.Fprintf(w, " at %s", r.Anchor.LastAt.Format(time.RFC3339))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "signing key %s\n", r.KeyFingerprint)
	for _, p := range r.Chain {
		fmt.Fprintf(w, "TAMPERED audit entry %d: %s (expected %s, found %s)\n", p.ID, p.Problem, p.Expected, p.Actual)
	}
	for _, p := range r.Rows {
		fmt.Fprintf(w, "TAMPERED %s %s: %s (audit entry %d; expected %s, found %s)\n", p.Table, p.Key, p.Problem, p.AuditID, p.Expected, p.Actual)
	}
	for _, p := range r.Evidence {
		fmt.Fprintf(w, "TAMPERED evidence %s at %s: %s %s\n", p.SHA256, p.Path, p.Problem, p.Actual)
	}
	for _, p := range r.Anchor.Problems {
		at := ""
		if p.Line > 0 {
			at = fmt.Sprintf(" (anchor line %d, entry %d", p.Line, p.Seq)
			if p.Expected != "" {
				at += "; anchored " + p.Expected
			}
			if p.Actual != "" {
				at += "; found " + p.Actual
			}
			at += ")"
		}
		fmt.Fprintf(w, "TAMPERED anchor: %s: %s%s\n", p.Problem, anchorMeaning[p.Problem], at)
	}
	if n := len(r.Unreferenced); n > 0 {
		fmt.Fprintf(w, "TAMPERED %d evidence files in the data directory are not named by any record (rows deleted, the database rolled back or replaced — or left by an import that failed in an AppInspect before this check existed), e.g. %s\n", n, r.Unreferenced[0])
	}
	if r.OK() {
		fmt.Fprintf(w, "ok: the database matches its audit chain, the evidence files and the signed anchor (up to entry %d)\n", r.Anchor.LastSeq)
	}
	fmt.Fprintln(w, "This check cannot prove:")
	for _, l := range verifyLimits(r) {
		fmt.Fprintf(w, "  - %s\n", l)
	}
}

func writeDocCheck(w io.Writer, c *DocumentCheck) {
	d := c.Signature
	fmt.Fprintf(w, "%s: %s of case %s, signed %s by %s with key %s (%s)\n", c.File, d.Kind, d.CaseNumber, d.SignedAt.Format(time.RFC3339), d.Signer, d.KeyFingerprint, c.Key)
	fmt.Fprintf(w, "  sha256 %s, chain head %s\n", d.SHA256, d.ChainHead.Short())
	for _, p := range c.Problems {
		fmt.Fprintf(w, "PROBLEM %s\n", p)
	}
	if c.OK() {
		if c.HeadChecked {
			fmt.Fprintln(w, "ok: the document is as signed, by this workstation, and the case database still holds the record it was made from")
		} else {
			fmt.Fprintln(w, "ok: the document is as signed, by a trusted key (its chain head belongs to the signer's database and was not checked here)")
		}
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
