package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
)

// casePolicy is `appinspect case policy`.
func casePolicy(env *Env, fs *flag.FlagSet, _ *bool) caseRun {
	return func(ctx context.Context, s *app.Service, pos []string) error {
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
}
