package law

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// amendedPIPL returns the embedded PIPL file with article 13 changed,
// article 74 removed and a new article 75 added, in the same shape.
func amendedPIPL(t *testing.T) []byte {
	t.Helper()
	data, err := dataFS.ReadFile("data/pipl_2021.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	arts := m["articles"].([]any)
	a13 := arts[12].(map[string]any)
	a13["text_zh"] = strings.Replace(a13["text_zh"].(string), "方可处理个人信息", "可以处理个人信息", 1)
	arts = arts[:73]
	arts = append(arts, map[string]any{"number": "第七十五条", "text_zh": "测试用新增条文。", "text_en": "", "topics": []any{"effective_date"}})
	m["articles"] = arts
	out, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openTemp(t *testing.T) (*Catalog, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "law")
	c, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return c, dir
}

func TestImportAmendedDocument(t *testing.T) {
	c, dir := openTemp(t)
	before, _ := c.Document("pipl")
	path := writeTemp(t, "pipl_amended.json", amendedPIPL(t))

	p, err := c.PreviewImport(path)
	if err != nil {
		t.Fatalf("PreviewImport: %v", err)
	}
	if p.NewDocument || p.DocID != "pipl" || p.OldVersion != before.Version || p.NewVersion == before.Version {
		t.Errorf("preview header %+v", p)
	}
	if !slices.Equal(p.Added, []string{"pipl/75"}) || !slices.Equal(p.Removed, []string{"pipl/74"}) {
		t.Errorf("added %v removed %v", p.Added, p.Removed)
	}
	if len(p.Changed) != 1 || p.Changed[0].ID != "pipl/13" || !slices.Contains(p.Changed[0].Fields, "text_zh") {
		t.Fatalf("changed %+v", p.Changed)
	}
	if got := FormatDiff(p.Changed[0].DiffZH); !strings.Contains(got, "[-方-]可{+以+}处理个人信息") {
		t.Errorf("diff %q", got)
	}
	if p.Unchanged != 72 || !p.HasChanges() {
		t.Errorf("unchanged %d", p.Unchanged)
	}
	// The preview changed nothing.
	if a, _ := c.Article("pipl/13"); a.TextZH != before.Articles[12].TextZH {
		t.Error("preview modified the catalog")
	}
	if _, err := os.Stat(filepath.Join(dir, dirDocs)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("preview wrote to the directory: %v", err)
	}

	if err := c.Import(path); err != nil {
		t.Fatalf("Import: %v", err)
	}
	a, _ := c.Article("pipl/13")
	if !strings.Contains(a.TextZH, "可以处理个人信息") || a.Status != StatusImported {
		t.Errorf("after import: %+v", a)
	}
	if _, ok := c.Article("pipl/74"); ok {
		t.Error("pipl/74 still present")
	}
	if _, ok := c.Article("pipl/75"); !ok {
		t.Error("pipl/75 missing")
	}
	d, _ := c.Document("pipl")
	if d.Origin != OriginImported || d.Version != p.NewVersion {
		t.Errorf("document %s origin %s version %s", d.ID, d.Origin, d.Version)
	}
	// Order is kept: pipl is still first.
	if docs := c.Documents(); docs[0].ID != "pipl" || len(docs) != 12 {
		t.Errorf("documents order changed")
	}
	// The file is stored byte for byte and reloaded by Open.
	stored, err := os.ReadFile(filepath.Join(dir, dirDocs, "pipl.json"))
	if err != nil || !bytes.Equal(stored, amendedPIPL(t)) {
		t.Errorf("stored file: %v", err)
	}
	c2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := c2.Document("pipl")
	if d2.Version != d.Version || len(d2.Articles) != 74 {
		t.Errorf("reopened: version %s articles %d", d2.Version, len(d2.Articles))
	}
	// The embedded catalog is untouched.
	e := mustEmbedded(t)
	if a, _ := e.Article("pipl/13"); a.Status != StatusVerbatim {
		t.Error("embedded catalog changed")
	}
	// Importing the same file again changes nothing.
	p, err = c.PreviewImport(path)
	if err != nil || p.HasChanges() {
		t.Errorf("re-preview: %+v %v", p, err)
	}
}

func TestImportNewDocument(t *testing.T) {
	c, dir := openTemp(t)
	doc := `{"id":"Local Rule 2030","title_zh":"某地规定","source":"https://example.gov.cn/rule",
	  "status":"in force","articles":[
	   {"number":"第一条","text_zh":"第一条的正文。","topics":["consent","privacy_policy"]},
	   {"number":"第二条","text_zh":"","status":"GAP","topics":[]},
	   {"number":"第三条","text_zh":"截断的正文","status":"PARTIAL: cut","topics":["unknown_tag"]}]}`
	path := writeTemp(t, "local.json", []byte(doc))
	p, err := c.PreviewImport(path)
	if err != nil {
		t.Fatal(err)
	}
	if !p.NewDocument || p.DocID != "local-rule-2030" || len(p.Added) != 3 || len(p.Warnings) != 1 {
		t.Errorf("preview %+v", p)
	}
	if err := c.Import(path); err != nil {
		t.Fatal(err)
	}
	docs := c.Documents()
	last := docs[len(docs)-1]
	if last.ID != "local-rule-2030" || last.Status != DocStatusInForce {
		t.Fatalf("last document %s %s", last.ID, last.Status)
	}
	a, _ := c.Article("local-rule-2030/1")
	if a.Status != StatusImported || !slices.Equal(a.Topics, []string{TopicConsent, TopicNotice}) {
		t.Errorf("article 1: %+v", a)
	}
	if a, _ := c.Article("local-rule-2030/2"); !a.Gap || !strings.Contains(a.DisplayText("zh"), "《某地规定》第二条：") {
		t.Errorf("article 2: %q", a.DisplayText("zh"))
	}
	if a, _ := c.Article("local-rule-2030/3"); !a.Partial {
		t.Errorf("article 3 not partial: %+v", a)
	}
	if _, err := os.Stat(filepath.Join(dir, dirDocs, "local-rule-2030.json")); err != nil {
		t.Error(err)
	}
	// A different document may not take an existing catalog id.
	clash := `{"id":"other","catalog_id":"local-rule-2030","title_zh":"另一规定","source":"x","articles":[{"number":"1","text_zh":"x"}]}`
	// (catalog_id names an existing document: that is an amendment, allowed.)
	if _, err := c.PreviewImport(writeTemp(t, "clash.json", []byte(clash))); err != nil {
		t.Errorf("explicit catalog_id amendment rejected: %v", err)
	}
	clash2 := `{"id":"local rule 2030!","title_zh":"另一规定","source":"x","articles":[{"number":"1","text_zh":"x"}]}`
	if _, err := c.PreviewImport(writeTemp(t, "clash2.json", []byte(clash2))); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("derived id clash: %v", err)
	}
}

func TestImportValidationErrors(t *testing.T) {
	c, dir := openTemp(t)
	cases := []struct {
		name, doc string
		want      []string // substrings of the error
	}{
		{"syntax.json", "{\n \"id\": \"x\",\n \"title_zh\": ,\n}", []string{"syntax.json", "invalid JSON at line 3"}},
		{"notobject.json", `[1,2]`, []string{"notobject.json", "wrong JSON type"}},
		{"empty.json", ``, []string{"empty.json", "invalid JSON"}},
		{"missing.json", `{"articles":[{"number":"第一条","text_zh":"x"}]}`, []string{"missing.json", "id: missing", "title_zh: missing", "source: missing"}},
		{"noarticles.json", `{"id":"a","title_zh":"t","source":"s"}`, []string{"articles: missing"}},
		{"emptyarticles.json", `{"id":"a","title_zh":"t","source":"s","items":[]}`, []string{"items: must not be empty"}},
		{"fields.json", `{"id":"a","title_zh":"t","source":"s","articles":[
			{"number":"第一条","text_zh":5},
			{"text_zh":"x"},
			{"number":"第三条"},
			{"number":"第一条","text_zh":"dup"},
			{"number":"第五条","text_zh":"x","topics":"consent"},
			"notanobject"]}`,
			[]string{"fields.json: article 第一条: text_zh: must be a string", "article #2: number: missing",
				"article 第三条: text_zh: missing", "duplicate article id \"a/1\"", "article 第五条: topics: must be a list of strings",
				"article #6: must be a JSON object"}},
		{"badnumber.json", `{"id":"a","title_zh":"t","source":"s","articles":[{"number":"Article one","text_zh":"x"}]}`, []string{"cannot derive an article id"}},
		{"types.json", `{"id":"t","title_zh":"t","source":"s","types":[{"number":1,"type_zh":"甲类","raw_text_zh":"必要个人信息为：A。","necessary_info":["B"]}]}`,
			[]string{"necessary_info[0]", "does not occur in raw_text_zh"}},
		{"standards.json", `{"standards":[]}`, []string{"standards clause indexes cannot be imported"}},
		{"both.json", `{"id":"a","title_zh":"t","source":"s","articles":[{"number":"1","text_zh":"x"}],"items":[{"number":"1","text_zh":"x"}]}`, []string{"only one of"}},
	}
	for _, tc := range cases {
		path := writeTemp(t, tc.name, []byte(tc.doc))
		_, perr := c.PreviewImport(path)
		err := c.Import(path)
		for _, e := range []error{perr, err} {
			if !errors.Is(e, ErrInvalidDocument) {
				t.Errorf("%s: error %v is not ErrInvalidDocument", tc.name, e)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Error(), w) {
					t.Errorf("%s: error %q lacks %q", tc.name, e, w)
				}
			}
		}
		var ve *ValidationError
		if errors.As(err, &ve) && (len(ve.Problems) == 0 || ve.Problems[0].File != tc.name) {
			t.Errorf("%s: problems %+v", tc.name, ve.Problems)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, dirDocs)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("invalid imports wrote files: %v", err)
	}
	if _, err := c.PreviewImport(filepath.Join(t.TempDir(), "absent.json")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: %v", err)
	}
}

func TestImportCrashSafety(t *testing.T) {
	c, dir := openTemp(t)
	path := writeTemp(t, "pipl_amended.json", amendedPIPL(t))
	before, _ := c.Document("pipl")

	// A crash between writing the temporary file and renaming it.
	failing := errors.New("simulated crash before rename")
	rename = func(string, string) error { return failing }
	err := c.Import(path)
	rename = os.Rename
	if !errors.Is(err, failing) {
		t.Fatalf("Import with failing rename: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, dirDocs))
	if len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
	if d, _ := c.Document("pipl"); d.Version != before.Version || d.Origin != OriginEmbedded {
		t.Error("catalog half-applied a failed import")
	}

	// A real crash leaves a temporary file (the rename never happened): Open
	// ignores it and keeps the old state.
	if err := os.MkdirAll(filepath.Join(dir, dirDocs), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, dirDocs, ".pipl.json.tmp-123"), []byte(`{"trunc`), 0o644); err != nil {
		t.Fatal(err)
	}
	c2, err := Open(dir)
	if err != nil {
		t.Fatalf("Open with a leftover temp file: %v", err)
	}
	if d, _ := c2.Document("pipl"); d.Version != before.Version {
		t.Error("leftover temp file was loaded")
	}
	// A successful import afterwards works and replaces atomically.
	if err := c2.Import(path); err != nil {
		t.Fatal(err)
	}
	if d, _ := c2.Document("pipl"); d.Origin != OriginImported {
		t.Error("import after crash not applied")
	}
	// A corrupt stored document is reported by Open, naming the file.
	if err := os.WriteFile(filepath.Join(dir, dirDocs, "broken.json"), []byte(`{"id":`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "broken.json") {
		t.Errorf("Open with a broken stored file: %v", err)
	}
}

func TestFillGapThenCite(t *testing.T) {
	c, dir := openTemp(t)
	before, _ := c.Document("order24")
	const text = "电信业务经营者、互联网信息服务提供者应当（测试文本）。"
	if err := c.FillGap("draft2021/7", "  "+text+"\n", "", "http://www.gov.cn/gzdt/2013-07/19/content_2451360.htm"); err != nil {
		t.Fatalf("FillGap: %v", err)
	}
	cit, err := c.Cite("draft2021/7")
	if err != nil {
		t.Fatal(err)
	}
	if cit.TextZH != text || cit.Status != StatusImported || cit.Source != "http://www.gov.cn/gzdt/2013-07/19/content_2451360.htm" {
		t.Errorf("citation after fill: %+v", cit)
	}
	if cit.DocVersion == before.Version {
		t.Error("document version unchanged after filling a gap")
	}
	a, _ := c.Article("draft2021/7")
	if a.Gap || a.DisplayText("zh") != text {
		t.Errorf("filled article display %q", a.DisplayText("zh"))
	}
	// Persisted and reloaded.
	c2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cit2, _ := c2.Cite("draft2021/7")
	if cit2 != cit {
		t.Errorf("reopened citation %+v, want %+v", cit2, cit)
	}
	// A stored citation keeps the text as cited even when the gap is refilled.
	if err := c.FillGap("draft2021/7", "新的文本。", "New text.", "official"); err != nil {
		t.Fatalf("refill: %v", err)
	}
	if cit.TextZH != text {
		t.Error("citation value changed")
	}
	if a, _ := c.Article("draft2021/7"); a.TextEN != "New text." || a.DisplayText("en") != "New text." {
		t.Errorf("refilled en: %q", a.DisplayText("en"))
	}
	// Partial articles may be completed too.
	if err := c.FillGap("n26/5", "完整文本；", "", "official"); err != nil {
		t.Errorf("fill partial: %v", err)
	}
	// Errors.
	if err := c.FillGap("pipl/13", "x", "", "s"); !errors.Is(err, ErrNotGap) {
		t.Errorf("fill verbatim: %v", err)
	}
	if err := c.FillGap("order24/99", "x", "", "s"); !errors.Is(err, ErrUnknownArticle) {
		t.Errorf("fill unknown: %v", err)
	}
	if err := c.FillGap("draft2021/8", " \n", "", "s"); !errors.Is(err, ErrEmptyText) {
		t.Errorf("fill empty: %v", err)
	}
	if err := c.FillGap("draft2021/8", "x", "", ""); !errors.Is(err, ErrNoSource) {
		t.Errorf("fill without source: %v", err)
	}
	e := mustEmbedded(t)
	if err := e.FillGap("draft2021/8", "x", "", "s"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("fill embedded: %v", err)
	}
	if err := e.Import("x.json"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("import embedded: %v", err)
	}
	// A failed write leaves the fills as they were.
	rename = func(string, string) error { return errors.New("disk full") }
	err = c.FillGap("draft2021/8", "x", "", "s")
	rename = os.Rename
	if err == nil {
		t.Fatal("FillGap with failing rename succeeded")
	}
	if a, _ := c.Article("draft2021/8"); !a.Gap {
		t.Error("failed FillGap half-applied")
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fillsFile), []byte(`{"fills":[{"id":"x"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("bad fills: %v", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	c, _ := openTemp(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			_, _ = c.Cite("draft2021/8")
			_ = c.Search("同意")
			_ = c.AppTypes()
		}
	}()
	for i := 0; i < 5; i++ {
		if err := c.FillGap("draft2021/8", "文本"+itoa(i), "", "s"); err != nil {
			t.Error(err)
		}
	}
	<-done
	if cit, _ := c.Cite("draft2021/8"); cit.TextZH != "文本4" {
		t.Errorf("last fill lost: %q", cit.TextZH)
	}
}
