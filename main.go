//go:build !nogui

// Command appinspect is the AppInspect workstation: with no arguments it
// opens the GUI, with a subcommand it runs the command line. Build with
// -tags nogui (and CGO_ENABLED=0) for the command line alone.
package main

import (
	"context"
	"os"
	"os/signal"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/app/cli"
	"github.com/appinspect/appinspect/ui"
)

var _ ui.Backend = (*app.Service)(nil)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	args, dataDir, isCLI := cli.SplitArgs(os.Args[1:])
	if isCLI {
		os.Exit(cli.Main(ctx, os.Args[1:], cli.StdIO()))
	}
	_ = args
	a := fyneapp.NewWithID(app.ID)
	a.SetIcon(ui.AppIcon())
	if dataDir == "" && os.Getenv("APPINSPECT_DATA") == "" {
		dataDir = a.Preferences().String(ui.PrefDataDir)
	}
	svc, err := app.NewService(app.Config{DataDir: dataDir})
	if err != nil {
		os.Exit(cli.Fail(cli.StdIO(), err))
	}
	defer svc.Close()
	ui.Run(a, svc)
}
