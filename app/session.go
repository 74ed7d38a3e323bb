package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// SessionRequest configures a recorded device session.
type SessionRequest struct {
	// Package is the app; with CaseID it may be empty (the case's app).
	Package string
	CaseID  int64
	Serial  string
	// Duration of the recording; Port the proxy port (0: a free one).
	Duration time.Duration
	Port     int
	// ConsentAt marks consent this long after the app start (scripted);
	// Consent receives marks made by the inspector (Enter).
	ConsentAt time.Duration
	Consent   <-chan time.Time
	// RefuseAt and Refuse mark, likewise, that the user refused the policy.
	RefuseAt time.Duration
	Refuse   <-chan time.Time
	// Ready is called once the proxy is set and the app started.
	Ready func(proxyAddr string)
	// Lang ("zh", default, or "en") is the language of the findings' detail.
	Lang string
	// DialogPoll is the interval of UI dumps looking for the consent dialog (0: none).
	DialogPoll time.Duration
}

// SessionResult is a recorded session and, with a case, where it was stored.
type SessionResult struct {
	*device.Session
	// CaseVersion and APKSHA256 identify the case version the session was
	// recorded for (0 and "" without a case or before any version).
	CaseVersion int64         `json:"case_version,omitempty"`
	APKSHA256   string        `json:"apk_sha256,omitempty"`
	Stored      *EvidenceJSON `json:"stored,omitempty"`
	// Findings are the network rules' candidates on this session.
	Findings []SessionFindingJSON `json:"findings"`
	// Disclosures judge, with a case, each contacted host of a known owner
	// against the policy of the case version (kind "network").
	Disclosures []rules.Disclosure `json:"disclosures,omitempty"`
}

// SessionFindingJSON is one candidate finding of the network rules.
type SessionFindingJSON struct {
	Rule          string           `json:"rule"`
	Title         string           `json:"title"`
	TitleZH       string           `json:"title_zh"`
	TitleEN       string           `json:"title_en"`
	Severity      string           `json:"severity"`
	Subject       string           `json:"subject"`
	Articles      []string         `json:"articles"`
	Checklist     []string         `json:"checklist"`
	Detail        string           `json:"detail"`
	ExplanationZH string           `json:"explanation_zh"`
	ExplanationEN string           `json:"explanation_en"`
	Evidence      []rules.Evidence `json:"evidence"`
}

// networkFacts turns a session into the network rules' view.
func networkFacts(s *device.Session) *rules.NetworkFacts {
	f := &rules.NetworkFacts{}
	if s.ConsentAt != nil {
		f.ConsentAt = *s.ConsentAt
	}
	if s.RefusedAt != nil {
		f.RefusedAt = *s.RefusedAt
	}
	for _, c := range s.Contacts {
		nc := rules.NetworkContact{Time: c.Time, Host: c.Host, Port: c.Port, Owner: c.Owner, SDK: c.SDK != "", PlainHTTP: c.PlainHTTP, URL: c.URL}
		if c.SNI != "" && c.SNI != c.Host {
			nc.Host = c.SNI
		}
		for _, h := range c.PI {
			nc.PI = append(nc.PI, rules.NetworkPI{Kind: h.Kind, Category: h.Category, Where: h.Where, Field: h.Field})
		}
		f.Contacts = append(f.Contacts, nc)
	}
	return f
}

// sessionFindings runs the network rules on a session.
func sessionFindings(s *device.Session, lang string, loc *time.Location) []SessionFindingJSON {
	items := map[rules.RuleID][]string{}
	for _, r := range rules.NetworkRules() {
		items[r.ID] = r.Checklist
	}
	out := []SessionFindingJSON{}
	if s == nil {
		return out
	}
	for _, c := range rules.RunNetwork(networkFacts(s), rules.Options{Lang: lang, Location: loc}) {
		title := c.TitleZH
		if lang == "en" {
			title = c.TitleEN
		}
		out = append(out, SessionFindingJSON{Rule: string(c.Rule), Title: title, TitleZH: c.TitleZH, TitleEN: c.TitleEN, Severity: string(c.Severity),
			Subject: c.Subject, Articles: c.Articles, Checklist: items[c.Rule], Detail: c.Explanation, ExplanationZH: c.ExplanationZH,
			ExplanationEN: c.ExplanationEN, Evidence: c.Evidence})
	}
	return out
}

// DeviceSession records a session of the app (see device.ADB.RunSession):
// network contacts through the recording proxy, consent mark, AppOps and
// logcat on one timeline. Hosts are attributed to SDKs through the SDK
// catalog's network signatures, and, with a case, to the app when the
// case's newest version names the host among its endpoints. With a case,
// the session is stored as evidence of that version (JSON, its version id
// and APK hash inside), the logcat as a log file, the AppOps snapshot as the
// case's device evidence, and the consent mark (when on the device clock)
// as the case's consent moment, which re-evaluates the newest version. A
// session interrupted by ctx (Ctrl-C) is stored and returned with the error.
func (s *Service) DeviceSession(ctx context.Context, req SessionRequest) (*SessionResult, error) {
	res := &SessionResult{}
	appHosts := map[string]bool{}
	var facts *rules.Facts // the case version's scan and policy, for the disclosures
	if req.CaseID != 0 {
		c, err := s.db.Case(ctx, req.CaseID)
		if err != nil {
			return nil, err
		}
		if req.Package == "" {
			req.Package = c.App.Package
		} else if c.App.Package != "" && req.Package != c.App.Package {
			return nil, fmt.Errorf("device session: case %s is about %s, not %s: %w", c.Number, c.App.Package, req.Package, cases.ErrInvalid)
		}
		v, err := s.version(ctx, req.CaseID, 0)
		switch {
		case errors.Is(err, cases.ErrNotFound):
		case err != nil:
			return nil, err
		default:
			res.CaseVersion, res.APKSHA256 = v.ID, v.APKSHA256
			var scan inspect.Result
			if err := json.Unmarshal(v.Scan, &scan); err != nil {
				return nil, fmt.Errorf("case %s: stored scan: %w", c.Number, err)
			}
			for _, e := range scan.Endpoints {
				if e.Host != "" && !e.Private {
					appHosts[strings.ToLower(e.Host)] = true
				}
			}
			facts = &rules.Facts{Scan: &scan}
			if p := s.previousPolicy(v); p != nil {
				facts.Policy = s.extract(p)
				if p.doc != nil {
					facts.PolicyText = p.doc.Text
				}
			}
		}
	}
	if req.Package == "" {
		return nil, fmt.Errorf("device session: no package given: %w", cases.ErrInvalid)
	}
	a, err := s.adb("")
	if err != nil {
		return nil, err
	}
	m := s.det.Catalog().Matcher()
	owner := func(h string) (string, bool) {
		if id, ok := m.HostOwner(h); ok {
			return id, true
		}
		h = strings.ToLower(h)
		for x := h; x != ""; {
			if appHosts[x] {
				return "app", false
			}
			i := strings.IndexByte(x, '.')
			if i < 0 || strings.Count(x, ".") < 2 {
				break // stop at the registrable-looking two-label name
			}
			x = x[i+1:]
		}
		return "", false
	}
	sess, runErr := a.RunSession(ctx, device.SessionOptions{Serial: req.Serial, Package: req.Package, Port: req.Port, Dir: s.DataDir(),
		Duration: req.Duration, ConsentAfter: req.ConsentAt, Consent: req.Consent, RefuseAfter: req.RefuseAt, Refuse: req.Refuse, Owner: owner, Ready: req.Ready, DialogPoll: req.DialogPoll})
	if sess == nil {
		return nil, runErr
	}
	res.Session = sess
	res.Findings = sessionFindings(sess, req.Lang, s.Location())
	if facts != nil {
		res.Disclosures = rules.NetworkDisclosures(facts, networkFacts(sess))
	}
	if req.CaseID != 0 && (runErr == nil || errors.Is(runErr, context.Canceled)) {
		// Stored even after Ctrl-C: what was recorded is not lost.
		sctx := context.WithoutCancel(ctx)
		e, err := s.storeSession(sctx, req.CaseID, res)
		if err != nil {
			return res, errors.Join(runErr, err)
		}
		res.Stored = e
		// The AppOps snapshot becomes the case's device evidence, and the
		// consent mark its consent moment (both on the device clock), so the
		// case's device rules judge this session (MarkConsent re-evaluates).
		if sess.Evidence != nil {
			if err := s.storeDeviceEvidence(sctx, req.CaseID, sess.Evidence, res.APKSHA256); err != nil {
				return res, errors.Join(runErr, err)
			}
		}
		if sess.ConsentAt != nil && sess.Clock == device.ClockDevice {
			// MarkConsent re-evaluates the newest version, network rules included.
			if err := s.markConsent(sctx, req.CaseID, *sess.ConsentAt, res.APKSHA256); err != nil {
				return res, errors.Join(runErr, err)
			}
		} else if res.CaseVersion != 0 {
			// The network rules read the stored session: evaluate again.
			if _, err := s.Reevaluate(sctx, req.CaseID, 0); err != nil {
				return res, errors.Join(runErr, err)
			}
		}
	}
	return res, runErr
}

// latestSessions returns, per APK hash, the network facts of the newest
// session stored with the case (evidence "session-v….json") that was
// recorded against a version with that APK. Sessions recorded before the
// case had a version are left out.
func (s *Service) latestSessions(ctx context.Context, caseID int64, evs []cases.Evidence) map[string]*rules.NetworkFacts {
	out := map[string]*rules.NetworkFacts{}
	added := map[string]time.Time{}
	for _, e := range evs {
		if !strings.HasPrefix(e.Name, "session-v") || !strings.HasSuffix(e.Name, ".json") {
			continue
		}
		var rec struct {
			device.Session
			APKSHA256 string `json:"apk_sha256"`
		}
		if s.readJSONEvidence(ctx, caseID, e.SHA256, &rec) != nil || rec.APKSHA256 == "" {
			continue
		}
		if t, ok := added[rec.APKSHA256]; ok && e.Added.Before(t) {
			continue
		}
		added[rec.APKSHA256] = e.Added
		out[rec.APKSHA256] = networkFacts(&rec.Session)
	}
	return out
}

// holdUnchecked moves out of d.Fixed the runtime findings the new version
// was not tested for (d.Unchecked): those of the network rules when its
// build has no recorded session of its own, and those resting on device
// evidence (AppOps accesses, permission grants, self-starts, the consent
// mark) when its evaluation used no device evidence — or, for evidence
// placed against the consent moment, no consent mark — of its own build.
// Not looked at is not fixed.
func (s *Service) holdUnchecked(ctx context.Context, caseID int64, d *cases.Diff) {
	if d == nil || len(d.Fixed) == 0 {
		return
	}
	v, err := s.db.Version(ctx, caseID, d.ToVersion)
	if err != nil {
		return
	}
	evs, err := s.db.Evidence(ctx, caseID)
	if err != nil {
		return
	}
	_, hasSession := s.latestSessions(ctx, caseID, evs)[v.APKSHA256]
	ev, _ := decodeEvaluation(v.Candidates)
	hasDevice, hasConsent := ev.DeviceEvidence != "", ev.ConsentAt != nil
	var keep []cases.Finding
	for _, f := range d.Fixed {
		if untested(f, hasSession, hasDevice, hasConsent) {
			d.Unchecked = append(d.Unchecked, f)
		} else {
			keep = append(keep, f)
		}
	}
	d.Fixed = keep
}

// untested says whether a finding rests on runtime evidence the new version
// was not tested with.
func untested(f cases.Finding, hasSession, hasDevice, hasConsent bool) bool {
	if strings.HasPrefix(f.Rule, "network.") {
		return !hasSession
	}
	for _, k := range f.Evidence {
		switch {
		case strings.HasPrefix(k, "device:consent@"):
			if !hasConsent || !hasDevice {
				return true
			}
		case strings.HasPrefix(k, "device:"):
			if !hasDevice {
				return true
			}
		}
	}
	return false
}

func (s *Service) storeSession(ctx context.Context, caseID int64, res *SessionResult) (*EvidenceJSON, error) {
	actor := s.inspector("")
	stamp := res.Start.Format("20060102-150405")
	if len(res.Logcat) > 0 {
		if _, err := s.db.PutEvidence(ctx, caseID, cases.EvidenceLog, fmt.Sprintf("session-v%d-%s-logcat.txt", res.CaseVersion, stamp), bytes.NewReader(res.Logcat),
			cases.EvidenceMeta{MediaType: "text/plain", Source: res.Device.Serial, DeviceTime: res.Start, Actor: actor}); err != nil {
			return nil, err
		}
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("session-v%d-%s.json", res.CaseVersion, stamp)
	e, err := s.db.PutEvidence(ctx, caseID, cases.EvidenceDeviceDump, name, bytes.NewReader(b),
		cases.EvidenceMeta{MediaType: "application/json", Source: res.Device.Serial, DeviceTime: res.Start, Actor: actor})
	if err != nil {
		return nil, err
	}
	return &EvidenceJSON{SHA256: e.SHA256, Kind: string(e.Kind), Name: e.Name, Size: e.Size, MediaType: e.MediaType, Added: e.Added,
		Source: e.Source, DeviceTime: optTime(e.DeviceTime), Path: s.EvidenceFile(e.SHA256)}, nil
}

// GUIDialogPoll is the interval of the UI dumps looking for the consent
// dialog in sessions recorded from the GUI (the CLI's --ui-poll default).
const GUIDialogPoll = 3 * time.Second

// RecordSession is DeviceSession for the GUI (ui.Backend): the result in
// workspace types, the screen read every GUIDialogPoll for the consent
// dialog. A session stopped by ctx is returned with the error, so what was
// recorded can still be shown.
func (s *Service) RecordSession(ctx context.Context, req workspace.SessionRequest) (*workspace.SessionResult, error) {
	sr := SessionRequest{CaseID: req.CaseID, Serial: req.Serial, Package: req.Package, Duration: req.Duration,
		Consent: req.Consent, Refuse: req.Refuse, Lang: req.Lang, DialogPoll: GUIDialogPoll}
	if req.Ready != nil {
		sr.Ready = func(string) { req.Ready() }
	}
	res, err := s.DeviceSession(ctx, sr)
	if res == nil {
		return nil, err
	}
	out := &workspace.SessionResult{Session: res.Session, Stored: res.Stored != nil, SDKNames: map[string]string{}}
	if res.Session != nil {
		if cat, cerr := sdk.Embedded(); cerr == nil {
			for _, c := range res.Session.Contacts {
				if e, ok := cat.Get(c.SDK); ok && c.SDK != "" {
					if req.Lang == "en" {
						out.SDKNames[c.SDK] = firstNonEmpty(e.NameEN, e.NameZH)
					} else {
						out.SDKNames[c.SDK] = firstNonEmpty(e.NameZH, e.NameEN)
					}
				}
			}
		}
	}
	for _, f := range res.Findings {
		out.Findings = append(out.Findings, workspace.SessionFinding{Rule: f.Rule, Title: f.Title, Detail: f.Detail, Articles: f.Articles})
	}
	return out, err
}
