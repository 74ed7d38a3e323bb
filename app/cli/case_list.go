package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
)

// caseList is `appinspect case list`.
func caseList(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	status := fs.String("status", "", "")
	overdue := fs.Bool("overdue", false, "")
	query := fs.String("query", "", "")
	kind := fs.String("subject-kind", "", "")
	insp := fs.String("inspector", "", "")
	limit := fs.Int("limit", 100, "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
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
			f.OverdueAt = s.Now()
		}
		list, err := s.ListCases(ctx, f)
		if err != nil {
			return err
		}
		if *jsonOut {
			out := make([]app.CaseJSON, 0, len(list))
			for i := range list {
				out = append(out, app.NewCaseJSON(&list[i], s.Now()))
			}
			writeJSON(env.Out, struct {
				Cases []app.CaseJSON `json:"cases"`
			}{out})
			return nil
		}
		for _, c := range list {
			dl := ""
			if !c.Deadline.IsZero() {
				dl = "deadline " + c.Deadline.Format("2006-01-02")
				if c.IsOverdue(s.Now()) {
					dl += " OVERDUE"
				}
			}
			fmt.Fprintf(env.Out, "%4d  %-16s %-18s %-30s %-24s %s\n", c.ID, c.Number, c.Status, c.App.Name+" ("+c.App.Package+")", c.Subject.Name, dl)
		}
		return nil
	}
}
