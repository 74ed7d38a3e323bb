package cli

import (
	"context"
	"flag"

	"github.com/appinspect/appinspect/app"
)

// caseShow is `appinspect case show`.
func caseShow(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	ver := fs.Int64("version", 0, "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
		if len(pos) != 1 {
			return errUsage
		}
		id, err := resolveCase(ctx, s, pos[0])
		if err != nil {
			return err
		}
		return showCase(ctx, env, s, id, *ver, *jsonOut)
	}
}
