package law

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/pi"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func mustEmbedded(t testing.TB) *Catalog {
	t.Helper()
	c, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded: %v", err)
	}
	return c
}

// sharedDir is /work/shared/regulations seen from this package (repo root
// is two levels up, and shared sits next to the repo).
func sharedDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "regulations")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared regulations not available (%s): %v", dir, err)
	}
	return dir
}

// rawFile decodes an embedded data file generically, independent of the
// package's parser.
func rawFile(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func rawList(m map[string]any) []map[string]any {
	for _, k := range []string{"articles", "items", "types"} {
		if l, ok := m[k].([]any); ok {
			out := make([]map[string]any, len(l))
			for i, e := range l {
				out[i] = e.(map[string]any)
			}
			return out
		}
	}
	return nil
}

func TestEmbeddedParsesCleanly(t *testing.T) {
	c := mustEmbedded(t)
	if w := c.Warnings(); len(w) > 0 {
		t.Errorf("embedded data has unmapped topic tags: %q", w)
	}
	docs := c.Documents()
	wantIDs := []string{"pipl", "order24", "rd2019", "nps", "nps39", "n337", "n164", "n26", "draft2021", "cac2026", "gbt35273", "gbt41391"}
	var got []string
	for _, d := range docs {
		got = append(got, d.ID)
		if !strings.HasPrefix(d.Version, "sha256:") || len(d.Version) != len("sha256:")+16 {
			t.Errorf("%s: version %q", d.ID, d.Version)
		}
		if d.Origin != OriginEmbedded || d.Source == "" || d.TitleZH == "" {
			t.Errorf("%s: origin %q source %q title %q", d.ID, d.Origin, d.Source, d.TitleZH)
		}
		for _, a := range d.Articles {
			for _, tp := range a.Topics {
				if !ValidTopic(tp) {
					t.Errorf("%s: topic %q not in vocabulary", a.ID, tp)
				}
			}
			if a.Source == "" {
				t.Errorf("%s: no source", a.ID)
			}
		}
	}
	if !slices.Equal(got, wantIDs) {
		t.Errorf("documents = %v, want %v", got, wantIDs)
	}
	pipl, _ := c.Document("pipl")
	if len(pipl.Articles) != 74 {
		t.Errorf("PIPL has %d articles, want 74", len(pipl.Articles))
	}
	for i, a := range pipl.Articles {
		if a.Status != StatusVerbatim || a.Gap || a.Partial {
			t.Errorf("%s: status %s", a.ID, a.Status)
		}
		if want := "pipl/" + itoa(i+1); a.ID != want {
			t.Errorf("PIPL article %d id %s, want %s", i, a.ID, want)
		}
	}
	// Every vocabulary topic that the data can support is used at least once.
	for _, tp := range []Topic{TopicConsent, TopicNotice, TopicMinimumNecessity, TopicPurpose, TopicThirdParty,
		TopicSDK, TopicPermission, TopicSensitive, TopicRetention, TopicRights, TopicDeletion, TopicCancellation,
		TopicMinors, TopicCrossBorder, TopicSecurity, TopicFrequency, TopicSelfStart, TopicAdvertising,
		TopicComplaint, TopicDistribution} {
		if len(c.ByTopic(tp)) == 0 {
			t.Errorf("no article tagged %q", tp)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// Status counts per document, as stated by data/README.md (pass 4: 认定方法
// all 31 items, Order 24 all 25 articles and 337号 items 1-8 verbatim).
func TestStatusCounts(t *testing.T) {
	c := mustEmbedded(t)
	want := map[string][3]int{ // verbatim, partial, gap
		"pipl":    {74, 0, 0},
		"rd2019":  {31, 0, 0},
		"order24": {25, 0, 0},
		"nps39":   {39, 0, 0},
		"n337":    {8, 0, 0},
		"n164":    {7, 0, 3},
	}
	for id, w := range want {
		d, ok := c.Document(id)
		if !ok {
			t.Fatalf("no document %s", id)
		}
		var got [3]int
		for _, a := range d.Articles {
			switch a.Status {
			case StatusVerbatim:
				got[0]++
			case StatusPartial:
				got[1]++
			case StatusGap:
				got[2]++
			}
		}
		if got != w {
			t.Errorf("%s: verbatim/partial/gap = %v, want %v", id, got, w)
		}
	}
}

func TestEmbeddedCopiesEqualSharedFiles(t *testing.T) {
	dir := sharedDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		want, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got, err := dataFS.ReadFile("data/" + e.Name())
		if err != nil {
			t.Errorf("%s is not embedded: %v", e.Name(), err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("data/%s differs from the shared file", e.Name())
		}
		n++
	}
	if n == 0 {
		t.Fatal("no shared files compared")
	}
	// And nothing embedded that the shared directory does not have.
	embedded, _ := dataFS.ReadDir("data")
	for _, e := range embedded {
		if _, err := os.Stat(filepath.Join(dir, e.Name())); err != nil {
			t.Errorf("embedded data/%s has no shared counterpart", e.Name())
		}
	}
	// Every embedded JSON file is one the catalog reads.
	for _, e := range embedded {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if !slices.ContainsFunc(embeddedSpec, func(s struct{ file, id, status string }) bool { return s.file == e.Name() }) {
			t.Errorf("data/%s is embedded but not read by the catalog", e.Name())
		}
	}
}

// TestTextsExactlyAsInFiles compares every article text with the file's
// field, decoded independently of the parser: no trimming, no normalisation.
func TestTextsExactlyAsInFiles(t *testing.T) {
	c := mustEmbedded(t)
	for _, s := range embeddedSpec {
		if s.id == "" {
			continue // standards: headings only, checked in TestStandards
		}
		m := rawFile(t, s.file)
		list := rawList(m)
		d, ok := c.Document(s.id)
		if !ok {
			t.Fatalf("no document %s", s.id)
		}
		if len(d.Articles) != len(list) {
			t.Fatalf("%s: %d articles, file has %d", s.id, len(d.Articles), len(list))
		}
		if d.TitleZH != m["title_zh"] {
			t.Errorf("%s: title %q", s.id, d.TitleZH)
		}
		for i, raw := range list {
			a := d.Articles[i]
			textKey := "text_zh"
			if s.id == "nps39" {
				textKey = "raw_text_zh"
			}
			want, _ := raw[textKey].(string)
			if a.TextZH != want {
				t.Errorf("%s: text_zh differs from the file:\n got %q\nwant %q", a.ID, a.TextZH, want)
			}
			wantEN, _ := raw["text_en"].(string)
			if a.TextEN != wantEN {
				t.Errorf("%s: text_en differs from the file", a.ID)
			}
			if a.Gap != (want == "") {
				t.Errorf("%s: gap=%v with text %q", a.ID, a.Gap, want)
			}
			if want != "" && !strings.HasPrefix(a.DisplayText("zh"), want) {
				t.Errorf("%s: display text does not start with the file's text", a.ID)
			}
		}
	}
}

// collectStrings returns every string value under keys for which keep is
// true, anywhere in v.
func collectStrings(v any, keep func(string) bool, out *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); ok && keep(k) && s != "" {
				*out = append(*out, s)
			}
			collectStrings(x, keep, out)
		}
	case []any:
		for _, x := range t {
			collectStrings(x, keep, out)
		}
	}
}

func TestLocatorFieldsNeverDisplayed(t *testing.T) {
	c := mustEmbedded(t)
	var locators []string
	for _, s := range embeddedSpec {
		collectStrings(rawFile(t, s.file), func(k string) bool {
			return strings.HasPrefix(k, "nonverbatim_") || k == "draft_text_zh" || k == "final_summary_zh" ||
				k == "alt_text_zh" || k == "press_variant_zh" || k == "text_zh_raw_source" || k == "text_zh_source_raw" ||
				k == "conflicting_variant"
		}, &locators)
	}
	if len(locators) < 17 {
		t.Fatalf("found only %d locator values; the test would not prove anything", len(locators))
	}
	for _, d := range c.Documents() {
		for _, a := range d.Articles {
			for _, lang := range []string{"zh", "en"} {
				shown := a.DisplayText(lang)
				for _, l := range locators {
					if strings.Contains(shown, l) || strings.Contains(a.TextZH, l) {
						t.Errorf("%s (%s) shows a locator value %q", a.ID, lang, l)
					}
				}
			}
		}
	}
}

func TestGapAndPartialDisplay(t *testing.T) {
	c := mustEmbedded(t)
	gaps, partials := 0, 0
	for _, d := range c.Documents() {
		for _, a := range d.Articles {
			zh, en := a.DisplayText("zh"), a.DisplayText("en")
			switch {
			case a.Gap:
				gaps++
				if !strings.Contains(zh, GapSentenceZH) || !strings.Contains(zh, a.Number) || !strings.Contains(zh, "《"+d.TitleZH+"》") {
					t.Errorf("%s: zh gap display %q", a.ID, zh)
				}
				if !strings.Contains(en, GapSentenceEN) || !strings.Contains(en, a.Number) {
					t.Errorf("%s: en gap display %q", a.ID, en)
				}
				if a.TitleZH != "" && !strings.Contains(zh, a.TitleZH) {
					t.Errorf("%s: gap display lacks the title %q", a.ID, a.TitleZH)
				}
				if a.TextZH != "" {
					t.Errorf("%s: gap with text", a.ID)
				}
			case a.Partial:
				partials++
				if !strings.HasPrefix(zh, a.TextZH) || zh == a.TextZH || !strings.Contains(zh, "部分条文") {
					t.Errorf("%s: partial display %q", a.ID, zh)
				}
				if !strings.Contains(en, "[partial text]") {
					t.Errorf("%s: en partial display %q", a.ID, en)
				}
			default:
				if zh != a.TextZH {
					t.Errorf("%s: verbatim display differs from text", a.ID)
				}
				if strings.Contains(zh, GapSentenceZH) {
					t.Errorf("%s: verbatim shows the gap sentence", a.ID)
				}
			}
		}
	}
	if gaps == 0 || partials == 0 {
		t.Fatalf("gaps=%d partials=%d: nothing tested", gaps, partials)
	}
	// A gap with a verbatim fragment shows it marked as a fragment.
	a, _ := c.Article("n26/8")
	if !a.Gap || !strings.Contains(a.DisplayText("zh"), "仅存片段") || !strings.Contains(a.DisplayText("zh"), a.FragmentZH) {
		t.Errorf("n26/8: %q", a.DisplayText("zh"))
	}
	// Unofficial English is marked.
	a, _ = c.Article("order24/1")
	if !strings.HasSuffix(a.DisplayText("en"), "[unofficial translation]") || !strings.HasPrefix(a.DisplayText("en"), a.TextEN) {
		t.Errorf("order24/1 en: %q", a.DisplayText("en"))
	}
	// No English: the Chinese text is shown.
	a, _ = c.Article("pipl/13")
	if a.DisplayText("en") != a.TextZH {
		t.Errorf("pipl/13 en display should fall back to Chinese")
	}
}

func TestIDsGolden(t *testing.T) {
	c := mustEmbedded(t)
	var b strings.Builder
	seen := map[string]bool{}
	for _, d := range c.Documents() {
		for _, a := range d.Articles {
			if seen[a.ID] {
				t.Errorf("duplicate id %s", a.ID)
			}
			seen[a.ID] = true
			if !strings.HasPrefix(a.ID, d.ID+"/") || a.DocID != d.ID {
				t.Errorf("id %s not under document %s", a.ID, d.ID)
			}
			b.WriteString(a.ID + "\n")
		}
	}
	golden := filepath.Join("testdata", "ids.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("article ids changed; ids are stable identifiers stored in cases. Diff the output of -update against %s", golden)
	}
	for _, id := range []string{"pipl/13", "rd2019/3.1", "nps39/1", "order24/5", "n164/1.1", "n337/1", "n26/4", "draft2021/3", "cac2026/14", "nps/4", "gbt41391/6.5"} {
		if !seen[id] {
			t.Errorf("missing id %s", id)
		}
	}
}

func TestAppTypes(t *testing.T) {
	c := mustEmbedded(t)
	types := c.AppTypes()
	if len(types) != 39 {
		t.Fatalf("%d app types, want 39", len(types))
	}
	raw := rawList(rawFile(t, "necessary_pi_scope_2021_39_types.json"))
	slugs := map[string]bool{}
	for i, at := range types {
		r := raw[i]
		if at.Number != i+1 || at.ArticleID != "nps39/"+itoa(i+1) {
			t.Errorf("type %d: number %d article %s", i+1, at.Number, at.ArticleID)
		}
		if slugs[at.ID] || at.ID == "" || strings.ToLower(at.ID) != at.ID {
			t.Errorf("type %d: bad or duplicate slug %q", at.Number, at.ID)
		}
		slugs[at.ID] = true
		if at.NameZH != r["type_zh"] || at.NameEN != r["type_en"] || at.BasicFunctionZH != r["basic_function"] {
			t.Errorf("type %d: names/function differ from the file", at.Number)
		}
		var want []string
		for _, x := range r["necessary_info"].([]any) {
			want = append(want, x.(string))
		}
		if !slices.Equal(at.Necessary, want) && !(len(want) == 0 && len(at.Necessary) == 0) {
			t.Errorf("type %d: necessary %q, want %q", at.Number, at.Necessary, want)
		}
		if at.NoNecessaryPI != r["no_personal_info_required"].(bool) {
			t.Errorf("type %d: no_necessary_pi", at.Number)
		}
		if !at.NoNecessaryPI && len(at.Necessary) == 0 {
			t.Errorf("type %d: needs PI but lists none", at.Number)
		}
		a, _ := c.Article(at.ArticleID)
		for _, n := range at.Necessary {
			if !strings.Contains(a.TextZH, n) {
				t.Errorf("type %d: item %q not verbatim in %q", at.Number, n, a.TextZH)
			}
		}
		if at.NoNecessaryPI && len(at.NecessaryCategories) > 0 {
			t.Errorf("type %d: categories for a type without necessary PI", at.Number)
		}
		if !at.NoNecessaryPI && len(at.Necessary) > 0 && len(at.NecessaryCategories) == 0 {
			t.Errorf("type %d: necessary PI without categories", at.Number)
		}
		for _, cat := range at.NecessaryCategories {
			if !pi.Valid(cat) {
				t.Errorf("type %d: unknown category %q", at.Number, cat)
			}
		}
	}
	for q, want := range map[string]int{
		"maps-navigation": 1, "1": 1, "（一）": 1, "nps39/1": 1, "地图导航类": 1, "地图导航": 1, "map & navigation": 1,
		"39": 39, "（三十九）": 39, "演出票务类": 39, "mobile-banking": 24, "Mobile banking": 24,
	} {
		at, ok := c.AppType(q)
		if !ok || at.Number != want {
			t.Errorf("AppType(%q) = %d, %v; want %d", q, at.Number, ok, want)
		}
	}
	for _, q := range []string{"", "40", "0", "nope", "类"} {
		if at, ok := c.AppType(q); ok {
			t.Errorf("AppType(%q) found %d", q, at.Number)
		}
	}
	at, _ := c.AppType("maps-navigation")
	if !slices.Equal(at.NecessaryCategories, []pi.Category{pi.Location}) {
		t.Errorf("maps-navigation categories %v", at.NecessaryCategories)
	}
}

func TestSearchAndTopics(t *testing.T) {
	c := mustEmbedded(t)
	ids := func(as []Article) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	if got := ids(c.Search("单独同意")); !slices.Contains(got, "pipl/29") || !slices.Contains(got, "pipl/23") {
		t.Errorf("Search(单独同意) = %v", got)
	}
	if got := ids(c.Search("第十三条")); !slices.Contains(got, "pipl/13") || !slices.Contains(got, "order24/13") {
		t.Errorf("Search(第十三条) = %v", got)
	}
	if got := ids(c.Search("Withdraw")); !slices.Contains(got, "rd2019/3.8") {
		t.Errorf("Search(Withdraw) (English, any case) = %v", got)
	}
	if got := c.Search("cancellation"); len(got) == 0 {
		t.Error("Search by topic name found nothing")
	}
	if got := c.Search("  "); got != nil {
		t.Errorf("empty search = %v", ids(got))
	}
	if got := c.Search("暂无条文"); len(got) != 0 {
		t.Errorf("the gap sentence is not article text, found %v", ids(got))
	}
	consent := ids(c.ByTopic(TopicConsent))
	for _, id := range []string{"pipl/14", "pipl/15", "rd2019/3.1", "n164/1.1", "n337/1"} {
		if !slices.Contains(consent, id) {
			t.Errorf("ByTopic(consent) lacks %s", id)
		}
	}
	if got := c.ByTopic("no-such-topic"); len(got) != 0 {
		t.Errorf("unknown topic matched %d", len(got))
	}
	if got := ids(c.ByTopic(TopicSelfStart)); !slices.Contains(got, "n164/2.2") || !slices.Contains(got, "n26/6") {
		t.Errorf("ByTopic(self_start) = %v", got)
	}
	// Results are in catalog order and stable.
	a, b := ids(c.ByTopic(TopicNotice)), ids(c.ByTopic(TopicNotice))
	if !slices.Equal(a, b) {
		t.Error("ByTopic not deterministic")
	}
}

func TestCite(t *testing.T) {
	c := mustEmbedded(t)
	cit, err := c.Cite("pipl/13")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Article("pipl/13")
	d, _ := c.Document("pipl")
	if cit.TextZH != a.TextZH || cit.Status != StatusVerbatim || cit.DocVersion != d.Version || cit.DocID != "pipl" ||
		cit.Number != "第十三条" || cit.DocTitleZH != d.TitleZH || cit.DocTitleEN == "" || cit.Source == "" {
		t.Errorf("citation %+v", cit)
	}
	if d, _ := c.Cite("cac2026/14"); d.DocStatus != DocStatusDraft {
		t.Errorf("draft citation status %q", d.DocStatus)
	}
	cit, err = c.Cite("draft2021/7")
	if err != nil || cit.Status != StatusGap || cit.TextZH != "" {
		t.Errorf("gap citation %+v %v", cit, err)
	}
	cit, _ = c.Cite("n26/5")
	if cit.Status != StatusPartial || !cit.Partial {
		t.Errorf("partial citation %+v", cit)
	}
	if _, err := c.Cite("pipl/75"); !errors.Is(err, ErrUnknownArticle) {
		t.Errorf("unknown article: %v", err)
	}
	// JSON field names are part of the store format.
	b, _ := json.Marshal(cit)
	for _, k := range []string{`"doc_id"`, `"doc_title_zh"`, `"doc_version"`, `"article_id"`, `"number"`, `"text_zh"`, `"status"`, `"source"`} {
		if !bytes.Contains(b, []byte(k)) {
			t.Errorf("citation JSON lacks %s: %s", k, b)
		}
	}
}

func TestIDPart(t *testing.T) {
	for in, want := range map[string]string{
		"第一条": "1", "第十条": "10", "第十三条": "13", "第二十条": "20", "第七十四条": "74", "第一百零五条": "105",
		"一.1": "1.1", "六.5": "6.5", "1.1": "1.1", "3": "3", "（一）": "1", "（三十九）": "39", "附录C": "annex-c",
		"": "", "第条": "", "abc": "", "十.二": "10.2",
	} {
		if got := idPart(in); got != want {
			t.Errorf("idPart(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTopicsVocabulary(t *testing.T) {
	for raw, ts := range rawTopics {
		if len(ts) == 0 {
			t.Errorf("raw tag %q maps to nothing", raw)
		}
		for _, tp := range ts {
			if !ValidTopic(tp) {
				t.Errorf("raw tag %q maps to %q, not in the vocabulary", raw, tp)
			}
		}
	}
	got, unknown := normaliseTopics([]string{"sensitive_pi", "consent", "separate_consent_sensitive_pi", "bogus"})
	if !slices.Equal(got, []Topic{TopicConsent, TopicSensitive}) || !slices.Equal(unknown, []string{"bogus"}) {
		t.Errorf("normaliseTopics = %v, %v", got, unknown)
	}
}

func TestDiffText(t *testing.T) {
	for _, tc := range [][2]string{
		{"", ""}, {"abc", "abc"}, {"", "新"}, {"旧", ""},
		{"个人信息处理者方可处理个人信息", "个人信息处理者可以处理个人信息"},
		{"aXbYc", "abc"}, {"kitten", "sitting"},
	} {
		ops := diffText(tc[0], tc[1])
		var oldS, newS strings.Builder
		for _, o := range ops {
			if o.Op != "+" {
				oldS.WriteString(o.Text)
			}
			if o.Op != "-" {
				newS.WriteString(o.Text)
			}
			if o.Text == "" {
				t.Errorf("empty op in %v", ops)
			}
		}
		if oldS.String() != tc[0] || newS.String() != tc[1] {
			t.Errorf("diff(%q,%q) = %v does not reconstruct", tc[0], tc[1], ops)
		}
	}
	if got := FormatDiff(diffText("方可处理", "可以处理")); got != "[-方-]可{+以+}处理" {
		t.Errorf("FormatDiff = %q", got)
	}
}
