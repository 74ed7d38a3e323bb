package dex

import (
	"crypto/sha1"
	"encoding/binary"
	"hash/adler32"
	"sort"
	"unicode/utf16"
)

// This file is a small DEX writer for tests: it lays out a header, the id
// sections, string data, type lists, code items, class data and a map list
// the way dx/d8 do, with offsets either from the start of the file or, for
// 041 containers, from the start of the container.

type tProto struct {
	shorty, ret uint32 // string index, type index
	params      []uint16
}

type tRef struct { // method_id_item or field_id_item
	class, protoOrType uint16
	name               uint32
}

type tMethod struct {
	idx   uint32
	insns []uint16 // nil: no code (abstract or native)
}

type tClass struct {
	typ             uint32
	super           uint32
	staticFields    []uint32
	instanceFields  []uint32
	direct, virtual []tMethod
	noData          bool // class_data_off = 0
}

type dexSpec struct {
	version string // "035" … "041"
	strs    []string
	types   []uint32
	protos  []tProto
	fields  []tRef
	methods []tRef
	classes []tClass
	// fromHeader writes every offset of a 041 container entry relative to
	// its own header instead of the container start.
	fromHeader bool
}

// encodeMUTF8 returns the modified UTF-8 form of s and its UTF-16 length.
func encodeMUTF8(s string) ([]byte, int) {
	var out []byte
	units := utf16.Encode([]rune(s))
	for _, u := range units {
		switch {
		case u != 0 && u < 0x80:
			out = append(out, byte(u))
		case u < 0x800:
			out = append(out, 0xc0|byte(u>>6), 0x80|byte(u&0x3f))
		default:
			out = append(out, 0xe0|byte(u>>12), 0x80|byte(u>>6&0x3f), 0x80|byte(u&0x3f))
		}
	}
	return out, len(units)
}

func appendUleb(b []byte, v uint32) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func align4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// bytes builds a stand-alone DEX file.
func (d *dexSpec) bytes() []byte {
	b := d.build(0)
	finishDex(b, 0, len(b))
	return b
}

// build lays the DEX out as if it started at offset base of its container.
// The checksum and signature are left to finishDex.
func (d *dexSpec) build(at0 int) []byte {
	le := binary.LittleEndian
	base := at0 // added to every offset written
	if d.fromHeader {
		base = 0
	}
	hdr := 0x70
	if d.version >= "041" {
		hdr = 0x78
	}
	strOff := hdr
	typeOff := strOff + 4*len(d.strs)
	protoOff := typeOff + 4*len(d.types)
	fieldOff := protoOff + 12*len(d.protos)
	methodOff := fieldOff + 8*len(d.fields)
	classOff := methodOff + 8*len(d.methods)
	dataOff := classOff + 32*len(d.classes)

	// Data section, built with local offsets counted from the DEX start.
	data := make([]byte, 0, 1024)
	at := func() int { return dataOff + len(data) }
	strData := make([]int, len(d.strs))
	strStart := at()
	for i, s := range d.strs {
		strData[i] = at()
		enc, n := encodeMUTF8(s)
		data = appendUleb(data, uint32(n))
		data = append(data, enc...)
		data = append(data, 0)
	}
	data = align4(data)
	typeListStart := at()
	params := make([]int, len(d.protos))
	nTypeLists := 0
	for i, p := range d.protos {
		if len(p.params) == 0 {
			continue
		}
		nTypeLists++
		params[i] = at()
		data = le.AppendUint32(data, uint32(len(p.params)))
		for _, t := range p.params {
			data = le.AppendUint16(data, t)
		}
		data = align4(data)
	}
	codeStart := at()
	nCode := 0
	codeOff := make([][2][]int, len(d.classes))
	for ci, c := range d.classes {
		for li, list := range [2][]tMethod{c.direct, c.virtual} {
			codeOff[ci][li] = make([]int, len(list))
			for mi, m := range list {
				if m.insns == nil {
					continue
				}
				nCode++
				codeOff[ci][li][mi] = at()
				data = le.AppendUint16(data, 16) // registers_size
				data = le.AppendUint16(data, 1)  // ins_size
				data = le.AppendUint16(data, 5)  // outs_size
				data = le.AppendUint16(data, 0)  // tries_size
				data = le.AppendUint32(data, 0)  // debug_info_off
				data = le.AppendUint32(data, uint32(len(m.insns)))
				for _, u := range m.insns {
					data = le.AppendUint16(data, u)
				}
				data = align4(data)
			}
		}
	}
	classDataStart := at()
	classData := make([]int, len(d.classes))
	nClassData := 0
	for ci, c := range d.classes {
		if c.noData {
			continue
		}
		nClassData++
		classData[ci] = at()
		data = appendUleb(data, uint32(len(c.staticFields)))
		data = appendUleb(data, uint32(len(c.instanceFields)))
		data = appendUleb(data, uint32(len(c.direct)))
		data = appendUleb(data, uint32(len(c.virtual)))
		for _, fl := range [2][]uint32{c.staticFields, c.instanceFields} {
			prev := uint32(0)
			for k, fi := range fl {
				diff := fi
				if k > 0 {
					diff = fi - prev
				}
				prev = fi
				data = appendUleb(data, diff)
				data = appendUleb(data, 1)
			}
		}
		for li, list := range [2][]tMethod{c.direct, c.virtual} {
			prev := uint32(0)
			for k, m := range list {
				diff := m.idx
				if k > 0 {
					diff = m.idx - prev
				}
				prev = m.idx
				data = appendUleb(data, diff)
				data = appendUleb(data, 1) // ACC_PUBLIC
				off := 0
				if co := codeOff[ci][li][k]; co != 0 {
					off = co + base
				}
				data = appendUleb(data, uint32(off))
			}
		}
	}
	data = align4(data)
	mapOff := at()
	type mapItem struct{ typ, size, off int }
	items := []mapItem{{0x0000, 1, 0}}
	add := func(typ, size, off int) {
		if size > 0 {
			items = append(items, mapItem{typ, size, off})
		}
	}
	add(0x0001, len(d.strs), strOff)
	add(0x0002, len(d.types), typeOff)
	add(0x0003, len(d.protos), protoOff)
	add(0x0004, len(d.fields), fieldOff)
	add(0x0005, len(d.methods), methodOff)
	add(0x0006, len(d.classes), classOff)
	add(0x2002, len(d.strs), strStart)
	add(0x1001, nTypeLists, typeListStart)
	add(0x2001, nCode, codeStart)
	add(0x2000, nClassData, classDataStart)
	add(0x1000, 1, mapOff)
	sort.SliceStable(items, func(i, j int) bool { return items[i].off < items[j].off })
	data = le.AppendUint32(data, uint32(len(items)))
	for _, it := range items {
		data = le.AppendUint16(data, uint16(it.typ))
		data = le.AppendUint16(data, 0)
		data = le.AppendUint32(data, uint32(it.size))
		data = le.AppendUint32(data, uint32(it.off+base))
	}

	total := dataOff + len(data)
	b := make([]byte, dataOff, total)
	b = append(b, data...)
	copy(b, "dex\n"+d.version+"\x00")
	le.PutUint32(b[32:], uint32(total))
	le.PutUint32(b[36:], uint32(hdr))
	le.PutUint32(b[40:], endianTag)
	le.PutUint32(b[52:], uint32(mapOff+base))
	sec := func(at, n, off int) {
		le.PutUint32(b[at:], uint32(n))
		if n > 0 {
			le.PutUint32(b[at+4:], uint32(off+base))
		}
	}
	sec(56, len(d.strs), strOff)
	sec(64, len(d.types), typeOff)
	sec(72, len(d.protos), protoOff)
	sec(80, len(d.fields), fieldOff)
	sec(88, len(d.methods), methodOff)
	sec(96, len(d.classes), classOff)
	if hdr == 0x70 {
		sec(104, len(data), dataOff)
	}
	if hdr == 0x78 {
		le.PutUint32(b[116:], uint32(at0)) // header_offset; container_size set by the caller
	}
	for i, off := range strData {
		le.PutUint32(b[strOff+4*i:], uint32(off+base))
	}
	for i, s := range d.types {
		le.PutUint32(b[typeOff+4*i:], s)
	}
	for i, p := range d.protos {
		o := protoOff + 12*i
		le.PutUint32(b[o:], p.shorty)
		le.PutUint32(b[o+4:], p.ret)
		if params[i] != 0 {
			le.PutUint32(b[o+8:], uint32(params[i]+base))
		}
	}
	for i, r := range d.fields {
		o := fieldOff + 8*i
		le.PutUint16(b[o:], r.class)
		le.PutUint16(b[o+2:], r.protoOrType)
		le.PutUint32(b[o+4:], r.name)
	}
	for i, r := range d.methods {
		o := methodOff + 8*i
		le.PutUint16(b[o:], r.class)
		le.PutUint16(b[o+2:], r.protoOrType)
		le.PutUint32(b[o+4:], r.name)
	}
	for i, c := range d.classes {
		o := classOff + 32*i
		le.PutUint32(b[o:], c.typ)
		le.PutUint32(b[o+4:], 1)
		le.PutUint32(b[o+8:], c.super)
		le.PutUint32(b[o+16:], 0xffffffff) // source_file_idx: NO_INDEX
		if classData[i] != 0 {
			le.PutUint32(b[o+24:], uint32(classData[i]+base))
		}
	}
	return b
}

// finishDex writes the SHA-1 signature and adler32 checksum of the DEX at
// c[start:end].
func finishDex(c []byte, start, end int) {
	sum := sha1.Sum(c[start+32 : end])
	copy(c[start+12:], sum[:])
	binary.LittleEndian.PutUint32(c[start+8:], adler32.Checksum(c[start+12:end]))
}

// container concatenates DEX specs (version 041) into one container.
func container(specs ...*dexSpec) []byte {
	var c []byte
	var starts []int
	for _, s := range specs {
		starts = append(starts, len(c))
		c = append(c, s.build(len(c))...)
		c = align4(c)
	}
	for i, st := range starts {
		end := len(c)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		binary.LittleEndian.PutUint32(c[st+32:], uint32(end-st))
		binary.LittleEndian.PutUint32(c[st+112:], uint32(len(c)))
	}
	for i, st := range starts {
		end := len(c)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		finishDex(c, st, end)
	}
	return c
}
