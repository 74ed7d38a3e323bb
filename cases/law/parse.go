package law

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Problem is one validation failure of a regulation file.
type Problem struct {
	File    string `json:"file"`
	Article string `json:"article,omitempty"` // article number as in the file, or "#index"
	Field   string `json:"field,omitempty"`
	Msg     string `json:"msg"`
}

// String renders the problem as "file: article N: field: message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Article != "" {
		b.WriteString(": article ")
		b.WriteString(p.Article)
	}
	if p.Field != "" {
		b.WriteString(": ")
		b.WriteString(p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	return b.String()
}

// ValidationError lists every problem found in a regulation file. It
// matches ErrInvalidDocument with errors.Is.
type ValidationError struct {
	File     string
	Problems []Problem
}

// Error lists the first ten problems.
func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for i, p := range e.Problems {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("… and %d more", len(e.Problems)-10))
			break
		}
		parts = append(parts, p.String())
	}
	return "law: invalid document " + e.File + ": " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalidDocument) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidDocument }

// parsedFile is the result of parsing one file: one document, or several for
// the standards index.
type parsedFile struct {
	docs     []*Document
	warnings []string
}

// validator collects problems for one file.
type validator struct {
	file     string
	problems []Problem
	warnings []string
}

func (v *validator) add(article, field, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Article: article, Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{File: v.file, Problems: v.problems}
}

// obj is a decoded JSON object with field accessors that record problems.
type obj struct {
	v       *validator
	article string
	m       map[string]json.RawMessage
}

func (o obj) has(k string) bool { _, ok := o.m[k]; return ok }

func isNull(r json.RawMessage) bool { return string(bytes.TrimSpace(r)) == "null" }

// str returns the string field k. required: absent, null or non-string is a
// problem; nonEmpty: an empty string is a problem too.
func (o obj) str(k string, required, nonEmpty bool) string {
	r, ok := o.m[k]
	if !ok || isNull(r) {
		if required {
			o.v.add(o.article, k, "missing")
		}
		return ""
	}
	var s string
	if err := json.Unmarshal(r, &s); err != nil {
		o.v.add(o.article, k, "must be a string")
		return ""
	}
	if nonEmpty && strings.TrimSpace(s) == "" {
		o.v.add(o.article, k, "must not be empty")
	}
	if !utf8.ValidString(s) {
		o.v.add(o.article, k, "invalid UTF-8")
	}
	return s
}

// strOrNumber accepts a JSON string or number (article numbers are either).
func (o obj) strOrNumber(k string) string {
	r, ok := o.m[k]
	if !ok || isNull(r) {
		o.v.add(o.article, k, "missing")
		return ""
	}
	var s string
	if err := json.Unmarshal(r, &s); err == nil {
		if strings.TrimSpace(s) == "" {
			o.v.add(o.article, k, "must not be empty")
		}
		return s
	}
	var n json.Number
	if err := json.Unmarshal(r, &n); err == nil {
		return n.String()
	}
	o.v.add(o.article, k, "must be a string or a number")
	return ""
}

func (o obj) strList(k string) []string {
	r, ok := o.m[k]
	if !ok || isNull(r) {
		return nil
	}
	var l []string
	if err := json.Unmarshal(r, &l); err != nil {
		o.v.add(o.article, k, "must be a list of strings")
		return nil
	}
	return l
}

func (o obj) boolean(k string) bool {
	r, ok := o.m[k]
	if !ok || isNull(r) {
		return false
	}
	var b bool
	if err := json.Unmarshal(r, &b); err != nil {
		o.v.add(o.article, k, "must be true or false")
	}
	return b
}

// sourceText renders a source field, a string or an object of strings and
// lists, deterministically (object keys sorted).
func (o obj) sourceText(k string, required bool) string {
	r, ok := o.m[k]
	if !ok || isNull(r) {
		if required {
			o.v.add(o.article, k, "missing")
		}
		return ""
	}
	var x any
	if err := json.Unmarshal(r, &x); err != nil {
		o.v.add(o.article, k, "invalid")
		return ""
	}
	s := renderSource(x)
	if required && strings.TrimSpace(s) == "" {
		o.v.add(o.article, k, "must not be empty")
	}
	return s
}

func renderSource(x any) string {
	switch t := x.(type) {
	case string:
		return t
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			if s := renderSource(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			if s := renderSource(t[k]); s != "" {
				parts = append(parts, k+": "+s)
			}
		}
		return strings.Join(parts, "; ")
	case nil:
		return ""
	default:
		return fmt.Sprint(t)
	}
}

// jsonSyntaxProblem turns a decoding error into a problem with line:column.
func jsonSyntaxProblem(v *validator, data []byte, err error) {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		v.add("", "", "invalid JSON at line %d, column %d: %v", line, col, se)
		return
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		v.add("", te.Field, "wrong JSON type: %v", te)
		return
	}
	v.add("", "", "invalid JSON: %v", err)
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// docSpec says how a file maps onto catalog documents.
type docSpec struct {
	id     string // catalog document id ("pipl"); empty: derive
	status string // default status when the file has none
	origin string // OriginEmbedded or OriginImported
}

var catalogIDPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// deriveCatalogID makes a catalog id from a file id ("Foo Bar-2024" →
// "foo-bar-2024").
func deriveCatalogID(fileID string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(fileID) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if b.Len() == 0 && r >= '0' && r <= '9' {
				b.WriteString("doc-")
			}
			b.WriteRune(r)
			dash = false
		default:
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}

// parseFile validates and converts one regulation file. spec.id may be empty
// for imports; the caller then assigns the id from the returned FileID.
func parseFile(name string, data []byte, spec docSpec) (*parsedFile, error) {
	v := &validator{file: name}
	if !utf8.Valid(data) {
		v.add("", "", "file is not valid UTF-8")
		return nil, v.err()
	}
	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&top); err != nil {
		jsonSyntaxProblem(v, data, err)
		return nil, v.err()
	}
	if dec.More() {
		v.add("", "", "trailing data after the JSON object")
		return nil, v.err()
	}
	if top == nil {
		v.add("", "", "not a JSON object")
		return nil, v.err()
	}
	pf := &parsedFile{}
	if _, ok := top["standards"]; ok {
		parseStandards(v, top, spec, pf)
	} else {
		d := parseDocument(v, top, data, spec)
		if d != nil {
			pf.docs = append(pf.docs, d)
		}
	}
	pf.warnings = v.warnings
	if err := v.err(); err != nil {
		return nil, err
	}
	return pf, nil
}

func hashVersion(parts ...[]byte) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write(p)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

func parseDocument(v *validator, top map[string]json.RawMessage, raw []byte, spec docSpec) *Document {
	o := obj{v: v, m: top}
	d := &Document{
		FileID:       o.str("id", true, true),
		File:         v.file,
		TitleZH:      o.str("title_zh", true, true),
		TitleEN:      o.str("title_en", false, false),
		DocNumber:    o.str("doc_number", false, false),
		Issuer:       o.str("issuer", false, false),
		Date:         o.str("date", false, false),
		StatusNote:   o.str("status", false, false),
		Completeness: o.str("completeness", false, false),
		Source:       o.sourceText("source", true),
		Origin:       spec.origin,
		ID:           spec.id,
		rawHash:      hashVersion(raw),
	}
	if cid := o.str("catalog_id", false, false); cid != "" {
		if !catalogIDPattern.MatchString(cid) {
			v.add("", "catalog_id", "must match %s", catalogIDPattern)
		} else if d.ID == "" {
			d.ID = cid
		}
	}
	if d.ID == "" && d.FileID != "" {
		d.ID = deriveCatalogID(d.FileID)
		if d.ID == "" {
			v.add("", "id", "cannot derive a catalog id from %q; add a catalog_id field", d.FileID)
		}
	}
	d.Status = docStatus(d.StatusNote, spec.status)

	var listKey string
	for _, k := range []string{"articles", "items", "types"} {
		if o.has(k) {
			if listKey != "" {
				v.add("", k, "only one of articles, items, types may be present (found %s too)", listKey)
				continue
			}
			listKey = k
		}
	}
	if listKey == "" {
		v.add("", "articles", "missing (one of articles, items or types is required)")
		return d
	}
	var list []json.RawMessage
	if err := json.Unmarshal(top[listKey], &list); err != nil {
		v.add("", listKey, "must be a list of objects")
		return d
	}
	if len(list) == 0 {
		v.add("", listKey, "must not be empty")
		return d
	}
	seen := map[string]string{}
	for i, r := range list {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r, &m); err != nil || m == nil {
			v.add(fmt.Sprintf("#%d", i+1), "", "must be a JSON object")
			continue
		}
		ao := obj{v: v, article: fmt.Sprintf("#%d", i+1), m: m}
		// Name the article by its number in later problems when it has one.
		if n := peekNumber(m); n != "" {
			ao.article = n
		}
		var a Article
		if listKey == "types" {
			a = parseType(ao, d)
		} else {
			a = parseArticle(ao, d)
		}
		if a.Number == "" {
			continue
		}
		part := idPart(a.Number)
		if listKey == "types" {
			part = idPart(ao.strOrNumberQuiet("number"))
		}
		if part == "" {
			v.add(ao.article, "number", "cannot derive an article id from %q", a.Number)
			continue
		}
		a.ID = d.ID + "/" + part
		if prev, dup := seen[part]; dup {
			v.add(ao.article, "number", "duplicate article id %q (also used by article %s)", a.ID, prev)
			continue
		}
		seen[part] = ao.article
		d.Articles = append(d.Articles, a)
	}
	return d
}

func peekNumber(m map[string]json.RawMessage) string {
	r, ok := m["number"]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(r, &n) == nil {
		return n.String()
	}
	return ""
}

func (o obj) strOrNumberQuiet(k string) string {
	return peekNumber(map[string]json.RawMessage{"number": o.m[k]})
}

// sectionFields are the per-article headings of the different file shapes,
// in the order they are joined.
var sectionFields = []string{"chapter", "section", "category_title_zh", "area_title_zh", "group"}

func parseArticle(o obj, d *Document) Article {
	a := Article{
		DocID:        d.ID,
		Number:       o.strOrNumber("number"),
		TitleZH:      o.str("title_zh", false, false),
		TitleEN:      o.str("title_en", false, false),
		TextEN:       o.str("text_en", false, false),
		StatusNote:   o.str("status", false, false),
		FragmentZH:   o.str("text_zh_fragment", false, false),
		TextENSource: o.str("text_en_source", false, false),
		Source:       o.sourceText("source", false),
	}
	if !o.has("text_zh") {
		o.v.add(o.article, "text_zh", "missing (use \"\" with a GAP status when the text is not available)")
	}
	a.TextZH = o.str("text_zh", false, false)
	var secs []string
	for _, k := range sectionFields {
		if s := o.str(k, false, false); s != "" {
			secs = append(secs, s)
		}
	}
	a.Section = strings.Join(secs, " ")
	raw := o.strList("topics")
	topics, unknown := normaliseTopics(raw)
	for _, u := range unknown {
		o.v.warnings = append(o.v.warnings, fmt.Sprintf("%s: article %s: topics: unknown tag %q ignored", o.v.file, o.article, u))
	}
	a.Topics = topics
	if a.Source == "" {
		a.Source = d.Source
	}
	classify(&a, d.Origin)
	return a
}

// parseType converts one row of the 39-type table (the "types" shape).
func parseType(o obj, d *Document) Article {
	num := o.strOrNumber("number")
	a := Article{
		DocID:      d.ID,
		Number:     o.str("number_zh", false, false),
		TitleZH:    o.str("type_zh", true, true),
		TitleEN:    o.str("type_en", false, false),
		TextZH:     o.str("raw_text_zh", true, false),
		StatusNote: o.str("status", false, false),
		Source:     o.sourceText("source", false),
		Topics:     []Topic{TopicMinimumNecessity},
	}
	if a.Number == "" {
		a.Number = num
	}
	t := &appTypeData{
		basicFunction: o.str("basic_function", false, false),
		necessary:     o.strList("necessary_info"),
		noPI:          o.boolean("no_personal_info_required"),
	}
	if _, err := strconv.Atoi(num); num != "" && err != nil {
		o.v.add(o.article, "number", "must be an integer for the types table")
	}
	for i, n := range t.necessary {
		if strings.TrimSpace(n) == "" {
			o.v.add(o.article, fmt.Sprintf("necessary_info[%d]", i), "must not be empty")
		} else if a.TextZH != "" && !strings.Contains(a.TextZH, n) {
			o.v.add(o.article, fmt.Sprintf("necessary_info[%d]", i), "%q does not occur in raw_text_zh (items must be verbatim)", n)
		}
	}
	if t.noPI && len(t.necessary) > 0 {
		o.v.add(o.article, "no_personal_info_required", "true but necessary_info is not empty")
	}
	if t.basicFunction != "" && a.TextZH != "" && !strings.Contains(a.TextZH, t.basicFunction) {
		o.v.add(o.article, "basic_function", "%q does not occur in raw_text_zh", t.basicFunction)
	}
	a.appType = t
	if a.Source == "" {
		a.Source = d.Source
	}
	classify(&a, d.Origin)
	return a
}

// classify derives Status, Gap and Partial from the text and the file's
// status note. A missing Chinese text is a gap, whatever the note says; a
// note marking the text partial, truncated, draft-only or a lead-in makes it
// partial; anything else with text is verbatim (or imported, for user files).
func classify(a *Article, origin string) {
	switch {
	case a.TextZH == "":
		a.Status, a.Gap = StatusGap, true
	case isPartialNote(a.StatusNote):
		a.Status, a.Partial = StatusPartial, true
	case origin == OriginImported:
		a.Status = StatusImported
	default:
		a.Status = StatusVerbatim
	}
	if origin == OriginEmbedded && a.TextEN != "" {
		// Every English text in the research drop is a third-party,
		// unofficial translation (see data/README.md).
		a.TextENUnofficial = true
	}
}

func isPartialNote(note string) bool {
	u := strings.ToUpper(note)
	for _, m := range []string{"PARTIAL", "TRUNCATED", "DRAFT WORDING", "LEAD-IN", "GAP", "FRAGMENT"} {
		if strings.Contains(u, m) {
			return true
		}
	}
	return false
}

func docStatus(note, def string) string {
	l := strings.ToLower(strings.TrimSpace(note))
	switch {
	case l == "":
		if def != "" {
			return def
		}
		return DocStatusUnknown
	case strings.HasPrefix(l, "draft") || strings.Contains(note, "征求意见稿"):
		return DocStatusDraft
	case strings.HasPrefix(l, "in force") || strings.HasPrefix(note, "现行有效"):
		return DocStatusInForce
	case strings.HasPrefix(l, "campaign"):
		return DocStatusCampaign
	case strings.HasPrefix(l, "repealed") || strings.HasPrefix(note, "已废止"):
		return DocStatusRepealed
	}
	if def != "" {
		return def
	}
	return DocStatusUnknown
}

func parseStandards(v *validator, top map[string]json.RawMessage, spec docSpec, pf *parsedFile) {
	var list []json.RawMessage
	if err := json.Unmarshal(top["standards"], &list); err != nil || len(list) == 0 {
		v.add("", "standards", "must be a non-empty list of objects")
		return
	}
	for i, r := range list {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r, &m); err != nil || m == nil {
			v.add(fmt.Sprintf("standards[%d]", i), "", "must be a JSON object")
			continue
		}
		o := obj{v: v, article: fmt.Sprintf("standards[%d]", i), m: m}
		fileID := o.str("id", true, true)
		d := &Document{
			FileID:     fileID,
			File:       v.file,
			TitleZH:    o.str("title_zh", true, true),
			Date:       o.str("issued", false, false),
			Source:     o.sourceText("source", true),
			Status:     DocStatusStandard,
			StatusNote: "standard: clause numbers and headings only (no normative text)",
			Origin:     spec.origin,
			ID:         standardID(fileID),
			rawHash:    hashVersion(r),
		}
		d.DocNumber = fileID
		d.Completeness = o.str("gaps", false, false)
		var clauses [][]string
		if err := json.Unmarshal(m["clauses"], &clauses); err != nil {
			v.add(o.article, "clauses", "must be a list of [number, heading] pairs")
			continue
		}
		seen := map[string]bool{}
		for j, c := range clauses {
			if len(c) != 2 || c[0] == "" {
				v.add(o.article, fmt.Sprintf("clauses[%d]", j), "must be a [number, heading] pair")
				continue
			}
			part := idPart(c[0])
			if part == "" || seen[part] {
				v.add(o.article, fmt.Sprintf("clauses[%d]", j), "bad or duplicate clause number %q", c[0])
				continue
			}
			seen[part] = true
			a := Article{
				ID: d.ID + "/" + part, DocID: d.ID, Number: c[0], TitleZH: c[1],
				Source: d.Source, StatusNote: "standard clause heading only; normative text not recorded (copyright)",
			}
			classify(&a, spec.origin)
			d.Articles = append(d.Articles, a)
		}
		pf.docs = append(pf.docs, d)
	}
}

// standardID turns "GB/T 35273-2020" into "gbt35273".
func standardID(id string) string {
	base, _, _ := strings.Cut(id, "-")
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var cnDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnNumber parses a Chinese numeral below 10000 ("七十四" → 74).
func cnNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	total, cur := 0, 0
	seenDigit := false
	for _, r := range s {
		if d, ok := cnDigits[r]; ok {
			cur = d
			seenDigit = true
			continue
		}
		unit := 0
		switch r {
		case '十':
			unit = 10
		case '百':
			unit = 100
		case '千':
			unit = 1000
		default:
			return 0, false
		}
		if cur == 0 && !seenDigit {
			cur = 1
		}
		total += cur * unit
		cur, seenDigit = 0, false
	}
	return total + cur, true
}

var (
	articleNumberRE = regexp.MustCompile(`^第([零〇一二两三四五六七八九十百千]+)条$`)
	parenNumberRE   = regexp.MustCompile(`^[（(]([零〇一二两三四五六七八九十百千]+)[）)]$`)
	dottedRE        = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*$`)
	annexRE         = regexp.MustCompile(`^附录([A-Za-z])$`)
)

// idPart turns an article number into the stable id suffix: "第十三条" → "13",
// "一.1" → "1.1", "（一）" → "1", "3.2" → "3.2", "附录C" → "annex-c".
func idPart(number string) string {
	n := strings.TrimSpace(number)
	if n == "" {
		return ""
	}
	if dottedRE.MatchString(n) {
		return n
	}
	if m := articleNumberRE.FindStringSubmatch(n); m != nil {
		if x, ok := cnNumber(m[1]); ok {
			return strconv.Itoa(x)
		}
	}
	if m := parenNumberRE.FindStringSubmatch(n); m != nil {
		if x, ok := cnNumber(m[1]); ok {
			return strconv.Itoa(x)
		}
	}
	if m := annexRE.FindStringSubmatch(n); m != nil {
		return "annex-" + strings.ToLower(m[1])
	}
	parts := strings.Split(n, ".")
	out := make([]string, len(parts))
	for i, p := range parts {
		if dottedRE.MatchString(p) {
			out[i] = p
			continue
		}
		x, ok := cnNumber(p)
		if !ok {
			return ""
		}
		out[i] = strconv.Itoa(x)
	}
	return strings.Join(out, ".")
}
