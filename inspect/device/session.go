package device

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/appinspect/appinspect/inspect/netcap"
)

// Session clocks (Session.Clock).
const (
	// ClockDevice: times are the device's clock, laptop times shifted by
	// the offset measured at the start (`date +%s%z`, one-second resolution).
	ClockDevice = "device"
	// ClockLaptop: the device clock could not be read; every time is the
	// laptop's, and AppOps and logcat times (device clock) are left out.
	ClockLaptop = "laptop"
)

// Timeline sources (SessionEvent.Source).
const (
	SourceADB       = "adb"         // AppInspect's own action over adb (app start)
	SourceInspector = "inspector"   // the inspector (consent mark)
	SourceScript    = "script"      // a scripted consent mark (--consent-at)
	SourceAppOps    = "appops"      // an AppOps access or rejection
	SourceProxy     = "proxy"       // a network contact through the session proxy
	SourceLogcat    = "logcat"      // a log line of the app's processes
	SourceUI        = "uiautomator" // the on-screen UI dump
)

// Session event kinds (SessionEvent.Kind), besides KindOpAccess and KindOpReject.
const (
	KindAppStart = "app_start"
	KindConsent  = "consent"
	KindRefusal  = "refusal" // the user refused the privacy policy (tapped "disagree")
	KindContact  = "network_contact"
	KindLog      = "log"
	// KindConsentDialog: the first UI dump showing a privacy-policy dialog
	// (a policy title and an agree button); Detail holds its text.
	KindConsentDialog = "consent_dialog"
	// KindPermissionPrompt: a UI dump showing Android's runtime-permission
	// prompt (the system permission controller in front); Detail holds its
	// text ("允许“某应用”获取此设备的位置信息吗？ …"). One event per prompt
	// shown, whenever in the session it appears.
	KindPermissionPrompt = "permission_prompt"
)

// SessionEvent is one dated fact of a device session, on the session clock.
type SessionEvent struct {
	Time   time.Time `json:"time"`
	Source string    `json:"source"`
	Kind   string    `json:"kind"`
	Op     string    `json:"op,omitempty"`
	Detail string    `json:"detail,omitempty"`
	// Contact is the index in Session.Contacts of a network_contact event.
	Contact *int `json:"contact,omitempty"`
}

// SessionContact is one network contact, attributed and placed relative
// to consent.
type SessionContact struct {
	Time time.Time `json:"time"`
	Host string    `json:"host"`
	Port int       `json:"port"`
	SNI  string    `json:"sni,omitempty"`
	// SDK is the catalog id of the SDK whose network signature the host
	// matches, "" when none does. Owner is the SDK id, "app" for the app's
	// own endpoints, or "" when unknown.
	SDK   string `json:"sdk"`
	Owner string `json:"owner"`
	// BeforeConsent is true when the contact came before the consent mark,
	// or, without one, before the refusal mark (the user never agreed);
	// false when after, or when neither was marked.
	BeforeConsent bool `json:"before_consent"`
	// AfterRefusal is true when the contact came after the refusal mark
	// (and before a later consent, if any).
	AfterRefusal bool   `json:"after_refusal"`
	PlainHTTP    bool   `json:"plain_http"`
	Method       string `json:"method,omitempty"`
	URL          string `json:"url"`
	// PI is the personal data found in a plain-HTTP request.
	PI []netcap.PIHit `json:"pi"`
	// Request is what the proxy recorded (headers and body for plain HTTP).
	Request netcap.Contact `json:"request"`
}

// SessionProxy describes the proxy setting handled during the session.
type SessionProxy struct {
	Port     int    `json:"port"`
	Previous string `json:"previous"`
	Restored bool   `json:"restored"`
	// Recovered lists markers of earlier sessions restored at the start.
	Recovered []RecoveredProxy `json:"recovered,omitempty"`
	// Dropped counts contacts beyond the proxy's memory bound.
	Dropped int `json:"dropped"`
}

// Session is one recorded device session of an app.
type Session struct {
	Device  Device    `json:"device"`
	Package string    `json:"package"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	// Clock is ClockDevice or ClockLaptop; OffsetMS the device clock minus
	// the laptop clock at the start, in milliseconds (0 with ClockLaptop).
	Clock     string           `json:"clock"`
	OffsetMS  int64            `json:"offset_ms"`
	ConsentAt *time.Time       `json:"consent_at"`
	RefusedAt *time.Time       `json:"refused_at"`
	Contacts  []SessionContact `json:"contacts"`
	Timeline  []SessionEvent   `json:"timeline"`
	Proxy     SessionProxy     `json:"proxy"`
	// Evidence is the AppOps/permission snapshot taken at the end.
	Evidence *Evidence `json:"evidence,omitempty"`
	// Logcat is the raw log of the app's processes during the session.
	Logcat []byte   `json:"-"`
	Notes  []string `json:"notes,omitempty"`
}

// SessionOptions configures RunSession.
type SessionOptions struct {
	Serial, Package string
	// Port is the proxy port on the laptop and, through adb reverse, on
	// the device; 0 picks a free one.
	Port int
	// Dir keeps the proxy marker (the data directory).
	Dir      string
	Duration time.Duration
	// ConsentAfter marks consent this long after the app start (scripted
	// sessions); 0 means not scripted.
	ConsentAfter time.Duration
	// Consent, when not nil, receives the laptop time the inspector marked
	// consent (Enter in a terminal). The first mark counts.
	// RefuseAfter and Refuse mark, likewise, that the user refused the policy.
	Consent     <-chan time.Time
	RefuseAfter time.Duration
	Refuse      <-chan time.Time
	// Owner maps a host to the SDK id whose network signature it matches
	// (sdk true), or to "app" for the app's own endpoints (sdk false).
	Owner func(host string) (owner string, sdk bool)
	// Ready, when not nil, is called with the proxy address once the proxy
	// is set on the device and the app started.
	Ready func(proxyAddr string)
	// Proxy bounds; zero values mean netcap's defaults.
	Proxy netcap.Config
	// DialogPoll, when positive, dumps the UI (uiautomator) at this
	// interval from the app start until consent is marked or the consent
	// dialog is seen, to date when the dialog was shown. Each dump takes a
	// second or two on a phone.
	DialogPoll time.Duration
}

var androidIDRE = regexp.MustCompile(`^[0-9a-fA-F]{16}$`)

// RunSession records one session: restores proxies earlier sessions left
// set, reads the device clock, starts the recording proxy on
// 127.0.0.1:Port, sets it as the device's proxy (SetSessionProxy), stops
// and starts the app (`am force-stop`, `monkey -p PKG -c
// android.intent.category.LAUNCHER 1`), waits Duration while consent is
// marked, then takes an Evidence snapshot (AppOps) and the app's logcat,
// puts the proxy setting back and builds the timeline.
//
// The proxy is restored on every exit path: normal end, ctx cancelled
// (Ctrl-C ends the session early; what was recorded is returned with the
// error), adb errors. When the device is gone the marker stays in Dir and
// the next session restores it. A returned Session is never nil when the
// proxy was set, even with an error.
func (a *ADB) RunSession(ctx context.Context, o SessionOptions) (s *Session, err error) {
	if !ValidPackage(o.Package) {
		return nil, fmt.Errorf("device: session %q: %w", o.Package, ErrInvalidPackage)
	}
	if o.Duration <= 0 {
		return nil, fmt.Errorf("device: session: duration must be positive")
	}
	if o.Dir == "" {
		return nil, fmt.Errorf("device: session: no directory for the proxy marker")
	}
	d, err := a.Pick(ctx, o.Serial)
	if err != nil {
		return nil, fmt.Errorf("device: session: %w", err)
	}
	serial := d.Serial
	s = &Session{Device: d, Package: o.Package, Clock: ClockDevice}
	rec, err := a.RecoverProxies(ctx, o.Dir, serial)
	if err != nil {
		return nil, fmt.Errorf("device: session: %w", err)
	}
	s.Proxy.Recovered = rec
	for _, r := range rec {
		if !r.Restored {
			return nil, fmt.Errorf("device: session: an earlier session's proxy on %s could not be restored: %s", serial, r.Err)
		}
		s.Notes = append(s.Notes, fmt.Sprintf("restored http_proxy %s left by a session started %s", r.Marker.Previous, r.Marker.Started.Format(time.RFC3339)))
	}

	// One clock: the device's, through its offset to the laptop's.
	lap0 := a.now()
	dt, derr := a.shell(ctx, nil, serial, "date", "+%s%z")
	var loc *time.Location = time.UTC
	var offset time.Duration
	if derr != nil && fatal(derr) {
		return nil, fmt.Errorf("device: session: %w", derr)
	}
	if dev0, l, ok := parseDeviceDate(dt, d.TimeZone); derr == nil && ok {
		// date prints whole seconds: the offset is accurate to about a second.
		offset = dev0.Sub(lap0.Truncate(time.Second))
		loc = l
	} else {
		s.Clock = ClockLaptop
		s.Notes = append(s.Notes, "device clock unreadable; every time is the laptop's clock, AppOps and logcat times are left out")
	}
	s.OffsetMS = offset.Milliseconds()
	onClock := func(t time.Time) time.Time { return t.Add(offset).In(loc) }

	px, err := netcap.Start(net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)), o.Proxy)
	if err != nil {
		return nil, fmt.Errorf("device: session: %w", err)
	}
	defer px.Close()
	s.Proxy.Port = px.Port()
	guard, err := a.SetSessionProxy(ctx, serial, px.Port(), o.Dir)
	if err != nil {
		return nil, fmt.Errorf("device: session: %w", err)
	}
	s.Proxy.Previous = guard.Previous()
	defer func() {
		rerr := guard.Restore(ctx)
		s.Proxy.Restored = rerr == nil
		if rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()

	var known netcap.Known
	if out, err := a.shell(ctx, nil, serial, "settings", "get", "secure", "android_id"); err == nil && androidIDRE.MatchString(strings.TrimSpace(string(out))) {
		known.AndroidID = strings.TrimSpace(string(out))
	} else if err != nil && fatal(err) {
		return s, fmt.Errorf("device: session: %w", err)
	}

	if _, err := a.shell(ctx, nil, serial, "am", "force-stop", o.Package); err != nil {
		return s, fmt.Errorf("device: session: stop %s: %w", o.Package, err)
	}
	start := a.now()
	out, err := a.shell(ctx, nil, serial, "monkey", "-p", o.Package, "-c", "android.intent.category.LAUNCHER", "1")
	if err != nil {
		return s, fmt.Errorf("device: session: start %s: %w", o.Package, err)
	}
	if bytes.Contains(out, []byte("No activities found")) || bytes.Contains(out, []byte("monkey aborted")) {
		return s, fmt.Errorf("device: session: start %s: %s: %w", o.Package, strings.TrimSpace(firstLines(out, 2)), ErrBadOutput)
	}
	s.Start = onClock(start)
	s.Timeline = append(s.Timeline, SessionEvent{Time: s.Start, Source: SourceADB, Kind: KindAppStart, Detail: "monkey -p " + o.Package + " -c android.intent.category.LAUNCHER 1"})
	if o.Ready != nil {
		o.Ready(px.Addr())
	}

	// Watch for the consent dialog while recording.
	// Watch the screen while recording: the consent dialog until consent
	// (or refusal), permission prompts until the end.
	dialogStop, screenStop := make(chan struct{}), make(chan struct{})
	dialogDone := make(chan []SessionEvent, 1)
	if o.DialogPoll > 0 {
		go func() { dialogDone <- a.watchScreen(ctx, serial, o.DialogPoll, dialogStop, screenStop, onClock) }()
	} else {
		dialogDone <- nil
	}
	closeOnce := func(c chan struct{}) {
		select {
		case <-c:
		default:
			close(c)
		}
	}
	stopDialog := func() { closeOnce(dialogStop) }
	stopScreen := func() { closeOnce(dialogStop); closeOnce(screenStop) }
	defer stopScreen()

	// Record until the duration ends; mark consent on the way.
	timer := time.NewTimer(o.Duration)
	defer timer.Stop()
	var scripted <-chan time.Time
	if o.ConsentAfter > 0 {
		st := time.NewTimer(o.ConsentAfter)
		defer st.Stop()
		scripted = st.C
	}
	var consent, refused time.Time
	var scriptedRefusal <-chan time.Time
	if o.RefuseAfter > 0 {
		rt := time.NewTimer(o.RefuseAfter)
		defer rt.Stop()
		scriptedRefusal = rt.C
	}
	markRefusal := func(at time.Time, src, detail string) {
		if refused.IsZero() {
			refused = at
			t := onClock(at)
			s.RefusedAt = &t
			s.Timeline = append(s.Timeline, SessionEvent{Time: t, Source: src, Kind: KindRefusal, Detail: detail})
			stopDialog()
		}
	}
	var stopped error
wait:
	for {
		select {
		case <-timer.C:
			break wait
		case <-ctx.Done():
			stopped = ctx.Err()
			s.Notes = append(s.Notes, "session stopped early: "+stopped.Error())
			break wait
		case <-scripted:
			if consent.IsZero() {
				consent = start.Add(o.ConsentAfter)
				t := onClock(consent)
				s.ConsentAt = &t
				s.Timeline = append(s.Timeline, SessionEvent{Time: t, Source: SourceScript, Kind: KindConsent, Detail: fmt.Sprintf("--consent-at %g", o.ConsentAfter.Seconds())})
				stopDialog()
			}
			scripted = nil
		case <-scriptedRefusal:
			markRefusal(start.Add(o.RefuseAfter), SourceScript, fmt.Sprintf("--refuse-at %g", o.RefuseAfter.Seconds()))
			scriptedRefusal = nil
		case at, ok := <-o.Refuse:
			if !ok {
				o.Refuse = nil
				continue
			}
			markRefusal(at, SourceInspector, "refusal marked by the inspector")
		case at, ok := <-o.Consent:
			if !ok {
				o.Consent = nil
				continue
			}
			if consent.IsZero() {
				consent = at
				t := onClock(at)
				s.ConsentAt = &t
				s.Timeline = append(s.Timeline, SessionEvent{Time: t, Source: SourceInspector, Kind: KindConsent, Detail: "marked by the inspector"})
				stopDialog()
			}
		}
	}
	end := a.now()
	s.End = onClock(end)
	// Give the phone its own proxy setting back now, so the app is not cut
	// off while the snapshot is taken (the deferred Restore then does nothing).
	if rerr := guard.Restore(ctx); rerr != nil {
		s.Notes = append(s.Notes, rerr.Error())
	}
	stopScreen()
	dialog := <-dialogDone
	s.Timeline = append(s.Timeline, dialog...)
	if o.DialogPoll > 0 && !slices.ContainsFunc(dialog, func(e SessionEvent) bool { return e.Kind == KindConsentDialog }) {
		s.Notes = append(s.Notes, "no privacy-policy dialog seen in the UI dumps before consent")
	}
	if err := px.Close(); err != nil {
		s.Notes = append(s.Notes, err.Error())
	}
	s.Proxy.Dropped = px.Dropped()
	if s.Proxy.Dropped > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("%d contacts beyond the proxy's bound were not kept", s.Proxy.Dropped))
	}
	for _, c := range px.Contacts() {
		sc := SessionContact{Time: onClock(c.Time), Host: c.Host, Port: c.Port, SNI: c.SNI, PlainHTTP: c.Kind == netcap.KindHTTP,
			Method: c.Method, URL: c.URL, PI: netcap.FindPI(c, known), Request: c}
		if sc.PI == nil {
			sc.PI = []netcap.PIHit{}
		}
		if sc.URL == "" {
			sc.URL = c.Host + ":" + strconv.Itoa(c.Port)
		}
		if o.Owner != nil {
			for _, h := range []string{c.SNI, c.Host} {
				if h == "" {
					continue
				}
				if own, isSDK := o.Owner(h); own != "" {
					sc.Owner = own
					if isSDK {
						sc.SDK = own
					}
					break
				}
			}
		}
		switch {
		case !consent.IsZero():
			sc.BeforeConsent = c.Time.Before(consent)
		case !refused.IsZero():
			sc.BeforeConsent = c.Time.Before(refused) // never agreed
		}
		if !refused.IsZero() && !c.Time.Before(refused) && (consent.IsZero() || consent.Before(refused) || c.Time.Before(consent)) {
			sc.AfterRefusal = true
		}
		i := len(s.Contacts)
		s.Contacts = append(s.Contacts, sc)
		detail := sc.URL
		if sc.SNI != "" && sc.SNI != sc.Host {
			detail += " (SNI " + sc.SNI + ")"
		}
		if sc.Owner != "" {
			detail += " [" + sc.Owner + "]"
		}
		s.Timeline = append(s.Timeline, SessionEvent{Time: sc.Time, Source: SourceProxy, Kind: KindContact, Detail: detail, Contact: &i})
	}
	if consent.IsZero() && refused.IsZero() {
		s.Notes = append(s.Notes, "no consent marked: contacts are not placed relative to consent")
	}
	if stopped != nil {
		s.sortTimeline()
		return s, fmt.Errorf("device: session: %w", stopped)
	}

	// AppOps and logcat at the end, on the device clock.
	ev, err := a.Evidence(ctx, serial, o.Package)
	if err != nil {
		s.sortTimeline()
		return s, err
	}
	s.Evidence = ev
	if s.Clock == ClockDevice {
		from := s.Start.Truncate(time.Second)
		for _, e := range BuildTimeline(ev) {
			if (e.Kind == KindOpAccess || e.Kind == KindOpReject) && !e.Time.Before(from) && !e.Time.After(s.End.Add(time.Second)) {
				s.Timeline = append(s.Timeline, SessionEvent{Time: e.Time, Source: SourceAppOps, Kind: e.Kind, Op: e.Op, Detail: e.Detail})
			}
		}
		lc, err := a.Logcat(ctx, serial, o.Package, s.Start, 2000)
		switch {
		case err != nil && fatal(err):
			s.sortTimeline()
			return s, err
		case err != nil:
			s.Notes = append(s.Notes, "logcat unavailable: "+err.Error())
		default:
			s.Logcat = lc
			s.Timeline = append(s.Timeline, logEvents(lc, s.Start, loc, 500)...)
		}
	}
	s.sortTimeline()
	return s, nil
}

func (s *Session) sortTimeline() {
	sort.SliceStable(s.Timeline, func(i, j int) bool { return s.Timeline[i].Time.Before(s.Timeline[j].Time) })
}

var threadtimeRE = regexp.MustCompile(`^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})\s+\d+\s+\d+\s+[VDIWEFA]\s+(.*)$`)

// logEvents turns threadtime lines into timeline events; the year is the
// session start's (logcat omits it), at most max events.
func logEvents(lc []byte, start time.Time, loc *time.Location, max int) []SessionEvent {
	var evs []SessionEvent
	for _, line := range strings.Split(string(lc), "\n") {
		m := threadtimeRE.FindStringSubmatch(strings.TrimRight(line, "\r"))
		if m == nil {
			continue
		}
		n := make([]int, 6)
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+1])
		}
		t := time.Date(start.Year(), time.Month(n[0]), n[1], n[2], n[3], n[4], n[5]*1e6, loc)
		if t.Before(start.Add(-time.Second)) {
			continue
		}
		evs = append(evs, SessionEvent{Time: t, Source: SourceLogcat, Kind: KindLog, Detail: m[7]})
		if len(evs) >= max {
			break
		}
	}
	return evs
}

var (
	policyWordRE = regexp.MustCompile(`(?i)隐私政策|隐私协议|隐私保护|个人信息保护|用户协议|privacy policy`)
	agreeWordRE  = regexp.MustCompile(`(?i)同意|接受|agree|accept`)
)

// LooksLikeConsentDialog reports whether UI text shows a privacy-policy
// dialog: a policy title and an agree button.
func LooksLikeConsentDialog(text string) bool {
	return policyWordRE.MatchString(text) && agreeWordRE.MatchString(text)
}

// permissionControllers are the packages that draw Android's runtime
// permission prompt (AOSP, Google's build, and the installer that did it
// before Android 10).
var permissionControllers = []string{
	`package="com.android.permissioncontroller"`, `package="com.google.android.permissioncontroller"`,
	`package="com.android.packageinstaller"`, `package="com.google.android.packageinstaller"`,
}

// IsPermissionPrompt reports whether a UI dump shows the system's runtime
// permission prompt.
func IsPermissionPrompt(dump []byte) bool {
	for _, p := range permissionControllers {
		if bytes.Contains(dump, []byte(p)) {
			return true
		}
	}
	return false
}

// watchScreen dumps the UI every interval until screenStop and returns, as
// timeline events, the first dump that shows a consent dialog (looked for
// until dialogStop: consent or refusal was marked) and every permission
// prompt shown (one event each time a prompt appears or its text changes),
// plus a note event when dumps failed.
func (a *ADB) watchScreen(ctx context.Context, serial string, every time.Duration, dialogStop, screenStop <-chan struct{}, onClock func(time.Time) time.Time) []SessionEvent {
	var evs []SessionEvent
	var failed, lastPrompt string
	dialogSeen := false
	for {
		// a dump begun before consent was marked still dates the dialog
		lookForDialog := !dialogSeen
		select {
		case <-dialogStop:
			lookForDialog = false
		default:
		}
		at := a.now()
		x, err := a.UIDump(ctx, serial)
		if err == nil {
			text, terr := UIText(x)
			if terr == nil {
				flat := strings.Join(strings.Fields(text), " ")
				switch {
				case IsPermissionPrompt(x):
					if flat != lastPrompt {
						evs = append(evs, SessionEvent{Time: onClock(at), Source: SourceUI, Kind: KindPermissionPrompt, Detail: firstRunes(flat, 300)})
					}
					lastPrompt = flat
				case lookForDialog && LooksLikeConsentDialog(text):
					dialogSeen = true
					lastPrompt = ""
					evs = append(evs, SessionEvent{Time: onClock(at), Source: SourceUI, Kind: KindConsentDialog, Detail: firstRunes(flat, 300)})
				default:
					lastPrompt = ""
				}
			}
		} else if failed == "" {
			failed = err.Error()
		}
		select {
		case <-screenStop:
			if failed != "" {
				evs = append(evs, SessionEvent{Time: onClock(at), Source: SourceUI, Kind: KindLog, Detail: "ui dump failed: " + failed})
			}
			return evs
		case <-ctx.Done():
			return evs
		case <-time.After(every):
		}
	}
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
