package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
)

func platformRules() []Rule {
	return []Rule{
		{
			ID: "platform.target_sdk_lt_23", TitleZH: "targetSdkVersion低于23，安装即授予全部权限", TitleEN: "targetSdk below 23: permissions granted at install",
			Severity: cases.SeverityMedium, Category: CategoryPlatform,
			Articles:      []string{"rd2019/3.1", "rd2019/2.3", "rd2019/4.6"},
			Check:         checkTargetSDK,
			DescriptionZH: "targetSdkVersion低于23的App不使用运行时权限：申请的危险权限在安装时一并授予，早于用户同意隐私政策，也无法在使用相关功能时同步告知目的。仅当App申请危险权限时提出。",
			DescriptionEN: "An app targeting SDK below 23 gets no runtime permission prompts: its dangerous permissions are granted at install, before the user agrees to the policy and without a purpose shown at the point of use. Raised only when the app requests dangerous permissions.",
		},
		{
			ID: "security.cleartext", TitleZH: "允许明文传输", TitleEN: "Cleartext traffic allowed",
			Severity: cases.SeverityMedium, Category: CategorySecurity,
			Articles:      []string{"pipl/51", "pipl/9"},
			Check:         checkCleartext,
			DescriptionZH: "App（显式声明或因targetSdk低于28而默认）允许HTTP明文流量，个人信息可能未加密传输。仅平台默认值时为低；有网络安全配置时为提示（需人工查看配置）。",
			DescriptionEN: "The app allows HTTP cleartext traffic (declared, or by default below targetSdk 28), so personal information may travel unencrypted. Low when only the platform default applies; info when a network security config decides (check it by hand).",
		},
		{
			ID: "security.debuggable", TitleZH: "发布版本可调试", TitleEN: "Debuggable build",
			Severity: cases.SeverityMedium, Category: CategorySecurity,
			Articles:      []string{"pipl/51"},
			Check:         checkDebuggable,
			DescriptionZH: "android:debuggable=true：任何连接USB的人都可调试App、读取其私有数据。",
			DescriptionEN: "android:debuggable=true: anyone with USB access can debug the app and read its private data.",
		},
		{
			ID: "security.allow_backup", TitleZH: "允许备份应用数据", TitleEN: "App data backup allowed",
			Severity: cases.SeverityLow, Category: CategorySecurity,
			Articles:      []string{"pipl/51"},
			Check:         checkAllowBackup,
			DescriptionZH: "allowBackup生效（显式为true或未声明而取默认值true），应用私有数据（可能含个人信息）可经adb备份导出。targetSdk≥31时adb备份已不含应用数据，降为提示。",
			DescriptionEN: "allowBackup is in effect (declared true or absent, default true): private app data, possibly personal information, can be exported with adb backup. Info from targetSdk 31, where adb backup no longer includes app data.",
		},
		{
			ID: "security.exported_component", TitleZH: "导出组件未受权限保护", TitleEN: "Exported components without permission",
			Severity: cases.SeverityLow, Category: CategorySecurity,
			Articles:      []string{"pipl/51"},
			Check:         checkExported,
			DescriptionZH: "导出（exported）且未设置访问权限的组件可被任何App调用。启动器入口Activity不计；含ContentProvider时为中，仅Activity时为提示。",
			DescriptionEN: "Exported components without a permission can be invoked by any app. Launcher activities are skipped; medium when a content provider is open, info when only activities are.",
		},
	}
}

func checkTargetSDK(f *Facts) []Candidate {
	r := f.Scan
	if r.TargetSDK <= 0 || r.TargetSDK >= 23 {
		return nil
	}
	ev := []Evidence{{Key: "manifest:targetSdkVersion", Kind: "manifest", Ref: "targetSdkVersion", Detail: strconv.Itoa(r.TargetSDK)}}
	var names []string
	for _, p := range r.Permissions {
		if p.Dangerous && len(p.Categories) > 0 {
			ev = append(ev, permissionEvidence(p))
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	return []Candidate{{
		Evidence:      ev,
		ExplanationZH: fmt.Sprintf("targetSdkVersion为%d（低于23），安装时即授予%d项危险权限（%s），早于用户同意隐私政策。", r.TargetSDK, len(names), strings.Join(names, "、")),
		ExplanationEN: fmt.Sprintf("targetSdkVersion is %d (below 23): %d dangerous permission(s) (%s) are granted at install, before the user agrees to the privacy policy.", r.TargetSDK, len(names), strings.Join(names, ", ")),
	}}
}

func hasPermission(r *inspect.Result, name string) bool {
	for _, p := range r.Permissions {
		if p.Name == name {
			return true
		}
	}
	return false
}

func boolAttr(b *bool) string {
	if b == nil {
		return "absent"
	}
	return strconv.FormatBool(*b)
}

func checkCleartext(f *Facts) []Candidate {
	r := f.Scan
	a := r.Application
	if !hasPermission(r, "android.permission.INTERNET") {
		return nil
	}
	nsc := a.NetworkSecurityConfig != ""
	if !a.UsesCleartextTrafficEffective && !nsc {
		return nil
	}
	ev := []Evidence{{
		Key: "manifest:application.usesCleartextTraffic", Kind: "manifest", Ref: "usesCleartextTraffic",
		Detail: fmt.Sprintf("declared %s, effective %v, targetSdk %d", boolAttr(a.UsesCleartextTraffic), a.UsesCleartextTrafficEffective, r.TargetSDK),
	}}
	var http []string
	for _, e := range r.Endpoints {
		if strings.HasPrefix(strings.ToLower(e.Value), "http://") && !e.Private && e.Host != "localhost" {
			http = append(http, e.Value)
		}
	}
	for i, u := range http {
		if i == 5 {
			break
		}
		ev = append(ev, Evidence{Key: "endpoint:" + u, Kind: "endpoint", Ref: u})
	}
	c := Candidate{Evidence: ev}
	switch {
	case nsc:
		ev = append(ev, Evidence{Key: "manifest:application.networkSecurityConfig", Kind: "manifest", Ref: "networkSecurityConfig", Detail: a.NetworkSecurityConfig})
		c.Evidence = ev
		c.Severity = cases.SeverityInfo
		c.ExplanationZH = fmt.Sprintf("App使用网络安全配置%s，是否允许明文流量由该配置决定，请人工查看。", a.NetworkSecurityConfig)
		c.ExplanationEN = fmt.Sprintf("The app has a network security config (%s) that decides whether cleartext is allowed; check it by hand.", a.NetworkSecurityConfig)
	case a.UsesCleartextTraffic != nil && *a.UsesCleartextTraffic:
		c.Severity = cases.SeverityMedium
		c.ExplanationZH = "App显式声明usesCleartextTraffic=true，允许HTTP明文传输。"
		c.ExplanationEN = "The app declares usesCleartextTraffic=true and allows HTTP cleartext traffic."
	default:
		c.Severity = cases.SeverityLow
		c.ExplanationZH = fmt.Sprintf("targetSdkVersion为%d（低于28）且未声明usesCleartextTraffic，平台默认允许HTTP明文传输。", r.TargetSDK)
		c.ExplanationEN = fmt.Sprintf("targetSdkVersion is %d (below 28) and usesCleartextTraffic is not declared, so the platform allows HTTP cleartext by default.", r.TargetSDK)
	}
	if len(http) > 0 {
		if c.Severity == cases.SeverityLow {
			c.Severity = cases.SeverityMedium
		}
		c.ExplanationZH += fmt.Sprintf("代码或资源中含%d个http://地址。", len(http))
		c.ExplanationEN += fmt.Sprintf(" The code or resources hold %d http:// URL(s).", len(http))
	}
	return []Candidate{c}
}

func checkDebuggable(f *Facts) []Candidate {
	if !f.Scan.Application.Debuggable {
		return nil
	}
	return []Candidate{{
		Evidence:      []Evidence{{Key: "manifest:application.debuggable", Kind: "manifest", Ref: "debuggable", Detail: "true"}},
		ExplanationZH: "App声明android:debuggable=true，可被调试并读取私有数据。若被检查的是正式发布版本，应关闭调试。",
		ExplanationEN: "The app declares android:debuggable=true and can be debugged and its private data read. A release build must not be debuggable.",
	}}
}

func checkAllowBackup(f *Facts) []Candidate {
	r := f.Scan
	a := r.Application
	if !a.AllowBackupEffective {
		return nil
	}
	c := Candidate{
		Evidence: []Evidence{{Key: "manifest:application.allowBackup", Kind: "manifest", Ref: "allowBackup",
			Detail: fmt.Sprintf("declared %s, effective true", boolAttr(a.AllowBackup))}},
		ExplanationZH: "allowBackup生效，应用私有数据可被备份导出。",
		ExplanationEN: "allowBackup is in effect: private app data can be backed up and extracted.",
	}
	if a.AllowBackup == nil {
		c.ExplanationZH = "未声明allowBackup，平台默认allowBackup=true，应用私有数据可被备份导出。"
		c.ExplanationEN = "allowBackup is not declared and defaults to true: private app data can be backed up and extracted."
	}
	if r.TargetSDK >= 31 {
		c.Severity = cases.SeverityInfo
		c.ExplanationZH += "（targetSdk≥31，adb备份已不含应用数据，但云备份和设备间迁移仍可能包含。）"
		c.ExplanationEN += " (targetSdk 31+: adb backup no longer includes app data, but cloud backup and device transfer may.)"
	}
	return []Candidate{c}
}

// isLauncher reports whether an activity is an entry point (MAIN/LAUNCHER or
// the home/TV/car launcher categories): these must be exported.
func isLauncher(c apk.Component) bool {
	for _, f := range c.IntentFilters {
		main := false
		for _, a := range f.Actions {
			if a == "android.intent.action.MAIN" {
				main = true
			}
		}
		if !main {
			continue
		}
		for _, cat := range f.Categories {
			switch cat {
			case "android.intent.category.LAUNCHER", "android.intent.category.LEANBACK_LAUNCHER",
				"android.intent.category.HOME", "android.intent.category.INFO":
				return true
			}
		}
	}
	return false
}

// componentProtected reports whether a permission guards the component.
func componentProtected(c apk.Component) bool {
	if c.Permission != "" {
		return true
	}
	return c.Kind == "provider" && c.ReadPermission != "" && c.WritePermission != ""
}

func checkExported(f *Facts) []Candidate {
	var ev []Evidence
	kinds := map[string]int{}
	for _, c := range f.Scan.Components {
		if !c.Exported || componentProtected(c) {
			continue
		}
		if (c.Kind == "activity" || c.Kind == "activity-alias") && isLauncher(c) {
			continue
		}
		kinds[c.Kind]++
		d := c.Kind
		if c.ExportedExplicit == nil {
			d += ", exported implicitly by an intent-filter"
		}
		if len(c.Authorities) > 0 {
			d += ", authorities " + strings.Join(c.Authorities, ";")
		}
		var actions []string
		for _, flt := range c.IntentFilters {
			actions = append(actions, flt.Actions...)
		}
		if len(actions) > 0 {
			actions = uniqueSorted(actions)
			if len(actions) > 3 {
				actions = append(actions[:3], "…")
			}
			d += ", actions " + strings.Join(actions, " ")
		}
		ev = append(ev, Evidence{Key: "component:" + c.Name, Kind: "component", Ref: c.Name, Detail: d})
	}
	if len(ev) == 0 {
		return nil
	}
	sev := cases.SeverityInfo
	switch {
	case kinds["provider"] > 0:
		sev = cases.SeverityMedium
	case kinds["service"] > 0 || kinds["receiver"] > 0:
		sev = cases.SeverityLow
	}
	var parts, partsEN []string
	for _, k := range []string{"activity", "activity-alias", "service", "receiver", "provider"} {
		if n := kinds[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d个", componentKindZH[k], n))
			en := componentKindEN[k]
			if n > 1 {
				en = componentKindsEN[k]
			}
			partsEN = append(partsEN, fmt.Sprintf("%d %s", n, en))
		}
	}
	return []Candidate{{
		Severity: sev, Evidence: ev,
		ExplanationZH: fmt.Sprintf("%d个组件导出且未设置访问权限（%s），可被任意App调用；请确认其中是否有处理个人信息的组件。", len(ev), strings.Join(parts, "，")),
		ExplanationEN: fmt.Sprintf("%d component(s) are exported without a permission (%s) and can be invoked by any app; check whether any handles personal information.", len(ev), strings.Join(partsEN, ", ")),
	}}
}

// componentKindZH, componentKindEN and componentKindsEN name the manifest
// component kinds for a reader, keeping the Android term in Chinese.
var (
	componentKindZH = map[string]string{
		"activity": "活动组件（Activity）", "activity-alias": "活动别名（activity-alias）", "service": "服务组件（Service）",
		"receiver": "广播接收器（Receiver）", "provider": "内容提供器（Provider）",
	}
	componentKindEN = map[string]string{
		"activity": "activity", "activity-alias": "activity alias", "service": "service",
		"receiver": "broadcast receiver", "provider": "content provider",
	}
	componentKindsEN = map[string]string{
		"activity": "activities", "activity-alias": "activity aliases", "service": "services",
		"receiver": "broadcast receivers", "provider": "content providers",
	}
)
