package reports

import (
	"strings"

	"github.com/appinspect/appinspect/cases/law"
)

// rectificationTexts are the default required-rectification texts by catalog
// topic. They are the product's standard wording, not legal text; the
// inspector edits them per mark.
var rectificationTexts = map[string]label{
	law.TopicConsent: {
		"在取得用户同意前，不得收集个人信息或开启可收集个人信息的权限；应用及其集成的第三方 SDK 均应在用户点击同意隐私政策后再初始化和收集个人信息，并为用户提供撤回同意的便捷方式。",
		"Collect no personal information and open no permission that can collect it before the user consents; initialise the app's third-party SDKs only after the user accepts the privacy policy, and give the user an easy way to withdraw consent."},
	law.TopicNotice: {
		"完善隐私政策，以显著方式、清晰易懂的语言逐项说明收集使用个人信息的目的、方式、范围及第三方 SDK 的相关情况，确保声明内容与实际行为一致，并在首次运行时提示用户阅读。",
		"Revise the privacy policy to state clearly and prominently, item by item, the purpose, method and scope of the collection and use of personal information and the third-party SDKs involved; make the policy match the app's actual behaviour and show it to the user on first run."},
	law.TopicMinimumNecessity: {
		"按照最小必要原则收集个人信息，删除与所提供服务无直接关联的个人信息收集行为和权限申请。",
		"Collect only the personal information necessary for the service provided, and remove collection and permission requests that are not directly related to it."},
	law.TopicPurpose: {
		"仅在声明的目的和范围内使用个人信息；确需超出原目的使用的，应重新告知并取得用户同意。",
		"Use personal information only for the declared purpose and scope; inform the user again and obtain new consent before any other use."},
	law.TopicThirdParty: {
		"向第三方提供个人信息前，应告知接收方名称、联系方式、处理目的、处理方式和个人信息种类，并取得用户单独同意；对接入的第三方进行管理。",
		"Before providing personal information to a third party, inform the user of the recipient's name and contact details, the purpose, the method and the kinds of information, obtain separate consent, and supervise the third parties integrated."},
	law.TopicSDK: {
		"对集成的第三方 SDK 逐一核查，在隐私政策中披露其名称、提供方、收集的个人信息及目的；在用户同意前不得初始化可收集个人信息的 SDK，并督促 SDK 提供方合规收集使用个人信息。",
		"Review every integrated third-party SDK; disclose its name, vendor, the personal information it collects and why in the privacy policy; do not initialise SDKs that collect personal information before consent, and hold SDK vendors to compliant collection."},
	law.TopicPermission: {
		"仅在用户使用相关功能时申请对应权限，并同步说明申请目的；用户拒绝后不得频繁重复申请，不得因用户拒绝非必要权限而拒绝提供基本功能。",
		"Request a permission only when the user uses the feature that needs it, explaining why at the same time; do not repeat requests after a refusal, and do not deny basic functions because a non-essential permission was refused."},
	law.TopicSensitive: {
		"处理敏感个人信息应具有特定目的和充分必要性，向用户告知处理的必要性及对个人权益的影响，并取得单独同意。",
		"Process sensitive personal information only for a specific purpose and when sufficiently necessary; tell the user why it is necessary and how it affects them, and obtain separate consent."},
	law.TopicFrequency: {
		"降低个人信息收集和权限调用频率，使其与业务功能实际需要相符，不得在后台频繁收集个人信息。",
		"Reduce the frequency of collection and of permission use to what the feature actually needs, and stop frequent collection in the background."},
	law.TopicSelfStart: {
		"关闭非必要的自启动和关联启动行为；确需自启动或关联启动的，应向用户明示并取得同意。",
		"Remove unnecessary self-start and associated start; where they are needed, tell the user and obtain consent."},
	law.TopicCancellation: {
		"提供便捷的账号注销功能，不得设置不合理的注销条件，并在承诺时限内完成注销和个人信息删除。",
		"Provide a convenient account cancellation function without unreasonable conditions, and complete cancellation and deletion within the promised time."},
	law.TopicRights: {
		"提供便捷的个人信息查阅、复制、更正、删除等权利行使途径，并及时响应用户请求。",
		"Provide convenient ways for users to access, copy, correct and delete their personal information, and respond to requests promptly."},
	law.TopicDeletion: {
		"在处理目的已实现、用户撤回同意或注销账号等情形下，及时删除相关个人信息。",
		"Delete personal information promptly when its purpose is fulfilled, consent is withdrawn or the account is cancelled."},
	law.TopicAdvertising: {
		"定向推送和个性化推荐应同时提供不针对个人特征的选项或便捷的拒绝方式。",
		"Offer, next to targeted push and personalised recommendation, an option not based on personal characteristics or an easy way to refuse."},
	law.TopicPopup: {
		"规范弹窗行为，提供清晰有效的关闭按钮，不得欺骗误导用户点击跳转。",
		"Make pop-ups closable with a clear, working close button, and do not mislead users into clicking through."},
	law.TopicSecurity: {
		"采取加密、访问控制等必要的安全技术措施保护个人信息安全，防止未经授权的访问及个人信息泄露。",
		"Protect personal information with the necessary security measures such as encryption and access control, and prevent unauthorised access and leaks."},
	law.TopicMinors: {
		"处理不满十四周岁未成年人个人信息的，应制定专门的个人信息处理规则并取得其父母或者其他监护人的同意。",
		"When processing the personal information of children under fourteen, adopt dedicated processing rules and obtain the consent of a parent or guardian."},
}

var rectificationGeneric = label{
	"对照上述依据对相关功能进行整改，确保个人信息收集使用行为合法、正当、必要，整改完成后提交整改报告。",
	"Rectify the functions concerned against the provision cited so that the collection and use of personal information is lawful, legitimate and necessary, and submit a rectification report.",
}

// DefaultRectification returns the product's default required-rectification
// text for a mark: chosen by the first rule id whose prefix (before the
// first '.') is a catalog topic, else by the first topic of the cited article
// in the embedded catalog that has a text, else a generic sentence. The
// inspector edits it per mark.
func DefaultRectification(ruleIDs []string, itemID, lang string) string {
	lang = normLang(lang)
	pick := func(l label) string {
		if lang == LangEN {
			return l.en
		}
		return l.zh
	}
	for _, r := range ruleIDs {
		prefix, rest, _ := strings.Cut(r, ".")
		switch {
		case prefix == "policy", strings.HasPrefix(rest, "element_missing"), strings.HasSuffix(rest, "undeclared"), strings.HasSuffix(rest, "unexplained"):
			prefix = law.TopicNotice // what the policy fails to say
		case prefix == "device" && strings.HasSuffix(rest, "before_consent"):
			prefix = law.TopicConsent
		case prefix == "device" && strings.Contains(rest, "self_start"):
			prefix = law.TopicSelfStart
		}
		if l, ok := rectificationTexts[prefix]; ok {
			return pick(l)
		}
	}
	if c, err := law.Embedded(); err == nil {
		if a, ok := c.Article(itemID); ok {
			for _, t := range a.Topics {
				if l, ok := rectificationTexts[t]; ok {
					return pick(l)
				}
			}
		}
	}
	return pick(rectificationGeneric)
}

// articleTopic returns the first catalog topic of an article, or "".
func articleTopic(itemID string) string {
	c, err := law.Embedded()
	if err != nil {
		return ""
	}
	if a, ok := c.Article(itemID); ok && len(a.Topics) > 0 {
		return a.Topics[0]
	}
	return ""
}
