package sign

import (
	"bytes"
	"strings"
)

// mfAttr is one "Name: value" attribute of a manifest section.
type mfAttr struct {
	name, value string
}

// mfSection is one section of a JAR manifest or signature file. raw is the
// exact bytes of the section including the blank line that ends it, which is
// what the .SF per-section digests cover.
type mfSection struct {
	attrs []mfAttr
	raw   []byte
}

// get returns the value of the first attribute named name (case-insensitive).
func (s *mfSection) get(name string) (string, bool) {
	for _, a := range s.attrs {
		if strings.EqualFold(a.name, name) {
			return a.value, true
		}
	}
	return "", false
}

// name is the value of the section's Name attribute.
func (s *mfSection) name() (string, bool) { return s.get("Name") }

// manifest is a parsed MANIFEST.MF or .SF file.
type manifest struct {
	main     mfSection
	sections []mfSection
}

// nextLine returns the line at p (without its terminator) and the offset
// after the terminator. Lines end in CRLF, LF or CR.
func nextLine(b []byte, p int) (line []byte, next int) {
	i := p
	for i < len(b) && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	line = b[p:i]
	switch {
	case i >= len(b):
		return line, i
	case b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n':
		return line, i + 2
	default:
		return line, i + 1
	}
}

// parseManifest splits b into sections. It never fails: malformed lines
// (without ": ") are kept as attributes with an empty value so that digests
// of the raw bytes stay exact.
func parseManifest(b []byte) *manifest {
	m := &manifest{}
	var cur *mfSection
	var sections []mfSection
	start := 0
	p := 0
	inSection := false
	flush := func(end int) {
		if cur != nil {
			cur.raw = b[start:end]
			sections = append(sections, *cur)
			cur = nil
		}
		inSection = false
	}
	for p < len(b) {
		line, next := nextLine(b, p)
		if len(line) == 0 {
			if inSection {
				flush(next)
			}
			p = next
			start = p
			continue
		}
		if !inSection {
			cur = &mfSection{}
			inSection = true
			start = p
		}
		if line[0] == ' ' && len(cur.attrs) > 0 {
			// Continuation line.
			cur.attrs[len(cur.attrs)-1].value += string(line[1:])
		} else if i := bytes.Index(line, []byte(": ")); i >= 0 {
			cur.attrs = append(cur.attrs, mfAttr{name: string(line[:i]), value: string(line[i+2:])})
		} else if i := bytes.IndexByte(line, ':'); i >= 0 {
			cur.attrs = append(cur.attrs, mfAttr{name: string(line[:i]), value: strings.TrimPrefix(string(line[i+1:]), " ")})
		} else {
			cur.attrs = append(cur.attrs, mfAttr{name: string(line)})
		}
		p = next
	}
	flush(len(b))
	if len(sections) == 0 {
		return m
	}
	// The first section is the main section unless it starts with Name.
	if _, ok := sections[0].name(); !ok || !strings.EqualFold(sections[0].attrs[0].name, "Name") {
		m.main = sections[0]
		sections = sections[1:]
	}
	m.sections = sections
	return m
}

// named returns the sections by Name attribute; the bool result is false
// when a name occurs twice.
func (m *manifest) named() (map[string]*mfSection, string) {
	out := make(map[string]*mfSection, len(m.sections))
	for i := range m.sections {
		n, ok := m.sections[i].name()
		if !ok {
			continue
		}
		if _, dup := out[n]; dup {
			return out, n
		}
		out[n] = &m.sections[i]
	}
	return out, ""
}
