package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

// caseReinspect is `appinspect case reinspect`.
func caseReinspect(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	apkPath := fs.String("apk", "", "")
	pol := fs.String("policy", "", "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
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
				Version   app.VersionJSON `json:"version"`
				Fixed     []cases.Finding `json:"fixed"`
				New       []cases.Finding `json:"new"`
				Remaining []cases.Finding `json:"remaining"`
				Unchecked []cases.Finding `json:"unchecked"` // runtime findings the new build was not re-tested for
			}{app.VersionJSON{ID: r.Version.ID, VersionName: r.Version.VersionName, VersionCode: r.Version.VersionCode, APKSHA256: r.Version.APKSHA256, HasPolicy: len(r.Version.Policy) > 0, Created: r.Version.Created},
				nonNilF(r.Diff.Fixed), nonNilF(r.Diff.New), nonNilF(r.Diff.Remaining), nonNilF(r.Diff.Unchecked)})
			return nil
		}
		fmt.Fprintf(env.Out, "version %s (%d) added\n", r.Version.VersionName, r.Version.ID)
		writeDiff(env.Out, &r.Diff)
		return nil
	}
}
