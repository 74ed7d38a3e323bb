package device

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// App is one installed app.
//
// Label is empty when listing: adb offers no way to read an app's label
// without aapt on the device (which phones do not ship) or installing a
// helper app (which would change the device under inspection). The label
// comes from the APK itself after Pull (inspect/apk reads it from the
// manifest and resources).
type App struct {
	Package      string    `json:"package"`
	Label        string    `json:"label,omitempty"`
	VersionName  string    `json:"version_name,omitempty"`
	VersionCode  int64     `json:"version_code,omitempty"`
	Paths        []string  `json:"paths,omitempty"` // APK paths on the device: base first, then splits
	System       bool      `json:"system"`
	Installer    string    `json:"installer,omitempty"`
	FirstInstall time.Time `json:"first_install,omitzero"`
	LastUpdate   time.Time `json:"last_update,omitzero"`
}

// ParsePMList parses `pm list packages` output in its forms: "package:PKG",
// "package:PATH=PKG" (-f) and "... versionCode:N" (--show-versioncode,
// Android 9+). Paths may contain '=' (the base64 of /data/app/~~…==/), so
// the package is what follows the last '='. Lines that are not package
// lines are skipped; the result is sorted by package.
func ParsePMList(out []byte) []App {
	by := map[string]*App{}
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(strings.TrimRight(line, "\r"))
		rest, ok := strings.CutPrefix(line, "package:")
		if !ok {
			continue
		}
		var vc int64 = -1
		if i := strings.LastIndex(rest, " versionCode:"); i >= 0 {
			if n, err := strconv.ParseInt(strings.TrimSpace(rest[i+len(" versionCode:"):]), 10, 64); err == nil {
				vc = n
			}
			rest = rest[:i]
		}
		if i := strings.Index(rest, " uid:"); i >= 0 { // -U
			rest = rest[:i]
		}
		path, name := "", rest
		if i := strings.LastIndex(rest, "="); i >= 0 {
			path, name = rest[:i], rest[i+1:]
		}
		if !ValidPackage(name) {
			continue
		}
		app := by[name]
		if app == nil {
			app = &App{Package: name}
			by[name] = app
		}
		if vc >= 0 {
			app.VersionCode = vc
		}
		if path != "" {
			app.Paths = append(app.Paths, path)
		}
	}
	res := make([]App, 0, len(by))
	for _, a := range by {
		res = append(res, *a)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Package < res[j].Package })
	return res
}

// ParsePMPath parses `pm path PKG` ("package:/data/app/…/base.apk" lines)
// and returns the paths, base.apk first, then splits sorted.
func ParsePMPath(out []byte) []string {
	var paths []string
	for _, line := range strings.Split(string(out), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "package:"); ok && p != "" {
			paths = append(paths, p)
		}
	}
	sort.SliceStable(paths, func(i, j int) bool {
		bi, bj := strings.HasSuffix(paths[i], "/base.apk"), strings.HasSuffix(paths[j], "/base.apk")
		if bi != bj {
			return bi
		}
		return paths[i] < paths[j]
	})
	return paths
}

// resolve returns the serial to use: the given one (validated) or, for "",
// the only ready device.
func (a *ADB) resolve(ctx context.Context, serial string) (string, error) {
	if serial != "" {
		if !ValidSerial(serial) {
			return "", fmt.Errorf("device: %q: %w", serial, ErrInvalidSerial)
		}
		return serial, nil
	}
	d, err := a.Pick(ctx, "")
	if err != nil {
		return "", err
	}
	return d.Serial, nil
}

func unknownOption(out []byte) bool {
	s := string(out)
	return strings.Contains(s, "Unknown option") || strings.Contains(s, "Error: ")
}

// Apps lists installed apps: `pm list packages -f --show-versioncode`
// (with -3 for third-party apps only; without --show-versioncode on
// platforms before Android 9), then `dumpsys package packages` for version
// names, install and update times and the SYSTEM flag. When that dump is
// unavailable the apps are still listed, with those fields empty. Sorted by
// package.
func (a *ADB) Apps(ctx context.Context, serial string, thirdPartyOnly bool) ([]App, error) {
	serial, err := a.resolve(ctx, serial)
	if err != nil {
		return nil, fmt.Errorf("device: apps: %w", err)
	}
	args := []string{"pm", "list", "packages", "-f", "--show-versioncode"}
	if thirdPartyOnly {
		args = append(args, "-3")
	}
	out, err := a.shell(ctx, nil, serial, args...)
	if err != nil && fatal(err) {
		return nil, fmt.Errorf("device: apps: %w", err)
	}
	if err != nil || unknownOption(out) {
		args = []string{"pm", "list", "packages", "-f"}
		if thirdPartyOnly {
			args = append(args, "-3")
		}
		if out, err = a.shell(ctx, nil, serial, args...); err != nil {
			return nil, fmt.Errorf("device: apps: %w", err)
		}
	}
	apps := ParsePMList(out)
	third := map[string]bool{}
	if thirdPartyOnly {
		for _, ap := range apps {
			third[ap.Package] = true
		}
	} else {
		o3, err := a.shell(ctx, nil, serial, "pm", "list", "packages", "-3")
		if err != nil {
			return nil, fmt.Errorf("device: apps: %w", err)
		}
		for _, ap := range ParsePMList(o3) {
			third[ap.Package] = true
		}
	}
	dump, err := a.shell(ctx, nil, serial, "dumpsys", "package", "packages")
	if err != nil && fatal(err) {
		return nil, fmt.Errorf("device: apps: %w", err)
	}
	infos := map[string]PackageInfo{}
	if err == nil {
		loc, err := a.deviceZone(ctx, serial)
		if err != nil {
			return nil, fmt.Errorf("device: apps: %w", err)
		}
		for _, p := range ParseDumpsysPackages(dump, loc) {
			infos[p.Package] = p
		}
	}
	for i := range apps {
		ap := &apps[i]
		ap.System = !third[ap.Package]
		if p, ok := infos[ap.Package]; ok {
			ap.VersionName = p.VersionName
			if ap.VersionCode == 0 {
				ap.VersionCode = p.VersionCode
			}
			ap.FirstInstall, ap.LastUpdate, ap.Installer = p.FirstInstall, p.LastUpdate, p.Installer
		}
	}
	return apps, nil
}

// deviceZone returns the zone the device prints local times in:
// persist.sys.timezone when the host knows that zone, else the current
// offset from `date +%z`, else UTC. Only a vanished device is an error.
func (a *ADB) deviceZone(ctx context.Context, serial string) (*time.Location, error) {
	tz, err := a.shell(ctx, nil, serial, "getprop", "persist.sys.timezone")
	if err != nil && fatal(err) {
		return nil, err
	}
	name := strings.TrimSpace(string(tz))
	if name != "" {
		if l, err := time.LoadLocation(name); err == nil {
			return l, nil
		}
	}
	dt, err := a.shell(ctx, nil, serial, "date", "+%s%z")
	if err != nil && fatal(err) {
		return nil, err
	}
	if _, loc, ok := parseDeviceDate(dt, ""); ok {
		return loc, nil
	}
	return time.UTC, nil
}
