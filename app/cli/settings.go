package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/appinspect/appinspect/app"
)

func init() {
	register(command{name: "settings", summary: "show the workstation settings, or set one: settings set KEY VALUE",
		usage: "settings [--json] | settings set KEY VALUE", run: runSettings})
}

func settingsHelp() string {
	var b strings.Builder
	b.WriteString("Show the workstation settings (settings.json in the data directory), or set one key.\nKeys:\n")
	for _, k := range app.SettingKeys() {
		fmt.Fprintf(&b, "  %-24s %s\n", k.Name, k.Help)
	}
	b.WriteString("A notice is refused while issuer or inspector is empty.")
	return b.String()
}

func runSettings(ctx context.Context, env *Env, args []string) int {
	c := command{name: "settings", summary: settingsHelp(), usage: "settings [--json] | settings set KEY VALUE"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON")
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) != 0 && (len(pos) != 3 || pos[0] != "set") {
		fs.Usage()
		return ExitUsage
	}
	s, err := openService(env)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	if len(pos) == 3 {
		if err := s.SetSetting(pos[1], pos[2]); err != nil {
			return Fail(env.IO, err)
		}
		fmt.Fprintf(env.Err, "%s = %s\n", pos[1], s.SettingsMap()[pos[1]])
		return ExitOK
	}
	m := s.SettingsMap()
	// read-only: the signing key documents and bundles are signed with
	m["key_fingerprint"] = s.KeyFingerprint()
	if *jsonOut {
		b, _ := json.MarshalIndent(m, "", "  ")
		fmt.Fprintln(env.Out, string(b))
		return ExitOK
	}
	for _, k := range app.SettingKeys() {
		v := m[k.Name]
		if v == "" {
			v = "(not set)"
		}
		fmt.Fprintf(env.Out, "%-24s %s\n", k.Name, v)
	}
	fmt.Fprintf(env.Out, "%-24s %s (read-only: the key notices, reports and bundles are signed with)\n", "key_fingerprint", m["key_fingerprint"])
	return ExitOK
}
