package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// maxCallSites caps the call sites cited per API and subject.
const maxCallSites = 10

func policyRules() []Rule {
	return []Rule{
		{
			ID: "policy.missing", TitleZH: "未提供隐私政策", TitleEN: "No privacy policy",
			Severity: cases.SeverityHigh, Category: CategoryNotice,
			Articles:      []string{"rd2019/1.1", "pipl/7", "pipl/17"},
			Check:         checkPolicyMissing,
			DescriptionZH: "未找到或未提供隐私政策。若APK内置了隐私政策文件或链接，则提示检查人员载入，严重程度降低。",
			DescriptionEN: "No privacy policy was found or provided. When the APK bundles a policy file or links one, the inspector is told to load it and the severity is lowered.",
		},
		{
			ID: "permission.undeclared", TitleZH: "申请权限所涉个人信息未在隐私政策中声明", TitleEN: "Permission's data not declared in the policy",
			Severity: cases.SeverityMedium, Category: CategoryNotice,
			Articles:      []string{"rd2019/2.1", "pipl/17"},
			Check:         checkPermissionUndeclared,
			DescriptionZH: "App申请的危险权限或特殊权限可收集某类个人信息，而隐私政策既未声明该类信息，也未提及该权限组。涉及敏感个人信息时为高。",
			DescriptionEN: "A dangerous or special permission gives access to data the policy neither declares nor names the permission group of. High for sensitive information.",
		},
		{
			ID: "permission.unexplained", TitleZH: "未说明申请权限的目的", TitleEN: "Permission purpose not explained",
			Severity: cases.SeverityMedium, Category: CategoryNotice,
			Articles:      []string{"rd2019/2.1", "pipl/17"},
			Check:         checkPermissionUnexplained,
			DescriptionZH: "隐私政策提到了权限组或其数据，但没有任何语句说明申请该权限的目的（未提及的权限由permission.undeclared提出，不重复）。",
			DescriptionEN: "The policy names the permission group or its data but no sentence gives the purpose of the permission (permissions it never mentions are reported by permission.undeclared instead).",
		},
		{
			ID: "sdk.undisclosed", TitleZH: "第三方SDK未在隐私政策中列明", TitleEN: "Third-party SDK not disclosed",
			Severity: cases.SeverityMedium, Category: CategoryThirdPart,
			Articles:      []string{"rd2019/2.1", "rd2019/5.1", "pipl/23"},
			Check:         checkSDKUndisclosed,
			DescriptionZH: "App集成了处理个人信息的第三方SDK（推送、统计、广告、地图定位、社交、支付、登录、崩溃、OAID、风控等），隐私政策及第三方清单中均未列明。开发类、界面类等库不在此列。SDK代码调用敏感接口时为高，仅弱证据时为低。",
			DescriptionEN: "The app embeds a third-party SDK that processes personal information (push, analytics, ads, maps/location, social, payment, login, crash, OAID, risk control …) that the policy and its third-party list do not name. Development and UI libraries are excluded. High when the SDK's code calls sensitive APIs, low on weak detections.",
		},
		{
			ID: "sdk.data_understated", TitleZH: "第三方SDK收集的个人信息多于隐私政策所列", TitleEN: "SDK collects more than disclosed",
			Severity: cases.SeverityMedium, Category: CategoryThirdPart,
			Articles:      []string{"pipl/23", "rd2019/2.1"},
			Check:         checkSDKDataUnderstated,
			DescriptionZH: "隐私政策列出了该SDK，但其代码调用的敏感接口（或其提供者公布的SDK隐私政策）所涉个人信息种类未在该SDK条目中列明。",
			DescriptionEN: "The policy lists the SDK, but data types its code reaches through sensitive APIs (or that its vendor's SDK policy says it collects) are missing from its entry.",
		},
		{
			ID: "api.undeclared", TitleZH: "调用敏感接口收集的个人信息未声明", TitleEN: "Sensitive API data not declared",
			Severity: cases.SeverityMedium, Category: CategoryNotice,
			Articles:      []string{"rd2019/2.1", "n164/1.1", "pipl/17", "pipl/30"},
			Check:         checkAPIUndeclared,
			DescriptionZH: "App或第三方SDK的代码调用了读取某类个人信息的接口，隐私政策未声明该类信息。按信息种类和行为主体（App或SDK）分别提出；敏感个人信息为高并引用第三十条；仅有字符串弱证据时为低；平台支持库的兼容封装及低信号接口（如查询本应用包信息）不计。",
			DescriptionEN: "Code of the app or of an SDK calls an API that reads a kind of personal information the policy does not declare. One candidate per category and subject (app or SDK); high and citing PIPL 30 for sensitive information; low when only string evidence exists; platform-library compat wrappers and low-signal APIs (such as reading the app's own package info) are ignored.",
		},
	}
}

func checkPolicyMissing(f *Facts) []Candidate {
	if f.Policy != nil {
		return nil
	}
	var ev []Evidence
	for _, d := range f.Scan.PolicyDocs {
		if d.Kind != "privacy" {
			continue
		}
		p := d.Path
		if d.Split != "" && d.Split != "base" {
			p = d.Split + ":" + p
		}
		ev = append(ev, Evidence{Key: "policy_doc:" + p, Kind: "policy_doc", Ref: d.Path, Detail: d.Title})
	}
	for _, e := range f.Scan.Endpoints {
		if e.Policy {
			ev = append(ev, Evidence{Key: "endpoint:" + e.Value, Kind: "endpoint", Ref: e.Value, Detail: strings.Join(e.Sources, ", ")})
		}
	}
	c := Candidate{Severity: cases.SeverityHigh}
	if len(ev) > 0 {
		c.Severity = cases.SeverityLow
		c.ExplanationZH = fmt.Sprintf("未向检查工具提供隐私政策，但APK中发现%d处疑似隐私政策的文件或链接。请载入该政策后重新运行规则；若App内确实无法访问隐私政策，则构成违规。", len(ev))
		c.ExplanationEN = fmt.Sprintf("No privacy policy was provided to the tool, but the APK holds %d file(s) or link(s) that look like one. Load the policy and run the rules again; if users cannot reach any policy in the app, this is a violation.", len(ev))
	} else {
		c.ExplanationZH = "未找到隐私政策：APK中没有内置的隐私政策文件或链接，也未提供政策文本。App收集使用个人信息前应公开收集使用规则。"
		c.ExplanationEN = "No privacy policy found: the APK bundles no policy file or link, and none was provided. An app must publish its rules before collecting personal information."
		ev = append(ev, Evidence{Key: "scan:" + f.Scan.Package, Kind: "app", Ref: f.Scan.Package, Detail: "no policy_docs, no policy endpoints"})
	}
	if len(f.Scan.Categories) == 0 && !anyRelevantPermission(f.Scan) && !anyThirdParty(f.Scan) {
		c.Severity = cases.SeverityInfo
		c.ExplanationZH += "（静态分析未发现该App收集个人信息的迹象。）"
		c.ExplanationEN += " (Static analysis found no sign that the app collects personal information.)"
	}
	c.Evidence = ev
	return []Candidate{c}
}

func anyRelevantPermission(r *inspect.Result) bool {
	for _, p := range r.Permissions {
		if permissionRelevant(p) {
			return true
		}
	}
	return false
}

func anyThirdParty(r *inspect.Result) bool {
	for _, s := range r.SDKs {
		if isThirdParty(s) {
			return true
		}
	}
	return false
}

// groupOf returns the permission group a policy is expected to name: the
// legacy group (what MIIT-era policies name), else the platform group.
func groupOf(p inspect.Permission) string {
	if p.LegacyGroup != "" {
		return p.LegacyGroup
	}
	return p.Group
}

func permissionEvidence(p inspect.Permission) Evidence {
	d, name, sep := p.ZH, catZH, "；"
	if d == "" {
		d, name, sep = p.EN, catEN, "; "
	}
	cs := make([]string, len(p.Categories))
	for i, c := range p.Categories {
		cs[i] = name(c) // the category in words, never its id
	}
	if len(cs) > 0 {
		d = strings.TrimSpace(d + " [" + strings.Join(cs, sep) + "]")
	}
	return Evidence{Key: "permission:" + p.Name, Kind: "permission", Ref: p.Name, Detail: d}
}

func checkPermissionUndeclared(f *Facts) []Candidate {
	if f.Policy == nil {
		return nil
	}
	var out []Candidate
	for _, p := range f.Scan.Permissions {
		if !permissionRelevant(p) {
			continue
		}
		if f.declared(DisclosePermission, inspect.OwnerApp, p.Name) {
			continue
		}
		c := Candidate{Severity: cases.SeverityMedium, Evidence: []Evidence{permissionEvidence(p)}}
		for _, cat := range p.Categories {
			if sensitive(cat) {
				c.Severity = cases.SeverityHigh
			}
		}
		c.ExplanationZH = fmt.Sprintf("App申请了权限%s，可收集%s，但隐私政策既未声明收集该类个人信息，也未提及该权限。", p.Name, catsZH(p.Categories))
		c.ExplanationEN = fmt.Sprintf("The app requests %s, which gives access to %s, but the privacy policy neither declares this information nor mentions the permission.", p.Name, catsEN(p.Categories))
		out = append(out, c)
	}
	return out
}

func checkPermissionUnexplained(f *Facts) []Candidate {
	if f.Policy == nil {
		return nil
	}
	ex := f.Policy
	type grp struct {
		perms    []inspect.Permission
		mentions []Evidence
	}
	// mentions are the disclosure's spans: the declared data words and the
	// named permission group
	groups := map[string]*grp{}
	var order []string
	for _, p := range f.Scan.Permissions {
		if !p.Dangerous || len(p.Categories) == 0 {
			continue
		}
		d, ok := f.lookup(DisclosePermission, inspect.OwnerApp, p.Name)
		if !ok || !d.Declared {
			continue // undeclared: permission.undeclared
		}
		if permissionExplained(ex, p) {
			continue
		}
		g := groupOf(p)
		if g == "" {
			g = p.Name
		}
		e, ok := groups[g]
		if !ok {
			e = &grp{}
			groups[g] = e
			order = append(order, g)
			for i, m := range d.Spans {
				if i == 2 {
					break
				}
				e.mentions = append(e.mentions, policyEvidence(f, m.Start, m.End, "mention"))
			}
		}
		e.perms = append(e.perms, p)
	}
	sort.Strings(order)
	var out []Candidate
	for _, g := range order {
		e := groups[g]
		var names []string
		var cats []pi.Category
		ev := append([]Evidence(nil), e.mentions...)
		for _, p := range e.perms {
			names = append(names, p.Name)
			cats = append(cats, p.Categories...)
			ev = append(ev, permissionEvidence(p))
		}
		cats = sortedCats(cats)
		out = append(out, Candidate{
			Evidence:      ev,
			ExplanationZH: fmt.Sprintf("隐私政策提及了%s（权限组%s），但未说明申请%s的目的和用途。", catsZH(cats), g, strings.Join(names, "、")),
			ExplanationEN: fmt.Sprintf("The policy mentions %s (permission group %s) but gives no purpose for requesting %s.", catsEN(cats), g, strings.Join(names, ", ")),
		})
	}
	return out
}

// permissionExplained reports whether the policy gives a purpose for p: an
// explained mention of its group, or a stated purpose naming its data.
func permissionExplained(ex *policy.Extraction, p inspect.Permission) bool {
	for _, e := range ex.Permissions {
		if e.Explained && (strings.EqualFold(e.Group, p.LegacyGroup) || strings.EqualFold(e.Group, p.Group)) && e.Group != "" {
			return true
		}
	}
	for _, pu := range ex.Purposes {
		for _, c := range pu.DataTypes {
			for _, pc := range p.Categories {
				if c == pc {
					return true
				}
			}
		}
	}
	return false
}

// sdkMentions returns the policy's mentions of an SDK, by catalog id, English
// or Chinese name.
func sdkMentions(ex *policy.Extraction, s inspect.SDK) []policy.SDKMention {
	var out []policy.SDKMention
	seen := map[[2]int]bool{}
	add := func(ms []policy.SDKMention) {
		for _, m := range ms {
			k := [2]int{m.Start, m.End}
			if !seen[k] {
				seen[k] = true
				out = append(out, m)
			}
		}
	}
	add(ex.MentionsSDK(s.ID, s.Name))
	if s.NameZH != "" {
		add(ex.MentionsSDK("", s.NameZH))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

func sdkEvidence(s inspect.SDK) []Evidence {
	name := s.Name
	if s.NameZH != "" && s.NameZH != s.Name {
		name += " / " + s.NameZH
	}
	vendor := s.Vendor
	if s.VendorZH != "" && s.VendorZH != s.Vendor {
		vendor += " / " + s.VendorZH
	}
	d := fmt.Sprintf("%s (%s; %s; confidence %s", name, vendor, SDKCategoryName("en", s.Category), s.Confidence)
	if s.Used {
		d += "; called by the app"
	}
	if s.Obfuscated {
		d += "; obfuscated"
	}
	d += ")"
	ev := []Evidence{{Key: "sdk:" + s.ID, Kind: "sdk", Ref: s.ID, Detail: d, Owner: s.ID}}
	for _, t := range s.Evidence {
		det := fmt.Sprintf("%s ×%d", t.Kind, t.Count)
		if len(t.Examples) > 0 {
			ex := t.Examples
			if len(ex) > 3 {
				ex = ex[:3]
			}
			det += ": " + strings.Join(ex, ", ")
		}
		ev = append(ev, Evidence{Key: "sdk:" + s.ID + ":" + t.Kind + ":" + t.Value, Kind: "sdk_trace", Ref: t.Value, Detail: det, Owner: s.ID})
	}
	return ev
}

// callSiteEvidence cites up to maxCallSites call sites of a by owner.
func callSiteEvidence(a inspect.APIUse, owner string) []Evidence {
	var cs []inspect.Caller
	for _, c := range a.Callers {
		if c.Owner == owner || (owner == inspect.OwnerApp && c.Owner == "") {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Class != cs[j].Class {
			return cs[i].Class < cs[j].Class
		}
		return cs[i].Method < cs[j].Method
	})
	var ev []Evidence
	det := a.Class + "." + a.Method
	if a.Weak {
		det += " (" + a.Kind + ", string evidence only)"
	}
	if a.Permission != "" {
		det += " requires " + a.Permission
	}
	for i, c := range cs {
		if i == maxCallSites {
			break
		}
		ev = append(ev, Evidence{
			Key:  "api:" + a.ID + "@" + c.Class + "#" + c.Method,
			Kind: "api", Ref: a.ID, Detail: det, Owner: c.Owner,
		})
	}
	if len(ev) == 0 {
		// the owner list names this owner but the kept callers do not (the
		// list was truncated): cite the API itself.
		ev = append(ev, Evidence{Key: "api:" + a.ID + "@" + owner, Kind: "api", Ref: a.ID, Detail: det, Owner: owner})
	}
	return ev
}

func apiIndex(r *inspect.Result) map[string]inspect.APIUse {
	m := make(map[string]inspect.APIUse, len(r.APIs))
	for _, a := range r.APIs {
		m[a.ID] = a
	}
	return m
}

// sdkAPIs returns the non-low-signal APIs the SDK's code calls.
func sdkAPIs(s inspect.SDK, idx map[string]inspect.APIUse) []inspect.APIUse {
	var out []inspect.APIUse
	for _, id := range s.APIs {
		a, ok := idx[id]
		if !ok || lowSignalAPIs[id] || a.Category == "" {
			continue
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func checkSDKUndisclosed(f *Facts) []Candidate {
	if f.Policy == nil {
		return nil
	}
	idx := apiIndex(f.Scan)
	var out []Candidate
	for _, s := range f.Scan.SDKs {
		if !isThirdParty(s) || f.declared(DiscloseSDK, s.ID, s.ID) {
			continue
		}
		ev := sdkEvidence(s)
		apis := sdkAPIs(s, idx)
		strong := false
		var cats []pi.Category
		for _, a := range apis {
			ev = append(ev, callSiteEvidence(a, s.ID)...)
			cats = append(cats, a.Category)
			if !a.Weak {
				strong = true
			}
		}
		cats = sortedCats(append(cats, s.Collects...))
		c := Candidate{Subject: s.ID, Evidence: ev, Severity: cases.SeverityMedium}
		switch {
		case strong:
			c.Severity = cases.SeverityHigh
		case s.Confidence == "low":
			c.Severity = cases.SeverityLow
		}
		name := s.Name
		if s.NameZH != "" {
			name = s.NameZH
		}
		vzh, ven := s.VendorZH, s.Vendor
		if vzh == "" {
			vzh = s.Vendor
		}
		if ven == "" {
			ven = s.VendorZH
		}
		c.ExplanationZH = fmt.Sprintf("App集成了第三方SDK“%s”（%s），隐私政策及第三方共享清单中未列明其名称、处理目的、方式和个人信息种类。", name, joinNonEmpty("，", vzh, SDKCategoryName("zh", s.Category)))
		c.ExplanationEN = fmt.Sprintf("The app embeds the third-party SDK %q (%s), which the policy and its third-party list do not name with its purpose, method and data types.", s.Name, joinNonEmpty(", ", ven, SDKCategoryName("en", s.Category)))
		if who, note, ok := s.Confirmation(); ok {
			c.ExplanationZH += fmt.Sprintf("安装包中未找到该SDK的代码，检测人员%s确认其存在：%s。", who, note)
			c.ExplanationEN += fmt.Sprintf(" Its code was not found in the APK; the inspector %s confirmed it is present: %s.", who, note)
		}
		if len(cats) > 0 {
			c.ExplanationZH += fmt.Sprintf("该SDK可收集：%s。", catsZH(cats))
			c.ExplanationEN += fmt.Sprintf(" It can collect: %s.", catsEN(cats))
		}
		out = append(out, c)
	}
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// mentionCategories returns the data types the policy states for an SDK
// mention: those parsed from its data column and those named in its sentence
// or table row.
func mentionCategories(ex *policy.Extraction, m policy.SDKMention) []pi.Category {
	cats := append([]pi.Category(nil), m.DataTypes...)
	for _, d := range ex.DataTypes {
		if d.Negated || d.Category == "" {
			continue
		}
		if m.Sentence.End > m.Sentence.Start && d.Start >= m.Sentence.Start && d.End <= m.Sentence.End {
			// a word declares only the narrowest category it names: 电量
			// (battery) in an SDK's sentence is no device information
			c := d.Category
			if d.Narrow != "" {
				c = pi.Category(d.Narrow)
			}
			cats = append(cats, c)
		}
	}
	return sortedCats(cats)
}

func checkSDKDataUnderstated(f *Facts) []Candidate {
	if f.Policy == nil {
		return nil
	}
	idx := apiIndex(f.Scan)
	var out []Candidate
	for _, s := range f.Scan.SDKs {
		if !isThirdParty(s) {
			continue
		}
		if !f.declared(DiscloseSDK, s.ID, s.ID) {
			continue // sdk.undisclosed
		}
		ms := sdkMentions(f.Policy, s)
		declared := map[pi.Category]bool{}
		for _, m := range ms {
			for _, c := range mentionCategories(f.Policy, m) {
				declared[c] = true
			}
		}
		fromAPI := map[pi.Category][]inspect.APIUse{}
		for _, a := range sdkAPIs(s, idx) {
			fromAPI[a.Category] = append(fromAPI[a.Category], a)
		}
		var missing []pi.Category
		for c := range fromAPI {
			if !declared[c] {
				missing = append(missing, c)
			}
		}
		for _, c := range s.Collects {
			if !declared[c] {
				missing = append(missing, c)
			}
		}
		missing = sortedCats(missing)
		if len(missing) == 0 {
			continue
		}
		ev := []Evidence{sdkEvidence(s)[0]}
		for i, m := range ms {
			if i == 3 {
				break
			}
			ev = append(ev, policyEvidence(f, m.Start, m.End, "sdk listed"))
		}
		sev := cases.SeverityLow // only the vendor's own policy says so
		var viaAPI, viaVendor []pi.Category
		for _, c := range missing {
			if as := fromAPI[c]; len(as) > 0 {
				viaAPI = append(viaAPI, c)
				weak := true
				for _, a := range as {
					ev = append(ev, callSiteEvidence(a, s.ID)...)
					if !a.Weak {
						weak = false
					}
				}
				if !weak {
					if sensitive(c) {
						sev = cases.SeverityHigh
					} else if sev != cases.SeverityHigh {
						sev = cases.SeverityMedium
					}
				}
			} else {
				viaVendor = append(viaVendor, c)
				ev = append(ev, Evidence{Key: "sdk:" + s.ID + ":collects:" + string(c), Kind: "sdk_collects", Ref: string(c), Detail: "per the SDK vendor's published policy", Owner: s.ID})
			}
		}
		c := Candidate{Subject: s.ID, Severity: sev, Evidence: ev}
		c.ExplanationZH = fmt.Sprintf("隐私政策列出了第三方SDK“%s”，但未列明其收集的以下个人信息：%s。", firstNonEmpty(s.NameZH, s.Name), catsZH(missing))
		c.ExplanationEN = fmt.Sprintf("The policy lists the SDK %q but not these data types it collects: %s.", s.Name, catsEN(missing))
		if len(viaAPI) > 0 {
			c.ExplanationZH += fmt.Sprintf("其中%s由该SDK代码调用的敏感接口证实。", catsZH(viaAPI))
			c.ExplanationEN += fmt.Sprintf(" Its own code calls APIs reading %s.", catsEN(viaAPI))
		}
		if len(viaVendor) > 0 {
			c.ExplanationZH += fmt.Sprintf("%s依据SDK提供者公布的隐私政策。", catsZH(viaVendor))
			c.ExplanationEN += fmt.Sprintf(" %s per the vendor's published SDK policy.", catsEN(viaVendor))
		}
		out = append(out, c)
	}
	return out
}

func checkAPIUndeclared(f *Facts) []Candidate {
	if f.Policy == nil {
		return nil
	}
	type key struct {
		cat pi.Category
		sub string
	}
	type group struct {
		apis []inspect.APIUse
	}
	sdks := map[string]inspect.SDK{}
	for _, s := range f.Scan.SDKs {
		sdks[s.ID] = s
	}
	groups := map[key]*group{}
	for _, a := range f.Scan.APIs {
		if a.Category == "" || lowSignalAPIs[a.ID] {
			continue
		}
		owners := a.Owners
		if len(owners) == 0 {
			owners = []string{inspect.OwnerApp}
		}
		for _, o := range owners {
			sub := subjectOf(o)
			if sub == "" || f.declared(DiscloseAPI, o, string(a.Category)) {
				continue
			}
			if s, ok := sdks[sub]; ok && sub != inspect.OwnerApp && !isThirdParty(s) && !thirdPartyUnknown(s) {
				// a non-PI library (image loader, network stack …): its
				// calls run on the app's behalf; cite as the app's.
				sub = inspect.OwnerApp
			}
			k := key{a.Category, sub}
			g, ok := groups[k]
			if !ok {
				g = &group{}
				groups[k] = g
			}
			a2 := a
			a2.Owners = []string{o}
			g.apis = append(g.apis, a2)
		}
	}
	var keys []key
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].cat != keys[j].cat {
			return keys[i].cat < keys[j].cat
		}
		return keys[i].sub < keys[j].sub
	})
	var out []Candidate
	for _, k := range keys {
		g := groups[k]
		var ev []Evidence
		weak := true
		var ids, idsEN []string
		for _, a := range g.apis {
			ev = append(ev, callSiteEvidence(a, a.Owners[0])...)
			if !a.Weak {
				weak = false
			}
			ids = append(ids, apiNameZH(a))
			idsEN = append(idsEN, apiNameEN(a))
		}
		ids, idsEN = uniqueSorted(ids), uniqueSorted(idsEN)
		c := Candidate{Subject: k.sub, Evidence: ev, Severity: cases.SeverityMedium,
			Articles: []string{"rd2019/2.1", "n164/1.1", "pipl/17"}}
		if sensitive(k.cat) {
			c.Severity = cases.SeverityHigh
			c.Articles = append(c.Articles, "pipl/30")
		}
		who, whoEN := "App", "The app"
		if k.sub != inspect.OwnerApp {
			who, whoEN = f.subjectZH(k.sub), capitalize(f.subjectEN(k.sub))
		}
		c.ExplanationZH = fmt.Sprintf("%s的代码调用了读取%s的接口（%s），隐私政策未声明收集该类个人信息。", who, catZH(k.cat), strings.Join(ids, "、"))
		c.ExplanationEN = fmt.Sprintf("%s calls APIs that read %s (%s); the policy does not declare this information.", whoEN, catEN(k.cat), strings.Join(idsEN, "; "))
		if weak {
			c.Severity = cases.SeverityLow
			c.ExplanationZH += "仅有字符串证据（内容URI、反射方法名），需运行时确认。"
			c.ExplanationEN += " The evidence is only strings (content URI, reflection name); confirm at run time."
		}
		out = append(out, c)
	}
	return out
}

// thirdPartyUnknown reports an SDK of category "other" (or none): kept as
// its own subject rather than folded into the app.
func thirdPartyUnknown(s inspect.SDK) bool {
	return !isPlatformLibrary(s.ID) && (s.Category == "" || s.Category == "other")
}

func uniqueSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
