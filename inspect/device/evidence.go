package device

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Event kinds on the timeline.
const (
	KindInstall      = "install"       // first install of the package
	KindUpdate       = "update"        // last update of the package
	KindOpAccess     = "op_access"     // last access of an AppOps operation in one UID state
	KindOpReject     = "op_reject"     // last rejected attempt of an operation in one UID state
	KindProcessStart = "process_start" // start of a process running at collection
	KindServiceStart = "service_start" // creation of a service running at collection
	KindUsage        = "usage"         // a usagestats event; Op holds its type (ACTIVITY_RESUMED…)
)

// Event is one dated fact on the app's timeline.
type Event struct {
	Time time.Time `json:"time"`
	Kind string    `json:"kind"`
	Op   string    `json:"op,omitempty"`
	// Foreground is the UID state of an op event, where reported.
	Foreground *bool  `json:"foreground,omitempty"`
	Detail     string `json:"detail,omitempty"`
}

// Process is one process of the app running at collection time.
type Process struct {
	PID  int    `json:"pid"`
	User string `json:"user"`
	Name string `json:"name"` // package, or package:suffix for extra processes
	// Started is computed from ps ETIME and the device clock; zero when ps
	// did not report it.
	Started time.Time `json:"started,omitzero"`
}

// SelfStart kinds.
const (
	SelfStartBootReceiver   = "boot_receiver"   // registered for BOOT_COMPLETED or another wake-up broadcast
	SelfStartRunningProcess = "running_process" // a process of the app is alive
	SelfStartRunningService = "running_service" // a service of the app is running
	SelfStartScheduledJob   = "scheduled_job"   // a JobScheduler job is registered
	SelfStartBackgroundOp   = "background_op"   // AppOps saw the app act while in background or cached state
	SelfStartBatteryExempt  = "battery_exempt"  // on the device-idle (battery optimisation) whitelist
	// SelfStartForegroundService: usagestats recorded a foreground service
	// start before the app's first activity was resumed (shown) in the
	// recorded window: the app started work without being opened.
	SelfStartForegroundService = "fg_service_before_open"
)

// SelfStartEvidence is one hint of self-start or background activity. Each
// names the command whose raw output proves it.
type SelfStartEvidence struct {
	Kind   string    `json:"kind"`
	Detail string    `json:"detail"`
	Time   time.Time `json:"time,omitzero"`
	Source string    `json:"source"` // the exact command line
}

// Evidence is a runtime snapshot of one app on one device.
type Evidence struct {
	Device  Device       `json:"device"`
	Package string       `json:"package"`
	Info    *PackageInfo `json:"info"`
	// Collected is the host clock when collection started; DeviceTime the
	// device clock read right after. Timestamps below are device times.
	Collected  time.Time `json:"collected"`
	DeviceTime time.Time `json:"device_time"`
	// TimeZone is the zone the device's timestamps were read in
	// (persist.sys.timezone, else the `date +%z` offset).
	TimeZone    string              `json:"time_zone"`
	Permissions []PermState         `json:"permissions"`
	AppOps      []AppOp             `json:"app_ops"`
	Timeline    []Event             `json:"timeline"`
	Processes   []Process           `json:"processes"`
	Usage       []UsageEvent        `json:"usage,omitempty"`
	SelfStart   []SelfStartEvidence `json:"self_start"`
	// Commands are the exact command lines run, in order.
	Commands []string `json:"commands"`
	// Notes record optional sources that were unavailable on this device.
	Notes []string `json:"notes,omitempty"`
	// Raw maps each command line to its raw output, for the caller to store
	// as evidence files.
	Raw map[string][]byte `json:"-"`
}

// fatal reports whether err must abort evidence collection: the device left,
// the caller cancelled, or the argument was invalid.
func fatal(err error) bool {
	return errors.Is(err, ErrDeviceGone) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, ErrInvalidSerial) || errors.Is(err, ErrInvalidPackage) || errors.Is(err, ErrADBNotFound) || errors.Is(err, ErrNotReady)
}

// Evidence collects a runtime snapshot of pkg: the device (devices -l,
// then its getprop), device
// clock (date), permission state (dumpsys package), AppOps (appops get and
// dumpsys appops --package, falling back to the full dump), processes (ps),
// self-start hints (wake-up receivers in dumpsys package, dumpsys
// activity services, dumpsys jobscheduler, dumpsys deviceidle whitelist),
// and usage events (dumpsys usagestats PKG: when the app was shown,
// started foreground services…).
//
// AppOps keeps only the latest access per operation and UID state, so to
// prove use before consent, collect right when the inspector marks consent
// (before any later access overwrites it) and pass that moment to
// BeforeConsent.
//
// When the device disappears or ctx ends, Evidence returns an error
// (ErrDeviceGone, context errors) and no partial evidence. Unsupported
// optional commands are recorded in Notes.
func (a *ADB) Evidence(ctx context.Context, serial, pkg string) (*Evidence, error) {
	if !ValidPackage(pkg) {
		return nil, fmt.Errorf("device: evidence %q: %w", pkg, ErrInvalidPackage)
	}
	if serial != "" && !ValidSerial(serial) {
		return nil, fmt.Errorf("device: evidence %q: %w", serial, ErrInvalidSerial)
	}
	rec := &recorder{}
	ev := &Evidence{Package: pkg, Collected: a.now().UTC()}
	d, err := a.pick(ctx, rec, serial)
	if err != nil {
		return nil, fmt.Errorf("device: evidence %s: %w", pkg, err)
	}
	serial = d.Serial
	ev.Device = d
	fail := func(step string, err error) (*Evidence, error) {
		return nil, fmt.Errorf("device: evidence %s on %s: %s: %w", pkg, serial, step, err)
	}
	sh := func(args ...string) ([]byte, error) { return a.shell(ctx, rec, serial, args...) }

	dt, err := sh("date", "+%s%z")
	if err != nil {
		return fail("date", err)
	}
	now, loc, ok := parseDeviceDate(dt, d.TimeZone)
	if !ok {
		now, loc = ev.Collected, time.UTC
		ev.Notes = append(ev.Notes, "device clock unreadable ("+strings.TrimSpace(string(dt))+"); host clock in UTC used")
	}
	ev.DeviceTime, ev.TimeZone = now, loc.String()
	if d.TimeZone != "" && loc.String() != d.TimeZone {
		ev.Notes = append(ev.Notes, "zone "+d.TimeZone+" unknown to this computer; times read at the fixed offset "+loc.String()+", which is wrong across daylight-saving changes")
	}

	pk, err := sh("dumpsys", "package", pkg)
	if err != nil {
		return fail("dumpsys package", err)
	}
	info, err := ParseDumpsysPackage(pk, pkg, loc)
	if err != nil {
		return nil, fmt.Errorf("device: evidence on %s: %w", serial, err)
	}
	ev.Info, ev.Permissions = info, info.Permissions

	var getOps, dumpOps []AppOp
	if out, err := sh("appops", "get", pkg); err != nil {
		if fatal(err) {
			return fail("appops get", err)
		}
		ev.Notes = append(ev.Notes, "appops get unavailable: "+err.Error())
	} else {
		getOps = ParseAppOps(out, pkg, now, loc)
	}
	out, err := sh("dumpsys", "appops", "--package", pkg)
	if err != nil && fatal(err) {
		return fail("dumpsys appops", err)
	}
	if err != nil || !strings.Contains(string(out), "Package "+pkg+":") {
		// Older platforms do not know --package; the full dump has everything.
		full, err := sh("dumpsys", "appops")
		if err != nil {
			if fatal(err) {
				return fail("dumpsys appops", err)
			}
			ev.Notes = append(ev.Notes, "dumpsys appops unavailable: "+err.Error())
		} else {
			out = full
		}
	}
	dumpOps = ParseAppOps(out, pkg, now, loc)
	ev.AppOps = mergeAppOps(getOps, dumpOps)

	psCmd := []string{"ps", "-A", "-o", "PID,USER,ETIME,NAME"}
	ps, err := sh(psCmd...)
	if err != nil || !strings.Contains(string(ps), "PID") {
		if err != nil && fatal(err) {
			return fail("ps", err)
		}
		psCmd = []string{"ps", "-A"}
		ps, err = sh(psCmd...)
		if err != nil || len(ParseProcesses(ps, "", now)) < 2 {
			if err != nil && fatal(err) {
				return fail("ps", err)
			}
			psCmd = []string{"ps"} // Android 6–7 toolbox ps lists everything without -A
			if ps, err = sh(psCmd...); err != nil {
				if fatal(err) {
					return fail("ps", err)
				}
				ev.Notes = append(ev.Notes, "ps unavailable: "+err.Error())
			}
		}
	}
	ev.Processes = ParseProcesses(ps, pkg, now)
	psLine := CommandLine(serial, append([]string{"shell"}, psCmd...)...)

	// Self-start and background hints.
	pkLine := CommandLine(serial, "shell", "dumpsys", "package", pkg)
	for _, r := range ParseWakeupReceivers(pk, pkg) {
		ev.SelfStart = append(ev.SelfStart, SelfStartEvidence{Kind: SelfStartBootReceiver, Detail: r, Source: pkLine})
	}
	for _, p := range ev.Processes {
		ev.SelfStart = append(ev.SelfStart, SelfStartEvidence{Kind: SelfStartRunningProcess, Detail: fmt.Sprintf("%s (pid %d)", p.Name, p.PID), Time: p.Started, Source: psLine})
	}
	if out, err := sh("dumpsys", "activity", "services", pkg); err != nil {
		if fatal(err) {
			return fail("dumpsys activity services", err)
		}
		ev.Notes = append(ev.Notes, "dumpsys activity services unavailable: "+err.Error())
	} else {
		line := CommandLine(serial, "shell", "dumpsys", "activity", "services", pkg)
		for _, s := range ParseServices(out, pkg, now) {
			ev.SelfStart = append(ev.SelfStart, SelfStartEvidence{Kind: SelfStartRunningService, Detail: s.Component, Time: s.Created, Source: line})
		}
	}
	if out, err := sh("dumpsys", "jobscheduler", pkg); err != nil {
		if fatal(err) {
			return fail("dumpsys jobscheduler", err)
		}
		ev.Notes = append(ev.Notes, "dumpsys jobscheduler unavailable: "+err.Error())
	} else {
		line := CommandLine(serial, "shell", "dumpsys", "jobscheduler", pkg)
		for _, j := range ParseJobs(out, pkg) {
			ev.SelfStart = append(ev.SelfStart, SelfStartEvidence{Kind: SelfStartScheduledJob, Detail: j, Source: line})
		}
	}
	if out, err := sh("dumpsys", "deviceidle", "whitelist"); err != nil {
		if fatal(err) {
			return fail("dumpsys deviceidle whitelist", err)
		}
		ev.Notes = append(ev.Notes, "dumpsys deviceidle unavailable: "+err.Error())
	} else if kind, ok := ParseDeviceIdleWhitelist(out, pkg); ok {
		ev.SelfStart = append(ev.SelfStart, SelfStartEvidence{Kind: SelfStartBatteryExempt, Detail: kind, Source: CommandLine(serial, "shell", "dumpsys", "deviceidle", "whitelist")})
	}
	if out, err := sh("dumpsys", "usagestats", pkg); err != nil {
		if fatal(err) {
			return fail("dumpsys usagestats", err)
		}
		ev.Notes = append(ev.Notes, "dumpsys usagestats unavailable: "+err.Error())
	} else {
		ev.Usage = ParseUsageEvents(out, pkg, loc)
		line := CommandLine(serial, "shell", "dumpsys", "usagestats", pkg)
		for _, u := range ev.Usage {
			if u.Type == "ACTIVITY_RESUMED" || u.Type == "MOVE_TO_FOREGROUND" {
				break
			}
			if u.Type == "FOREGROUND_SERVICE_START" {
				ev.SelfStart = append(ev.SelfStart, SelfStartEvidence{Kind: SelfStartForegroundService, Detail: u.Class, Time: u.Time, Source: line})
			}
		}
	}
	opsLine := CommandLine(serial, "shell", "dumpsys", "appops", "--package", pkg)
	for _, op := range ev.AppOps {
		for _, acc := range op.Accesses {
			if acc.Foreground != nil && !*acc.Foreground && !acc.Reject {
				ev.SelfStart = append(ev.SelfStart, SelfStartEvidence{Kind: SelfStartBackgroundOp, Detail: op.Op + " [" + acc.State + "]", Time: acc.Time, Source: opsLine})
			}
		}
	}
	sort.SliceStable(ev.SelfStart, func(i, j int) bool {
		x, y := ev.SelfStart[i], ev.SelfStart[j]
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		if !x.Time.Equal(y.Time) {
			return x.Time.Before(y.Time)
		}
		return x.Detail < y.Detail
	})
	if err := ctx.Err(); err != nil {
		return fail("finish", err)
	}
	ev.Timeline = BuildTimeline(ev)
	ev.Commands, ev.Raw = rec.cmds, rec.raw
	return ev, nil
}

// parseDeviceDate reads `date +%s%z` ("1648594983+0200") and returns the
// device clock and the zone to read its timestamps in: tz when the host
// knows it, else the fixed offset.
func parseDeviceDate(out []byte, tz string) (time.Time, *time.Location, bool) {
	s := strings.TrimSpace(string(out))
	i := strings.IndexAny(s, "+-")
	if i <= 0 || len(s)-i != 5 {
		return time.Time{}, nil, false
	}
	sec, err1 := strconv.ParseInt(s[:i], 10, 64)
	hh, err2 := strconv.Atoi(s[i+1 : i+3])
	mm, err3 := strconv.Atoi(s[i+3:])
	if err1 != nil || err2 != nil || err3 != nil {
		return time.Time{}, nil, false
	}
	off := hh*3600 + mm*60
	if s[i] == '-' {
		off = -off
	}
	loc := time.FixedZone(fmt.Sprintf("UTC%s", s[i:]), off)
	if tz != "" {
		if l, err := time.LoadLocation(tz); err == nil {
			loc = l
		}
	}
	return time.Unix(sec, 0).In(loc), loc, true
}

// BuildTimeline turns install/update times, AppOps accesses and rejects,
// process starts and service starts into one list sorted by time (then
// kind, op and detail).
func BuildTimeline(ev *Evidence) []Event {
	var evs []Event
	if ev.Info != nil {
		if !ev.Info.FirstInstall.IsZero() {
			evs = append(evs, Event{Time: ev.Info.FirstInstall, Kind: KindInstall, Detail: ev.Info.VersionName})
		}
		if !ev.Info.LastUpdate.IsZero() && !ev.Info.LastUpdate.Equal(ev.Info.FirstInstall) {
			evs = append(evs, Event{Time: ev.Info.LastUpdate, Kind: KindUpdate, Detail: ev.Info.VersionName})
		}
	}
	for _, op := range ev.AppOps {
		for _, a := range op.Accesses {
			e := Event{Time: a.Time, Kind: KindOpAccess, Op: op.Op, Foreground: a.Foreground, Detail: a.State}
			if a.Reject {
				e.Kind = KindOpReject
			}
			if a.Duration > 0 {
				e.Detail = strings.TrimSpace(e.Detail + " duration=" + a.Duration.String())
			}
			if a.Tag != "" {
				e.Detail = strings.TrimSpace(e.Detail + " tag=" + a.Tag)
			}
			if a.Proxy != "" {
				e.Detail = strings.TrimSpace(e.Detail + " " + a.Proxy)
			}
			evs = append(evs, e)
		}
	}
	for _, p := range ev.Processes {
		if !p.Started.IsZero() {
			evs = append(evs, Event{Time: p.Started, Kind: KindProcessStart, Detail: fmt.Sprintf("%s pid %d", p.Name, p.PID)})
		}
	}
	for _, s := range ev.SelfStart {
		if s.Kind == SelfStartRunningService && !s.Time.IsZero() {
			evs = append(evs, Event{Time: s.Time, Kind: KindServiceStart, Detail: s.Detail})
		}
	}
	for _, u := range ev.Usage {
		evs = append(evs, Event{Time: u.Time, Kind: KindUsage, Op: u.Type, Detail: u.Class})
	}
	sort.SliceStable(evs, func(i, j int) bool {
		x, y := evs[i], evs[j]
		if !x.Time.Equal(y.Time) {
			return x.Time.Before(y.Time)
		}
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		if x.Op != y.Op {
			return x.Op < y.Op
		}
		return x.Detail < y.Detail
	})
	return evs
}

// BeforeConsent returns the operation events (accesses and rejected
// attempts) strictly before the consent moment, oldest first. A nil
// evidence or zero consent time returns nil.
func BeforeConsent(ev *Evidence, consent time.Time) []Event {
	if ev == nil || consent.IsZero() {
		return nil
	}
	tl := ev.Timeline
	if tl == nil {
		tl = BuildTimeline(ev)
	}
	var out []Event
	for _, e := range tl {
		if (e.Kind == KindOpAccess || e.Kind == KindOpReject) && e.Time.Before(consent) {
			out = append(out, e)
		}
	}
	return out
}

// ParseProcesses parses `ps` output (toybox `ps -A -o PID,USER,ETIME,NAME`,
// `ps -A`, or toolbox `ps`) and returns the processes named pkg or
// pkg:suffix, sorted by PID. With pkg == "" it returns every process.
// Start times come from ETIME when present.
func ParseProcesses(out []byte, pkg string, deviceNow time.Time) []Process {
	lines := strings.Split(strings.ReplaceAll(string(out), "\r", ""), "\n")
	pidCol, userCol, etimeCol := -1, -1, -1
	var res []Process
	for _, line := range lines {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if pidCol < 0 {
			for i, h := range f {
				switch h {
				case "PID":
					pidCol = i
				case "USER":
					userCol = i
				case "ELAPSED", "ETIME":
					etimeCol = i
				}
			}
			if pidCol < 0 {
				return nil
			}
			continue
		}
		if len(f) <= pidCol {
			continue
		}
		name := f[len(f)-1]
		if pkg != "" && name != pkg && !strings.HasPrefix(name, pkg+":") {
			continue
		}
		pid, err := strconv.Atoi(f[pidCol])
		if err != nil {
			continue
		}
		p := Process{PID: pid, Name: name}
		if userCol >= 0 && userCol < len(f) {
			p.User = f[userCol]
		}
		if etimeCol >= 0 && etimeCol < len(f)-1 && !deviceNow.IsZero() {
			if d, ok := parseETime(f[etimeCol]); ok {
				p.Started = deviceNow.Add(-d)
			}
		}
		res = append(res, p)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].PID < res[j].PID })
	return res
}

// parseETime parses ps ETIME "[[dd-]hh:]mm:ss".
func parseETime(s string) (time.Duration, bool) {
	var days int
	if d, rest, ok := strings.Cut(s, "-"); ok {
		n, err := strconv.Atoi(d)
		if err != nil {
			return 0, false
		}
		days, s = n, rest
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var secs int
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return 0, false
		}
		secs = secs*60 + n
	}
	return time.Duration(days)*24*time.Hour + time.Duration(secs)*time.Second, true
}

// wakeupActions are broadcasts apps register for to start themselves.
var wakeupActions = map[string]bool{
	"android.intent.action.BOOT_COMPLETED":         true,
	"android.intent.action.LOCKED_BOOT_COMPLETED":  true,
	"android.intent.action.QUICKBOOT_POWERON":      true,
	"android.intent.action.MY_PACKAGE_REPLACED":    true,
	"android.intent.action.USER_PRESENT":           true,
	"android.intent.action.ACTION_POWER_CONNECTED": true,
	"android.net.conn.CONNECTIVITY_CHANGE":         true,
	"android.intent.action.PACKAGE_ADDED":          true,
	"android.intent.action.PACKAGE_REMOVED":        true,
	"android.intent.action.SCREEN_ON":              true,
	"android.intent.action.TIME_SET":               true,
}

// ParseWakeupReceivers reads the "Receiver Resolver Table" of `dumpsys
// package PKG` and returns "ACTION -> component" for pkg's receivers of
// boot and other wake-up broadcasts, sorted.
func ParseWakeupReceivers(out []byte, pkg string) []string {
	inTable := false
	action := ""
	actInd := -1
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.ReplaceAll(string(out), "\r", ""), "\n") {
		if line == "" {
			continue
		}
		t := strings.TrimSpace(line)
		ind := indentOf(line)
		if ind == 0 {
			inTable = t == "Receiver Resolver Table:"
			action = ""
			continue
		}
		if !inTable {
			continue
		}
		if strings.HasSuffix(t, ":") && !strings.Contains(t, " ") {
			a := strings.TrimSuffix(t, ":")
			if wakeupActions[a] {
				action, actInd = a, ind
			} else if action != "" && ind <= actInd {
				action = ""
			}
			continue
		}
		if action == "" || ind <= actInd {
			continue
		}
		f := strings.Fields(t)
		if len(f) >= 2 && strings.HasPrefix(f[1], pkg+"/") {
			seen[action+" -> "+f[1]] = true
		}
	}
	res := make([]string, 0, len(seen))
	for k := range seen {
		res = append(res, k)
	}
	sort.Strings(res)
	return res
}

// Service is a running service from `dumpsys activity services`.
type Service struct {
	Component string    `json:"component"`
	Created   time.Time `json:"created,omitzero"`
}

var serviceRecordRE = regexp.MustCompile(`\* ServiceRecord\{[0-9a-f]+ (?:u\d+ )?([A-Za-z0-9_.]+/[A-Za-z0-9_.$]+)\}`)
var createTimeRE = regexp.MustCompile(`createTime=([-+0-9dhms]+)`)

// ParseServices parses `dumpsys activity services PKG`: the ServiceRecords
// of pkg, with their creation time when "createTime=-1h2m ago" is printed.
func ParseServices(out []byte, pkg string, deviceNow time.Time) []Service {
	var res []Service
	var cur *Service
	for _, line := range strings.Split(string(out), "\n") {
		if m := serviceRecordRE.FindStringSubmatch(line); m != nil {
			if strings.HasPrefix(m[1], pkg+"/") {
				res = append(res, Service{Component: m[1]})
				cur = &res[len(res)-1]
			} else {
				cur = nil
			}
			continue
		}
		if cur != nil && cur.Created.IsZero() && !deviceNow.IsZero() {
			if m := createTimeRE.FindStringSubmatch(line); m != nil {
				if d, ok := ParseAndroidDuration(m[1]); ok {
					if d > 0 {
						d = -d
					}
					cur.Created = deviceNow.Add(d)
				}
			}
		}
	}
	sort.SliceStable(res, func(i, j int) bool { return res[i].Component < res[j].Component })
	return res
}

var jobRE = regexp.MustCompile(`JOB #(u\d+a?\d*/\d+|\d+/\d+): [0-9a-f]+ ([A-Za-z0-9_.]+/[A-Za-z0-9_.$]+)`)

// ParseJobs parses `dumpsys jobscheduler PKG` and returns pkg's registered
// jobs as "job-id component", deduplicated and sorted.
func ParseJobs(out []byte, pkg string) []string {
	seen := map[string]bool{}
	for _, m := range jobRE.FindAllStringSubmatch(string(out), -1) {
		if strings.HasPrefix(m[2], pkg+"/") {
			seen[m[1]+" "+m[2]] = true
		}
	}
	res := make([]string, 0, len(seen))
	for k := range seen {
		res = append(res, k)
	}
	sort.Strings(res)
	return res
}

// ParseDeviceIdleWhitelist parses `dumpsys deviceidle whitelist` ("user,PKG,10123",
// "system-excidle,PKG,1000" …) and reports the list pkg is on.
func ParseDeviceIdleWhitelist(out []byte, pkg string) (string, bool) {
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) >= 2 && f[1] == pkg {
			return f[0], true
		}
	}
	return "", false
}
