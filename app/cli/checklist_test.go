package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/app"
)

type checklistOut struct {
	CatalogVersion string              `json:"catalog_version"`
	Items          []ChecklistItemJSON `json:"items"`
}

func TestChecklistCLI(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	data := filepath.Join(dir, "data")

	// The catalog alone.
	out, errs, st := run(t, data, "checklist", "--json")
	if st != ExitOK {
		t.Fatalf("checklist: %d %s", st, errs)
	}
	var cl checklistOut
	if err := json.Unmarshal([]byte(out), &cl); err != nil {
		t.Fatal(err)
	}
	if len(cl.Items) < 80 || cl.CatalogVersion == "" || cl.Items[0].Group == "" || cl.Items[0].Method == "" || cl.Items[0].Result != "" {
		t.Fatalf("catalog: %d items %+v", len(cl.Items), cl.Items[0])
	}
	if out, _, st := run(t, data, "checklist", "--lang", "en", "--method", "device"); st != ExitOK || !strings.Contains(out, "collection.before_consent") || strings.Contains(out, "consent.default_agree") {
		t.Errorf("text, device only: %d\n%s", st, out)
	}

	// A case: the rules propose results; the inspector records one.
	out, errs, st = run(t, data, "case", "new", "--apk", apkPath, "--policy", pol, "--subject", "示例科技有限公司", "--app-type", "38", "--json")
	if st != ExitOK {
		t.Fatalf("case new: %d %s", st, errs)
	}
	cid := jsonID(t, out)
	out, errs, st = run(t, data, "checklist", "--json", "--case", cid)
	if st != ExitOK {
		t.Fatalf("checklist --case: %d %s", st, errs)
	}
	cl = checklistOut{}
	if err := json.Unmarshal([]byte(out), &cl); err != nil {
		t.Fatal(err)
	}
	fails := 0
	var failed ChecklistItemJSON
	for _, it := range cl.Items {
		if it.Result == "" {
			t.Fatalf("%s has no result", it.ID)
		}
		if it.Result == "fail" {
			fails++
			failed = it
			if it.Source != "rules" || len(it.Evidence) == 0 {
				t.Errorf("proposed failure without evidence: %+v", it)
			}
		}
	}
	if fails == 0 {
		t.Fatal("the rules proposed no failure on the demo app")
	}
	// Recording the failure marks the item's articles.
	out, errs, st = run(t, data, "case", "item", cid, failed.ID, "--result", "fail", "--note", "复核确认", "--json")
	if st != ExitOK {
		t.Fatalf("case item: %d %s", st, errs)
	}
	var rec struct {
		Item   ChecklistItemJSON `json:"item"`
		Marked []string          `json:"marked"`
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Item.Result != "fail" || rec.Item.Source != "inspector" || rec.Item.Note != "复核确认" || len(rec.Item.Evidence) == 0 || len(rec.Marked) == 0 {
		t.Fatalf("recorded %+v", rec)
	}
	out, _, _ = run(t, data, "case", "show", cid, "--json")
	var shown app.CaseJSON
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	for _, a := range rec.Marked {
		i := slices.IndexFunc(shown.Marks, func(m app.MarkJSON) bool { return m.Article == a })
		if i < 0 || shown.Marks[i].Verdict != "violation" || !strings.Contains(shown.Marks[i].Note, failed.ID) || shown.Marks[i].Rectification == "" {
			t.Errorf("mark for %s: %+v", a, shown.Marks)
		}
	}
	// Pass and n/a are recorded; pending too; filters by result.
	if _, errs, st := run(t, data, "case", "item", cid, "consent.default_agree", "--result", "pass"); st != ExitOK {
		t.Fatalf("pass: %s", errs)
	}
	out, _, _ = run(t, data, "checklist", "--json", "--case", cid, "--result", "pass")
	cl = checklistOut{}
	_ = json.Unmarshal([]byte(out), &cl)
	if len(cl.Items) != 1 || cl.Items[0].ID != "consent.default_agree" || cl.Items[0].Inspector == "" {
		t.Errorf("pass filter: %+v", cl.Items)
	}
	// Errors name the problem.
	if _, errs, st := run(t, data, "case", "item", cid, "no.such.item", "--result", "fail"); st != ExitPartial || !strings.Contains(errs, "no.such.item") {
		t.Errorf("unknown item: %d %q", st, errs)
	}
	if _, errs, st := run(t, data, "case", "item", cid, "consent.default_agree", "--result", "maybe"); st == ExitOK || !strings.Contains(errs, "maybe") {
		t.Errorf("bad result: %d %q", st, errs)
	}
	if _, _, st := run(t, data, "case", "item", cid, "consent.default_agree"); st != ExitUsage {
		t.Errorf("missing --result: %d", st)
	}
	if _, _, st := run(t, data, "checklist", "--result", "fail"); st != ExitUsage {
		t.Errorf("--result without --case: %d", st)
	}
}

func TestCheckJSONItems(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	out, errs, st := run(t, filepath.Join(dir, "data"), "check", "--json", "--policy", pol, apkPath)
	if st != ExitOK {
		t.Fatalf("check: %d %s", st, errs)
	}
	var doc struct {
		Candidates []struct {
			Rule     string `json:"rule"`
			Evidence []struct {
				Key string `json:"key"`
			} `json:"evidence"`
		} `json:"candidates"`
		Items []app.ItemJSON `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Candidates) == 0 || len(doc.Items) < 80 {
		t.Fatalf("%d candidates, %d items", len(doc.Candidates), len(doc.Items))
	}
	keys := map[string]bool{}
	for _, c := range doc.Candidates {
		for _, e := range c.Evidence {
			keys[e.Key] = true
		}
	}
	fails := 0
	for _, it := range doc.Items {
		if !slices.Contains([]string{"fail", "pending"}, it.Result) || it.Evidence == nil {
			t.Fatalf("item %+v", it)
		}
		if it.Result == "fail" {
			fails++
			if len(it.Evidence) == 0 {
				t.Errorf("%s fails without evidence", it.ID)
			}
			for _, k := range it.Evidence {
				if !keys[k] {
					t.Errorf("%s cites evidence %q no candidate has", it.ID, k)
				}
			}
		}
	}
	if fails == 0 {
		t.Error("no item failed")
	}
}
