package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
)

// caseMark is `appinspect case mark`.
func caseMark(env *Env, fs *flag.FlagSet, jsonOut *bool) caseRun {
	article := fs.String("article", "", "")
	verdict := fs.String("verdict", "", "")
	sev := fs.String("severity", "", "")
	note := fs.String("note", "", "")
	rect := fs.String("rectification", "", "")
	stmt := fs.String("statement", "", "")
	evid := fs.String("evidence", "", "")
	insp := fs.String("inspector", "", "")
	return func(ctx context.Context, s *app.Service, pos []string) error {
		if len(pos) != 1 || *article == "" || *verdict == "" {
			return errUsage
		}
		id, err := resolveCase(ctx, s, pos[0])
		if err != nil {
			return err
		}
		in := cases.MarkInput{ItemID: *article, Verdict: cases.Verdict(*verdict), Severity: cases.Severity(*sev),
			Note: *note, Rectification: *rect, Inspector: *insp}
		if *stmt != "" {
			in.Statement = stmt
		}
		for _, e := range strings.Split(*evid, ",") {
			if e = strings.TrimSpace(e); e != "" {
				in.Evidence = append(in.Evidence, e)
			}
		}
		m, err := s.SetMark(ctx, id, in)
		if err != nil {
			return err
		}
		if *jsonOut {
			writeJSON(env.Out, app.NewMarkJSON(m))
		} else {
			fmt.Fprintf(env.Out, "marked %s: %s (%s)\n", m.ItemID, m.Verdict, m.Verdict.ZH())
		}
		return nil
	}
}
