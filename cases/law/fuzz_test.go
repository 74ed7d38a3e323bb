package law

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzValidateDocument feeds arbitrary files to the import validator: it
// must never panic, must reject with ErrInvalidDocument only, and when it
// accepts a file every article must have a unique id under the document and
// a text or a gap.
func FuzzValidateDocument(f *testing.F) {
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		f.Fatal(err)
	}
	// Seeds are the real files cut down to their first two articles (whole
	// 50 KB files make the fuzzing engine crawl); the full files are
	// covered by the embedded-data tests.
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, _ := dataFS.ReadFile("data/" + e.Name())
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			f.Fatal(err)
		}
		for k, v := range m {
			if l, ok := v.([]any); ok && len(l) > 2 {
				m[k] = l[:2]
			}
		}
		small, err := json.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(small)
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"id":"a","title_zh":"t","source":"s","articles":[{"number":"第一条","text_zh":"x"}]}`,
		`{"id":"a","title_zh":"t","source":{"k":["v",1,null]},"items":[{"number":1,"text_zh":"","status":"GAP"}]}`,
		`{"id":"t","title_zh":"t","source":"s","types":[{"number":1,"type_zh":"甲","raw_text_zh":"A、B","necessary_info":["A"]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pf, err := parseFile("fuzz.json", data, docSpec{origin: OriginImported})
		verr := ValidateDocument("fuzz.json", data)
		if err != nil {
			if !errors.Is(err, ErrInvalidDocument) {
				t.Fatalf("error %v is not ErrInvalidDocument", err)
			}
			if verr == nil && !strings.Contains(string(data), "standards") {
				t.Fatalf("ValidateDocument accepted what parseFile rejected: %v", err)
			}
			return
		}
		for _, d := range pf.docs {
			seen := map[string]bool{}
			for _, a := range d.Articles {
				if a.ID == "" || !strings.HasPrefix(a.ID, d.ID+"/") || seen[a.ID] {
					t.Fatalf("bad or duplicate id %q in %q", a.ID, d.ID)
				}
				seen[a.ID] = true
				if a.Gap != (a.TextZH == "") {
					t.Fatalf("%s: gap %v with text %q", a.ID, a.Gap, a.TextZH)
				}
				if a.Gap && !strings.Contains(a.DisplayText("zh"), GapSentenceZH) {
					t.Fatalf("%s: gap display %q", a.ID, a.DisplayText("zh"))
				}
			}
		}
	})
}

// FuzzDiffText checks that a diff always reconstructs both texts.
func FuzzDiffText(f *testing.F) {
	f.Add("个人信息处理者方可处理个人信息", "个人信息处理者可以处理个人信息")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 2000 || len(b) > 2000 {
			return
		}
		var oldS, newS strings.Builder
		for _, o := range diffText(a, b) {
			if o.Op != "+" {
				oldS.WriteString(o.Text)
			}
			if o.Op != "-" {
				newS.WriteString(o.Text)
			}
		}
		if oldS.String() != string([]rune(a)) || newS.String() != string([]rune(b)) {
			t.Fatalf("diff does not reconstruct %q → %q", a, b)
		}
	})
}
