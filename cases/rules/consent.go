package rules

import (
	"fmt"

	"github.com/appinspect/appinspect/cases"
)

// element is one element of informed consent the policy extractor looks for
// (policy.Element ids) and what requires it.
type element struct {
	id       string
	zh, en   string // what is missing
	articles []string
	severity cases.Severity
	rectZH   string
	rectEN   string
}

// elements lists the policy extractor's element ids with the article that
// requires each. cross_border and minors are required only when the app
// transfers data abroad or processes children's data, which a scan cannot
// tell, hence their low grades; third_party_sharing is raised to medium when
// the scan finds third-party SDKs that process personal information.
var elements = []element{
	{"operator_identity", "个人信息处理者的名称", "the name of the personal-information handler", []string{"pipl/17"}, cases.SeverityMedium,
		"在隐私政策中写明App运营者（个人信息处理者）的名称。", "State the name of the operator (the personal-information handler) in the policy."},
	{"contact", "个人信息处理者的联系方式及投诉、举报渠道", "the handler's contact details and a complaint channel", []string{"pipl/17", "rd2019/6.5"}, cases.SeverityMedium,
		"在隐私政策中写明联系方式，并公布个人信息安全投诉、举报渠道及处理时限。", "Give contact details in the policy and publish a complaint channel with its response time."},
	{"purposes", "处理个人信息的目的", "the purposes of processing", []string{"pipl/17", "rd2019/2.1"}, cases.SeverityHigh,
		"逐一列明收集使用每类个人信息的目的。", "State the purpose of each kind of personal information collected."},
	{"methods_scope", "处理方式和个人信息种类（范围）", "the methods of processing and the kinds of information", []string{"pipl/17", "rd2019/2.1"}, cases.SeverityHigh,
		"逐一列明收集使用个人信息的方式和范围（个人信息种类）。", "List the methods and scope (kinds of information) of each collection."},
	{"retention", "个人信息的保存期限", "the retention period", []string{"pipl/17", "pipl/19"}, cases.SeverityMedium,
		"写明个人信息的保存期限（为实现处理目的所必要的最短时间）。", "State the retention period (the shortest needed for the purpose)."},
	{"rights_access", "查阅、复制个人信息的方式和程序", "how to access and copy one's information", []string{"pipl/17", "pipl/45"}, cases.SeverityMedium,
		"写明用户查阅、复制其个人信息的方式和程序，并提供相应功能。", "Explain how users access and copy their information, and provide the function."},
	{"rights_correction", "更正、补充个人信息的方式", "how to correct one's information", []string{"pipl/46", "rd2019/6.1"}, cases.SeverityMedium,
		"提供并在隐私政策中说明更正、补充个人信息的有效途径。", "Provide, and explain in the policy, an effective way to correct information."},
	{"rights_deletion", "删除个人信息的方式", "how to delete one's information", []string{"pipl/47", "rd2019/6.1"}, cases.SeverityMedium,
		"提供并在隐私政策中说明删除个人信息的有效途径。", "Provide, and explain in the policy, an effective way to delete information."},
	{"account_cancellation", "注销账号的方式", "how to cancel the account", []string{"pipl/17", "rd2019/6.1"}, cases.SeverityMedium,
		"提供有效的注销账号功能，不设置不合理条件，并在隐私政策中说明。", "Provide an effective account cancellation without unreasonable conditions, and explain it in the policy."},
	{"withdraw_consent", "撤回同意的方式", "how to withdraw consent", []string{"pipl/15", "rd2019/3.8"}, cases.SeverityMedium,
		"提供便捷的撤回同意的途径和方式，并在隐私政策中说明。", "Provide a convenient way to withdraw consent and explain it in the policy."},
	{"third_party_sharing", "向第三方提供个人信息的情况（接收方名称、联系方式、目的、方式、种类）", "provision to third parties (recipient, contact, purpose, method, kinds)", []string{"pipl/23", "rd2019/2.1"}, cases.SeverityLow,
		"列明接收个人信息的第三方（含嵌入的SDK）的名称、联系方式、处理目的、方式和个人信息种类，并取得单独同意。", "List each third party receiving information (embedded SDKs included) with name, contact, purpose, method and kinds, and obtain separate consent."},
	{"cross_border", "向境外提供个人信息的情况", "cross-border provision", []string{"pipl/39"}, cases.SeverityInfo,
		"如向境外提供个人信息，应告知境外接收方的名称、联系方式、目的、方式、种类及行使权利的方式，并取得单独同意。", "If information goes abroad, name the foreign recipient, its contact, purpose, method, kinds and how to exercise rights, and obtain separate consent."},
	{"minors", "未成年人（不满十四周岁）个人信息的处理规则", "rules for children under 14", []string{"pipl/31"}, cases.SeverityLow,
		"如处理不满十四周岁未成年人的个人信息，应取得监护人同意并制定专门的处理规则。", "If children under 14 use the app, obtain guardian consent and publish dedicated rules."},
	{"updates", "隐私政策变更时的告知方式", "how changes to the policy are notified", []string{"pipl/17", "rd2019/2.2"}, cases.SeverityLow,
		"写明收集使用规则变更时以适当方式通知用户并提醒阅读。", "Explain how users are told of changes to the rules and reminded to read them."},
	{"effective_date", "隐私政策的生效或更新日期", "the effective or update date", []string{"rd2019/2.2"}, cases.SeverityInfo,
		"标明隐私政策的生效日期和更新日期。", "Show the effective and update dates of the policy."},
}

// elementRectifications holds the rectification text of each element rule.
var elementRectifications = map[RuleID][2]string{}

func elementRuleID(id string) RuleID { return RuleID("consent.element_missing." + id) }

func consentRules() []Rule {
	var rs []Rule
	for _, e := range elements {
		e := e
		id := elementRuleID(e.id)
		elementRectifications[id] = [2]string{e.rectZH, e.rectEN}
		rs = append(rs, Rule{
			ID:       id,
			TitleZH:  "隐私政策缺少告知事项：" + e.zh,
			TitleEN:  "Policy lacks: " + e.en,
			Severity: e.severity, Articles: e.articles, Category: CategoryNotice,
			Check:         func(f *Facts) []Candidate { return checkElement(f, e) },
			DescriptionZH: fmt.Sprintf("隐私政策中未找到“%s”（要素%s）。", e.zh, e.id),
			DescriptionEN: fmt.Sprintf("The policy does not state %s (element %s).", e.en, e.id),
		})
	}
	return rs
}

func checkElement(f *Facts, e element) []Candidate {
	if f.Policy == nil {
		return nil
	}
	found := false
	for _, el := range f.Policy.Elements {
		if el.ID != e.id {
			continue
		}
		found = true
		if el.Present {
			return nil
		}
	}
	if !found {
		return nil // the extractor did not look for it: no judgement
	}
	c := Candidate{
		Evidence:      []Evidence{{Key: "policy:element:" + e.id, Kind: "policy_element", Ref: e.id, Detail: "missing"}},
		ExplanationZH: fmt.Sprintf("隐私政策中未找到“%s”。", e.zh),
		ExplanationEN: fmt.Sprintf("The policy does not state %s.", e.en),
	}
	if e.id == "third_party_sharing" {
		var ids []string
		for _, s := range f.Scan.SDKs {
			if isThirdParty(s) {
				ids = append(ids, s.ID)
				c.Evidence = append(c.Evidence, Evidence{Key: "sdk:" + s.ID, Kind: "sdk", Ref: s.ID, Detail: s.Name, Owner: s.ID})
			}
		}
		if len(ids) > 0 {
			c.Severity = cases.SeverityMedium
			c.ExplanationZH += fmt.Sprintf("App集成了%d个处理个人信息的第三方SDK。", len(ids))
			c.ExplanationEN += fmt.Sprintf(" The app embeds %d third-party SDK(s) that process personal information.", len(ids))
		}
	}
	return []Candidate{c}
}
