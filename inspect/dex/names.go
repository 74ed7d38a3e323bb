package dex

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MethodRef names a method_id_item: the class that declares (or is used to
// reference) the method, its name, and its prototype descriptor.
type MethodRef struct {
	Class string // dotted Java name, e.g. "android.telephony.TelephonyManager"
	Name  string // e.g. "getDeviceId"
	Proto string // descriptor, e.g. "(I)Ljava/lang/String;"
}

// String returns "Class.Name(Proto)" in the usual Class.name(args)ret form.
func (m MethodRef) String() string { return m.Class + "." + m.Name + m.Proto }

// FieldRef names a field_id_item.
type FieldRef struct {
	Class string // dotted Java name of the declaring class
	Name  string // field name
	Type  string // dotted Java type, e.g. "java.lang.String", "int", "byte[]"
}

// String returns "Class.Name:Type".
func (r FieldRef) String() string { return r.Class + "." + r.Name + ":" + r.Type }

// newBudget returns how many string bytes one call that decodes many strings
// may decode. Real files never come near it: string data items do not
// overlap, so all of them together are smaller than the file. Crafted files
// that point thousands of ids at one long string are cut off by it.
func (f *File) newBudget() int { return 4*len(f.b) + 1<<20 }

// stringLoc returns where the MUTF-8 bytes of string i start and its length
// in UTF-16 code units.
func (f *File) stringLoc(i uint32) (int, uint32, error) {
	if i >= f.nStrings {
		return 0, 0, fmt.Errorf("dex: string %d of %d: %w", i, f.nStrings, ErrIndex)
	}
	off := le32(f.b, f.strIDs+stringIDSize*int(i))
	pos := f.rel + uint64(off)
	if off == 0 || pos >= uint64(len(f.b)) {
		return 0, 0, fmt.Errorf("dex: string %d: data offset %#x outside the file: %w", i, off, ErrTruncated)
	}
	n, p, ok := uleb128(f.b, int(pos))
	if !ok {
		return 0, 0, fmt.Errorf("dex: string %d: bad length at %#x: %w", i, off, ErrTruncated)
	}
	return p, n, nil
}

// asciiRun reports whether b[p:p+n] is plain ASCII without NUL and is
// followed by the NUL terminator, the common case for DEX strings.
func asciiRun(b []byte, p int, n uint32) bool {
	if uint64(p)+uint64(n) >= uint64(len(b)) || b[p+int(n)] != 0 {
		return false
	}
	for _, c := range b[p : p+int(n)] {
		if c-1 >= 0x7f { // c == 0 or c >= 0x80
			return false
		}
	}
	return true
}

// decodeMUTF8 decodes n UTF-16 code units of modified UTF-8 starting at p and
// appends the standard UTF-8 form to dst. Two-byte NUL (C0 80) becomes U+0000;
// surrogate pairs, each encoded as three bytes, become one rune; anything
// malformed becomes U+FFFD. It reads at most 3n bytes, charging them to budget.
func decodeMUTF8(dst, b []byte, p int, n uint32, budget *int) ([]byte, error) {
	limit := uint64(p) + 3*uint64(n)
	if limit > uint64(len(b)) {
		limit = uint64(len(b))
	}
	end := int(limit)
	start := p
loop:
	for units := uint32(0); units < n; units++ {
		if p >= end {
			return dst, fmt.Errorf("dex: string at %#x: %w", start, ErrTruncated)
		}
		c := b[p]
		switch {
		case c == 0:
			// Terminator before the declared length: keep what was read.
			// (Setting units = n would wrap around when n is 0xffffffff.)
			break loop
		case c < 0x80:
			dst = append(dst, c)
			p++
		case c&0xe0 == 0xc0 && p+1 < end && b[p+1]&0xc0 == 0x80:
			r := rune(c&0x1f)<<6 | rune(b[p+1]&0x3f)
			dst = utf8.AppendRune(dst, r)
			p += 2
		case c&0xf0 == 0xe0 && p+2 < end && b[p+1]&0xc0 == 0x80 && b[p+2]&0xc0 == 0x80:
			r := rune(c&0x0f)<<12 | rune(b[p+1]&0x3f)<<6 | rune(b[p+2]&0x3f)
			p += 3
			if r >= 0xd800 && r < 0xdc00 && units+1 < n && p+2 < end &&
				b[p]&0xf0 == 0xe0 && b[p+1]&0xc0 == 0x80 && b[p+2]&0xc0 == 0x80 {
				lo := rune(b[p]&0x0f)<<12 | rune(b[p+1]&0x3f)<<6 | rune(b[p+2]&0x3f)
				if lo >= 0xdc00 && lo < 0xe000 {
					r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
					p += 3
					units++
				}
			}
			dst = utf8.AppendRune(dst, r) // a lone surrogate becomes U+FFFD here
		default:
			dst = utf8.AppendRune(dst, utf8.RuneError)
			p++
		}
	}
	*budget -= p - start
	return dst, nil
}

// sizeHint is the buffer to reserve for a string of n UTF-16 units with
// avail bytes left in the file: the declared length is not trusted.
func sizeHint(n uint32, avail int) int {
	return int(min(uint64(n), uint64(avail)))
}

// longString is the length from which decoded strings are cached by their
// data offset (see longAt).
const longString = 256

// longAt returns the string whose MUTF-8 data starts at p (n UTF-16
// units), decoding it at most once per File: crafted files point thousands
// of string or type ids at one long string, and without the cache every id
// would decode it again. Decoding is charged to a budget shared by the
// whole File (the same size as one call's budget: real files decode each
// string once, and their string data is smaller than the file), so
// overlapping long strings cannot make the work quadratic either. javaName
// also caches the dotted form. It reports whether the string was decoded
// now (a cache miss).
func (f *File) longAt(p int, n uint32, dotted bool) (string, bool, error) {
	f.lmu.Lock()
	defer f.lmu.Unlock()
	cache := f.long
	if dotted {
		cache = f.longNames
	}
	if s, ok := cache[p]; ok {
		return s, false, nil
	}
	if f.long == nil {
		f.long, f.longNames = map[int]string{}, map[int]string{}
		f.longLeft = f.newBudget()
	}
	if f.longLeft < 0 {
		return "", false, ErrBudget
	}
	var s string
	if raw, ok := f.long[p]; ok {
		s = raw
	} else if asciiRun(f.b, p, n) {
		f.longLeft -= int(n)
		s = string(f.b[p : p+int(n)])
	} else {
		buf, err := decodeMUTF8(make([]byte, 0, sizeHint(n, len(f.b)-p)), f.b, p, n, &f.longLeft)
		if err != nil {
			return "", false, err
		}
		s = string(buf)
	}
	f.long[p] = s
	if dotted {
		s = javaName([]byte(s))
		f.longLeft -= len(s)
		f.longNames[p] = s
	}
	return s, true, nil
}

// stringAt decodes string i, charging the bytes read to budget.
func (f *File) stringAt(i uint32, budget *int) (string, error) {
	if *budget < 0 {
		return "", fmt.Errorf("dex: string %d: %w", i, ErrBudget)
	}
	p, n, err := f.stringLoc(i)
	if err != nil {
		return "", err
	}
	if n >= longString {
		s, miss, err := f.longAt(p, n, false)
		if err != nil {
			return "", fmt.Errorf("dex: string %d: %w", i, err)
		}
		if miss {
			*budget -= int(n)
		}
		return s, nil
	}
	if asciiRun(f.b, p, n) {
		*budget -= int(n)
		return string(f.b[p : p+int(n)]), nil
	}
	buf, err := decodeMUTF8(make([]byte, 0, sizeHint(n, len(f.b)-p)), f.b, p, n, budget)
	if err != nil {
		return "", fmt.Errorf("dex: string %d: %w", i, err)
	}
	return string(buf), nil
}

// String returns string_ids[i], decoded from MUTF-8.
func (f *File) String(i uint32) (string, error) {
	budget := f.newBudget()
	return f.stringAt(i, &budget)
}

// Strings returns every string in string_ids order, so Strings()[i] is
// String(i). An undecodable entry is left "" (use String for its error).
func (f *File) Strings() []string {
	out := make([]string, f.nStrings)
	budget := f.newBudget()
	for i := range out {
		if budget < 0 {
			break
		}
		out[i], _ = f.stringAt(uint32(i), &budget)
	}
	return out
}

// typeDescriptor returns the raw descriptor of type t ("Ljava/lang/String;").
func (f *File) typeDescriptor(t uint32, budget *int) (string, error) {
	if t >= f.nTypes {
		return "", fmt.Errorf("dex: type %d of %d: %w", t, f.nTypes, ErrIndex)
	}
	if f.typeDescs == nil {
		f.typeDescs = make([]string, f.nTypes)
	}
	if s := f.typeDescs[t]; s != "" {
		return s, nil
	}
	s, err := f.stringAt(le32(f.b, f.typeIDs+typeIDSize*int(t)), budget)
	if err != nil {
		return "", fmt.Errorf("dex: type %d: %w", t, err)
	}
	f.typeDescs[t] = s
	return s, nil
}

// TypeDescriptor returns the raw descriptor of type_ids[t], e.g. "[I" or
// "Lcom/umeng/analytics/MobclickAgent;".
func (f *File) TypeDescriptor(t uint32) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	budget := f.newBudget()
	return f.typeDescriptor(t, &budget)
}

// typeName returns the dotted name of type t, decoding and caching it.
func (f *File) typeName(t uint32, budget *int) (string, error) {
	if t >= f.nTypes {
		return "", fmt.Errorf("dex: type %d of %d: %w", t, f.nTypes, ErrIndex)
	}
	if f.typeNames == nil {
		f.typeNames = make([]string, f.nTypes)
	}
	if s := f.typeNames[t]; s != "" {
		return s, nil
	}
	if *budget < 0 {
		return "", fmt.Errorf("dex: type %d: %w", t, ErrBudget)
	}
	si := le32(f.b, f.typeIDs+typeIDSize*int(t))
	p, n, err := f.stringLoc(si)
	if err != nil {
		return "", fmt.Errorf("dex: type %d: %w", t, err)
	}
	var s string
	if n >= longString {
		var miss bool
		if s, miss, err = f.longAt(p, n, true); err != nil {
			return "", fmt.Errorf("dex: type %d: %w", t, err)
		}
		if miss {
			*budget -= int(n)
		}
	} else if asciiRun(f.b, p, n) {
		// Common case: build the dotted name straight from the file bytes.
		*budget -= int(n)
		s = javaName(f.b[p : p+int(n)])
	} else {
		buf, err := decodeMUTF8(make([]byte, 0, sizeHint(n, len(f.b)-p)), f.b, p, n, budget)
		if err != nil {
			return "", fmt.Errorf("dex: type %d: %w", t, err)
		}
		s = javaName(buf)
	}
	f.typeNames[t] = s
	return s, nil
}

// TypeName returns type_ids[t] as a Java name: "com.example.Foo$Inner",
// "int", "java.lang.String[]".
func (f *File) TypeName(t uint32) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	budget := f.newBudget()
	return f.typeName(t, &budget)
}

// TypeNames returns every type referenced by this DEX as a Java name, in
// type_ids order. Types referenced but not defined here are library (or
// other-dex) classes the code uses. Undecodable entries are omitted.
func (f *File) TypeNames() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, f.nTypes)
	budget := f.newBudget()
	for t := uint32(0); t < f.nTypes; t++ {
		if s, err := f.typeName(t, &budget); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// Class returns the Java name of class_defs[i].
func (f *File) Class(i int) (string, error) {
	if i < 0 || i >= int(f.nClasses) {
		return "", fmt.Errorf("dex: class_def %d of %d: %w", i, f.nClasses, ErrIndex)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	budget := f.newBudget()
	return f.typeName(le16(f.b, f.classDefs+classDefSize*i), &budget)
}

// noIndex is NO_INDEX, the "none" value of 32-bit index fields.
const noIndex = 0xffffffff

// Superclass returns the Java name of the superclass of class_defs[i], or ""
// when it has none (java.lang.Object itself).
func (f *File) Superclass(i int) (string, error) {
	if i < 0 || i >= int(f.nClasses) {
		return "", fmt.Errorf("dex: class_def %d of %d: %w", i, f.nClasses, ErrIndex)
	}
	t := le32(f.b, f.classDefs+classDefSize*i+8)
	if t == noIndex {
		return "", nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	budget := f.newBudget()
	return f.typeName(t, &budget)
}

// Classes returns the Java names of the classes defined in this DEX, in
// class_defs order ("com.umeng.analytics.MobclickAgent", inner classes keep
// their '$'). A class_def whose type cannot be decoded is omitted.
func (f *File) Classes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, f.nClasses)
	budget := f.newBudget()
	for i := 0; i < int(f.nClasses); i++ {
		if s, err := f.typeName(le16(f.b, f.classDefs+classDefSize*i), &budget); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// javaName turns a type descriptor into a Java source name. Descriptors that
// are not well formed are returned unchanged.
func javaName(d []byte) string {
	dims := 0
	for dims < len(d) && d[dims] == '[' {
		dims++
	}
	elem := d[dims:]
	var base string
	switch {
	case len(elem) >= 3 && elem[0] == 'L' && elem[len(elem)-1] == ';':
		if dims == 0 {
			buf := make([]byte, len(elem)-2)
			for i, c := range elem[1 : len(elem)-1] {
				if c == '/' {
					c = '.'
				}
				buf[i] = c
			}
			return string(buf)
		}
		base = strings.ReplaceAll(string(elem[1:len(elem)-1]), "/", ".")
	case len(elem) == 1:
		base = primitiveName(elem[0])
		if base == "" {
			return string(d)
		}
	default:
		return string(d)
	}
	if dims == 0 {
		return base
	}
	return base + strings.Repeat("[]", dims)
}

func primitiveName(c byte) string {
	switch c {
	case 'V':
		return "void"
	case 'Z':
		return "boolean"
	case 'B':
		return "byte"
	case 'S':
		return "short"
	case 'C':
		return "char"
	case 'I':
		return "int"
	case 'J':
		return "long"
	case 'F':
		return "float"
	case 'D':
		return "double"
	}
	return ""
}

// Proto returns the descriptor of proto_ids[p], e.g. "(ILjava/lang/String;)V".
func (f *File) Proto(p uint32) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.proto(p)
}

func (f *File) proto(p uint32) (string, error) {
	if p >= f.nProtos {
		return "", fmt.Errorf("dex: proto %d of %d: %w", p, f.nProtos, ErrIndex)
	}
	if f.protoDescs == nil {
		f.protoDescs = make([]string, f.nProtos)
	}
	if s := f.protoDescs[p]; s != "" {
		return s, nil
	}
	budget := f.newBudget()
	off := f.protoIDs + protoIDSize*int(p)
	ret, err := f.typeDescriptor(le32(f.b, off+4), &budget)
	if err != nil {
		return "", fmt.Errorf("dex: proto %d: return type: %w", p, err)
	}
	var sb strings.Builder
	sb.WriteByte('(')
	if params := le32(f.b, off+8); params != 0 {
		pos := f.rel + uint64(params)
		if pos+4 > uint64(len(f.b)) {
			return "", fmt.Errorf("dex: proto %d: parameters at %#x: %w", p, params, ErrTruncated)
		}
		n := le32(f.b, int(pos))
		if pos+4+2*uint64(n) > uint64(len(f.b)) {
			return "", fmt.Errorf("dex: proto %d: %d parameters at %#x: %w", p, n, params, ErrTruncated)
		}
		for k := 0; k < int(n); k++ {
			d, err := f.typeDescriptor(le16(f.b, int(pos)+4+2*k), &budget)
			if err != nil {
				return "", fmt.Errorf("dex: proto %d: parameter %d: %w", p, k, err)
			}
			sb.WriteString(d)
		}
	}
	sb.WriteByte(')')
	sb.WriteString(ret)
	s := sb.String()
	f.protoDescs[p] = s
	return s, nil
}

// Method returns method_ids[i]. Decoding the name allocates; to test many
// call sites against a list of sensitive APIs, resolve the list to method
// indexes once (scan 0..NumMethods-1) and compare indexes while walking.
func (f *File) Method(i uint32) (MethodRef, error) {
	if i >= f.nMethods {
		return MethodRef{}, fmt.Errorf("dex: method %d of %d: %w", i, f.nMethods, ErrIndex)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	off := f.methodIDs + methodIDSize*int(i)
	budget := f.newBudget()
	cls, err := f.typeName(le16(f.b, off), &budget)
	if err != nil {
		return MethodRef{}, fmt.Errorf("dex: method %d: class: %w", i, err)
	}
	proto, err := f.proto(le16(f.b, off+2))
	if err != nil {
		return MethodRef{}, fmt.Errorf("dex: method %d: %w", i, err)
	}
	name, err := f.stringAt(le32(f.b, off+4), &budget)
	if err != nil {
		return MethodRef{}, fmt.Errorf("dex: method %d: name: %w", i, err)
	}
	return MethodRef{Class: cls, Name: name, Proto: proto}, nil
}

// MethodClass returns the type index of the class of method_ids[i], for
// attributing calls without decoding names.
func (f *File) MethodClass(i uint32) (uint32, error) {
	if i >= f.nMethods {
		return 0, fmt.Errorf("dex: method %d of %d: %w", i, f.nMethods, ErrIndex)
	}
	return le16(f.b, f.methodIDs+methodIDSize*int(i)), nil
}

// FieldClass returns the type index of the class that declares field i,
// without decoding any name.
func (f *File) FieldClass(i uint32) (uint32, error) {
	if i >= f.nFields {
		return 0, fmt.Errorf("dex: field %d of %d: %w", i, f.nFields, ErrIndex)
	}
	return le16(f.b, f.fieldIDs+fieldIDSize*int(i)), nil
}

// Field returns field_ids[i].
func (f *File) Field(i uint32) (FieldRef, error) {
	if i >= f.nFields {
		return FieldRef{}, fmt.Errorf("dex: field %d of %d: %w", i, f.nFields, ErrIndex)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	off := f.fieldIDs + fieldIDSize*int(i)
	budget := f.newBudget()
	cls, err := f.typeName(le16(f.b, off), &budget)
	if err != nil {
		return FieldRef{}, fmt.Errorf("dex: field %d: class: %w", i, err)
	}
	typ, err := f.typeName(le16(f.b, off+2), &budget)
	if err != nil {
		return FieldRef{}, fmt.Errorf("dex: field %d: type: %w", i, err)
	}
	name, err := f.stringAt(le32(f.b, off+4), &budget)
	if err != nil {
		return FieldRef{}, fmt.Errorf("dex: field %d: name: %w", i, err)
	}
	return FieldRef{Class: cls, Name: name, Type: typ}, nil
}

// FindType returns the index of the type whose dotted Java name is name
// ("android.telephony.TelephonyManager"), found by binary search of the
// sorted string and type tables without decoding other names; ok is false
// when the file does not reference the type. Only ASCII names are looked up.
// The DEX format requires string_ids to be sorted; on a file that breaks
// that rule (a tampered one) FindType may miss a type, so callers that
// cannot rule that out check the order first (Strings in order).
func (f *File) FindType(name string) (uint32, bool) {
	desc := make([]byte, 0, len(name)+2)
	desc = append(desc, 'L')
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == 0 || c >= 0x80 {
			return 0, false
		}
		if c == '.' {
			c = '/'
		}
		desc = append(desc, c)
	}
	desc = append(desc, ';')
	// string_ids are sorted by code point. For an ASCII needle, comparing
	// the raw MUTF-8 bytes agrees with that order: the first byte that
	// differs is either ASCII on both sides or >= 0x80 in the file, which
	// is a larger code point in both encodings.
	lo, hi := uint32(0), f.nStrings
	found := false
	for lo < hi {
		mid := lo + (hi-lo)/2
		c, err := f.compareString(mid, desc)
		if err != nil {
			return 0, false
		}
		switch {
		case c < 0:
			lo = mid + 1
		case c > 0:
			hi = mid
		default:
			lo, hi, found = mid, mid, true
		}
	}
	if !found {
		return 0, false
	}
	// type_ids are sorted by their string index.
	sidx := lo
	tlo, thi := uint32(0), f.nTypes
	for tlo < thi {
		mid := tlo + (thi-tlo)/2
		v := le32(f.b, f.typeIDs+typeIDSize*int(mid))
		switch {
		case v < sidx:
			tlo = mid + 1
		case v > sidx:
			thi = mid
		default:
			return mid, true
		}
	}
	return 0, false
}

// compareString compares the raw bytes of string i (up to its NUL) with s.
func (f *File) compareString(i uint32, s []byte) (int, error) {
	p, _, err := f.stringLoc(i)
	if err != nil {
		return 0, err
	}
	for j := 0; ; j++ {
		if p+j >= len(f.b) {
			return 0, fmt.Errorf("dex: string %d: unterminated: %w", i, ErrTruncated)
		}
		a := f.b[p+j]
		if j == len(s) {
			if a == 0 {
				return 0, nil
			}
			return 1, nil
		}
		if a == 0 {
			return -1, nil
		}
		if a != s[j] {
			if a < s[j] {
				return -1, nil
			}
			return 1, nil
		}
	}
}
