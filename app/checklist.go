package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/checklist"
	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
)

// ChecklistCatalog returns the inspection checklist: checklist.json in the
// data directory when the user installed an amended one, else the embedded.
func (s *Service) ChecklistCatalog() (*checklist.Catalog, error) {
	return checklist.Open(s.dataDir)
}

// Checklist returns every checklist item of a case with its result: the
// inspector's record, else the rules' proposal from the candidates of the
// case's newest version (fail with evidence), else pending.
func (s *Service) Checklist(ctx context.Context, caseID int64) (*checklist.Sheet, error) {
	cat, err := s.ChecklistCatalog()
	if err != nil {
		return nil, err
	}
	w, err := s.OpenCase(ctx, caseID, 0)
	if err != nil {
		return nil, err
	}
	recs, err := s.db.ItemResults(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return &checklist.Sheet{CatalogVersion: cat.VersionString(), Groups: cat.Groups,
		Entries: cat.Entries(cat.Prefill(ruleFindings(w.Candidates)), recs)}, nil
}

// SetItem records the inspector's result for one checklist item. A failed
// item keeps the rules' evidence when they proposed the failure, and marks
// each article it cites (with text in the catalog) as violated, with the
// item's rectification text, unless an inspector already decided that
// article's mark: so the notice gets the finding.
func (s *Service) SetItem(ctx context.Context, caseID int64, itemID string, res checklist.Result, note string) (checklist.Outcome, error) {
	cat, err := s.ChecklistCatalog()
	if err != nil {
		return checklist.Outcome{}, err
	}
	w, err := s.OpenCase(ctx, caseID, 0)
	if err != nil {
		return checklist.Outcome{}, err
	}
	in := checklist.Input{ItemID: itemID, Result: res, Note: note, Inspector: s.inspector(""), CatalogVersion: cat.VersionString()}
	if err := in.Validate(cat); err != nil {
		return checklist.Outcome{}, err
	}
	it, _ := cat.Item(itemID)
	pre := cat.Prefill(ruleFindings(w.Candidates))[itemID]
	if res == checklist.ResultFail && pre.Result == checklist.ResultFail {
		in.Evidence = pre.Evidence
	}
	if _, err := s.db.SetItemResult(ctx, caseID, in); err != nil {
		return checklist.Outcome{}, err
	}
	out := checklist.Outcome{Marked: []string{}}
	if res == checklist.ResultFail {
		if out.Marked, err = s.markFailedItem(ctx, w, it, pre, note); err != nil {
			return out, err
		}
	}
	sheet, err := s.Checklist(ctx, caseID)
	if err != nil {
		return out, err
	}
	for _, e := range sheet.Entries {
		if e.Item.ID == itemID {
			out.Entry = e
		}
	}
	return out, nil
}

// markFailedItem marks the articles of a failed item.
func (s *Service) markFailedItem(ctx context.Context, w *workspace.Case, it checklist.Item, pre checklist.Prefilled, note string) ([]string, error) {
	var ver int64
	if w.Version != nil {
		ver = w.Version.ID
	}
	sev := cases.Severity(pre.Severity)
	if !sev.Valid() || sev == cases.SeverityInfo {
		sev = cases.SeverityMedium
	}
	marked := []string{}
	for _, art := range it.Articles {
		a, ok := s.law.Article(art)
		if !ok || a.Gap {
			continue // a gap has no text to cite in a notice
		}
		if d, ok := s.law.Document(a.DocID); ok && d.Status == law.DocStatusStandard {
			continue
		}
		decided := slices.ContainsFunc(w.Marks, func(m cases.Mark) bool {
			return m.VersionID == ver && m.ItemID == art && m.Verdict != cases.VerdictPending
		})
		if decided {
			continue
		}
		n := fmt.Sprintf("检查清单 %s 不符合：%s", it.ID, it.FailZH)
		if strings.TrimSpace(note) != "" {
			n += "\n" + note
		}
		if _, err := s.SetMark(ctx, w.Case.ID, cases.MarkInput{VersionID: ver, ItemID: art, Verdict: cases.VerdictViolation,
			Severity: sev, Note: n, Rectification: it.RectificationZH}); err != nil {
			return marked, fmt.Errorf("checklist item %s: mark %s: %w", it.ID, art, err)
		}
		marked = append(marked, art)
	}
	return marked, nil
}

// ruleFindings converts rule candidates for Prefill.
func ruleFindings(cs []rules.Candidate) []checklist.Finding {
	out := make([]checklist.Finding, 0, len(cs))
	for _, c := range cs {
		f := checklist.Finding{Rule: string(c.Rule), Severity: string(c.Severity), Subject: c.Subject, ExplanationZH: c.ExplanationZH, ExplanationEN: c.ExplanationEN}
		for _, e := range c.Evidence {
			f.Evidence = append(f.Evidence, checklist.Evidence{Key: e.Key, Kind: e.Kind, Detail: e.Detail})
		}
		out = append(out, f)
	}
	return out
}

// ItemJSON is one item of `check --json`: the rules' proposal for a
// checklist item.
type ItemJSON struct {
	ID       string   `json:"id"`
	Result   string   `json:"result"`
	Evidence []string `json:"evidence"`
}

// checkItems proposes a result for every checklist item from candidates:
// fail with the evidence keys when a pre-filling rule found something,
// pending otherwise.
func checkItems(cat *checklist.Catalog, cs []rules.Candidate) []ItemJSON {
	pre := cat.Prefill(ruleFindings(cs))
	out := make([]ItemJSON, 0, len(cat.Items))
	for _, it := range cat.Items {
		j := ItemJSON{ID: it.ID, Result: string(checklist.ResultPending), Evidence: []string{}}
		if p, ok := pre[it.ID]; ok && p.Result == checklist.ResultFail {
			j.Result = string(checklist.ResultFail)
			for _, e := range p.Evidence {
				j.Evidence = append(j.Evidence, e.Key)
			}
		}
		out = append(out, j)
	}
	return out
}

// CheckJSON is the document `check --json` prints: the evaluation as
// rules.WriteEvaluation writes it, and items[] with the checklist proposal
// (the data directory's checklist, else the embedded one).
func CheckJSON(cfg Config, ev rules.Evaluation, lang string) (map[string]json.RawMessage, error) {
	dir, err := DataDir(cfg.DataDir)
	if err != nil {
		dir = "" // no data directory: the embedded checklist
	}
	cat, err := checklist.Open(dir)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := rules.WriteEvaluation(&buf, ev, true, lang); err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	items, err := json.Marshal(checkItems(cat, ev.Candidates))
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	doc["items"] = items
	return doc, nil
}
