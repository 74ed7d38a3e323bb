package apk

// A tiny encoder for binary XML, resources.arsc and APK zips, so the tests
// build their own inputs and need nothing from ../shared.

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf16"
)

type le struct{ bytes.Buffer }

func (b *le) u8(v uint8)   { b.WriteByte(v) }
func (b *le) u16(v uint16) { binary.Write(&b.Buffer, binary.LittleEndian, v) }
func (b *le) u32(v uint32) { binary.Write(&b.Buffer, binary.LittleEndian, v) }

// encodePool encodes a UTF-16 string pool chunk.
func encodePool(strs []string) []byte {
	var data le
	var offs []uint32
	for _, s := range strs {
		offs = append(offs, uint32(data.Len()))
		u := utf16.Encode([]rune(s))
		data.u16(uint16(len(u)))
		for _, c := range u {
			data.u16(c)
		}
		data.u16(0)
	}
	for data.Len()%4 != 0 {
		data.u8(0)
	}
	hdr := 28
	start := hdr + 4*len(strs)
	var b le
	b.u16(chunkStringPool)
	b.u16(uint16(hdr))
	b.u32(uint32(start + data.Len()))
	b.u32(uint32(len(strs)))
	b.u32(0)
	b.u32(0)
	b.u32(uint32(start))
	b.u32(0)
	for _, o := range offs {
		b.u32(o)
	}
	b.Write(data.Bytes())
	return b.Bytes()
}

// xattr is an attribute for the AXML builder.
type xattr struct {
	ns, name string
	str      *string // raw string value
	typ      uint8
	data     uint32
	// rawText, when set, is written as the raw value instead of str (the
	// typed value stays str): a raw/typed mismatch.
	rawText *string
}

// encodeUnsorted leaves attributes in the given order (tests of
// unsorted_attrs).
var encodeUnsorted bool

func aStr(name, v string) xattr { return xattr{ns: androidNS, name: name, str: &v, typ: typeString} }
func aInt(name string, v uint32) xattr {
	return xattr{ns: androidNS, name: name, typ: typeIntDec, data: v}
}
func aHex(name string, v uint32) xattr {
	return xattr{ns: androidNS, name: name, typ: typeIntHex, data: v}
}
func aBool(name string, v bool) xattr {
	d := uint32(0)
	if v {
		d = 0xffffffff
	}
	return xattr{ns: androidNS, name: name, typ: typeIntBoolean, data: d}
}
func aRef(name string, id uint32) xattr {
	return xattr{ns: androidNS, name: name, typ: typeReference, data: id}
}
func aPlain(name, v string) xattr { return xattr{name: name, str: &v, typ: typeString} }

// xnode is an element for the AXML builder.
type xnode struct {
	tag   string
	attrs []xattr
	kids  []xnode
}

func el(tag string, attrs []xattr, kids ...xnode) xnode { return xnode{tag, attrs, kids} }

// encodeAXML encodes a document with the android namespace declared.
func encodeAXML(root xnode) []byte {
	idx := map[string]uint32{}
	var strs []string
	ref := func(s string) uint32 {
		if i, ok := idx[s]; ok {
			return i
		}
		idx[s] = uint32(len(strs))
		strs = append(strs, s)
		return idx[s]
	}
	// As aapt lays it out: the android attribute names first, in the order
	// of the resource map that gives their ids.
	var ids []uint32
	var collect func(n xnode)
	collect = func(n xnode) {
		for _, a := range n.attrs {
			if a.ns == androidNS {
				if _, ok := idx[a.name]; !ok {
					ref(a.name)
					ids = append(ids, androidAttrIDs[a.name])
				}
			}
		}
		for _, k := range n.kids {
			collect(k)
		}
	}
	collect(root)
	ref("")
	ref("android")
	ref(androidNS)
	var body le
	node := func(typ uint16, size uint32) {
		body.u16(typ)
		body.u16(16)
		body.u32(size)
		body.u32(1)      // line
		body.u32(nilRef) // comment
	}
	node(chunkXMLStartNS, 24)
	body.u32(ref("android"))
	body.u32(ref(androidNS))
	var walk func(n xnode)
	walk = func(n xnode) {
		// aapt writes attributes sorted by resource id, those without last.
		n.attrs = slices.Clone(n.attrs)
		slices.SortStableFunc(n.attrs, func(a, b xattr) int {
			if encodeUnsorted {
				return 0
			}
			key := func(x xattr) uint64 {
				if x.ns == androidNS {
					return uint64(androidAttrIDs[x.name])
				}
				return 1 << 40
			}
			return cmp.Compare(key(a), key(b))
		})
		node(chunkXMLStart, uint32(16+20+20*len(n.attrs)))
		body.u32(nilRef)
		body.u32(ref(n.tag))
		body.u16(20)
		body.u16(20)
		body.u16(uint16(len(n.attrs)))
		body.u16(0)
		body.u16(0)
		body.u16(0)
		for _, a := range n.attrs {
			if a.ns != "" {
				body.u32(ref(a.ns))
			} else {
				body.u32(nilRef)
			}
			body.u32(ref(a.name))
			data := a.data
			if a.str != nil {
				data = ref(*a.str)
				if a.rawText != nil {
					body.u32(ref(*a.rawText))
				} else {
					body.u32(data)
				}
			} else {
				body.u32(nilRef)
			}
			body.u16(8)
			body.u8(0)
			body.u8(a.typ)
			body.u32(data)
		}
		for _, k := range n.kids {
			walk(k)
		}
		node(chunkXMLEnd, 24)
		body.u32(nilRef)
		body.u32(ref(n.tag))
	}
	walk(root)
	node(chunkXMLEndNS, 24)
	body.u32(ref("android"))
	body.u32(ref(androidNS))

	pool := encodePool(strs)
	var resMap le
	resMap.u16(chunkXMLResMap)
	resMap.u16(8)
	resMap.u32(uint32(8 + 4*len(ids)))
	for _, id := range ids {
		resMap.u32(id)
	}
	var out le
	out.u16(chunkXML)
	out.u16(8)
	out.u32(uint32(8 + len(pool) + resMap.Len() + body.Len()))
	out.Write(pool)
	out.Write(resMap.Bytes())
	out.Write(body.Bytes())
	return out.Bytes()
}

// rvalue is one configuration's value of an arsc entry.
type rvalue struct {
	lang, region string
	density      uint16
	typ          uint8
	data         uint32 // for typeString: index into the global pool (set by the builder)
	str          string
}

// rentry is one resource for the arsc builder: type id (1-based), entry index.
type rentry struct {
	typeID uint8
	entry  uint16
	values []rvalue
}

// encodeARSC encodes a one-package (0x7f) resource table. Types are named
// t1, t2 …; sparse selects FLAG_SPARSE type chunks.
func encodeARSC(entries []rentry, sparse bool) []byte {
	var global []string
	gidx := map[string]uint32{}
	for i := range entries {
		for j := range entries[i].values {
			v := &entries[i].values[j]
			if v.typ == typeString {
				if _, ok := gidx[v.str]; !ok {
					gidx[v.str] = uint32(len(global))
					global = append(global, v.str)
				}
				v.data = gidx[v.str]
			}
		}
	}
	// group: type -> config key -> entries
	type cfgKey struct {
		lang, region string
		density      uint16
	}
	maxType := uint8(0)
	groups := map[uint8]map[cfgKey]map[uint16]rvalue{}
	var order []struct {
		t uint8
		k cfgKey
	}
	for _, e := range entries {
		maxType = max(maxType, e.typeID)
		if groups[e.typeID] == nil {
			groups[e.typeID] = map[cfgKey]map[uint16]rvalue{}
		}
		for _, v := range e.values {
			k := cfgKey{v.lang, v.region, v.density}
			if groups[e.typeID][k] == nil {
				groups[e.typeID][k] = map[uint16]rvalue{}
				order = append(order, struct {
					t uint8
					k cfgKey
				}{e.typeID, k})
			}
			groups[e.typeID][k][e.entry] = v
		}
	}
	var typeNames, keyNames []string
	for i := uint8(1); i <= maxType; i++ {
		typeNames = append(typeNames, "t"+string(rune('0'+i)))
	}
	keyNames = []string{"k"}
	var chunks le
	for _, o := range order {
		m := groups[o.t][o.k]
		count := uint16(0)
		for idx := range m {
			count = max(count, idx+1)
		}
		const hdr = 20 + 64
		var offsets, data le
		var sparseIdx []uint16
		for i := uint16(0); i < count; i++ {
			v, ok := m[i]
			if !ok {
				if !sparse {
					offsets.u32(0xffffffff)
				}
				continue
			}
			if sparse {
				sparseIdx = append(sparseIdx, i)
				offsets.u16(i)
				offsets.u16(uint16(data.Len() / 4))
			} else {
				offsets.u32(uint32(data.Len()))
			}
			data.u16(8)
			data.u16(0)
			data.u32(0) // key "k"
			data.u16(8)
			data.u8(0)
			data.u8(v.typ)
			data.u32(v.data)
		}
		n := uint32(count)
		flags := uint8(0)
		if sparse {
			n = uint32(len(sparseIdx))
			flags = typeFlagSparse
		}
		start := hdr + offsets.Len()
		chunks.u16(chunkTableType)
		chunks.u16(hdr)
		chunks.u32(uint32(start + data.Len()))
		chunks.u8(o.t)
		chunks.u8(flags)
		chunks.u16(0)
		chunks.u32(n)
		chunks.u32(uint32(start))
		var cfg [64]byte
		binary.LittleEndian.PutUint32(cfg[:], 64)
		copy(cfg[8:10], o.k.lang)
		copy(cfg[10:12], o.k.region)
		binary.LittleEndian.PutUint16(cfg[14:], o.k.density)
		chunks.Write(cfg[:])
		chunks.Write(offsets.Bytes())
		chunks.Write(data.Bytes())
	}
	tpool, kpool := encodePool(typeNames), encodePool(keyNames)
	const pkgHdr = 288
	var pkg le
	pkg.u16(chunkTablePackage)
	pkg.u16(pkgHdr)
	pkg.u32(uint32(pkgHdr + len(tpool) + len(kpool) + chunks.Len()))
	pkg.u32(0x7f)
	var name [256]byte
	copy(name[:], []byte{'t', 0, 'e', 0, 's', 0, 't', 0})
	pkg.Write(name[:])
	pkg.u32(pkgHdr)
	pkg.u32(uint32(maxType))
	pkg.u32(uint32(pkgHdr + len(tpool)))
	pkg.u32(1)
	pkg.u32(0)
	pkg.Write(tpool)
	pkg.Write(kpool)
	pkg.Write(chunks.Bytes())

	gpool := encodePool(global)
	var out le
	out.u16(chunkTable)
	out.u16(12)
	out.u32(uint32(12 + len(gpool) + pkg.Len()))
	out.u32(1)
	out.Write(gpool)
	out.Write(pkg.Bytes())
	return out.Bytes()
}

// zfile is a file for the zip builder.
type zfile struct {
	name   string
	data   []byte
	method uint16
}

// buildZip writes a zip with the files, in order.
func buildZip(t testing.TB, files ...zfile) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.name, Method: f.method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeTemp writes data to a file called name in a new temp dir.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
