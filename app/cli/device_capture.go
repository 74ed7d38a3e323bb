package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
)

var captureUsage = `Usage:
  appinspect device logcat PACKAGE [--serial S] [--since TIME] [--max N] [--case CASE | --out FILE] [--json]
      the log lines of the app's processes (and lines naming the package) since TIME (RFC 3339 or
      "2006-01-02 15:04:05" in the timezone setting; default: the whole buffer), at most N
      (default 5000); with --case stored as a log evidence file
  appinspect device record [--serial S] [--seconds N] [--case CASE | --out FILE.mp4] [--json]
      an MP4 screen recording of N seconds (1-180, default 30); with --case stored as evidence
`

// deviceLogcat is `appinspect device logcat PACKAGE`.
func deviceLogcat(fs *flag.FlagSet) deviceRun {
	fs.Usage = func() { fmt.Fprint(fs.Output(), captureUsage) }
	since := fs.String("since", "", "")
	maxLines := fs.Int("max", 5000, "")
	return func(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, pos []string) int {
		if len(pos) != 1 || *maxLines <= 0 || f.caseID != 0 && f.out != "" {
			fmt.Fprint(env.Err, captureUsage)
			return ExitUsage
		}
		var from time.Time
		if *since != "" {
			t, err := parseTime(*since, s.Location())
			if err != nil {
				return Fail(env.IO, err)
			}
			from = t
		}
		b, serial, name, err := s.DeviceLogcat(ctx, f.serial, pos[0], from, *maxLines)
		if err != nil {
			return Fail(env.IO, err)
		}
		return deliver(ctx, env, s, f, cases.EvidenceLog, name, "text/plain", serial, b, !f.jsonOut)
	}
}

// deviceRecord is `appinspect device record`.
func deviceRecord(fs *flag.FlagSet) deviceRun {
	fs.Usage = func() { fmt.Fprint(fs.Output(), captureUsage) }
	seconds := fs.Int("seconds", 30, "")
	return func(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, pos []string) int {
		if len(pos) != 0 || *seconds < 1 || *seconds > 180 || (f.caseID == 0) == (f.out == "") {
			fmt.Fprint(env.Err, captureUsage)
			return ExitUsage
		}
		b, serial, name, err := s.DeviceRecord(ctx, f.serial, *seconds)
		if err != nil {
			return Fail(env.IO, err)
		}
		return deliver(ctx, env, s, f, cases.EvidenceOther, name, "video/mp4", serial, b, false)
	}
}

// deliver stores b with --case, writes it to --out, or prints it.
func deliver(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, kind cases.EvidenceKind, name, media, serial string, b []byte, print bool) int {
	switch {
	case f.caseID != 0:
		e, err := s.StoreDeviceFile(ctx, f.caseID, kind, name, media, serial, b)
		if err != nil {
			return Fail(env.IO, err)
		}
		if f.jsonOut {
			return writeJSON(env.Out, e)
		}
		fmt.Fprintf(env.Out, "%s stored, sha256 %s\n", e.Name, e.SHA256)
	case f.out != "":
		abs, err := app.SaveFile(f.out, b)
		if err != nil {
			return Fail(env.IO, err)
		}
		if f.jsonOut {
			return writeJSON(env.Out, struct {
				File string `json:"file"`
				Size int    `json:"size"`
			}{abs, len(b)})
		}
		fmt.Fprintln(env.Out, abs)
	case print:
		env.Out.Write(b)
	default:
		fmt.Fprintln(env.Err, "appinspect: give --case CASE or --out FILE")
		return ExitUsage
	}
	return ExitOK
}
