package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/pi"
)

// statement is a statement inspectors expect in a policy that the consent
// element extractor does not look for; the rule looks for its wording in the
// policy text and proposes a candidate when none is found. It needs the
// policy text: without one it stays silent.
type statement struct {
	id       string
	zh, en   string // what is missing
	articles []string
	words    *regexp.Regexp // any match = stated
	// when, if set, must match the policy for the statement to be required
	// (e.g. an opt-out is needed only when the policy announces targeted push).
	when     *regexp.Regexp
	severity cases.Severity
	rectZH   string
	rectEN   string
}

var statements = []statement{
	{id: "history_versions", zh: "查看隐私政策历史版本的途径", en: "a way to see earlier versions of the policy",
		articles: []string{"rd2019/2.2"}, words: regexp.MustCompile(`历史版本|以往版本|历史隐私政策|旧版本|(?i)previous versions?|version history`),
		severity: cases.SeverityInfo,
		rectZH:   "在隐私政策中提供查看历史版本的途径，并在变更时提醒用户阅读。", rectEN: "Give a way to read earlier versions of the policy, and remind users to read it when it changes."},
	{id: "consent_exceptions", zh: "无需征得同意即可处理个人信息的例外情形", en: "the cases where information is processed without consent",
		articles: []string{"pipl/13"}, words: regexp.MustCompile(`例外|无需(征得|取得)?[^。]{0,6}同意|不需要(征得|取得)?[^。]{0,6}同意|无须[^。]{0,6}同意|(?i)without (your )?consent`),
		severity: cases.SeverityLow,
		rectZH:   "在隐私政策中列明依法无需取得个人同意的情形。", rectEN: "List in the policy the cases in which the law lets you process information without consent."},
	{id: "dual_lists", zh: "已收集个人信息清单和第三方共享清单（双清单）", en: "the list of collected information and the third-party sharing list",
		articles: []string{"n26/9", "rd2019/2.1"}, words: regexp.MustCompile(`收集(个人)?信息清单|已收集[^。]{0,6}清单|共享(个人)?信息清单|第三方[^。]{0,8}清单|SDK[^。]{0,6}(清单|列表)`),
		severity: cases.SeverityMedium,
		rectZH:   "建立并在隐私政策和App内展示已收集个人信息清单和与第三方共享个人信息清单。", rectEN: "Publish, in the policy and in the app, a list of the information collected and a list of what is shared with third parties."},
	{id: "targeted_push_optout", zh: "关闭个性化推荐或定向推送的方式", en: "how to turn off personalised recommendations or targeted push",
		articles: []string{"rd2019/3.6", "n164/1.4"}, when: regexp.MustCompile(`个性化推荐|个性化推送|个性化广告|定向推送|精准营销|用户画像|(?i)personali[sz]ed (ads|recommendation)`),
		words:    regexp.MustCompile(`(关闭|退出|取消|停止|拒绝)[^。]{0,20}(个性化|定向|推荐|推送)|(个性化|定向)[^。]{0,30}(关闭|退出|取消|停止|拒绝)|(?i)(turn|switch|opt) (off|out)`),
		severity: cases.SeverityMedium,
		rectZH:   "提供不针对个人特征的选项或关闭个性化推荐、定向推送的便捷途径，并在隐私政策中说明路径。", rectEN: "Offer an option not based on personal characteristics, or an easy way to turn personalised recommendations and targeted push off, and give its path in the policy."},
	{id: "summary", zh: "隐私政策摘要或简明版", en: "a summary or short version of the policy",
		articles: []string{"n26/9"}, words: regexp.MustCompile(`摘要|简明版|概要|要点|(?i)summary|at a glance`),
		severity: cases.SeverityInfo,
		rectZH:   "提供隐私政策摘要或简明版，以简洁、清晰、易懂的方式告知处理规则。", rectEN: "Provide a summary or short version of the policy that states the rules simply and clearly."},
	{id: "complaint_time_limit", zh: "受理投诉、举报及响应用户请求的承诺时限", en: "the time limit for handling complaints and user requests",
		articles: []string{"rd2019/6.5", "rd2019/6.3"}, words: regexp.MustCompile(`([0-9０-９]+|[一二三四五六七八九十]+)\s*个?(工作日|日|天)(内|之内)|(?i)within \d+ (working |business )?days`),
		severity: cases.SeverityLow,
		rectZH:   "在隐私政策中承诺受理投诉和响应更正、删除、注销请求的时限（不超过15个工作日）。", rectEN: "Commit in the policy to a time limit (at most 15 working days) for complaints and for correction, deletion and cancellation requests."},
}

func statementRuleID(id string) RuleID { return RuleID("policy.statement_missing." + id) }

// vagueEnumeration matches a list of data closed with "等" (etc.).
var vagueEnumeration = regexp.MustCompile(`(信息|数据|记录|权限|标识符?|号码|地址)等(个人)?(信息|数据|权限)?`)

// vagueThreshold is how many "…等" enumerations make policy.vague_enumeration fire.
const vagueThreshold = 5

// FrequentAccessWindow and FrequentAccessThreshold define
// device.high_frequency_access: at least Threshold recorded accesses of one
// kind of information within Window.
const (
	FrequentAccessWindow    = time.Minute
	FrequentAccessThreshold = 5
)

func statementRules() []Rule {
	var rs []Rule
	for _, s := range statements {
		s := s
		id := statementRuleID(s.id)
		rectifications[id] = [2]string{s.rectZH, s.rectEN}
		descZH := fmt.Sprintf("隐私政策文本中找不到“%s”的表述。", s.zh)
		descEN := fmt.Sprintf("The policy text nowhere states %s.", s.en)
		if s.when != nil {
			descZH = "隐私政策提到个性化推荐或定向推送，但" + descZH
			descEN = "The policy announces personalised recommendations or targeted push, but " + strings.ToLower(descEN[:1]) + descEN[1:]
		}
		rs = append(rs, Rule{
			ID: id, TitleZH: "隐私政策未说明：" + s.zh, TitleEN: "Policy does not state " + s.en,
			Severity: s.severity, Articles: s.articles, Category: CategoryNotice,
			Check:         func(f *Facts) []Candidate { return checkStatement(f, s) },
			DescriptionZH: descZH + "按关键词检查，请人工核对。",
			DescriptionEN: descEN + " Keyword check: confirm by reading the policy.",
		})
	}
	rectifications["policy.vague_enumeration"] = [2]string{
		"逐项列明收集的个人信息种类，不以“等”“例如”概括。",
		"List every kind of personal information collected, without closing lists with “etc.” or “for example”.",
	}
	rectifications["device.high_frequency_access"] = [2]string{
		"将收集个人信息的频度降至业务功能实际需要的最低水平，不得定时、高频读取。",
		"Reduce how often personal information is read to what the function actually needs; no periodic high-frequency reads.",
	}
	rectifications["device.background_access"] = [2]string{
		"App在后台或静默状态下不得收集个人信息，确需的应告知用户并取得同意。",
		"Collect no personal information in the background or silent state unless users were told and agreed.",
	}
	rs = append(rs,
		Rule{
			ID: "policy.vague_enumeration", TitleZH: "隐私政策以“等”概括所收集的个人信息", TitleEN: "Policy closes data lists with “etc.”",
			Severity: cases.SeverityLow, Articles: []string{"rd2019/2.1"}, Category: CategoryNotice,
			Check:         checkVagueEnumeration,
			DescriptionZH: fmt.Sprintf("隐私政策中有至少%d处以“…等信息/等数据/等权限”结束的列举，未逐一列出收集的个人信息。", vagueThreshold),
			DescriptionEN: fmt.Sprintf("At least %d lists in the policy end in “…等信息/等数据/等权限” (etc.) instead of naming every kind of information.", vagueThreshold),
		},
		Rule{
			ID: "device.high_frequency_access", TitleZH: "高频读取个人信息", TitleEN: "Personal information read at high frequency",
			Severity: cases.SeverityMedium, Articles: []string{"rd2019/4.4", "n164/1.2"}, Category: CategoryDevice,
			Check:         checkHighFrequency,
			DescriptionZH: fmt.Sprintf("设备记录显示App在%v内读取同一类个人信息至少%d次（每类一条）。需确认是否超出业务功能实际需要。", durationZH(FrequentAccessWindow), FrequentAccessThreshold),
			DescriptionEN: fmt.Sprintf("Device records show the app read one kind of personal information at least %d times within %v (one candidate per kind). Check whether the function needs that frequency.", FrequentAccessThreshold, durationEN(FrequentAccessWindow)),
		},
		Rule{
			ID: "device.background_access", TitleZH: "后台状态下访问个人信息", TitleEN: "Personal information accessed in the background",
			Severity: cases.SeverityMedium, Articles: []string{"n164/1.2", "pipl/6"}, Category: CategoryDevice,
			Check:         checkBackgroundAccess,
			DescriptionZH: "设备AppOps记录显示App不在前台时访问了个人信息（被系统拒绝的尝试除外，每类一条）。需确认是否有合理场景并经用户同意。",
			DescriptionEN: "The device's AppOps records show the app accessed personal information while not in the foreground (rejected attempts excluded; one candidate per kind). Check for a real scenario and the user's consent.",
		},
	)
	return rs
}

func checkStatement(f *Facts, s statement) []Candidate {
	if f.PolicyText == "" {
		return nil
	}
	ev := []Evidence{}
	if s.when != nil {
		loc := s.when.FindStringIndex(f.PolicyText)
		if loc == nil {
			return nil
		}
		start := len([]rune(f.PolicyText[:loc[0]]))
		ev = append(ev, policyEvidence(f, start, start+len([]rune(f.PolicyText[loc[0]:loc[1]])), "announces targeted push"))
	}
	if s.words.MatchString(f.PolicyText) {
		return nil
	}
	ev = append(ev, Evidence{Key: "policy:statement:" + s.id, Kind: "policy_statement", Ref: s.id, Detail: "not found: " + s.words.String()})
	return []Candidate{{
		Evidence:      ev,
		ExplanationZH: fmt.Sprintf("隐私政策文本中未找到“%s”的表述（关键词检查，请人工核对）。", s.zh),
		ExplanationEN: fmt.Sprintf("The policy text does not state %s (keyword check: confirm by reading the policy).", s.en),
	}}
}

func checkVagueEnumeration(f *Facts) []Candidate {
	if f.PolicyText == "" {
		return nil
	}
	ms := vagueEnumeration.FindAllStringIndex(f.PolicyText, -1)
	if len(ms) < vagueThreshold {
		return nil
	}
	var ev []Evidence
	for i, m := range ms {
		if i == maxCallSites {
			break
		}
		start := len([]rune(f.PolicyText[:m[0]]))
		ev = append(ev, policyEvidence(f, start, start+len([]rune(f.PolicyText[m[0]:m[1]])), "enumeration closed with 等"))
	}
	return []Candidate{{
		Evidence:      ev,
		ExplanationZH: fmt.Sprintf("隐私政策有%d处以“等”结束的个人信息列举，未逐一列出。", len(ms)),
		ExplanationEN: fmt.Sprintf("The policy closes %d lists of personal information with “etc.” (等) instead of naming every kind.", len(ms)),
	}}
}

// opsByCategory groups the accepted device accesses by category, sorted by time.
func opsByCategory(d *DeviceFacts, keep func(DeviceOp) bool) map[pi.Category][]DeviceOp {
	out := map[pi.Category][]DeviceOp{}
	for _, op := range d.Ops {
		if op.Time.IsZero() || op.Rejected || !keep(op) {
			continue
		}
		c := op.Category
		if c == "" {
			c = OpCategory(op.Op)
		}
		if c == "" {
			continue
		}
		out[c] = append(out[c], op)
	}
	for _, ops := range out {
		sort.Slice(ops, func(i, j int) bool { return ops[i].Time.Before(ops[j].Time) })
	}
	return out
}

func sortedCategories(m map[pi.Category][]DeviceOp) []pi.Category {
	cs := make([]pi.Category, 0, len(m))
	for c := range m {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i] < cs[j] })
	return cs
}

func checkHighFrequency(f *Facts) []Candidate {
	if f.Device == nil {
		return nil
	}
	groups := opsByCategory(f.Device, func(DeviceOp) bool { return true })
	var out []Candidate
	for _, c := range sortedCategories(groups) {
		ops := groups[c]
		best, bi := 0, 0
		j := 0
		for i := range ops {
			for ops[i].Time.Sub(ops[j].Time) > FrequentAccessWindow {
				j++
			}
			if n := i - j + 1; n > best {
				best, bi = n, j
			}
		}
		if best < FrequentAccessThreshold {
			continue
		}
		var ev []Evidence
		for _, op := range ops[bi : bi+best] {
			ev = append(ev, opEvidence(op, c))
		}
		out = append(out, Candidate{
			Evidence:      ev,
			ExplanationZH: fmt.Sprintf("App在%s起的%v内读取%s %d次。", f.timeZH(ops[bi].Time), durationZH(FrequentAccessWindow), catZH(c), best),
			ExplanationEN: fmt.Sprintf("The app read %s %d times within %v from %s.", catEN(c), best, durationEN(FrequentAccessWindow), f.timeEN(ops[bi].Time)),
		})
	}
	return out
}

func checkBackgroundAccess(f *Facts) []Candidate {
	if f.Device == nil {
		return nil
	}
	groups := opsByCategory(f.Device, func(op DeviceOp) bool { return op.Foreground != nil && !*op.Foreground })
	var out []Candidate
	for _, c := range sortedCategories(groups) {
		var ev []Evidence
		for _, op := range groups[c] {
			ev = append(ev, opEvidence(op, c))
		}
		out = append(out, Candidate{
			Evidence:      ev,
			ExplanationZH: fmt.Sprintf("App不在前台时访问了%s（%d次）。", catZH(c), len(ev)),
			ExplanationEN: fmt.Sprintf("The app accessed %s while not in the foreground (%d time(s)).", catEN(c), len(ev)),
		})
	}
	return out
}
