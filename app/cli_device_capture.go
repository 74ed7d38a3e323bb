package app

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// deviceExtra are `device` subcommands defined outside cli_device.go.
var deviceExtra = map[string]func(context.Context, *Env, []string) int{
	"session": runDeviceSession,
	"logcat":  runDeviceLogcat,
	"record":  runDeviceRecord,
}

var captureUsage = `Usage:
  appinspect device logcat PACKAGE [--serial S] [--since TIME] [--max N] [--case CASE | --out FILE] [--json]
      the log lines of the app's processes (and lines naming the package) since TIME (RFC 3339;
      default: the whole buffer), at most N (default 5000); with --case stored as a log evidence file
  appinspect device record [--serial S] [--seconds N] [--case CASE | --out FILE.mp4] [--json]
      an MP4 screen recording of N seconds (1-180, default 30); with --case stored as evidence
`

// StoreDeviceFile stores bytes taken from a device as evidence of a case.
func (s *Service) StoreDeviceFile(ctx context.Context, caseID int64, kind cases.EvidenceKind, name, mediaType, serial string, b []byte) (*EvidenceJSON, error) {
	e, err := s.db.PutEvidence(ctx, caseID, kind, name, bytes.NewReader(b),
		cases.EvidenceMeta{MediaType: mediaType, Source: serial, Actor: s.inspector("")})
	if err != nil {
		return nil, err
	}
	return &EvidenceJSON{SHA256: e.SHA256, Kind: string(e.Kind), Name: e.Name, Size: e.Size, MediaType: e.MediaType, Added: e.Added,
		Source: e.Source, DeviceTime: optTime(e.DeviceTime), Path: s.EvidenceFile(e.SHA256)}, nil
}

func captureFlags(name string, env *Env) (*flag.FlagSet, *string, *string, *string, *string, *bool) {
	fs := flag.NewFlagSet("device "+name, flag.ContinueOnError)
	fs.SetOutput(env.Err)
	fs.Usage = func() { fmt.Fprint(env.Err, captureUsage) }
	return fs, fs.String("serial", "", ""), fs.String("adb", "", ""), fs.String("case", "", ""), fs.String("out", "", ""), fs.Bool("json", false, "")
}

// deliver writes b to --out, stores it with --case, or prints it.
func deliver(ctx context.Context, env *Env, s *Service, caseArg, out string, jsonOut bool, kind cases.EvidenceKind, name, media, serial string, b []byte, print bool) int {
	switch {
	case caseArg != "":
		id, err := resolveCase(ctx, s, caseArg)
		if err != nil {
			return Fail(env.IO, err)
		}
		e, err := s.StoreDeviceFile(ctx, id, kind, name, media, serial, b)
		if err != nil {
			return Fail(env.IO, err)
		}
		if jsonOut {
			return writeJSON(env.Out, e)
		}
		fmt.Fprintf(env.Out, "%s stored, sha256 %s\n", e.Name, e.SHA256)
	case out != "":
		if err := writeFileAtomic(out, b); err != nil {
			return Fail(env.IO, err)
		}
		abs, _ := filepath.Abs(out)
		if jsonOut {
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

func runDeviceLogcat(ctx context.Context, env *Env, args []string) int {
	fs, serial, adbPath, caseArg, out, jsonOut := captureFlags("logcat", env)
	since := fs.String("since", "", "")
	maxLines := fs.Int("max", 5000, "")
	pos, status, ok := parseOrExit(fs, args)
	if !ok {
		return status
	}
	if len(pos) != 1 || *maxLines <= 0 || *caseArg != "" && *out != "" {
		fmt.Fprint(env.Err, captureUsage)
		return ExitUsage
	}
	var from time.Time
	if *since != "" {
		t, err := parseTime(*since)
		if err != nil {
			return Fail(env.IO, err)
		}
		from = t
	}
	s, err := openService(env)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	s.SetADB(*adbPath)
	a, err := s.adb("")
	if err != nil {
		return Fail(env.IO, err)
	}
	d, err := a.Pick(ctx, *serial)
	if err != nil {
		return Fail(env.IO, err)
	}
	b, err := a.Logcat(ctx, d.Serial, pos[0], from, *maxLines)
	if err != nil {
		return Fail(env.IO, err)
	}
	name := fmt.Sprintf("logcat-%s-%s.txt", pos[0], s.now().Format("20060102-150405"))
	return deliver(ctx, env, s, *caseArg, *out, *jsonOut, cases.EvidenceLog, name, "text/plain", d.Serial, b, !*jsonOut)
}

func runDeviceRecord(ctx context.Context, env *Env, args []string) int {
	fs, serial, adbPath, caseArg, out, jsonOut := captureFlags("record", env)
	seconds := fs.Int("seconds", 30, "")
	pos, status, ok := parseOrExit(fs, args)
	if !ok {
		return status
	}
	if len(pos) != 0 || *seconds < 1 || *seconds > 180 || (*caseArg == "") == (*out == "") {
		fmt.Fprint(env.Err, captureUsage)
		return ExitUsage
	}
	s, err := openService(env)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	s.SetADB(*adbPath)
	a, err := s.adb("")
	if err != nil {
		return Fail(env.IO, err)
	}
	d, err := a.Pick(ctx, *serial)
	if err != nil {
		return Fail(env.IO, err)
	}
	b, err := a.Record(ctx, d.Serial, *seconds)
	if err != nil {
		return Fail(env.IO, err)
	}
	name := fmt.Sprintf("screenrecord-%s.mp4", s.now().Format("20060102-150405"))
	return deliver(ctx, env, s, *caseArg, *out, *jsonOut, cases.EvidenceOther, name, "video/mp4", d.Serial, b, false)
}
