package device

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PermState is one permission of an app as `dumpsys package` reports it.
type PermState struct {
	Name string `json:"name"`
	// Requested: listed under "requested permissions:" (declared in the manifest).
	Requested bool `json:"requested"`
	// Granted: granted=true in the install or runtime list (or listed under
	// the pre-Android-6 "grantedPermissions:").
	Granted bool `json:"granted"`
	// Runtime: listed under "runtime permissions:" (a dangerous permission
	// the user grants or denies at run time).
	Runtime bool `json:"runtime"`
	// Flags as printed, for example USER_SET, USER_FIXED, GRANTED_BY_DEFAULT,
	// REVOKE_WHEN_REQUESTED, USER_SENSITIVE_WHEN_GRANTED.
	Flags []string `json:"flags,omitempty"`
}

// PackageInfo is one "Package [name]" block of `dumpsys package`.
type PackageInfo struct {
	Package     string `json:"package"`
	UserID      string `json:"user_id,omitempty"` // the app's Linux uid, e.g. "10143"
	CodePath    string `json:"code_path,omitempty"`
	VersionCode int64  `json:"version_code,omitempty"`
	VersionName string `json:"version_name,omitempty"`
	MinSDK      int    `json:"min_sdk,omitempty"`
	TargetSDK   int    `json:"target_sdk,omitempty"`
	// Flags is the flags=[ … ] list (SYSTEM, HAS_CODE, ALLOW_BACKUP …).
	Flags        []string    `json:"flags,omitempty"`
	System       bool        `json:"system"`
	Installer    string      `json:"installer,omitempty"`
	FirstInstall time.Time   `json:"first_install,omitzero"`
	LastUpdate   time.Time   `json:"last_update,omitzero"`
	Permissions  []PermState `json:"permissions,omitempty"`
	// User is the Android user whose state is reported (0 unless only other users exist).
	User int `json:"user"`
	// Stopped and NotLaunched come from the "User N:" line: a stopped app
	// was force-stopped (or never started) and receives no implicit
	// broadcasts until launched.
	Stopped     *bool `json:"stopped,omitempty"`
	NotLaunched *bool `json:"not_launched,omitempty"`
}

// ParseDumpsysPackages parses every block in the "Packages:" section of
// `dumpsys package` (full, `dumpsys package packages`, or one package),
// in the device's timezone loc (nil means UTC). Blocks under "Hidden system
// packages:" (the factory version of an updated system app) are skipped.
// Markdown fences and other sections are ignored.
func ParseDumpsysPackages(out []byte, loc *time.Location) []PackageInfo {
	if loc == nil {
		loc = time.UTC
	}
	var res []PackageInfo
	var cur *PackageInfo
	var block []string
	flush := func() {
		if cur != nil {
			parsePackageBlock(cur, block, loc)
			res = append(res, *cur)
		}
		cur, block = nil, nil
	}
	section := ""
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			flush()
			section = strings.TrimSpace(line)
			continue
		}
		if section != "Packages:" {
			continue
		}
		if strings.HasPrefix(line, "  Package [") {
			flush()
			name, _, ok := strings.Cut(line[len("  Package ["):], "]")
			if ok {
				cur = &PackageInfo{Package: name}
			}
			continue
		}
		if cur != nil {
			block = append(block, line)
		}
	}
	flush()
	return res
}

// ParseDumpsysPackage returns the block of pkg from `dumpsys package` output,
// or ErrNotInstalled.
func ParseDumpsysPackage(out []byte, pkg string, loc *time.Location) (*PackageInfo, error) {
	for _, p := range ParseDumpsysPackages(out, loc) {
		if p.Package == pkg {
			return &p, nil
		}
	}
	return nil, fmt.Errorf("device: dumpsys package %s: %w", pkg, ErrNotInstalled)
}

func indentOf(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }

func parseDumpTime(v string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(v), loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// parseFlagList parses "[ A B ]" or "[ A|B]".
func parseFlagList(v string) []string {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "[")
	v = strings.TrimSuffix(v, "]")
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '|' || r == ',' }) {
		out = append(out, f)
	}
	return out
}

func parsePackageBlock(p *PackageInfo, lines []string, loc *time.Location) {
	perms := map[string]*PermState{}
	get := func(name string) *PermState {
		ps := perms[name]
		if ps == nil {
			ps = &PermState{Name: name}
			perms[name] = ps
		}
		return ps
	}
	list := ""    // current sub-list: requested, install, runtime, granted
	listInd := -1 // indent of the list header
	user := -1    // current "User N:" block
	chosen := -1  // user whose runtime permissions we keep
	for _, line := range lines {
		ind := indentOf(line)
		t := strings.TrimSpace(line)
		if list != "" && ind <= listInd {
			list = ""
		}
		if list != "" {
			name, rest, _ := strings.Cut(t, ":")
			name = strings.TrimSpace(name)
			if i := strings.IndexAny(name, " ,"); i >= 0 {
				name = name[:i]
			}
			if name == "" {
				continue
			}
			switch list {
			case "requested":
				get(name).Requested = true
			case "granted":
				get(name).Granted = true
			case "install", "runtime":
				if list == "runtime" && user != chosen {
					continue
				}
				ps := get(name)
				if list == "runtime" {
					ps.Runtime = true
				}
				for _, kv := range splitTopLevel(rest) {
					k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
					switch k {
					case "granted":
						ps.Granted = v == "true"
					case "flags":
						ps.Flags = parseFlagList(v)
					}
				}
			}
			continue
		}
		switch {
		case t == "requested permissions:":
			list, listInd = "requested", ind
			continue
		case t == "install permissions:":
			list, listInd = "install", ind
			continue
		case t == "runtime permissions:":
			list, listInd = "runtime", ind
			continue
		case t == "grantedPermissions:":
			list, listInd = "granted", ind
			continue
		case strings.HasPrefix(t, "User ") && strings.Contains(t, ":"):
			head, rest, _ := strings.Cut(t[len("User "):], ":")
			n, err := strconv.Atoi(head)
			if err != nil {
				continue
			}
			user = n
			if chosen == -1 || n == 0 && chosen != 0 {
				chosen = n
				p.User = n
				p.Stopped, p.NotLaunched = nil, nil
				for _, kv := range strings.Fields(rest) {
					k, v, _ := strings.Cut(kv, "=")
					b := v == "true"
					switch k {
					case "stopped":
						p.Stopped = &b
					case "notLaunched":
						p.NotLaunched = &b
					}
				}
			}
			continue
		}
		if ind > 4 && !strings.Contains(t, "firstInstallTime=") {
			continue // nested details (declared permissions, libraries, per-user gids…)
		}
		// key=value lines; versionCode=1 minSdk=29 targetSdk=29 share a line.
		if k, v, ok := strings.Cut(t, "="); ok {
			switch k {
			case "userId", "appId":
				if p.UserID == "" {
					p.UserID = v
				}
			case "codePath":
				p.CodePath = v
			case "versionCode":
				for _, kv := range strings.Fields(t) {
					kk, vv, _ := strings.Cut(kv, "=")
					switch kk {
					case "versionCode":
						p.VersionCode, _ = strconv.ParseInt(vv, 10, 64)
					case "minSdk":
						p.MinSDK, _ = strconv.Atoi(vv)
					case "targetSdk":
						p.TargetSDK, _ = strconv.Atoi(vv)
					}
				}
			case "versionName":
				p.VersionName = v
			case "flags":
				p.Flags = parseFlagList(v)
				for _, f := range p.Flags {
					if f == "SYSTEM" {
						p.System = true
					}
				}
			case "installerPackageName":
				p.Installer = v
			case "firstInstallTime":
				if p.FirstInstall.IsZero() {
					p.FirstInstall = parseDumpTime(v, loc)
				}
			case "lastUpdateTime":
				p.LastUpdate = parseDumpTime(v, loc)
			}
		}
	}
	names := make([]string, 0, len(perms))
	for n := range perms {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p.Permissions = append(p.Permissions, *perms[n])
	}
}

// splitTopLevel splits "granted=true, flags=[ A|B ]" on commas outside brackets.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
