package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases/law"
)

// Notice writes the rectification notice (or, by template, the agency's test
// report or the association's review opinion) as an A4 PDF: header with the
// issuing authority and document number, addressee, app identity, one section
// per violation (article quoted from its Citation, observed behaviour,
// evidence with screenshot thumbnails, required rectification), deadline,
// consequence, signature block, "page x of y" and the evidence digest with
// its recipe.
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

	wr := newWriter(lang, in.Now, tt.Title+" "+in.Case.Number, in.App.Name, in.Authority.Name)
	wr.header = tt.Title + "  " + in.Case.Number
	wr.footL = strings.TrimSpace(L(lang, "doc_number") + " " + in.Case.Number)
	wr.footL2 = L(lang, "digest") + " SHA-256 " + digest

	// Thumbnail every screenshot up front, concurrently.
	var imgs [][]byte
	for _, v := range in.Violations {
		for _, e := range v.Evidence {
			if len(e.Image) > 0 {
				imgs = append(imgs, e.Image)
			}
		}
	}
	if len(in.Authority.Seal) > 0 {
		imgs = append(imgs, in.Authority.Seal)
	}
	wr.prepareImages(imgs, thumbMaxW, thumbMaxH)

	wr.newPage()
	noticeHeader(wr, in, tt)
	noticeOpening(wr, in, tt)
	noticeApp(wr, lang, in.App, L(lang, "app_identity"))

	wr.heading(L(lang, "violations"), sizeH1)
	if len(in.Violations) == 0 {
		wr.para(L(lang, "no_violations"))
	}
	for i, v := range in.Violations {
		if err := noticeViolation(wr, lang, i+1, v); err != nil {
			return err
		}
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
	wr.para(fmt.Sprintf(tt.DeadlinePara, days, formatDate(lang, deadline)))
	if in.CalendarNote != "" {
		wr.color(colGrey)
		wr.text(in.CalendarNote, sizeSmall, 0, "L")
		wr.color(colText)
	}

	wr.heading(L(lang, "consequence_h"), sizeH1)
	cons := in.ConsequenceText
	if cons == "" {
		cons = fmt.Sprintf(tt.Consequence, ConsequenceName(in.Consequence, lang))
	}
	wr.para(cons)
	wr.space(2)
	wr.para(tt.Closing)

	if err := noticeSignature(wr, in); err != nil {
		return err
	}
	noticeDigestAnnex(wr, lang, in.Violations, digest)
	return wr.finish(w)
}

func noticeHeader(wr *writer, in NoticeInput, tt templateText) {
	lang := in.Lang
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
		wr.space(2)
		wr.hrule(colText, 0.4)
		wr.space(5)
	}
	wr.text(tt.Title, sizeTitle, 0, "C")
	wr.space(4)

	rows := [][2]string{
		{L(lang, "doc_number"), in.Case.Number},
		{L(lang, "date"), formatDate(lang, in.Now)},
		{L(lang, "addressee"), in.Subject.Name},
	}
	if in.Subject.CreditCode != "" {
		rows = append(rows, [2]string{L(lang, "credit_code"), in.Subject.CreditCode})
	}
	if in.Subject.Kind != "" {
		kind := in.Subject.Kind.ZH()
		if lang == LangEN {
			kind = in.Subject.Kind.EN()
		}
		rows = append(rows, [2]string{L(lang, "subject_kind"), kind})
	}
	if in.Subject.Address != "" {
		rows = append(rows, [2]string{L(lang, "address"), in.Subject.Address})
	}
	auth := a.Name
	var parts []string
	if a.Address != "" {
		parts = append(parts, L(lang, "address")+": "+a.Address)
	}
	if a.Contact != "" {
		parts = append(parts, L(lang, "contact")+": "+a.Contact)
	}
	if a.Phone != "" {
		parts = append(parts, L(lang, "phone")+": "+a.Phone)
	}
	if len(parts) > 0 {
		auth += "\n" + strings.Join(parts, "; ")
	}
	rows = append(rows, [2]string{L(lang, "authority"), auth})
	wr.kv(rows, 38)
	wr.space(2)
}

func noticeOpening(wr *writer, in NoticeInput, tt templateText) {
	deadline := in.Deadline
	if deadline.IsZero() {
		deadline = in.Case.Deadline
	}
	name := in.App.Name
	if name == "" {
		name = in.App.Package
	}
	wr.para(fmt.Sprintf(tt.Opening, in.Subject.Name, name, formatDate(in.Lang, deadline)))
	wr.space(2)
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

func appRows(lang string, app AppIdentity) [][2]string {
	ver := app.VersionName
	if app.VersionCode != 0 {
		ver = fmt.Sprintf("%s (%d)", app.VersionName, app.VersionCode)
	}
	rows := [][2]string{
		{L(lang, "app_name"), app.Name},
		{L(lang, "package"), app.Package},
		{L(lang, "version"), ver},
		{L(lang, "sha256"), orDash(app.SHA256)},
		{L(lang, "cert_sha256"), orDash(app.CertSHA256)},
		{L(lang, "source"), sourceName(lang, app)},
		{L(lang, "test_date"), formatDate(lang, app.TestDate)},
	}
	if d := app.Device; d != nil {
		env := strings.TrimSpace(d.Brand + " " + d.Model)
		if d.AndroidVersion != "" {
			env += ", Android " + d.AndroidVersion
		}
		if d.Serial != "" {
			env += ", " + L(lang, "serial") + " " + d.Serial
		}
		rows = append(rows, [2]string{L(lang, "test_env"), env})
	}
	return rows
}

func noticeApp(wr *writer, lang string, app AppIdentity, title string) {
	wr.heading(title, sizeH1)
	wr.kv(appRows(lang, app), 42)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// citationHeading is "《title》第十七条" or "Title, art. 第十七条" with markers.
func citationHeading(lang string, c law.Citation) string {
	var s string
	if lang == LangEN && c.DocTitleEN != "" {
		s = c.DocTitleEN + ", " + c.Number
	} else {
		s = "《" + c.DocTitleZH + "》" + c.Number
	}
	if c.DocTitleZH == "" && c.DocTitleEN == "" {
		s = c.ArticleID
	}
	if c.DocStatus == law.DocStatusDraft {
		s += " " + L(lang, "draft_marker")
	}
	return s
}

// citationQuote writes the article text exactly as cited: the Chinese text
// (and, in English documents, the English text when the citation has one),
// or the gap sentence, marked.
func citationQuote(wr *writer, lang string, c law.Citation) {
	head := citationHeading(lang, c)
	gap := c.Status == law.StatusGap || strings.TrimSpace(c.TextZH) == ""
	if gap {
		g := law.GapSentenceZH
		if lang == LangEN {
			g = law.GapSentenceEN
		}
		wr.quote(head+" "+L(lang, "gap_marker"), g, sizeSmall+0.5)
		return
	}
	if c.Partial || c.Status == law.StatusPartial {
		head += " " + L(lang, "partial_marker")
	}
	if lang == LangEN {
		if c.TextEN != "" {
			wr.quote(head+" — "+L(lang, "en_translation"), c.TextEN, sizeSmall+0.5)
			head = L(lang, "zh_original")
		} else {
			head += " — " + L(lang, "zh_original")
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
	return k
}

func noticeViolation(wr *writer, lang string, n int, v Violation) error {
	title := fmt.Sprintf("%s %d", L(lang, "problem"), n)
	if lang == LangZH {
		title = fmt.Sprintf("问题%d", n)
	}
	title += "　" + citationHeading(lang, v.Citation)
	// Keep the heading with the article quote when the quote is short.
	if qh := wr.quoteHeight(citationHeading(lang, v.Citation), v.Citation.TextZH+"\n"+v.Citation.TextEN, sizeSmall+0.5); qh < 70 {
		wr.setFont(sizeH2)
		wr.ensure(qh + 3*wr.lineH() + 6)
	}
	wr.heading(title, sizeH2)
	wr.setFont(sizeSmall)
	wr.color(colGrey)
	wr.text(L(lang, "legal_basis"), sizeSmall, 0, "L")
	wr.color(colText)
	citationQuote(wr, lang, v.Citation)

	rows := [][2]string{
		{L(lang, "behaviour"), orDash(v.Behaviour)},
		{L(lang, "subject"), subjectName(lang, v.Subject)},
		{L(lang, "severity"), severityName(lang, v.Severity)},
	}
	var shots [][]byte
	var caps []string
	var ev []string
	for _, e := range v.Evidence {
		if len(e.Image) > 0 {
			shots = append(shots, e.Image)
			c := evidenceKindName(lang, EvidenceScreenshot) + " " + fmt.Sprint(len(shots))
			if e.SHA256 != "" {
				c += " · " + short(e.SHA256)
			}
			caps = append(caps, c)
			if e.Text == "" {
				continue
			}
		}
		line := "[" + evidenceKindName(lang, e.Kind) + "] " + e.Text
		if e.SHA256 != "" {
			line += " (SHA-256 " + short(e.SHA256) + ")"
		}
		ev = append(ev, line)
	}
	if len(ev) > 0 {
		rows = append(rows, [2]string{L(lang, "evidence"), strings.Join(ev, "\n")})
	}
	if len(v.RuleIDs) > 0 {
		rows = append(rows, [2]string{L(lang, "rules"), strings.Join(v.RuleIDs, ", ")})
	}
	rect := v.Rectification
	if rect == "" {
		rect = DefaultRectification(v.RuleIDs, v.ItemID, lang)
	}
	rows = append(rows, [2]string{L(lang, "rectification"), rect})
	if v.Note != "" {
		rows = append(rows, [2]string{L(lang, "note"), v.Note})
	}
	wr.kv(rows, 30)
	if len(shots) > 0 {
		if err := wr.thumbnails(shots, caps, 31, 70); err != nil {
			return fmt.Errorf("reports: notice: item %s: %w", v.ItemID, err)
		}
	}
	wr.space(2)
	return nil
}

// short abbreviates a hash to its first 12 digits.
func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

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
	if in.Template == TemplateRegulator || len(in.Authority.Seal) == 0 {
		wr.color(colGrey)
		wr.pdf.CellFormat(colW, lh, L(lang, "seal"), "", 2, "C", false, 0, "")
		wr.color(colText)
	}
	wr.pdf.CellFormat(colW, lh, formatDate(lang, in.Now), "", 2, "C", false, 0, "")

	inspectors := in.Inspectors
	if len(inspectors) == 0 {
		inspectors = in.Case.Inspectors
	}
	wr.pdf.SetXY(marginLeft, y0+6)
	left := wr.width * 0.48
	if len(inspectors) > 0 {
		for _, ln := range wr.lines(L(lang, "inspectors")+": "+strings.Join(inspectors, ", "), left) {
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

func noticeDigestAnnex(wr *writer, lang string, vs []Violation, digest string) {
	wr.heading(L(lang, "digest_h"), sizeH2)
	wr.kv([][2]string{{L(lang, "digest"), "SHA-256 " + digest}}, 30)
	wr.color(colGrey)
	wr.text(L(lang, "digest_recipe"), sizeSmall, 0, "L")
	wr.color(colText)
	wr.space(2)
	var rows [][]string
	for _, v := range vs {
		if len(v.Evidence) == 0 {
			rows = append(rows, []string{v.ItemID, "", "—"})
		}
		for _, e := range v.Evidence {
			rows = append(rows, []string{v.ItemID, evidenceKindName(lang, e.Kind), evidenceHash(e)})
		}
	}
	if len(rows) > 0 {
		wr.table([]column{{Width: 34}, {Width: 30}, {Width: wr.width - 64}},
			[]string{L(lang, "item"), L(lang, "kind"), "SHA-256"}, rows, sizeFoot+0.5)
	}
}
