package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/appinspect/appinspect/cases"
)

// contradictionRules are rules that set the policy's own promises against
// what the scan finds.
func contradictionRules() []Rule {
	return []Rule{
		{
			ID: "policy.contradiction_sharing", TitleZH: "隐私政策声称不向第三方提供，但集成的第三方SDK收集上传个人信息", TitleEN: "Policy promises no sharing, yet third-party SDKs collect",
			Severity: cases.SeverityHigh, Category: CategoryThirdPart,
			Articles:      []string{"rd2019/3.9", "rd2019/5.1", "pipl/23"},
			Check:         checkContradictionSharing,
			DescriptionZH: "隐私政策中有“不会向任何第三方共享/提供/披露”等不附条件的承诺，而App集成了处理个人信息的第三方SDK（统计、推送、广告、地图等，其代码调用敏感接口或其提供者声明收集个人信息），经SDK向第三方提供个人信息与所声明的规则相矛盾。承诺句中含“除外”“未经同意”等条件时不提出。",
			DescriptionEN: "The policy promises without condition that it will not share, provide or disclose personal information to any third party, yet the app embeds third-party SDKs that process personal information (analytics, push, ads, maps …, whose code calls sensitive APIs or whose vendor says they collect): provision through those SDKs contradicts the stated rules. Sentences with a condition (except, without consent …) are skipped.",
		},
	}
}

func init() {
	rectifications["policy.contradiction_sharing"] = [2]string{
		"修改隐私政策，如实说明经第三方SDK向第三方提供个人信息的情况（接收方、目的、方式、种类）并取得单独同意；或移除相关SDK，使实际行为与声明一致。",
		"Correct the policy to state truthfully what the embedded SDKs pass to third parties (recipient, purpose, method, kinds) and obtain separate consent, or remove those SDKs so that behaviour matches the promise.",
	}
}

// noSharingPromise matches an unconditional promise not to share with third
// parties: a negation, a sharing verb and "third party" within one clause.
var noSharingPromise = regexp.MustCompile(`(不会|绝不|决不|不)(会)?(向|与|对)?(任何)?(第三方|其他第三方|任何第三方|他人|外部)[^。；;！!\n]{0,12}?(共享|分享|提供|披露|透露|转让)|` +
	`(不会|绝不|决不|不)(会)?(共享|分享|提供|披露|透露|转让)[^。；;！!\n]{0,8}?(给|予|于)?(任何)?(第三方|他人)|` +
	`(不会|绝不|决不|不)(会)?(将|把)[^。；;！!\n]{0,16}?(共享|分享|提供|披露|透露|转让)(给|予|于)(任何)?(第三方|他人)|` +
	`(?i)(will|shall|do) not (share|disclose|provide|transfer)[^.;!\n]{0,60}?(to|with) (any )?third[- ]part`)

// promiseConditions mark a sentence whose promise is conditional.
var promiseConditions = []string{"除", "例外", "未经", "同意", "授权", "except", "unless", "without your consent", "without consent", "以外", "另有", "法律法规"}

func checkContradictionSharing(f *Facts) []Candidate {
	if f.PolicyText == "" {
		return nil
	}
	text := f.PolicyText
	var promise []int
	for _, m := range noSharingPromise.FindAllStringIndex(text, -1) {
		sent := sentenceAround(text, m[0], m[1])
		cond := false
		for _, c := range promiseConditions {
			if strings.Contains(strings.ToLower(sent), c) {
				cond = true
				break
			}
		}
		if !cond {
			promise = m
			break
		}
	}
	if promise == nil {
		return nil
	}
	var ev []Evidence
	var names, namesZH []string
	for _, s := range f.Scan.SDKs {
		if !isThirdParty(s) || (len(s.APIs) == 0 && len(s.Collects) == 0) {
			continue
		}
		d := s.Name
		if len(s.APIs) > 0 {
			d += fmt.Sprintf(" (calls %d sensitive API(s))", len(s.APIs))
		} else {
			d += " (vendor says it collects personal information)"
		}
		ev = append(ev, Evidence{Key: "sdk:" + s.ID, Kind: "sdk", Ref: s.ID, Detail: d, Owner: s.ID})
		names = append(names, s.Name)
		namesZH = append(namesZH, firstNonEmpty(s.NameZH, s.Name))
	}
	if len(ev) == 0 {
		return nil
	}
	start := len([]rune(text[:promise[0]]))
	end := start + len([]rune(text[promise[0]:promise[1]]))
	ev = append(ev, policyEvidence(f, start, end, "promise not to share"))
	return []Candidate{{
		Evidence:      ev,
		ExplanationZH: fmt.Sprintf("隐私政策承诺“%s”，但App集成了%d个收集个人信息的第三方SDK（%s），这些SDK将个人信息提供给其提供者，与所声明的规则相矛盾。", text[promise[0]:promise[1]], len(names), strings.Join(namesZH, "、")),
		ExplanationEN: fmt.Sprintf("The policy promises “%s”, yet the app embeds %d third-party SDK(s) that collect personal information (%s) and pass it to their providers, which contradicts the stated rules.", text[promise[0]:promise[1]], len(names), strings.Join(names, ", ")),
	}}
}

// sentenceAround returns the sentence of text (byte offsets) holding [i, j).
func sentenceAround(text string, i, j int) string {
	start := strings.LastIndexAny(text[:i], "。！？!?\n;；")
	if start < 0 {
		start = 0
	} else {
		start++
	}
	end := strings.IndexAny(text[j:], "。！？!?\n;；")
	if end < 0 {
		end = len(text)
	} else {
		end += j
	}
	return text[start:end]
}
