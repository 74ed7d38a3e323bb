package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
)

// caseStatus is `appinspect case status`.
func caseStatus(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	to := fs.String("to", "", "")
	note := fs.String("note", "", "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
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
		c, err := s.Case(ctx, id)
		if err != nil {
			return err
		}
		cj := app.NewCaseJSON(c, s.Now())
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
}
