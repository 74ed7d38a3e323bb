package apk

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/shogo82148/androidbinary"
)

// Chunk types of the binary XML and resource table formats (AOSP
// ResourceTypes.h).
const (
	chunkStringPool   = 0x0001
	chunkTable        = 0x0002
	chunkXML          = 0x0003
	chunkXMLStartNS   = 0x0100
	chunkXMLEndNS     = 0x0101
	chunkXMLStart     = 0x0102
	chunkXMLEnd       = 0x0103
	chunkTablePackage = 0x0200
	chunkTableType    = 0x0201
	chunkTableSpec    = 0x0202

	nilRef = 0xffffffff

	// maxXMLSize bounds a binary XML file we decode; real manifests are
	// well under 1 MiB.
	maxXMLSize = 16 << 20
	// maxXMLText bounds the text XML androidbinary builds from it (string
	// references can repeat a long string many times).
	maxXMLText = 64 << 20
)

// chunk is a decoded ResChunk_header with its bytes.
type chunk struct {
	typ        uint16
	headerSize int
	data       []byte // the whole chunk, header included
}

// readChunk reads the chunk header at off of b and checks that the chunk lies
// within b.
func readChunk(b []byte, off int, what string) (chunk, error) {
	if off < 0 || len(b)-off < 8 {
		return chunk{}, fmt.Errorf("%s: chunk header at %d: truncated: %w", what, off, ErrFormat)
	}
	typ := binary.LittleEndian.Uint16(b[off:])
	hs := int(binary.LittleEndian.Uint16(b[off+2:]))
	size := int64(binary.LittleEndian.Uint32(b[off+4:]))
	if hs < 8 || int64(hs) > size {
		return chunk{}, fmt.Errorf("%s: chunk 0x%04x at %d: bad header size %d (chunk size %d): %w", what, typ, off, hs, size, ErrFormat)
	}
	if size > int64(len(b)-off) {
		return chunk{}, fmt.Errorf("%s: chunk 0x%04x at %d: size %d exceeds the %d bytes left: %w", what, typ, off, size, len(b)-off, ErrFormat)
	}
	return chunk{typ: typ, headerSize: hs, data: b[off : off+int(size)]}, nil
}

// stringPool is a decoded ResStringPool.
type stringPool struct {
	strings []string
}

func (p *stringPool) get(ref uint32) (string, bool) {
	if p == nil || ref == nilRef || int64(ref) >= int64(len(p.strings)) {
		return "", false
	}
	return p.strings[ref], true
}

// parseStringPool decodes and bounds-checks a string pool chunk. Every
// offset and length is checked against the chunk, so the work and memory are
// bounded by the chunk's size.
func parseStringPool(c chunk, what string) (*stringPool, error) {
	d := c.data
	if c.headerSize < 28 {
		return nil, fmt.Errorf("%s: string pool: header size %d: %w", what, c.headerSize, ErrFormat)
	}
	count := int64(binary.LittleEndian.Uint32(d[8:]))
	styles := int64(binary.LittleEndian.Uint32(d[12:]))
	flags := binary.LittleEndian.Uint32(d[16:])
	start := int64(binary.LittleEndian.Uint32(d[20:]))
	stylesStart := int64(binary.LittleEndian.Uint32(d[24:]))
	size := int64(len(d))
	if int64(c.headerSize)+4*(count+styles) > size {
		return nil, fmt.Errorf("%s: string pool: %d strings and %d styles do not fit in %d bytes: %w", what, count, styles, size, ErrFormat)
	}
	if count > 0 && start >= size {
		return nil, fmt.Errorf("%s: string pool: strings start %d beyond the chunk (%d bytes): %w", what, start, size, ErrFormat)
	}
	utf8Pool := flags&(1<<8) != 0
	p := &stringPool{strings: make([]string, count)}
	idx := int64(c.headerSize)
	for i := range count {
		off := start + int64(binary.LittleEndian.Uint32(d[idx+4*i:]))
		s, err := decodePoolString(d, off, utf8Pool)
		if err != nil {
			return nil, fmt.Errorf("%s: string pool: string %d: %w", what, i, err)
		}
		p.strings[i] = s
	}
	for i := range styles {
		off := stylesStart + int64(binary.LittleEndian.Uint32(d[idx+4*count+4*i:]))
		if off < 0 || off+8 > size {
			return nil, fmt.Errorf("%s: string pool: style %d at %d beyond the chunk: %w", what, i, off, ErrFormat)
		}
	}
	return p, nil
}

// decodePoolString decodes one string of a pool at off of d.
func decodePoolString(d []byte, off int64, utf8Pool bool) (string, error) {
	size := int64(len(d))
	if off < 0 || off >= size {
		return "", fmt.Errorf("offset %d beyond the chunk: %w", off, ErrFormat)
	}
	if utf8Pool {
		// UTF-16 length then UTF-8 byte length, each 1 or 2 bytes.
		_, n1, err := utf8Len(d, off)
		if err != nil {
			return "", err
		}
		l, n2, err := utf8Len(d, off+n1)
		if err != nil {
			return "", err
		}
		b := off + n1 + n2
		if b+l > size {
			return "", fmt.Errorf("length %d beyond the chunk: %w", l, ErrFormat)
		}
		return string(d[b : b+l]), nil
	}
	if off+2 > size {
		return "", fmt.Errorf("truncated length: %w", ErrFormat)
	}
	l := int64(binary.LittleEndian.Uint16(d[off:]))
	n := int64(2)
	if l&0x8000 != 0 {
		if off+4 > size {
			return "", fmt.Errorf("truncated length: %w", ErrFormat)
		}
		l = (l&0x7fff)<<16 | int64(binary.LittleEndian.Uint16(d[off+2:]))
		n = 4
	}
	b := off + n
	if b+2*l > size {
		return "", fmt.Errorf("length %d beyond the chunk: %w", l, ErrFormat)
	}
	u := make([]uint16, l)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(d[b+2*int64(i):])
	}
	return string(utf16.Decode(u)), nil
}

func utf8Len(d []byte, off int64) (int64, int64, error) {
	if off >= int64(len(d)) {
		return 0, 0, fmt.Errorf("truncated length: %w", ErrFormat)
	}
	l := int64(d[off])
	if l&0x80 == 0 {
		return l, 1, nil
	}
	if off+1 >= int64(len(d)) {
		return 0, 0, fmt.Errorf("truncated length: %w", ErrFormat)
	}
	return (l&0x7f)<<8 | int64(d[off+1]), 2, nil
}

// validateAXML walks a binary XML file and checks every structure that
// androidbinary reads, so that androidbinary never reads out of bounds,
// allocates from an unchecked count or builds an oversized text document.
// It returns the text size androidbinary will produce, approximately.
func validateAXML(b []byte) error {
	const what = "binary xml"
	if len(b) > maxXMLSize {
		return fmt.Errorf("%s: %d bytes (limit %d): %w", what, len(b), maxXMLSize, ErrLimit)
	}
	root, err := readChunk(b, 0, what)
	if err != nil {
		return err
	}
	if root.typ != chunkXML {
		return fmt.Errorf("%s: first chunk type 0x%04x, want 0x0003: %w", what, root.typ, ErrFormat)
	}
	var pool *stringPool
	text := 0
	has := func(ref uint32) bool { _, ok := pool.get(ref); return ok }
	strlen := func(ref uint32) int { s, _ := pool.get(ref); return len(s) + 8 }
	for off := root.headerSize; off < len(root.data); {
		c, err := readChunk(root.data, off, what)
		if err != nil {
			return err
		}
		d := c.data
		switch c.typ {
		case chunkStringPool:
			if pool, err = parseStringPool(c, what); err != nil {
				return err
			}
		case chunkXMLStartNS, chunkXMLEndNS:
			if c.headerSize < 16 || c.headerSize+8 > len(d) {
				return fmt.Errorf("%s: namespace chunk at %d: truncated: %w", what, off, ErrFormat)
			}
			prefix := binary.LittleEndian.Uint32(d[c.headerSize:])
			uri := binary.LittleEndian.Uint32(d[c.headerSize+4:])
			if c.typ == chunkXMLStartNS && (!has(prefix) || !has(uri)) {
				return fmt.Errorf("%s: namespace chunk at %d: bad string reference: %w", what, off, ErrFormat)
			}
			text += strlen(prefix) + strlen(uri)
		case chunkXMLStart:
			if c.headerSize < 16 || c.headerSize+20 > len(d) {
				return fmt.Errorf("%s: element at %d: truncated: %w", what, off, ErrFormat)
			}
			e := d[c.headerSize:]
			ns, name := binary.LittleEndian.Uint32(e), binary.LittleEndian.Uint32(e[4:])
			if !has(name) || (ns != nilRef && !has(ns)) {
				return fmt.Errorf("%s: element at %d: bad name reference: %w", what, off, ErrFormat)
			}
			attrStart := int(binary.LittleEndian.Uint16(e[8:]))
			attrSize := int(binary.LittleEndian.Uint16(e[10:]))
			count := int(binary.LittleEndian.Uint16(e[12:]))
			if attrStart+c.headerSize > 0xffff {
				return fmt.Errorf("%s: element at %d: bad attribute start: %w", what, off, ErrFormat)
			}
			if count > 0 && (attrSize < 20 || attrStart+c.headerSize+count*attrSize > len(d)) {
				return fmt.Errorf("%s: element at %d: %d attributes of %d bytes do not fit: %w", what, off, count, attrSize, ErrFormat)
			}
			text += 2*strlen(name) + strlen(ns)
			for i := range count {
				a := d[c.headerSize+attrStart+i*attrSize:]
				ans, aname, raw := binary.LittleEndian.Uint32(a), binary.LittleEndian.Uint32(a[4:]), binary.LittleEndian.Uint32(a[8:])
				if !has(aname) || (ans != nilRef && !has(ans)) || (raw != nilRef && !has(raw)) {
					return fmt.Errorf("%s: element at %d: attribute %d: bad string reference: %w", what, off, i, ErrFormat)
				}
				text += strlen(aname) + strlen(ans) + 6*strlen(raw) + 16
			}
		case chunkXMLEnd:
			if c.headerSize < 16 || c.headerSize+8 > len(d) {
				return fmt.Errorf("%s: end element at %d: truncated: %w", what, off, ErrFormat)
			}
			ns, name := binary.LittleEndian.Uint32(d[c.headerSize:]), binary.LittleEndian.Uint32(d[c.headerSize+4:])
			if !has(name) || (ns != nilRef && !has(ns)) {
				return fmt.Errorf("%s: end element at %d: bad name reference: %w", what, off, ErrFormat)
			}
			text += strlen(name) + strlen(ns)
		}
		if text > maxXMLText {
			return fmt.Errorf("%s: decoded text would exceed %d bytes: %w", what, maxXMLText, ErrLimit)
		}
		off += len(d)
	}
	if pool == nil {
		return fmt.Errorf("%s: no string pool: %w", what, ErrFormat)
	}
	return nil
}

// decodeAXML validates b and decodes it with androidbinary into v (a pointer
// to a struct of androidbinary.String/Bool/Int32 fields). References are not
// resolved here (no table is given); see raw and the resolver.
func decodeAXML(b []byte, v any) (err error) {
	if err := validateAXML(b); err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("binary xml: decoder panic: %v: %w", r, ErrFormat)
		}
	}()
	xf, err := androidbinary.NewXMLFile(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("binary xml: %w", err)
	}
	if err := xf.Decode(v, nil, nil); err != nil {
		return fmt.Errorf("binary xml: decode: %w", err)
	}
	return nil
}

// raw returns the attribute text androidbinary recorded: a literal, or
// "@0x7F…" for a reference (or for a typed value androidbinary does not
// render, such as a float or a dimension).
func raw(s androidbinary.String) string {
	a, _ := s.MarshalXMLAttr(xml.Name{})
	return a.Value
}

func rawBool(b *androidbinary.Bool) (string, bool) {
	if b == nil {
		return "", false
	}
	a, _ := b.MarshalXMLAttr(xml.Name{})
	return a.Value, true
}

func rawInt(i *androidbinary.Int32) (string, bool) {
	if i == nil {
		return "", false
	}
	a, _ := i.MarshalXMLAttr(xml.Name{})
	return a.Value, true
}

// splitManifest is the part of a split APK's manifest used to name it.
type splitManifest struct {
	XMLName xml.Name              `xml:"manifest"`
	Split   *androidbinary.String `xml:"split,attr"`
}

// readSplitAttr returns the split attribute of a part's manifest and whether
// the manifest could be read.
func readSplitAttr(a *Archive, p *part) (string, bool) {
	f := p.files["AndroidManifest.xml"]
	if f == nil || f.UncompressedSize64 > maxXMLSize {
		return "", false
	}
	rc, size, err := a.openEntry(p, f)
	if err != nil {
		return "", false
	}
	defer rc.Close()
	buf := make([]byte, size)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return "", false
	}
	var m splitManifest
	if decodeAXML(buf, &m) != nil {
		return "", false
	}
	if m.Split == nil {
		return "", true
	}
	return raw(*m.Split), true
}
