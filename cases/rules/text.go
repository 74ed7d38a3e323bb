package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/inspect/pi"
)

// catZH and catEN name a category for explanations.
func catZH(c pi.Category) string {
	if i, ok := pi.Lookup(c); ok && i.ZH != "" {
		return i.ZH
	}
	return string(c)
}

func catEN(c pi.Category) string {
	if i, ok := pi.Lookup(c); ok && i.EN != "" {
		return i.EN
	}
	return string(c)
}

func sensitive(c pi.Category) bool {
	i, ok := pi.Lookup(c)
	return ok && i.Sensitive
}

// catsZH and catsEN list categories for explanations.
func catsZH(cs []pi.Category) string {
	var s []string
	for _, c := range cs {
		s = append(s, catZH(c))
	}
	return strings.Join(s, "、")
}

func catsEN(cs []pi.Category) string {
	var s []string
	for _, c := range cs {
		s = append(s, catEN(c))
	}
	return strings.Join(s, ", ")
}

// sortedCats returns the distinct categories of cs, sorted.
func sortedCats(cs []pi.Category) []pi.Category {
	seen := map[pi.Category]bool{}
	var out []pi.Category
	for _, c := range cs {
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// excerpt returns up to max runes of text[start:end), with an ellipsis when cut.
func excerpt(text string, start, end, max int) string {
	if text == "" || start < 0 || end <= start {
		return ""
	}
	rs := []rune(text)
	if start >= len(rs) {
		return ""
	}
	if end > len(rs) {
		end = len(rs)
	}
	s := rs[start:end]
	if len(s) > max {
		return strings.TrimSpace(string(s[:max])) + "…"
	}
	return strings.TrimSpace(strings.ReplaceAll(string(s), "\n", " "))
}

// policyEvidence references the policy span [start,end).
func policyEvidence(f *Facts, start, end int, note string) Evidence {
	d := excerpt(f.PolicyText, start, end, 120)
	if note != "" {
		if d != "" {
			d = note + ": " + d
		} else {
			d = note
		}
	}
	return Evidence{
		Key: fmt.Sprintf("policy:%d-%d", start, end), Kind: "policy",
		Detail: d, Start: start, End: end,
	}
}

// timeKey formats a device time for keys: RFC 3339 in UTC, to the nanosecond.
func timeKey(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// rectifications holds the default required-rectification text of each rule
// (consent elements are generated in consentRules).
var rectifications = map[RuleID][2]string{
	"policy.missing": {
		"制定并在App内以显著方式公开隐私政策，逐一列明收集使用个人信息的目的、方式、范围，在首次运行时提示用户阅读并取得同意。",
		"Publish a privacy policy in the app, prominently, listing the purpose, method and scope of each collection of personal information; show it at first run and obtain consent.",
	},
	"permission.undeclared": {
		"在隐私政策中逐一列明该权限所收集的个人信息种类及其目的，或删除与业务功能无关的权限申请。",
		"List in the privacy policy the personal information this permission collects and why, or remove the permission if no function needs it.",
	},
	"permission.unexplained": {
		"在隐私政策及申请权限时同步、明确告知用户申请该权限的目的和用途。",
		"State clearly, in the policy and when requesting the permission, what the permission is used for.",
	},
	"sdk.undisclosed": {
		"在隐私政策（或第三方共享清单）中列明该第三方SDK的名称、提供者、联系方式、处理目的、方式和个人信息种类，并取得用户单独同意；不需要的SDK应移除。",
		"List the third-party SDK in the policy (or its third-party sharing list) with its name, provider, contact, purpose, method and data types, and obtain separate consent; remove SDKs that are not needed.",
	},
	"sdk.data_understated": {
		"在第三方SDK清单中完整列明该SDK实际收集的个人信息种类，或通过配置关闭SDK对未声明信息的收集。",
		"Complete the SDK's entry in the third-party list with every data type it actually collects, or configure the SDK not to collect the undeclared data.",
	},
	"api.undeclared": {
		"在隐私政策中声明该类个人信息的收集及目的，或停止调用相关接口；第三方SDK的调用由App运营者督促SDK提供者整改。",
		"Declare the collection of this information and its purpose in the policy, or stop calling the API; for calls made by an SDK, have the SDK provider fix it.",
	},
	"scope.beyond_necessary": {
		"仅收集基本功能服务所必需的个人信息；用户拒绝提供非必要个人信息时，不得拒绝其使用基本功能服务。",
		"Collect only the information the basic function needs; users who refuse non-necessary information must still be able to use the basic function.",
	},
	"platform.target_sdk_lt_23": {
		"将targetSdkVersion提升至23及以上，改为运行时按需申请权限，并在用户同意隐私政策后再申请。",
		"Raise targetSdkVersion to 23 or later, request permissions at run time when needed, and only after the user has agreed to the privacy policy.",
	},
	"security.cleartext": {
		"关闭明文流量（usesCleartextTraffic=false或网络安全配置），全部通信使用HTTPS等加密传输。",
		"Disable cleartext traffic (usesCleartextTraffic=false or a network security config) and use HTTPS or other encrypted transport for all traffic.",
	},
	"security.debuggable": {
		"发布版本关闭调试（android:debuggable=false）。",
		"Build release versions with android:debuggable=false.",
	},
	"security.allow_backup": {
		"设置android:allowBackup=false，或以备份规则排除个人信息文件。",
		"Set android:allowBackup=false, or exclude files holding personal information with backup rules.",
	},
	"security.exported_component": {
		"不需要被其他应用调用的组件设置android:exported=false，必须导出的组件以签名级权限保护并校验调用方。",
		"Set android:exported=false on components other apps need not call; protect the rest with a signature-level permission and check callers.",
	},
	"device.access_before_consent": {
		"在用户同意隐私政策前不得收集个人信息（含第三方SDK），SDK初始化应推迟到用户同意之后。",
		"Collect no personal information (SDKs included) before the user agrees to the privacy policy; initialise SDKs only after consent.",
	},
	"device.permission_before_consent": {
		"在用户同意隐私政策前不得申请或打开可收集个人信息的权限。",
		"Do not request or open permissions that can collect personal information before the user agrees to the privacy policy.",
	},
	"device.frequent_self_start": {
		"取消无合理场景的自启动和关联启动，确需的应向用户告知并取得同意，并控制频次。",
		"Remove self-starts and associated starts that no user scenario needs; tell users about and obtain consent for the necessary ones, and limit their frequency.",
	},
}

// Rectification returns the default required-rectification text of a rule in
// lang ("zh" or "en"), or "" for an unknown rule.
func Rectification(id RuleID, lang string) string {
	loadRegistry()
	if r, ok := rectifications[id]; ok {
		return pick(lang, r[0], r[1])
	}
	if r, ok := elementRectifications[id]; ok {
		return pick(lang, r[0], r[1])
	}
	if r, ok := networkRectifications[id]; ok {
		return pick(lang, r[0], r[1])
	}
	return ""
}
