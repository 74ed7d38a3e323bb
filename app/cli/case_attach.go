package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
)

// caseAttach is `appinspect case attach`.
func caseAttach(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	kind := fs.String("kind", "other", "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
		if len(pos) != 2 {
			return errUsage
		}
		id, err := resolveCase(ctx, s, pos[0])
		if err != nil {
			return err
		}
		e, err := s.AttachFile(ctx, id, cases.EvidenceKind(*kind), pos[1])
		if err != nil {
			return err
		}
		if *jsonOut {
			writeJSON(env.Out, s.EvidenceJSON(e))
		} else {
			fmt.Fprintf(env.Out, "attached %s  sha256 %s\n", e.Name, e.SHA256)
		}
		return nil
	}
}
