package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases/checklist"
)

// caseItem is `appinspect case item CASE ITEM --result R [--note TEXT]`.
func caseItem(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	result := fs.String("result", "", "")
	note := fs.String("note", "", "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
		if len(pos) != 2 || *result == "" {
			return errUsage
		}
		res, err := checklist.ParseResult(*result)
		if err != nil {
			return err
		}
		id, err := resolveCase(ctx, s, pos[0])
		if err != nil {
			return err
		}
		out, err := s.SetItem(ctx, id, pos[1], res, *note)
		if err != nil {
			return err
		}
		if *jsonOut {
			writeJSON(env.Out, struct {
				Item   ChecklistItemJSON `json:"item"`
				Marked []string          `json:"marked"`
			}{checklistItemJSON(out.Entry, "zh", true), out.Marked})
			return nil
		}
		fmt.Fprintf(env.Out, "%s: %s (%s)\n", pos[1], out.Entry.Result, out.Entry.Result.ZH())
		if len(out.Marked) > 0 {
			fmt.Fprintf(env.Out, "marked as violated: %s\n", strings.Join(out.Marked, ", "))
		}
		return nil
	}
}
