package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
)

// caseNew is `appinspect case new`.
func caseNew(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	apkPath := fs.String("apk", "", "")
	pol := fs.String("policy", "", "")
	subject := fs.String("subject", "", "")
	kind := fs.String("subject-kind", "app_operator", "")
	code := fs.String("credit-code", "", "")
	appType := fs.String("app-type", "", "")
	source := fs.String("source", "routine", "")
	insp := fs.String("inspector", "", "")
	notes := fs.String("notes", "", "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
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
}
