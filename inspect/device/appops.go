package device

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OpAccess is one recorded access or rejection of an operation. AppOps keeps
// only the latest one per UID state (top, fg, bg, cch…) and caller kind, so a
// later access overwrites an earlier one in the same state.
type OpAccess struct {
	Time   time.Time `json:"time"`
	Reject bool      `json:"reject,omitempty"`
	// State is the raw state tag, e.g. "fg-s", "bg-tpd", "top"; "" when the
	// platform did not report one (`appops get`, Android 6–8).
	State string `json:"state,omitempty"`
	// Foreground: true for pers/top/fgsvc/fgsvcl/fg, false for bg/cch, nil
	// when unknown.
	Foreground *bool         `json:"foreground,omitempty"`
	Duration   time.Duration `json:"duration,omitempty"`
	// Tag is the attribution tag (Android 11+), "" for the default (null) one.
	Tag string `json:"tag,omitempty"`
	// Proxy is the proxy[…] note when another app or the system accessed on
	// the app's behalf.
	Proxy string `json:"proxy,omitempty"`
	// Relative is true when Time was computed from an "x ago" duration and
	// the device time, rather than read as a timestamp.
	Relative bool `json:"relative,omitempty"`
}

// AppOp is the state of one operation for one package.
type AppOp struct {
	Op   string `json:"op"`
	Mode string `json:"mode,omitempty"` // allow, ignore, deny, default, foreground…
	// LastAccess and LastReject are the latest of Accesses.
	LastAccess time.Time     `json:"last_access,omitzero"`
	LastReject time.Time     `json:"last_reject,omitzero"`
	Duration   time.Duration `json:"duration,omitempty"` // of the latest access, when reported
	// Foreground is the state of the latest access, where reported.
	Foreground *bool      `json:"foreground,omitempty"`
	Running    bool       `json:"running,omitempty"`
	UIDMode    bool       `json:"uid_mode,omitempty"` // a mode set for the whole uid, not the package
	Package    string     `json:"package"`
	UID        string     `json:"uid,omitempty"`
	Accesses   []OpAccess `json:"accesses,omitempty"`
}

// foregroundOf maps an AppOps UID state ("fg", "bg-s", "top-tpd") to
// foreground (true), background (false) or unknown (nil).
func foregroundOf(state string) *bool {
	s, _, _ := strings.Cut(state, "-")
	var b bool
	switch s {
	case "pers", "top", "fgsvcl", "fgsvce", "fgsvc", "fg":
		b = true
	case "bg", "cch":
		b = false
	default:
		return nil
	}
	return &b
}

// ParseAndroidDuration parses android.util.TimeUtils.formatDuration output
// such as "+1h2m3s4ms", "-22d4h22m19s762ms", "+33ms" or "0". The sign is kept.
func ParseAndroidDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	if s == "0" {
		return 0, true
	}
	var d time.Duration
	seen := false
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i > 12 {
			return 0, false
		}
		n, _ := strconv.ParseInt(s[:i], 10, 64)
		s = s[i:]
		var unit time.Duration
		switch {
		case strings.HasPrefix(s, "ms"):
			unit, s = time.Millisecond, s[2:]
		case strings.HasPrefix(s, "d"):
			unit, s = 24*time.Hour, s[1:]
		case strings.HasPrefix(s, "h"):
			unit, s = time.Hour, s[1:]
		case strings.HasPrefix(s, "m"):
			unit, s = time.Minute, s[1:]
		case strings.HasPrefix(s, "s"):
			unit, s = time.Second, s[1:]
		default:
			return 0, false
		}
		d += time.Duration(n) * unit
		seen = true
	}
	if !seen {
		return 0, false
	}
	if neg {
		d = -d
	}
	return d, true
}

var (
	// "Access: [fg-s] 2022-03-29 23:03:03.763 (-24m50s324ms) duration=+33ms proxy[uid=0, pkg=null]"
	// "Reject: [fg-s]2021-05-19 22:02:52.054 (-314d1h25m2s33ms)"
	// "Access: [fg-s] 2023-06-01 10:00:00.000 (-5m3s ago)"
	accessRE = regexp.MustCompile(`^(Access|Reject|Running start at):\s*(?:\[([a-z\-]+)\])?\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)?\s*(?:\(([-+0-9dhms]+)(?: ago)?\))?(.*)$`)
	// Android 9: "Access: top = 2019-01-01 12:00:00.000 (-1h2m3s)" and continuation "bg = …"
	access9RE = regexp.MustCompile(`^(?:(Access|Reject):\s*)?([a-z]+(?:-[a-z]+)?) = (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\s*(?:\(([-+0-9dhms]+)\))?(.*)$`)
	// "READ_CONTACTS (allow):" optionally followed by "time=… ago; duration=…"
	opParenRE = regexp.MustCompile(`^([A-Z][A-Z0-9_]*) \(([a-z_]+)\):\s*(.*)$`)
	// "READ_CONTACTS: allow; time=+1h ago", "COARSE_LOCATION: mode=ignore"
	opColonRE = regexp.MustCompile(`^([A-Z][A-Z0-9_]*):\s*(.*)$`)
	durRE     = regexp.MustCompile(`duration=([-+0-9dhms]+)`)
	proxyRE   = regexp.MustCompile(`proxy\[[^\]]*\]`)
)

// ParseAppOps parses AppOps output for pkg: `appops get PKG` (Android 6–14,
// "OP: mode; time=+1h2m ago; rejectTime=…; duration=…" lines), or
// `dumpsys appops` (full or --package), whose per-package blocks list
// "Access:"/"Reject:" entries with UID state, timestamp and relative age
// (Android 10–14), "Access: top = …" (Android 9), attribution tags
// (Android 11+), or inline "time=… ago" (Android 8 and older).
//
// Timestamps are read in loc (the device's timezone; nil means UTC).
// Relative ages are converted against deviceNow, the device clock when the
// output was taken. The result is sorted by op name.
func ParseAppOps(out []byte, pkg string, deviceNow time.Time, loc *time.Location) []AppOp {
	if loc == nil {
		loc = time.UTC
	}
	text := string(out)
	isDump := strings.Contains(text, "\n    Package ") || strings.Contains(text, "Current AppOps Service state") || strings.HasPrefix(text, "    Package ")
	ops := map[string]*AppOp{}
	get := func(name, uid string) *AppOp {
		op := ops[name]
		if op == nil {
			op = &AppOp{Op: name, Package: pkg, UID: uid}
			ops[name] = op
		}
		return op
	}
	// uid-level modes seen in the current Uid block, kept until we know
	// whether pkg lives in that uid.
	type uidMode struct{ op, mode string }
	var pendingUID []uidMode
	curUID := ""
	inPkg := !isDump // `appops get PKG` is all about pkg
	pkgInd := -1
	var cur *AppOp
	tag := ""
	last9 := "" // Access or Reject for Android 9 continuation lines
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimRight(raw, "\r")
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		ind := indentOf(line)
		if isDump {
			if strings.HasPrefix(t, "Uid ") && strings.HasSuffix(t, ":") && ind <= 2 {
				curUID = strings.TrimSuffix(t[len("Uid "):], ":")
				pendingUID, inPkg, cur = nil, false, nil
				continue
			}
			if ind <= 2 && !strings.HasPrefix(t, "Uid ") {
				// a new top-level section (another dumpsys service)
				curUID, inPkg, cur, pendingUID = "", false, nil, nil
				continue
			}
			if strings.HasPrefix(t, "Package ") && strings.HasSuffix(t, ":") {
				name := strings.TrimSuffix(t[len("Package "):], ":")
				inPkg = name == pkg
				pkgInd = ind
				cur = nil
				if inPkg {
					for _, m := range pendingUID {
						op := get(m.op, curUID)
						if op.Mode == "" {
							op.Mode, op.UIDMode = m.mode, true
						}
					}
				}
				continue
			}
			if !inPkg {
				if curUID != "" && ind >= 4 {
					if m := opColonRE.FindStringSubmatch(t); m != nil && strings.HasPrefix(m[2], "mode=") {
						pendingUID = append(pendingUID, uidMode{m[1], strings.TrimPrefix(strings.Fields(m[2])[0], "mode=")})
					}
				}
				continue
			}
			if ind <= pkgInd {
				inPkg, cur = false, nil
				continue
			}
		} else if strings.HasPrefix(t, "Uid mode: ") {
			if m := opColonRE.FindStringSubmatch(strings.TrimPrefix(t, "Uid mode: ")); m != nil {
				op := get(m[1], "")
				op.Mode, op.UIDMode = strings.TrimSpace(strings.SplitN(m[2], ";", 2)[0]), true
			}
			continue
		}
		// Attribution tag blocks (Android 11+): "null=[" … "]" or "tag=[".
		if strings.HasSuffix(t, "=[") {
			tag = strings.TrimSuffix(t, "=[")
			if tag == "null" {
				tag = ""
			}
			continue
		}
		if t == "]" {
			tag = ""
			continue
		}
		if m := accessRE.FindStringSubmatch(t); m != nil && cur != nil {
			last9 = m[1]
			if m[1] == "Running start at" {
				cur.Running = true
				continue
			}
			if m[3] == "" && m[4] == "" {
				if m9 := access9RE.FindStringSubmatch(t); m9 != nil {
					cur.addAccess(access9(m9, m[1] == "Reject", tag, deviceNow, loc))
				}
				continue
			}
			acc := OpAccess{Reject: m[1] == "Reject", State: m[2], Tag: tag}
			acc.Foreground = foregroundOf(m[2])
			if m[3] != "" {
				if ts, err := time.ParseInLocation("2006-01-02 15:04:05.999", m[3], loc); err == nil {
					acc.Time = ts
				}
			}
			if acc.Time.IsZero() && m[4] != "" && !deviceNow.IsZero() {
				if d, ok := ParseAndroidDuration(m[4]); ok {
					if d > 0 {
						d = -d
					}
					acc.Time, acc.Relative = deviceNow.Add(d), true
				}
			}
			if dm := durRE.FindStringSubmatch(m[5]); dm != nil {
				acc.Duration, _ = ParseAndroidDuration(dm[1])
			}
			acc.Proxy = proxyRE.FindString(m[5])
			if !acc.Time.IsZero() {
				cur.addAccess(acc)
			}
			continue
		}
		if m9 := access9RE.FindStringSubmatch(t); m9 != nil && cur != nil && last9 != "" {
			cur.addAccess(access9(m9, last9 == "Reject", tag, deviceNow, loc))
			continue
		}
		var name, mode, rest string
		if m := opParenRE.FindStringSubmatch(t); m != nil {
			name, mode, rest = m[1], m[2], m[3]
		} else if m := opColonRE.FindStringSubmatch(t); m != nil {
			name, rest = m[1], m[2]
			// "allow; time=…" or "mode=allow; time=…"
			first, after, _ := strings.Cut(rest, ";")
			first = strings.TrimSpace(first)
			if strings.HasPrefix(first, "mode=") {
				mode = strings.TrimPrefix(first, "mode=")
			} else if !strings.Contains(first, "=") {
				mode = first
			}
			if i := strings.Index(mode, " "); i >= 0 {
				if strings.Contains(mode[i:], "(running)") {
					rest += " (running)"
				}
				mode = mode[:i]
			}
			rest = after + restRunning(first)
		} else {
			continue
		}
		cur = get(name, curUID)
		tag, last9 = "", ""
		if mode != "" {
			cur.Mode = mode
		}
		cur.applyInline(rest, deviceNow)
	}
	res := make([]AppOp, 0, len(ops))
	for _, op := range ops {
		sort.SliceStable(op.Accesses, func(i, j int) bool { return op.Accesses[i].Time.Before(op.Accesses[j].Time) })
		res = append(res, *op)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Op < res[j].Op })
	return res
}

func restRunning(s string) string {
	if strings.Contains(s, "(running)") {
		return " (running)"
	}
	return ""
}

func access9(m []string, reject bool, tag string, deviceNow time.Time, loc *time.Location) OpAccess {
	acc := OpAccess{Reject: reject, State: m[2], Tag: tag, Foreground: foregroundOf(m[2])}
	if ts, err := time.ParseInLocation("2006-01-02 15:04:05.999", m[3], loc); err == nil {
		acc.Time = ts
	}
	if dm := durRE.FindStringSubmatch(m[5]); dm != nil {
		acc.Duration, _ = ParseAndroidDuration(dm[1])
	}
	return acc
}

// applyInline reads "time=+1h2m ago; rejectTime=+3m ago; duration=+33ms
// (running)" as printed by `appops get` and by Android ≤8 dumpsys.
func (op *AppOp) applyInline(rest string, deviceNow time.Time) {
	if strings.Contains(rest, "(running)") {
		op.Running = true
	}
	var dur time.Duration
	var accs []OpAccess
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == ';' }) {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(v, "(running)", "")), "ago"))
		switch k {
		case "time", "rejectTime":
			d, ok := ParseAndroidDuration(v)
			if !ok || deviceNow.IsZero() {
				continue
			}
			if d > 0 {
				d = -d
			}
			accs = append(accs, OpAccess{Time: deviceNow.Add(d), Reject: k == "rejectTime", Relative: true})
		case "duration":
			dur, _ = ParseAndroidDuration(v)
		}
	}
	for _, a := range accs {
		if !a.Reject {
			a.Duration = dur
		}
		op.addAccess(a)
	}
	if len(accs) == 0 && dur != 0 {
		op.Duration = dur
	}
}

func (op *AppOp) addAccess(a OpAccess) {
	if a.Time.IsZero() {
		return
	}
	op.Accesses = append(op.Accesses, a)
	if a.Reject {
		if a.Time.After(op.LastReject) {
			op.LastReject = a.Time
		}
		return
	}
	if !a.Time.Before(op.LastAccess) {
		op.LastAccess = a.Time
		op.Duration = a.Duration
		op.Foreground = a.Foreground
	}
}

// mergeAppOps combines `appops get` (modes, relative times) with `dumpsys
// appops` (timestamps, states). Dumpsys entries win where both exist;
// accesses only `appops get` knows of are kept.
func mergeAppOps(get, dump []AppOp) []AppOp {
	by := map[string]*AppOp{}
	var order []string
	for i := range dump {
		op := dump[i]
		by[op.Op] = &op
		order = append(order, op.Op)
	}
	for _, g := range get {
		d, ok := by[g.Op]
		if !ok {
			g := g
			by[g.Op] = &g
			order = append(order, g.Op)
			continue
		}
		if d.Mode == "" || d.UIDMode && !g.UIDMode {
			d.Mode, d.UIDMode = g.Mode, g.UIDMode
		}
		d.Running = d.Running || g.Running
		if len(d.Accesses) == 0 {
			for _, a := range g.Accesses {
				d.addAccess(a)
			}
		}
	}
	sort.Strings(order)
	res := make([]AppOp, 0, len(order))
	for _, n := range order {
		res = append(res, *by[n])
	}
	return res
}
