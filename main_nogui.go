//go:build nogui

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/appinspect/appinspect/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, _, isCLI := app.SplitArgs(os.Args[1:]); !isCLI {
		fmt.Fprintln(os.Stderr, "appinspect: this build has no GUI (built with -tags nogui); run a command, e.g. appinspect help")
		os.Exit(app.ExitUsage)
	}
	os.Exit(app.Main(ctx, os.Args[1:], app.StdIO()))
}
