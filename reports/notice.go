package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
)

// Notice writes the rectification notice (or, by template, the agency's test
// report with rectification recommendations, or the association's review
// opinion) as an A4 PDF in the form such documents take: issuer header and
// document number, title, addressee, the issuer's legal basis, the opening
// addressed by the subject's kind, the app inspected, one section per
// finding (article by name and number, its text quoted verbatim or — when
// the catalog has none — cited by name and number only, the plain-language
// statement, the party responsible, a short evidence summary and the
// required rectification), general requirements, the deadline in one
// sentence, the consequence, contact, signature and seal, and the list of
// attachments. Attachment 1, the evidence list, carries the raw evidence
// (call sites, records, hashes, screenshots) and the evidence digest.
func Notice(w io.Writer, in NoticeInput) error {
	in.Lang = normLang(in.Lang)
	if in.Template == "" {
		in.Template = Template(in.Authority.Kind)
		if !in.Template.Valid() {
			in.Template = TemplateRegulator
		}
	}
	if !in.Template.Valid() {
		return fmt.Errorf("reports: notice: template %q: %w", in.Template, ErrInvalid)
	}
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	lang := in.Lang
	tt := textsFor(in.Template, lang)
	digest := EvidenceDigest(in.Violations)
	ev := evidenceList(in.Violations)

	wr := newWriter(lang, in.Now, tt.Title+" "+in.Case.Number, in.App.Name, in.Authority.Name)
	wr.loc = in.Location
	wr.header = tt.Title + "  " + in.Case.Number
	wr.footL = strings.TrimSpace(L(lang, "doc_number") + " " + in.Case.Number)
	wr.footL2 = L(lang, "digest") + " SHA-256 " + digest
	wr.footL3 = integrityLine(lang, in.Integrity)

	// Thumbnail every screenshot up front, concurrently.
	var imgs [][]byte
	for _, e := range ev {
		if len(e.item.Image) > 0 {
			imgs = append(imgs, e.item.Image)
		}
	}
	if len(in.Authority.Seal) > 0 {
		imgs = append(imgs, in.Authority.Seal)
	}
	wr.prepareImages(imgs, thumbMaxW, thumbMaxH)

	wr.newPage()
	noticeHeader(wr, in, tt)
	noticeOpening(wr, in, tt)

	wr.heading(L(lang, "n_object"), sizeH1)
	wr.kv(noticeAppRows(wr, lang, in.App, in.Subject), 38)

	wr.heading(L(lang, "violations"), sizeH1)
	if len(in.Violations) == 0 {
		wr.para(L(lang, "no_violations"))
	}
	for i, v := range in.Violations {
		noticeViolation(wr, lang, i+1, v, ev)
	}

	wr.heading(L(lang, "n_requirements"), sizeH1)
	for i, r := range tt.Requirements {
		wr.para(fmt.Sprintf(L(lang, "n_enum"), i+1) + r)
	}

	wr.heading(L(lang, "deadline_h"), sizeH1)
	days := in.RectificationDays
	if days <= 0 {
		days = in.Case.RectificationDays
	}
	deadline := in.Deadline
	if deadline.IsZero() {
		deadline = in.Case.Deadline
	}
	wr.para(fmt.Sprintf(tt.Deadline, days, formatCivil(lang, deadline)))
	if in.CalendarNote != "" {
		wr.color(colGrey)
		wr.text(in.CalendarNote, sizeSmall, 0, "L")
		wr.color(colText)
	}
	cons := in.ConsequenceText
	if cons == "" {
		cons = fmt.Sprintf(tt.Consequence, ConsequenceName(in.Consequence, lang))
	}
	wr.para(cons)

	// Keep the last section and the closing with the signature: a
	// signature block never stands alone on a page.
	wr.ensure(signatureKeep)
	if c := contactLine(lang, in.Authority); c != "" {
		wr.heading(L(lang, "n_contact"), sizeH1)
		wr.para(c)
	}
	wr.space(2)
	wr.para(tt.Closing)

	if err := noticeSignature(wr, in); err != nil {
		return err
	}
	noticeAttachmentIndex(wr, lang, ev)
	if err := noticeEvidenceList(wr, lang, ev, digest); err != nil {
		return err
	}
	return wr.finish(w)
}

// signatureKeep is the height (mm) kept together at the end of a notice:
// the contact section, the closing sentence and the signature block.
const signatureKeep = 82.0

// integrityLine is the footer line tying the document to the audit chain.
func integrityLine(lang string, in Integrity) string {
	var parts []string
	if h := strings.TrimSpace(in.ChainHead); h != "" {
		parts = append(parts, L(lang, "chain_head")+" "+h)
	}
	if f := strings.TrimSpace(in.KeyFingerprint); f != "" {
		parts = append(parts, L(lang, "key_fpr")+" "+f)
	}
	return strings.Join(parts, "  ")
}

func contactLine(lang string, a Authority) string {
	var parts []string
	sep := "　"
	colon := "："
	if lang == LangEN {
		sep, colon = "; ", ": "
	}
	if a.Contact != "" {
		parts = append(parts, L(lang, "contact")+colon+a.Contact)
	}
	if a.Phone != "" {
		parts = append(parts, L(lang, "phone")+colon+a.Phone)
	}
	if a.Address != "" {
		parts = append(parts, L(lang, "address")+colon+a.Address)
	}
	return strings.Join(parts, sep)
}

func noticeHeader(wr *writer, in NoticeInput, tt templateText) {
	a := in.Authority
	if in.Template == TemplateRegulator {
		wr.color(colRed)
		wr.text(a.Name, 18, 0, "C")
		wr.color(colText)
		wr.space(1)
		wr.text(in.Case.Number, sizeBody, 0, "C")
		wr.space(1)
		wr.hrule(colRed, 0.8)
		wr.space(5)
	} else {
		wr.text(a.Name, 14, 0, "C")
		wr.space(1)
		wr.text(in.Case.Number, sizeBody, 0, "C")
		wr.space(1)
		wr.hrule(colText, 0.4)
		wr.space(5)
	}
	wr.text(tt.Title, sizeTitle, 0, "C")
	wr.space(4)
}

// subjectKindOr is the addressee's kind, app operator when unknown.
func subjectKindOr(k cases.SubjectKind) cases.SubjectKind {
	if k.Valid() {
		return k
	}
	return cases.AppOperator
}

func noticeOpening(wr *writer, in NoticeInput, tt templateText) {
	lang := in.Lang
	name := in.App.Name
	if name == "" {
		name = in.App.Package
	}
	if lang == LangEN {
		wr.para("To " + in.Subject.Name + ":")
	} else {
		wr.para(in.Subject.Name + "：")
	}
	wr.space(1)
	basis := tt.Basis
	if b := strings.TrimSpace(in.Authority.LegalBasis[in.Template]); b != "" {
		basis = b
	}
	if lang == LangZH {
		basis = "　　" + basis
	}
	wr.para(basis)
	kind := subjectKindOr(in.Subject.Kind)
	obj := fmt.Sprintf(objectPhrases[lang][kind], name)
	wr.para(fmt.Sprintf(tt.Opening, obj) + tt.Ask[kind])
	wr.space(1)
}

// formatCivil writes a civil date (a deadline) as the date it names,
// without converting it between zones.
func formatCivil(lang string, t time.Time) string {
	if t.IsZero() {
		return L(lang, "unknown")
	}
	if lang == LangEN {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func sourceName(lang string, app AppIdentity) string {
	switch app.Source {
	case SourceStore:
		s := L(lang, "src_store")
		if app.StoreName != "" {
			s += " (" + app.StoreName + ")"
		}
		return s
	case SourceDevice:
		return L(lang, "src_device")
	case SourceFile:
		return L(lang, "src_file")
	case "":
		return "—"
	}
	return app.Source
}

func appVersion(app AppIdentity) string {
	if app.VersionCode != 0 {
		return fmt.Sprintf("%s (%d)", app.VersionName, app.VersionCode)
	}
	return orDash(app.VersionName)
}

// appRows are the app facts of the inspection report.
func appRows(wr *writer, lang string, app AppIdentity) [][2]string {
	rows := [][2]string{
		{L(lang, "app_name"), orDash(app.Name)},
		{L(lang, "package"), orDash(app.Package)},
		{L(lang, "version"), appVersion(app)},
		{L(lang, "sha256"), orDash(app.SHA256)},
		{L(lang, "cert_sha256"), orDash(app.CertSHA256)},
		{L(lang, "source"), sourceName(lang, app)},
		{L(lang, "test_date"), wr.date(app.TestDate)},
	}
	if env := deviceEnv(lang, app.Device); env != "" {
		rows = append(rows, [2]string{L(lang, "test_env"), env})
	}
	return rows
}

func deviceEnv(lang string, d *DeviceEnv) string {
	if d == nil {
		return ""
	}
	env := strings.TrimSpace(d.Brand + " " + d.Model)
	if d.AndroidVersion != "" {
		env += ", Android " + d.AndroidVersion
	}
	if d.Serial != "" {
		env += ", " + L(lang, "serial") + " " + d.Serial
	}
	return env
}

// noticeAppRows are the app facts a notice needs to identify the build.
func noticeAppRows(wr *writer, lang string, app AppIdentity, sub cases.Subject) [][2]string {
	addr := sub.Name
	if sub.CreditCode != "" {
		addr += bracket(lang, "", L(lang, "credit_code")+L(lang, "colon")+sub.CreditCode)
	}
	rows := [][2]string{
		{L(lang, "addressee"), addr},
		{L(lang, "app_name"), orDash(app.Name)},
		{L(lang, "package") + " / " + L(lang, "version"), orDash(app.Package) + " / " + appVersion(app)},
		{L(lang, "sha256"), orDash(app.SHA256)},
		{L(lang, "test_date"), wr.date(app.TestDate) + "（" + sourceName(lang, app) + "）"},
	}
	if lang == LangEN {
		rows[4][1] = wr.date(app.TestDate) + " (" + sourceName(lang, app) + ")"
	}
	if env := deviceEnv(lang, app.Device); env != "" {
		rows = append(rows, [2]string{L(lang, "test_env"), env})
	}
	return rows
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// citationHeading names the article: "《个人信息保护法》第十七条" or
// "Personal Information Protection Law, Article 17 (第十七条)", with the
// article's own title when it has one, and a draft marker.
func citationHeading(lang string, c law.Citation) string {
	var s string
	switch {
	case lang == LangEN && c.DocTitleEN != "":
		s = c.DocTitleEN + ", " + law.NumberEN(c.Number)
	case lang == LangEN && c.DocTitleZH != "":
		s = "《" + c.DocTitleZH + "》, " + law.NumberEN(c.Number) // the document's own name: no English title known
	case lang == LangEN:
		s = law.NumberEN(c.Number)
	case c.DocTitleZH != "":
		s = "《" + c.DocTitleZH + "》" + c.Number
	default:
		s = c.Number
	}
	if c.TitleZH != "" && lang == LangZH {
		s += "（" + c.TitleZH + "）"
	}
	if c.DocStatus == law.DocStatusDraft {
		s += " " + L(lang, "draft_marker")
	}
	return s
}

// hasQuote reports whether a citation carries a verbatim text to quote.
func hasQuote(c law.Citation) bool {
	return c.Status != law.StatusGap && strings.TrimSpace(c.TextZH) != ""
}

// citationQuote quotes the article text exactly as cited (in English
// documents the English text when the citation has one, then the Chinese
// original). A citation without text is not quoted: the heading cites the
// article by name and number, and nothing stands in for the text.
func citationQuote(wr *writer, lang string, c law.Citation) {
	if !hasQuote(c) {
		return
	}
	head := ""
	if c.Partial || c.Status == law.StatusPartial {
		head = L(lang, "partial_marker")
	}
	if c.PunctRestored {
		head = strings.TrimSpace(head + " " + L(lang, "punct_marker"))
	}
	if c.Traditional {
		head = strings.TrimSpace(head + " " + L(lang, "trad_marker"))
	}
	if lang == LangEN {
		if c.TextEN != "" {
			wr.quote(strings.TrimSpace(L(lang, "en_translation")+" "+head), c.TextEN, sizeSmall+0.5)
			head = L(lang, "zh_original")
		} else {
			head = strings.TrimSpace(L(lang, "zh_original") + " " + head)
		}
	}
	wr.quote(head, c.TextZH, sizeSmall+0.5)
}

func subjectName(lang, s string) string {
	if s == "" || strings.EqualFold(s, "app") {
		return L(lang, "subject_app")
	}
	return s
}

func evidenceKindName(lang, k string) string {
	if k == "" {
		return L(lang, "kind_other")
	}
	if _, ok := labels["kind_"+k]; ok {
		return L(lang, "kind_"+k)
	}
	return L(lang, "kind_other")
}

func noticeViolation(wr *writer, lang string, n int, v Violation, ev []listedEvidence) {
	title := fmt.Sprintf(L(lang, "problem_n"), n, citationHeading(lang, v.Citation))
	qh := 0.0
	if hasQuote(v.Citation) {
		qh = wr.quoteHeight("x", v.Citation.TextZH+"\n"+v.Citation.TextEN, sizeSmall+0.5)
	}
	if qh < 70 {
		wr.setFont(sizeH2)
		wr.ensure(qh + 3*wr.lineH() + 6)
	}
	wr.heading(title, sizeH2)
	citationQuote(wr, lang, v.Citation)

	statement := strings.TrimSpace(v.Statement)
	if statement == "" {
		statement = strings.TrimSpace(v.Behaviour)
	}
	var rows [][2]string
	if statement != "" {
		rows = append(rows, [2]string{L(lang, "statement"), statement})
	}
	rows = append(rows, [2]string{L(lang, "subject"), subjectName(lang, v.Subject)})
	if len(v.Summary) > 0 || len(v.Evidence) > 0 {
		var sum []string
		for _, s := range v.Summary {
			sum = append(sum, "· "+s)
		}
		if refs := evidenceRefs(ev, n); refs != "" {
			sum = append(sum, fmt.Sprintf(L(lang, "see_list"), refs))
		}
		rows = append(rows, [2]string{L(lang, "ev_summary"), strings.Join(sum, "\n")})
	}
	if v.Severity != "" {
		rows = append(rows, [2]string{L(lang, "severity"), severityName(lang, v.Severity)})
	}
	rect := v.Rectification
	if rect == "" {
		rect = DefaultRectification(v.RuleIDs, v.ItemID, lang)
	}
	rows = append(rows, [2]string{L(lang, "rectification"), rect})
	wr.kv(rows, 26)
	wr.space(2)
}

// noticeSignature writes the inspectors and receipt lines at the left and
// the issuer, date and seal at the right. With a seal image no "(seal)"
// line is printed: the image is the seal.
func noticeSignature(wr *writer, in NoticeInput) error {
	lang := in.Lang
	wr.setFont(sizeBody)
	lh := wr.lineH()
	blockH := 40.0
	wr.space(6)
	wr.ensure(blockH)
	y0 := wr.y()
	colX := marginLeft + wr.width*0.5
	colW := wr.width * 0.5
	if len(in.Authority.Seal) > 0 {
		name, t, err := wr.registerImage(in.Authority.Seal)
		if err != nil {
			return fmt.Errorf("reports: notice: seal: %w", err)
		}
		sz := 36.0
		h := sz * float64(t.h) / float64(t.w)
		wr.pdf.ImageOptions(name, colX+(colW-sz)/2, y0-4, sz, h, false, imageJPG, 0, "")
	}
	wr.pdf.SetXY(colX, y0+6)
	wr.pdf.CellFormat(colW, lh, wr.fit(in.Authority.Name, colW), "", 2, "C", false, 0, "")
	if len(in.Authority.Seal) == 0 {
		wr.color(colGrey)
		wr.pdf.CellFormat(colW, lh, L(lang, "seal"), "", 2, "C", false, 0, "")
		wr.color(colText)
	}
	wr.pdf.CellFormat(colW, lh, wr.date(in.Now), "", 2, "C", false, 0, "")

	inspectors := in.Inspectors
	if len(inspectors) == 0 {
		inspectors = in.Case.Inspectors
	}
	wr.pdf.SetXY(marginLeft, y0+6)
	left := wr.width * 0.48
	sep := "、"
	if lang == LangEN {
		sep = ", "
	}
	if len(inspectors) > 0 {
		for _, ln := range wr.lines(L(lang, "inspectors")+L(lang, "colon")+strings.Join(inspectors, sep), left) {
			wr.pdf.SetX(marginLeft)
			wr.pdf.CellFormat(left, lh, ln, "", 2, "L", false, 0, "")
		}
	}
	wr.pdf.SetX(marginLeft)
	wr.pdf.CellFormat(left, lh*1.6, L(lang, "receipt")+" ____________", "", 2, "L", false, 0, "")
	wr.pdf.SetX(marginLeft)
	wr.pdf.CellFormat(left, lh*1.6, L(lang, "receipt_date")+" ____________", "", 2, "L", false, 0, "")
	wr.pdf.SetXY(marginLeft, y0+blockH)
	return nil
}

// listedEvidence is one entry of the attached evidence list: an evidence
// item, numbered once, with the findings that cite it.
type listedEvidence struct {
	no       int
	item     EvidenceItem
	hash     string
	findings []int
}

// evidenceList numbers the evidence of all findings, each distinct item
// (by hash) once.
func evidenceList(vs []Violation) []listedEvidence {
	var out []listedEvidence
	at := map[string]int{}
	for i, v := range vs {
		for _, e := range v.Evidence {
			h := evidenceHash(e)
			if j, ok := at[h]; ok {
				if f := out[j].findings; f[len(f)-1] != i+1 {
					out[j].findings = append(out[j].findings, i+1)
				}
				continue
			}
			at[h] = len(out)
			out = append(out, listedEvidence{no: len(out) + 1, item: e, hash: h, findings: []int{i + 1}})
		}
	}
	return out
}

// evidenceRefs lists the evidence-list numbers a finding cites, "1–3、5".
func evidenceRefs(ev []listedEvidence, finding int) string {
	var nos []int
	for _, e := range ev {
		for _, f := range e.findings {
			if f == finding {
				nos = append(nos, e.no)
			}
		}
	}
	var parts []string
	for i := 0; i < len(nos); {
		j := i
		for j+1 < len(nos) && nos[j+1] == nos[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d–%d", nos[i], nos[j]))
		} else {
			parts = append(parts, fmt.Sprint(nos[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func noticeAttachmentIndex(wr *writer, lang string, ev []listedEvidence) {
	wr.space(2)
	wr.para(L(lang, "attachments") + fmt.Sprintf(L(lang, "attachment_1"), len(ev)))
}

// noticeEvidenceList writes attachment 1: every evidence item once, with
// the findings citing it, its kind, its content and its full hash; the
// screenshots as thumbnails; and the evidence digest with its recipe.
func noticeEvidenceList(wr *writer, lang string, ev []listedEvidence, digest string) error {
	wr.newPage()
	wr.heading(fmt.Sprintf(L(lang, "attachment_1_h"), len(ev)), sizeH1)
	var rows [][]string
	var shots [][]byte
	var caps []string
	for _, e := range ev {
		var fs []string
		for _, f := range e.findings {
			fs = append(fs, fmt.Sprint(f))
		}
		content := e.item.Text
		if len(e.item.Image) > 0 {
			shots = append(shots, e.item.Image)
			caps = append(caps, fmt.Sprintf(L(lang, "ev_item"), e.no))
			if content == "" {
				content = evidenceKindName(lang, EvidenceScreenshot)
			}
		}
		rows = append(rows, []string{fmt.Sprint(e.no), strings.Join(fs, ", "), evidenceKindName(lang, e.item.Kind), content, e.hash})
	}
	if len(rows) > 0 {
		wr.table([]column{{Width: 9, Align: "C"}, {Width: 15, Align: "C"}, {Width: 20}, {Width: wr.width - 44 - 40}, {Width: 40}},
			[]string{L(lang, "ev_no"), L(lang, "ev_finding"), L(lang, "kind"), L(lang, "ev_content"), "SHA-256"}, rows, sizeFoot+0.5)
	} else {
		wr.para(L(lang, "none"))
	}
	if len(shots) > 0 {
		wr.space(2)
		if err := wr.thumbnails(shots, caps, 31, 70); err != nil {
			return fmt.Errorf("reports: notice: evidence list: %w", err)
		}
	}
	wr.space(3)
	wr.heading(L(lang, "digest_h"), sizeH2)
	wr.kv([][2]string{{L(lang, "digest"), "SHA-256 " + digest}}, 30)
	wr.color(colGrey)
	wr.text(L(lang, "digest_recipe"), sizeSmall, 0, "L")
	wr.color(colText)
	return nil
}
