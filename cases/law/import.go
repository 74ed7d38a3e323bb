package law

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// maxImportSize bounds an imported file (the largest embedded file is ~52 KB).
const maxImportSize = 16 << 20

// gapFill is a text the user pasted for one gap (or partial) article.
type gapFill struct {
	ID     string `json:"id"`
	TextZH string `json:"text_zh"`
	TextEN string `json:"text_en,omitempty"`
	Source string `json:"source"`
}

type fillsDoc struct {
	Fills []gapFill `json:"fills"`
}

func readFills(path string) (map[string]gapFill, error) {
	out := map[string]gapFill{}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("law: read fills: %w", err)
	}
	var fd fillsDoc
	if err := json.Unmarshal(data, &fd); err != nil {
		return nil, fmt.Errorf("law: read fills %s: %w", path, err)
	}
	for _, f := range fd.Fills {
		if f.ID == "" || f.TextZH == "" {
			return nil, fmt.Errorf("law: read fills %s: %w: entry without id or text_zh", path, ErrInvalidDocument)
		}
		out[f.ID] = f
	}
	return out, nil
}

func encodeFills(fills map[string]gapFill) ([]byte, error) {
	ids := make([]string, 0, len(fills))
	for id := range fills {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fd := fillsDoc{Fills: make([]gapFill, 0, len(ids))}
	for _, id := range ids {
		fd.Fills = append(fd.Fills, fills[id])
	}
	b, err := json.MarshalIndent(fd, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// applyFills puts filled texts into the gap or partial articles of d and
// sets d.Version. A fill for an article that now has a verbatim text (for
// example after an amended document was imported) is ignored.
func applyFills(d *Document, fills map[string]gapFill) {
	var applied []string
	for i := range d.Articles {
		a := &d.Articles[i]
		f, ok := fills[a.ID]
		if !ok || !(a.Gap || a.Partial) {
			continue
		}
		a.TextZH = f.TextZH
		if f.TextEN != "" {
			a.TextEN, a.TextENSource, a.TextENUnofficial = f.TextEN, f.Source, false
		}
		a.Source = f.Source
		a.Status, a.Gap, a.Partial = StatusImported, false, false
		a.StatusNote = "text imported by the user"
		a.FragmentZH = ""
		applied = append(applied, a.ID+"\x00"+f.TextZH+"\x00"+f.TextEN+"\x00"+f.Source)
	}
	parts := [][]byte{[]byte(d.rawHash)}
	for _, s := range applied {
		parts = append(parts, []byte(s))
	}
	if len(applied) == 0 {
		d.Version = d.rawHash
	} else {
		d.Version = hashVersion(parts...)
	}
}

// rename is os.Rename; tests replace it to simulate a crash between writing
// the temporary file and renaming it.
var rename = os.Rename

// writeAtomic writes data to path through a temporary file in the same
// directory (synced, then renamed over path), so readers see either the old
// or the new file, never a part. The temporary name starts with "." so a
// leftover from a crash is ignored by Open.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = rename(tmp, path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename durable; best effort
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// DiffOp is one run of a text diff: Op is "=" (unchanged), "-" (removed)
// or "+" (added).
type DiffOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// ArticleChange describes how one article differs between the current and
// the imported version.
type ArticleChange struct {
	ID     string   `json:"id"`
	Number string   `json:"number"`
	Fields []string `json:"fields"` // changed fields: text_zh, text_en, title_zh, status, topics
	DiffZH []DiffOp `json:"diff_zh,omitempty"`
	DiffEN []DiffOp `json:"diff_en,omitempty"`
}

// ImportPreview says what importing a file would change.
type ImportPreview struct {
	File        string          `json:"file"`
	DocID       string          `json:"doc_id"`
	FileID      string          `json:"file_id"`
	TitleZH     string          `json:"title_zh"`
	NewDocument bool            `json:"new_document"` // false: replaces the current version of DocID
	OldVersion  string          `json:"old_version,omitempty"`
	NewVersion  string          `json:"new_version"`
	Added       []string        `json:"added"`   // article ids
	Removed     []string        `json:"removed"` // article ids
	Changed     []ArticleChange `json:"changed"`
	Unchanged   int             `json:"unchanged"`
	Warnings    []string        `json:"warnings,omitempty"`

	doc  *Document
	old  *Document // the document replaced (nil for a new one)
	data []byte
}

// HasChanges reports whether the import would change any article.
func (p *ImportPreview) HasChanges() bool {
	return p.NewDocument || len(p.Added)+len(p.Removed)+len(p.Changed) > 0
}

// prepareImport reads and validates path and works out which document it
// becomes. It must be called with mu held.
func (c *Catalog) prepareImport(path string) (*ImportPreview, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("law: import: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("law: import %s: %w: not a regular file", path, ErrInvalidDocument)
	}
	if fi.Size() > maxImportSize {
		return nil, fmt.Errorf("law: import %s: %w: file larger than %d bytes", path, ErrInvalidDocument, maxImportSize)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("law: import: %w", err)
	}
	name := filepath.Base(path)
	if err := rejectStandards(name, data); err != nil {
		return nil, err
	}
	pf, err := parseFile(name, data, docSpec{origin: OriginImported})
	if err != nil {
		return nil, err
	}
	nd := pf.docs[0]

	// Which document does it replace? An explicit catalog_id, else the
	// document with the same file id; otherwise it is a new document.
	var cur *Document
	for _, d := range c.docs {
		if d.ID == nd.ID && hasCatalogID(data) {
			cur = d
			break
		}
	}
	if cur == nil {
		for _, d := range c.docs {
			if d.FileID == nd.FileID {
				cur = d
				break
			}
		}
	}
	if cur != nil {
		if cur.ID != nd.ID {
			// Reparse under the existing catalog id so article ids match.
			if pf, err = parseFile(name, data, docSpec{id: cur.ID, origin: OriginImported}); err != nil {
				return nil, err
			}
			nd = pf.docs[0]
		}
	} else {
		for _, d := range c.docs {
			if d.ID == nd.ID {
				return nil, fmt.Errorf("law: import %s: %w: catalog id %q is taken by %q (file id %q); set catalog_id or use the same id to amend it",
					name, ErrInvalidDocument, nd.ID, d.TitleZH, d.FileID)
			}
		}
	}
	p := &ImportPreview{
		File: path, DocID: nd.ID, FileID: nd.FileID, TitleZH: nd.TitleZH,
		NewDocument: cur == nil, Warnings: pf.warnings, doc: nd, data: data,
		Added: []string{}, Removed: []string{}, Changed: []ArticleChange{},
	}
	// The new version as it would be shown: fills applied.
	shown := cloneDoc(nd)
	applyFills(shown, c.fills)
	p.NewVersion = shown.Version
	if cur == nil {
		for _, a := range nd.Articles {
			p.Added = append(p.Added, a.ID)
		}
		return p, nil
	}
	p.OldVersion, p.old = cur.Version, cur
	old := map[string]Article{}
	for _, a := range cur.Articles {
		old[a.ID] = a
	}
	for _, a := range shown.Articles {
		o, ok := old[a.ID]
		if !ok {
			p.Added = append(p.Added, a.ID)
			continue
		}
		delete(old, a.ID)
		if ch, changed := compareArticles(o, a); changed {
			p.Changed = append(p.Changed, ch)
		} else {
			p.Unchanged++
		}
	}
	for _, a := range cur.Articles {
		if _, gone := old[a.ID]; gone {
			p.Removed = append(p.Removed, a.ID)
		}
	}
	return p, nil
}

func hasCatalogID(data []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	_, ok := m["catalog_id"]
	return ok
}

func rejectStandards(name string, data []byte) error {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) == nil {
		if _, ok := m["standards"]; ok {
			return &ValidationError{File: name, Problems: []Problem{{File: name, Field: "standards",
				Msg: "standards clause indexes cannot be imported; import a document with articles"}}}
		}
	}
	return nil
}

func compareArticles(o, n Article) (ArticleChange, bool) {
	ch := ArticleChange{ID: n.ID, Number: n.Number}
	if o.TextZH != n.TextZH {
		ch.Fields = append(ch.Fields, "text_zh")
		ch.DiffZH = diffText(o.TextZH, n.TextZH)
	}
	if o.TextEN != n.TextEN {
		ch.Fields = append(ch.Fields, "text_en")
		ch.DiffEN = diffText(o.TextEN, n.TextEN)
	}
	if o.TitleZH != n.TitleZH {
		ch.Fields = append(ch.Fields, "title_zh")
	}
	if o.Number != n.Number {
		ch.Fields = append(ch.Fields, "number")
	}
	if o.Status != n.Status && !(o.Status == StatusVerbatim && n.Status == StatusImported) {
		ch.Fields = append(ch.Fields, "status")
	}
	if !slices.Equal(o.Topics, n.Topics) && !(len(o.Topics) == 0 && len(n.Topics) == 0) {
		ch.Fields = append(ch.Fields, "topics")
	}
	return ch, len(ch.Fields) > 0
}

// PreviewImport validates the file at path (a document in the shape of the
// embedded files) and reports what importing it would change, without
// changing anything.
func (c *Catalog) PreviewImport(path string) (*ImportPreview, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.prepareImport(path)
}

// Import validates the file at path and stores it under the catalog's
// directory, replacing the current version of the same document (same
// catalog_id or file id) or adding a new document. The file is written to a
// temporary name and renamed, and the catalog changes only after the rename:
// a failure leaves both the directory and the catalog as they were.
func (c *Catalog) Import(path string) error {
	if c.dir == "" {
		return fmt.Errorf("law: import: %w", ErrReadOnly)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, err := c.prepareImport(path)
	if err != nil {
		return err
	}
	imported := make(map[string]*Document, len(c.imported)+1)
	for k, v := range c.imported {
		imported[k] = v
	}
	imported[p.DocID] = p.doc
	st, err := buildState(c.base, imported, c.fills)
	if err != nil {
		return fmt.Errorf("law: import %s: %w", path, err)
	}
	// Store the file byte for byte, so its version hash stays the same.
	target := filepath.Join(c.dir, dirDocs, p.DocID+".json")
	if err := writeAtomic(target, p.data); err != nil {
		return fmt.Errorf("law: import %s: write: %w", path, err)
	}
	c.imported = imported
	c.docs, c.index = st.docs, st.index
	c.warnings = append(c.warnings, p.Warnings...)
	return nil
}

// FillGap stores the official text the user pasted for one gap (or partial)
// article; the article then shows it with status "imported". textZH is
// required (surrounding white space is trimmed), textEN is optional, and
// source (where the text was copied from, e.g. the official URL) is
// required. An article that already has a verbatim text cannot be
// overwritten this way: import an amended document instead.
func (c *Catalog) FillGap(id, textZH, textEN, source string) error {
	if c.dir == "" {
		return fmt.Errorf("law: fill gap: %w", ErrReadOnly)
	}
	textZH, textEN, source = strings.TrimSpace(textZH), strings.TrimSpace(textEN), strings.TrimSpace(source)
	c.mu.Lock()
	defer c.mu.Unlock()
	ix, ok := c.index[id]
	if !ok {
		return fmt.Errorf("law: fill gap %q: %w", id, ErrUnknownArticle)
	}
	a := c.docs[ix[0]].Articles[ix[1]]
	if !(a.Gap || a.Partial || a.Status == StatusImported && c.fills[id].ID == id) {
		return fmt.Errorf("law: fill gap %q: %w", id, ErrNotGap)
	}
	if textZH == "" {
		return fmt.Errorf("law: fill gap %q: %w", id, ErrEmptyText)
	}
	if source == "" {
		return fmt.Errorf("law: fill gap %q: %w", id, ErrNoSource)
	}
	fills := make(map[string]gapFill, len(c.fills)+1)
	for k, v := range c.fills {
		fills[k] = v
	}
	fills[id] = gapFill{ID: id, TextZH: textZH, TextEN: textEN, Source: source}
	st, err := buildState(c.base, c.imported, fills)
	if err != nil {
		return fmt.Errorf("law: fill gap %q: %w", id, err)
	}
	data, err := encodeFills(fills)
	if err != nil {
		return fmt.Errorf("law: fill gap %q: %w", id, err)
	}
	if err := writeAtomic(filepath.Join(c.dir, fillsFile), data); err != nil {
		return fmt.Errorf("law: fill gap %q: write: %w", id, err)
	}
	c.fills = fills
	c.docs, c.index = st.docs, st.index
	return nil
}

// ValidateDocument checks data (a document file named name) as Import would
// and returns the problems found (a *ValidationError) or nil.
func ValidateDocument(name string, data []byte) error {
	if err := rejectStandards(name, data); err != nil {
		return err
	}
	if len(data) > maxImportSize {
		return &ValidationError{File: name, Problems: []Problem{{File: name, Msg: "file too large"}}}
	}
	_, err := parseFile(name, bytes.Clone(data), docSpec{origin: OriginImported})
	return err
}
