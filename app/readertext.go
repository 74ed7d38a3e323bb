package app

import (
	"regexp"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/reports"
)

// idToken is a run of characters an internal id is made of ("pangle",
// "umeng-common", "clipboard.getPrimaryClip").
var idToken = regexp.MustCompile(`[A-Za-z0-9._$#/\-]+`)

// rfc3339 matches the machine timestamps some rules write into their
// explanations ("2026-03-02T02:16:40Z").
var rfc3339 = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)

// componentKinds name the manifest component kinds in Chinese, keeping the
// Android term as evidence.
var componentKinds = map[string]string{
	"activity":       "活动组件（Activity）",
	"activity-alias": "活动别名（activity-alias）",
	"service":        "服务组件（Service）",
	"receiver":       "广播接收器（Receiver）",
	"provider":       "内容提供器（Provider）",
}

var componentCount = regexp.MustCompile(`\b(activity-alias|activity|service|receiver|provider) (\d+)个`)

// readerText rewrites the internal identifiers a rule's stored explanation
// may carry into what a reader of a document understands: an SDK id into
// the SDK's name (“pangle” → “穿山甲广告（CSJ）”; in Chinese, an English
// catalog name into the Chinese one), a sensitive-API id into
// Class.method (pm.getInstalledPackages → PackageManager.getInstalledPackages),
// an SDK category id into its name, a machine timestamp into the document's
// zone, and (in Chinese) a manifest component kind into words. Explanations
// are stored with the candidates, so documents of cases analysed by older
// rules read the same. Rules from version 2026.12.4 write readable text
// themselves (names, Class.method, zone-labelled times through
// rules.Options.Location), and the rewrite leaves their text unchanged
// (TestReaderTextNoOpOnNewRules).
func readerText(r *inspect.Result, lang string, loc *time.Location, s string) string {
	if s == "" {
		return s
	}
	zh := lang != "en"
	if r != nil {
		names := map[string]string{}
		for _, x := range r.SDKs {
			n := x.Name
			if zh {
				n = firstNonEmpty(x.NameZH, x.Name)
				if x.Name != "" && x.Name != n {
					s = strings.ReplaceAll(s, "“"+x.Name+"”", "“"+n+"”")
				}
			}
			if n != "" {
				names[x.ID] = n
			}
			if c := x.Category; c != "" {
				cn := reports.SDKCategoryName(lang, c)
				if zh {
					s = strings.ReplaceAll(s, "，"+c+"）", "，"+cn+"）")
				} else {
					s = strings.ReplaceAll(s, ", "+c+")", ", "+cn+")")
				}
			}
		}
		for _, a := range r.APIs {
			if a.Class != "" && a.Method != "" {
				names[a.ID] = a.Class[strings.LastIndex(a.Class, ".")+1:] + "." + a.Method
			}
		}
		s = idToken.ReplaceAllStringFunc(s, func(tok string) string {
			core := strings.TrimRight(tok, ".")
			if n, ok := names[core]; ok {
				return n + tok[len(core):]
			}
			return tok
		})
	}
	s = rfc3339.ReplaceAllStringFunc(s, func(ts string) string {
		t, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			return ts
		}
		return t.In(loc).Format("2006-01-02 15:04:05") + map[bool]string{true: "（", false: " ("}[zh] + ZoneName(loc, lang) + map[bool]string{true: "）", false: ")"}[zh]
	})
	if zh {
		s = componentCount.ReplaceAllStringFunc(s, func(m string) string {
			p := componentCount.FindStringSubmatch(m)
			return componentKinds[p[1]] + p[2] + "个"
		})
	}
	return s
}

// readableCandidates rewrites, in place, the explanations of candidates an
// older rules version stored (rulesVersion ≠ rules.Version) with
// readerText, so the review pane, the checklist and `case show` read like
// the documents until the version is re-evaluated. Text of the current
// rules is left alone.
func readableCandidates(r *inspect.Result, rulesVersion string, loc *time.Location, cs []rules.Candidate) {
	if rulesVersion == rules.Version {
		return
	}
	for i := range cs {
		c := &cs[i]
		zh, en := c.ExplanationZH, c.ExplanationEN
		c.ExplanationZH = readerText(r, "zh", loc, zh)
		c.ExplanationEN = readerText(r, "en", loc, en)
		switch c.Explanation { // the copy in the evaluation's language
		case zh:
			c.Explanation = c.ExplanationZH
		case en:
			c.Explanation = c.ExplanationEN
		}
	}
}
