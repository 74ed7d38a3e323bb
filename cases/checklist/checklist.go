// Package checklist is AppInspect's inspection checklist: the fixed list of
// items inspectors work through (grouped as 收集规则, 明示同意, 对外提供,
// 存储, 条款, 使用规则, 用户权益), each with its own wording, how it is checked
// (static analysis, the policy, a device, or by hand), the rules that
// pre-fill it, the regulation articles it cites, the steps to check it by
// hand, pass and fail wording and default rectification text.
//
// The catalog is embedded (data/checklist.json) and versioned by the hash of
// its content; a data directory may hold an amended catalog that replaces it
// (Open). Item wording is AppInspect's own: article texts live only in the
// regulation catalog (cases/law) and are looked up by id, never copied here.
//
// Per case every item has a Result — fail (不符合), pass (符合), na (不适用) or
// pending (待检测) — with evidence and a note. Prefill proposes results from
// rule findings; the inspector confirms or overrides them.
package checklist

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// Methods: how an item is checked.
const (
	MethodStatic = "static" // from the APK (manifest, code, endpoints)
	MethodPolicy = "policy" // from the privacy policy text
	MethodDevice = "device" // on a device (runtime evidence)
	MethodManual = "manual" // by hand, following the steps
)

// Methods lists the methods in display order.
var Methods = []string{MethodStatic, MethodPolicy, MethodDevice, MethodManual}

// Result is an item's outcome for a case.
type Result string

// The results.
const (
	ResultPending Result = "pending" // 待检测
	ResultFail    Result = "fail"    // 不符合
	ResultPass    Result = "pass"    // 符合
	ResultNA      Result = "na"      // 不适用
)

// Results lists the results in display order.
var Results = []Result{ResultFail, ResultPending, ResultPass, ResultNA}

var resultNames = map[Result][2]string{
	ResultPending: {"待检测", "Pending"},
	ResultFail:    {"不符合", "Fail"},
	ResultPass:    {"符合", "Pass"},
	ResultNA:      {"不适用", "N/A"},
}

// Valid reports whether r is one of Results.
func (r Result) Valid() bool { _, ok := resultNames[r]; return ok }

// ZH returns the Chinese name of the result.
func (r Result) ZH() string { return resultNames[r][0] }

// EN returns the English name of the result.
func (r Result) EN() string { return resultNames[r][1] }

// Name returns the result's name in lang ("zh" or "en").
func (r Result) Name(lang string) string {
	if lang == "en" {
		return r.EN()
	}
	return r.ZH()
}

// ParseResult reads a result from its id or its Chinese or English name.
func ParseResult(s string) (Result, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for r, n := range resultNames {
		if t == string(r) || t == strings.ToLower(n[1]) || s == n[0] {
			return r, nil
		}
	}
	return "", fmt.Errorf("checklist: result %q: want fail, pass, na or pending: %w", s, ErrInvalid)
}

// Errors.
var (
	ErrInvalid     = errors.New("checklist: invalid")
	ErrUnknownItem = errors.New("checklist: unknown item")
)

// Group is one group of items.
type Group struct {
	ID string `json:"id"`
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Name returns the group's name in lang.
func (g Group) Name(lang string) string {
	if lang == "en" {
		return g.EN
	}
	return g.ZH
}

// Item is one checklist item. Articles are ids of the regulation catalog
// (cases/law); Scenes are labels of the 164号文 inspection scenarios
// ("n164/1.1#场景1"); Clauses are GB/T 41391-2022 clause ids (headings only).
type Item struct {
	ID              string   `json:"id"`
	Group           string   `json:"group"`
	Method          string   `json:"method"`
	TitleZH         string   `json:"title_zh"`
	TitleEN         string   `json:"title_en"`
	StepsZH         string   `json:"steps_zh"`
	StepsEN         string   `json:"steps_en"`
	PassZH          string   `json:"pass_zh"`
	PassEN          string   `json:"pass_en"`
	FailZH          string   `json:"fail_zh"`
	FailEN          string   `json:"fail_en"`
	RectificationZH string   `json:"rectification_zh"`
	RectificationEN string   `json:"rectification_en"`
	Rules           []string `json:"rules"`
	Articles        []string `json:"articles"`
	Scenes          []string `json:"scenes"`
	Clauses         []string `json:"clauses"`
}

// Title returns the item's wording in lang.
func (it Item) Title(lang string) string { return pick(lang, it.TitleZH, it.TitleEN) }

// Steps returns the manual steps in lang.
func (it Item) Steps(lang string) string { return pick(lang, it.StepsZH, it.StepsEN) }

// Pass returns the pass wording in lang.
func (it Item) Pass(lang string) string { return pick(lang, it.PassZH, it.PassEN) }

// Fail returns the fail wording in lang.
func (it Item) Fail(lang string) string { return pick(lang, it.FailZH, it.FailEN) }

// Rectification returns the default rectification text in lang.
func (it Item) Rectification(lang string) string {
	return pick(lang, it.RectificationZH, it.RectificationEN)
}

// Automatic reports whether rules pre-fill the item.
func (it Item) Automatic() bool { return len(it.Rules) > 0 }

func pick(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

// Catalog is a loaded checklist.
type Catalog struct {
	ID      string  `json:"id"`
	Version string  `json:"version"`
	Date    string  `json:"date"`
	TitleZH string  `json:"title_zh"`
	TitleEN string  `json:"title_en"`
	Groups  []Group `json:"groups"`
	Items   []Item  `json:"items"`
	Origin  string  `json:"-"` // "embedded" or the file it came from
	Hash    string  `json:"-"` // "sha256:" + first 16 hex digits of the file
	byID    map[string]int
}

//go:embed data/checklist.json
var embedded []byte

// FileName is the name of an amended catalog in a data directory.
const FileName = "checklist.json"

// Embedded returns the checklist shipped with AppInspect.
func Embedded() (*Catalog, error) {
	c, err := Parse(embedded, "embedded")
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Open returns the amended catalog dir/checklist.json when it exists, else
// the embedded one. A file that does not parse or validate is an error
// naming the file; nothing falls back silently.
func Open(dir string) (*Catalog, error) {
	if dir == "" {
		return Embedded()
	}
	p := filepath.Join(dir, FileName)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return Embedded()
	}
	if err != nil {
		return nil, fmt.Errorf("checklist: open %s: %w", p, err)
	}
	return Parse(b, p)
}

// Parse decodes and validates a catalog; origin names it in errors.
func Parse(b []byte, origin string) (*Catalog, error) {
	var c Catalog
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&struct {
		*Catalog
		Provenance string `json:"provenance"`
	}{Catalog: &c}); err != nil {
		return nil, fmt.Errorf("checklist: %s: %w: %v", origin, ErrInvalid, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("checklist: %s: %w", origin, err)
	}
	sum := sha256.Sum256(b)
	c.Hash = "sha256:" + hex.EncodeToString(sum[:8])
	c.Origin = origin
	return &c, nil
}

func (c *Catalog) validate() error {
	var probs []string
	add := func(f string, a ...any) { probs = append(probs, fmt.Sprintf(f, a...)) }
	if c.ID == "" || c.Version == "" {
		add("id and version are required")
	}
	groups := map[string]bool{}
	for _, g := range c.Groups {
		if g.ID == "" || g.ZH == "" || g.EN == "" {
			add("group %q: id, zh and en are required", g.ID)
		}
		groups[g.ID] = true
	}
	if len(c.Items) == 0 {
		add("no items")
	}
	c.byID = make(map[string]int, len(c.Items))
	for i, it := range c.Items {
		name := it.ID
		if name == "" {
			name = fmt.Sprintf("#%d", i)
			add("item %s: id is empty", name)
		}
		if _, dup := c.byID[it.ID]; dup {
			add("item %s: duplicate id", name)
		}
		c.byID[it.ID] = i
		if !groups[it.Group] {
			add("item %s: unknown group %q", name, it.Group)
		}
		if !slices.Contains(Methods, it.Method) {
			add("item %s: method %q: want static, policy, device or manual", name, it.Method)
		}
		for f, v := range map[string]string{"title_zh": it.TitleZH, "title_en": it.TitleEN, "steps_zh": it.StepsZH, "steps_en": it.StepsEN,
			"pass_zh": it.PassZH, "pass_en": it.PassEN, "fail_zh": it.FailZH, "fail_en": it.FailEN,
			"rectification_zh": it.RectificationZH, "rectification_en": it.RectificationEN} {
			if strings.TrimSpace(v) == "" {
				add("item %s: %s is empty", name, f)
			}
		}
		if it.Rules == nil {
			c.Items[i].Rules = []string{}
		}
		if it.Articles == nil {
			c.Items[i].Articles = []string{}
		}
		if it.Scenes == nil {
			c.Items[i].Scenes = []string{}
		}
		if it.Clauses == nil {
			c.Items[i].Clauses = []string{}
		}
	}
	if len(probs) > 0 {
		sort.Strings(probs)
		if len(probs) > 10 {
			probs = append(probs[:10], fmt.Sprintf("… and %d more", len(probs)-10))
		}
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(probs, "; "))
	}
	return nil
}

// Item returns the item with the given id.
func (c *Catalog) Item(id string) (Item, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Item{}, false
	}
	return c.Items[i], true
}

// Group returns the group with the given id.
func (c *Catalog) Group(id string) (Group, bool) {
	for _, g := range c.Groups {
		if g.ID == id {
			return g, true
		}
	}
	return Group{}, false
}

// Evidence is one reference behind a result: a rule finding's evidence key
// ("permission:…", "sdk:…", "policy:12-30" …) with its rule and a note.
type Evidence struct {
	Key    string `json:"key"`
	Rule   string `json:"rule,omitempty"`
	Kind   string `json:"kind,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// Finding is what Prefill needs of a rule's candidate finding.
type Finding struct {
	Rule          string
	Severity      string
	Subject       string
	ExplanationZH string
	ExplanationEN string
	Evidence      []Evidence
}

// Prefilled is a result proposed by the rules.
type Prefilled struct {
	Result   Result
	Severity string     // the highest severity of the findings
	Rules    []string   // the rules that found something, sorted
	Notes    []Note     // one explanation per finding
	Evidence []Evidence // sorted by key, unique
}

// Note is a finding's explanation in both languages.
type Note struct {
	Rule string `json:"rule"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

var severityRank = map[string]int{"high": 4, "medium": 3, "low": 2, "info": 1}

// Prefill proposes a result for every item that rules pre-fill: fail, with
// the findings' evidence, when one of its rules found something; pending
// otherwise (no finding is not proof of compliance: the inspector decides).
// Items without rules are absent from the map.
func (c *Catalog) Prefill(fs []Finding) map[string]Prefilled {
	byRule := map[string][]Finding{}
	for _, f := range fs {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	out := map[string]Prefilled{}
	for _, it := range c.Items {
		if len(it.Rules) == 0 {
			continue
		}
		p := Prefilled{Result: ResultPending, Rules: []string{}, Evidence: []Evidence{}}
		seen := map[string]bool{}
		for _, r := range it.Rules {
			for _, f := range byRule[r] {
				p.Result = ResultFail
				if !slices.Contains(p.Rules, r) {
					p.Rules = append(p.Rules, r)
				}
				if severityRank[f.Severity] > severityRank[p.Severity] {
					p.Severity = f.Severity
				}
				p.Notes = append(p.Notes, Note{Rule: r, ZH: f.ExplanationZH, EN: f.ExplanationEN})
				for _, e := range f.Evidence {
					e.Rule = r
					if !seen[e.Key] {
						seen[e.Key] = true
						p.Evidence = append(p.Evidence, e)
					}
				}
			}
		}
		sort.Strings(p.Rules)
		sort.Slice(p.Evidence, func(i, j int) bool { return p.Evidence[i].Key < p.Evidence[j].Key })
		out[it.ID] = p
	}
	return out
}

// Record is an inspector's result for one item of a case, as stored.
type Record struct {
	CaseID         int64      `json:"case_id"`
	ItemID         string     `json:"item_id"`
	Result         Result     `json:"result"`
	Note           string     `json:"note"`
	Evidence       []Evidence `json:"evidence"`
	Inspector      string     `json:"inspector"`
	CatalogVersion string     `json:"catalog_version"`
	Updated        time.Time  `json:"updated"`
}

// Input is what an inspector records for one item.
type Input struct {
	ItemID         string
	Result         Result
	Note           string
	Evidence       []Evidence
	Inspector      string
	CatalogVersion string
}

// Validate checks the input against the catalog (nil: shape only).
func (in *Input) Validate(c *Catalog) error {
	in.ItemID = strings.TrimSpace(in.ItemID)
	if in.ItemID == "" {
		return fmt.Errorf("checklist: item id is empty: %w", ErrInvalid)
	}
	if c != nil {
		if _, ok := c.Item(in.ItemID); !ok {
			return fmt.Errorf("checklist: item %q: %w", in.ItemID, ErrUnknownItem)
		}
	}
	if !in.Result.Valid() {
		return fmt.Errorf("checklist: item %s: result %q: %w", in.ItemID, in.Result, ErrInvalid)
	}
	if strings.TrimSpace(in.Inspector) == "" {
		return fmt.Errorf("checklist: item %s: inspector is empty: %w", in.ItemID, ErrInvalid)
	}
	for _, e := range in.Evidence {
		if e.Key == "" {
			return fmt.Errorf("checklist: item %s: evidence without a key: %w", in.ItemID, ErrInvalid)
		}
	}
	return nil
}

// Source says where an entry's result comes from.
const (
	SourceNone      = ""          // nobody decided: pending
	SourceRules     = "rules"     // proposed by the rules, not yet confirmed
	SourceInspector = "inspector" // recorded by an inspector
)

// Entry is one item with its state for a case: the inspector's record when
// there is one, else the rules' proposal.
type Entry struct {
	Item      Item       `json:"item"`
	Result    Result     `json:"result"`
	Source    string     `json:"source"`
	Note      string     `json:"note"`
	Evidence  []Evidence `json:"evidence"`
	Notes     []Note     `json:"notes"`     // the rules' explanations
	Proposed  Result     `json:"proposed"`  // what the rules propose ("" for items no rule pre-fills)
	Inspector string     `json:"inspector"` // who recorded it
	Updated   *time.Time `json:"updated,omitempty"`
}

// Entries merges the catalog, the rules' proposals and the inspector's
// records into one entry per item, in catalog order.
func (c *Catalog) Entries(pre map[string]Prefilled, recs []Record) []Entry {
	byItem := map[string]Record{}
	for _, r := range recs {
		byItem[r.ItemID] = r
	}
	out := make([]Entry, 0, len(c.Items))
	for _, it := range c.Items {
		e := Entry{Item: it, Result: ResultPending, Evidence: []Evidence{}, Notes: []Note{}}
		if p, ok := pre[it.ID]; ok {
			e.Proposed = p.Result
			e.Notes = p.Notes
			if e.Notes == nil {
				e.Notes = []Note{}
			}
			e.Evidence = p.Evidence
			if p.Result == ResultFail {
				e.Result, e.Source = ResultFail, SourceRules
			}
		}
		if r, ok := byItem[it.ID]; ok {
			e.Result, e.Source, e.Note, e.Inspector = r.Result, SourceInspector, r.Note, r.Inspector
			if len(r.Evidence) > 0 {
				e.Evidence = r.Evidence
			}
			u := r.Updated
			e.Updated = &u
		}
		out = append(out, e)
	}
	return out
}

// Sheet is the checklist of one case: the catalog's version, its groups and
// one entry per item.
type Sheet struct {
	CatalogVersion string  `json:"catalog_version"`
	Groups         []Group `json:"groups"`
	Entries        []Entry `json:"entries"`
}

// VersionString is the catalog's version and content hash, stored with each
// record ("1 sha256:…").
func (c *Catalog) VersionString() string { return c.Version + " " + c.Hash }

// Outcome is what recording an item result did.
type Outcome struct {
	Entry  Entry    `json:"entry"`
	Marked []string `json:"marked"` // articles marked as violated because the item failed
}
