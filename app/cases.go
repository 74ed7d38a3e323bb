package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/sqlite"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/policy"
)

// Names of the evidence files the service writes for itself.
const (
	deviceEvidenceName = "device-evidence.json"
	consentName        = "consent.json"
)

// ListCases lists cases matching f, newest first.
func (s *Service) ListCases(ctx context.Context, f cases.Filter) ([]cases.Case, error) {
	return s.db.ListCases(ctx, f)
}

// Case returns a case by id.
func (s *Service) Case(ctx context.Context, id int64) (*cases.Case, error) { return s.db.Case(ctx, id) }

// ResolveCase turns "12" (an id) or "〔2026〕第0001号" (a case number) into
// a case id; the error names arg.
func (s *Service) ResolveCase(ctx context.Context, arg string) (int64, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		if _, err := s.db.Case(ctx, id); err != nil {
			return 0, fmt.Errorf("case %s: %w", arg, err)
		}
		return id, nil
	}
	c, err := s.db.CaseByNumber(ctx, arg)
	if err != nil {
		return 0, fmt.Errorf("case %s: %w", arg, err)
	}
	return c.ID, nil
}

// Subjects lists the organisations known to the store.
func (s *Service) Subjects(ctx context.Context) ([]cases.Subject, error) { return s.db.Subjects(ctx) }

// subjectFor finds the subject by credit code, then by kind and name, or
// creates it.
func (s *Service) subjectFor(ctx context.Context, want cases.Subject, actor string) (cases.Subject, error) {
	if want.ID != 0 {
		return s.db.Subject(ctx, want.ID)
	}
	if want.Kind == "" {
		want.Kind = cases.AppOperator
	}
	if strings.TrimSpace(want.Name) == "" {
		return cases.Subject{}, fmt.Errorf("subject: a name is needed: %w", cases.ErrInvalid)
	}
	all, err := s.db.Subjects(ctx)
	if err != nil {
		return cases.Subject{}, err
	}
	for _, x := range all {
		if want.CreditCode != "" && x.CreditCode == want.CreditCode && x.Kind == want.Kind {
			return x, nil
		}
		if want.CreditCode == "" && x.Name == want.Name && x.Kind == want.Kind {
			return x, nil
		}
	}
	return s.db.CreateSubject(ctx, want, actor)
}

// NewCase scans the APK, reads the policy, runs the rules and stores a new
// case with its first version. Nothing is written when the APK cannot be
// scanned or the policy file cannot be read.
func (s *Service) NewCase(ctx context.Context, req workspace.NewCaseRequest, progress func(inspect.Progress)) (*cases.Case, error) {
	actor := s.inspector(req.Inspector)
	an, err := s.analyse(ctx, req.APK, req.Policy, req.PolicyText, req.AppType, deviceBasis{}, progress)
	if err != nil {
		return nil, err
	}
	subj := req.Subject
	if subj.Name == "" && subj.ID == 0 {
		subj.Name = firstNonEmpty(an.scan.LabelZH, an.scan.Label, an.scan.Package)
		subj.Kind = cases.AppOperator
	}
	sub, err := s.subjectFor(ctx, subj, actor)
	if err != nil {
		return nil, err
	}
	src := req.Source
	if src == "" {
		src = cases.SourceRoutine
	}
	appType := ""
	if t := s.appType(req.AppType); t != nil {
		appType = fmt.Sprint(t.Number)
	} else if req.AppType != "" {
		return nil, fmt.Errorf("app type %q is not in the 39-type table (see appinspect articles): %w", req.AppType, cases.ErrInvalid)
	}
	// Only a named inspector (given, or from the settings) is recorded on
	// the case; the OS user name that stands in for the audit actor is not
	// a 检测人员 to print on a notice.
	var named []string
	if n := strings.TrimSpace(firstNonEmpty(req.Inspector, s.Settings().Inspector)); n != "" {
		named = []string{n}
	}
	c, err := s.db.CreateCase(ctx, cases.NewCase{
		Source: src, SubjectID: sub.ID, Inspectors: named,
		App:   cases.App{Package: an.scan.Package, Name: firstNonEmpty(an.scan.LabelZH, an.scan.Label), TypeID: appType},
		Notes: req.Notes, RectificationDays: s.Settings().RectificationDays, Actor: actor,
	})
	if err != nil {
		return nil, err
	}
	if _, err := s.storeVersion(ctx, c.ID, an, actor); err != nil {
		return c, fmt.Errorf("case %s created, but its first version was not stored: %w", c.Number, err)
	}
	return s.db.Case(ctx, c.ID)
}

// analyse scans the APK, reads and extracts the policy and runs the rules.
// It writes nothing.
func (s *Service) analyse(ctx context.Context, apkPath, policyPath, policyText, appType string, dev deviceBasis, progress func(inspect.Progress)) (*analysis, error) {
	if apkPath == "" {
		return nil, fmt.Errorf("an APK file is needed: %w", cases.ErrInvalid)
	}
	r, err := inspect.Scan(ctx, apkPath, inspect.Options{Progress: progress, Detector: s.det})
	if err != nil {
		return nil, err
	}
	return s.analyseScan(ctx, r, policyPath, policyText, appType, dev)
}

func (s *Service) analyseScan(ctx context.Context, r *inspect.Result, policyPath, policyText, appType string, dev deviceBasis) (*analysis, error) {
	p, err := readPolicy(policyPath, policyText, r)
	if err != nil {
		return nil, err
	}
	an := &analysis{scan: r, policy: p, extraction: s.extract(p)}
	an.eval = s.evaluate(r, an.extraction, p, s.appType(appType), dev)
	return an, ctx.Err()
}

// evaluate runs the rules and the disclosure judgement over the facts of
// one version, recording the rules version and the device facts used.
func (s *Service) evaluate(r *inspect.Result, ex *policy.Extraction, p *loadedPolicy, t *law.AppType, dev deviceBasis) storedEvaluation {
	apk := r.SHA256
	consent := dev.dev.consent[apk]
	f := &rules.Facts{Scan: r, Policy: ex, AppType: t, Device: deviceFacts(dev.dev.ev[apk], consent), Network: dev.net[apk]}
	if p != nil && p.doc != nil {
		f.PolicyText = p.doc.Text
	}
	out := storedEvaluation{Evaluation: rules.Evaluate(f, rules.Options{Lang: "zh", Location: s.Location()}), DeviceEvidence: dev.dev.sha[apk]}
	if !consent.IsZero() {
		out.ConsentAt = &consent
	}
	return out
}

// deviceBasis is the device evidence and consent moment an evaluation uses:
// those recorded against a version of the evaluated build (by APK hash).
type deviceBasis struct {
	dev deviceRecords
	// net holds, per APK hash, the newest device session recorded against
	// a version with that APK (device session --case): a version is judged
	// only on sessions of its own build.
	net map[string]*rules.NetworkFacts
}

// storeVersion stores the APK and policy originals as evidence and adds the
// version with its scan, policy and candidates.
func (s *Service) storeVersion(ctx context.Context, caseID int64, an *analysis, actor string) (cases.Version, error) {
	apkEv, err := s.putFile(ctx, caseID, cases.EvidenceAPK, an.scan.File, actor, "file")
	if err != nil {
		return cases.Version{}, err
	}
	sp := storedPolicy{}
	var policyText string
	if an.policy != nil {
		kind, sha := an.policy.doc.Original.Source.Kind, an.policy.sha256
		if an.policy.kind != "" {
			kind = an.policy.kind
		}
		if sha == "" { // a policy read now; a stored one is already evidence
			ev, err := s.db.PutEvidence(ctx, caseID, cases.EvidencePolicy, an.policy.name, bytes.NewReader(an.policy.original),
				cases.EvidenceMeta{MediaType: mediaType(an.policy.name), Source: kind, Actor: actor})
			if err != nil {
				return cases.Version{}, err
			}
			sha = ev.SHA256
		}
		sp = storedPolicy{Name: an.policy.name, Kind: kind, SHA256: sha, Text: an.policy.doc.Text, Extraction: an.extraction}
		policyText = an.policy.doc.Text
	}
	scanJSON, err := json.Marshal(an.scan)
	if err != nil {
		return cases.Version{}, err
	}
	var polJSON json.RawMessage
	if an.policy != nil {
		if polJSON, err = json.Marshal(sp); err != nil {
			return cases.Version{}, err
		}
	}
	candJSON, err := json.Marshal(an.eval)
	if err != nil {
		return cases.Version{}, err
	}
	return s.db.AddVersion(ctx, caseID, cases.VersionInput{
		VersionName: an.scan.VersionName, VersionCode: an.scan.VersionCode, APKSHA256: apkEv.SHA256,
		Scan: scanJSON, Policy: polJSON, Candidates: candJSON, PolicyText: policyText, Actor: actor,
	})
}

// putFile stores a file from disk as evidence.
// The file must be a regular file (not /dev/zero, a FIFO or a directory) of
// at most sqlite.MaxEvidenceSize bytes; it is streamed into the store.
func (s *Service) putFile(ctx context.Context, caseID int64, kind cases.EvidenceKind, path, actor, source string) (cases.Evidence, error) {
	f, err := openRegular(path)
	if err != nil {
		return cases.Evidence{}, fmt.Errorf("attach: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > sqlite.MaxEvidenceSize {
		return cases.Evidence{}, fmt.Errorf("attach %s: %d bytes: %w", path, fi.Size(), sqlite.ErrTooLarge)
	}
	return s.db.PutEvidence(ctx, caseID, kind, filepath.Base(path), f, cases.EvidenceMeta{MediaType: mediaType(path), Source: source, Actor: actor})
}

func mediaType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".apk", ".apks", ".xapk":
		return "application/vnd.android.package-archive"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".pdf":
		return "application/pdf"
	case ".html", ".htm":
		return "text/html"
	case ".json":
		return "application/json"
	case ".xml":
		return "application/xml"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".mp4":
		return "video/mp4"
	}
	return "text/plain"
}

// Reinspect adds a new APK version to a case and returns the difference with
// the previous version.
func (s *Service) Reinspect(ctx context.Context, req workspace.ReinspectRequest, progress func(inspect.Progress)) (*workspace.Reinspection, error) {
	c, err := s.db.Case(ctx, req.CaseID)
	if err != nil {
		return nil, err
	}
	prev, err := s.db.Versions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	// The same APK again is no new version: refuse it before scanning.
	sum, _, err := fileSHA256(req.APK)
	if err != nil {
		return nil, fmt.Errorf("reinspect: %w", err)
	}
	for _, v := range prev {
		if v.APKSHA256 == sum {
			return nil, &workspace.SameAPKError{APK: req.APK, SHA256: sum, Version: v}
		}
	}
	dev, _ := s.deviceBasis(ctx, c.ID)
	an, err := s.analyse(ctx, req.APK, req.Policy, req.PolicyText, c.App.TypeID, dev, progress)
	if err != nil {
		return nil, err
	}
	if an.scan.Package != c.App.Package && c.App.Package != "" {
		return nil, fmt.Errorf("%s is %s, but case %s is about %s: %w", req.APK, an.scan.Package, c.Number, c.App.Package, cases.ErrInvalid)
	}
	if an.policy == nil && len(prev) > 0 && req.Policy == "" && req.PolicyText == "" {
		// Keep the previous version's policy when the new APK bundles none.
		if p := s.previousPolicy(prev[len(prev)-1]); p != nil {
			an.policy = p
			an.extraction = s.extract(p)
			an.eval = s.evaluate(an.scan, an.extraction, p, s.appType(c.App.TypeID), dev)
		}
	}
	v, err := s.storeVersion(ctx, c.ID, an, s.inspector(req.Inspector))
	if err != nil {
		return nil, err
	}
	out := &workspace.Reinspection{Version: v}
	if len(prev) > 0 {
		d, err := s.db.DiffVersions(ctx, c.ID, prev[len(prev)-1].ID, v.ID)
		if err != nil {
			return nil, err
		}
		s.holdUnchecked(ctx, c.ID, d)
		out.Diff = *d
	}
	return out, nil
}

// previousPolicy rebuilds a loaded policy from a stored version.
func (s *Service) previousPolicy(v cases.Version) *loadedPolicy {
	var sp storedPolicy
	if len(v.Policy) == 0 || json.Unmarshal(v.Policy, &sp) != nil || sp.Text == "" {
		return nil
	}
	p, err := readPolicy("", sp.Text, nil)
	if err != nil || p == nil {
		return nil
	}
	p.name, p.kind, p.sha256 = sp.Name, sp.Kind, sp.SHA256
	return p
}

// DiffVersions compares two versions of a case.
func (s *Service) DiffVersions(ctx context.Context, caseID, from, to int64) (*cases.Diff, error) {
	d, err := s.db.DiffVersions(ctx, caseID, from, to)
	if err != nil {
		return nil, err
	}
	s.holdUnchecked(ctx, caseID, d)
	return d, nil
}

// SetPolicy replaces the policy of a case from a file or pasted text: the
// version's APK is analysed again with the new policy and stored as a new
// version (versions are immutable records), so the previous analysis stays
// on file. Inspectors' verdicts are carried forward for review.
func (s *Service) SetPolicy(ctx context.Context, caseID, versionID int64, path, text string) error {
	if path == "" && strings.TrimSpace(text) == "" {
		return fmt.Errorf("policy: give a file or paste the text: %w", cases.ErrInvalid)
	}
	c, err := s.db.Case(ctx, caseID)
	if err != nil {
		return err
	}
	v, err := s.version(ctx, caseID, versionID)
	if err != nil {
		return err
	}
	var scan inspect.Result
	if err := json.Unmarshal(v.Scan, &scan); err != nil {
		return fmt.Errorf("case %s: stored scan: %w", c.Number, err)
	}
	dev, _ := s.deviceBasis(ctx, caseID)
	an, err := s.analyseScan(ctx, &scan, path, text, c.App.TypeID, dev)
	if err != nil {
		return err
	}
	// The APK is already evidence of the case; point the scan at its stored copy.
	an.scan.File = s.db.EvidencePath(v.APKSHA256)
	_, err = s.storeVersion(ctx, caseID, an, s.inspector(""))
	return err
}

// version returns the version with the id, or the newest when id is 0.
func (s *Service) version(ctx context.Context, caseID, id int64) (cases.Version, error) {
	if id != 0 {
		return s.db.Version(ctx, caseID, id)
	}
	vs, err := s.db.Versions(ctx, caseID)
	if err != nil {
		return cases.Version{}, err
	}
	if len(vs) == 0 {
		return cases.Version{}, fmt.Errorf("case %d has no APK version yet: %w", caseID, cases.ErrNotFound)
	}
	return vs[len(vs)-1], nil
}

// OpenCase loads a case for the workspace; versionID 0 selects the newest
// version. The candidates and disclosures are those stored with the
// version (what the version diff and the documents read too); Outdated says
// when newer rules, device evidence or a consent moment would change them,
// and Reevaluate stores a fresh evaluation.
func (s *Service) OpenCase(ctx context.Context, caseID, versionID int64) (*workspace.Case, error) {
	c, err := s.db.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	w := &workspace.Case{Case: *c, Deadline: c.Deadline, Overdue: c.IsOverdue(s.now())}
	if w.Versions, err = s.db.Versions(ctx, caseID); err != nil {
		return nil, err
	}
	if w.Marks, err = s.db.Marks(ctx, caseID); err != nil {
		return nil, err
	}
	if w.Events, err = s.db.Events(ctx, caseID); err != nil {
		return nil, err
	}
	if w.Evidence, err = s.db.Evidence(ctx, caseID); err != nil {
		return nil, err
	}
	recs := s.latestDevice(ctx, caseID, w.Evidence)
	if len(w.Versions) == 0 {
		w.Device, w.ConsentAt = recs.ev[""], recs.consent[""]
		return w, nil
	}
	v := w.Versions[len(w.Versions)-1]
	if versionID != 0 {
		i := slices.IndexFunc(w.Versions, func(x cases.Version) bool { return x.ID == versionID })
		if i < 0 {
			return nil, fmt.Errorf("case %s has no version %d: %w", c.Number, versionID, cases.ErrNotFound)
		}
		v = w.Versions[i]
	}
	w.Version = &v
	// The device evidence and consent moment shown are those of this build.
	w.Device, w.ConsentAt = recs.ev[v.APKSHA256], recs.consent[v.APKSHA256]
	devSHA := recs.sha[v.APKSHA256]
	w.Scan = &inspect.Result{}
	if err := json.Unmarshal(v.Scan, w.Scan); err != nil {
		return nil, fmt.Errorf("case %s: stored scan: %w", c.Number, err)
	}
	var sp storedPolicy
	if len(v.Policy) > 0 {
		if err := json.Unmarshal(v.Policy, &sp); err != nil {
			return nil, fmt.Errorf("case %s: stored policy: %w", c.Number, err)
		}
		w.Policy, w.PolicyText, w.PolicyName = sp.Extraction, sp.Text, sp.Name
	}
	ev, err := decodeEvaluation(v.Candidates)
	if err != nil {
		return nil, fmt.Errorf("case %s: version %d: %w", c.Number, v.ID, err)
	}
	w.Candidates, w.Disclosures, w.RulesVersion = ev.Candidates, ev.Disclosures, ev.RulesVersion
	if w.Candidates == nil {
		w.Candidates = []rules.Candidate{}
	}
	w.Outdated = outdated(ev, devSHA, w.ConsentAt)
	readableCandidates(w.Scan, ev.RulesVersion, s.Location(), w.Candidates)
	return w, nil
}

// outdated says why a stored evaluation may differ from one made now.
func outdated(ev storedEvaluation, devSHA string, consent time.Time) []string {
	var out []string
	if ev.RulesVersion != rules.Version {
		out = append(out, "rules")
	}
	if devSHA != ev.DeviceEvidence {
		out = append(out, "device")
	}
	var used time.Time
	if ev.ConsentAt != nil {
		used = *ev.ConsentAt
	}
	if !used.Equal(consent) {
		out = append(out, "consent")
	}
	return out
}

// Reevaluate runs the current rules over the newest stored version
// (versionID 0, or its id; an older version is refused, since its
// re-evaluation would become the case's newest version): the same APK scan, the stored policy text read again by the
// current policy reader, the case's newest device evidence and consent
// moment and its app type. The result is stored as a new version (versions
// are immutable records, so the earlier evaluation stays on file) that
// records rules.Version; the inspector's marks are carried forward for
// review and the difference with the evaluated version is returned.
func (s *Service) Reevaluate(ctx context.Context, caseID, versionID int64) (*workspace.Reinspection, error) {
	c, v, scan, err := s.newestScan(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if versionID != 0 && versionID != v.ID {
		// a new version of an older build would become the case's newest
		return nil, fmt.Errorf("case %s: version %d is not the newest (%d): older versions keep the evaluation on file; re-evaluate the newest: %w", c.Number, versionID, v.ID, cases.ErrInvalid)
	}
	return s.reevaluateScan(ctx, c, v, scan)
}

// newestScan returns the case, its newest version and that version's
// stored scan.
func (s *Service) newestScan(ctx context.Context, caseID int64) (*cases.Case, cases.Version, *inspect.Result, error) {
	c, err := s.db.Case(ctx, caseID)
	if err != nil {
		return nil, cases.Version{}, nil, err
	}
	v, err := s.version(ctx, caseID, 0)
	if err != nil {
		return nil, cases.Version{}, nil, err
	}
	var scan inspect.Result
	if err := json.Unmarshal(v.Scan, &scan); err != nil {
		return nil, cases.Version{}, nil, fmt.Errorf("case %s: stored scan: %w", c.Number, err)
	}
	return c, v, &scan, nil
}

// reevaluateScan runs the current rules over scan (the stored scan of the
// newest version v, as stored or with the inspector's confirmations) and
// stores the result as a new version.
func (s *Service) reevaluateScan(ctx context.Context, c *cases.Case, v cases.Version, scan *inspect.Result) (*workspace.Reinspection, error) {
	caseID := c.ID
	scan.File = s.db.EvidencePath(v.APKSHA256)
	dev, err := s.deviceBasis(ctx, caseID)
	if err != nil {
		return nil, err
	}
	an := &analysis{scan: scan, policy: s.previousPolicy(v)}
	an.extraction = s.extract(an.policy)
	an.eval = s.evaluate(an.scan, an.extraction, an.policy, s.appType(c.App.TypeID), dev)
	nv, err := s.storeVersion(ctx, caseID, an, s.inspector(""))
	if err != nil {
		return nil, fmt.Errorf("case %s: re-evaluate version %d: %w", c.Number, v.ID, err)
	}
	d, err := s.db.DiffVersions(ctx, caseID, v.ID, nv.ID)
	if err != nil {
		return nil, err
	}
	s.holdUnchecked(ctx, caseID, d)
	return &workspace.Reinspection{Version: nv, Diff: *d}, nil
}

// SetMark records an inspector's verdict on an article or item, citing the
// article's text as it stands now.
func (s *Service) SetMark(ctx context.Context, caseID int64, in cases.MarkInput) (cases.Mark, error) {
	cit, err := s.law.Cite(in.ItemID)
	if err != nil {
		return cases.Mark{}, err
	}
	if in.Citation, err = json.Marshal(cit); err != nil {
		return cases.Mark{}, err
	}
	in.Inspector = s.inspector(in.Inspector)
	if in.VersionID == 0 {
		if v, err := s.version(ctx, caseID, 0); err == nil {
			in.VersionID = v.ID
		}
	}
	if in.Verdict == cases.VerdictViolation && (in.Severity == "" || in.Rectification == "") {
		s.markDefaults(ctx, caseID, &in)
	}
	if in.Statement != nil && strings.TrimSpace(*in.Statement) == "" {
		in.Statement = nil // an empty field keeps the stored statement
	}
	if in.Verdict == cases.VerdictViolation && in.Statement == nil {
		s.draftIfEmpty(ctx, caseID, &in)
	}
	return s.db.SetMark(ctx, caseID, in)
}

// draftIfEmpty gives a violation without a stored statement the statement
// drafted from the rules and evidence (Chinese, the notice's language of
// record); the inspector edits it afterwards. A stored statement is kept.
func (s *Service) draftIfEmpty(ctx context.Context, caseID int64, in *cases.MarkInput) {
	ms, err := s.db.Marks(ctx, caseID)
	if err != nil {
		return
	}
	for _, m := range ms {
		if m.ItemID == in.ItemID && m.VersionID == in.VersionID && m.Statement != "" {
			return
		}
	}
	if d, err := s.DraftStatement(ctx, caseID, in.VersionID, in.ItemID, "zh"); err == nil && d != "" {
		in.Statement = &d
	}
}

// SetMarkStatement replaces the plain-language statement of a mark (the
// inspector's edit of the draft); the other fields are kept.
func (s *Service) SetMarkStatement(ctx context.Context, caseID, versionID int64, itemID, text string) (cases.Mark, error) {
	ms, err := s.db.Marks(ctx, caseID)
	if err != nil {
		return cases.Mark{}, err
	}
	if versionID == 0 {
		if v, err := s.version(ctx, caseID, 0); err == nil {
			versionID = v.ID
		}
	}
	for _, m := range ms {
		if m.ItemID != itemID || m.VersionID != versionID {
			continue
		}
		in := cases.MarkInput{VersionID: m.VersionID, ItemID: m.ItemID, Verdict: m.Verdict, Severity: m.Severity, Note: m.Note,
			Evidence: m.Evidence, Citation: m.Citation, Rectification: m.Rectification, Statement: &text, Inspector: s.inspector("")}
		return s.db.SetMark(ctx, caseID, in)
	}
	return cases.Mark{}, fmt.Errorf("mark %s of case %d: %w", itemID, caseID, cases.ErrNotFound)
}

// markDefaults fills a violation's severity and required rectification from
// the candidates that cite the article: the highest severity among them
// (medium when none), and their rules' default rectification texts.
func (s *Service) markDefaults(ctx context.Context, caseID int64, in *cases.MarkInput) {
	var sev cases.Severity
	var texts []string
	if w, err := s.OpenCase(ctx, caseID, in.VersionID); err == nil {
		for _, c := range w.Candidates {
			if !slices.Contains(c.Articles, in.ItemID) {
				continue
			}
			if severityRank(c.Severity) > severityRank(sev) {
				sev = c.Severity
			}
			if t := c.RectificationZH; t != "" && !slices.Contains(texts, t) {
				texts = append(texts, t)
			}
		}
	}
	if in.Severity == "" {
		in.Severity = sev
		if in.Severity == "" || in.Severity == cases.SeverityInfo {
			in.Severity = cases.SeverityMedium
		}
	}
	if in.Rectification == "" {
		in.Rectification = strings.Join(texts, "\n")
	}
}

func severityRank(s cases.Severity) int {
	switch s {
	case cases.SeverityHigh:
		return 4
	case cases.SeverityMedium:
		return 3
	case cases.SeverityLow:
		return 2
	case cases.SeverityInfo:
		return 1
	}
	return 0
}

// Transition moves a case along the disposal workflow, dated now.
func (s *Service) Transition(ctx context.Context, caseID int64, to cases.Status, note string) (cases.Event, error) {
	return s.db.Transition(ctx, caseID, to, s.inspector(""), note, s.now())
}

// UpdateCase changes a case's editable fields.
func (s *Service) UpdateCase(ctx context.Context, caseID int64, u cases.CaseUpdate) (*cases.Case, error) {
	return s.db.UpdateCase(ctx, caseID, u, s.inspector(""))
}

// AttachFile stores a file as evidence of the case.
func (s *Service) AttachFile(ctx context.Context, caseID int64, kind cases.EvidenceKind, path string) (cases.Evidence, error) {
	if kind == "" {
		kind = cases.EvidenceOther
	}
	return s.putFile(ctx, caseID, kind, path, s.inspector(""), "file")
}

// EvidenceFile returns the local path of an evidence file by its hash.
func (s *Service) EvidenceFile(sha256 string) string { return s.db.EvidencePath(sha256) }

// ImportBundle imports a case bundle and returns the new case's id. The
// bundle must be signed by this workstation's key or a trusted one; a bundle
// signed by an unknown key fails with a *cases.SignerError (errors.Is
// cases.ErrUntrustedSigner) carrying the fingerprint to show the user, who may
// then confirm it with ImportBundleTrusting. Errors also: cases.ErrUnsigned,
// cases.ErrBundleCorrupt (edited content or a bad signature), cases.ErrExists.
func (s *Service) ImportBundle(ctx context.Context, path string) (int64, error) {
	return s.importBundle(ctx, path, sqlite.ImportOptions{})
}

// ExportBundle writes a case bundle to path (through a temp file, so a
// failure leaves no partial bundle), signed with this workstation's key.
func (s *Service) ExportBundle(ctx context.Context, caseID int64, path string) error {
	return writeVia(path, func(w io.Writer) error { return s.db.ExportBundle(ctx, caseID, s.inspector(""), w) })
}

// writeVia writes a file through a temp file in the same directory and
// renames it into place only when fn succeeded.
func writeVia(path string, fn func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".appinspect-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file private (0600); documents are for handing on.
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// storedDevice is device-evidence.json: the evidence and the hash of the
// APK of the case version it was recorded against ("" in files stored
// before evidence was tied to its version).
type storedDevice struct {
	device.Evidence
	APKSHA256 string `json:"apk_sha256,omitempty"`
}

// currentAPK is the APK hash of the case's newest version ("" without one).
func (s *Service) currentAPK(ctx context.Context, caseID int64) string {
	v, err := s.version(ctx, caseID, 0)
	if err != nil {
		return ""
	}
	return v.APKSHA256
}

// recordedFor attributes a device record (device evidence or consent mark)
// to the build it was recorded against: the APK hash stored with it or, for
// a record stored before that, the APK of the case's newest version when it
// was added ("" when the case had no version then).
func recordedFor(vs []cases.Version, stored string, added time.Time) string {
	if stored != "" {
		return stored
	}
	apk := ""
	for _, v := range vs {
		if !v.Created.After(added) {
			apk = v.APKSHA256
		}
	}
	return apk
}

// deviceRecords is the newest device evidence and consent moment of each
// build of a case (by APK hash).
type deviceRecords struct {
	ev      map[string]*device.Evidence
	sha     map[string]string // of the device evidence file
	consent map[string]time.Time
}

// latestDevice reads, per APK hash, the newest stored device evidence (with
// the hash of its file) and the newest consent moment recorded against a
// version of that build. Evidence of one build never stands for another:
// a re-inspected build is judged on its own device records only.
func (s *Service) latestDevice(ctx context.Context, caseID int64, evs []cases.Evidence) deviceRecords {
	out := deviceRecords{ev: map[string]*device.Evidence{}, sha: map[string]string{}, consent: map[string]time.Time{}}
	vs, _ := s.db.Versions(ctx, caseID)
	devAdded, consAdded := map[string]time.Time{}, map[string]time.Time{}
	for _, e := range evs {
		switch e.Name {
		case deviceEvidenceName:
			var d storedDevice
			if s.readJSONEvidence(ctx, caseID, e.SHA256, &d) != nil {
				continue
			}
			apk := recordedFor(vs, d.APKSHA256, e.Added)
			if t, ok := devAdded[apk]; ok && e.Added.Before(t) {
				continue
			}
			devAdded[apk] = e.Added
			out.ev[apk], out.sha[apk] = &d.Evidence, e.SHA256
		case consentName:
			var c consentRecord
			if s.readJSONEvidence(ctx, caseID, e.SHA256, &c) != nil {
				continue
			}
			apk := recordedFor(vs, c.APKSHA256, e.Added)
			if t, ok := consAdded[apk]; ok && e.Added.Before(t) {
				continue
			}
			consAdded[apk] = e.Added
			out.consent[apk] = c.At
		}
	}
	return out
}

// consentRecord is the consent moment marked by an inspector.
type consentRecord struct {
	At        time.Time `json:"at"` // device clock
	Inspector string    `json:"inspector"`
	Marked    time.Time `json:"marked"` // host clock
	// APKSHA256 is the APK of the case version the mark was made for.
	APKSHA256 string `json:"apk_sha256,omitempty"`
}

func (s *Service) readJSONEvidence(ctx context.Context, caseID int64, sha string, v any) error {
	rc, err := s.db.OpenEvidence(ctx, caseID, sha)
	if err != nil {
		return err
	}
	defer rc.Close()
	return json.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(v)
}

// deviceBasis loads, per build, the newest device evidence, consent moment
// and device session of a case for the rules.
func (s *Service) deviceBasis(ctx context.Context, caseID int64) (deviceBasis, error) {
	evs, err := s.db.Evidence(ctx, caseID)
	if err != nil {
		return deviceBasis{}, err
	}
	return deviceBasis{dev: s.latestDevice(ctx, caseID, evs), net: s.latestSessions(ctx, caseID, evs)}, nil
}

// deviceFacts turns device evidence into the rules' view.
func deviceFacts(d *device.Evidence, consent time.Time) *rules.DeviceFacts {
	if d == nil {
		return nil
	}
	f := &rules.DeviceFacts{Serial: d.Device.Serial, Model: d.Device.Model, AndroidVersion: d.Device.AndroidVersion, ConsentAt: consent}
	for _, e := range d.Timeline {
		switch e.Kind {
		case device.KindOpAccess, device.KindOpReject:
			f.Ops = append(f.Ops, rules.DeviceOp{Op: e.Op, Category: rules.OpCategory(e.Op), Time: e.Time,
				Rejected: e.Kind == device.KindOpReject, Foreground: e.Foreground})
		}
	}
	for _, ss := range d.SelfStart {
		f.SelfStarts = append(f.SelfStarts, rules.SelfStart{Time: ss.Time, Reason: ss.Kind + ": " + ss.Detail})
	}
	return f
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
