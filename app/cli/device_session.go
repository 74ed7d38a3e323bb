package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/netcap"
)

var sessionUsage = `Usage:
  appinspect device session PACKAGE [--case ID] [--serial S] [--duration SECONDS] [--proxy-port PORT]
                                    [--consent-at SECONDS] [--refuse-at SECONDS] [--ui-poll SECONDS]
                                    [--lang zh|en] [--adb PATH] [--json]

Records one session of the app on the phone (no root): AppInspect runs a recording proxy on this
computer, makes it the phone's global HTTP proxy over USB (adb reverse), stops and starts the app,
records for --duration seconds (default 60), then puts the phone's proxy setting back (also after
Ctrl-C or an adb error; a session that crashed is restored at the next start).
Consent: --consent-at SECONDS marks it that long after the app start, --refuse-at SECONDS marks that
the user refused the policy; otherwise, in a terminal, press Enter when you tap "agree" on the phone
(r and Enter when you tap "disagree"). The screen is read every --ui-poll seconds (default 3,
0 = off; uiautomator dump) to date when the privacy-policy dialog appeared (until consent) and
every runtime permission prompt Android shows (until the end).
With --case, PACKAGE may be left out, and the timeline is stored as evidence of the case's newest
version. The JSON has contacts[] {time, host, port, sdk, before_consent, plain_http, url, pi[]},
timeline[], consent_at, findings[].
Not seen: apps that bypass the system proxy, QUIC/HTTP-3 (UDP), and HTTPS content (only host,
port and TLS server name are recorded).
会话录制：本机运行记录代理，经 USB 设为手机全局 HTTP 代理，结束（含 Ctrl-C、adb 出错）后恢复原设置；
不拦截 HTTPS 内容，绕过系统代理的应用与 QUIC 流量看不到。--consent-at/--refuse-at 按秒标记同意/拒绝时刻；
在终端中按回车标记同意，输入 r 再回车标记拒绝。带 --case 时会话作为案件当前版本的证据保存。
`

// deviceSession is `appinspect device session PACKAGE`: its own flags on
// fs, the common ones (--serial, --adb, --case, --json) from runDevice.
func deviceSession(fs *flag.FlagSet) deviceRun {
	fs.Usage = func() { fmt.Fprint(fs.Output(), sessionUsage) }
	duration := fs.Float64("duration", 60, "")
	port := fs.Int("proxy-port", 0, "")
	consentAt := fs.Float64("consent-at", -1, "")
	refuseAt := fs.Float64("refuse-at", -1, "")
	lang := fs.String("lang", "zh", "")
	uiPoll := fs.Float64("ui-poll", 3, "")
	return func(ctx context.Context, env *Env, s *app.Service, f *deviceFlags, pos []string) int {
		bad := func(msg string) int {
			fmt.Fprintln(env.Err, "appinspect device session: "+msg)
			fmt.Fprint(env.Err, sessionUsage)
			return ExitUsage
		}
		if len(pos) > 1 || len(pos) == 0 && f.caseID == 0 {
			return bad("give one PACKAGE, or --case")
		}
		if *duration <= 0 || *duration > 24*3600 {
			return bad("--duration must be between 0 and 86400 seconds")
		}
		if *uiPoll < 0 {
			return bad("--ui-poll must be 0 (off) or a number of seconds")
		}
		if *lang != "zh" && *lang != "en" {
			return bad("--lang must be zh or en")
		}
		if *port < 0 || *port > 65535 {
			return bad("--proxy-port must be a port number (1-65535), or 0 for a free one")
		}
		if *consentAt != -1 && (*consentAt < 0 || *consentAt >= *duration) {
			return bad("--consent-at must be within the session (0 ≤ SECONDS < --duration)")
		}
		if *refuseAt != -1 && (*refuseAt < 0 || *refuseAt >= *duration) {
			return bad("--refuse-at must be within the session (0 ≤ SECONDS < --duration)")
		}
		req := app.SessionRequest{DialogPoll: time.Duration(*uiPoll * float64(time.Second)), Lang: *lang, Serial: f.serial, Port: *port,
			Duration: time.Duration(*duration * float64(time.Second)), CaseID: f.caseID}
		if len(pos) == 1 {
			req.Package = pos[0]
		}
		scripted := func(sec float64) time.Duration {
			if d := time.Duration(sec * float64(time.Second)); d > 0 {
				return d
			}
			return time.Nanosecond // at the app start itself
		}
		if *consentAt >= 0 {
			req.ConsentAt = scripted(*consentAt)
		}
		if *refuseAt >= 0 {
			req.RefuseAt = scripted(*refuseAt)
		}
		if *consentAt < 0 && *refuseAt < 0 && env.ErrIsTerminal && env.In != nil {
			consent, refuse := make(chan time.Time, 1), make(chan time.Time, 1)
			req.Consent, req.Refuse = consent, refuse
			req.Ready = func(addr string) {
				fmt.Fprintf(env.Err, "recording through %s for %g s; press Enter when consent is given on the phone, or r and Enter when it is refused\n"+
					"（手机上点击同意时按回车；点击不同意时输入 r 再按回车）\n", addr, *duration)
				go markFromTerminal(env, consent, refuse)
			}
		}
		res, err := s.DeviceSession(ctx, req)
		if res == nil {
			return Fail(env.IO, err)
		}
		out := sessionJSON(res)
		if f.jsonOut {
			if st := writeJSON(env.Out, out); st != ExitOK {
				return st
			}
		} else {
			writeSession(env, out)
		}
		if err != nil {
			return Fail(env.IO, err)
		}
		return ExitOK
	}
}

// markFromTerminal reads Enter (consent) or "r" and Enter (refusal) lines.
func markFromTerminal(env *Env, consent, refuse chan<- time.Time) {
	in := bufio.NewReader(env.In)
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return
		}
		now := time.Now()
		if strings.EqualFold(strings.TrimSpace(line), "r") {
			refuse <- now
			fmt.Fprintln(env.Err, "refusal marked (已标记拒绝时刻)")
			continue
		}
		consent <- now
		fmt.Fprintln(env.Err, "consent marked (已标记同意时刻)")
		return
	}
}

// SessionJSON is `device session --json`.
type SessionJSON struct {
	Package   string                   `json:"package"`
	Device    device.Device            `json:"device"`
	Start     time.Time                `json:"start"`
	End       time.Time                `json:"end"`
	Clock     string                   `json:"clock"`
	OffsetMS  int64                    `json:"offset_ms"`
	ConsentAt *time.Time               `json:"consent_at"`
	RefusedAt *time.Time               `json:"refused_at"`
	Contacts  []SessionContactJSON     `json:"contacts"`
	Timeline  []device.SessionEvent    `json:"timeline"`
	Findings  []app.SessionFindingJSON `json:"findings"`
	// Disclosures (with --case): each contacted host of a known owner
	// judged against the case's policy, kind "network".
	Disclosures []rules.Disclosure  `json:"disclosures,omitempty"`
	Proxy       device.SessionProxy `json:"proxy"`
	Notes       []string            `json:"notes"`
	// CaseVersion is the case version the session was stored with.
	CaseVersion int64             `json:"case_version,omitempty"`
	Stored      *app.EvidenceJSON `json:"stored,omitempty"`
}

// SessionContactJSON is one contact of `device session --json`.
type SessionContactJSON struct {
	Time          time.Time      `json:"time"`
	Host          string         `json:"host"`
	Port          int            `json:"port"`
	SNI           string         `json:"sni,omitempty"`
	SDK           string         `json:"sdk"`
	Owner         string         `json:"owner"`
	BeforeConsent bool           `json:"before_consent"`
	AfterRefusal  bool           `json:"after_refusal"`
	PlainHTTP     bool           `json:"plain_http"`
	Method        string         `json:"method,omitempty"`
	URL           string         `json:"url"`
	PI            []netcap.PIHit `json:"pi"`
}

func sessionJSON(r *app.SessionResult) SessionJSON {
	out := SessionJSON{Package: r.Package, Device: r.Device, Start: r.Start, End: r.End, Clock: r.Clock, OffsetMS: r.OffsetMS,
		ConsentAt: r.ConsentAt, RefusedAt: r.RefusedAt, Contacts: []SessionContactJSON{}, Timeline: append([]device.SessionEvent{}, r.Timeline...),
		Findings: r.Findings, Disclosures: r.Disclosures, Proxy: r.Proxy, Notes: append([]string{}, r.Notes...), CaseVersion: r.CaseVersion, Stored: r.Stored}
	for _, c := range r.Contacts {
		out.Contacts = append(out.Contacts, SessionContactJSON{Time: c.Time, Host: c.Host, Port: c.Port, SNI: c.SNI, SDK: c.SDK, Owner: c.Owner,
			BeforeConsent: c.BeforeConsent, AfterRefusal: c.AfterRefusal, PlainHTTP: c.PlainHTTP, Method: c.Method, URL: c.URL, PI: append([]netcap.PIHit{}, c.PI...)})
	}
	return out
}

func writeSession(env *Env, s SessionJSON) {
	p := func(f string, a ...any) { fmt.Fprintf(env.Out, f, a...) }
	p("%s on %s %s (%s): %s – %s (%s clock", s.Package, s.Device.Brand, s.Device.Model, s.Device.Serial,
		s.Start.Format("2006-01-02 15:04:05"), s.End.Format("15:04:05"), s.Clock)
	if s.Clock == device.ClockDevice {
		p(", device − laptop = %d ms", s.OffsetMS)
	}
	p(")\n")
	if s.ConsentAt != nil {
		p("Consent marked at %s\n", s.ConsentAt.Format("15:04:05.000"))
	} else {
		p("Consent not marked\n")
	}
	if s.RefusedAt != nil {
		p("Refusal marked at %s\n", s.RefusedAt.Format("15:04:05.000"))
	}
	p("Contacts (%d)\n", len(s.Contacts))
	for _, c := range s.Contacts {
		when := ""
		switch {
		case c.AfterRefusal:
			when = "AFTER refusal"
		case c.BeforeConsent:
			when = "BEFORE consent"
		case s.ConsentAt != nil:
			when = "after consent"
		}
		owner := c.Owner
		if owner == "" {
			owner = "?"
		}
		proto := "tls/tcp"
		if c.PlainHTTP {
			proto = "HTTP in clear"
		}
		p("  %s  %-14s %-14s %-13s %s\n", c.Time.Format("15:04:05.000"), owner, when, proto, c.URL)
		for _, h := range c.PI {
			p("      personal data: %s %q (%s)\n", h.Kind, h.Value, h.Where)
		}
	}
	p("Timeline (%d)\n", len(s.Timeline))
	for _, e := range s.Timeline {
		p("  %s  %-9s %-15s %s %s\n", e.Time.Format("15:04:05.000"), e.Source, e.Kind, e.Op, truncate(e.Detail, 120))
	}
	if len(s.Findings) > 0 {
		p("Findings (%d)\n", len(s.Findings))
		for _, f := range s.Findings {
			p("  [%s] %s — %s (%s)\n", f.Rule, f.Title, f.Detail, strings.Join(f.Articles, ", "))
		}
	}
	for _, d := range s.Disclosures {
		decl := "NOT declared in the policy (政策未声明)"
		if d.Declared {
			decl = "declared (政策已声明): " + d.Why
		}
		p("Disclosure: %s contacted %s: %s\n", d.Owner, d.Ref, decl)
	}
	p("Proxy: port %d, previous setting %q, restored %v\n", s.Proxy.Port, s.Proxy.Previous, s.Proxy.Restored)
	for _, n := range s.Notes {
		p("Note: %s\n", n)
	}
	if s.Stored != nil {
		p("stored as %s (sha256 %s) with case version %d\n", s.Stored.Name, s.Stored.SHA256, s.CaseVersion)
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
