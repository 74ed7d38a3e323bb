package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/inspect/device"
)

func init() {
	register(command{name: "device", summary: "Android devices over adb: list, apps, pull, evidence, session, logcat, record, screenshot, consent, commands",
		usage: "device list|apps|pull PACKAGE|evidence PACKAGE|session PACKAGE|logcat PACKAGE|record|screenshot|consent CASE|commands [--serial S] [--adb PATH] [--case CASE] [--json]", run: runDevice})
}

var deviceUsage = `Usage:
  appinspect device list [--json]                       devices with serial, model, brand, Android version, and a fix for those not ready
  appinspect device apps [--serial S] [--all] [--json]  installed third-party apps (--all: system apps too)
  appinspect device pull PACKAGE [--serial S] [--case CASE | --out DIR] [--json]
                                                        pull base and split APKs; into a new case (or --case CASE as a
                                                        new version), or only into DIR
  appinspect device evidence PACKAGE [--serial S] [--case CASE] [--json]
                                                        permission state, AppOps timeline, processes, self-start hints;
                                                        with --case stored as evidence of the case's newest version
                                                        (package taken from it; only versions of that build use it)
  appinspect device screenshot [--serial S] [--case CASE] [--out FILE.png] [--json]
  appinspect device consent CASE [--at TIME]            mark the consent moment of the case's newest version (default: now;
                                                      TIME is RFC 3339 or "2006-01-02 15:04:05" in the timezone setting)
  appinspect device session PACKAGE [--case CASE] [--duration SECONDS] [--proxy-port PORT] [--consent-at SECONDS] [--json]
                                                        record a session: network contacts through a recording proxy,
                                                        consent mark, AppOps and logcat on one timeline (help: device session --help)
  appinspect device logcat PACKAGE [--since TIME] [--max N] [--case CASE | --out FILE]
  appinspect device record [--seconds N] [--case CASE | --out FILE.mp4]
                                                        the app's log lines; an MP4 screen recording (1-180 s)
  appinspect device commands                            every adb command AppInspect runs, to reproduce evidence by hand

--serial may be left out when exactly one device is connected. adb is found from --adb, APPINSPECT_ADB,
the settings, $ANDROID_HOME/platform-tools, then PATH.
`

// deviceFlags are the flags every device subcommand accepts.
type deviceFlags struct {
	jsonOut, all             bool
	serial, caseArg, out, at string
	caseID                   int64 // --case resolved
}

// deviceRun runs one device subcommand on the open service.
type deviceRun func(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, pos []string) int

// deviceCommands are the device subcommands that open the data directory
// ("commands" needs none). Each entry may define flags of its own on fs
// (beyond the common deviceFlags) and returns its run function; add a
// subcommand here, in its own function, and in deviceUsage.
var deviceCommands = map[string]func(fs *flag.FlagSet) deviceRun{
	"list":       commonFlagsOnly(deviceList),
	"apps":       commonFlagsOnly(deviceApps),
	"pull":       commonFlagsOnly(devicePull),
	"evidence":   commonFlagsOnly(deviceEvidence),
	"screenshot": commonFlagsOnly(deviceScreenshot),
	"consent":    commonFlagsOnly(deviceConsent),
	"session":    deviceSession,
	"logcat":     deviceLogcat,
	"record":     deviceRecord,
}

// commonFlagsOnly is a device subcommand with only the common flags.
func commonFlagsOnly(r deviceRun) func(*flag.FlagSet) deviceRun {
	return func(*flag.FlagSet) deviceRun { return r }
}

func runDevice(ctx context.Context, env *Env, args []string) int {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(env.Out, deviceUsage)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("device "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Err)
	fs.Usage = func() { fmt.Fprint(env.Err, deviceUsage) }
	var f deviceFlags
	fs.BoolVar(&f.jsonOut, "json", false, "")
	fs.StringVar(&f.serial, "serial", "", "")
	adbPath := fs.String("adb", "", "")
	fs.StringVar(&f.caseArg, "case", "", "")
	fs.StringVar(&f.out, "out", "", "")
	fs.BoolVar(&f.all, "all", false, "")
	fs.StringVar(&f.at, "at", "", "")
	var run deviceRun
	if newRun, ok := deviceCommands[sub]; ok {
		run = newRun(fs)
	}
	pos, err := parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		return ExitUsage
	}
	if sub == "commands" {
		return deviceCommandList(env, f.jsonOut)
	}
	cfg := env.config()
	cfg.ADB = *adbPath
	s, err := app.NewService(cfg)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	if f.caseArg != "" {
		if f.caseID, err = resolveCase(ctx, s, f.caseArg); err != nil {
			return Fail(env.IO, err)
		}
	}
	if run == nil {
		return deviceUsageError(env)
	}
	return run(ctx, env, s, &f, pos)
}

func deviceUsageError(env *Env) int {
	fmt.Fprint(env.Err, deviceUsage)
	return ExitUsage
}

// deviceCommandList is `appinspect device commands`.
func deviceCommandList(env *Env, jsonOut bool) int {
	if jsonOut {
		return writeJSON(env.Out, device.Commands)
	}
	for _, c := range device.Commands {
		fmt.Fprintf(env.Out, "%-22s %s\n%-22s   %s\n", c.ID, c.Line, "", c.Collects)
	}
	return ExitOK
}

// deviceList is `appinspect device list`.
func deviceList(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, _ []string) int {
	ds, err := s.Devices(ctx)
	if err != nil {
		return Fail(env.IO, err)
	}
	if f.jsonOut {
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
}

// deviceApps is `appinspect device apps`.
func deviceApps(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, _ []string) int {
	apps, err := s.ListDeviceApps(ctx, f.serial, f.all)
	if err != nil {
		return Fail(env.IO, err)
	}
	if f.jsonOut {
		return writeJSON(env.Out, struct {
			Apps []device.App `json:"apps"`
		}{append([]device.App{}, apps...)})
	}
	for _, x := range apps {
		fmt.Fprintf(env.Out, "%-50s %-16s %d\n", x.Package, x.VersionName, x.VersionCode)
	}
	return ExitOK
}

// devicePull is `appinspect device pull PACKAGE`.
func devicePull(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, pos []string) int {
	if len(pos) != 1 {
		return deviceUsageError(env)
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
	if f.out != "" {
		files, err := s.PullAPKs(ctx, f.serial, pos[0], f.out, progress)
		if env.ErrIsTerminal {
			fmt.Fprintln(env.Err)
		}
		if err != nil {
			return Fail(env.IO, err)
		}
		if f.jsonOut {
			return writeJSON(env.Out, struct {
				Files []string `json:"files"`
			}{files})
		}
		fmt.Fprintln(env.Out, strings.Join(files, "\n"))
		return ExitOK
	}
	id, err := s.PullToCase(ctx, f.serial, pos[0], f.caseID, progress)
	if env.ErrIsTerminal {
		fmt.Fprintln(env.Err)
	}
	if err != nil {
		return Fail(env.IO, err)
	}
	if err := showCase(ctx, env, s, id, 0, f.jsonOut); err != nil {
		return Fail(env.IO, err)
	}
	return ExitOK
}

// deviceEvidence is `appinspect device evidence PACKAGE`.
func deviceEvidence(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, pos []string) int {
	var ev *device.Evidence
	var err error
	if f.caseID != 0 {
		if ev, err = s.CollectEvidence(ctx, f.caseID, f.serial); err != nil {
			return Fail(env.IO, err)
		}
	} else {
		if len(pos) != 1 {
			return deviceUsageError(env)
		}
		if ev, err = s.DeviceEvidence(ctx, f.serial, pos[0]); err != nil {
			return Fail(env.IO, err)
		}
	}
	if f.jsonOut {
		return writeJSON(env.Out, ev)
	}
	writeEvidence(env, ev, s.Location())
	return ExitOK
}

// deviceScreenshot is `appinspect device screenshot`.
func deviceScreenshot(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, _ []string) int {
	if f.caseID != 0 {
		e, err := s.Screenshot(ctx, f.caseID, f.serial)
		if err != nil {
			return Fail(env.IO, err)
		}
		if f.jsonOut {
			return writeJSON(env.Out, s.EvidenceJSON(e))
		}
		fmt.Fprintf(env.Out, "screenshot %s stored, sha256 %s\n", e.Name, e.SHA256)
		return ExitOK
	}
	abs, t, clock, size, err := s.ScreenshotToFile(ctx, f.serial, f.out)
	if err != nil {
		return Fail(env.IO, err)
	}
	if f.jsonOut {
		dt := t.Format("2006-01-02T15:04:05Z07:00")
		if clock != "device" {
			dt = "" // unknown; time is this computer's
		}
		return writeJSON(env.Out, struct {
			File       string `json:"file"`
			DeviceTime string `json:"device_time"`
			Time       string `json:"time"`
			Clock      string `json:"clock"`
			Size       int    `json:"size"`
		}{abs, dt, t.Format("2006-01-02T15:04:05Z07:00"), clock, size})
	}
	loc := s.Location()
	fmt.Fprintf(env.Out, "%s (%s time %s %s)\n", abs, clock, t.In(loc).Format("2006-01-02 15:04:05"), app.ZoneName(loc, "en"))
	return ExitOK
}

// deviceConsent is `appinspect device consent CASE [--at TIME]`.
func deviceConsent(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, pos []string) int {
	if len(pos) != 1 {
		return deviceUsageError(env)
	}
	id, err := resolveCase(ctx, s, pos[0])
	if err != nil {
		return Fail(env.IO, err)
	}
	when := s.Now()
	if f.at != "" {
		if when, err = parseTime(f.at, s.Location()); err != nil {
			return Fail(env.IO, err)
		}
	}
	if err := s.MarkConsent(ctx, id, when); err != nil {
		return Fail(env.IO, err)
	}
	loc := s.Location()
	fmt.Fprintf(env.Out, "consent moment of case %s: %s %s\n", pos[0], when.In(loc).Format("2006-01-02 15:04:05"), app.ZoneName(loc, "en"))
	return ExitOK
}

func writeEvidence(env *Env, ev *device.Evidence, loc *time.Location) {
	p := func(f string, a ...any) { fmt.Fprintf(env.Out, f, a...) }
	zone := app.ZoneName(loc, "en")
	p("%s on %s %s (%s), Android %s; device time %s %s\n", ev.Package, ev.Device.Brand, ev.Device.Model, ev.Device.Serial, ev.Device.AndroidVersion, ev.DeviceTime.In(loc).Format("2006-01-02 15:04:05"), zone)
	p("Permissions (%d)\n", len(ev.Permissions))
	for _, x := range ev.Permissions {
		g := "denied"
		if x.Granted {
			g = "granted"
		}
		p("  %-60s %-8s %s\n", x.Name, g, strings.Join(x.Flags, "|"))
	}
	p("Timeline (%d, times in %s)\n", len(ev.Timeline), zone)
	for _, e := range ev.Timeline {
		p("  %s  %-14s %-24s %s\n", e.Time.In(loc).Format("2006-01-02 15:04:05"), e.Kind, e.Op, e.Detail)
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
