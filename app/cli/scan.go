package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/inspect"
)

func init() {
	register(command{
		name:    "scan",
		summary: "scan APK/APKS/XAPK files (or every one under a directory) and print what they contain",
		usage:   "scan [--json] [--jobs N] [--catalog FILE] FILE|DIR...",
		run:     runScan,
	})
}

func runScan(ctx context.Context, env *Env, args []string) int {
	c := command{name: "scan", summary: "Scan APK, APKS or XAPK files. A directory is searched for them and scanned in parallel,\nstreaming JSON Lines (one object per file; a file that fails gives an object with \"error\").", usage: "scan [--json] [--jobs N] [--catalog FILE] FILE|DIR..."}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON (one object; JSON Lines for several files)")
	jobs := fs.Int("jobs", runtime.NumCPU(), "files scanned in parallel")
	catalog := fs.String("catalog", "", "SDK catalog extension file (JSON) merged over the embedded catalog")
	noDetect := fs.Bool("no-detect", false, "skip SDK, sensitive-API and packer detection")
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) == 0 || *jobs < 1 {
		fs.Usage()
		return ExitUsage
	}
	files, dirs, walkErrs := app.ExpandInputs(pos)
	status := ExitOK
	for _, err := range walkErrs {
		fmt.Fprintf(env.Err, "appinspect: %v\n", err)
		status = ExitPartial
	}
	if len(files) == 0 {
		fmt.Fprintf(env.Err, "appinspect: no .apk, .apks or .xapk files under %s\n", strings.Join(pos, ", "))
		return ExitPartial
	}
	opt := inspect.Options{NoDetect: *noDetect}
	cfg := env.config()
	cfg.CatalogFile = *catalog
	if !*noDetect && app.HasCatalogExtension(cfg) {
		// With a catalog extension the detector is built here; otherwise
		// the scan builds the embedded one while it reads the archive.
		det, err := app.NewDetector(cfg)
		if err != nil {
			fmt.Fprintf(env.Err, "appinspect: %v\n", err)
			return ExitPartial
		}
		opt.Detector = det
	}
	asJSON := *jsonOut || dirs
	enc := json.NewEncoder(env.Out)
	enc.SetEscapeHTML(false)
	if asJSON && len(files) == 1 {
		enc.SetIndent("", "  ")
	}
	var progress func(app.BatchProgress)
	if env.ErrIsTerminal && len(files) > 1 {
		progress = func(p app.BatchProgress) {
			fmt.Fprintf(env.Err, "\r\033[K[%d/%d] %d failed  %s", p.Done, p.Total, p.Failed, shorten(p.File, 60))
			if p.Done == p.Total {
				fmt.Fprintln(env.Err)
			}
		}
	}
	first := true
	app.ScanBatch(ctx, files, *jobs, opt, func(r *inspect.Result, err error) {
		if err != nil {
			status = ExitPartial
			fmt.Fprintf(env.Err, "appinspect: %v\n", err)
		}
		if asJSON {
			_ = enc.Encode(r)
			return
		}
		if !first {
			fmt.Fprintln(env.Out)
		}
		first = false
		if err == nil {
			WriteSummary(env.Out, r)
		}
	}, progress)
	if ctx.Err() != nil {
		fmt.Fprintln(env.Err, "appinspect: interrupted")
		return ExitPartial
	}
	return status
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n+1:]
}

// WriteSummary prints the readable form of a scan result.
func WriteSummary(w io.Writer, r *inspect.Result) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("%s\n", r.File)
	label := r.Label
	if r.LabelZH != "" && r.LabelZH != r.Label {
		label += " / " + r.LabelZH
	}
	p("  App        %s  (%s)\n", label, r.Package)
	p("  Version    %s (code %d)   SDK min %d, target %d", r.VersionName, r.VersionCode, r.MinSDK, r.TargetSDK)
	if r.MaxSDK > 0 {
		p(", max %d", r.MaxSDK)
	}
	p("\n  File       %s, %s, %d bytes\n", r.Format, r.SHA256, r.Size)
	if s := r.Signature; s != nil {
		schemes := make([]string, len(s.Schemes))
		for i, v := range s.Schemes {
			schemes[i] = fmt.Sprintf("v%d", v)
		}
		verified := strings.Join(schemes, " ")
		if verified == "" {
			verified = "none verified"
		}
		p("  Signature  %s", verified)
		if len(s.Certificates) > 0 {
			c := s.Certificates[0]
			p("  cert %s  %s", c.SHA256, c.Subject)
		}
		if s.DebugCert {
			p("  [DEBUG CERTIFICATE]")
		}
		p("\n")
		for _, pr := range s.Problems {
			p("             v%d: %s\n", pr.Scheme, pr.Message)
		}
	}
	a := r.Application
	var flags []string
	if a.Debuggable {
		flags = append(flags, "debuggable")
	}
	if a.AllowBackupEffective {
		flags = append(flags, "allowBackup")
	}
	if a.UsesCleartextTrafficEffective {
		flags = append(flags, "cleartext traffic")
	}
	if a.RequestLegacyExternalStorage != nil && *a.RequestLegacyExternalStorage {
		flags = append(flags, "legacy external storage")
	}
	if len(flags) > 0 {
		p("  Flags      %s\n", strings.Join(flags, ", "))
	}
	p("  Code       %d classes in %s", r.Dex.Classes, strings.Join(r.Dex.Files, ", "))
	if len(r.NativeABIs) > 0 {
		p("; native %s (%d libs)", strings.Join(r.NativeABIs, ", "), len(r.NativeLibs))
	}
	p("\n")
	for _, n := range r.Dex.Nested {
		p("             nested code: %s (%d classes)\n", n.Path, n.Classes)
	}
	for _, e := range r.Dex.Errors {
		p("             dex error: %s\n", e)
	}
	p("  Permissions (%d)\n", len(r.Permissions))
	for _, pm := range r.Permissions {
		mark := " "
		if pm.Dangerous {
			mark = "!"
		}
		desc := pm.ZH
		if desc == "" {
			desc = pm.EN
		}
		p("    %s %-55s %-20s %s\n", mark, pm.Name, pm.Protection, desc)
	}
	exported := 0
	for _, c := range r.Components {
		if c.Exported {
			exported++
		}
	}
	p("  Components %d (%d exported)\n", len(r.Components), exported)
	if len(r.Packers) > 0 {
		p("  Packers\n")
		for _, k := range r.Packers {
			p("    %s %s  (%s)\n", k.Vendor, k.Variant, strings.Join(k.Evidence, ", "))
		}
	}
	if len(r.SDKs) > 0 {
		p("  SDKs (%d)\n", len(r.SDKs))
		for _, s := range r.SDKs {
			used := "present"
			if s.Used {
				used = "used"
			}
			name := s.Name
			if s.NameZH != "" && s.NameZH != s.Name {
				name = s.NameZH + " " + s.Name
			}
			p("    %-40s %-12s %-8s %-7s %s\n", name, s.Category, s.Confidence, used, s.Vendor)
		}
	}
	if len(r.APIs) > 0 {
		p("  Sensitive APIs (%d)\n", len(r.APIs))
		for _, u := range r.APIs {
			weak := ""
			if u.Weak {
				weak = " (string evidence)"
			}
			p("    %-45s %-15s callers %d, owners %s%s\n", u.ID, u.Category, len(u.Callers)+u.Truncated, strings.Join(u.Owners, ", "), weak)
		}
	}
	if len(r.Endpoints) > 0 {
		p("  Endpoints (%d)\n", len(r.Endpoints))
		for i, e := range r.Endpoints {
			if i == 30 {
				p("    … %d more (use --json)\n", len(r.Endpoints)-30)
				break
			}
			p("    %s\n", e.Value)
		}
	}
	for _, d := range r.PolicyDocs {
		p("  Bundled policy  %s  %s\n", d.Path, d.Title)
	}
	for _, wn := range r.Warnings {
		p("  Warning    %s\n", wn)
	}
}
