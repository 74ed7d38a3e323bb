package apk

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// We parse resources.arsc ourselves (format: AOSP ResourceTypes.h) instead of
// with androidbinary.NewTableFile, because that reader misreads sparse type
// chunks (FLAG_SPARSE, e.g. apktool__sparse.apk), compact entries
// (FLAG_OFFSET16/FLAG_COMPACT, Android 14 toolchains) and complex entries,
// allocates from unchecked counts, and exposes one configuration per lookup,
// while we need every locale of a string and the global string pool.

// Res_value data types.
const (
	typeNull       = 0x00
	typeReference  = 0x01
	typeAttribute  = 0x02
	typeString     = 0x03
	typeFloat      = 0x04
	typeDimension  = 0x05
	typeFraction   = 0x06
	typeDynRef     = 0x07
	typeIntDec     = 0x10
	typeIntHex     = 0x11
	typeIntBoolean = 0x12
	typeColorFirst = 0x1c
	typeColorLast  = 0x1f

	maxArscSize = 256 << 20
)

// resValue is a Res_value.
type resValue struct {
	typ  uint8
	data uint32
}

// resConfig is a ResTable_config, zero-extended to 64 bytes.
type resConfig [64]byte

func (c *resConfig) u16(off int) uint16 { return binary.LittleEndian.Uint16(c[off:]) }
func (c *resConfig) mcc() uint16        { return c.u16(4) }
func (c *resConfig) mnc() uint16        { return c.u16(6) }
func (c *resConfig) density() uint16    { return c.u16(14) }
func (c *resConfig) sdk() uint16        { return c.u16(24) }
func (c *resConfig) hasLocale() bool    { return c[8] != 0 || c[10] != 0 }

// language returns the language code ("en", "zh", "fil").
func (c *resConfig) language() string { return unpackLocalePart(c[8], c[9], 'a') }

// region returns the region code ("CN", "419").
func (c *resConfig) region() string { return unpackLocalePart(c[10], c[11], '0') }

func unpackLocalePart(a, b byte, base byte) string {
	if a == 0 {
		return ""
	}
	if a&0x80 == 0 {
		return string([]byte{a, b})
	}
	first := b & 0x1f
	second := ((b & 0xe0) >> 5) | ((a & 0x03) << 3)
	third := (a & 0x7c) >> 2
	return string([]byte{first + base, second + base, third + base})
}

// locale returns a BCP-47-like tag: "", "zh", "zh-CN", "sr-Latn-RS".
func (c *resConfig) locale() string {
	lang := c.language()
	if lang == "" {
		return ""
	}
	parts := []string{lang}
	if s := strings.TrimRight(string(c[36:40]), "\x00"); s != "" {
		parts = append(parts, s)
	}
	if r := c.region(); r != "" {
		parts = append(parts, r)
	}
	return strings.Join(parts, "-")
}

// qualifierCount counts the non-locale qualifiers set, to prefer the plainest
// configuration among equals.
func (c *resConfig) qualifierCount() int {
	n := 0
	for i := 4; i < 64; i++ {
		if i >= 8 && i < 12 || i >= 36 && i < 48 {
			continue // locale fields
		}
		if c[i] != 0 {
			n++
		}
	}
	return n
}

// resType is one RES_TABLE_TYPE_TYPE chunk: the entries of one type for one
// configuration. Entries are decoded lazily from data.
type resType struct {
	id           uint8
	flags        uint8
	config       resConfig
	data         []byte
	headerSize   int
	entryCount   int
	entriesStart int
}

const (
	typeFlagSparse   = 0x01
	typeFlagOffset16 = 0x02
	entryFlagComplex = 0x0001
	entryFlagCompact = 0x0008
)

// entry returns the simple value of entry idx, if present and not a bag.
func (t *resType) entry(idx int) (resValue, bool) {
	if idx < 0 {
		return resValue{}, false
	}
	d := t.data
	var off int
	switch {
	case t.flags&typeFlagSparse != 0:
		// entryCount (idx u16, offset/4 u16) pairs sorted by idx.
		base := t.headerSize
		i := sort.Search(t.entryCount, func(i int) bool {
			return int(binary.LittleEndian.Uint16(d[base+4*i:])) >= idx
		})
		if i >= t.entryCount || int(binary.LittleEndian.Uint16(d[base+4*i:])) != idx {
			return resValue{}, false
		}
		off = 4 * int(binary.LittleEndian.Uint16(d[base+4*i+2:]))
	case t.flags&typeFlagOffset16 != 0:
		if idx >= t.entryCount {
			return resValue{}, false
		}
		o := binary.LittleEndian.Uint16(d[t.headerSize+2*idx:])
		if o == 0xffff {
			return resValue{}, false
		}
		off = 4 * int(o)
	default:
		if idx >= t.entryCount {
			return resValue{}, false
		}
		o := binary.LittleEndian.Uint32(d[t.headerSize+4*idx:])
		if o == 0xffffffff || int64(o) > int64(len(d)) {
			return resValue{}, false
		}
		off = int(o)
	}
	p := t.entriesStart + off
	if p < 0 || p+8 > len(d) {
		return resValue{}, false
	}
	flags := binary.LittleEndian.Uint16(d[p+2:])
	if flags&entryFlagCompact != 0 {
		return resValue{typ: uint8(flags >> 8), data: binary.LittleEndian.Uint32(d[p+4:])}, true
	}
	if flags&entryFlagComplex != 0 {
		return resValue{}, false
	}
	size := int(binary.LittleEndian.Uint16(d[p:]))
	v := p + size
	if size < 8 || v+8 > len(d) {
		return resValue{}, false
	}
	return resValue{typ: d[v+3], data: binary.LittleEndian.Uint32(d[v+4:])}, true
}

// resPackage is one package of a resource table.
type resPackage struct {
	id    uint32
	name  string
	types map[uint8][]*resType
}

// resTable is a decoded resources.arsc.
type resTable struct {
	pool *stringPool
	pkgs map[uint32]*resPackage
}

// parseResTable decodes and bounds-checks a resources.arsc.
func parseResTable(b []byte) (*resTable, error) {
	const what = "resources.arsc"
	if len(b) > maxArscSize {
		return nil, fmt.Errorf("%s: %d bytes (limit %d): %w", what, len(b), maxArscSize, ErrLimit)
	}
	root, err := readChunk(b, 0, what)
	if err != nil {
		return nil, err
	}
	if root.typ != chunkTable || root.headerSize < 12 {
		return nil, fmt.Errorf("%s: first chunk type 0x%04x, want a resource table: %w", what, root.typ, ErrFormat)
	}
	t := &resTable{pkgs: map[uint32]*resPackage{}}
	for off := root.headerSize; off < len(root.data); {
		c, err := readChunk(root.data, off, what)
		if err != nil {
			return nil, err
		}
		switch c.typ {
		case chunkStringPool:
			if t.pool == nil {
				if t.pool, err = parseStringPool(c, what+": global"); err != nil {
					return nil, err
				}
			}
		case chunkTablePackage:
			p, err := parsePackage(c, what)
			if err != nil {
				return nil, err
			}
			if old, ok := t.pkgs[p.id]; ok {
				for id, ts := range p.types {
					old.types[id] = append(old.types[id], ts...)
				}
			} else {
				t.pkgs[p.id] = p
			}
		}
		off += len(c.data)
	}
	if t.pool == nil {
		t.pool = &stringPool{}
	}
	return t, nil
}

func parsePackage(c chunk, what string) (*resPackage, error) {
	d := c.data
	if c.headerSize < 284 {
		return nil, fmt.Errorf("%s: package: header size %d: %w", what, c.headerSize, ErrFormat)
	}
	p := &resPackage{id: binary.LittleEndian.Uint32(d[8:]), types: map[uint8][]*resType{}}
	name := make([]rune, 0, 32)
	for i := 0; i < 128; i++ {
		r := binary.LittleEndian.Uint16(d[12+2*i:])
		if r == 0 {
			break
		}
		name = append(name, rune(r))
	}
	p.name = string(name)
	what = fmt.Sprintf("%s: package 0x%02x", what, p.id)
	for off := c.headerSize; off < len(d); {
		sc, err := readChunk(d, off, what)
		if err != nil {
			return nil, err
		}
		if sc.typ == chunkTableType {
			rt, err := parseType(sc, what)
			if err != nil {
				return nil, err
			}
			p.types[rt.id] = append(p.types[rt.id], rt)
		}
		off += len(sc.data)
	}
	return p, nil
}

func parseType(c chunk, what string) (*resType, error) {
	d := c.data
	if c.headerSize < 20 || len(d) < 20 {
		return nil, fmt.Errorf("%s: type chunk: header size %d: %w", what, c.headerSize, ErrFormat)
	}
	t := &resType{
		id: d[8], flags: d[9], data: d, headerSize: c.headerSize,
		entryCount:   int(binary.LittleEndian.Uint32(d[12:])),
		entriesStart: int(binary.LittleEndian.Uint32(d[16:])),
	}
	if t.id == 0 {
		return nil, fmt.Errorf("%s: type chunk: type id 0: %w", what, ErrFormat)
	}
	copy(t.config[:], d[20:c.headerSize])
	width := 4
	if t.flags&typeFlagOffset16 != 0 && t.flags&typeFlagSparse == 0 {
		width = 2
	}
	if t.entryCount < 0 || int64(t.headerSize)+int64(t.entryCount)*int64(width) > int64(len(d)) ||
		t.entriesStart < 0 || t.entriesStart > len(d) {
		return nil, fmt.Errorf("%s: type 0x%02x: %d entries do not fit in %d bytes: %w", what, t.id, t.entryCount, len(d), ErrFormat)
	}
	return t, nil
}

// types returns the type chunks of a resource id's package and type.
func (t *resTable) types(id uint32) []*resType {
	if t == nil {
		return nil
	}
	p := t.pkgs[id>>24]
	if p == nil {
		return nil
	}
	return p.types[uint8(id>>16)]
}

// configValue is a value of a resource in one configuration.
type configValue struct {
	config *resConfig
	value  resValue
}

// values returns the resource's value in every configuration that has it.
func (t *resTable) values(id uint32) []configValue {
	var out []configValue
	for _, rt := range t.types(id) {
		if v, ok := rt.entry(int(id & 0xffff)); ok {
			out = append(out, configValue{&rt.config, v})
		}
	}
	return out
}

// aaptMatch reports whether c matches the configuration aapt's dump badging
// resolves with: en-US, mdpi, sdk 10000, a normal 320x480 dp screen.
func aaptMatch(c *resConfig) bool {
	if c.mcc() != 0 || c.mnc() != 0 {
		return false
	}
	if c.hasLocale() {
		if c.language() != "en" || (c.region() != "" && c.region() != "US") {
			return false
		}
	}
	if c.u16(30) > 320 || c.u16(32) > 320 || c.u16(34) > 480 { // sw, w, h dp
		return false
	}
	if size := c[28] & 0x0f; size > 0x03 { // screen size > normal
		return false
	}
	if ui := c[29] & 0x0f; ui != 0 && ui != 0x01 && ui != 0x02 { // ui mode type
		return false
	}
	if c[29]&0x30 != 0 || c[28]&0xc0 == 0x80 { // night mode, RTL
		return false
	}
	if c[12] != 0 && c[12] != 1 { // orientation other than portrait
		return false
	}
	return true
}

// aaptBetter reports whether a is a better match than b for aapt's
// configuration: a more specific locale, then a higher sdk version, then
// fewer other qualifiers.
func aaptBetter(a, b *resConfig) bool {
	rank := func(c *resConfig) int {
		switch {
		case c.region() == "US":
			return 2
		case c.hasLocale():
			return 1
		}
		return 0
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra > rb
	}
	if a.sdk() != b.sdk() {
		return a.sdk() > b.sdk()
	}
	return a.qualifierCount() < b.qualifierCount()
}

// resolveDefault resolves id the way aapt's dump badging does and follows
// references (at most 16 hops).
func (t *resTable) resolveDefault(id uint32) (resValue, bool) {
	for range 16 {
		var best *configValue
		for _, cv := range t.values(id) {
			if !aaptMatch(cv.config) {
				continue
			}
			if best == nil || aaptBetter(cv.config, best.config) {
				best = &cv
			}
		}
		if best == nil {
			return resValue{}, false
		}
		if best.value.typ != typeReference && best.value.typ != typeDynRef {
			return best.value, true
		}
		id = best.value.data
	}
	return resValue{}, false
}

// byLocale returns the resource's value for every locale that has one
// ("" = default), following references with resolveDefault. Among several
// configurations of one locale the plainest wins.
func (t *resTable) byLocale(id uint32) map[string]resValue {
	type pick struct {
		c *resConfig
		v resValue
	}
	best := map[string]pick{}
	for _, cv := range t.values(id) {
		c := cv.config
		if c.mcc() != 0 || c.mnc() != 0 {
			continue
		}
		loc := c.locale()
		if old, ok := best[loc]; ok && old.c.qualifierCount() <= c.qualifierCount() {
			continue
		}
		best[loc] = pick{c, cv.value}
	}
	out := make(map[string]resValue, len(best))
	for loc, p := range best {
		v := p.v
		if v.typ == typeReference || v.typ == typeDynRef {
			var ok bool
			if v, ok = t.resolveDefault(v.data); !ok {
				continue
			}
		}
		out[loc] = v
	}
	return out
}

// format renders a value as text: strings from the pool, numbers in decimal,
// booleans, colors as #AARRGGBB, references as @0x7f…
func (t *resTable) format(v resValue) string {
	switch v.typ {
	case typeString:
		s, _ := t.pool.get(v.data)
		return s
	case typeIntDec:
		return strconv.FormatInt(int64(int32(v.data)), 10)
	case typeIntHex:
		return fmt.Sprintf("0x%x", v.data)
	case typeIntBoolean:
		return strconv.FormatBool(v.data != 0)
	case typeFloat:
		return strconv.FormatFloat(float64(math.Float32frombits(v.data)), 'g', -1, 32)
	case typeReference, typeDynRef:
		return fmt.Sprintf("@0x%08x", v.data)
	case typeAttribute:
		return fmt.Sprintf("?0x%08x", v.data)
	case typeNull:
		return ""
	}
	if v.typ >= typeColorFirst && v.typ <= typeColorLast {
		return fmt.Sprintf("#%08x", v.data)
	}
	return fmt.Sprintf("(type 0x%02x)0x%x", v.typ, v.data)
}

// bestFile picks the best file path of a drawable/mipmap resource: a raster
// image over XML, then the highest density.
func (t *resTable) bestFile(id uint32) string {
	type cand struct {
		path    string
		raster  bool
		density int
	}
	var cs []cand
	seen := map[uint32]bool{}
	var walk func(id uint32, depth int)
	walk = func(id uint32, depth int) {
		if depth > 16 || seen[id] {
			return
		}
		seen[id] = true
		for _, cv := range t.values(id) {
			switch cv.value.typ {
			case typeReference, typeDynRef:
				walk(cv.value.data, depth+1)
			case typeString:
				s, _ := t.pool.get(cv.value.data)
				if s == "" {
					continue
				}
				d := int(cv.config.density())
				if d >= 0xfffe { // anydpi, nodpi
					d = -1
				}
				l := strings.ToLower(s)
				raster := strings.HasSuffix(l, ".png") || strings.HasSuffix(l, ".webp") || strings.HasSuffix(l, ".jpg")
				cs = append(cs, cand{s, raster, d})
			}
		}
	}
	walk(id, 0)
	if len(cs) == 0 {
		return ""
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.raster != b.raster {
			if a.raster {
				return -1
			}
			return 1
		}
		if a.density != b.density {
			return b.density - a.density
		}
		return strings.Compare(a.path, b.path)
	})
	return cs[0].path
}
