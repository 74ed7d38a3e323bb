// Package cli is AppInspect's command line: one file and one run function
// per command, each calling only the use cases of app.Service (and app's
// plain helpers). It holds no storage or business logic of its own.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/appinspect/appinspect/app"
)

// Exit statuses of the command line.
const (
	ExitOK      = 0 // everything done
	ExitUsage   = 1 // the command line was wrong
	ExitPartial = 2 // some input could not be processed (or, for verify, something was tampered with)
)

// IO is where a command reads and writes.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// ErrIsTerminal reports whether Err is an interactive terminal, so long
	// work may draw progress there.
	ErrIsTerminal bool
}

// StdIO returns the process's standard streams.
func StdIO() IO {
	tty := false
	if fi, err := os.Stderr.Stat(); err == nil {
		tty = fi.Mode()&os.ModeCharDevice != 0
	}
	return IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, ErrIsTerminal: tty}
}

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string // one line for the overview
	usage   string // the synopsis, "scan [--json] FILE..."
	run     func(ctx context.Context, env *Env, args []string) int
}

// errUsage marks a usage error (exit status 1).
var errUsage = errors.New("usage")

var commands []command

func register(c command) { commands = append(commands, c) }

// Env is what every command gets: streams and global settings.
type Env struct {
	IO
	DataDir string // --data-dir or APPINSPECT_DATA; "" = the OS default
}

// Main runs the command line with args (without the program name) and
// returns the exit status.
func Main(ctx context.Context, args []string, stdio IO) int {
	env := &Env{IO: stdio}
	// Global flags may precede the subcommand.
	for len(args) > 0 && strings.HasPrefix(args[0], "--data-dir") {
		if v, ok := strings.CutPrefix(args[0], "--data-dir="); ok {
			env.DataDir, args = v, args[1:]
		} else if len(args) > 1 {
			env.DataDir, args = args[1], args[2:]
		} else {
			fmt.Fprintln(stdio.Err, "appinspect: --data-dir needs a directory")
			return ExitUsage
		}
	}
	if len(args) == 0 {
		usage(stdio.Err)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			for _, c := range commands {
				if c.name == args[1] {
					return c.run(ctx, env, []string{"--help"})
				}
			}
		}
		usage(stdio.Out)
		return ExitOK
	case "version", "--version":
		fmt.Fprintf(stdio.Out, "%s %s\n", app.Name, app.Version)
		return ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(stdio.Err, "appinspect: unknown command %q\n\n", args[0])
	usage(stdio.Err)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `%s %s — inspect Android apps for personal-information compliance

Usage:
  appinspect                      open the inspection workstation (GUI)
  appinspect [--data-dir DIR] COMMAND [flags] [args]

Commands:
`, app.Name, app.Version)
	order := []string{"scan", "policy", "check", "articles", "catalog", "case", "notice", "report", "export", "verify", "backup", "device"}
	sorted := slices.Clone(commands)
	slices.SortStableFunc(sorted, func(a, b command) int {
		ia, ib := slices.Index(order, a.name), slices.Index(order, b.name)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		return ia - ib
	})
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run "appinspect help COMMAND" for a command's flags.
Data directory: --data-dir DIR, or the APPINSPECT_DATA variable, or the OS default.
Exit status: 0 done; 1 usage error; 2 some input could not be processed.
`)
}

// flags makes a FlagSet for a command whose usage goes to env.Err.
func (c command) flags(env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(env.Err)
	fs.Usage = func() {
		fmt.Fprintf(env.Err, "Usage: appinspect %s\n\n%s\n\nFlags:\n", c.usage, c.summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may be mixed with positional arguments, as in
// "case mark 3 --article pipl/13". It returns the positionals, or errUsage
// (after printing the problem) or flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseOrExit parses and converts errors to an exit status; ok is false when
// the command must return status.
func parseOrExit(fs *flag.FlagSet, args []string) (pos []string, status int, ok bool) {
	pos, err := parse(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil, ExitOK, false
	case err != nil:
		return nil, ExitUsage, false
	}
	return pos, 0, true
}

// parseTime accepts RFC 3339 and "2006-01-02 15:04:05" in loc (the
// timezone setting), the zone every time is shown in.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: use RFC 3339 (2026-11-24T10:00:00+08:00) or 2006-01-02 15:04:05", s)
	}
	return t, nil
}

// withService parses args, checks that exactly n positional arguments were
// given, opens the data directory and runs fn with the service and the
// positionals.
func withService(env *Env, fs *flag.FlagSet, args []string, n int, fn func(s *app.Service, pos []string) int) int {
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) != n {
		fs.Usage()
		return ExitUsage
	}
	s, err := openService(env)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	return fn(s, pos)
}

// config is the Service configuration of a command.
func (env *Env) config() app.Config {
	return app.Config{DataDir: env.DataDir}
}

// openService opens the data directory for a command.
func openService(env *Env) (*app.Service, error) {
	return app.NewService(env.config())
}

// SplitArgs tells the command line from a GUI start: it strips global flags
// (--data-dir) and reports whether a subcommand follows.
func SplitArgs(args []string) (rest []string, dataDir string, isCLI bool) {
	for len(args) > 0 {
		a := args[0]
		switch {
		case a == "--data-dir" && len(args) > 1:
			dataDir, args = args[1], args[2:]
			continue
		case len(a) > len("--data-dir=") && a[:len("--data-dir=")] == "--data-dir=":
			dataDir, args = a[len("--data-dir="):], args[1:]
			continue
		}
		break
	}
	return args, dataDir, len(args) > 0
}

// Fail prints err and returns the exit status for a failure.
func Fail(stdio IO, err error) int {
	fmt.Fprintf(stdio.Err, "appinspect: %v\n", err)
	return ExitPartial
}

// resolveCase turns "12" or "〔2026〕第0001号" into a case id.
func resolveCase(ctx context.Context, s *app.Service, arg string) (int64, error) {
	return s.ResolveCase(ctx, arg)
}

func writeJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return ExitPartial
	}
	return ExitOK
}

func shortText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
