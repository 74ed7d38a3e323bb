package reports

import (
	"github.com/appinspect/appinspect/cases"
)

// templateText is the fixed wording of one template in one language. These
// are the product's standard sentences, not legal text: articles are quoted
// only from the citations the caller passes.
type templateText struct {
	Title string
	// Basis is the default sentence stating the issuer's power (its legal
	// basis); Authority.LegalBasis replaces it per template.
	Basis string
	// Opening receives the object phrase (see objectPhrase) and says what
	// was inspected and what is asked.
	Opening string
	// Ask is what the addressee is asked to do, by subject kind; it is
	// appended to Opening.
	Ask map[cases.SubjectKind]string
	// Requirements are the general requirements after the findings.
	Requirements []string
	// Deadline is one sentence; it receives the number of working days and
	// the deadline date. It states the workflow's rule: N working days from
	// the day after the issue date.
	Deadline string
	// Consequence introduces the next disposal stage; it receives the stage name.
	Consequence string
	Closing     string
}

// objectPhrases name what was inspected, by the addressee's kind; each
// receives the app name.
var objectPhrases = map[string]map[cases.SubjectKind]string{
	LangZH: {
		cases.AppOperator:           "你单位运营的“%s”",
		cases.DistributionPlatform:  "在你单位应用分发平台上架的“%s”",
		cases.SDKProvider:           "你单位提供的、集成于“%s”中的第三方软件开发工具包（SDK）",
		cases.TerminalMaker:         "你单位移动智能终端预置的“%s”",
		cases.NetworkAccessProvider: "由你单位提供网络接入服务的“%s”",
	},
	LangEN: {
		cases.AppOperator:           "the app \"%s\" operated by your organisation",
		cases.DistributionPlatform:  "the app \"%s\" distributed on your organisation's app platform",
		cases.SDKProvider:           "the third-party SDK your organisation provides, as integrated in the app \"%s\"",
		cases.TerminalMaker:         "the app \"%s\" pre-installed on your organisation's mobile devices",
		cases.NetworkAccessProvider: "the app \"%s\", to which your organisation provides network access",
	},
}

var templateTexts = map[Template]map[string]templateText{
	TemplateRegulator: {
		LangZH: {
			Title:   "整改通知书",
			Basis:   "根据《中华人民共和国个人信息保护法》第六十一条、第六十六条和《电信和互联网用户个人信息保护规定》第十七条，我单位依法对个人信息保护情况实施监督检查，对违法违规收集使用个人信息的行为责令改正。",
			Opening: "　　经检测，%s存在下列违法违规收集使用个人信息的问题。",
			Ask: map[cases.SubjectKind]string{
				cases.AppOperator:           "现责令你单位对下列问题逐项整改。",
				cases.DistributionPlatform:  "现责令你单位落实平台管理责任，督促该应用的开发运营者对下列问题逐项整改，并对整改情况进行核验。",
				cases.SDKProvider:           "现责令你单位对所提供SDK的下列问题逐项整改，并通知集成该SDK的应用开发运营者更新至整改后的版本。",
				cases.TerminalMaker:         "现责令你单位对预置应用的下列问题逐项整改。",
				cases.NetworkAccessProvider: "现责令你单位落实网络接入管理责任，督促该应用的开发运营者对下列问题逐项整改。",
			},
			Requirements: []string{
				"对照上述问题逐项整改，举一反三，全面自查同类问题。",
				"整改完成后提交书面整改报告，说明每项问题的整改措施和整改后的版本号，并提供整改后的安装包。",
			},
			Deadline:    "请你单位自本通知书发文之日起%d个工作日内（发文当日不计入，即%s前）完成整改，并将书面整改报告及整改后的版本报送我单位。",
			Consequence: "逾期未整改或整改不到位的，将依照有关规定进入下一处置环节：%s。",
			Closing:     "　　请你单位高度重视，切实保障用户个人信息权益。",
		},
		LangEN: {
			Title:   "Rectification Notice",
			Basis:   "Under Articles 61 and 66 of the Personal Information Protection Law of the People's Republic of China and Article 17 of the Provisions on Protecting the Personal Information of Telecommunications and Internet Users, this authority supervises and inspects the protection of personal information and orders the rectification of unlawful collection and use of personal information.",
			Opening: "The inspection found that %s collects and uses personal information in breach of the provisions listed below.",
			Ask: map[cases.SubjectKind]string{
				cases.AppOperator:           " Your organisation is ordered to rectify each of the problems below.",
				cases.DistributionPlatform:  " Your organisation is ordered to fulfil its responsibility as a platform: require the app's developer and operator to rectify each of the problems below, and verify the rectification.",
				cases.SDKProvider:           " Your organisation is ordered to rectify each of the problems below in the SDK it provides, and to inform the developers of the apps that integrate it of the rectified version.",
				cases.TerminalMaker:         " Your organisation is ordered to rectify each of the problems below in the pre-installed app.",
				cases.NetworkAccessProvider: " Your organisation is ordered to fulfil its responsibility for network access: require the app's developer and operator to rectify each of the problems below.",
			},
			Requirements: []string{
				"Rectify each problem listed above, and review the app for problems of the same kind.",
				"After rectification, submit a written rectification report stating the measure taken for each problem and the rectified version number, together with the rectified installation package.",
			},
			Deadline:    "Your organisation shall complete the rectification within %d working days of the issue date of this notice (the issue day not counted), that is by %s, and submit the written rectification report and the rectified version to this authority.",
			Consequence: "If the problems are not rectified in time or not rectified adequately, the case proceeds to the next disposal stage under the applicable provisions: %s.",
			Closing:     "Please give this notice your full attention and protect the personal information rights of your users.",
		},
	},
	TemplateAgency: {
		LangZH: {
			Title:   "检测报告（整改建议书）",
			Basis:   "本机构受委托，依据《App违法违规收集使用个人信息行为认定方法》及相关法律法规和国家标准，对送检样本开展个人信息保护合规检测，出具本报告及整改建议。本报告为技术检测意见，不构成行政决定。",
			Opening: "　　经检测，%s存在下列不符合个人信息保护相关规定的问题。",
			Ask: map[cases.SubjectKind]string{
				cases.AppOperator:           "建议受检单位对下列问题逐项整改。",
				cases.DistributionPlatform:  "建议受检平台督促该应用的开发运营者对下列问题逐项整改。",
				cases.SDKProvider:           "建议受检单位对所提供SDK的下列问题逐项整改，并通知集成该SDK的应用开发运营者更新版本。",
				cases.TerminalMaker:         "建议受检单位对预置应用的下列问题逐项整改。",
				cases.NetworkAccessProvider: "建议受检单位督促接入的应用开发运营者对下列问题逐项整改。",
			},
			Requirements: []string{
				"对照下列问题逐项整改，并对同类问题开展自查。",
				"整改完成后重新送检整改后的版本，本机构将出具复测结论。",
			},
			Deadline:    "建议自本报告出具之日起%d个工作日内（出具当日不计入，即%s前）完成整改并重新送检。",
			Consequence: "逾期未完成整改的，处置流程的下一环节为：%s（由主管部门决定）。",
			Closing:     "　　本报告仅对所检测的样本及版本有效。未经本机构书面同意，不得部分复制本报告。",
		},
		LangEN: {
			Title:   "Test Report (Rectification Recommendations)",
			Basis:   "This agency, as commissioned, tested the submitted sample for compliance with personal information protection under the Methods for Identifying Illegal Collection and Use of Personal Information by Apps and the applicable laws, regulations and national standards, and issues this report with its recommendations. This report is a technical opinion and not an administrative decision.",
			Opening: "The test found that %s does not comply with the provisions on personal information protection listed below.",
			Ask: map[cases.SubjectKind]string{
				cases.AppOperator:           " The tested organisation is advised to rectify each of the problems below.",
				cases.DistributionPlatform:  " The platform is advised to require the app's developer and operator to rectify each of the problems below.",
				cases.SDKProvider:           " The tested organisation is advised to rectify each of the problems below in its SDK and to inform the developers of the apps that integrate it.",
				cases.TerminalMaker:         " The tested organisation is advised to rectify each of the problems below in the pre-installed app.",
				cases.NetworkAccessProvider: " The tested organisation is advised to require the app's developer and operator to rectify each of the problems below.",
			},
			Requirements: []string{
				"Rectify each problem listed, and review the app for problems of the same kind.",
				"After rectification, resubmit the rectified version; this agency will issue a retest result.",
			},
			Deadline:    "Rectification and resubmission are recommended within %d working days of the date of this report (that day not counted), that is by %s.",
			Consequence: "If rectification is not completed in time, the next stage of the disposal sequence is: %s (to be decided by the competent authority).",
			Closing:     "This report applies only to the sample and version tested. It may not be reproduced in part without the written consent of this agency.",
		},
	},
	TemplateAssociation: {
		LangZH: {
			Title:   "自律审查意见",
			Basis:   "根据本会章程和行业自律公约，本会对会员单位的移动互联网应用程序开展个人信息保护自律审查，并提出审查意见。本意见为行业自律意见，不属于行政处罚或行政命令。",
			Opening: "　　经审查，%s存在下列不符合个人信息保护要求的问题。",
			Ask: map[cases.SubjectKind]string{
				cases.AppOperator:           "请你单位对下列问题逐项整改。",
				cases.DistributionPlatform:  "请你单位督促该应用的开发运营者对下列问题逐项整改。",
				cases.SDKProvider:           "请你单位对所提供SDK的下列问题逐项整改，并通知集成该SDK的应用开发运营者。",
				cases.TerminalMaker:         "请你单位对预置应用的下列问题逐项整改。",
				cases.NetworkAccessProvider: "请你单位督促接入的应用开发运营者对下列问题逐项整改。",
			},
			Requirements: []string{
				"对照下列问题逐项整改，自觉遵守行业自律公约。",
				"整改完成后向本会书面反馈整改情况。",
			},
			Deadline:    "请于本意见发出之日起%d个工作日内（发出当日不计入，即%s前）完成整改，并向本会反馈。",
			Consequence: "逾期未整改的，本会将报请主管部门处理，处置流程的下一环节为：%s。",
			Closing:     "　　请你单位严格遵守个人信息保护相关法律法规，自觉维护行业秩序。",
		},
		LangEN: {
			Title:   "Self-Discipline Review Opinion",
			Basis:   "Under its articles of association and the industry self-discipline convention, this association reviews the personal information protection of its members' mobile apps and issues review opinions. This opinion is a self-discipline opinion of the industry, not an administrative penalty or order.",
			Opening: "The review found that %s does not meet the personal information protection requirements listed below.",
			Ask: map[cases.SubjectKind]string{
				cases.AppOperator:           " Please rectify each of the problems below.",
				cases.DistributionPlatform:  " Please require the app's developer and operator to rectify each of the problems below.",
				cases.SDKProvider:           " Please rectify each of the problems below in your SDK and inform the developers of the apps that integrate it.",
				cases.TerminalMaker:         " Please rectify each of the problems below in the pre-installed app.",
				cases.NetworkAccessProvider: " Please require the app's developer and operator to rectify each of the problems below.",
			},
			Requirements: []string{
				"Rectify each problem listed, in keeping with the industry self-discipline convention.",
				"After rectification, report it to this association in writing.",
			},
			Deadline:    "Please complete the rectification within %d working days of the date of this opinion (that day not counted), that is by %s, and report to this association.",
			Consequence: "If the problems are not rectified in time, this association will refer the case to the competent authority; the next stage of the disposal sequence is: %s.",
			Closing:     "Please comply strictly with the laws and regulations on personal information protection.",
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

// DefaultLegalBasis returns the template's default sentence stating the
// issuer's power; Authority.LegalBasis replaces it.
func DefaultLegalBasis(t Template, lang string) string { return textsFor(t, normLang(lang)).Basis }
