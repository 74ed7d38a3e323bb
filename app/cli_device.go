package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/appinspect/appinspect/inspect/device"
)

func init() {
	register(command{name: "device", summary: "Android devices over adb: list, apps, pull, evidence, screenshot, commands",
		usage: "device list|apps|pull PACKAGE|evidence PACKAGE|session PACKAGE|logcat PACKAGE|record|screenshot|commands [--serial S] [--adb PATH] [--case CASE] [--json]", run: runDevice})
}

var deviceUsage = `Usage:
  appinspect device list [--json]                       devices with serial, model, brand, Android version, and a fix for those not ready
  appinspect device apps [--serial S] [--all] [--json]  installed third-party apps (--all: system apps too)
  appinspect device pull PACKAGE [--serial S] [--case CASE | --out DIR] [--json]
                                                        pull base and split APKs; into a new case (or --case CASE as a
                                                        new version), or only into DIR
  appinspect device evidence PACKAGE [--serial S] [--case CASE] [--json]
                                                        permission state, AppOps timeline, processes, self-start hints;
                                                        with --case stored as evidence of the case (package taken from it)
  appinspect device screenshot [--serial S] [--case CASE] [--out FILE.png] [--json]
  appinspect device consent CASE [--at RFC3339]         mark the consent moment (default: now)
  appinspect device session PACKAGE [--case CASE] [--duration SECONDS] [--proxy-port PORT] [--consent-at SECONDS] [--json]
                                                        record a session: network contacts through a recording proxy,
                                                        consent mark, AppOps and logcat on one timeline (--help for more)
  appinspect device logcat PACKAGE [--since TIME] [--max N] [--case CASE | --out FILE]
  appinspect device record [--seconds N] [--case CASE | --out FILE.mp4]
                                                        the app's log lines; an MP4 screen recording (1-180 s)
  appinspect device commands                            every adb command AppInspect runs, to reproduce evidence by hand

--serial may be left out when exactly one device is connected. adb is found from --adb, APPINSPECT_ADB,
the settings, $ANDROID_HOME/platform-tools, then PATH.
`

func runDevice(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(env.Out, deviceUsage)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	sub, args := args[0], args[1:]
	if run, ok := deviceExtra[sub]; ok { // session, logcat, record: cli_device_capture.go
		return run(ctx, env, args)
	}
	fs := flag.NewFlagSet("device "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Err)
	fs.Usage = func() { fmt.Fprint(env.Err, deviceUsage) }
	jsonOut := fs.Bool("json", false, "")
	serial := fs.String("serial", "", "")
	adbPath := fs.String("adb", "", "")
	caseArg := fs.String("case", "", "")
	out := fs.String("out", "", "")
	all := fs.Bool("all", false, "")
	at := fs.String("at", "", "")
	pos, err := parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		return ExitUsage
	}
	if sub == "commands" {
		if *jsonOut {
			return writeJSON(env.Out, device.Commands)
		}
		for _, c := range device.Commands {
			fmt.Fprintf(env.Out, "%-22s %s\n%-22s   %s\n", c.ID, c.Line, "", c.Collects)
		}
		return ExitOK
	}
	s, err := openService(env)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	s.SetADB(*adbPath)
	usage := func() int { fmt.Fprint(env.Err, deviceUsage); return ExitUsage }
	caseID := int64(0)
	if *caseArg != "" {
		if caseID, err = resolveCase(ctx, s, *caseArg); err != nil {
			return Fail(env.IO, err)
		}
	}
	switch sub {
	case "list":
		ds, err := s.Devices(ctx)
		if err != nil {
			return Fail(env.IO, err)
		}
		if *jsonOut {
			return writeJSON(env.Out, struct {
				Devices []device.Device `json:"devices"`
			}{append([]device.Device{}, ds...)})
		}
		if len(ds) == 0 {
			fmt.Fprintln(env.Out, "no device connected: connect a phone by USB with USB debugging on (Settings › Developer options)")
		}
		for _, d := range ds {
			fmt.Fprintf(env.Out, "%-20s %-12s %s %s, Android %s (SDK %d)\n", d.Serial, d.State, d.Brand, d.Model, d.AndroidVersion, d.SDK)
			if d.Fix != "" {
				fmt.Fprintf(env.Out, "  fix: %s\n", d.Fix)
			}
		}
		return ExitOK
	case "apps":
		a, err := s.adb("")
		if err != nil {
			return Fail(env.IO, err)
		}
		apps, err := a.Apps(ctx, *serial, !*all)
		if err != nil {
			return Fail(env.IO, err)
		}
		if *jsonOut {
			return writeJSON(env.Out, struct {
				Apps []device.App `json:"apps"`
			}{append([]device.App{}, apps...)})
		}
		for _, x := range apps {
			fmt.Fprintf(env.Out, "%-50s %-16s %d\n", x.Package, x.VersionName, x.VersionCode)
		}
		return ExitOK
	case "pull":
		if len(pos) != 1 {
			return usage()
		}
		progress := func(done, total int64) {}
		if env.ErrIsTerminal {
			progress = func(done, total int64) {
				if total > 0 {
					fmt.Fprintf(env.Err, "\r\033[Kpulling %s: %d / %d KB", pos[0], done>>10, total>>10)
				} else {
					fmt.Fprintf(env.Err, "\r\033[Kpulling %s: %d KB", pos[0], done>>10)
				}
			}
		}
		if *out != "" {
			a, err := s.adb("")
			if err != nil {
				return Fail(env.IO, err)
			}
			if err := os.MkdirAll(*out, 0o755); err != nil {
				return Fail(env.IO, err)
			}
			files, err := a.Pull(ctx, *serial, pos[0], *out, progress)
			if env.ErrIsTerminal {
				fmt.Fprintln(env.Err)
			}
			if err != nil {
				return Fail(env.IO, err)
			}
			if *jsonOut {
				return writeJSON(env.Out, struct {
					Files []string `json:"files"`
				}{files})
			}
			fmt.Fprintln(env.Out, strings.Join(files, "\n"))
			return ExitOK
		}
		id, err := s.PullToCase(ctx, *serial, pos[0], caseID, progress)
		if env.ErrIsTerminal {
			fmt.Fprintln(env.Err)
		}
		if err != nil {
			return Fail(env.IO, err)
		}
		if err := showCase(ctx, env, s, id, 0, *jsonOut); err != nil {
			return Fail(env.IO, err)
		}
		return ExitOK
	case "evidence":
		var ev *device.Evidence
		if caseID != 0 {
			if ev, err = s.CollectEvidence(ctx, caseID, *serial); err != nil {
				return Fail(env.IO, err)
			}
		} else {
			if len(pos) != 1 {
				return usage()
			}
			a, err := s.adb("")
			if err != nil {
				return Fail(env.IO, err)
			}
			if ev, err = a.Evidence(ctx, *serial, pos[0]); err != nil {
				return Fail(env.IO, err)
			}
		}
		if *jsonOut {
			return writeJSON(env.Out, ev)
		}
		writeEvidence(env, ev)
		return ExitOK
	case "screenshot":
		if caseID != 0 {
			e, err := s.Screenshot(ctx, caseID, *serial)
			if err != nil {
				return Fail(env.IO, err)
			}
			if *jsonOut {
				return writeJSON(env.Out, EvidenceJSON{SHA256: e.SHA256, Kind: string(e.Kind), Name: e.Name, Size: e.Size, MediaType: e.MediaType, Added: e.Added, Source: e.Source, DeviceTime: optTime(e.DeviceTime), Path: s.EvidenceFile(e.SHA256)})
			}
			fmt.Fprintf(env.Out, "screenshot %s stored, sha256 %s\n", e.Name, e.SHA256)
			return ExitOK
		}
		a, err := s.adb("")
		if err != nil {
			return Fail(env.IO, err)
		}
		png, t, err := a.Screenshot(ctx, *serial)
		if err != nil {
			return Fail(env.IO, err)
		}
		clock := "device"
		if t.IsZero() { // the device clock could not be read
			t, clock = s.now(), "laptop"
		}
		name := *out
		if name == "" {
			name = "screenshot-" + t.Format("20060102-150405") + ".png"
		}
		if err := writeFileAtomic(name, png); err != nil {
			return Fail(env.IO, err)
		}
		abs, _ := filepath.Abs(name)
		if *jsonOut {
			dt := t.Format("2006-01-02T15:04:05Z07:00")
			if clock != "device" {
				dt = "" // unknown; Time is the computer's
			}
			return writeJSON(env.Out, struct {
				File       string `json:"file"`
				DeviceTime string `json:"device_time"`
				Time       string `json:"time"`
				Clock      string `json:"clock"`
				Size       int    `json:"size"`
			}{abs, dt, t.Format("2006-01-02T15:04:05Z07:00"), clock, len(png)})
		}
		fmt.Fprintf(env.Out, "%s (%s time %s)\n", abs, clock, t.Format("2006-01-02 15:04:05"))
		return ExitOK
	case "consent":
		if len(pos) != 1 {
			return usage()
		}
		id, err := resolveCase(ctx, s, pos[0])
		if err != nil {
			return Fail(env.IO, err)
		}
		var when = s.now()
		if *at != "" {
			if when, err = parseTime(*at); err != nil {
				return Fail(env.IO, err)
			}
		}
		if err := s.MarkConsent(ctx, id, when); err != nil {
			return Fail(env.IO, err)
		}
		fmt.Fprintf(env.Out, "consent moment of case %s: %s\n", pos[0], when.Format("2006-01-02 15:04:05 -0700"))
		return ExitOK
	}
	return usage()
}

func writeEvidence(env *Env, ev *device.Evidence) {
	p := func(f string, a ...any) { fmt.Fprintf(env.Out, f, a...) }
	p("%s on %s %s (%s), Android %s; device time %s\n", ev.Package, ev.Device.Brand, ev.Device.Model, ev.Device.Serial, ev.Device.AndroidVersion, ev.DeviceTime.Format("2006-01-02 15:04:05 -0700"))
	p("Permissions (%d)\n", len(ev.Permissions))
	for _, x := range ev.Permissions {
		g := "denied"
		if x.Granted {
			g = "granted"
		}
		p("  %-60s %-8s %s\n", x.Name, g, strings.Join(x.Flags, "|"))
	}
	p("Timeline (%d)\n", len(ev.Timeline))
	for _, e := range ev.Timeline {
		p("  %s  %-14s %-24s %s\n", e.Time.Format("2006-01-02 15:04:05"), e.Kind, e.Op, e.Detail)
	}
	for _, s := range ev.SelfStart {
		p("Self-start: %s %s\n", s.Kind, s.Detail)
	}
	for _, n := range ev.Notes {
		p("Note: %s\n", n)
	}
	p("Commands run:\n")
	for _, c := range ev.Commands {
		p("  %s\n", c)
	}
}
