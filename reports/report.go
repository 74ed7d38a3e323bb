package reports

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
)

// Report writes the full inspection report as an A4 PDF: summary with charts
// (violations per category, SDKs by category), app facts, permission table,
// SDK table, sensitive APIs by owner, policy element checklist, policy versus
// behaviour matrix, device evidence timeline, every mark with its verdict and
// the inspector's notes, and the rule findings awaiting a decision.
func Report(w io.Writer, in ReportInput) error {
	in.Lang = normLang(in.Lang)
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	lang := in.Lang
	title := L(lang, "report_title")
	wr := newWriter(lang, in.Now, title+" "+in.Case.Number, in.App.Name, in.Authority.Name)
	wr.loc = in.Location
	wr.header = title + "  " + in.Case.Number
	wr.footL = strings.TrimSpace(L(lang, "case_no") + " " + in.Case.Number + "  " + L(lang, "generated") + " " + wr.dateTime(in.Now) + " " + zoneLabel(lang, in.Location))
	wr.footL2 = integrityLine(lang, in.Integrity)
	wr.newPage()

	wr.text(in.Authority.Name, 13, 0, "C")
	wr.space(2)
	wr.text(title, sizeTitle-2, 0, "C")
	wr.space(3)
	wr.kv([][2]string{
		{L(lang, "case_no"), in.Case.Number},
		{L(lang, "addressee"), in.Subject.Name},
		{L(lang, "credit_code"), orDash(in.Subject.CreditCode)},
		{L(lang, "app_label"), fmt.Sprintf("%s (%s %s)", in.App.Name, in.App.Package, in.App.VersionName)},
		{L(lang, "inspectors"), orDash(strings.Join(in.Case.Inspectors, ", "))},
		{L(lang, "date"), wr.date(in.Now)},
	}, 38)

	reportSummary(wr, in)
	n := 1
	sec := func(id string) string {
		s := fmt.Sprintf("%d. %s", n, L(lang, id))
		if lang == LangZH {
			s = fmt.Sprintf("%s、%s", zhNumeral(n), L(lang, id))
		}
		n++
		return s
	}
	wr.heading(sec("r_app"), sizeH1)
	wr.kv(reportAppRows(wr, lang, in), 42)

	wr.heading(sec("r_perms"), sizeH1)
	reportPermissions(wr, lang, in.Scan)

	wr.heading(sec("r_sdks"), sizeH1)
	reportSDKs(wr, lang, in.SDKs)

	wr.heading(sec("r_apis"), sizeH1)
	reportAPIs(wr, lang, in.Scan)

	wr.heading(sec("r_policy"), sizeH1)
	reportPolicy(wr, lang, in.PolicyElements)

	wr.heading(sec("r_matrix"), sizeH1)
	reportMatrix(wr, lang, in.Matrix)

	wr.heading(sec("r_timeline"), sizeH1)
	reportTimeline(wr, lang, in.Timeline, in.ConsentAt)

	wr.heading(sec("r_marks"), sizeH1)
	if err := reportMarks(wr, lang, in.Marks); err != nil {
		return err
	}
	if len(in.Candidates) > 0 {
		wr.heading(sec("r_candidates"), sizeH1)
		reportCandidates(wr, lang, in.Candidates)
	}
	return wr.finish(w)
}

var zhNums = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"}

func zhNumeral(n int) string {
	if n >= 0 && n < len(zhNums) {
		return zhNums[n]
	}
	return fmt.Sprint(n)
}

func empty(wr *writer, lang string) { wr.text(L(lang, "empty"), sizeSmall, 0, "L"); wr.space(2) }

func reportSummary(wr *writer, in ReportInput) {
	lang := in.Lang
	wr.heading(L(lang, "r_summary"), sizeH1)
	viol := 0
	for _, m := range in.Marks {
		if m.Verdict == cases.VerdictViolation {
			viol++
		}
	}
	perms, apis := 0, 0
	if in.Scan != nil {
		perms, apis = len(in.Scan.Permissions), len(in.Scan.APIs)
	}
	cols := []column{{Width: wr.width / 5, Align: "C"}, {Width: wr.width / 5, Align: "C"}, {Width: wr.width / 5, Align: "C"}, {Width: wr.width / 5, Align: "C"}, {Width: wr.width / 5, Align: "C"}}
	wr.table(cols, []string{L(lang, "count_perms"), L(lang, "count_sdks"), L(lang, "count_apis"), L(lang, "count_marks"), L(lang, "count_viol")},
		[][]string{{fmt.Sprint(perms), fmt.Sprint(len(in.SDKs)), fmt.Sprint(apis), fmt.Sprint(len(in.Marks)), fmt.Sprint(viol)}}, sizeBody)
	if v := violationsByCategory(lang, in.Marks); len(v) > 0 {
		wr.barChart(L(lang, "chart_viol"), v, colBarAlt)
	}
	if s := sdksByCategory(lang, in.SDKs); len(s) > 0 {
		wr.barChart(L(lang, "chart_sdk"), s, colBar)
	}
}

// markCategory is the chart category of a mark.
func markCategory(lang string, m MarkRow) string {
	if m.Category != "" {
		return m.Category
	}
	if t := articleTopic(m.ItemID); t != "" {
		return t
	}
	if m.Citation.DocTitleZH != "" {
		if lang == LangEN && m.Citation.DocTitleEN != "" {
			return m.Citation.DocTitleEN
		}
		return m.Citation.DocTitleZH
	}
	return L(lang, "uncategorised")
}

func countBars(keys []string) []barDatum {
	cnt := map[string]int{}
	for _, k := range keys {
		cnt[k]++
	}
	out := make([]barDatum, 0, len(cnt))
	for k, v := range cnt {
		out = append(out, barDatum{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Value != out[j].Value {
			return out[i].Value > out[j].Value
		}
		return out[i].Label < out[j].Label
	})
	return out
}

func violationsByCategory(lang string, marks []MarkRow) []barDatum {
	var keys []string
	for _, m := range marks {
		if m.Verdict == cases.VerdictViolation {
			keys = append(keys, topicName(lang, markCategory(lang, m)))
		}
	}
	return countBars(keys)
}

func sdksByCategory(lang string, sdks []SDKRow) []barDatum {
	var keys []string
	for _, s := range sdks {
		c := sdkCategoryName(lang, s.Category)
		if s.Category == "" {
			c = L(lang, "uncategorised")
		}
		keys = append(keys, c)
	}
	return countBars(keys)
}

// topicNames names the catalog topics used as chart categories.
var topicNames = map[string]label{
	"consent": {"同意", "Consent"}, "notice": {"告知与隐私政策", "Notice and policy"},
	"minimum_necessity": {"最小必要", "Minimum necessity"}, "purpose": {"目的限制", "Purpose"},
	"third_party": {"向第三方提供", "Third parties"}, "sdk": {"第三方 SDK", "SDKs"},
	"permission": {"系统权限", "Permissions"}, "sensitive": {"敏感个人信息", "Sensitive PI"},
	"retention": {"保存期限", "Retention"}, "rights": {"个人权利", "Rights"}, "deletion": {"删除", "Deletion"},
	"cancellation": {"账号注销", "Cancellation"}, "minors": {"未成年人", "Minors"},
	"cross_border": {"跨境", "Cross-border"}, "security": {"安全保护", "Security"},
	"frequency": {"收集频率", "Frequency"}, "self_start": {"自启动与关联启动", "Self-start"},
	"advertising": {"定向推送", "Targeted push"}, "complaint": {"投诉举报", "Complaints"},
	"distribution": {"分发平台", "Distribution"}, "download": {"欺骗下载", "Download"},
	"popup": {"弹窗", "Pop-ups"}, "billing": {"收费", "Billing"},
	"refusal_of_service": {"拒绝服务", "Refusal of service"}, "automated_decision": {"自动化决策", "Automated decisions"},
	"terminal": {"终端", "Terminals"}, "liability": {"法律责任", "Liability"},
	"supervision": {"监督管理", "Supervision"}, "general": {"一般规定", "General"},
}

// topicName names a chart category: a catalog topic in words, a document
// title as given; a topic id the table does not know is "uncategorised",
// never printed raw.
func topicName(lang, t string) string {
	if l, ok := topicNames[t]; ok {
		if lang == LangEN {
			return l.en
		}
		return l.zh
	}
	if isIDLike(t) {
		return L(lang, "uncategorised")
	}
	return t
}

// isIDLike reports whether s looks like an internal identifier: lower-case
// ASCII letters, digits and . _ - / only.
func isIDLike(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/", r)) {
			return false
		}
	}
	return true
}

func reportAppRows(wr *writer, lang string, in ReportInput) [][2]string {
	rows := appRows(wr, lang, in.App)
	if s := in.Scan; s != nil {
		rows = append(rows,
			[2]string{L(lang, "format"), strings.ToUpper(s.Format)},
			[2]string{L(lang, "sdk_range"), fmt.Sprintf("%d / %d", s.MinSDK, s.TargetSDK)},
			[2]string{L(lang, "size"), fmt.Sprintf("%d B", s.Size)})
	}
	return rows
}

func piNames(lang string, cs []pi.Category) string {
	var out []string
	for _, c := range cs {
		out = append(out, piName(lang, c))
	}
	return strings.Join(out, lang2sep(lang))
}

func piName(lang string, c pi.Category) string {
	if info, ok := pi.Lookup(c); ok {
		if lang == LangEN {
			return info.EN
		}
		return info.ZH
	}
	return string(c)
}

func lang2sep(lang string) string {
	if lang == LangEN {
		return ", "
	}
	return "、"
}

func reportPermissions(wr *writer, lang string, s *inspect.Result) {
	if s == nil || len(s.Permissions) == 0 {
		empty(wr, lang)
		return
	}
	perms := append([]inspect.Permission(nil), s.Permissions...)
	sort.SliceStable(perms, func(i, j int) bool {
		if perms[i].Dangerous != perms[j].Dangerous {
			return perms[i].Dangerous
		}
		return perms[i].Name < perms[j].Name
	})
	var rows [][]string
	for _, p := range perms {
		desc := p.ZH
		if lang == LangEN || desc == "" {
			desc = p.EN
		}
		prot := protectionName(lang, p.Protection)
		if p.Dangerous && !strings.HasPrefix(p.Protection, "dangerous") {
			prot += map[string]string{LangZH: "（危险）", LangEN: " (dangerous)"}[lang]
		}
		rows = append(rows, []string{p.Name, prot, desc, piNames(lang, p.Categories)})
	}
	wr.table([]column{{Width: 70, Fit: true}, {Width: 30}, {Width: 38}, {Width: 32}},
		[]string{L(lang, "perm_name"), L(lang, "protection"), L(lang, "description"), L(lang, "categories")}, rows, sizeTable)
}

func reportSDKs(wr *writer, lang string, sdks []SDKRow) {
	if len(sdks) == 0 {
		empty(wr, lang)
		return
	}
	var rows [][]string
	for _, s := range sdks {
		rows = append(rows, []string{s.Name, s.Vendor, sdkCategoryName(lang, s.Category), piNames(lang, s.Collects), yesNo(lang, s.Disclosed), yesNo(lang, s.Used)})
	}
	wr.table([]column{{Width: 32, Fit: true}, {Width: 32}, {Width: 24}, {Width: 46}, {Width: 18, Align: "C"}, {Width: 18, Align: "C"}},
		[]string{L(lang, "sdk_name"), L(lang, "vendor"), L(lang, "category"), L(lang, "collects"), L(lang, "disclosed"), L(lang, "used")}, rows, sizeTable)
}

// apiRows flattens the scan's sensitive APIs into rows by owner: owner
// (the app or the SDK's name), API, category, call sites. Every call site
// is listed; only when maxSites > 0 (a workbook cell holds at most 32767
// characters) does a list longer than that many characters end with the
// count of the sites left out.
func apiRows(lang string, s *inspect.Result, maxSites int) [][]string {
	if s == nil {
		return nil
	}
	names := map[string]string{inspect.OwnerApp: L(lang, "subject_app")}
	for _, k := range s.SDKs {
		n := k.Name
		if lang == LangZH && k.NameZH != "" {
			n = k.NameZH
		}
		names[k.ID] = n
	}
	type row struct{ owner, api, cat, sites string }
	var rows []row
	for _, a := range s.APIs {
		byOwner := map[string][]string{}
		for _, c := range a.Callers {
			byOwner[c.Owner] = append(byOwner[c.Owner], c.Class+"#"+c.Method)
		}
		owners := append([]string(nil), a.Owners...)
		for o := range byOwner {
			if !containsStr(owners, o) {
				owners = append(owners, o)
			}
		}
		sort.Strings(owners)
		desc := a.ZH
		if lang == LangEN || desc == "" {
			desc = a.EN
		}
		api := a.Class + "." + a.Method
		if desc != "" {
			api = desc + "\n" + api
		}
		for _, o := range owners {
			sites := byOwner[o]
			sort.Strings(sites)
			if maxSites > 0 {
				n, keep := 0, 0
				for keep < len(sites) && n+len(sites[keep])+1 <= maxSites-32 {
					n += len(sites[keep]) + 1
					keep++
				}
				if keep < len(sites) {
					sites = append(sites[:keep:keep], fmt.Sprintf("… (+%d)", len(sites)-keep))
				}
			}
			on := names[o]
			if on == "" {
				// Code the scan attributes to no catalogued SDK: its package
				// root is evidence; any other owner id is not printed.
				on = o
				if !strings.Contains(o, ".") {
					on = L(lang, "owner_other")
				}
			}
			rows = append(rows, row{on, api, piName(lang, a.Category), strings.Join(sites, "\n")})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].owner != rows[j].owner {
			return rows[i].owner < rows[j].owner
		}
		return rows[i].api < rows[j].api
	})
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r.owner, r.api, r.cat, r.sites}
	}
	return out
}

func containsStr(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func reportAPIs(wr *writer, lang string, s *inspect.Result) {
	rows := apiRows(lang, s, 0)
	if len(rows) == 0 {
		empty(wr, lang)
		return
	}
	wr.table([]column{{Width: 26}, {Width: 58}, {Width: 24}, {Width: 62}},
		[]string{L(lang, "owner"), L(lang, "api"), L(lang, "category"), L(lang, "call_sites")}, rows, sizeTable-0.5)
}

func reportPolicy(wr *writer, lang string, els []PolicyElement) {
	if len(els) == 0 {
		empty(wr, lang)
		return
	}
	var rows [][]string
	for _, e := range els {
		name := e.NameZH
		if (lang == LangEN && e.NameEN != "") || name == "" {
			name = e.NameEN
		}
		if name == "" {
			name = e.ID
		}
		rows = append(rows, []string{name, yesNo(lang, e.Present), e.Excerpt})
	}
	wr.table([]column{{Width: 48}, {Width: 18, Align: "C"}, {Width: 104}},
		[]string{L(lang, "element"), L(lang, "present"), L(lang, "excerpt")}, rows, sizeTable)
}

func reportMatrix(wr *writer, lang string, m []MatrixRow) {
	if len(m) == 0 {
		empty(wr, lang)
		return
	}
	var rows [][]string
	for _, r := range m {
		used := append(append([]string(nil), r.Requested...), r.Used...)
		rows = append(rows, []string{piName(lang, r.Category), strings.Join(used, "\n"), yesNo(lang, r.Declared), r.Excerpt})
	}
	wr.table([]column{{Width: 28}, {Width: 66, Fit: true}, {Width: 16, Align: "C"}, {Width: 60}},
		[]string{L(lang, "categories"), L(lang, "requested"), L(lang, "declared"), L(lang, "excerpt")}, rows, sizeTable)
}

func reportTimeline(wr *writer, lang string, ev []TimelineEvent, consent *time.Time) {
	if consent != nil {
		wr.text(L(lang, "consent_at")+L(lang, "colon")+wr.dateTime(*consent)+" ("+zoneLabel(lang, wr.loc)+")", sizeSmall+0.5, 0, "L")
	} else {
		wr.text(L(lang, "no_consent"), sizeSmall+0.5, 0, "L")
	}
	wr.space(1)
	if len(ev) == 0 {
		empty(wr, lang)
		return
	}
	ev = append([]TimelineEvent(nil), ev...)
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Time.Before(ev[j].Time) })
	var rows [][]string
	for _, e := range ev {
		bc := ""
		if e.BeforeConsent {
			bc = "● " + L(lang, "before_consent")
		}
		rows = append(rows, []string{wr.dateTime(e.Time), timelineKind(lang, e.Kind), e.Detail, bc})
	}
	wr.table([]column{{Width: 34}, {Width: 28}, {Width: 86}, {Width: 22, Align: "C"}},
		[]string{L(lang, "time") + "\n" + zoneLabel(lang, wr.loc), L(lang, "kind"), L(lang, "detail"), L(lang, "before_consent")}, rows, sizeTable)
}

func reportMarks(wr *writer, lang string, marks []MarkRow) error {
	if len(marks) == 0 {
		empty(wr, lang)
		return nil
	}
	var rows [][]string
	for _, m := range marks {
		item := citationName(lang, m.ItemID, m.Citation)
		note := m.Note
		if st := firstText(m.Statement, m.Behaviour); st != "" {
			note = strings.TrimSpace(st + "\n" + note)
		}
		who := m.Inspector
		if !m.Updated.IsZero() {
			who = strings.TrimSpace(who + "\n" + wr.dateTime(m.Updated))
		}
		rows = append(rows, []string{item, verdictName(lang, m.Verdict), severityName(lang, m.Severity), note, who})
	}
	wr.table([]column{{Width: 42}, {Width: 18, Align: "C"}, {Width: 16, Align: "C"}, {Width: 66, Fit: true}, {Width: 28}},
		[]string{L(lang, "item"), L(lang, "verdict"), L(lang, "severity"), L(lang, "note"), L(lang, "inspector")}, rows, sizeTable)
	// The article quotes of the violations follow, so the report stands alone.
	for _, m := range marks {
		if m.Verdict != cases.VerdictViolation || !hasQuote(m.Citation) {
			continue
		}
		wr.space(1)
		// Keep the article's name with the first lines of its quote.
		wr.setFont(sizeSmall + 0.5)
		wr.ensure(4*wr.lineH() + 5)
		wr.text(citationName(lang, m.ItemID, m.Citation), sizeSmall+0.5, 0, "L")
		citationQuote(wr, lang, m.Citation)
	}
	return nil
}

func firstText(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

// citationName names an article by document and number: from the citation
// when it has them, else from the embedded catalog; never the bare id unless
// the catalog does not know it.
func citationName(lang, id string, c law.Citation) string {
	if c.Number == "" {
		if cat, err := law.Embedded(); err == nil {
			if ci, err := cat.Cite(id); err == nil {
				c = ci
			}
		}
	}
	if c.Number == "" {
		return id
	}
	return citationHeading(lang, c)
}

// timelineKinds name the device timeline's event kinds.
var timelineKinds = map[string]label{
	"launch":     {"启动", "launch"},
	"appops":     {"权限使用记录", "permission use (appops)"},
	"permission": {"权限申请", "permission request"},
	"consent":    {"用户同意", "consent"},
	"network":    {"网络请求", "network request"},
	"process":    {"进程", "process"},
	"selfstart":  {"自启动", "self-start"},
	"screenshot": {"截图", "screenshot"},
	// device session events (appinspect device session)
	"app_start":         {"启动应用", "app started"},
	"consent_dialog":    {"隐私政策弹窗", "privacy-policy dialog shown"},
	"permission_prompt": {"系统权限申请弹窗", "runtime permission prompt"},
	"refusal":           {"用户拒绝", "user refused"},
	"network_contact":   {"网络连接", "network contact"},
	"op_access":         {"权限使用记录", "permission use (appops)"},
	"op_reject":         {"权限使用被拒绝", "permission use refused (appops)"},
	"log":               {"应用日志", "app log"},
}

// timelineKind names an event kind; a kind the table does not know (a
// newer device collector's) is "other record" in Chinese rather than its
// raw id, and given as is in English.
func timelineKind(lang, k string) string {
	if l, ok := timelineKinds[k]; ok {
		if lang == LangEN {
			return l.en
		}
		return l.zh
	}
	if lang == LangZH && isIDLike(k) {
		return L(lang, "event_other")
	}
	return k
}

func reportCandidates(wr *writer, lang string, cs []CandidateRow) {
	var rows [][]string
	for _, c := range cs {
		var arts []string
		for _, a := range c.Articles {
			arts = append(arts, citationName(lang, a, law.Citation{}))
		}
		rows = append(rows, []string{c.Title, severityName(lang, c.Severity), strings.Join(arts, "\n"), c.Explanation})
	}
	wr.table([]column{{Width: 42}, {Width: 16, Align: "C"}, {Width: 46}, {Width: 66, Fit: true}},
		[]string{L(lang, "title"), L(lang, "severity"), L(lang, "articles"), L(lang, "explanation")}, rows, sizeTable)
}

// sdkCategories name the SDK catalog's categories.
var sdkCategories = map[string]label{
	"development": {"开发工具", "development"}, "ads": {"广告", "advertising"}, "analytics": {"统计分析", "analytics"},
	"other": {"其他", "other"}, "push": {"推送", "push"}, "framework": {"开发框架", "framework"}, "location": {"定位", "location"},
	"media": {"音视频", "media"}, "device_id": {"设备标识", "device identifier"}, "crash": {"崩溃监测", "crash reporting"},
	"social": {"社交分享", "social"}, "ui": {"界面组件", "UI"}, "game": {"游戏", "game"}, "network": {"网络", "network"},
	"payment": {"支付", "payment"}, "image": {"图片", "image"}, "ai": {"人工智能", "AI"}, "utility": {"工具", "utility"},
	"security": {"安全", "security"}, "login": {"登录认证", "login"}, "maps": {"地图", "maps"}, "map": {"地图", "maps"},
	"rtc": {"实时音视频", "real-time communication"}, "voice": {"语音", "voice"}, "database": {"数据库", "database"},
	"im": {"即时通信", "instant messaging"}, "customer_service": {"客服", "customer service"},
	"oaid": {"设备标识（OAID）", "device identifier (OAID)"}, "identity": {"实名认证", "identity verification"},
	"cloud": {"云服务", "cloud services"}, "hotfix": {"热修复", "hot fix"}, "webview": {"网页内核", "web view"},
}

// SDKCategoryName names an SDK catalog category in lang ("ads" → 广告 /
// advertising); a category the table does not know (from a user catalog
// extension) is 其他 / other, never its raw id.
func SDKCategoryName(lang, c string) string { return sdkCategoryName(normLang(lang), c) }

func sdkCategoryName(lang, c string) string {
	l, ok := sdkCategories[c]
	if !ok {
		l = sdkCategories["other"]
	}
	if lang == LangEN {
		return l.en
	}
	return l.zh
}

// protectionNames name Android permission protection levels and the values
// the scanner uses for permissions outside the platform catalog.
var protectionNames = map[string]label{
	"normal": {"普通（安装时授予）", "normal (granted at install)"}, "dangerous": {"危险（运行时授权）", "dangerous (runtime grant)"},
	"signature": {"签名", "signature"}, "signatureOrSystem": {"签名或系统", "signature or system"},
	"internal": {"内部", "internal"}, "system": {"系统", "system"},
	"unknown": {"未收录", "not in the catalog"}, "custom": {"自定义权限", "custom (defined by an app or SDK)"},
	"vendor": {"厂商权限", "vendor permission"},
}

// protectionFlags name the protection flags Android appends to a level
// ("normal|instant").
var protectionFlags = map[string]label{
	"instant": {"免安装应用可用", "available to instant apps"}, "privileged": {"特权应用", "privileged apps"},
	"development": {"开发者授予", "development"}, "appop": {"应用操作控制", "app-op controlled"},
	"pre23": {"旧版应用自动授予", "granted to pre-Android 6 apps"}, "installer": {"安装器", "installer"},
	"verifier": {"校验器", "verifier"}, "preinstalled": {"预装应用", "preinstalled apps"},
	"setup": {"开机向导", "setup wizard"}, "runtime": {"运行时", "runtime"}, "role": {"角色持有者", "role holders"},
	"oem": {"厂商", "OEM"}, "vendorPrivileged": {"厂商特权应用", "vendor privileged apps"},
	"recents": {"最近任务", "recents"}, "knownSigner": {"已知签名者", "known signers"},
	"module": {"系统模块", "system modules"}, "configurator": {"配置器", "configurator"},
	"system": {"系统", "system"}, "textClassifier": {"文本分类器", "text classifier"},
	"wellbeing": {"数字健康", "wellbeing"}, "documenter": {"文档应用", "documenter"},
	"incidentReportApprover": {"事件报告审批", "incident report approver"}, "appPredictor": {"应用预测", "app predictor"},
	"companion": {"配套设备应用", "companion apps"}, "retailDemo": {"零售演示", "retail demo"},
}

// protectionName names a protection level with its flags in the document's
// language ("normal|instant" → 普通（安装时授予）；免安装应用可用). Flags the
// tables do not know are left out rather than printed raw.
func protectionName(lang, p string) string {
	parts := strings.Split(p, "|")
	pick := func(l label) string {
		if lang == LangEN {
			return l.en
		}
		return l.zh
	}
	base := strings.TrimSpace(parts[0])
	out := L(lang, "unknown_level")
	if l, ok := protectionNames[base]; ok {
		out = pick(l)
	}
	var flags []string
	for _, f := range parts[1:] {
		if l, ok := protectionFlags[strings.TrimSpace(f)]; ok && !containsStr(flags, pick(l)) {
			flags = append(flags, pick(l))
		}
	}
	if len(flags) > 0 {
		if lang == LangEN {
			out += "; " + strings.Join(flags, ", ")
		} else {
			out += "；" + strings.Join(flags, "、")
		}
	}
	return out
}
