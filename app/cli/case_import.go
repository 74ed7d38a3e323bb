package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
)

// caseImport is `appinspect case import`.
func caseImport(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	trust := fs.String("trust", "", "")
	unsigned := fs.Bool("allow-unsigned", false, "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
		if len(pos) != 1 {
			return errUsage
		}
		id, err := s.ImportBundleTrusting(ctx, pos[0], *trust, *unsigned)
		var se *cases.SignerError
		if errors.As(err, &se) {
			fmt.Fprintf(env.Err, "The bundle is signed by a key this workstation does not know:\n  fingerprint %s\n  signer      %s (as the sender's workstation names it)\n  signed at   %s\n"+
				"该案卷包由未知密钥签名。请通过电话或书面方式与发送方核对指纹，确认无误后再导入：\n  appinspect case import %s --trust '%s'\n",
				se.Fingerprint, se.Signer, se.SignedAt.Format(time.RFC3339), pos[0], se.Fingerprint)
		}
		if errors.Is(err, cases.ErrUnsigned) {
			fmt.Fprintf(env.Err, "The bundle carries no signature: its origin and integrity cannot be checked. 该案卷包没有签名。\nIf it comes from an AppInspect older than signed bundles and you know its origin: --allow-unsigned\n")
		}
		if err != nil {
			return err
		}
		c, err := s.Case(ctx, id)
		if err != nil {
			return err
		}
		if *jsonOut {
			writeJSON(env.Out, app.NewCaseJSON(c, s.Now()))
		} else {
			fmt.Fprintf(env.Out, "imported case %s as id %d\n", c.Number, c.ID)
		}
		return nil
	}
}
