package cli

import (
	"context"
	"flag"

	"github.com/appinspect/appinspect/app"
)

// caseDemo is `appinspect case demo`.
func caseDemo(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	return func(ctx context.Context, s *app.Service, pos []string) error {
		if len(pos) != 0 {
			return errUsage
		}
		id, err := s.DemoCase(ctx)
		if err != nil {
			return err
		}
		return showCase(ctx, env, s, id, 0, *jsonOut)
	}
}
