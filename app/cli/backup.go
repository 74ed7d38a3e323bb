package cli

import (
	"context"
	"fmt"

	"github.com/appinspect/appinspect/app"
)

func init() {
	register(command{name: "backup", summary: "make a consistent online copy of the data (database and evidence) into a new directory",
		usage: "backup DIR", run: runBackup})
}

func runBackup(ctx context.Context, env *Env, args []string) int {
	c := command{name: "backup", summary: "Make a consistent online copy of the data into DIR (which must not exist or be empty):\nDIR/cases.db (SQLite VACUUM INTO, while other users keep working) and DIR/evidence/, each file\nchecked against its hash. DIR is itself a data directory: appinspect --data-dir DIR verify.", usage: "backup DIR"}
	fs := c.flags(env)
	return withService(env, fs, args, 1, func(s *app.Service, pos []string) int {
		if err := s.Backup(ctx, pos[0]); err != nil {
			return Fail(env.IO, err)
		}
		fmt.Fprintf(env.Err, "backed up %s to %s\n", s.DBPath(), pos[0])
		return ExitOK
	})
}
