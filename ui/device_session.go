package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/device"
)

// maxSessionSeconds bounds the recording length typed in the duration field.
const maxSessionSeconds = 3600

// sessionPane is the "record session" part of the Device tab: a duration,
// the record button, the consent/refusal marks the inspector presses while
// the session runs, and the result.
type sessionPane struct {
	v        *deviceView
	duration *widget.Entry
	record   *widget.Button
	consent  *widget.Button
	refuse   *widget.Button
	result   *widget.Label
	box      *fyne.Container // holds the tab's info and the result

	consentCh chan time.Time // nil when no session runs
	refuseCh  chan time.Time
}

func newSessionPane(v *deviceView) *sessionPane {
	p := &sessionPane{v: v}
	p.duration = widget.NewEntry()
	p.duration.SetText("60")
	p.record = widget.NewButtonWithIcon(T("dev.session.record"), theme.MediaRecordIcon(), p.onRecord)
	p.consent = widget.NewButtonWithIcon(T("dev.session.consent"), theme.ConfirmIcon(), p.onConsent)
	p.refuse = widget.NewButtonWithIcon(T("dev.session.refuse"), theme.CancelIcon(), p.onRefuse)
	p.consent.Disable()
	p.refuse.Disable()
	p.result = widget.NewLabel("")
	p.result.Wrapping = fyne.TextWrapWord
	return p
}

// actions is the row of controls placed among the tab's actions.
func (p *sessionPane) actions() fyne.CanvasObject {
	dur := container.NewBorder(nil, nil, widget.NewLabel(T("dev.session.duration")), nil, p.duration)
	return container.NewVBox(container.NewGridWithColumns(2, dur, p.record), container.NewGridWithColumns(2, p.consent, p.refuse))
}

// onRecord starts a session on the chosen device for the case's app.
func (p *sessionPane) onRecord() {
	v := p.v
	if !v.ready(false) || v.task.running() {
		return
	}
	secs, err := strconv.Atoi(strings.TrimSpace(p.duration.Text))
	if err != nil || secs < 1 || secs > maxSessionSeconds {
		dialog.ShowInformation(T("dev.session.record"), T("dev.session.badduration", maxSessionSeconds), v.m.w)
		return
	}
	consent, refuse := make(chan time.Time, 1), make(chan time.Time, 1)
	req := workspace.SessionRequest{CaseID: v.caseID, Serial: v.serial, Duration: time.Duration(secs) * time.Second,
		Consent: consent, Refuse: refuse, Lang: Language()}
	// The app chosen in the list ("" : the case's); another app than the
	// case's is refused by the backend with the two package names.
	req.Package = v.app
	t := v.task
	started := t.run(T("dev.session.recording", secs), func(ctx context.Context) (func(), error) {
		var begun time.Time
		ready := make(chan struct{})
		req.Ready = func() {
			begun = time.Now()
			_ = t.step.Set(T("dev.session.running", secs))
			close(ready)
		}
		stop := make(chan struct{})
		go func() { // progress: the part of the duration elapsed
			tick := time.NewTicker(500 * time.Millisecond)
			defer tick.Stop()
			select {
			case <-ready:
			case <-stop:
				return
			}
			for {
				select {
				case <-stop:
					return
				case now := <-tick.C:
					_ = t.frac.Set(min(0.99, now.Sub(begun).Seconds()/float64(secs)))
				}
			}
		}()
		res, err := v.m.b.RecordSession(ctx, req)
		close(stop)
		canceled := errors.Is(err, context.Canceled)
		apply := func() {
			p.endMarks()
			if res != nil {
				p.result.SetText(sessionSummary(res, canceled))
				if p.box != nil {
					p.box.Refresh()
				}
			}
			v.after(req.CaseID)
		}
		if res != nil && canceled {
			err = nil // stopped by Cancel: what was recorded is shown and stored
		}
		return apply, err
	})
	if started {
		p.consentCh, p.refuseCh = consent, refuse
		p.consent.Enable()
		p.refuse.Enable()
		p.record.Disable()
	}
}

// endMarks disables the marks once the session is over.
func (p *sessionPane) endMarks() {
	p.consentCh, p.refuseCh = nil, nil
	p.consent.Disable()
	p.refuse.Disable()
	p.record.Enable()
}

// onConsent marks, now, that the user agreed (the first mark counts).
func (p *sessionPane) onConsent() { p.mark(p.consentCh, p.consent, "dev.session.consented") }

// onRefuse marks, now, that the user refused the policy.
func (p *sessionPane) onRefuse() { p.mark(p.refuseCh, p.refuse, "dev.session.refused") }

func (p *sessionPane) mark(ch chan time.Time, b *widget.Button, key string) {
	if ch == nil {
		return
	}
	at := now()
	select {
	case ch <- at:
	default:
	}
	b.Disable()
	_ = p.v.task.step.Set(T(key, fmtTime(at)))
}

// sessionSummary describes a recorded session: its clock and marks, each
// contact with its time, host, owner and place relative to consent, plain
// HTTP and personal data flagged, the candidate findings, and what the
// proxy cannot see.
func sessionSummary(r *workspace.SessionResult, canceled bool) string {
	s := r.Session
	if s == nil {
		return ""
	}
	var b strings.Builder
	clock := T("dev.session.clockdevice")
	if s.Clock == device.ClockLaptop {
		clock = T("dev.session.clocklaptop")
	}
	b.WriteString(T("dev.session.head", s.Package, fmtTimeZ(s.Start), fmtTime(s.End), clock, len(s.Contacts)))
	if canceled {
		b.WriteString("\n" + T("dev.session.canceled"))
	}
	if s.ConsentAt != nil {
		b.WriteString("\n" + T("dev.session.consentat", fmtTime(*s.ConsentAt)))
	} else {
		b.WriteString("\n" + T("dev.session.noconsent"))
	}
	if s.RefusedAt != nil {
		b.WriteString("\n" + T("dev.session.refusedat", fmtTime(*s.RefusedAt)))
	}
	if s.Proxy.Restored {
		b.WriteString("\n" + T("dev.session.restored", proxyName(s.Proxy.Previous)))
	} else {
		b.WriteString("\n" + T("dev.session.notrestored", proxyName(s.Proxy.Previous)))
	}
	if r.Stored {
		b.WriteString("\n" + T("dev.session.stored"))
	}
	b.WriteString("\n\n" + boldText(T("dev.session.contacts")))
	if len(s.Contacts) == 0 {
		b.WriteString("\n" + T("dev.session.nocontacts"))
	}
	for _, c := range s.Contacts {
		host := c.Host
		if c.SNI != "" && c.SNI != c.Host {
			host = c.SNI
		}
		owner := T("dev.session.unknown")
		switch {
		case r.SDKNames[c.SDK] != "":
			owner = "SDK " + r.SDKNames[c.SDK]
		case c.SDK != "":
			owner = "SDK " + c.SDK // an SDK of a user catalog extension
		case c.Owner == "app":
			owner = T("dev.session.app")
		}
		place := T("dev.session.nomark")
		switch {
		case c.AfterRefusal:
			place = T("dev.session.afterrefusal")
		case c.BeforeConsent:
			place = T("dev.session.before")
		case s.ConsentAt != nil:
			place = T("dev.session.after")
		}
		line := fmt.Sprintf("%s  %s:%d\n    %s · %s", fmtTime(c.Time), host, c.Port, owner, place)
		if c.PlainHTTP {
			line += " · ⚠ " + T("dev.session.plain")
		}
		if len(c.PI) > 0 {
			var kinds []string
			for _, h := range c.PI {
				if !slices.Contains(kinds, h.Kind) {
					kinds = append(kinds, h.Kind)
				}
			}
			line += " · ⚠ " + T("dev.session.pi", strings.Join(kinds, ", "))
		}
		if c.PlainHTTP && c.URL != "" {
			line += "\n" + c.URL // not indented: a long URL wraps on its own line
		}
		b.WriteString("\n" + line)
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n\n" + boldText(T("dev.session.findings")))
		for _, f := range r.Findings {
			b.WriteString("\n• " + f.Title)
			if len(f.Articles) > 0 {
				b.WriteString(" (" + strings.Join(f.Articles, ", ") + ")")
			}
			if f.Detail != "" {
				b.WriteString("\n  " + f.Detail)
			}
		}
	}
	b.WriteString("\n\n" + boldText(T("dev.session.notes")))
	b.WriteString("\n" + T("dev.session.unseen"))
	for _, n := range s.Notes {
		if n := sessionNote(n); n != "" {
			b.WriteString("\n" + n)
		}
	}
	return b.String()
}

// sessionNote renders a note of the device session in the UI language:
// the notes inspect/device writes in fixed words are translated, any other
// (an adb error) is shown as written. The "no consent marked" note is
// already said above ("").
func sessionNote(n string) string {
	var k int
	switch {
	case n == "no consent marked: contacts are not placed relative to consent":
		return ""
	case n == "device clock unreadable; every time is the laptop's clock, AppOps and logcat times are left out":
		return T("dev.session.note.clock")
	case n == "no privacy-policy dialog seen in the UI dumps before consent":
		return T("dev.session.note.nodialog")
	case strings.HasPrefix(n, "session stopped early: "):
		return T("dev.session.note.stopped", strings.TrimPrefix(n, "session stopped early: "))
	case strings.HasPrefix(n, "logcat unavailable: "):
		return T("dev.session.note.nologcat", strings.TrimPrefix(n, "logcat unavailable: "))
	case strings.HasPrefix(n, "restored http_proxy "):
		if prev, started, ok := strings.Cut(strings.TrimPrefix(n, "restored http_proxy "), " left by a session started "); ok {
			if t, err := time.Parse(time.RFC3339, started); err == nil {
				started = fmtTime(t)
			}
			return T("dev.session.note.recovered", proxyName(prev), started)
		}
	default:
		if _, err := fmt.Sscanf(n, "%d contacts beyond the proxy's bound were not kept", &k); err == nil && strings.HasSuffix(n, "were not kept") {
			return T("dev.session.note.dropped", k)
		}
	}
	return T("dev.session.devicenote", n)
}

// proxyName is the previous proxy setting as shown ("none" when unset).
func proxyName(p string) string {
	if p == "" || p == "null" || p == ":0" {
		return T("dev.session.noproxy")
	}
	return p
}

// boldText marks a heading in plain label text.
func boldText(s string) string {
	if Language() == "en" {
		return "— " + s + " —"
	}
	return "【" + s + "】"
}
