package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// This file turns a finding's candidates and evidence into the words a
// notice prints: who is responsible (from the finding's own evidence), a
// short de-duplicated evidence summary, and a plain-language statement the
// inspector edits. Raw evidence goes to the notice's evidence list.

// sdkPresent reports whether an SDK's code, components or native libraries
// are in the APK. An SDK found only by mentions (string constants, hosts,
// meta-data, a callback class) is not present and never becomes a
// responsible party; scans stored before the scan's present flag existed
// are judged by their evidence kinds (inspect.SDK.Mentioned).
func sdkPresent(x inspect.SDK) bool { return len(x.Evidence) > 0 && !x.Mentioned() }

func findSDK(r *inspect.Result, id string) (inspect.SDK, bool) {
	if r == nil {
		return inspect.SDK{}, false
	}
	i := slices.IndexFunc(r.SDKs, func(x inspect.SDK) bool { return x.ID == id })
	if i < 0 {
		return inspect.SDK{}, false
	}
	return r.SDKs[i], true
}

// sdkLabel names an SDK for a notice: "友盟统计SDK（com.umeng.analytics）",
// with its package prefix when the scan found its classes.
func sdkLabel(x inspect.SDK, lang string) string {
	name := x.Name
	if lang == "zh" {
		name = firstNonEmpty(x.NameZH, x.Name)
	}
	if !strings.Contains(strings.ToUpper(name), "SDK") {
		if lang == "zh" {
			name += "SDK"
		} else {
			name += " SDK"
		}
	}
	for _, e := range x.Evidence {
		if e.Kind == sdk.KindClass && e.Value != "" {
			if lang == "zh" {
				return name + "（" + strings.TrimSuffix(e.Value, ".") + "）"
			}
			return name + " (" + strings.TrimSuffix(e.Value, ".") + ")"
		}
	}
	return name
}

// confirmedWords says who confirmed that the SDK is in the app and how it
// was seen, for an SDK present by the inspector's confirmation ("" for
// any other).
func confirmedWords(x inspect.SDK, lang string) string {
	who, note, ok := x.Confirmation()
	if !ok {
		return ""
	}
	if lang != "en" {
		return "检测人员" + who + "确认存在（安装包中未找到其代码）：" + note
	}
	return "confirmed present by the inspector " + who + " (no code of it in the APK): " + note
}

// sdkParty names an SDK as a responsible party: the name and its vendor.
func sdkParty(x inspect.SDK, lang string) string {
	name, vendor := x.Name, x.Vendor
	if lang == "zh" {
		name, vendor = firstNonEmpty(x.NameZH, x.Name), firstNonEmpty(x.VendorZH, x.Vendor)
	}
	if !strings.Contains(strings.ToUpper(name), "SDK") {
		if lang == "zh" {
			name += "SDK"
		} else {
			name += " SDK"
		}
	}
	if vendor == "" {
		return name
	}
	if lang == "zh" {
		return name + "（" + vendor + "）"
	}
	return name + " (" + vendor + ")"
}

// findingOwners returns the SDKs present in the APK whose own evidence
// (call sites, SDK records) supports the finding, and whether the app's own
// code or other evidence does.
func findingOwners(w *workspace.Case, cands []rules.Candidate) (sdks []inspect.SDK, app bool) {
	seen := map[string]bool{}
	for _, c := range cands {
		own := false
		for _, e := range c.Evidence {
			if e.Owner == "" || e.Owner == inspect.OwnerApp {
				continue
			}
			x, ok := findSDK(w.Scan, e.Owner)
			if !ok || !sdkPresent(x) {
				continue
			}
			own = true
			if !seen[x.ID] {
				seen[x.ID] = true
				sdks = append(sdks, x)
			}
		}
		if !own {
			app = true
		}
	}
	return sdks, app || len(sdks) == 0
}

// responsible names the finding's responsible parties, "" for the app itself.
func responsible(w *workspace.Case, cands []rules.Candidate, lang string) string {
	sdks, app := findingOwners(w, cands)
	var parts []string
	if app && len(sdks) > 0 {
		parts = append(parts, map[string]string{"zh": "应用自身", "en": "The app itself"}[lang])
	}
	for _, x := range sdks {
		parts = append(parts, sdkParty(x, lang))
	}
	return strings.Join(parts, map[string]string{"zh": "、", "en": "; "}[lang])
}

// apiWords describes a sensitive API: "TelephonyManager.getDeviceId 读取设备标识".
func apiWords(r *inspect.Result, id, lang string) string {
	if r != nil {
		for _, a := range r.APIs {
			if a.ID == id {
				cls := a.Class[strings.LastIndexAny(a.Class, ".")+1:]
				if lang == "en" {
					if a.EN == "" {
						return cls + "." + a.Method
					}
					return cls + "." + a.Method + " (" + a.EN + ")"
				}
				return strings.TrimSpace(cls + "." + a.Method + " " + a.ZH)
			}
		}
	}
	return id
}

// ownerWords names the owner of evidence in a summary line.
func ownerWords(w *workspace.Case, owner, lang string) string {
	if x, ok := findSDK(w.Scan, owner); ok && sdkPresent(x) {
		return sdkLabel(x, lang)
	}
	return map[string]string{"zh": "应用自身代码", "en": "The app's own code"}[lang]
}

// beforeConsent reports whether a candidate's rule is about what happens
// before the user consents (established by device evidence).
func beforeConsent(c rules.Candidate) bool {
	return strings.HasSuffix(string(c.Rule), "before_consent")
}

// summaryLines writes the short, de-duplicated evidence summary of a
// finding: one line per fact, with counts ("（3处）") instead of repeats.
func summaryLines(w *workspace.Case, cands []rules.Candidate, lang string, loc *time.Location) []string {
	zh := lang != "en"
	type key struct{ kind, owner, ref string }
	counts := map[key]int{}
	first := map[key]time.Time{}
	var order []key
	phrase := map[key]string{}
	add := func(k key, p string, at *time.Time) {
		if _, ok := counts[k]; !ok {
			order = append(order, k)
			phrase[k] = p
		}
		counts[k]++
		if at != nil && (first[k].IsZero() || at.Before(first[k])) {
			first[k] = *at
		}
	}
	for _, c := range cands {
		bc := beforeConsent(c)
		for _, e := range c.Evidence {
			switch e.Kind {
			case "api":
				p := ""
				if bc {
					p = map[bool]string{true: "在用户同意隐私政策前", false: " before the user consents"}[zh]
				}
				add(key{"api", e.Owner, e.Ref}, p, e.Time)
			case "device_op", "device_permission", "device_self_start":
				add(key{e.Kind, "", e.Ref}, "", e.Time)
			case "policy_element":
				add(key{e.Kind, "", e.Ref}, "", nil)
			case "sdk":
				if x, ok := findSDK(w.Scan, e.Owner); ok && sdkPresent(x) {
					add(key{"sdk", e.Owner, string(c.Rule)}, firstNonEmpty(map[bool]string{true: c.TitleZH, false: c.TitleEN}[zh], string(c.Rule)), nil)
				}
			case "permission":
				add(key{e.Kind, "", e.Ref}, "", nil)
			case "manifest":
				add(key{e.Kind, e.Detail, e.Ref}, "", nil)
			case "endpoint":
				add(key{e.Kind, "", e.Ref}, "", nil)
			}
		}
	}
	n := func(k key, zhUnit, enUnit string) string {
		if zh {
			return fmt.Sprintf("（%d%s）", counts[k], zhUnit)
		}
		if counts[k] == 1 {
			return fmt.Sprintf(" (1 %s)", enUnit)
		}
		return fmt.Sprintf(" (%d %ss)", counts[k], enUnit)
	}
	at := func(k key) string {
		if first[k].IsZero() {
			return ""
		}
		t := first[k].In(loc).Format("2006-01-02 15:04:05")
		if zh {
			return "，首次于" + t + "（" + ZoneName(loc, lang) + "）"
		}
		return ", first at " + t + " (" + ZoneName(loc, lang) + ")"
	}
	var out, confirmed []string
	for _, k := range order {
		var s string
		switch k.kind {
		case "api":
			if zh {
				s = ownerWords(w, k.owner, lang) + phrase[k] + "调用 " + apiWords(w.Scan, k.ref, lang) + n(k, "处", "")
			} else {
				s = ownerWords(w, k.owner, lang) + " calls " + apiWords(w.Scan, k.ref, lang) + phrase[k] + n(k, "", "call site")
			}
		case "device_op":
			if zh {
				s = "设备取证记录到在用户同意前使用 " + k.ref + n(k, "次", "") + at(k)
			} else {
				s = "The device record shows " + k.ref + " used before consent" + n(k, "", "time") + at(k)
			}
		case "device_permission":
			if zh {
				s = "用户同意前申请权限 " + k.ref + n(k, "次", "") + at(k)
			} else {
				s = "Permission " + k.ref + " requested before consent" + n(k, "", "time") + at(k)
			}
		case "device_self_start":
			if zh {
				s = "设备取证记录到自启动或关联启动 " + k.ref + n(k, "次", "") + at(k)
			} else {
				s = "The device record shows self-start or associated start " + k.ref + n(k, "", "time") + at(k)
			}
		case "policy_element":
			name := elementNames[k.ref]
			if zh {
				s = "隐私政策未载明" + "“" + firstNonEmpty(name[0], k.ref) + "”"
			} else {
				s = "The privacy policy does not state: " + firstNonEmpty(name[1], k.ref)
			}
		case "sdk":
			x, _ := findSDK(w.Scan, k.owner)
			if c := confirmedWords(x, lang); c != "" {
				// no code of it in the APK: the line says who saw it and how,
				// ahead of the other lines
				s = sdkLabel(x, lang) + map[bool]string{true: "：", false: ": "}[zh] + c
				if !slices.Contains(confirmed, s) {
					confirmed = append(confirmed, s)
				}
				continue
			}
			if zh {
				s = sdkLabel(x, lang) + "：" + phrase[k]
			} else {
				s = sdkLabel(x, lang) + ": " + phrase[k]
			}
		case "permission":
			if zh {
				s = "申请权限 " + k.ref
			} else {
				s = "Requests the permission " + k.ref
			}
		case "manifest":
			s = k.ref + " = " + k.owner
			if zh {
				s = "清单文件设置 " + s
			} else {
				s = "Manifest sets " + s
			}
		case "endpoint":
			if zh {
				s = "应用内地址 " + k.ref
			} else {
				s = "Address in the app: " + k.ref
			}
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	out = append(confirmed, out...)
	const maxLines = 6
	if len(out) > maxLines {
		rest := len(out) - (maxLines - 1)
		out = append(out[:maxLines-1], map[bool]string{true: fmt.Sprintf("另有%d项，见附件1", rest), false: fmt.Sprintf("%d more, see attachment 1", rest)}[zh])
	}
	return out
}

// ZoneName names the zone of printed times: 北京时间 for Asia/Shanghai.
func ZoneName(loc *time.Location, lang string) string {
	if loc.String() == DefaultTimezone {
		return map[string]string{"zh": "北京时间", "en": "Beijing time"}[lang]
	}
	_, off := time.Now().In(loc).Zone()
	return fmt.Sprintf("%s UTC%+03d:%02d", loc.String(), off/3600, abs(off%3600)/60)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// DraftStatement drafts the plain-language statement of a finding on an
// article from the rules that cite it and their evidence: who (the app or
// the SDKs whose own evidence supports it) and what (the rules' titles).
// The inspector edits it; the mark stores it.
func (s *Service) DraftStatement(ctx context.Context, caseID, versionID int64, itemID, lang string) (string, error) {
	w, err := s.OpenCase(ctx, caseID, versionID)
	if err != nil {
		return "", err
	}
	return draftStatement(w, citing(w, itemID), docLang(lang)), nil
}

func draftStatement(w *workspace.Case, cands []rules.Candidate, lang string) string {
	zh := lang != "en"
	if len(cands) == 0 {
		return ""
	}
	sdks, app := findingOwners(w, cands)
	var names []string
	for _, x := range sdks {
		names = append(names, sdkLabel(x, lang))
	}
	var subj string
	switch {
	case zh && len(sdks) == 0:
		subj = "应用"
	case zh && app:
		subj = "应用及其集成的" + strings.Join(names, "、")
	case zh:
		subj = "应用集成的" + strings.Join(names, "、")
	case len(sdks) == 0:
		subj = "The app"
	case app:
		subj = "The app and its integrated " + strings.Join(names, ", ")
	default:
		subj = "The integrated " + strings.Join(names, ", ")
	}
	var titles []string
	for _, c := range cands {
		t := c.TitleZH
		if !zh {
			t = c.TitleEN
		}
		if t != "" && !slices.Contains(titles, t) {
			titles = append(titles, t)
		}
	}
	if len(titles) == 0 {
		return ""
	}
	if zh {
		switch t := titles[0]; {
		case strings.HasPrefix(t, "隐私政策"):
			titles[0] = "的" + t
		case strings.HasPrefix(t, "征得"):
			titles[0] = "在" + t
		}
		return "经检测，" + subj + strings.Join(titles, "；") + "。"
	}
	return subj + ": " + strings.ToLower(titles[0][:1]) + titles[0][1:] + strings.Join(func() []string {
		var r []string
		for _, t := range titles[1:] {
			r = append(r, "; "+strings.ToLower(t[:1])+t[1:])
		}
		return r
	}(), "") + "."
}
