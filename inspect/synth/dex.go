package synth

import (
	"cmp"
	"crypto/sha1" //nolint:gosec // the DEX format defines its signature as SHA-1
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"slices"
	"strings"
	"unicode/utf16"
)

// DEX 035 writer (format: source.android.com/docs/core/runtime/dex-format).
// The layout follows what d8 produces and what ART's DexFileVerifier (run by
// dexdump) checks: id sections sorted, superclasses defined before their
// subclasses, 4-byte aligned code items and type lists, a map_list in offset
// order covering every section, and a correct adler32 checksum and SHA-1
// signature.

const (
	dexHeaderSize = 0x70
	dexEndianTag  = 0x12345678

	accPublic      = 0x0001
	accStatic      = 0x0008
	accConstructor = 0x10000

	mapHeader     = 0x0000
	mapStringIDs  = 0x0001
	mapTypeIDs    = 0x0002
	mapProtoIDs   = 0x0003
	mapMethodIDs  = 0x0005
	mapClassDefs  = 0x0006
	mapMapList    = 0x1000
	mapTypeList   = 0x1001
	mapClassData  = 0x2000
	mapCodeItem   = 0x2001
	mapStringData = 0x2002

	maxMethodIDs = 0xffff // invoke's method index is 16 bits
)

// protoDesc is a parsed method descriptor.
type protoDesc struct {
	params []string // type descriptors
	ret    string
}

func (p protoDesc) shorty() string {
	var b strings.Builder
	b.WriteByte(shortyChar(p.ret))
	for _, t := range p.params {
		b.WriteByte(shortyChar(t))
	}
	return b.String()
}

func (p protoDesc) key() string { return "(" + strings.Join(p.params, "") + ")" + p.ret }

// words is the number of registers the parameters take.
func (p protoDesc) words() int {
	n := 0
	for _, t := range p.params {
		n += typeWords(t)
	}
	return n
}

func shortyChar(t string) byte {
	if t[0] == '[' {
		return 'L'
	}
	return t[0]
}

func typeWords(t string) int {
	if t == "J" || t == "D" {
		return 2
	}
	return 1
}

// parseProto parses a method descriptor such as "(ILjava/lang/String;)V";
// "" is "()V".
func parseProto(s string) (protoDesc, error) {
	if s == "" {
		return protoDesc{ret: "V"}, nil
	}
	if s[0] != '(' {
		return protoDesc{}, fmt.Errorf("descriptor %q does not start with '('", s)
	}
	var p protoDesc
	i := 1
	for i < len(s) && s[i] != ')' {
		t, n, err := parseType(s[i:], false)
		if err != nil {
			return protoDesc{}, fmt.Errorf("descriptor %q: %w", s, err)
		}
		p.params = append(p.params, t)
		i += n
	}
	if i >= len(s) {
		return protoDesc{}, fmt.Errorf("descriptor %q: no ')'", s)
	}
	t, n, err := parseType(s[i+1:], true)
	if err != nil {
		return protoDesc{}, fmt.Errorf("descriptor %q: return type: %w", s, err)
	}
	if i+1+n != len(s) {
		return protoDesc{}, fmt.Errorf("descriptor %q: trailing characters", s)
	}
	p.ret = t
	if p.words() > 255 {
		return protoDesc{}, fmt.Errorf("descriptor %q: more than 255 parameter registers", s)
	}
	return p, nil
}

// parseType reads one type descriptor at the start of s and returns it and
// its length.
func parseType(s string, allowVoid bool) (string, int, error) {
	dims := 0
	for dims < len(s) && s[dims] == '[' {
		dims++
	}
	if dims > 255 {
		return "", 0, fmt.Errorf("array of more than 255 dimensions")
	}
	if dims == len(s) {
		return "", 0, fmt.Errorf("truncated type %q", s)
	}
	switch s[dims] {
	case 'Z', 'B', 'S', 'C', 'I', 'J', 'F', 'D':
		return s[:dims+1], dims + 1, nil
	case 'V':
		if !allowVoid || dims > 0 {
			return "", 0, fmt.Errorf("void parameter or array")
		}
		return "V", 1, nil
	case 'L':
		end := strings.IndexByte(s[dims:], ';')
		if end < 0 {
			return "", 0, fmt.Errorf("class type %q without ';'", s)
		}
		name := s[dims+1 : dims+end]
		for seg := range strings.SplitSeq(name, "/") {
			if !validSimpleName(seg) {
				return "", 0, fmt.Errorf("class type %q: bad name segment %q", s[:dims+end+1], seg)
			}
		}
		return s[:dims+end+1], dims + end + 1, nil
	}
	return "", 0, fmt.Errorf("bad type character %q", s[dims])
}

// validSimpleName reports whether s is a DEX SimpleName (dex-format
// "SimpleName" syntax, version 035: no spaces).
func validSimpleName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '$', r == '-', r == '_':
		case r >= 0xa1 && r <= 0x1fff, r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0xd7ff,
			r >= 0xe000 && r <= 0xffef, r >= 0x10000 && r <= 0x10ffff:
		default:
			return false
		}
	}
	return true
}

// classDesc turns a dotted class name into a descriptor.
func classDesc(dotted string) (string, error) {
	if !validDottedName(dotted) {
		return "", fmt.Errorf("class name %q is not a dotted Java name", dotted)
	}
	return "L" + strings.ReplaceAll(dotted, ".", "/") + ";", nil
}

// dexMethod is a method defined in a class, ready to encode.
type dexMethod struct {
	name   string
	proto  protoDesc
	flags  uint32
	consts []string
	calls  []dexCall
	ref    methodRef
	idx    uint32 // method_ids index, set after sorting
}

type dexCall struct {
	ref    methodRef
	static bool
}

// methodRef names a method_id.
type methodRef struct {
	class, name, proto string // class descriptor, name, proto key
}

type dexClass struct {
	desc, super string
	methods     []*dexMethod
}

// encodeDex encodes the classes as a DEX 035 file.
func encodeDex(classes []Class) ([]byte, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("synth: dex: %s: %w", fmt.Sprintf(format, a...), ErrInvalidSpec)
	}
	strs := map[string]bool{}
	types := map[string]bool{}
	protos := map[string]protoDesc{}
	refs := map[methodRef]bool{}
	addType := func(t string) { types[t] = true; strs[t] = true }
	addProto := func(p protoDesc) string {
		k := p.key()
		protos[k] = p
		strs[p.shorty()] = true
		addType(p.ret)
		for _, t := range p.params {
			addType(t)
		}
		return k
	}

	var dcs []*dexClass
	byDesc := map[string]*dexClass{}
	for _, c := range classes {
		desc, err := classDesc(c.Name)
		if err != nil {
			return nil, bad("%v", err)
		}
		if byDesc[desc] != nil {
			return nil, bad("class %s defined twice", c.Name)
		}
		dc := &dexClass{desc: desc}
		switch {
		case c.Super != "":
			if dc.super, err = classDesc(c.Super); err != nil {
				return nil, bad("class %s: superclass: %v", c.Name, err)
			}
		case desc != "Ljava/lang/Object;":
			dc.super = "Ljava/lang/Object;"
		}
		if dc.super == desc {
			return nil, bad("class %s is its own superclass", c.Name)
		}
		addType(desc)
		if dc.super != "" {
			addType(dc.super)
		}
		seen := map[string]bool{}
		for _, m := range c.Methods {
			p, err := parseProto(m.Proto)
			if err != nil {
				return nil, bad("%s.%s: %v", c.Name, m.Name, err)
			}
			dm := &dexMethod{name: m.Name, proto: p, flags: accPublic | accStatic, consts: m.ConstStrings}
			switch m.Name {
			case "<init>":
				dm.flags = accPublic | accConstructor
				if p.ret != "V" {
					return nil, bad("%s.<init> must return void", c.Name)
				}
				if p.words() > 254 {
					return nil, bad("%s.<init>: too many parameters", c.Name)
				}
			case "<clinit>":
				dm.flags = accStatic | accConstructor
				if p.key() != "()V" {
					return nil, bad("%s.<clinit> must be ()V", c.Name)
				}
			default:
				if !validSimpleName(m.Name) {
					return nil, bad("%s: method name %q", c.Name, m.Name)
				}
			}
			dm.ref = methodRef{desc, m.Name, addProto(p)}
			if seen[dm.ref.name+dm.ref.proto] {
				return nil, bad("%s.%s%s defined twice", c.Name, m.Name, dm.ref.proto)
			}
			seen[dm.ref.name+dm.ref.proto] = true
			refs[dm.ref] = true
			strs[m.Name] = true
			for _, s := range m.ConstStrings {
				strs[s] = true
			}
			for _, call := range m.Calls {
				cd, err := classDesc(call.Class)
				if err != nil {
					return nil, bad("%s.%s: call: %v", c.Name, m.Name, err)
				}
				if !validSimpleName(call.Name) && call.Name != "<init>" {
					return nil, bad("%s.%s: call to method %q", c.Name, m.Name, call.Name)
				}
				cp, err := parseProto(call.Proto)
				if err != nil {
					return nil, bad("%s.%s: call to %s.%s: %v", c.Name, m.Name, call.Class, call.Name, err)
				}
				if !call.Static && cp.words() > 254 {
					return nil, bad("%s.%s: call to %s.%s: too many parameters", c.Name, m.Name, call.Class, call.Name)
				}
				addType(cd)
				r := methodRef{cd, call.Name, addProto(cp)}
				refs[r] = true
				strs[call.Name] = true
				dm.calls = append(dm.calls, dexCall{ref: r, static: call.Static})
			}
			dc.methods = append(dc.methods, dm)
		}
		dcs = append(dcs, dc)
		byDesc[desc] = dc
	}
	if len(refs) > maxMethodIDs {
		return nil, bad("%d method references, more than one dex holds", len(refs))
	}

	// Superclasses first; classes otherwise in the order given.
	var ordered []*dexClass
	state := map[*dexClass]int{} // 1 visiting, 2 done
	var visit func(c *dexClass) error
	visit = func(c *dexClass) error {
		switch state[c] {
		case 1:
			return bad("superclass cycle through %s", c.desc)
		case 2:
			return nil
		}
		state[c] = 1
		if s := byDesc[c.super]; s != nil {
			if err := visit(s); err != nil {
				return err
			}
		}
		state[c] = 2
		ordered = append(ordered, c)
		return nil
	}
	for _, c := range dcs {
		if err := visit(c); err != nil {
			return nil, err
		}
	}

	// String, type, proto and method ids, each in the order the format requires.
	strList := make([]string, 0, len(strs))
	for s := range strs {
		strList = append(strList, s)
	}
	slices.SortFunc(strList, compareUTF16)
	strIdx := make(map[string]uint32, len(strList))
	for i, s := range strList {
		strIdx[s] = uint32(i)
	}
	typeList := make([]string, 0, len(types))
	for t := range types {
		typeList = append(typeList, t)
	}
	slices.SortFunc(typeList, func(a, b string) int { return cmp.Compare(strIdx[a], strIdx[b]) })
	typeIdx := make(map[string]uint32, len(typeList))
	for i, t := range typeList {
		typeIdx[t] = uint32(i)
	}
	protoList := make([]protoDesc, 0, len(protos))
	for _, p := range protos {
		protoList = append(protoList, p)
	}
	slices.SortFunc(protoList, func(a, b protoDesc) int {
		if c := cmp.Compare(typeIdx[a.ret], typeIdx[b.ret]); c != 0 {
			return c
		}
		for i := 0; i < len(a.params) && i < len(b.params); i++ {
			if c := cmp.Compare(typeIdx[a.params[i]], typeIdx[b.params[i]]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a.params), len(b.params))
	})
	protoIdx := make(map[string]uint32, len(protoList))
	for i, p := range protoList {
		protoIdx[p.key()] = uint32(i)
	}
	refList := make([]methodRef, 0, len(refs))
	for r := range refs {
		refList = append(refList, r)
	}
	slices.SortFunc(refList, func(a, b methodRef) int {
		if c := cmp.Compare(typeIdx[a.class], typeIdx[b.class]); c != 0 {
			return c
		}
		if c := cmp.Compare(strIdx[a.name], strIdx[b.name]); c != 0 {
			return c
		}
		return cmp.Compare(protoIdx[a.proto], protoIdx[b.proto])
	})
	refIdx := make(map[methodRef]uint32, len(refList))
	for i, r := range refList {
		refIdx[r] = uint32(i)
	}

	if len(typeList) > 0xffff || len(protoList) > 0xffff {
		return nil, bad("%d types and %d prototypes, more than one dex indexes", len(typeList), len(protoList))
	}

	// Layout: header, id sections, then the data section.
	off := uint32(dexHeaderSize)
	strIDsOff := off
	off += 4 * uint32(len(strList))
	typeIDsOff := off
	off += 4 * uint32(len(typeList))
	protoIDsOff := off
	off += 12 * uint32(len(protoList))
	methodIDsOff := off
	off += 8 * uint32(len(refList))
	classDefsOff := off
	off += 32 * uint32(len(ordered))
	dataOff := off

	var data []byte // the data section, from dataOff
	pos := func() uint32 { return dataOff + uint32(len(data)) }
	align4 := func() {
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
	}

	// Code items.
	codeOff := map[*dexMethod]uint32{}
	codeStart, nCode := pos(), 0
	for _, c := range ordered {
		for _, m := range c.methods {
			m.idx = refIdx[m.ref]
			align4()
			codeOff[m] = pos()
			nCode++
			data = append(data, encodeCode(m, strIdx, refIdx, protos)...)
		}
	}
	// Type lists (proto parameters), shared between protos with the same
	// parameters.
	align4()
	tlStart, nTL := pos(), 0
	tlOff := map[string]uint32{}
	for _, p := range protoList {
		if len(p.params) == 0 {
			continue
		}
		k := strings.Join(p.params, "")
		if _, ok := tlOff[k]; ok {
			continue
		}
		align4()
		tlOff[k] = pos()
		nTL++
		data = le32(data, uint32(len(p.params)))
		for _, t := range p.params {
			data = le16(data, uint16(typeIdx[t]))
		}
	}
	// String data.
	sdStart := pos()
	sdOff := make([]uint32, len(strList))
	for i, s := range strList {
		sdOff[i] = pos()
		data = binary.AppendUvarint(data, uint64(len(utf16.Encode([]rune(s)))))
		data = append(data, mutf8(s)...)
		data = append(data, 0)
	}
	// Class data.
	cdStart, nCD := pos(), 0
	cdOff := map[*dexClass]uint32{}
	for _, c := range ordered {
		if len(c.methods) == 0 {
			continue
		}
		cdOff[c] = pos()
		nCD++
		ms := slices.Clone(c.methods)
		slices.SortFunc(ms, func(a, b *dexMethod) int { return cmp.Compare(a.idx, b.idx) })
		data = binary.AppendUvarint(data, 0) // static fields
		data = binary.AppendUvarint(data, 0) // instance fields
		data = binary.AppendUvarint(data, uint64(len(ms)))
		data = binary.AppendUvarint(data, 0) // virtual methods
		prev := uint32(0)
		for i, m := range ms {
			diff := m.idx
			if i > 0 {
				diff = m.idx - prev
			}
			prev = m.idx
			data = binary.AppendUvarint(data, uint64(diff))
			data = binary.AppendUvarint(data, uint64(m.flags))
			data = binary.AppendUvarint(data, uint64(codeOff[m]))
		}
	}
	// Map list.
	align4()
	mapOff := pos()
	type mapItem struct {
		typ       uint16
		size, off uint32
	}
	items := []mapItem{{mapHeader, 1, 0}}
	add := func(typ uint16, size int, off uint32) {
		if size > 0 {
			items = append(items, mapItem{typ, uint32(size), off})
		}
	}
	add(mapStringIDs, len(strList), strIDsOff)
	add(mapTypeIDs, len(typeList), typeIDsOff)
	add(mapProtoIDs, len(protoList), protoIDsOff)
	add(mapMethodIDs, len(refList), methodIDsOff)
	add(mapClassDefs, len(ordered), classDefsOff)
	add(mapCodeItem, nCode, codeStart)
	add(mapTypeList, nTL, tlStart)
	add(mapStringData, len(strList), sdStart)
	add(mapClassData, nCD, cdStart)
	items = append(items, mapItem{mapMapList, 1, mapOff})
	data = le32(data, uint32(len(items)))
	for _, it := range items {
		data = le16(data, it.typ)
		data = le16(data, 0)
		data = le32(data, it.size)
		data = le32(data, it.off)
	}
	fileSize := dataOff + uint32(len(data))

	// Header and id sections.
	out := make([]byte, 0, fileSize)
	out = append(out, "dex\n035\x00"...)
	out = append(out, make([]byte, 24)...) // checksum and signature, filled last
	out = le32(out, fileSize)
	out = le32(out, dexHeaderSize)
	out = le32(out, dexEndianTag)
	out = le32(out, 0) // link_size
	out = le32(out, 0) // link_off
	out = le32(out, mapOff)
	section := func(n int, off uint32) {
		if n == 0 {
			off = 0
		}
		out = le32(out, uint32(n))
		out = le32(out, off)
	}
	section(len(strList), strIDsOff)
	section(len(typeList), typeIDsOff)
	section(len(protoList), protoIDsOff)
	section(0, 0) // field_ids
	section(len(refList), methodIDsOff)
	section(len(ordered), classDefsOff)
	out = le32(out, uint32(len(data)))
	out = le32(out, dataOff)
	for i := range strList {
		out = le32(out, sdOff[i])
	}
	for _, t := range typeList {
		out = le32(out, strIdx[t])
	}
	for _, p := range protoList {
		out = le32(out, strIdx[p.shorty()])
		out = le32(out, typeIdx[p.ret])
		out = le32(out, tlOff[strings.Join(p.params, "")]) // 0 without parameters
	}
	for _, r := range refList {
		out = le16(out, uint16(typeIdx[r.class]))
		out = le16(out, uint16(protoIdx[r.proto]))
		out = le32(out, strIdx[r.name])
	}
	for _, c := range ordered {
		out = le32(out, typeIdx[c.desc])
		out = le32(out, accPublic)
		if c.super == "" {
			out = le32(out, noIndex)
		} else {
			out = le32(out, typeIdx[c.super])
		}
		out = le32(out, 0)       // interfaces_off
		out = le32(out, noIndex) // source_file_idx
		out = le32(out, 0)       // annotations_off
		out = le32(out, cdOff[c])
		out = le32(out, 0) // static_values_off
	}
	out = append(out, data...)
	sum := sha1.Sum(out[32:]) //nolint:gosec // required by the format
	copy(out[12:32], sum[:])
	binary.LittleEndian.PutUint32(out[8:], adler32.Checksum(out[12:]))
	return out, nil
}

// encodeCode encodes the code_item of m: zero the locals, load each
// constant string, invoke each call with the locals as arguments, return.
func encodeCode(m *dexMethod, strIdx map[string]uint32, refIdx map[methodRef]uint32, protos map[string]protoDesc) []byte {
	ins := m.proto.words()
	if m.flags&accStatic == 0 {
		ins++ // this
	}
	locals, outs := 0, 0
	if len(m.consts) > 0 {
		locals = 1
	}
	for _, c := range m.calls {
		n := protos[c.ref.proto].words()
		if !c.static {
			n++
		}
		locals = max(locals, n)
		outs = max(outs, n)
	}
	switch m.proto.ret {
	case "V":
	case "J", "D":
		locals = max(locals, 2)
	default:
		locals = max(locals, 1)
	}
	var insns []uint16
	for r := range locals {
		if r < 16 {
			insns = append(insns, uint16(r)<<8|0x12) // const/4 vA, #0
		} else {
			insns = append(insns, uint16(r)<<8|0x13, 0) // const/16 vAA, #0
		}
	}
	for _, s := range m.consts {
		i := strIdx[s]
		if i <= 0xffff {
			insns = append(insns, 0x1a, uint16(i)) // const-string v0
		} else {
			insns = append(insns, 0x1b, uint16(i), uint16(i>>16)) // const-string/jumbo v0
		}
	}
	for _, c := range m.calls {
		n := protos[c.ref.proto].words()
		if !c.static {
			n++
		}
		idx := uint16(refIdx[c.ref])
		if n <= 5 {
			op := uint16(0x6e) // invoke-virtual
			if c.static {
				op = 0x71
			}
			// Arguments v0..v(n-1) in the C, D, E, F and G nibbles.
			var g, regs uint16
			for i := range min(n, 4) {
				regs |= uint16(i) << (4 * i)
			}
			if n == 5 {
				g = 4
			}
			insns = append(insns, uint16(n)<<12|g<<8|op, idx, regs)
		} else {
			op := uint16(0x74) // invoke-virtual/range
			if c.static {
				op = 0x77
			}
			insns = append(insns, uint16(n)<<8|op, idx, 0)
		}
	}
	switch m.proto.ret {
	case "V":
		insns = append(insns, 0x0e) // return-void
	case "J", "D":
		insns = append(insns, 0x0010) // return-wide v0
	default:
		if r := m.proto.ret[0]; r == 'L' || r == '[' {
			insns = append(insns, 0x0011) // return-object v0
		} else {
			insns = append(insns, 0x000f) // return v0
		}
	}
	b := make([]byte, 0, 16+2*len(insns))
	b = le16(b, uint16(locals+ins))
	b = le16(b, uint16(ins))
	b = le16(b, uint16(outs))
	b = le16(b, 0) // tries
	b = le32(b, 0) // debug_info_off
	b = le32(b, uint32(len(insns)))
	for _, u := range insns {
		b = le16(b, u)
	}
	return b
}

// compareUTF16 orders strings by their UTF-16 code units, the order of a
// DEX string_ids section.
func compareUTF16(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	return slices.Compare(ua, ub)
}

// mutf8 encodes s as Modified UTF-8: U+0000 as two bytes and supplementary
// characters as two three-byte surrogates.
func mutf8(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		switch {
		case u != 0 && u < 0x80:
			b = append(b, byte(u))
		case u < 0x800:
			b = append(b, 0xc0|byte(u>>6), 0x80|byte(u&0x3f))
		default:
			b = append(b, 0xe0|byte(u>>12), 0x80|byte(u>>6&0x3f), 0x80|byte(u&0x3f))
		}
	}
	return b
}
