package rules

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/pi"
)

// componentRules are the rules over manifest components and the code that
// runs in them: capabilities an inspector must see justified (accessibility,
// device admin), ways an app starts or updates itself, reads of the app list
// and the clipboard, collection from background components and personal data
// in plaintext URLs.
func componentRules() []Rule {
	return []Rule{
		{
			ID: "component.accessibility_service", TitleZH: "声明无障碍服务（可读取屏幕内容）", TitleEN: "Accessibility service declared",
			Severity: cases.SeverityMedium, Category: CategoryPlatform,
			Articles:      []string{"rd2019/4.1", "rd2019/2.3", "pipl/6"},
			Check:         checkAccessibility,
			DescriptionZH: "App（或其SDK）声明了无障碍服务（受BIND_ACCESSIBILITY_SERVICE保护或响应AccessibilityService动作的服务）。用户开启后，该服务可读取其他应用窗口中的全部文字和操作，属于可收集个人信息的能力；需确认有与之对应的业务功能、开启前同步告知目的，且隐私政策有说明。隐私政策提及无障碍时降为低。",
			DescriptionEN: "The app (or an SDK) declares an accessibility service (protected by BIND_ACCESSIBILITY_SERVICE or answering the AccessibilityService action). Once enabled it can read all text and actions in other apps' windows, a capability that collects personal information; the inspector checks that a function needs it, that its purpose is shown before it is enabled, and that the policy explains it. Low when the policy mentions accessibility.",
		},
		{
			ID: "component.device_admin", TitleZH: "声明设备管理器（阻碍卸载）", TitleEN: "Device administrator declared",
			Severity: cases.SeverityMedium, Category: CategoryPlatform,
			Articles:      []string{"n26/3"},
			Check:         checkDeviceAdmin,
			DescriptionZH: "App声明了设备管理器接收器（BIND_DEVICE_ADMIN或DEVICE_ADMIN_ENABLED）。激活后，用户须先取消激活才能卸载App，且App可锁屏、清除数据等；需确认有合理的业务场景（如企业管理、防盗），否则构成阻挠卸载。",
			DescriptionEN: "The app declares a device-admin receiver (BIND_DEVICE_ADMIN or DEVICE_ADMIN_ENABLED). Once activated, users must deactivate it before they can uninstall the app, and it can lock the screen or wipe data; unless a real function (enterprise management, anti-theft) needs it, it obstructs uninstalling.",
		},
		{
			ID: "component.self_start", TitleZH: "具备自启动或关联启动能力", TitleEN: "Can start itself or be started by other apps",
			Severity: cases.SeverityMedium, Category: CategoryPlatform,
			Articles:      []string{"n164/2.2", "n26/6"},
			Check:         checkSelfStartCapability,
			DescriptionZH: "清单中有静态接收器监听开机、解锁、网络变化、应用安装等系统广播（用户未操作时即可拉起App），有同步适配器，或有供其他应用绑定、未受权限保护的导出服务（第三方SDK常用于关联启动）。开机自启动（含RECEIVE_BOOT_COMPLETED）为中，其余为低；需在设备上确认是否频繁发生、是否经用户同意。",
			DescriptionEN: "The manifest has static receivers for boot, unlock, connectivity, package and similar system broadcasts (they start the app without any user action), sync adapters, or exported services without a permission that other apps bind (SDKs use them for associated starts). Medium with a boot receiver (and RECEIVE_BOOT_COMPLETED), low otherwise; confirm on a device whether it happens often and without consent.",
		},
		{
			ID: "component.self_update", TitleZH: "具备自行下载安装应用的能力", TitleEN: "Can download and install apps by itself",
			Severity: cases.SeverityMedium, Category: CategoryPlatform,
			Articles:      []string{"n26/1", "n26/6"},
			Check:         checkSelfUpdate,
			DescriptionZH: "App申请REQUEST_INSTALL_PACKAGES/INSTALL_PACKAGES，组件处理APK安装包类型，或集成自更新/下载安装模块（如友盟、百度、华为的更新SDK）。需确认下载安装前明示并经用户确认，不静默下载、不自行更新。仅有权限时为低。",
			DescriptionEN: "The app requests REQUEST_INSTALL_PACKAGES/INSTALL_PACKAGES, has components that handle the APK MIME type, or embeds a self-update/download-install module (Umeng's, Baidu's, Huawei's update SDKs …). The inspector checks that every download and install is shown and confirmed by the user, never silent. Low with the permission only.",
		},
		{
			ID: "api.app_list", TitleZH: "读取已安装应用列表", TitleEN: "Reads the list of installed apps",
			Severity: cases.SeverityMedium, Category: CategoryNecessity,
			Articles:      []string{"n164/1.2", "rd2019/4.1", "pipl/6"},
			Check:         checkAppList,
			DescriptionZH: "App申请QUERY_ALL_PACKAGES，或其代码（含SDK）调用getInstalledPackages/getInstalledApplications等读取软件安装列表的接口。每个行为主体（App或SDK）一条；隐私政策声明了软件列表时为低。需确认有业务必需、经用户同意且频度合理。",
			DescriptionEN: "The app requests QUERY_ALL_PACKAGES, or its code (SDKs included) calls getInstalledPackages/getInstalledApplications or other app-list APIs. One candidate per subject (app or SDK); low when the policy declares the app list. Check that a function needs it, that users agreed, and how often it happens.",
		},
		{
			ID: "api.clipboard", TitleZH: "读取剪切板", TitleEN: "Reads the clipboard",
			Severity: cases.SeverityMedium, Category: CategoryNecessity,
			Articles:      []string{"rd2019/4.1", "pipl/6"},
			Check:         checkClipboard,
			DescriptionZH: "App或SDK的代码读取剪切板内容（getPrimaryClip、getText等）。剪切板可能含其他应用复制的账号、验证码等；需确认仅在用户操作时读取、与功能相关，并在隐私政策中说明。每个行为主体一条；隐私政策声明剪切板时为低。",
			DescriptionEN: "Code of the app or of an SDK reads the clipboard (getPrimaryClip, getText …). The clipboard may hold accounts or codes copied from other apps; check that it is read only on a user action, for a function that needs it, and that the policy says so. One candidate per subject; low when the policy declares the clipboard.",
		},
		{
			ID: "api.background_collection", TitleZH: "后台组件中读取设备标识或位置", TitleEN: "Identifiers or location read in background components",
			Severity: cases.SeverityMedium, Category: CategoryNecessity,
			Articles:      []string{"n164/1.2", "pipl/6"},
			Check:         checkBackgroundCollection,
			DescriptionZH: "读取设备标识（IMEI、MAC、序列号、Android ID等）、位置、本机号码或已安装应用的调用点位于清单声明的服务或广播接收器（含其内部类）中，即可在用户未使用App时（后台或静默状态）执行。每个行为主体一条；需在设备上确认后台是否实际收集。",
			DescriptionEN: "Calls that read device identifiers (IMEI, MAC, serial, Android ID …), location, the phone number or the app list sit in a service or broadcast receiver declared in the manifest (or its inner classes), so they can run while the user is not using the app (background or silent state). One candidate per subject; confirm on a device whether it collects in the background.",
		},
		{
			ID: "security.plaintext_personal_data", TitleZH: "明文URL携带个人信息参数", TitleEN: "Personal data in plaintext URLs",
			Severity: cases.SeverityHigh, Category: CategorySecurity,
			Articles:      []string{"pipl/51", "pipl/9"},
			Check:         checkPlaintextPersonal,
			DescriptionZH: "App中的http://（非加密）地址的查询参数或路径带有设备标识、手机号、位置等个人信息字段名（如imei、mac、androidid、oaid、phone、lat/lng），这些信息将以明文传输。内网及回环地址不计。",
			DescriptionEN: "http:// (unencrypted) URLs in the app carry query parameters or path segments named after personal information (imei, mac, androidid, oaid, phone, lat/lng …), so that information travels in plaintext. Private and loopback addresses are skipped.",
		},
	}
}

// componentRectifications are the default rectification texts of the
// component rules, merged into rectifications at init.
var componentRectifications = map[RuleID][2]string{
	"component.accessibility_service": {
		"无对应业务功能的，删除无障碍服务；确需的，在用户开启前以显著方式告知用途和可读取的内容，并在隐私政策中说明。",
		"Remove the accessibility service unless a function needs it; if it does, tell users before they enable it what it is for and what it can read, and explain it in the policy.",
	},
	"component.device_admin": {
		"无合理业务场景的，删除设备管理器组件；确需的，激活前告知用途，并保证用户可便捷取消激活和卸载。",
		"Remove the device-admin component unless a real function needs it; if it does, explain its use before activation and keep deactivation and uninstalling easy.",
	},
	"component.self_start": {
		"删除无合理场景的开机、系统广播静态接收器和可被其他应用拉起的导出服务；确需的，告知用户并取得同意，控制频次，且不得早于用户同意隐私政策。",
		"Remove boot and system-broadcast receivers and exported services other apps can start unless a user scenario needs them; tell users about and get consent for the needed ones, limit their frequency, and never start before the user agrees to the policy.",
	},
	"component.self_update": {
		"下载、安装或更新应用前，向用户明示应用名称、开发者、版本、权限和隐私政策，并经用户确认；不得静默下载或自行更新，并提供暂停、取消选项。",
		"Before downloading, installing or updating an app, show its name, developer, version, permissions and privacy policy and get the user's confirmation; never download or update silently, and offer pause and cancel.",
	},
	"api.app_list": {
		"非业务必需不读取软件安装列表；确需的，在隐私政策中说明目的，取得用户同意，并降低读取频次（可改用<queries>声明所需的具体应用）。",
		"Do not read the app list unless a function needs it; if it does, explain why in the policy, obtain consent and read it rarely (declare the specific apps needed with <queries> instead).",
	},
	"api.clipboard": {
		"仅在用户主动粘贴等操作时读取剪切板，并在隐私政策中说明读取剪切板的场景和目的；督促SDK停止读取。",
		"Read the clipboard only on a user action such as paste, and explain when and why in the policy; have SDKs stop reading it.",
	},
	"api.background_collection": {
		"在后台或静默状态下不收集设备标识、位置等个人信息；确需的，说明场景、取得同意，并将频次降至业务所需的最低。",
		"Do not collect identifiers, location or other personal information in the background or silent state; if a function needs it, explain the scenario, obtain consent and keep the frequency to the minimum it needs.",
	},
	"security.plaintext_personal_data": {
		"所有携带个人信息的通信改用HTTPS等加密传输，个人信息不放在URL参数中。",
		"Send every request that carries personal information over HTTPS or other encrypted transport, and keep personal information out of URL parameters.",
	},
}

func init() {
	for id, r := range componentRectifications {
		rectifications[id] = r
	}
}

// hasAction reports whether any intent filter of c lists one of the actions.
func hasAction(c apk.Component, actions ...string) (string, bool) {
	for _, f := range c.IntentFilters {
		for _, a := range f.Actions {
			if slices.Contains(actions, a) {
				return a, true
			}
		}
	}
	return "", false
}

func componentEvidence(c apk.Component, detail string) Evidence {
	return Evidence{Key: "component:" + c.Kind + ":" + c.Name, Kind: "component", Ref: c.Name, Detail: detail}
}

func checkAccessibility(f *Facts) []Candidate {
	var ev []Evidence
	var names []string
	for _, c := range f.Scan.Components {
		if c.Kind != "service" {
			continue
		}
		_, act := hasAction(c, "android.accessibilityservice.AccessibilityService")
		if c.Permission != "android.permission.BIND_ACCESSIBILITY_SERVICE" && !act {
			continue
		}
		ev = append(ev, componentEvidence(c, "accessibility service"))
		names = append(names, c.Name)
	}
	if len(ev) == 0 {
		return nil
	}
	cand := Candidate{
		Evidence:      ev,
		ExplanationZH: fmt.Sprintf("清单声明了%d个无障碍服务（%s）。开启后可读取其他应用窗口的内容。", len(names), strings.Join(names, "、")),
		ExplanationEN: fmt.Sprintf("The manifest declares %d accessibility service(s) (%s). Once enabled they can read the content of other apps' windows.", len(names), strings.Join(names, ", ")),
	}
	if sp, ok := policyMentions(f, "无障碍", "辅助功能", "accessibility"); ok {
		cand.Severity = cases.SeverityLow
		cand.Evidence = append(cand.Evidence, policyEvidence(f, sp[0], sp[1], "policy mentions accessibility"))
		cand.ExplanationZH += "隐私政策提及无障碍功能，请核对其说明是否充分。"
		cand.ExplanationEN += " The policy mentions accessibility; check that it explains enough."
	} else {
		cand.ExplanationZH += "隐私政策未提及无障碍功能。"
		cand.ExplanationEN += " The policy does not mention accessibility."
	}
	return []Candidate{cand}
}

// policyMentions returns the rune span of the first of words found in the
// policy text (case-insensitive for Latin words).
func policyMentions(f *Facts, words ...string) ([2]int, bool) {
	if f.PolicyText == "" {
		return [2]int{}, false
	}
	lower := strings.ToLower(f.PolicyText)
	for _, w := range words {
		if i := strings.Index(lower, strings.ToLower(w)); i >= 0 && len(lower) == len(f.PolicyText) {
			start := len([]rune(f.PolicyText[:i]))
			return [2]int{start, start + len([]rune(w))}, true
		}
	}
	return [2]int{}, false
}

func checkDeviceAdmin(f *Facts) []Candidate {
	var ev []Evidence
	var names []string
	for _, c := range f.Scan.Components {
		if c.Kind != "receiver" {
			continue
		}
		_, act := hasAction(c, "android.app.action.DEVICE_ADMIN_ENABLED")
		if c.Permission != "android.permission.BIND_DEVICE_ADMIN" && !act {
			continue
		}
		ev = append(ev, componentEvidence(c, "device admin receiver"))
		names = append(names, c.Name)
	}
	if len(ev) == 0 {
		return nil
	}
	return []Candidate{{
		Evidence:      ev,
		ExplanationZH: fmt.Sprintf("清单声明了设备管理器接收器（%s）。激活后用户须先取消激活才能卸载App。", strings.Join(names, "、")),
		ExplanationEN: fmt.Sprintf("The manifest declares a device-admin receiver (%s). Once activated, the app cannot be uninstalled until it is deactivated.", strings.Join(names, ", ")),
	}}
}

// bootActions start an app when the device boots.
var bootActions = []string{
	"android.intent.action.BOOT_COMPLETED", "android.intent.action.LOCKED_BOOT_COMPLETED",
	"android.intent.action.QUICKBOOT_POWERON", "com.htc.intent.action.QUICKBOOT_POWERON",
	"android.intent.action.REBOOT",
}

// wakeActions are system broadcasts that start an app with a static receiver
// without any user action in the app.
var wakeActions = []string{
	"android.intent.action.USER_PRESENT", "android.net.conn.CONNECTIVITY_CHANGE",
	"android.net.wifi.STATE_CHANGE", "android.net.wifi.WIFI_STATE_CHANGED",
	"android.intent.action.PACKAGE_ADDED", "android.intent.action.PACKAGE_REMOVED",
	"android.intent.action.PACKAGE_REPLACED", "android.intent.action.PACKAGE_CHANGED",
	"android.intent.action.ACTION_POWER_CONNECTED", "android.intent.action.ACTION_POWER_DISCONNECTED",
	"android.intent.action.BATTERY_CHANGED", "android.intent.action.BATTERY_LOW", "android.intent.action.BATTERY_OKAY",
	"android.intent.action.SCREEN_ON", "android.intent.action.SCREEN_OFF",
	"android.intent.action.TIME_SET", "android.intent.action.TIMEZONE_CHANGED", "android.intent.action.DATE_CHANGED",
	"android.intent.action.MEDIA_MOUNTED", "android.intent.action.MEDIA_UNMOUNTED",
	"android.intent.action.PHONE_STATE", "android.intent.action.NEW_OUTGOING_CALL",
	"android.provider.Telephony.SMS_RECEIVED", "android.bluetooth.adapter.action.STATE_CHANGED",
	"android.intent.action.HEADSET_PLUG", "android.intent.action.AIRPLANE_MODE",
}

func checkSelfStartCapability(f *Facts) []Candidate {
	var ev []Evidence
	boot := false
	var kinds []string
	add := func(k string) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for _, c := range f.Scan.Components {
		switch c.Kind {
		case "receiver":
			if !c.Enabled {
				continue
			}
			if a, ok := hasAction(c, bootActions...); ok {
				boot = true
				add("boot")
				ev = append(ev, componentEvidence(c, "static receiver: "+a))
			} else if a, ok := hasAction(c, wakeActions...); ok {
				add("system_broadcast")
				ev = append(ev, componentEvidence(c, "static receiver: "+a))
			}
		case "service":
			if !c.Enabled {
				continue
			}
			if _, ok := hasAction(c, "android.content.SyncAdapter"); ok {
				add("sync_adapter")
				ev = append(ev, componentEvidence(c, "sync adapter"))
				continue
			}
			if c.Exported && c.Permission == "" && len(c.IntentFilters) > 0 {
				if _, sys := hasAction(c, "android.accessibilityservice.AccessibilityService"); sys {
					continue
				}
				add("exported_service")
				ev = append(ev, componentEvidence(c, "exported service without permission (other apps can bind or start it)"))
			}
		}
	}
	if len(ev) == 0 {
		return nil
	}
	cand := Candidate{Evidence: ev, Severity: cases.SeverityLow}
	for _, p := range f.Scan.Permissions {
		if p.Name == "android.permission.RECEIVE_BOOT_COMPLETED" {
			cand.Evidence = append(cand.Evidence, permissionEvidence(p))
		}
	}
	if boot {
		cand.Severity = cases.SeverityMedium
	}
	zh := map[string]string{"boot": "开机自启动接收器", "system_broadcast": "系统广播静态接收器", "sync_adapter": "同步适配器", "exported_service": "可被其他应用拉起的导出服务"}
	en := map[string]string{"boot": "boot receivers", "system_broadcast": "static receivers of system broadcasts", "sync_adapter": "sync adapters", "exported_service": "exported services other apps can start"}
	var kz, ke []string
	for _, k := range kinds {
		kz = append(kz, zh[k])
		ke = append(ke, en[k])
	}
	cand.ExplanationZH = fmt.Sprintf("清单中有%d个可在用户未操作时启动App的组件（%s）。请在设备上确认自启动、关联启动的频次及是否经用户同意。", len(ev), strings.Join(kz, "、"))
	cand.ExplanationEN = fmt.Sprintf("The manifest has %d component(s) that start the app without a user action (%s). Check on a device how often it self-starts or is started by other apps, and whether users agreed.", len(ev), strings.Join(ke, ", "))
	return []Candidate{cand}
}

// updateSDKs are catalog SDKs that download and install APKs.
var updateSDKs = []string{"umeng-update", "baidu-autoupdate", "hms-update", "rupgrade", "smart-app-updates"}

// updateComponentPrefixes are package prefixes of self-update and
// download-install modules whose components show up in manifests.
var updateComponentPrefixes = []string{
	"com.umeng.update.", "com.baidu.autoupdatesdk.", "com.huawei.updatesdk.", "com.tencent.bugly.beta.",
	"com.xiaomi.market.sdk.", "com.qihoo.appstore.updatelib.", "com.azhon.appupdate.",
	"com.allenliu.versionchecklib.", "org.lzh.framework.updatepluginlib.", "com.vector.update_app.",
	"com.pgyersdk.update.", "com.vivo.upgradelibrary.", "com.king.app.updater.",
}

const apkMIME = "application/vnd.android.package-archive"

func checkSelfUpdate(f *Facts) []Candidate {
	var ev []Evidence
	strong := false
	for _, p := range f.Scan.Permissions {
		if p.Name == "android.permission.REQUEST_INSTALL_PACKAGES" || p.Name == "android.permission.INSTALL_PACKAGES" {
			ev = append(ev, permissionEvidence(p))
		}
	}
	for _, s := range f.Scan.SDKs {
		if slices.Contains(updateSDKs, s.ID) {
			strong = true
			ev = append(ev, Evidence{Key: "sdk:" + s.ID, Kind: "sdk", Ref: s.ID, Detail: s.Name + " (self-update module)", Owner: s.ID})
		}
	}
	for _, c := range f.Scan.Components {
		matched := ""
		for _, p := range updateComponentPrefixes {
			if strings.HasPrefix(c.Name, p) {
				matched = "self-update module component"
			}
		}
		for _, fl := range c.IntentFilters {
			if slices.Contains(fl.MimeTypes, apkMIME) {
				matched = "handles " + apkMIME
			}
		}
		if matched != "" {
			strong = true
			ev = append(ev, componentEvidence(c, matched))
		}
	}
	if len(ev) == 0 {
		return nil
	}
	cand := Candidate{Evidence: ev}
	if !strong {
		cand.Severity = cases.SeverityLow
		cand.ExplanationZH = "App申请了安装应用的权限，可自行下载安装APK。请确认下载安装前均经用户确认。"
		cand.ExplanationEN = "The app requests the permission to install packages, so it can download and install APKs itself. Check that every download and install is confirmed by the user."
	} else {
		cand.ExplanationZH = fmt.Sprintf("App集成了自更新或下载安装模块（%d项证据），可自行下载并安装APK。请确认下载、安装、更新前均向用户明示并经确认，没有静默下载或自行更新。", len(ev))
		cand.ExplanationEN = fmt.Sprintf("The app embeds a self-update or download-install module (%d piece(s) of evidence) that can download and install APKs. Check that every download, install and update is shown to and confirmed by the user, never silent.", len(ev))
	}
	return []Candidate{cand}
}

// appListAPIs read the list of installed apps (the lookups of one package
// stay out: see lowSignalAPIs).
var appListAPIs = []string{
	"pm.getInstalledPackages", "pm.getInstalledApplications", "apm.getInstalledPackages", "apm.getInstalledApplications",
	"reflect.getInstalledPackages", "reflect.getInstalledApplications", "launcherapps.getActivityList",
}

// bySubject groups the call sites of the given APIs by subject (app or SDK).
func bySubject(r *inspect.Result, keep func(inspect.APIUse) bool, callerOK func(inspect.Caller) bool) map[string][]Evidence {
	out := map[string][]Evidence{}
	for _, a := range r.APIs {
		if !keep(a) {
			continue
		}
		n := map[string]int{}
		for _, c := range a.Callers {
			if callerOK != nil && !callerOK(c) {
				continue
			}
			s := subjectOf(c.Owner)
			if s == "" || n[s] >= maxCallSites {
				continue
			}
			n[s]++
			out[s] = append(out[s], Evidence{
				Key: "api:" + a.ID + "@" + c.Class + "#" + c.Method, Kind: "api", Ref: a.ID,
				Detail: a.Class + "." + a.Method, Owner: c.Owner,
			})
		}
		if len(a.Callers) == 0 && callerOK == nil {
			out[inspect.OwnerApp] = append(out[inspect.OwnerApp], Evidence{Key: "api:" + a.ID, Kind: "api", Ref: a.ID, Detail: a.Class + "." + a.Method + " (string evidence only)"})
		}
	}
	return out
}

func sortedSubjects(m map[string][]Evidence) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// subjectZH and subjectEN name whose code a candidate is about: the app's
// own code, a catalog SDK by its name (never its internal id), or
// unidentified third-party code by its package root.
func (f *Facts) subjectZH(s string) string {
	if s == inspect.OwnerApp {
		return "App自身代码"
	}
	if x, ok := f.sdkByID(s); ok {
		return "第三方SDK“" + firstNonEmpty(x.NameZH, x.Name) + "”"
	}
	return "第三方代码（" + s + "）"
}

func (f *Facts) subjectEN(s string) string {
	if s == inspect.OwnerApp {
		return "the app's own code"
	}
	if x, ok := f.sdkByID(s); ok {
		return "the third-party SDK \"" + firstNonEmpty(x.Name, x.NameZH) + "\""
	}
	return "third-party code under " + s
}

func (f *Facts) sdkByID(id string) (inspect.SDK, bool) {
	if f.Scan == nil {
		return inspect.SDK{}, false
	}
	for _, x := range f.Scan.SDKs {
		if x.ID == id {
			return x, true
		}
	}
	return inspect.SDK{}, false
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func declaredCategory(f *Facts, c pi.Category) (Evidence, bool) {
	if f.Policy == nil {
		return Evidence{}, false
	}
	d := f.Policy.Declares(c)
	if len(d) == 0 {
		return Evidence{}, false
	}
	return policyEvidence(f, d[0].Start, d[0].End, "declared "+string(c)), true
}

func checkAppList(f *Facts) []Candidate {
	groups := bySubject(f.Scan, func(a inspect.APIUse) bool { return slices.Contains(appListAPIs, a.ID) }, nil)
	for _, p := range f.Scan.Permissions {
		if p.Name == "android.permission.QUERY_ALL_PACKAGES" {
			groups[inspect.OwnerApp] = append(groups[inspect.OwnerApp], permissionEvidence(p))
		}
	}
	return perSubject(f, groups, pi.InstalledApps, "读取软件安装列表", "reads the list of installed apps")
}

// perSubject makes one candidate per subject, low when the policy declares
// the category.
func perSubject(f *Facts, groups map[string][]Evidence, c pi.Category, whatZH, whatEN string) []Candidate {
	var out []Candidate
	for _, s := range sortedSubjects(groups) {
		// the one disclosure judgement of this subject's reads, where the
		// scan has such calls; else the policy's own words for the category
		decl, declared := declaredCategory(f, c)
		if d, ok := f.lookup(DiscloseAPI, s, string(c)); ok {
			declared = d.Declared
			if declared {
				decl = policyEvidence(f, d.Spans[0].Start, d.Spans[0].End, "declared "+string(c))
			}
		}
		cand := Candidate{
			Subject:       s,
			Evidence:      groups[s],
			ExplanationZH: fmt.Sprintf("%s%s（%d处证据）。", f.subjectZH(s), whatZH, len(groups[s])),
			ExplanationEN: fmt.Sprintf("%s %s (%d piece(s) of evidence).", capitalize(f.subjectEN(s)), whatEN, len(groups[s])),
		}
		if declared {
			cand.Severity = cases.SeverityLow
			cand.Evidence = append(cand.Evidence, decl)
			cand.ExplanationZH += "隐私政策声明了该类信息，请确认目的、同意和频次。"
			cand.ExplanationEN += " The policy declares this information; check purpose, consent and frequency."
		} else {
			cand.ExplanationZH += "隐私政策未声明该类信息。"
			cand.ExplanationEN += " The policy does not declare this information."
		}
		out = append(out, cand)
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// clipboardReads are the clipboard APIs that read content (hasText and the
// description only probe, but they are how SDKs decide to read).
var clipboardReads = []string{
	"clipboard.getPrimaryClip", "clipboard.getText", "clipboard.text.getText", "reflect.getPrimaryClip",
}

func checkClipboard(f *Facts) []Candidate {
	groups := bySubject(f.Scan, func(a inspect.APIUse) bool { return slices.Contains(clipboardReads, a.ID) }, nil)
	return perSubject(f, groups, pi.Clipboard, "读取剪切板内容", "reads the clipboard")
}

// backgroundCategories are what api.background_collection looks for.
var backgroundCategories = []pi.Category{pi.DeviceID, pi.Location, pi.PhoneNumber, pi.InstalledApps}

func checkBackgroundCollection(f *Facts) []Candidate {
	bg := map[string]string{} // class → component kind
	for _, c := range f.Scan.Components {
		if c.Kind == "service" || c.Kind == "receiver" {
			bg[c.Name] = c.Kind
		}
	}
	if len(bg) == 0 {
		return nil
	}
	inBG := func(c inspect.Caller) bool {
		cls := c.Class
		if i := strings.IndexByte(cls, '$'); i >= 0 {
			cls = cls[:i]
		}
		_, ok := bg[cls]
		return ok
	}
	groups := bySubject(f.Scan, func(a inspect.APIUse) bool {
		return !a.Weak && slices.Contains(backgroundCategories, a.Category) && !LowSignalAPI(a.ID)
	}, inBG)
	var out []Candidate
	for _, s := range sortedSubjects(groups) {
		ev := groups[s]
		var cls []string
		for _, e := range ev {
			c := e.Key[strings.IndexByte(e.Key, '@')+1:]
			c = c[:strings.IndexByte(c, '#')]
			if i := strings.IndexByte(c, '$'); i >= 0 {
				c = c[:i]
			}
			if !slices.Contains(cls, c) {
				cls = append(cls, c)
				ev = append(ev, Evidence{Key: "component:" + bg[c] + ":" + c, Kind: "component", Ref: c, Detail: bg[c]})
			}
		}
		out = append(out, Candidate{
			Subject:       s,
			Evidence:      ev,
			ExplanationZH: fmt.Sprintf("%s在后台组件（%s）中读取设备标识、位置等个人信息，可在用户未使用App时执行。请在设备上确认后台或静默状态下是否收集。", f.subjectZH(s), strings.Join(cls, "、")),
			ExplanationEN: fmt.Sprintf("%s reads identifiers, location or similar information in background components (%s), which can run while the user is not using the app. Check on a device whether it collects in the background or silent state.", capitalize(f.subjectEN(s)), strings.Join(cls, ", ")),
		})
	}
	return out
}

// piParams are URL parameter names that carry personal information.
var piParams = map[string]string{
	"imei": "imei", "imsi": "imsi", "meid": "meid", "mac": "mac", "macaddr": "mac", "mac_address": "mac", "wifimac": "mac",
	"androidid": "android_id", "android_id": "android_id", "oaid": "oaid", "idfa": "idfa", "serial": "serial",
	"serialno": "serial", "iccid": "iccid", "phone": "phone_number", "mobile": "phone_number", "phonenum": "phone_number",
	"tel": "phone_number", "msisdn": "phone_number", "lat": "location", "lng": "location", "lon": "location",
	"latitude": "location", "longitude": "location", "location": "location", "gps": "location", "idcard": "idcard",
	"deviceid": "device_id", "device_id": "device_id", "udid": "device_id",
}

// piKinds name the kinds of personal information seen in a URL or a
// request (piParams' values and inspect/netcap's PIHit kinds).
var piKinds = map[string][2]string{
	"imei": {"IMEI", "IMEI"}, "imsi": {"IMSI", "IMSI"}, "meid": {"MEID", "MEID"}, "mac": {"MAC地址", "MAC address"},
	"android_id": {"Android ID", "Android ID"}, "oaid": {"OAID", "OAID"}, "idfa": {"IDFA", "IDFA"},
	"serial": {"设备序列号", "serial number"}, "iccid": {"ICCID", "ICCID"}, "phone_number": {"手机号码", "phone number"},
	"location": {"位置", "location"}, "idcard": {"身份证号", "ID card number"}, "device_id": {"设备标识", "device identifier"},
}

// piKindNames names kinds for a reader in Chinese or English; a kind the
// table does not know is left out (the categories name it).
func piKindNames(kinds []string, zh bool) []string {
	var out []string
	for _, k := range kinds {
		l, ok := piKinds[k]
		if !ok {
			continue
		}
		n := l[1]
		if zh {
			n = l[0]
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func checkPlaintextPersonal(f *Facts) []Candidate {
	var ev []Evidence
	var kinds []string
	for _, e := range f.Scan.Endpoints {
		if e.Kind != endpoint.URL || e.Private || !strings.HasPrefix(strings.ToLower(e.Value), "http://") {
			continue
		}
		u, err := url.Parse(e.Value)
		if err != nil {
			continue
		}
		var hits []string
		for k := range u.Query() {
			if what, ok := piParams[strings.ToLower(k)]; ok && !slices.Contains(hits, what) {
				hits = append(hits, what)
			}
		}
		sort.Strings(hits)
		if len(hits) == 0 {
			continue
		}
		for _, h := range hits {
			if !slices.Contains(kinds, h) {
				kinds = append(kinds, h)
			}
		}
		ev = append(ev, Evidence{Key: "endpoint:" + e.Value, Kind: "endpoint", Ref: e.Value, Detail: "plaintext URL with " + strings.Join(piKindNames(hits, false), ", ") + " (" + strings.Join(e.Sources, ", ") + ")"})
	}
	if len(ev) == 0 {
		return nil
	}
	sort.Strings(kinds)
	return []Candidate{{
		Evidence:      ev,
		ExplanationZH: fmt.Sprintf("%d个http://明文地址的参数携带个人信息（%s），将未加密传输。", len(ev), strings.Join(piKindNames(kinds, true), "、")),
		ExplanationEN: fmt.Sprintf("%d plaintext http:// URL(s) carry personal information in their parameters (%s), which travels unencrypted.", len(ev), strings.Join(piKindNames(kinds, false), ", ")),
	}}
}
