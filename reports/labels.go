package reports

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai and the timezone setting on any system

	"github.com/appinspect/appinspect/cases"
)

// Template selects the kind of notice: who issues it and in what register.
type Template string

// The notice templates.
const (
	// TemplateRegulator is a regulator's rectification notice (整改通知书).
	TemplateRegulator Template = "regulator"
	// TemplateAgency is a third-party testing agency's test report (检测报告).
	TemplateAgency Template = "agency"
	// TemplateAssociation is a trade association's self-discipline review opinion (自律审查意见).
	TemplateAssociation Template = "association"
)

// Templates lists the templates in display order.
var Templates = []Template{TemplateRegulator, TemplateAgency, TemplateAssociation}

// Valid reports whether t is one of Templates.
func (t Template) Valid() bool {
	for _, x := range Templates {
		if t == x {
			return true
		}
	}
	return false
}

// Languages supported by every document.
const (
	LangZH = "zh"
	LangEN = "en"
)

// label is one entry of the bilingual label table.
type label struct{ zh, en string }

// labels is the table of every fixed string the documents print, keyed by a
// stable id. Article texts never come from here.
var labels = map[string]label{
	// Notice header and identity.
	"authority":        {"发文单位", "Issued by"},
	"address":          {"地址", "Address"},
	"contact":          {"联系人", "Contact"},
	"phone":            {"电话", "Phone"},
	"doc_number":       {"文书编号", "Document No."},
	"date":             {"日期", "Date"},
	"addressee":        {"受文单位", "Addressee"},
	"credit_code":      {"统一社会信用代码", "Unified social credit code"},
	"subject_kind":     {"主体类型", "Subject type"},
	"app_identity":     {"一、应用基本信息", "1. Application identity"},
	"app_name":         {"应用名称", "App name"},
	"package":          {"包名", "Package"},
	"version":          {"版本", "Version"},
	"sha256":           {"安装包 SHA-256", "APK SHA-256"},
	"cert_sha256":      {"签名证书指纹 (SHA-256)", "Signer certificate (SHA-256)"},
	"source":           {"样本来源", "Sample source"},
	"test_date":        {"检测日期", "Test date"},
	"test_env":         {"检测环境", "Test environment"},
	"violations":       {"二、发现的问题", "2. Findings"},
	"no_violations":    {"本次检测未确认违规问题。", "No violation was confirmed in this inspection."},
	"problem":          {"问题", "Finding"},
	"problem_n":        {"（%d）%s", "%d. %s"},
	"n_object":         {"一、检测对象", "1. Object of the inspection"},
	"n_requirements":   {"三、整改要求", "3. Requirements"},
	"n_enum":           {"%d. ", "%d. "},
	"n_contact":        {"五、联系方式", "5. Contact"},
	"ev_item":          {"证据%d", "Item %d"},
	"statement":        {"问题描述", "Problem"},
	"ev_summary":       {"证据摘要", "Evidence"},
	"see_list":         {"（详见附件1，第%s项）", "(see attachment 1, items %s)"},
	"colon":            {"：", ": "},
	"attachments":      {"附件：", "Attachment: "},
	"attachment_1":     {"1. 证据清单（%d项）", "1. Evidence list (%d items)"},
	"attachment_1_h":   {"附件1　证据清单（共%d项）", "Attachment 1. Evidence list (%d items)"},
	"ev_no":            {"序号", "No."},
	"ev_finding":       {"问题", "Finding"},
	"ev_content":       {"内容", "Content"},
	"chain_head":       {"审计链头", "Audit chain head"},
	"key_fpr":          {"签名密钥指纹", "Signing key fingerprint"},
	"cited_only":       {"（目录未收录该条原文，按名称和条号引用）", "(the catalog has no text of this article; cited by name and number)"},
	"traditional":      {"繁体字文本，非官方简体原文", "traditional characters, not the official simplified text"},
	"seq":              {"序号", "No."},
	"trad_marker":      {"【繁体字文本，非官方简体原文，待替换】", "[traditional characters, not the official simplified text; to be replaced]"},
	"punct_marker":     {"【标点已按官方文本格式恢复为全角】", "[punctuation restored to full-width]"},
	"legal_basis":      {"依据", "Legal basis"},
	"gap_marker":       {"【条文缺失】", "[Text not available]"},
	"partial_marker":   {"【条文不完整】", "[Partial text]"},
	"draft_marker":     {"【征求意见稿】", "[Draft]"},
	"zh_original":      {"", "Chinese original"},
	"en_translation":   {"", "English text"},
	"unofficial_en":    {"", "(unofficial translation)"},
	"behaviour":        {"检测发现", "Observed behaviour"},
	"subject":          {"涉及主体", "Responsible party"},
	"subject_app":      {"应用自身", "The app itself"},
	"severity":         {"风险等级", "Risk level"},
	"evidence":         {"证据", "Evidence"},
	"screenshot":       {"截图", "Screenshot"},
	"rectification":    {"整改要求", "Required rectification"},
	"suggestion":       {"整改建议", "Suggestion"},
	"note":             {"检测人员备注", "Inspector's note"},
	"rules":            {"触发规则", "Rules"},
	"deadline_h":       {"四、整改期限", "4. Deadline"},
	"consequence_h":    {"五、逾期后果", "5. Consequence"},
	"signature_h":      {"", ""},
	"inspectors":       {"检测人员", "Inspectors"},
	"seal":             {"（盖章）", "(Seal)"},
	"receipt":          {"签收人：", "Received by:"},
	"receipt_date":     {"签收日期：", "Date received:"},
	"digest_h":         {"证据摘要值", "Evidence digest"},
	"digest":           {"证据摘要值", "Evidence digest"},
	"digest_recipe":    {digestRecipeZH, digestRecipeEN},
	"page_of":          {"第 %d 页 共 %s 页", "Page %d of %s"},
	"case_no":          {"案号", "Case No."},
	"evidence_count":   {"引用证据", "Cited evidence"},
	"working_days":     {"个工作日", "working days"},
	"none":             {"无", "none"},
	"yes":              {"是", "yes"},
	"no":               {"否", "no"},
	"unknown":          {"未知", "unknown"},
	"device":           {"设备", "Device"},
	"android":          {"Android 版本", "Android version"},
	"serial":           {"序列号", "Serial"},
	"src_store":        {"应用商店", "App store"},
	"src_device":       {"设备提取", "Pulled from a device"},
	"src_file":         {"送检文件", "Submitted file"},
	"rectify_by":       {"整改截止日期", "Rectify by"},
	"calendar":         {"期限计算", "Calendar"},
	"next_stage":       {"后续处置环节", "Next disposal stage"},
	"evidence_sha":     {"SHA-256", "SHA-256"},
	"kind_callsite":    {"调用位置", "Call site"},
	"kind_stack":       {"调用栈", "Stack"},
	"kind_policy":      {"隐私政策摘录", "Policy excerpt"},
	"kind_device":      {"设备记录", "Device record"},
	"kind_screenshot":  {"截图", "Screenshot"},
	"kind_network":     {"网络请求", "Network request"},
	"kind_other":       {"其他", "Other"},
	"kind_sdk":         {"第三方SDK", "Third-party SDK"},
	"kind_manifest":    {"清单文件", "Manifest"},
	"kind_file":        {"案卷文件", "Case file"},
	"item":             {"检测项", "Item"},
	"article_standard": {"条款/标准", "Article/standard"},
	"result":           {"检测结果", "Result"},
	"risk_level":       {"风险等级", "Risk level"},
	"verdict":          {"结论", "Verdict"},
	"inspector":        {"检测人员", "Inspector"},
	"updated":          {"更新时间", "Updated"},

	// Inspection report.
	"report_title":   {"App 个人信息保护检测报告", "App Personal Information Protection Inspection Report"},
	"r_summary":      {"概要", "Summary"},
	"r_app":          {"应用基本信息", "Application facts"},
	"r_perms":        {"权限列表", "Permissions"},
	"r_sdks":         {"第三方 SDK", "Third-party SDKs"},
	"r_apis":         {"敏感 API（按调用方）", "Sensitive APIs by owner"},
	"r_policy":       {"隐私政策要素核查", "Privacy policy element checklist"},
	"r_matrix":       {"政策声明与实际行为对照", "Policy versus behaviour"},
	"r_timeline":     {"设备证据时间线", "Device evidence timeline"},
	"r_marks":        {"检测项结论", "Marks and verdicts"},
	"r_candidates":   {"规则提示（待人工判定）", "Rule findings (for the inspector to decide)"},
	"r_charts":       {"统计图", "Charts"},
	"chart_viol":     {"各类别违规数", "Violations per category"},
	"chart_sdk":      {"SDK 类别分布", "SDKs by category"},
	"perm_name":      {"权限", "Permission"},
	"protection":     {"保护级别", "Protection"},
	"description":    {"说明", "Description"},
	"categories":     {"个人信息类别", "PI categories"},
	"sdk_name":       {"SDK", "SDK"},
	"vendor":         {"提供方", "Vendor"},
	"category":       {"类别", "Category"},
	"collects":       {"收集信息", "Data collected"},
	"disclosed":      {"政策已披露", "Disclosed"},
	"used":           {"被调用", "Called"},
	"owner":          {"调用方", "Owner"},
	"api":            {"API", "API"},
	"call_sites":     {"调用位置", "Call sites"},
	"element":        {"要素", "Element"},
	"present":        {"是否具备", "Present"},
	"excerpt":        {"政策摘录", "Policy excerpt"},
	"requested":      {"申请/调用", "Requested / used"},
	"declared":       {"政策声明", "Declared"},
	"time":           {"时间", "Time"},
	"kind":           {"类型", "Kind"},
	"detail":         {"详情", "Detail"},
	"before_consent": {"同意前", "Before consent"},
	"consent_at":     {"用户同意时间", "Consent given at"},
	"no_consent":     {"未记录到用户同意", "No consent recorded"},
	"rule":           {"规则", "Rule"},
	"title":          {"标题", "Title"},
	"articles":       {"条款", "Articles"},
	"explanation":    {"说明", "Explanation"},
	"format":         {"格式", "Format"},
	"sdk_range":      {"SDK 版本 (min/target)", "SDK levels (min/target)"},
	"size":           {"文件大小", "File size"},
	"signature":      {"签名", "Signature"},
	"count_perms":    {"申请权限", "Permissions requested"},
	"count_sdks":     {"第三方 SDK", "Third-party SDKs"},
	"count_apis":     {"敏感 API", "Sensitive APIs"},
	"count_viol":     {"违规项", "Violations"},
	"count_marks":    {"检测项", "Marks"},
	"empty":          {"（无）", "(none)"},
	"pending":        {"待定", "pending"},
	"dangerous":      {"危险", "dangerous"},
	"generated":      {"生成时间", "Generated"},
	"uncategorised":  {"未分类", "uncategorised"},
	"unknown_level":  {"未知", "unknown"},
	"owner_other":    {"未识别的第三方代码", "unidentified third-party code"},
	"event_other":    {"其他记录", "other record"},
	"findings_sheet": {"检测结果", "Findings"},
	"marks_sheet":    {"标记", "Marks"},
	"perms_sheet":    {"权限", "Permissions"},
	"sdk_sheet":      {"SDK", "SDK"},
	"apis_sheet":     {"敏感API", "APIs"},
	"app_label":      {"应用", "App"},
}

// L returns the label id in lang ("zh" or "en"; anything else is Chinese).
// An unknown id is returned unchanged so a missing label shows up in review
// instead of vanishing.
func L(lang, id string) string {
	l, ok := labels[id]
	if !ok {
		return id
	}
	if lang == LangEN {
		return l.en
	}
	return l.zh
}

// TemplateTitle returns the document title of template t in lang.
func TemplateTitle(t Template, lang string) string { return textsFor(t, lang).Title }

// shanghai is the default zone of every printed time.
var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return cases.ChinaTime
	}
	return l
}()

// zoneOr returns loc, or Asia/Shanghai for nil.
func zoneOr(loc *time.Location) *time.Location {
	if loc == nil {
		return shanghai
	}
	return loc
}

// zoneLabel names the zone times are printed in: "北京时间" / "Beijing time
// (UTC+8)" for Asia/Shanghai, else the zone name with its UTC offset.
func zoneLabel(lang string, loc *time.Location) string {
	loc = zoneOr(loc)
	if loc.String() == "Asia/Shanghai" {
		if lang == LangEN {
			return "Beijing time (UTC+8)"
		}
		return "北京时间"
	}
	_, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	utc := fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
	if loc.String() == "UTC" {
		return "UTC"
	}
	return loc.String() + " " + utc
}

// formatDate writes a civil date the way documents in lang write it
// (2026年3月9日 or 9 March 2026), in loc (nil: Asia/Shanghai).
func formatDate(lang string, loc *time.Location, t time.Time) string {
	if t.IsZero() {
		return L(lang, "unknown")
	}
	t = t.In(zoneOr(loc))
	if lang == LangEN {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// formatDateTime writes a time to the second in loc (nil: Asia/Shanghai).
// Documents name the zone once, next to the column or sentence (zoneLabel).
func formatDateTime(loc *time.Location, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(zoneOr(loc)).Format("2006-01-02 15:04:05")
}

func yesNo(lang string, b bool) string {
	if b {
		return L(lang, "yes")
	}
	return L(lang, "no")
}

func severityName(lang string, s cases.Severity) string {
	if s == "" {
		return "—"
	}
	if lang == LangEN {
		return s.EN()
	}
	return s.ZH()
}

func verdictName(lang string, v cases.Verdict) string {
	if v == cases.VerdictPending {
		return L(lang, "pending")
	}
	if lang == LangEN {
		return v.EN()
	}
	return v.ZH()
}

func statusName(lang string, s cases.Status) string {
	if lang == LangEN {
		return s.EN()
	}
	return s.ZH()
}

// normLang maps anything but "en" to "zh".
func normLang(lang string) string {
	if strings.EqualFold(strings.TrimSpace(lang), LangEN) {
		return LangEN
	}
	return LangZH
}
