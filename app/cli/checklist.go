package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/appinspect/appinspect/cases/checklist"
)

func init() {
	register(command{name: "checklist", summary: "the inspection checklist: every item with its group, method, rules and articles;\nwith --case, each item's result for that case (recorded, proposed by the rules, or pending)",
		usage: "checklist [--json] [--lang zh|en] [--case CASE] [--group G] [--method M] [--result R]", run: runChecklist})
}

// ChecklistItemJSON is one item of `checklist --json`.
type ChecklistItemJSON struct {
	ID              string               `json:"id"`
	Group           string               `json:"group"`
	Method          string               `json:"method"`
	Title           string               `json:"title"`
	TitleZH         string               `json:"title_zh"`
	TitleEN         string               `json:"title_en"`
	Rules           []string             `json:"rules"`
	Articles        []string             `json:"articles"`
	Scenes          []string             `json:"scenes"`
	Clauses         []string             `json:"clauses"`
	Steps           string               `json:"steps"`
	Pass            string               `json:"pass"`
	Fail            string               `json:"fail"`
	Rectification   string               `json:"rectification"`
	Result          string               `json:"result,omitempty"` // with --case
	Source          string               `json:"source,omitempty"` // rules or inspector
	Note            string               `json:"note,omitempty"`
	Evidence        []checklist.Evidence `json:"evidence,omitempty"`
	Inspector       string               `json:"inspector,omitempty"`
	ProposedByRules string               `json:"proposed,omitempty"`
}

func runChecklist(ctx context.Context, env *Env, args []string) int {
	c := command{name: "checklist", summary: "List the inspection checklist. With --case, each item's result for the case: the\ninspector's record, else the rules' proposal (fail, with evidence), else pending.",
		usage: "checklist [--json] [--lang zh|en] [--case CASE] [--group G] [--method static|policy|device|manual] [--result fail|pass|na|pending]"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON: {\"catalog_version\", \"items\":[{id, group, method, articles, result …}]}")
	lang := fs.String("lang", "zh", "language: zh or en")
	caseArg := fs.String("case", "", "case id or number")
	group := fs.String("group", "", "only this group (collection, consent, sharing, storage, terms, usage, rights)")
	method := fs.String("method", "", "only this method")
	result := fs.String("result", "", "only items with this result (needs --case)")
	pos, st, ok := parseOrExit(fs, args)
	if !ok {
		return st
	}
	if len(pos) != 0 || (*lang != "zh" && *lang != "en") || (*result != "" && *caseArg == "") {
		fs.Usage()
		return ExitUsage
	}
	var want checklist.Result
	if *result != "" {
		r, err := checklist.ParseResult(*result)
		if err != nil {
			return Fail(env.IO, err)
		}
		want = r
	}
	s, err := openService(env)
	if err != nil {
		return Fail(env.IO, err)
	}
	defer s.Close()
	cat, err := s.ChecklistCatalog()
	if err != nil {
		return Fail(env.IO, err)
	}
	sheet := &checklist.Sheet{CatalogVersion: cat.VersionString(), Groups: cat.Groups, Entries: cat.Entries(nil, nil)}
	if *caseArg != "" {
		id, err := resolveCase(ctx, s, *caseArg)
		if err != nil {
			return Fail(env.IO, err)
		}
		if sheet, err = s.Checklist(ctx, id); err != nil {
			return Fail(env.IO, err)
		}
	}
	var keep []checklist.Entry
	for _, e := range sheet.Entries {
		if (*group == "" || e.Item.Group == *group) && (*method == "" || e.Item.Method == *method) && (want == "" || e.Result == want) {
			keep = append(keep, e)
		}
	}
	if *jsonOut {
		items := make([]ChecklistItemJSON, 0, len(keep))
		for _, e := range keep {
			items = append(items, checklistItemJSON(e, *lang, *caseArg != ""))
		}
		return writeJSON(env.Out, struct {
			CatalogVersion string              `json:"catalog_version"`
			Groups         []checklist.Group   `json:"groups"`
			Items          []ChecklistItemJSON `json:"items"`
		}{sheet.CatalogVersion, sheet.Groups, items})
	}
	writeChecklistText(env.Out, sheet, keep, *lang, *caseArg != "")
	return ExitOK
}

func checklistItemJSON(e checklist.Entry, lang string, withCase bool) ChecklistItemJSON {
	it := e.Item
	j := ChecklistItemJSON{ID: it.ID, Group: it.Group, Method: it.Method, Title: it.Title(lang), TitleZH: it.TitleZH, TitleEN: it.TitleEN,
		Rules: it.Rules, Articles: it.Articles, Scenes: it.Scenes, Clauses: it.Clauses, Steps: it.Steps(lang), Pass: it.Pass(lang),
		Fail: it.Fail(lang), Rectification: it.Rectification(lang)}
	if withCase {
		j.Result, j.Source, j.Note, j.Evidence, j.Inspector = string(e.Result), e.Source, e.Note, e.Evidence, e.Inspector
		j.ProposedByRules = string(e.Proposed)
		if j.Evidence == nil {
			j.Evidence = []checklist.Evidence{}
		}
	}
	return j
}

func writeChecklistText(w io.Writer, sheet *checklist.Sheet, es []checklist.Entry, lang string, withCase bool) {
	counts := map[checklist.Result]int{}
	for _, g := range sheet.Groups {
		header := false
		for _, e := range es {
			if e.Item.Group != g.ID {
				continue
			}
			if !header {
				fmt.Fprintf(w, "\n%s\n", g.Name(lang))
				header = true
			}
			res := ""
			if withCase {
				res = fmt.Sprintf("[%s] ", e.Result.Name(lang))
				counts[e.Result]++
			}
			fmt.Fprintf(w, "  %s%-40s %-7s %s\n", res, e.Item.ID, e.Item.Method, e.Item.Title(lang))
			fmt.Fprintf(w, "      %s\n", strings.Join(e.Item.Articles, ", "))
			if withCase && e.Result == checklist.ResultFail {
				for _, ev := range e.Evidence {
					fmt.Fprintf(w, "      - %s %s\n", ev.Key, ev.Detail)
				}
			}
		}
	}
	if withCase {
		fmt.Fprintf(w, "\n%s: %d  %s: %d  %s: %d  %s: %d\n", checklist.ResultFail.Name(lang), counts[checklist.ResultFail],
			checklist.ResultPass.Name(lang), counts[checklist.ResultPass], checklist.ResultNA.Name(lang), counts[checklist.ResultNA],
			checklist.ResultPending.Name(lang), counts[checklist.ResultPending])
	}
	fmt.Fprintf(w, "\n%d items (checklist %s)\n", len(es), sheet.CatalogVersion)
}
