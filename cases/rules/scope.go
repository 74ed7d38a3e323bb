package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/pi"
)

// lowConcernCategories are reached by nearly every app for reasons unrelated
// to its function (connection state, device model and screen, motion
// sensors); beyond-necessary findings about them are graded low.
var lowConcernCategories = map[pi.Category]bool{
	pi.NetworkInfo: true,
	pi.DeviceInfo:  true,
	pi.Sensors:     true,
}

func scopeRules() []Rule {
	return []Rule{{
		ID: "scope.beyond_necessary", TitleZH: "收集超出必要范围的个人信息", TitleEN: "Information beyond the necessary scope",
		Severity: cases.SeverityMedium, Category: CategoryNecessity,
		Articles:      []string{"pipl/6", "nps/4", "n164/1.2"},
		Check:         checkScope,
		DescriptionZH: "按检查人员选定的App类型（39类必要个人信息范围表），App通过权限、敏感接口或设备运行证据可收集的个人信息种类不在该类型的必要个人信息之内。每类一条，并引用所选类型的条目；需确认用户拒绝时App能否使用基本功能。未选定类型时不运行。",
		DescriptionEN: "For the app type the inspector chose (the 39-type necessary-information table), each kind of information the app can reach through permissions, sensitive APIs or device evidence that is not among the type's necessary information. One candidate per kind, citing the type's row; the inspector checks whether the basic function still works when the user refuses. Silent until a type is chosen.",
	}}
}

func checkScope(f *Facts) []Candidate {
	t := f.AppType
	if t == nil {
		return nil
	}
	necessary := map[pi.Category]bool{}
	for _, c := range t.NecessaryCategories {
		necessary[c] = true
	}
	type found struct {
		ev        []Evidence
		dangerous bool // a runtime permission or a device access
	}
	reached := map[pi.Category]*found{}
	add := func(c pi.Category, e Evidence, strong bool) {
		if c == "" || necessary[c] {
			return
		}
		r, ok := reached[c]
		if !ok {
			r = &found{}
			reached[c] = r
		}
		r.ev = append(r.ev, e)
		r.dangerous = r.dangerous || strong
	}
	for _, p := range f.Scan.Permissions {
		if !permissionRelevant(p) {
			continue
		}
		for _, c := range p.Categories {
			add(c, permissionEvidence(p), p.Dangerous)
		}
	}
	for _, a := range f.Scan.APIs {
		if a.Category == "" || lowSignalAPIs[a.ID] || a.Weak {
			continue
		}
		owners := a.Owners
		if len(owners) == 0 {
			owners = []string{"app"}
		}
		for _, o := range owners {
			if subjectOf(o) == "" {
				continue
			}
			for _, e := range callSiteEvidence(a, o) {
				add(a.Category, e, false)
			}
		}
	}
	if f.Device != nil {
		for _, op := range f.Device.Ops {
			if op.Rejected {
				continue
			}
			c := op.Category
			if c == "" {
				c = OpCategory(op.Op)
			}
			add(c, opEvidence(op, c), true)
		}
	}
	cats := make([]pi.Category, 0, len(reached))
	for c := range reached {
		cats = append(cats, c)
	}
	sort.Slice(cats, func(i, j int) bool { return cats[i] < cats[j] })
	necZH, necEN := "无（无须个人信息即可使用基本功能服务）", "none (the basic function needs no personal information)"
	if !t.NoNecessaryPI && len(t.NecessaryCategories) > 0 {
		necZH, necEN = catsZH(t.NecessaryCategories), catsEN(t.NecessaryCategories)
	}
	// Categories reached through exactly the same evidence (the two
	// categories of READ_EXTERNAL_STORAGE, say) make one candidate.
	type merged struct {
		cats []pi.Category
		r    *found
	}
	var groups []*merged
	bySig := map[string]*merged{}
	for _, c := range cats {
		r := reached[c]
		keys := make([]string, len(r.ev))
		for i, e := range r.ev {
			keys[i] = e.Key
		}
		sort.Strings(keys)
		sig := strings.Join(keys, "\x00")
		if m, ok := bySig[sig]; ok {
			m.cats = append(m.cats, c)
			continue
		}
		m := &merged{cats: []pi.Category{c}, r: r}
		bySig[sig] = m
		groups = append(groups, m)
	}
	var out []Candidate
	for _, m := range groups {
		r := m.r
		sev := cases.SeverityLow
		for _, c := range m.cats {
			switch {
			case sensitive(c):
				sev = cases.SeverityHigh
			case lowConcernCategories[c]:
			case r.dangerous && sev != cases.SeverityHigh:
				sev = cases.SeverityMedium
			}
		}
		ev := append(r.ev, Evidence{Key: "app_type:" + t.ID, Kind: "app_type", Ref: t.ArticleID, Detail: t.NameZH + " / " + t.NameEN})
		arts := []string{"pipl/6", "nps/4", "n164/1.2"}
		if t.ArticleID != "" {
			arts = append(arts, t.ArticleID)
		}
		out = append(out, Candidate{
			Severity: sev, Evidence: ev, Articles: arts,
			ExplanationZH: fmt.Sprintf("所选App类型为“%s”（基本功能：%s），必要个人信息为：%s。App可收集的%s不在其中，属于非必要个人信息。请确认用户拒绝提供该信息时App能否正常使用基本功能服务。", t.NameZH, t.BasicFunctionZH, necZH, catsZH(m.cats)),
			ExplanationEN: fmt.Sprintf("The chosen app type is %s (%s); its necessary information is: %s. The app can reach %s, which is not necessary. Check that the basic function still works when the user refuses it.", t.NameEN, t.NameZH, necEN, catsEN(m.cats)),
		})
	}
	return out
}
