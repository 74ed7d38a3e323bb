package reports

import (
	"fmt"
	"strings"
	"time"

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
	"deadline_h":       {"三、整改期限", "3. Deadline"},
	"consequence_h":    {"四、逾期后果", "4. Consequence"},
	"signature_h":      {"", ""},
	"inspectors":       {"检测人员", "Inspectors"},
	"seal":             {"（盖章）", "(Seal)"},
	"receipt":          {"签收人：", "Received by:"},
	"receipt_date":     {"签收日期：", "Date received:"},
	"digest_h":         {"附：证据摘要", "Annex: evidence digest"},
	"digest":           {"证据摘要", "Evidence digest"},
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

// templateText is the fixed wording of one template in one language.
type templateText struct {
	Title string
	// Opening is the first paragraph; it receives, in order, the subject
	// name, the app name and the deadline date.
	Opening string
	// DeadlinePara states the deadline; it receives the number of working
	// days and the deadline date.
	DeadlinePara string
	// Consequence introduces the next disposal stage; it receives the stage name.
	Consequence string
	Closing     string
}

var templateTexts = map[Template]map[string]templateText{
	TemplateRegulator: {
		LangZH: {
			Title:        "整改通知书",
			Opening:      "%s：\n　　经检测，你单位运营的“%s”存在下列违法违规收集使用个人信息的问题。现责令你单位对下列问题逐项整改，并于%s前将书面整改报告及整改后的版本报送我单位。",
			DeadlinePara: "自本通知书送达之日起%d个工作日内完成整改，截止日期为%s。",
			Consequence:  "逾期未整改或整改不到位的，将依照有关规定进入下一处置环节：%s。",
			Closing:      "　　请你单位高度重视，对照上述问题全面自查，举一反三，切实保障用户个人信息权益。",
		},
		LangEN: {
			Title:        "Rectification Notice",
			Opening:      "To %s:\nThe inspection of the application \"%s\" operated by your organisation found the problems listed below in its collection and use of personal information. You are required to rectify each of them and to submit a written rectification report and the rectified version to this authority by %s.",
			DeadlinePara: "Rectification shall be completed within %d working days of the service of this notice, that is by %s.",
			Consequence:  "If the problems are not rectified in time or not rectified adequately, the case proceeds to the next disposal stage under the applicable provisions: %s.",
			Closing:      "Please give this notice your full attention, review your application against every problem listed, and protect the personal information rights of your users.",
		},
	},
	TemplateAgency: {
		LangZH: {
			Title:        "检测报告",
			Opening:      "%s：\n　　本机构依据下列法律法规及标准，对“%s”开展了个人信息保护合规检测。检测发现下列问题，建议受检单位逐项整改，并于%s前完成整改后重新送检。",
			DeadlinePara: "建议整改期限为%d个工作日，截止日期为%s。",
			Consequence:  "逾期未完成整改的，按处置流程的下一环节为：%s（由主管部门决定）。",
			Closing:      "　　本报告仅对所检测的样本及版本有效。未经本机构书面同意，不得部分复制本报告。",
		},
		LangEN: {
			Title:        "Test Report",
			Opening:      "To %s:\nThis agency tested the application \"%s\" for compliance with the personal information protection laws, regulations and standards cited below. The test found the problems listed below; the tested organisation is advised to rectify each of them and to resubmit the rectified version for testing by %s.",
			DeadlinePara: "The recommended rectification period is %d working days, ending on %s.",
			Consequence:  "If rectification is not completed in time, the next stage of the disposal sequence is: %s (to be decided by the competent authority).",
			Closing:      "This report applies only to the sample and version tested. It may not be reproduced in part without the written consent of this agency.",
		},
	},
	TemplateAssociation: {
		LangZH: {
			Title:        "自律审查意见",
			Opening:      "%s：\n　　根据行业自律要求，本会对“%s”开展了个人信息保护自律审查，发现下列问题。请你单位逐项整改，并于%s前向本会反馈整改情况。",
			DeadlinePara: "请于%d个工作日内完成整改，截止日期为%s。",
			Consequence:  "逾期未整改的，本会将报请主管部门处理，处置流程的下一环节为：%s。",
			Closing:      "　　本意见为行业自律审查意见。请你单位严格遵守个人信息保护相关法律法规，自觉维护行业秩序。",
		},
		LangEN: {
			Title:        "Self-Discipline Review Opinion",
			Opening:      "To %s:\nUnder the self-discipline requirements of the industry, this association reviewed the personal information protection of the application \"%s\" and found the problems listed below. Please rectify each of them and report the rectification to this association by %s.",
			DeadlinePara: "Please complete the rectification within %d working days, that is by %s.",
			Consequence:  "If the problems are not rectified in time, this association will refer the case to the competent authority; the next stage of the disposal sequence is: %s.",
			Closing:      "This is a self-discipline review opinion of the industry association. Please comply strictly with the laws and regulations on personal information protection.",
		},
	},
}

func textsFor(t Template, lang string) templateText {
	m, ok := templateTexts[t]
	if !ok {
		m = templateTexts[TemplateRegulator]
	}
	if lang == LangEN {
		return m[LangEN]
	}
	return m[LangZH]
}

// TemplateTitle returns the document title of template t in lang.
func TemplateTitle(t Template, lang string) string { return textsFor(t, lang).Title }

// formatDate writes a civil date the way documents in lang write it
// (2026年3月9日 or 9 March 2026), in China Standard Time.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return L(lang, "unknown")
	}
	t = t.In(cases.ChinaTime)
	if lang == LangEN {
		return t.Format("2 January 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// formatDateTime writes a time to the minute in China Standard Time.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(cases.ChinaTime).Format("2006-01-02 15:04:05")
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
