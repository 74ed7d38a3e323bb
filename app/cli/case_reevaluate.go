package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
)

// caseReevaluate is `appinspect case reevaluate`.
func caseReevaluate(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	return func(ctx context.Context, s *app.Service, pos []string) error {
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
				Version      app.VersionJSON `json:"version"`
				RulesVersion string          `json:"rules_version"`
				Fixed        []cases.Finding `json:"fixed"`
				New          []cases.Finding `json:"new"`
				Remaining    []cases.Finding `json:"remaining"`
				Unchecked    []cases.Finding `json:"unchecked"`
			}{app.VersionJSON{ID: r.Version.ID, VersionName: r.Version.VersionName, VersionCode: r.Version.VersionCode, APKSHA256: r.Version.APKSHA256, HasPolicy: len(r.Version.Policy) > 0, RulesVersion: rules.Version, Created: r.Version.Created},
				rules.Version, nonNilF(r.Diff.Fixed), nonNilF(r.Diff.New), nonNilF(r.Diff.Remaining), nonNilF(r.Diff.Unchecked)})
			return nil
		}
		fmt.Fprintf(env.Out, "version %s re-evaluated with rules %s, stored as version %d\n", r.Version.VersionName, rules.Version, r.Version.ID)
		writeDiff(env.Out, &r.Diff)
		return nil
	}
}
