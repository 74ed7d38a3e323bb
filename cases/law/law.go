// Package law is AppInspect's regulation catalog: the documents inspectors
// mark violations against (PIPL, MIIT Order 24, the 2019 认定方法, the MIIT
// rectification notices, the 39-type necessary-information table, the 2021
// and 2026 drafts, and clause indexes of two standards), each article with a
// stable id, its verbatim text or an explicit gap, and catalog topics.
//
// The texts come from the research drop in data/ (see data/PROVENANCE.md),
// embedded unchanged. Nothing here writes or paraphrases legal text: a
// missing text is shown as a gap sentence, a partial text is flagged, and
// locator fields of the files (nonverbatim_*, drafts, summaries) are never
// used as article text. The catalog makes three changes, each flagged on the
// article (see fidelity.go): ASCII punctuation a source folded is restored
// to full-width in Chinese context (PunctRestored), a table the file left as
// a placeholder line is rendered from its table document (Assembled: nps/5
// from nps39), and a text in traditional characters is flagged and shown
// with a warning (Traditional). Users fill gaps or import amended documents through
// Open, Import and FillGap; a Citation freezes the text as cited.
package law

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Article status values.
const (
	StatusVerbatim = "verbatim" // text as in the source (see StatusNote for caveats)
	StatusPartial  = "partial"  // text present but incomplete, truncated or draft-only
	StatusGap      = "gap"      // no text available
	StatusImported = "imported" // text supplied by the user (FillGap or an imported document)
)

// Document status values.
const (
	DocStatusInForce  = "in_force"
	DocStatusDraft    = "draft"
	DocStatusCampaign = "campaign" // campaign notice (normative document)
	DocStatusStandard = "standard" // national standard (clause index only)
	DocStatusRepealed = "repealed"
	DocStatusUnknown  = "unknown"
)

// Document origins.
const (
	OriginEmbedded = "embedded"
	OriginImported = "imported"
)

// Errors.
var (
	ErrInvalidDocument = errors.New("law: invalid document")
	ErrUnknownArticle  = errors.New("law: unknown article")
	ErrReadOnly        = errors.New("law: catalog has no data directory (use Open)")
	ErrNotGap          = errors.New("law: article already has a verbatim text")
	ErrEmptyText       = errors.New("law: empty text")
	ErrNoSource        = errors.New("law: source is required")
)

// Gap sentences, shown instead of a missing text.
const (
	GapSentenceZH = "暂无条文 — 请导入官方文本"
	GapSentenceEN = "text not available — import the official text"
)

// Warnings shown with a text in traditional characters until it is replaced.
const (
	TraditionalWarningZH = "繁体字文本，非官方简体原文，请导入官方文本替换"
	TraditionalWarningEN = "traditional characters, not the official simplified text; import the official text to replace it"
)

// Document is one regulation, notice, draft or standard.
type Document struct {
	ID           string    `json:"id"`      // catalog id, e.g. "pipl"
	FileID       string    `json:"file_id"` // the file's own id, e.g. "pipl-2021"
	File         string    `json:"file"`    // file name the document came from
	TitleZH      string    `json:"title_zh"`
	TitleEN      string    `json:"title_en,omitempty"`
	DocNumber    string    `json:"doc_number,omitempty"`
	Issuer       string    `json:"issuer,omitempty"`
	Date         string    `json:"date,omitempty"`
	Status       string    `json:"status"`      // DocStatus…
	StatusNote   string    `json:"status_note"` // the file's status text
	Completeness string    `json:"completeness,omitempty"`
	Source       string    `json:"source"`
	Version      string    `json:"version"` // hash of the document's content (file bytes and filled gaps)
	Origin       string    `json:"origin"`  // OriginEmbedded or OriginImported
	Articles     []Article `json:"articles"`

	rawHash string
}

// Article is one article, item, table row or clause.
type Article struct {
	ID      string   `json:"id"`     // stable id, e.g. "pipl/13", "rd2019/3.1", "nps39/1"
	DocID   string   `json:"doc_id"` // catalog document id
	Number  string   `json:"number"` // as in the document: "第十三条", "一.1", "（一）"
	TitleZH string   `json:"title_zh,omitempty"`
	TitleEN string   `json:"title_en,omitempty"`
	TextZH  string   `json:"text_zh"` // exactly as in the file; empty for a gap
	TextEN  string   `json:"text_en"`
	Status  string   `json:"status"` // Status…
	Topics  []string `json:"topics"`
	Source  string   `json:"source"`
	Gap     bool     `json:"gap"`
	Partial bool     `json:"partial"`

	Section          string `json:"section,omitempty"`     // chapter / category / area / group heading
	StatusNote       string `json:"status_note,omitempty"` // the file's status text (caveats)
	FragmentZH       string `json:"fragment_zh,omitempty"` // verbatim fragment of a gap article
	TextENSource     string `json:"text_en_source,omitempty"`
	TextENUnofficial bool   `json:"text_en_unofficial,omitempty"` // English is a third-party translation
	// PunctRestored: the source folded the text's punctuation to ASCII and
	// the catalog restored it to full-width (see RestorePunct).
	PunctRestored bool `json:"punct_restored,omitempty"`
	// Traditional: the text is in traditional characters and must be
	// replaced with the official simplified text; it is shown with a warning.
	Traditional bool `json:"traditional,omitempty"`
	// Assembled: a table the source file left as a placeholder line was
	// rendered from the catalog's table document.
	Assembled bool `json:"assembled,omitempty"`

	appType    *appTypeData
	docTitleZH string
	docTitleEN string
}

// DisplayText returns the text to show for lang ("zh" or "en"): the Chinese
// text, or the English one for "en" when there is one (marked when
// unofficial); a partial text is followed by a partial marker; a gap gives
// the gap sentence with the document title and the article number (and a
// verbatim fragment, marked as such, when one is known).
func (a Article) DisplayText(lang string) string {
	en := lang == "en"
	if a.Gap {
		return a.gapSentence(en)
	}
	text := a.TextZH
	if en && a.TextEN != "" {
		text = a.TextEN
		if a.TextENUnofficial {
			text += " [unofficial translation]"
		}
	}
	if a.Partial {
		if en {
			text += " [partial text]"
		} else {
			text += "［部分条文，非完整文本］"
		}
	}
	if a.Traditional {
		if en {
			text += " [" + TraditionalWarningEN + "]"
		} else {
			text += "［" + TraditionalWarningZH + "］"
		}
	}
	return text
}

func (a Article) gapSentence(en bool) string {
	title := a.docTitleZH
	if en && a.docTitleEN != "" {
		title = a.docTitleEN
	}
	var b strings.Builder
	if en {
		if title != "" {
			b.WriteString(title + " ")
		}
		b.WriteString(a.Number)
		if t := a.TitleZH; t != "" {
			if a.TitleEN != "" {
				t = a.TitleEN
			}
			b.WriteString(" " + t)
		}
		b.WriteString(": " + GapSentenceEN)
		if a.FragmentZH != "" {
			b.WriteString(" (fragment only, not the full text: “" + a.FragmentZH + "”)")
		}
		return b.String()
	}
	if title != "" {
		b.WriteString("《" + title + "》")
	}
	b.WriteString(a.Number)
	if a.TitleZH != "" {
		b.WriteString(" " + a.TitleZH)
	}
	b.WriteString("：" + GapSentenceZH)
	if a.FragmentZH != "" {
		b.WriteString("（仅存片段，非完整条文：“" + a.FragmentZH + "”）")
	}
	return b.String()
}

// Citation is an article's text as cited at one moment; cases store it
// (as JSON) with a mark, so later catalog changes do not alter the record.
type Citation struct {
	DocID        string `json:"doc_id"`
	DocTitleZH   string `json:"doc_title_zh"`
	DocTitleEN   string `json:"doc_title_en,omitempty"`
	DocVersion   string `json:"doc_version"`
	DocStatus    string `json:"doc_status"` // in_force, draft, campaign, standard …
	ArticleID    string `json:"article_id"`
	Number       string `json:"number"`
	TitleZH      string `json:"title_zh,omitempty"`
	TextZH       string `json:"text_zh"`
	TextEN       string `json:"text_en,omitempty"`
	Status       string `json:"status"` // verbatim, partial, gap or imported
	Partial      bool   `json:"partial,omitempty"`
	Source       string `json:"source"`
	TextENSource string `json:"text_en_source,omitempty"`
	// PunctRestored, Traditional: see Article.
	PunctRestored bool `json:"punct_restored,omitempty"`
	Traditional   bool `json:"traditional,omitempty"`
}

//go:embed data/*.json data/README.md
var dataFS embed.FS

// embeddedSpec lists the embedded files in catalog order, with their catalog
// ids. The standards index holds two documents (ids derived from the
// standard numbers).
var embeddedSpec = []struct {
	file, id, status string
}{
	{"pipl_2021.json", "pipl", ""},
	{"miit_order24_2013_telecom_internet_user_pi.json", "order24", ""},
	{"app_illegal_collection_identification_method_2019.json", "rd2019", ""},
	{"necessary_pi_scope_2021_provisions.json", "nps", ""},
	{"necessary_pi_scope_2021_39_types.json", "nps39", DocStatusInForce},
	{"miit_xinguanhan_2019_337_app_rectification.json", "n337", ""},
	{"miit_xinguanhan_2020_164_app_rectification.json", "n164", ""},
	{"miit_xinguanhan_2023_26_app_service_capability.json", "n26", ""},
	{"app_pi_protection_interim_provisions_draft_2021.json", "draft2021", ""},
	{"cac_app_pi_collection_use_provisions_draft_2026.json", "cac2026", ""},
	{"standards_clause_index.json", "", DocStatusStandard},
}

// Catalog is the set of documents: the embedded ones, overridden or extended
// by the user's imports, with filled gaps applied. It is safe for concurrent
// use.
type Catalog struct {
	dir string // "" for the read-only embedded catalog

	mu       sync.RWMutex
	base     []*Document          // embedded documents, parsed
	imported map[string]*Document // by catalog id
	fills    map[string]gapFill   // by article id
	docs     []*Document          // effective documents, in order
	index    map[string][2]int    // article id → doc, article index
	warnings []string
}

var (
	embeddedOnce sync.Once
	embeddedCat  *Catalog
	embeddedErr  error
)

// Embedded returns the catalog of the embedded data, parsed once. It fails
// only if the embedded data is broken (a test proves it is not). The
// returned catalog is read-only and shared.
func Embedded() (*Catalog, error) {
	embeddedOnce.Do(func() {
		base, warn, err := parseEmbedded()
		if err != nil {
			embeddedErr = err
			return
		}
		c := &Catalog{base: base, imported: map[string]*Document{}, fills: map[string]gapFill{}, warnings: warn}
		embeddedErr = c.rebuild()
		embeddedCat = c
	})
	if embeddedErr != nil {
		return nil, embeddedErr
	}
	return embeddedCat, nil
}

func parseEmbedded() ([]*Document, []string, error) {
	var docs []*Document
	var warnings []string
	for _, s := range embeddedSpec {
		data, err := dataFS.ReadFile("data/" + s.file)
		if err != nil {
			return nil, nil, fmt.Errorf("law: read embedded %s: %w", s.file, err)
		}
		pf, err := parseFile(s.file, data, docSpec{id: s.id, status: s.status, origin: OriginEmbedded})
		if err != nil {
			return nil, nil, fmt.Errorf("law: embedded data: %w", err)
		}
		docs = append(docs, pf.docs...)
		warnings = append(warnings, pf.warnings...)
	}
	return docs, warnings, nil
}

// Open returns the embedded catalog combined with the user's imported
// documents and filled gaps stored under dir (the app's "law/" data
// directory). dir need not exist yet; Import and FillGap create it.
func Open(dir string) (*Catalog, error) {
	if dir == "" {
		return nil, fmt.Errorf("law: open: empty directory")
	}
	base, warn, err := parseEmbedded()
	if err != nil {
		return nil, err
	}
	c := &Catalog{dir: dir, base: base, imported: map[string]*Document{}, fills: map[string]gapFill{}, warnings: warn}
	if err := c.loadDir(); err != nil {
		return nil, err
	}
	if err := c.rebuild(); err != nil {
		return nil, fmt.Errorf("law: open %s: %w", dir, err)
	}
	return c, nil
}

// Warnings returns non-fatal notes from loading (unknown topic tags).
func (c *Catalog) Warnings() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return slices.Clone(c.warnings)
}

// rebuild computes the effective documents from base, imported and fills.
// It must be called with mu held for writing (or before publication).
func (c *Catalog) rebuild() error {
	st, err := buildState(c.base, c.imported, c.fills)
	if err != nil {
		return err
	}
	c.docs, c.index = st.docs, st.index
	return nil
}

type state struct {
	docs  []*Document
	index map[string][2]int
}

func buildState(base []*Document, imported map[string]*Document, fills map[string]gapFill) (*state, error) {
	var docs []*Document
	used := map[string]bool{}
	for _, b := range base {
		d := b
		if imp, ok := imported[b.ID]; ok {
			d = imp
			used[b.ID] = true
		}
		docs = append(docs, d)
	}
	var extra []string
	for id := range imported {
		if !used[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		docs = append(docs, imported[id])
	}
	st := &state{index: map[string][2]int{}}
	eff := make([]*Document, len(docs))
	for i, src := range docs {
		eff[i] = cloneDoc(src)
		applyFills(eff[i], fills)
	}
	applyFidelity(eff)
	for _, d := range eff {
		for i := range d.Articles {
			a := &d.Articles[i]
			a.docTitleZH, a.docTitleEN = d.TitleZH, d.TitleEN
			if extra, ok := supplementaryTopics[a.ID]; ok && len(a.Topics) == 0 {
				a.Topics = slices.Clone(extra)
			}
			if a.Topics == nil {
				a.Topics = []string{}
			}
			if _, dup := st.index[a.ID]; dup {
				return nil, fmt.Errorf("law: duplicate article id %q (document %s)", a.ID, d.ID)
			}
			st.index[a.ID] = [2]int{len(st.docs), i}
		}
		st.docs = append(st.docs, d)
	}
	return st, nil
}

func cloneDoc(d *Document) *Document {
	c := *d
	c.Articles = make([]Article, len(d.Articles))
	for i, a := range d.Articles {
		a.Topics = slices.Clone(a.Topics)
		c.Articles[i] = a
	}
	return &c
}

// Documents returns the documents in a stable order: the embedded ones in
// catalog order (replaced by an imported amendment where there is one), then
// documents the user added, by id.
func (c *Catalog) Documents() []Document {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Document, len(c.docs))
	for i, d := range c.docs {
		out[i] = *cloneDoc(d)
	}
	return out
}

// Document returns the document with catalog id id.
func (c *Catalog) Document(id string) (Document, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, d := range c.docs {
		if d.ID == id {
			return *cloneDoc(d), true
		}
	}
	return Document{}, false
}

// Article returns the article with the given id ("pipl/13").
func (c *Catalog) Article(id string) (Article, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.articleLocked(id)
}

func (c *Catalog) articleLocked(id string) (Article, bool) {
	ix, ok := c.index[id]
	if !ok {
		return Article{}, false
	}
	a := c.docs[ix[0]].Articles[ix[1]]
	a.Topics = slices.Clone(a.Topics)
	return a, true
}

func (c *Catalog) all(keep func(*Article) bool) []Article {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []Article
	for _, d := range c.docs {
		for i := range d.Articles {
			if keep(&d.Articles[i]) {
				a := d.Articles[i]
				a.Topics = slices.Clone(a.Topics)
				out = append(out, a)
			}
		}
	}
	return out
}

// Search returns, in catalog order, the articles whose id, number, titles,
// texts (Chinese and English) or topics contain q (case-insensitive). Gap
// sentences and locator fields are not searched. An empty query matches
// nothing.
func (c *Catalog) Search(q string) []Article {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" || !utf8.ValidString(q) {
		return nil
	}
	return c.all(func(a *Article) bool {
		for _, f := range []string{a.ID, a.Number, a.TitleZH, a.TitleEN, a.TextZH, a.TextEN} {
			if strings.Contains(strings.ToLower(f), q) {
				return true
			}
		}
		for _, t := range a.Topics {
			if strings.Contains(t, q) {
				return true
			}
		}
		return false
	})
}

// ByTopic returns, in catalog order, the articles tagged with topic.
func (c *Catalog) ByTopic(topic string) []Article {
	return c.all(func(a *Article) bool { return slices.Contains(a.Topics, topic) })
}

// Cite returns the citation of an article as it stands now.
func (c *Catalog) Cite(id string) (Citation, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	ix, ok := c.index[id]
	if !ok {
		return Citation{}, fmt.Errorf("law: cite %q: %w", id, ErrUnknownArticle)
	}
	d := c.docs[ix[0]]
	a := d.Articles[ix[1]]
	return Citation{
		DocID: d.ID, DocTitleZH: d.TitleZH, DocTitleEN: d.TitleEN, DocVersion: d.Version, DocStatus: d.Status,
		ArticleID: a.ID, Number: a.Number, TitleZH: a.TitleZH,
		TextZH: a.TextZH, TextEN: a.TextEN, Status: a.Status, Partial: a.Partial,
		Source: a.Source, TextENSource: a.TextENSource,
		PunctRestored: a.PunctRestored, Traditional: a.Traditional,
	}, nil
}

// dirDocs is the sub-directory of imported documents.
const dirDocs = "docs"

// fillsFile holds filled gaps.
const fillsFile = "fills.json"

func (c *Catalog) loadDir() error {
	entries, err := os.ReadDir(filepath.Join(c.dir, dirDocs))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("law: open: %w", err)
	}
	for _, e := range entries { // os.ReadDir sorts by name
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue // leftovers of an interrupted write start with "."
		}
		path := filepath.Join(c.dir, dirDocs, name)
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("law: open: %w", err)
		}
		id := strings.TrimSuffix(name, ".json")
		pf, err := parseFile(path, data, docSpec{id: id, origin: OriginImported})
		if err != nil {
			return fmt.Errorf("law: open: %w", err)
		}
		if len(pf.docs) != 1 {
			return fmt.Errorf("law: open %s: %w: expected one document", path, ErrInvalidDocument)
		}
		c.imported[id] = pf.docs[0]
		c.warnings = append(c.warnings, pf.warnings...)
	}
	fills, err := readFills(filepath.Join(c.dir, fillsFile))
	if err != nil {
		return err
	}
	c.fills = fills
	return nil
}
