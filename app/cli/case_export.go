package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
)

// caseExport is `appinspect case export`.
func caseExport(env *Env, fs *flag.FlagSet, _ *bool) caseRun {
	out := fs.String("out", "", "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
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
}
