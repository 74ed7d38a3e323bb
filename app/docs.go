package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/sdk"
	"github.com/appinspect/appinspect/reports"
)

// ExportNotice writes the rectification notice PDF of a case: one section
// per mark with verdict "violation" on the selected (newest) version.
func (s *Service) ExportNotice(ctx context.Context, caseID int64, opt workspace.DocumentOptions) error {
	in, err := s.NoticeInput(ctx, caseID, opt)
	if err != nil {
		return err
	}
	if len(in.Violations) == 0 {
		return fmt.Errorf("case %s has no mark with verdict violation: mark the violated articles first: %w", in.Case.Number, cases.ErrInvalid)
	}
	if err := writeVia(opt.Path, func(w io.Writer) error { return reports.Notice(w, in) }); err != nil {
		return err
	}
	return s.signDocument(ctx, opt.Path, caseID, "notice")
}

// ExportReport writes the full inspection report PDF.
func (s *Service) ExportReport(ctx context.Context, caseID int64, opt workspace.DocumentOptions) error {
	in, err := s.ReportInput(ctx, caseID, opt.Lang)
	if err != nil {
		return err
	}
	if err := writeVia(opt.Path, func(w io.Writer) error { return reports.Report(w, in) }); err != nil {
		return err
	}
	return s.signDocument(ctx, opt.Path, caseID, "report")
}

// ExportXLSX writes findings and marks as a spreadsheet.
func (s *Service) ExportXLSX(ctx context.Context, caseID int64, path string) error {
	in, err := s.ReportInput(ctx, caseID, "zh")
	if err != nil {
		return err
	}
	if err := writeVia(path, func(w io.Writer) error { return reports.XLSX(w, in) }); err != nil {
		return err
	}
	return s.signDocument(ctx, path, caseID, "xlsx")
}

func docLang(l string) string {
	if l == "en" {
		return "en"
	}
	return "zh"
}

// authority reads the issuer from the settings, with the seal image.
func (s *Service) authority() (reports.Authority, error) {
	a := s.Settings().Authority
	out := reports.Authority{Name: a.Name, Address: a.Address, Contact: a.Contact, Phone: a.Phone, Kind: a.Kind}
	if a.Seal != "" {
		b, err := os.ReadFile(a.Seal)
		if err != nil {
			return out, fmt.Errorf("settings: seal image: %w", err)
		}
		out.Seal = b
	}
	return out, nil
}

// appIdentity describes the inspected build.
func appIdentity(w *workspace.Case) reports.AppIdentity {
	id := reports.AppIdentity{Name: w.Case.App.Name, Package: w.Case.App.Package, Source: reports.SourceFile}
	if w.Version != nil {
		id.VersionName, id.VersionCode, id.TestDate = w.Version.VersionName, w.Version.VersionCode, w.Version.Created
	}
	if r := w.Scan; r != nil {
		id.SHA256 = r.SHA256
		if r.Signature != nil && len(r.Signature.Certificates) > 0 {
			id.CertSHA256 = r.Signature.Certificates[0].SHA256
		}
		if id.Name == "" {
			id.Name = firstNonEmpty(r.LabelZH, r.Label)
		}
	}
	if d := w.Device; d != nil {
		id.Device = &reports.DeviceEnv{Model: d.Device.Model, Brand: d.Device.Brand, AndroidVersion: d.Device.AndroidVersion, Serial: d.Device.Serial}
		if strings.Contains(w.Case.Notes, "pulled from") {
			id.Source = reports.SourceDevice
		}
	}
	return id
}

// marksOf returns the marks of the selected version (and case-level marks),
// sorted by item.
func marksOf(w *workspace.Case) []cases.Mark {
	var out []cases.Mark
	for _, m := range w.Marks {
		if w.Version == nil || m.VersionID == 0 || m.VersionID == w.Version.ID {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b cases.Mark) int { return strings.Compare(a.ItemID, b.ItemID) })
	return out
}

// citing returns the candidates that cite an article.
func citing(w *workspace.Case, item string) []rules.Candidate {
	var out []rules.Candidate
	for _, c := range w.Candidates {
		if slices.Contains(c.Articles, item) {
			out = append(out, c)
		}
	}
	return out
}

// sdkName names an SDK id with its vendor, from the scan.
func sdkName(r *inspect.Result, id, lang string) string {
	if r != nil {
		for _, x := range r.SDKs {
			if x.ID == id {
				name, vendor := x.Name, x.Vendor
				if lang == "zh" {
					name, vendor = firstNonEmpty(x.NameZH, x.Name), firstNonEmpty(x.VendorZH, x.Vendor)
				}
				if vendor != "" {
					return name + "（" + vendor + "）"
				}
				return name
			}
		}
	}
	return id
}

// behaviour describes what was observed for an article: the candidates'
// explanations and, with device evidence, the consent state.
func behaviour(w *workspace.Case, cands []rules.Candidate, lang string, loc *time.Location) (text, subject string, rules []string) {
	var parts []string
	for _, c := range cands {
		e := c.ExplanationZH
		if lang == "en" {
			e = c.ExplanationEN
		}
		if e != "" && !slices.Contains(parts, e) {
			parts = append(parts, e)
		}
		rules = append(rules, string(c.Rule))
	}
	// The responsible parties come from the finding's own evidence owners.
	subject = responsible(w, cands, lang)
	text = strings.Join(parts, "\n")
	if w.Device != nil {
		zone := " (" + ZoneName(loc, lang) + ")"
		t := w.Device.DeviceTime.In(loc).Format("2006-01-02 15:04:05") + zone
		switch {
		case w.ConsentAt.IsZero() && lang == "en":
			text += fmt.Sprintf("\nDevice evidence collected %s; the consent moment was not marked.", t)
		case w.ConsentAt.IsZero():
			text += fmt.Sprintf("\n设备取证时间 %s；未标记用户同意时刻。", t)
		case lang == "en":
			text += fmt.Sprintf("\nDevice evidence collected %s; user consent marked at %s.", t, w.ConsentAt.In(loc).Format("2006-01-02 15:04:05")+zone)
		default:
			text += fmt.Sprintf("\n设备取证时间 %s；用户同意时刻 %s。", t, w.ConsentAt.In(loc).Format("2006-01-02 15:04:05")+zone)
		}
	}
	slices.Sort(rules)
	return text, subject, slices.Compact(rules)
}

// evidenceItems lists the raw evidence behind the candidates and the files
// the inspector linked to the mark, for the notice's evidence list and the
// report (screenshots are printed as thumbnails). Each text says what the
// item is in the document's language; times are in loc, labelled.
func (s *Service) evidenceItems(ctx context.Context, w *workspace.Case, cands []rules.Candidate, linked []string, lang string, loc *time.Location) []reports.EvidenceItem {
	zh := lang != "en"
	var out []reports.EvidenceItem
	seen := map[string]bool{}
	when := func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return ""
		}
		return "  " + t.In(loc).Format("2006-01-02 15:04:05") + " (" + ZoneName(loc, lang) + ")"
	}
	for _, c := range cands {
		for _, e := range c.Evidence {
			if seen[e.Key] {
				continue
			}
			seen[e.Key] = true
			// The hash is of the evidence's stable key in the case record,
			// so the notice's digest is the same in both languages.
			sum := sha256.Sum256([]byte(e.Key))
			it := reports.EvidenceItem{Kind: reports.EvidenceCallSite, SHA256: hex.EncodeToString(sum[:])}
			switch e.Kind {
			case "api":
				site := strings.TrimPrefix(e.Key, "api:"+e.Ref+"@")
				it.Text = site + " → " + apiWords(w.Scan, e.Ref, lang)
				if site == e.Owner || site == e.Key {
					it.Text = apiWords(w.Scan, e.Ref, lang)
				}
				it.Text += map[bool]string{true: "（调用方：", false: " (caller: "}[zh] + ownerWords(w, e.Owner, lang) + map[bool]string{true: "）", false: ")"}[zh]
			case "policy":
				it.Kind = reports.EvidencePolicy
				it.Text = e.Detail
				if e.End > e.Start && w.PolicyText != "" {
					it.Text = "「" + runeSlice(w.PolicyText, e.Start, e.End) + "」 [" + fmt.Sprint(e.Start, "–", e.End) + "]"
				}
			case "policy_element":
				it.Kind = reports.EvidencePolicy
				n := elementNames[e.Ref]
				it.Text = map[bool]string{true: "隐私政策未载明：" + firstNonEmpty(n[0], e.Ref), false: "Not stated in the policy: " + firstNonEmpty(n[1], e.Ref)}[zh]
			case "device_op", "device_permission", "device_self_start", "device":
				it.Kind = reports.EvidenceDevice
				it.Text = strings.TrimSpace(e.Ref+"  "+e.Detail) + when(e.Time)
			case "device_consent":
				it.Kind = reports.EvidenceDevice
				it.Text = map[bool]string{true: "用户同意时刻（检测人员在时间线上标记）", false: "Consent moment (marked by the inspector on the timeline)"}[zh] + when(e.Time)
			case "host", "endpoint":
				it.Kind = reports.EvidenceNetwork
				it.Text = e.Ref
			case "sdk", "sdk_trace", "sdk_collects":
				it.Kind = reports.EvidenceSDK
				x, ok := findSDK(w.Scan, e.Owner)
				if !ok {
					continue
				}
				it.Text = sdkLabel(x, lang)
				if c := confirmedWords(x, lang); c != "" && e.Kind == "sdk_trace" && strings.Contains(e.Key, ":"+sdk.KindConfirmed+":") {
					it.Text += "  " + c
				} else if e.Kind == "sdk_trace" {
					it.Text += "  " + e.Ref
				}
				if !sdkPresent(x) {
					it.Text += map[bool]string{true: "（仅在字符串中提及，未发现其代码）", false: " (mentioned in strings only; no code found)"}[zh]
				}
			case "permission":
				it.Kind = reports.EvidenceManifest
				it.Text = e.Ref
			case "manifest", "component":
				it.Kind = reports.EvidenceManifest
				it.Text = strings.TrimSpace(e.Ref + " = " + e.Detail)
			default:
				it.Kind = reports.EvidenceManifest
				it.Text = strings.TrimSpace(e.Ref + "  " + e.Detail)
			}
			out = append(out, it)
		}
	}
	for _, sha := range linked {
		i := slices.IndexFunc(w.Evidence, func(e cases.Evidence) bool { return e.SHA256 == sha })
		if i < 0 {
			continue
		}
		e := w.Evidence[i]
		it := reports.EvidenceItem{Kind: reports.EvidenceDevice, Text: e.Name, SHA256: e.SHA256}
		switch e.Kind {
		case cases.EvidenceAPK, cases.EvidenceOther:
			it.Kind = reports.EvidenceFile
		case cases.EvidencePolicy:
			it.Kind = reports.EvidencePolicy
		case cases.EvidenceScreenshot:
			it.Kind = reports.EvidenceScreenshot
			if rc, err := s.db.OpenEvidence(ctx, w.Case.ID, sha); err == nil {
				it.Image, _ = io.ReadAll(io.LimitReader(rc, 32<<20))
				rc.Close()
			}
		}
		if !e.DeviceTime.IsZero() {
			it.Text += when(&e.DeviceTime)
		}
		out = append(out, it)
	}
	return out
}

func runeSlice(s string, start, end int) string {
	r := []rune(s)
	start, end = max(0, min(start, len(r))), max(0, min(end, len(r)))
	if end <= start {
		return ""
	}
	return string(r[start:end])
}

// citationOf is the article as cited on the mark; a mark stored without a
// citation (a suggested mark) is cited from the catalog as it stands.
func (s *Service) citationOf(m cases.Mark) law.Citation {
	var c law.Citation
	_ = json.Unmarshal(m.Citation, &c)
	if c.Number == "" && c.TextZH == "" {
		if ci, err := s.law.Cite(m.ItemID); err == nil {
			return ci
		}
	}
	if c.ArticleID == "" {
		c.ArticleID = m.ItemID
	}
	return c
}

// isPlaceholderName reports whether an inspector name is a stand-in that
// earlier versions recorded ("inspector") rather than a person.
func isPlaceholderName(n string) bool {
	n = strings.TrimSpace(n)
	return n == "" || strings.EqualFold(n, "inspector")
}

// noticeInspectors are the inspectors printed on a notice: the case's
// named inspectors, else the settings' inspector.
func (s *Service) noticeInspectors(c cases.Case) []string {
	var out []string
	for _, n := range c.Inspectors {
		if !isPlaceholderName(n) {
			out = append(out, strings.TrimSpace(n))
		}
	}
	if len(out) == 0 && !isPlaceholderName(s.Settings().Inspector) {
		out = []string{strings.TrimSpace(s.Settings().Inspector)}
	}
	return out
}

// ErrNoticeIdentity and MissingIdentityError: see cases/workspace (shared
// with the GUI, which words the refusal itself).
var ErrNoticeIdentity = workspace.ErrNoticeIdentity

// MissingIdentityError lists the settings a notice still needs.
type MissingIdentityError = workspace.MissingIdentityError

// integrity is the document's tie to the audit chain, printed in every
// footer: the chain head (`verify --head` checks it) and the signing key's
// fingerprint. A head that cannot be read is left out, never made up.
func (s *Service) integrity(ctx context.Context) reports.Integrity {
	head, err := s.ChainHead(ctx)
	if err != nil {
		s.Logf("document footer: chain head: %v", err)
		head = ""
	}
	return reports.Integrity{ChainHead: head, KeyFingerprint: s.KeyFingerprint()}
}

// legalBasis is the issuer's configured legal-basis sentence per template.
func (s *Service) legalBasis() map[reports.Template]string {
	out := map[reports.Template]string{}
	for t, v := range s.Settings().Authority.LegalBasis {
		if strings.TrimSpace(v) != "" {
			out[reports.Template(t)] = v
		}
	}
	return out
}

// NoticeInput assembles the notice of a case. It refuses (a
// *MissingIdentityError) when the issuer or the inspector is not known.
func (s *Service) NoticeInput(ctx context.Context, caseID int64, opt workspace.DocumentOptions) (reports.NoticeInput, error) {
	w, err := s.OpenCase(ctx, caseID, 0)
	if err != nil {
		return reports.NoticeInput{}, err
	}
	lang := docLang(opt.Lang)
	auth, err := s.authority()
	if err != nil {
		return reports.NoticeInput{}, err
	}
	inspectors := s.noticeInspectors(w.Case)
	var missing []string
	if strings.TrimSpace(auth.Name) == "" {
		missing = append(missing, "issuer")
	}
	if len(inspectors) == 0 {
		missing = append(missing, "inspector")
	}
	if len(missing) > 0 {
		return reports.NoticeInput{}, &MissingIdentityError{Keys: missing}
	}
	tmpl := reports.Template(firstNonEmpty(opt.Template, s.Settings().NoticeTemplate, auth.Kind, "regulator"))
	if !slices.Contains(reports.Templates, tmpl) {
		return reports.NoticeInput{}, fmt.Errorf("notice template %q: use regulator, agency or association: %w", tmpl, cases.ErrInvalid)
	}
	loc := s.Location()
	issued := w.Case.NoticeIssued
	if issued.IsZero() {
		issued = s.now()
	}
	in := reports.NoticeInput{Lang: lang, Template: tmpl, Now: issued, Authority: auth, Case: w.Case, Subject: w.Case.Subject,
		Inspectors: inspectors, App: appIdentity(w), RectificationDays: w.Case.RectificationDays, Location: loc,
		Integrity: s.integrity(ctx)}
	in.Authority.LegalBasis = s.legalBasis()
	// The workflow sets the case deadline to N working days after the
	// issue day (cases/sqlite Transition); before issue the same rule is
	// applied to today, so the sentence matches the case header.
	in.Deadline, in.CalendarNote = reports.DeadlineFor(s.db.Calendar(), issued, w.Case.RectificationDays, lang)
	if !w.Case.Deadline.IsZero() {
		in.Deadline = w.Case.Deadline
	}
	for _, m := range marksOf(w) {
		if m.Verdict != cases.VerdictViolation {
			continue
		}
		cands := citing(w, m.ItemID)
		b, subj, rules := behaviour(w, cands, lang, loc)
		v := reports.Violation{ItemID: m.ItemID, Citation: s.citationOf(m), Behaviour: b, Subject: subj,
			Statement: m.Statement, Summary: summaryLines(w, cands, lang, loc),
			Evidence: s.evidenceItems(ctx, w, cands, m.Evidence, lang, loc), Rectification: m.Rectification, Severity: m.Severity,
			Note: m.Note, RuleIDs: rules}
		// An English notice does not print the inspector's Chinese wording:
		// it prints the drafted English statement and the default text.
		if v.Statement == "" || lang == "en" && !isEnglish(v.Statement) {
			v.Statement = draftStatement(w, cands, lang)
		}
		if v.Rectification == "" || lang == "en" && !isEnglish(v.Rectification) {
			v.Rectification = reports.DefaultRectification(rules, m.ItemID, lang)
		}
		in.Violations = append(in.Violations, v)
	}
	return in, nil
}

// isEnglish reports whether s has no Chinese characters.
func isEnglish(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// elementNames are the informed-consent elements the policy extractor checks.
var elementNames = map[string][2]string{
	"operator_identity":    {"运营者身份", "Operator identity"},
	"contact":              {"联系方式", "Contact details"},
	"purposes":             {"处理目的", "Purposes"},
	"methods_scope":        {"处理方式和范围", "Methods and scope"},
	"retention":            {"保存期限", "Retention period"},
	"rights_access":        {"查阅、复制权利", "Right of access"},
	"rights_correction":    {"更正、补充权利", "Right of correction"},
	"rights_deletion":      {"删除权利", "Right of deletion"},
	"account_cancellation": {"注销账号", "Account cancellation"},
	"withdraw_consent":     {"撤回同意", "Withdrawing consent"},
	"third_party_sharing":  {"向第三方提供", "Third-party sharing"},
	"cross_border":         {"跨境传输", "Cross-border transfer"},
	"minors":               {"未成年人保护", "Minors"},
	"updates":              {"政策更新通知", "How updates are notified"},
	"effective_date":       {"生效日期", "Effective date"},
}

// ReportInput assembles the inspection report (and the XLSX export).
func (s *Service) ReportInput(ctx context.Context, caseID int64, lang string) (reports.ReportInput, error) {
	w, err := s.OpenCase(ctx, caseID, 0)
	if err != nil {
		return reports.ReportInput{}, err
	}
	lang = docLang(lang)
	auth, err := s.authority()
	if err != nil {
		return reports.ReportInput{}, err
	}
	loc := s.Location()
	in := reports.ReportInput{Lang: lang, Now: s.now(), Authority: auth, Case: w.Case, Subject: w.Case.Subject, App: appIdentity(w), Scan: w.Scan,
		Location: loc, Integrity: s.integrity(ctx)}
	in.Case.Inspectors = s.noticeInspectors(w.Case)
	if w.Policy != nil {
		for _, e := range w.Policy.Elements {
			n := elementNames[e.ID]
			pe := reports.PolicyElement{ID: e.ID, NameZH: firstNonEmpty(n[0], e.ID), NameEN: firstNonEmpty(n[1], e.ID), Present: e.Present}
			if e.Present {
				pe.Excerpt = runeSlice(w.PolicyText, e.Start, e.End)
			}
			in.PolicyElements = append(in.PolicyElements, pe)
		}
	}
	if r := w.Scan; r != nil {
		in.Matrix = behaviourMatrix(r, w.Disclosures, lang)
		in.SDKs = sdkRows(r, w.Disclosures, lang)
	}
	if d := w.Device; d != nil {
		for _, e := range d.Timeline {
			detail := strings.TrimSpace(e.Op + " " + e.Detail)
			in.Timeline = append(in.Timeline, reports.TimelineEvent{Time: e.Time, Kind: e.Kind, Detail: detail,
				BeforeConsent: !w.ConsentAt.IsZero() && e.Time.Before(w.ConsentAt)})
		}
		if !w.ConsentAt.IsZero() {
			t := w.ConsentAt
			in.ConsentAt = &t
		}
	}
	for _, m := range marksOf(w) {
		cands := citing(w, m.ItemID)
		_, subj, ruleIDs := behaviour(w, cands, lang, loc)
		// The statement and the short summary, not every rule's full
		// explanation (which repeats across rules citing one article).
		row := reports.MarkRow{ItemID: m.ItemID, Citation: s.citationOf(m), Verdict: m.Verdict, Severity: m.Severity,
			Note: m.Note, Inspector: m.Inspector, Updated: m.Updated, Rectification: m.Rectification, Subject: subj,
			Behaviour: strings.Join(summaryLines(w, cands, lang, loc), "\n"), Statement: m.Statement}
		if row.Statement == "" || lang == "en" && !isEnglish(row.Statement) {
			row.Statement = draftStatement(w, cands, lang)
		}
		// As on the notice: an English document prints the default English
		// rectification rather than the inspector's Chinese wording, and a
		// placeholder inspector name is not a name.
		if row.Rectification != "" && lang == "en" && !isEnglish(row.Rectification) {
			row.Rectification = reports.DefaultRectification(ruleIDs, m.ItemID, lang)
		}
		if isPlaceholderName(row.Inspector) {
			row.Inspector = ""
		}
		for _, e := range s.evidenceItems(ctx, w, cands, m.Evidence, lang, loc) {
			row.Evidence = append(row.Evidence, e.Text)
		}
		in.Marks = append(in.Marks, row)
	}
	for _, c := range w.Candidates {
		title, expl := c.TitleZH, c.ExplanationZH
		if lang == "en" {
			title, expl = c.TitleEN, c.ExplanationEN
		}
		in.Candidates = append(in.Candidates, reports.CandidateRow{Rule: string(c.Rule), Title: readerText(w.Scan, lang, loc, title),
			Severity: c.Severity, Articles: c.Articles, Explanation: readerText(w.Scan, lang, loc, expl)})
	}
	return in, nil
}

// behaviourMatrix builds the report's behaviour matrix from the stored
// disclosures: one row per category a permission, API or device disclosure
// involves. A row is declared only when every disclosure involving its
// category is (so a row never says 是 while a rule calls one of them
// undeclared); its excerpt quotes the declaring spans. The APIs used are
// named for the reader (matrixUse), never by internal ids.
func behaviourMatrix(r *inspect.Result, ds []rules.Disclosure, lang string) []reports.MatrixRow {
	type acc struct {
		all, declared int
		excerpts      []string
	}
	byCat := map[pi.Category]*acc{}
	var cats []pi.Category
	for _, d := range ds {
		if d.Kind == rules.DiscloseSDK {
			continue // SDKs have their own table
		}
		for _, c := range d.Categories {
			a, ok := byCat[c]
			if !ok {
				a = &acc{}
				byCat[c] = a
				cats = append(cats, c)
			}
			a.all++
			if d.Declared {
				a.declared++
				for _, sp := range d.Spans {
					if t := strings.TrimSpace(sp.Text); t != "" && !slices.Contains(a.excerpts, t) && len(a.excerpts) < 3 {
						a.excerpts = append(a.excerpts, t)
					}
				}
			}
		}
	}
	slices.Sort(cats)
	var out []reports.MatrixRow
	for _, cat := range cats {
		a := byCat[cat]
		row := reports.MatrixRow{Category: cat, Declared: a.declared == a.all}
		if row.Declared {
			row.Excerpt = strings.Join(a.excerpts, "；")
		}
		for _, p := range r.Permissions {
			if slices.Contains(p.Categories, cat) {
				row.Requested = append(row.Requested, p.Name)
			}
		}
		for _, x := range r.APIs {
			if x.Category == cat && !x.Weak {
				row.Used = append(row.Used, matrixUse(r, x, lang))
			}
		}
		out = append(out, row)
	}
	return out
}

// matrixUse names one sensitive API use for the behaviour matrix: its
// owners by display name (the app itself or the SDK's name in the
// document's language) and the API by its description and Class.method —
// "极光推送、穿山甲广告（CSJ）：读取已安装应用列表（PackageManager.getInstalledPackages）".
func matrixUse(r *inspect.Result, a inspect.APIUse, lang string) string {
	var owners []string
	for _, o := range a.Owners {
		n := map[string]string{"zh": "应用自身", "en": "the app"}[lang]
		if x, ok := findSDK(r, o); ok {
			n = x.Name
			if lang == "zh" {
				n = firstNonEmpty(x.NameZH, x.Name)
			}
		} else if o != inspect.OwnerApp {
			n = map[string]string{"zh": "其他第三方代码", "en": "other third-party code"}[lang]
		}
		if !slices.Contains(owners, n) {
			owners = append(owners, n)
		}
	}
	method := a.Method
	if a.Class != "" {
		method = a.Class[strings.LastIndex(a.Class, ".")+1:] + "." + a.Method
	}
	desc := a.ZH
	if lang == "en" || desc == "" {
		desc = a.EN
	}
	api := method
	switch {
	case desc != "" && method != "" && lang == "zh":
		api = desc + "（" + method + "）"
	case desc != "" && method != "":
		api = desc + " (" + method + ")"
	case desc != "":
		api = desc
	case method == "":
		// No description and no class (a hand-made record): the category.
		if info, ok := pi.Lookup(a.Category); ok {
			api = map[string]string{"zh": info.ZH, "en": info.EN}[lang]
		}
	}
	if lang == "zh" {
		return strings.Join(owners, "、") + "：" + api
	}
	return strings.Join(owners, ", ") + ": " + api
}

// sdkRows lists the third-party SDKs the disclosures judge, each disclosed
// or not as its disclosure says.
func sdkRows(r *inspect.Result, ds []rules.Disclosure, lang string) []reports.SDKRow {
	var out []reports.SDKRow
	for _, x := range r.SDKs {
		i := slices.IndexFunc(ds, func(d rules.Disclosure) bool { return d.Kind == rules.DiscloseSDK && d.Ref == x.ID })
		if i < 0 {
			continue // not a third party processing personal information
		}
		row := reports.SDKRow{Name: x.Name, Vendor: x.Vendor, Category: x.Category, Collects: x.Collects, Used: x.Used, Disclosed: ds[i].Declared}
		if lang == "zh" {
			row.Name, row.Vendor = firstNonEmpty(x.NameZH, x.Name), firstNonEmpty(x.VendorZH, x.Vendor)
		}
		if who, _, ok := x.Confirmation(); ok {
			// present by the inspector's confirmation, not by its code
			row.Name += map[bool]string{true: "（检测人员" + who + "确认存在，安装包中未找到其代码）", false: " (confirmed present by the inspector " + who + "; no code of it in the APK)"}[lang == "zh"]
		}
		out = append(out, row)
	}
	return out
}
