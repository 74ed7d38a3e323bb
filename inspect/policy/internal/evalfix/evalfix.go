// Package evalfix measures the policy extractor against the annotated
// corpora in /work/shared/fixtures/policies (research-use data, read at
// evaluation time only, never embedded):
//
//   - APPCH (appch/*.txt.ann): inline tags [@phrase#敏感权限类型 GROUP*];
//     scored against Extraction.PermissionGroups.
//   - CA4P-483 (ca4p483/*.annotation.json): e_21 (data) spans scored against
//     Extraction.DataTypes; e_24 (handler) spans that name an SDK scored
//     against Extraction.SDKs.
//
// A prediction is correct when it overlaps a gold span of the same class; a
// gold span is found when some prediction of its class overlaps it. CA4P
// annotators marked selected segments only (the spans with an empty
// classId); predictions outside every segment are not scored.
package evalfix

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/appinspect/appinspect/inspect/policy"
)

// Part selects the documents of a corpus.
type Part int

const (
	All     Part = iota // every document
	Dev                 // the development part: read while tuning
	HeldOut             // the held-out part: never read while tuning
)

func (p Part) String() string {
	switch p {
	case Dev:
		return "dev"
	case HeldOut:
		return "held-out"
	}
	return "all"
}

// idHash is the FNV-1a 32-bit hash of a document id.
func idHash(id string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()
}

// Split returns the held-out documents of a corpus: the ⌈n/3⌉ ids with the
// smallest FNV-1a 32-bit hash of the id (ties by id). Ids are the file
// names without the corpus suffix ("0569" for 0569.raw.html,
// "com.baidu.news" for com.baidu.news.txt.ann, "xiaomi_privacy.md",
// "105_amazon.com"). The rule was fixed, and committed, before any error of
// the held-out documents was read; adding a document to a corpus can move
// others between the parts.
func Split(ids []string) map[string]bool {
	s := append([]string(nil), ids...)
	sort.Slice(s, func(i, j int) bool {
		hi, hj := idHash(s[i]), idHash(s[j])
		if hi != hj {
			return hi < hj
		}
		return s[i] < s[j]
	})
	held := map[string]bool{}
	for _, id := range s[:(len(s)+2)/3] {
		held[id] = true
	}
	return held
}

// selectPart keeps the files of part, ids derived by trimming suffix from
// the base name.
func selectPart(files []string, suffix string, part Part) []string {
	if part == All {
		return files
	}
	ids := make([]string, len(files))
	for i, f := range files {
		ids[i] = strings.TrimSuffix(filepath.Base(f), suffix)
	}
	held := Split(ids)
	var out []string
	for i, f := range files {
		if held[ids[i]] == (part == HeldOut) {
			out = append(out, f)
		}
	}
	return out
}

// Counts are the tallies of one class or document.
type Counts struct {
	Pred, PredOK, Gold, GoldFound int
}

// P is the precision (1 when nothing was predicted and nothing expected).
func (c Counts) P() float64 {
	if c.Pred == 0 {
		if c.Gold == 0 {
			return 1
		}
		return 0
	}
	return float64(c.PredOK) / float64(c.Pred)
}

// R is the recall (1 when nothing was expected).
func (c Counts) R() float64 {
	if c.Gold == 0 {
		return 1
	}
	return float64(c.GoldFound) / float64(c.Gold)
}

// F1 is the harmonic mean of P and R.
func (c Counts) F1() float64 {
	p, r := c.P(), c.R()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Add sums counts.
func (c *Counts) Add(o Counts) {
	c.Pred += o.Pred
	c.PredOK += o.PredOK
	c.Gold += o.Gold
	c.GoldFound += o.GoldFound
}

// Doc is the result for one document.
type Doc struct {
	Name    string
	Total   Counts
	Classes map[string]Counts
	Missed  []string // gold texts not found
	Wrong   []string // predicted texts not matching
}

// Report is a corpus result.
type Report struct {
	Corpus  string
	Part    Part
	Docs    []Doc
	Total   Counts
	Classes map[string]Counts
	// Annotated scores the predictions made in sentences where the
	// annotators marked at least one span of any class (e_21…e_27), with
	// every gold span counted for recall: the protocol for a partially
	// annotated corpus, where a sentence nobody annotated is not evidence
	// that it declares nothing.
	Annotated Counts
	// AnnotatedWrong lists those predictions matching no gold span, with
	// their sentence.
	AnnotatedWrong []string
	// AnnotatedMissed lists the gold spans no declared prediction found.
	AnnotatedMissed []string
	// Unmatched are the declared predictions inside annotated segments that
	// overlap no gold span: the population a blind audit samples to
	// estimate how many of them are real declarations the sparse
	// annotation left unmarked.
	Unmatched []Pred
	// Matched are the declared predictions that overlap a gold span.
	Matched []Pred
	// NegatedFound counts the gold spans that no declared prediction finds
	// but a negated mention covers ("不会将您的个人身份信息（包括姓名…）共
	// 享"): CA4P marks the data of negated practices too, so recall over
	// declared predictions counts them as missed.
	NegatedFound int
	// Declared scores the predictions inside the annotated segments that
	// the extractor itself marks as declared (policy.DataType.Declared):
	// what the product treats as "declared". Unlike Annotated it uses no
	// gold annotation to choose the predictions.
	Declared Counts
}

// Pred is a prediction with its sentence, for auditing.
type Pred struct {
	Doc      string `json:"doc"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Term     string `json:"term"`
	Sentence string `json:"sentence,omitempty"`
	At       int    `json:"at"`                // rune offset of Term in Sentence
	Heading  string `json:"heading,omitempty"` // title of the innermost section
	// Set is "unmatched" (overlaps no gold span) or "matched" (overlaps
	// one: the calibration set of an audit).
	Set string `json:"set,omitempty"`
}

// Key identifies a prediction across runs.
func (p Pred) Key() string { return fmt.Sprintf("%s:%d:%d:%s", p.Doc, p.Start, p.End, p.Term) }

type span struct {
	class      string
	start, end int
	text       string
}

// score compares predictions and gold of one document.
func score(name string, pred, gold []span, classAgnostic bool) Doc {
	d := Doc{Name: name, Classes: map[string]Counts{}}
	same := func(a, b span) bool {
		return (classAgnostic || a.class == b.class) && a.start < b.end && b.start < a.end
	}
	for _, p := range pred {
		c := d.Classes[p.class]
		c.Pred++
		ok := false
		for _, g := range gold {
			if same(p, g) {
				ok = true
				break
			}
		}
		if ok {
			c.PredOK++
		} else {
			d.Wrong = append(d.Wrong, p.class+":"+p.text)
		}
		d.Classes[p.class] = c
	}
	for _, g := range gold {
		c := d.Classes[g.class]
		c.Gold++
		ok := false
		for _, p := range pred {
			if same(p, g) {
				ok = true
				break
			}
		}
		if ok {
			c.GoldFound++
		} else {
			d.Missed = append(d.Missed, g.class+":"+g.text)
		}
		d.Classes[g.class] = c
	}
	for _, c := range d.Classes {
		d.Total.Add(c)
	}
	return d
}

// overlaps reports whether [s,e) overlaps one of spans.
func overlaps(s, e int, spans []span) bool {
	for _, g := range spans {
		if s < g.end && g.start < e {
			return true
		}
	}
	return false
}

// scoreSDK scores SDK-name predictions: recall against the spans that name
// an SDK, precision against any handler span (an SDK named without "SDK").
func scoreSDK(id string, pred, naming, handlers []span) Doc {
	ds := score(id, pred, naming, true)
	dh := score(id, pred, handlers, true)
	ds.Total.PredOK, ds.Wrong = dh.Total.PredOK, dh.Wrong
	c := ds.Classes["sdk"]
	c.PredOK = dh.Classes["sdk"].PredOK
	ds.Classes["sdk"] = c
	return ds
}

func (r *Report) add(d Doc) {
	r.Docs = append(r.Docs, d)
	r.Total.Add(d.Total)
	if r.Classes == nil {
		r.Classes = map[string]Counts{}
	}
	for k, c := range d.Classes {
		x := r.Classes[k]
		x.Add(c)
		r.Classes[k] = x
	}
}

// aligner maps rune offsets of one text to another that differs only in
// whitespace.
type aligner struct {
	aIdx []int // for each rune of a: index of the next non-space rune (in a's non-space sequence)
	bPos []int // position in b of the k-th non-space rune of b
	bLen int
}

func newAligner(a, b string) (*aligner, error) {
	ar, br := []rune(a), []rune(b)
	var an, bn []rune
	al := &aligner{aIdx: make([]int, len(ar)+1), bLen: len(br)}
	for i, r := range ar {
		al.aIdx[i] = len(an)
		if !skippable(r) {
			an = append(an, r)
		}
	}
	al.aIdx[len(ar)] = len(an)
	for i, r := range br {
		if !skippable(r) {
			bn = append(bn, r)
			al.bPos = append(al.bPos, i)
		}
	}
	if string(an) != string(bn) {
		n := 0
		for n < len(an) && n < len(bn) && an[n] == bn[n] {
			n++
		}
		return nil, fmt.Errorf("texts differ beyond whitespace at non-space rune %d: %q vs %q", n, string(an[n:min(n+20, len(an))]), string(bn[n:min(n+20, len(bn))]))
	}
	return al, nil
}

// skippable runes are those normalisation may drop or change: whitespace,
// control and zero-width characters.
func skippable(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFEFF' || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\u00AD'
}

// span maps [s,e) of a to b.
func (al *aligner) span(s, e int) (int, int) {
	s = max(0, min(s, len(al.aIdx)-1))
	e = max(s, min(e, len(al.aIdx)-1))
	ks, ke := al.aIdx[s], al.aIdx[e]
	pos := func(k int) int {
		if k >= len(al.bPos) {
			return al.bLen
		}
		return al.bPos[k]
	}
	if ke == ks {
		return pos(ks), pos(ks)
	}
	return pos(ks), pos(ke-1) + 1
}

var appchTag = regexp.MustCompile(`\[@([^#\]]*?)#([^*\]]*?)\*\]`)

// parseAPPCH strips the inline tags of an .ann file, returning the plain
// text and the tagged spans (rune offsets into it).
func parseAPPCH(ann string) (string, []span) {
	var sb strings.Builder
	var spans []span
	n := 0
	last := 0
	for _, m := range appchTag.FindAllStringSubmatchIndex(ann, -1) {
		pre := ann[last:m[0]]
		sb.WriteString(pre)
		n += len([]rune(pre))
		phrase := ann[m[2]:m[3]]
		label := strings.TrimSpace(ann[m[4]:m[5]])
		if f := strings.Fields(label); len(f) > 0 {
			label = f[len(f)-1]
		}
		l := len([]rune(phrase))
		spans = append(spans, span{class: label, start: n, end: n + l, text: phrase})
		sb.WriteString(phrase)
		n += l
		last = m[1]
	}
	sb.WriteString(ann[last:])
	return sb.String(), spans
}

// APPCH scores permission groups on every appch/<name>.txt with its .ann
// in part.
func APPCH(dir string, part Part) (*Report, error) {
	files, err := filepath.Glob(filepath.Join(dir, "appch", "*.txt.ann"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	files = selectPart(files, ".txt.ann", part)
	r := &Report{Corpus: "APPCH permission groups", Part: part}
	for _, f := range files {
		txt := strings.TrimSuffix(f, ".ann")
		doc, err := policy.Load(txt)
		if err != nil {
			return nil, fmt.Errorf("evalfix: %s: %w", filepath.Base(txt), err)
		}
		annB, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		plain, gold := parseAPPCH(string(annB))
		al, err := newAligner(plain, doc.Text)
		if err != nil {
			return nil, fmt.Errorf("evalfix: %s: %w", filepath.Base(f), err)
		}
		for i := range gold {
			gold[i].start, gold[i].end = al.span(gold[i].start, gold[i].end)
		}
		ex := policy.Extract(doc, policy.Options{})
		var pred []span
		for _, g := range ex.PermissionGroups {
			pred = append(pred, span{class: g.Group, start: g.Start, end: g.End, text: g.Text})
		}
		r.add(score(strings.TrimSuffix(filepath.Base(txt), ".txt"), pred, gold, false))
	}
	if len(r.Docs) == 0 {
		return nil, fmt.Errorf("evalfix: no APPCH documents in %s", dir)
	}
	return r, nil
}

type ca4pAnn struct {
	ClassID string `json:"classId"`
	Text    string `json:"text"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
}

var preRe = regexp.MustCompile(`(?s)<pre[^>]*>(.*?)</pre>`)

// generic data words: CA4P e_21 spans that name no type of data.
var genericData = regexp.MustCompile(`^(?:上述|以上|该等|这些|相关|必要|其他|您的|你的|您授权的其他|加密后的|个人|用户|公开|非身份|终端用户的|本机|的)*(?:个人)?(?:敏感)?(?:信息|数据|资料)(?:等)?$`)

func isGenericData(s string) bool {
	s = strings.Trim(strings.Join(strings.Fields(s), ""), "*")
	return genericData.MatchString(s)
}

// sdkDeterminer: e_24 spans that refer to an SDK without naming it.
var sdkDeterminer = regexp.MustCompile(`(?i)^[，,\s]*(?:这些|该|相关|本|上述|此|其他|第三方)?\s*sdk$`)

// namesSDK reports whether an e_24 span names an SDK: it contains "SDK" or
// "Push" and is not a bare determiner ("该SDK", "这些SDK").
func namesSDK(s string) bool {
	l := strings.ToLower(s)
	if !strings.Contains(l, "sdk") && !strings.Contains(l, "push") {
		return false
	}
	return !sdkDeterminer.MatchString(strings.TrimSpace(s))
}

// CA4P scores data types (e_21, generic words such as 个人信息 left out)
// and SDK names (e_24 naming SDKs) on the documents of part.
func CA4P(dir string, part Part) (data, sdk *Report, err error) {
	files, err := filepath.Glob(filepath.Join(dir, "ca4p483", "*.raw.html"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(files)
	files = selectPart(files, ".raw.html", part)
	data = &Report{Corpus: "CA4P-483 data types (e_21)", Part: part}
	sdk = &Report{Corpus: "CA4P-483 SDK names (e_24)", Part: part}
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f), ".raw.html")
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		m := preRe.FindSubmatch(raw)
		if m == nil {
			return nil, nil, fmt.Errorf("evalfix: %s: no <pre>", id)
		}
		pre := html.UnescapeString(string(m[1]))
		doc, err := policy.LoadBytes(filepath.Base(f), raw, "html")
		if err != nil {
			return nil, nil, fmt.Errorf("evalfix: %s: %w", id, err)
		}
		al, err := newAligner(pre, doc.Text)
		if err != nil {
			return nil, nil, fmt.Errorf("evalfix: %s: %w", id, err)
		}
		jb, err := os.ReadFile(filepath.Join(dir, "ca4p483", id+".annotation.json"))
		if err != nil {
			return nil, nil, err
		}
		var anns []ca4pAnn
		if err := json.Unmarshal(jb, &anns); err != nil {
			return nil, nil, fmt.Errorf("evalfix: %s: %w", id, err)
		}
		var segs [][2]int
		var goldData, goldSDK, allHandlers, marked []span
		for _, a := range anns {
			s, e := al.span(a.Start, a.End)
			if a.ClassID != "" {
				marked = append(marked, span{start: s, end: e})
			}
			switch a.ClassID {
			case "":
				segs = append(segs, [2]int{s, e})
			case "e_21":
				if !isGenericData(a.Text) {
					goldData = append(goldData, span{class: "data", start: s, end: e, text: a.Text})
				}
			case "e_24":
				allHandlers = append(allHandlers, span{class: "sdk", start: s, end: e, text: a.Text})
				if namesSDK(a.Text) {
					goldSDK = append(goldSDK, span{class: "sdk", start: s, end: e, text: a.Text})
				}
			}
		}
		inSeg := func(s, e int) bool {
			for _, g := range segs {
				if g[0] <= s && e <= g[1] {
					return true
				}
			}
			return false
		}
		ex := policy.Extract(doc, policy.Options{})
		// every prediction inside the segments
		var pd, ps []span
		for _, d := range ex.DataTypes {
			if inSeg(d.Start, d.End) {
				pd = append(pd, span{class: "data", start: d.Start, end: d.End, text: d.Text})
			}
		}
		for _, s := range ex.SDKs {
			if inSeg(s.Start, s.End) {
				ps = append(ps, span{class: "sdk", start: s.Start, end: s.End, text: s.Name})
			}
		}
		data.add(score(id, pd, goldData, true))
		// declared data types: inside the segments (Declared, and the
		// audit population), and in annotated sentences (Annotated)
		var pdecl, pa []span
		for _, d := range ex.DataTypes {
			if !d.Declared() {
				continue
			}
			sp := span{class: "data", start: d.Start, end: d.End, text: d.Text}
			hit := overlaps(d.Start, d.End, goldData)
			if overlaps(d.Sentence.Start, d.Sentence.End, marked) {
				pa = append(pa, sp)
				if !hit {
					data.AnnotatedWrong = append(data.AnnotatedWrong, fmt.Sprintf("%s %q in %q", id, d.Text, d.Sentence.Text))
				}
			}
			if !inSeg(d.Start, d.End) {
				continue
			}
			pdecl = append(pdecl, sp)
			p := Pred{Doc: id, Start: d.Start, End: d.End, Term: d.Text, Sentence: d.Sentence.Text, At: d.Start - d.Sentence.Start}
			if d.Section >= 0 && d.Section < len(ex.Sections) {
				p.Heading = ex.Sections[d.Section].Title
			}
			if hit {
				p.Set = "matched"
				data.Matched = append(data.Matched, p)
			} else {
				p.Set = "unmatched"
				data.Unmatched = append(data.Unmatched, p)
			}
		}
		data.Declared.Add(score(id, pdecl, goldData, true).Total)
		sa := score(id, pa, goldData, true)
		data.Annotated.Add(sa.Total)
		var negs []span
		for _, d := range ex.DataTypes {
			if d.Negated {
				negs = append(negs, span{start: d.Start, end: d.End})
			}
		}
		for _, g := range goldData {
			if !overlaps(g.start, g.end, pa) && overlaps(g.start, g.end, negs) {
				data.NegatedFound++
			}
		}
		for _, m := range sa.Missed {
			data.AnnotatedMissed = append(data.AnnotatedMissed, id+" "+m)
		}
		// SDK names: precision counts any handler span, recall only the
		// SDK-naming ones; in the segments and in annotated sentences
		sdk.add(scoreSDK(id, ps, goldSDK, allHandlers))
		var pas []span
		for _, m := range ex.SDKs {
			if overlaps(m.Sentence.Start, m.Sentence.End, marked) {
				pas = append(pas, span{class: "sdk", start: m.Start, end: m.End, text: m.Name})
			}
		}
		as := scoreSDK(id, pas, goldSDK, allHandlers)
		sdk.Annotated.Add(as.Total)
		for _, w := range as.Wrong {
			sdk.AnnotatedWrong = append(sdk.AnnotatedWrong, id+" "+w)
		}
	}
	if len(data.Docs) == 0 {
		return nil, nil, fmt.Errorf("evalfix: no CA4P documents in %s", dir)
	}
	return data, sdk, nil
}

// entryTitle is the title line of an entry of the real SDK lists: a line
// (bold in the Xuexi list) followed by a line naming the operator.
var entryTitle = regexp.MustCompile(`(?m)^(?:\*\*)?([^*\n：:]{2,40}?)(?:\*\*)?[ \t]*\n\s*\n?(?:第三方名称|运营方|SDK提供方|公司名称)[：:]`)

// SDKLists scores SDK names on the real SDK lists (real/*sdk_list*.md,
// real/*sharing_list*.md): every title line followed by an operator line
// (第三方名称/运营方：…) is a gold SDK entry; a prediction from a table or
// list is correct when it overlaps one.
//
// The split is that of the whole real/ directory (ids are file names), so a
// part may hold no SDK list.
func SDKLists(dir string, part Part) (*Report, error) {
	all, _ := filepath.Glob(filepath.Join(dir, "real", "*"))
	held := Split(baseNames(all))
	var files []string
	for _, g := range []string{"*sdk_list*.md", "*sharing_list*.md"} {
		fs, _ := filepath.Glob(filepath.Join(dir, "real", g))
		for _, f := range fs {
			if part == All || held[filepath.Base(f)] == (part == HeldOut) {
				files = append(files, f)
			}
		}
	}
	sort.Strings(files)
	r := &Report{Corpus: "real SDK lists (bold entry titles)", Part: part}
	for _, f := range files {
		doc, err := policy.Load(f)
		if err != nil {
			return nil, err
		}
		rs := []rune(doc.Text)
		var gold []span
		for _, m := range entryTitle.FindAllStringSubmatchIndex(doc.Text, -1) {
			s := len([]rune(doc.Text[:m[2]]))
			e := s + len([]rune(doc.Text[m[2]:m[3]]))
			gold = append(gold, span{class: "sdk", start: s, end: e, text: string(rs[s:e])})
		}
		ex := policy.Extract(doc, policy.Options{})
		var pred []span
		for _, s := range ex.SDKs {
			if s.Source != "text" {
				pred = append(pred, span{class: "sdk", start: s.Start, end: s.End, text: s.Name})
			}
		}
		r.add(score(filepath.Base(f), pred, gold, true))
	}
	return r, nil
}

func baseNames(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	return out
}

// Dir returns the fixtures directory under root candidates, or "" when absent.
func Dir(candidates ...string) string {
	for _, c := range candidates {
		p := filepath.Join(c, "fixtures", "policies")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
	}
	return ""
}

// Verdict is one judgement of an audited prediction.
type Verdict struct {
	Pred
	Declared bool   `json:"declared"` // the sentence declares processing of this data
	Why      string `json:"why,omitempty"`
}

// AuditResult is what a blind audit implies.
type AuditResult struct {
	Judged, Yes         int     // verdicts on current unmatched predictions, and how many say declared
	CalJudged, CalAgree int     // verdicts on matched predictions (calibration), and how many say declared
	Estimate            float64 // estimated precision of the declared predictions
	Low, High           float64 // the estimate at the ends of the 95% Wilson interval of the audited share
}

// auditFile holds the verdicts of the held-out blind audit of 2026-11-24:
// 200 unmatched and 50 matched declared predictions (policyeval -sample 200
// -seed 2027 -exclude testdata/ca4p-audit-dev.jsonl), each judged from its
// sentence and section title alone by a judge who did not know which set it
// came from. It stores offsets, the term and the verdict, not the fixture
// text. ca4p-audit-dev.jsonl is the earlier audit (seed 2026) the
// extractor was tuned on, kept for reference.
//
//go:embed testdata/ca4p-audit.jsonl
var auditFile []byte

// Verdicts returns the recorded audit verdicts.
func Verdicts() ([]Verdict, error) { return ParseVerdicts(bytes.NewReader(auditFile)) }

// ParseVerdicts reads JSON-lines verdicts.
func ParseVerdicts(r io.Reader) ([]Verdict, error) {
	var out []Verdict
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v Verdict
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, fmt.Errorf("verdict line %d: %w", n, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

// wilson is the 95% Wilson score interval of k successes in n trials.
func wilson(k, n int) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	const z = 1.96
	p, fn := float64(k)/float64(n), float64(n)
	c := (p + z*z/(2*fn)) / (1 + z*z/fn)
	h := z * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn)) / (1 + z*z/fn)
	return c - h, c + h
}

// Audit estimates the precision of the declared predictions inside the
// annotated segments from blind verdicts on a sample of them:
// P ≈ (matched + unmatched × share of audited unmatched judged declared) /
// predicted. Verdicts on matched predictions measure how often the judge
// agrees with the annotators. Verdicts for predictions the extractor no
// longer makes are ignored.
func Audit(r *Report, verdicts []Verdict) AuditResult {
	un, ma := map[string]bool{}, map[string]bool{}
	for _, p := range r.Unmatched {
		un[p.Key()] = true
	}
	for _, p := range r.Matched {
		ma[p.Key()] = true
	}
	var a AuditResult
	for _, v := range verdicts {
		switch {
		case un[v.Key()]:
			a.Judged++
			if v.Declared {
				a.Yes++
			}
		case ma[v.Key()]:
			a.CalJudged++
			if v.Declared {
				a.CalAgree++
			}
		}
	}
	d := r.Declared
	a.Estimate, a.Low, a.High = d.P(), d.P(), d.P()
	if a.Judged > 0 && d.Pred > 0 {
		u := float64(d.Pred - d.PredOK)
		est := func(share float64) float64 { return (float64(d.PredOK) + u*share) / float64(d.Pred) }
		lo, hi := wilson(a.Yes, a.Judged)
		a.Estimate, a.Low, a.High = est(float64(a.Yes)/float64(a.Judged)), est(lo), est(hi)
	}
	return a
}
