//go:build nogui

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/appinspect/appinspect/app/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, _, isCLI := cli.SplitArgs(os.Args[1:]); !isCLI {
		fmt.Fprintln(os.Stderr, "appinspect: this build has no GUI (built with -tags nogui); run a command, e.g. appinspect help")
		os.Exit(cli.ExitUsage)
	}
	os.Exit(cli.Main(ctx, os.Args[1:], cli.StdIO()))
}
