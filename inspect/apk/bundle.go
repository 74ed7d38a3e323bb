package apk

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// hasNestedAPKs reports whether a zip without a manifest holds APK files.
func hasNestedAPKs(p *part) bool {
	for _, f := range p.order {
		if isNestedAPKName(f.Name) {
			return true
		}
	}
	return false
}

// isNestedAPKName accepts the APK locations bundletool and XAPK tools use:
// top-level *.apk, splits/*.apk and standalones/*.apk.
func isNestedAPKName(name string) bool {
	if !strings.HasSuffix(strings.ToLower(name), ".apk") || strings.Contains(name, "\\") {
		return false
	}
	dir := path.Dir(name)
	return dir == "." || dir == "splits" || dir == "standalones"
}

// xapkManifest is the part of an XAPK's manifest.json we use.
type xapkManifest struct {
	PackageName string `json:"package_name"`
	SplitAPKs   []struct {
		File string `json:"file"`
		ID   string `json:"id"`
	} `json:"split_apks"`
}

// openBundle opens the nested APKs of an .apks or .xapk container.
func (a *Archive) openBundle(outer *part, outerPath string) error {
	_, hasManifestJSON := outer.files["manifest.json"]
	if hasManifestJSON || strings.EqualFold(filepath.Ext(outerPath), ".xapk") {
		a.format = "xapk"
	} else {
		a.format = "apks"
	}
	// Names the bundle itself gives to its APKs (XAPK manifest.json).
	declared := map[string]string{}
	if hasManifestJSON {
		if data, err := a.readOuter(outer, "manifest.json", 1<<20); err == nil {
			var m xapkManifest
			if json.Unmarshal(data, &m) == nil {
				for _, s := range m.SplitAPKs {
					if s.File != "" && s.ID != "" {
						declared[s.File] = s.ID
					}
				}
				if m.PackageName != "" {
					if _, ok := declared[m.PackageName+".apk"]; !ok {
						declared[m.PackageName+".apk"] = "base"
					}
				}
			}
		}
	}

	var names []string
	standalone := true
	for _, f := range outer.order {
		if isNestedAPKName(f.Name) && !f.FileInfo().IsDir() {
			names = append(names, f.Name)
			if !strings.HasPrefix(f.Name, "standalones/") {
				standalone = false
			}
		}
	}
	if !standalone {
		// A split set may also carry standalone APKs for old devices; the
		// splits describe the app, so skip the standalones.
		names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "standalones/") })
	}
	slices.Sort(names)

	var parts []*part
	for i, n := range names {
		p, err := a.openNested(outer, n, i)
		if err != nil {
			return err
		}
		p.split = Split{Name: splitName(a, p, n, declared), Path: n, Size: p.size}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return fmt.Errorf("bundle: no APK inside: %w", ErrFormat)
	}
	// The base: the one named "base", else the first without a split name.
	bi := slices.IndexFunc(parts, func(p *part) bool { return p.split.Name == "base" })
	if bi < 0 {
		bi = 0
		parts[0].split.Name = "base"
	}
	base := parts[bi]
	rest := slices.Delete(slices.Clone(parts), bi, bi+1)
	slices.SortFunc(rest, func(x, y *part) int { return strings.Compare(x.split.Name, y.split.Name) })
	seen := map[string]int{"base": 1}
	for _, p := range rest {
		seen[p.split.Name]++
		if c := seen[p.split.Name]; c > 1 {
			p.split.Name = fmt.Sprintf("%s#%d", p.split.Name, c)
		}
	}
	// The outer file stays open (a.f) for the nested readers that read it in
	// place.
	a.parts = append([]*part{base}, rest...)
	a.outer = outer
	return nil
}

// readOuter reads a small file of the bundle container itself.
func (a *Archive) readOuter(outer *part, name string, max int64) ([]byte, error) {
	f, ok := outer.files[name]
	if !ok {
		return nil, ErrNotFound
	}
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%s: %d bytes: %w", name, f.UncompressedSize64, ErrLimit)
	}
	rc, size, err := a.openEntry(outer, f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, size)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// openNested opens the nested APK n of the container. A stored entry is read
// in place through a SectionReader; a compressed one is inflated (within the
// limits) into the Archive's temp directory under a generated name — the
// entry name is never used as a path.
func (a *Archive) openNested(outer *part, n string, idx int) (*part, error) {
	f := outer.files[n]
	var (
		ra   io.ReaderAt
		size int64
		file *os.File
	)
	off, err := f.DataOffset()
	if err != nil {
		return nil, fmt.Errorf("%s: local header: %w", n, err)
	}
	if f.Method == zip.Store && f.CompressedSize64 == f.UncompressedSize64 &&
		off >= 0 && uint64(off)+f.CompressedSize64 <= uint64(outer.size) {
		size = int64(f.UncompressedSize64)
		ra = io.NewSectionReader(outer.ra, off, size)
	} else {
		if a.tmpDir == "" {
			dir, err := os.MkdirTemp("", "appinspect-apk-*")
			if err != nil {
				return nil, fmt.Errorf("temp dir: %w", err)
			}
			a.tmpDir = dir
		}
		rc, _, err := a.openEntry(outer, f)
		if err != nil {
			return nil, err
		}
		tmp := filepath.Join(a.tmpDir, fmt.Sprintf("split-%04d.apk", idx))
		file, err = os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("%s: extract: %w", n, err)
		}
		size, err = io.Copy(file, rc)
		rc.Close()
		if err != nil {
			file.Close()
			return nil, fmt.Errorf("%s: extract: %w", n, err)
		}
		ra = file
	}
	p, err := openZip(ra, size, a.lim)
	if err != nil {
		var re *RefusedError
		if errors.As(err, &re) {
			re.setSplit(n)
		}
		if file != nil {
			file.Close()
		}
		return nil, fmt.Errorf("%s: %w", n, err)
	}
	p.file = file
	return p, nil
}

// splitName names a nested APK: from the XAPK manifest.json, else from its
// own manifest (<manifest split="…">; no split attribute = base), else from
// its file name.
func splitName(a *Archive, p *part, n string, declared map[string]string) string {
	if id, ok := declared[n]; ok {
		return id
	}
	if _, ok := p.files["AndroidManifest.xml"]; ok {
		if s, ok := readSplitAttr(a, p); ok {
			if s == "" {
				return "base"
			}
			return s
		}
	}
	b := strings.TrimSuffix(path.Base(n), path.Ext(n))
	switch {
	case b == "base-master" || b == "base":
		return "base"
	case strings.HasPrefix(b, "base-"):
		return "config." + strings.TrimPrefix(b, "base-")
	}
	return b
}
