package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
)

// caseSDK is `appinspect case sdk CASE SDK-ID --note TEXT | --withdraw`:
// the inspector confirms that an SDK the scan only found mentioned is in
// the app (or takes a confirmation back); the newest version is evaluated
// again and stored as a new version.
func caseSDK(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	note := fs.String("note", "", "")
	withdraw := fs.Bool("withdraw", false, "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
		if len(pos) != 2 || (*note == "") == !*withdraw {
			return errUsage
		}
		id, err := resolveCase(ctx, s, pos[0])
		if err != nil {
			return err
		}
		r, err := s.ConfirmSDK(ctx, id, pos[1], *note, *withdraw)
		if err != nil {
			return err
		}
		if *jsonOut {
			writeJSON(env.Out, struct {
				SDK       string          `json:"sdk"`
				Confirmed bool            `json:"confirmed"`
				Version   app.VersionJSON `json:"version"`
				New       []cases.Finding `json:"new"`
				Fixed     []cases.Finding `json:"fixed"`
			}{pos[1], !*withdraw, app.VersionJSON{ID: r.Version.ID, VersionName: r.Version.VersionName, VersionCode: r.Version.VersionCode, APKSHA256: r.Version.APKSHA256, HasPolicy: len(r.Version.Policy) > 0, RulesVersion: rules.Version, Created: r.Version.Created},
				nonNilF(r.Diff.New), nonNilF(r.Diff.Fixed)})
			return nil
		}
		if *withdraw {
			fmt.Fprintf(env.Out, "%s: confirmation withdrawn; it is a mention again (version %d)\n", pos[1], r.Version.ID)
		} else {
			fmt.Fprintf(env.Out, "%s: confirmed present by the inspector; evaluated again as version %d\n", pos[1], r.Version.ID)
		}
		writeDiff(env.Out, &r.Diff)
		return nil
	}
}
