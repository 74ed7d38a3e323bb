package apk

// Our own binary XML reader. It replaces github.com/shogo82148/androidbinary,
// which converted the binary XML to text XML and let encoding/xml match
// attributes by namespace URI and name string (no option reads them by
// resource id, so it could not be kept for the manifest). Android
// does not: the package parser asks the resource system for attributes by
// resource id (the XML's resource map), reads the strings of a pool only
// when they are used, and skips chunks it does not know. Protectors exploit
// the difference (empty or wrong attribute names with valid resource ids, a
// bogus android namespace URI, no namespace at all, a decoy android:name
// without resource id beside the real one, unused strings with bad offsets,
// padded headers, unknown chunks), and androidbinary either fails ("invalid
// reference: 0x0000000A" on a DexGuard 6.1 APK) or reports the decoy's
// value. This reader follows Android (and aapt's dump badging, which also
// looks attributes up by resource id) and records every such construction
// as a ManifestTrick.

import (
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

const (
	chunkXMLCData  = 0x0104
	chunkXMLResMap = 0x0180
	// Res_value types (ResourceTypes.h).
	valNull      = 0x00
	valReference = 0x01
	valAttribute = 0x02
	valString    = 0x03
	valIntDec    = 0x10
	valIntHex    = 0x11
	valBool      = 0x12
	// maxXMLElements bounds the elements of one binary XML document.
	maxXMLElements = 200_000
)

// androidAttrIDs are the resource ids of the android: attributes the
// manifest decoder reads (frameworks/base core/res/res/values/public.xml;
// the ones the fixtures use were checked against `aapt dump xmltree`).
var androidAttrIDs = map[string]uint32{
	"label": 0x01010001, "icon": 0x01010002, "name": 0x01010003,
	"permission": 0x01010006, "readPermission": 0x01010007, "writePermission": 0x01010008,
	"protectionLevel": 0x01010009, "permissionGroup": 0x0101000a,
	"enabled": 0x0101000e, "debuggable": 0x0101000f, "exported": 0x01010010,
	"process": 0x01010011, "authorities": 0x01010018,
	"value": 0x01010024, "resource": 0x01010025, "mimeType": 0x01010026,
	"scheme": 0x01010027, "host": 0x01010028, "port": 0x01010029,
	"path": 0x0101002a, "pathPrefix": 0x0101002b, "pathPattern": 0x0101002c,
	"targetActivity": 0x01010202, "minSdkVersion": 0x0101020c,
	"versionCode": 0x0101021b, "versionName": 0x0101021c,
	"targetSdkVersion": 0x01010270, "maxSdkVersion": 0x01010271, "testOnly": 0x01010272,
	"allowBackup": 0x01010280, "extractNativeLibs": 0x010104ea,
	"usesCleartextTraffic": 0x010104ec, "networkSecurityConfig": 0x01010527,
	"roundIcon": 0x0101052c, "compileSdkVersion": 0x01010572, "versionCodeMajor": 0x01010576,
	"requestLegacyExternalStorage": 0x01010603, "pathSuffix": 0x0101061e,
	"pathAdvancedPattern": 0x01010620,
}

var androidAttrNames = func() map[uint32]string {
	m := make(map[uint32]string, len(androidAttrIDs))
	for n, id := range androidAttrIDs {
		m[id] = n
	}
	return m
}()

// ManifestTrick is a construction in the binary manifest that Android reads
// past, or reads differently from a decoder that goes by names: evidence of
// a protector or of an intent to mislead analysis tools.
type ManifestTrick struct {
	Code   string `json:"code"`
	Count  int    `json:"count"`
	Detail string `json:"detail"` // the first occurrence
	EN     string `json:"en"`
	ZH     string `json:"zh"`
}

// trickTexts describes each trick code (en, zh).
var trickTexts = map[string][2]string{
	"attr_name_empty":        {"attribute with a valid resource id but an empty name string (read by id, as Android does)", "属性名字符串为空但资源 ID 有效（按资源 ID 读取，与 Android 一致）"},
	"attr_name_mismatch":     {"attribute whose name string differs from the name of its resource id (read by id)", "属性名字符串与其资源 ID 对应的名称不符（按资源 ID 读取）"},
	"attr_namespace_bogus":   {"android attribute (by resource id) under a namespace URI other than Android's", "按资源 ID 属于 android 的属性使用了非 Android 的命名空间 URI"},
	"attr_namespace_nil":     {"android attribute (by resource id) without a namespace", "按资源 ID 属于 android 的属性没有命名空间"},
	"decoy_attr_no_res_id":   {"android: attribute without a resource id, ignored by Android (a decoy beside the real one, or a stripped build)", "没有资源 ID 的 android: 属性，Android 忽略它（诱饵属性或被剥离的构建）"},
	"duplicate_attr":         {"the same attribute twice on one element (the first is used)", "同一元素上重复的属性（使用第一个）"},
	"unsorted_attrs":         {"attributes not sorted by resource id (the platform's merge may miss some; read as aapt does)", "属性未按资源 ID 排序（平台的合并读取可能遗漏；按 aapt 方式读取）"},
	"typed_raw_mismatch":     {"string attribute whose raw text differs from its typed value (Android uses the typed value)", "字符串属性的原始文本与类型化值不同（Android 使用类型化值）"},
	"bad_unused_strings":     {"string pool entries with bad offsets or lengths (Android fails only on those it reads)", "字符串池中偏移或长度无效的条目（Android 仅在读取它们时出错）"},
	"bad_string_reference":   {"reference to a missing or undecodable string, read as empty", "引用了不存在或无法解码的字符串，按空串处理"},
	"padded_header":          {"chunk header longer than the format's (Android skips the padding)", "块头长于格式规定（Android 跳过填充）"},
	"unknown_chunk":          {"chunk of an unknown type (skipped, as Android does)", "未知类型的块（与 Android 一样跳过）"},
	"trailing_data":          {"bytes after the end of the XML document", "XML 文档结束后还有数据"},
	"extra_root":             {"elements after the root element (Android stops at the end of <manifest>)", "根元素之后还有元素（Android 在 </manifest> 处停止）"},
	"unmatched_end":          {"end tag without a matching start tag", "没有对应开始标签的结束标签"},
	"chunk_after_first_node": {"string pool or resource map after the first XML node (Android does not read it)", "在第一个 XML 节点之后出现字符串池或资源映射（Android 不读取）"},
}

// trickSet accumulates tricks by code.
type trickSet struct {
	order []string
	by    map[string]*ManifestTrick
}

func (t *trickSet) add(code, format string, args ...any) {
	if t.by == nil {
		t.by = map[string]*ManifestTrick{}
	}
	if tr, ok := t.by[code]; ok {
		tr.Count++
		return
	}
	txt := trickTexts[code]
	t.by[code] = &ManifestTrick{Code: code, Count: 1, Detail: fmt.Sprintf(format, args...), EN: txt[0], ZH: txt[1]}
	t.order = append(t.order, code)
}

func (t *trickSet) list() []ManifestTrick {
	out := []ManifestTrick{}
	for _, c := range t.order {
		out = append(out, *t.by[c])
	}
	return out
}

// axAttr is one attribute as stored.
type axAttr struct {
	ns, name, raw uint32
	typ           uint8
	data          uint32
	resID         uint32 // 0 when the name has no resource id
}

// axElem is an element with its attributes and children.
type axElem struct {
	name     string
	attrs    []axAttr
	children []*axElem
	used     map[int]bool // attributes read (by index)
}

// axDoc is a decoded binary XML document.
type axDoc struct {
	pool   *stringPool
	resIDs []uint32
	root   *axElem
	tricks trickSet
}

// parseAXML reads a binary XML document as Android's ResXMLTree does:
// the string pool and resource map that precede the first node, then the
// nodes; unknown chunks are skipped, strings decoded only when used.
func parseAXML(b []byte) (*axDoc, error) {
	const what = "binary xml"
	if len(b) > maxXMLSize {
		return nil, fmt.Errorf("%s: %d bytes (limit %d): %w", what, len(b), maxXMLSize, ErrLimit)
	}
	root, err := readChunk(b, 0, what)
	if err != nil {
		return nil, err
	}
	if root.typ != chunkXML {
		return nil, fmt.Errorf("%s: first chunk type 0x%04x, want 0x0003: %w", what, root.typ, ErrFormat)
	}
	doc := &axDoc{}
	if len(root.data) < len(b) {
		doc.tricks.add("trailing_data", "%d bytes after the document", len(b)-len(root.data))
	}
	if root.headerSize > 8 {
		doc.tricks.add("padded_header", "xml header of %d bytes", root.headerSize)
	}
	var stack []*axElem
	elements := 0
	nodes := false
	rootDone := false
	for off := root.headerSize; off < len(root.data); {
		c, err := readChunk(root.data, off, what)
		if err != nil {
			return nil, err
		}
		d := c.data
		isNode := c.typ >= 0x0100 && c.typ <= 0x017f && c.typ != chunkXMLResMap
		switch {
		case c.typ == chunkStringPool || c.typ == chunkXMLResMap:
			if nodes {
				doc.tricks.add("chunk_after_first_node", "chunk 0x%04x at %d", c.typ, off)
				break
			}
			if c.typ == chunkStringPool {
				if c.headerSize > 28 {
					doc.tricks.add("padded_header", "string pool header of %d bytes", c.headerSize)
				}
				if doc.pool, err = parseStringPool(c, what); err != nil {
					return nil, err
				}
				break
			}
			if c.headerSize > 8 {
				doc.tricks.add("padded_header", "resource map header of %d bytes", c.headerSize)
			}
			n := (len(d) - c.headerSize) / 4
			doc.resIDs = make([]uint32, n)
			for i := range n {
				doc.resIDs[i] = binary.LittleEndian.Uint32(d[c.headerSize+4*i:])
			}
		case isNode:
			nodes = true
			if c.headerSize < 16 {
				return nil, fmt.Errorf("%s: node 0x%04x at %d: header size %d: %w", what, c.typ, off, c.headerSize, ErrFormat)
			}
			if c.headerSize > 16 {
				doc.tricks.add("padded_header", "node 0x%04x at %d with a header of %d bytes", c.typ, off, c.headerSize)
			}
			switch c.typ {
			case chunkXMLStartNS, chunkXMLEndNS, chunkXMLCData:
				// Namespaces are not needed: attributes are read by resource
				// id, and the android namespace URI is compared as a string.
			case chunkXMLStart:
				if rootDone {
					doc.tricks.add("extra_root", "element at %d after the root element", off)
					break
				}
				e, err := doc.element(c, off)
				if err != nil {
					return nil, err
				}
				if elements++; elements > maxXMLElements {
					return nil, fmt.Errorf("%s: more than %d elements: %w", what, maxXMLElements, ErrLimit)
				}
				if len(stack) == 0 {
					doc.root = e
				} else {
					p := stack[len(stack)-1]
					p.children = append(p.children, e)
				}
				stack = append(stack, e)
			case chunkXMLEnd:
				if rootDone {
					break
				}
				if len(stack) == 0 {
					doc.tricks.add("unmatched_end", "end tag at %d", off)
					break
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					rootDone = true
				}
			default:
				doc.tricks.add("unknown_chunk", "node type 0x%04x at %d", c.typ, off)
			}
		default:
			doc.tricks.add("unknown_chunk", "chunk type 0x%04x at %d", c.typ, off)
		}
		off += len(d)
	}
	if doc.pool == nil {
		return nil, fmt.Errorf("%s: no string pool: %w", what, ErrFormat)
	}
	if doc.root == nil {
		return nil, fmt.Errorf("%s: no element: %w", what, ErrFormat)
	}
	return doc, nil
}

// element decodes a start-element chunk.
func (doc *axDoc) element(c chunk, off int) (*axElem, error) {
	const what = "binary xml"
	d := c.data
	if c.headerSize+20 > len(d) {
		return nil, fmt.Errorf("%s: element at %d: truncated: %w", what, off, ErrFormat)
	}
	e := d[c.headerSize:]
	name := binary.LittleEndian.Uint32(e[4:])
	attrStart := int(binary.LittleEndian.Uint16(e[8:]))
	attrSize := int(binary.LittleEndian.Uint16(e[10:]))
	count := int(binary.LittleEndian.Uint16(e[12:]))
	if count > 0 && (attrSize < 20 || c.headerSize+attrStart+count*attrSize > len(d)) {
		return nil, fmt.Errorf("%s: element at %d: %d attributes of %d bytes do not fit: %w", what, off, count, attrSize, ErrFormat)
	}
	if count > 0 && (attrStart > 20 || attrSize > 20) {
		doc.tricks.add("padded_header", "element at %d: attributes start at %d, %d bytes each", off, attrStart, attrSize)
	}
	el := &axElem{name: doc.str(name, "element name")}
	for i := range count {
		a := d[c.headerSize+attrStart+i*attrSize:]
		at := axAttr{
			ns:   binary.LittleEndian.Uint32(a),
			name: binary.LittleEndian.Uint32(a[4:]),
			raw:  binary.LittleEndian.Uint32(a[8:]),
			typ:  a[15],
			data: binary.LittleEndian.Uint32(a[16:]),
		}
		if int64(at.name) < int64(len(doc.resIDs)) {
			at.resID = doc.resIDs[at.name]
		}
		el.attrs = append(el.attrs, at)
	}
	return el, nil
}

// str returns a string of the pool; a reference to a missing or
// undecodable string reads as "" (Android's stringAt returns NULL) and is
// recorded as a trick.
func (doc *axDoc) str(ref uint32, what string) string {
	if ref == nilRef {
		return ""
	}
	s, err := doc.pool.lookup(ref)
	if err != nil {
		doc.tricks.add("bad_string_reference", "%s: 0x%08x: %v", what, ref, err)
		return ""
	}
	return s
}

// aval is an attribute value: the typed value, and its string when it is a
// string.
type aval struct {
	typ   uint8
	data  uint32
	str   string
	isStr bool
}

// raw renders an attribute value as text: the string, or the typed value
// ("@0x7F0A0001" for a reference and for types not rendered otherwise).
func raw(v aval) string {
	if v.isStr {
		return v.str
	}
	switch v.typ {
	case valNull:
		return ""
	case valIntDec:
		return strconv.FormatUint(uint64(v.data), 10)
	case valIntHex:
		return fmt.Sprintf("0x%08X", v.data)
	case valBool:
		if v.data != 0 {
			return "true"
		}
		return "false"
	}
	return fmt.Sprintf("@0x%08X", v.data)
}

func rawBool(b *aval) (string, bool) {
	if b == nil {
		return "", false
	}
	return raw(*b), true
}

func rawInt(i *aval) (string, bool) { return rawBool(i) }

// value returns an attribute's value. byID: the attribute was found by
// resource id, and Android takes the typed value (a string type's data is
// its string index); otherwise it was found by name, and Android's
// getAttributeValue takes the raw string when there is one.
func (doc *axDoc) value(a axAttr, byID bool, where string) aval {
	if !byID && a.raw != nilRef {
		return aval{str: doc.str(a.raw, where), isStr: true, typ: valString}
	}
	v := aval{typ: a.typ, data: a.data}
	if a.typ == valString {
		v.str, v.isStr = doc.str(a.data, where), true
		if a.raw != nilRef && a.raw != a.data {
			if r, ok := doc.pool.get(a.raw); ok && r != v.str {
				doc.tricks.add("typed_raw_mismatch", "%s: raw %q, typed %q", where, r, v.str)
			}
		}
	}
	return v
}

// byID finds the first attribute of e with the resource id, as aapt's
// indexOfAttribute does.
func (e *axElem) byID(id uint32) int {
	for i, a := range e.attrs {
		if a.resID == id {
			return i
		}
	}
	return -1
}

// byName finds the first attribute of e without namespace called name (how
// Android reads manifest's package, split and platformBuildVersionCode).
func (doc *axDoc) byName(e *axElem, name string) int {
	for i, a := range e.attrs {
		if a.ns != nilRef {
			continue
		}
		if n, ok := doc.pool.get(a.name); ok && n == name {
			return i
		}
	}
	return -1
}

// checkAttrs records the tricks of the attributes of e: run once per
// element.
func (doc *axDoc) checkAttrs(e *axElem) {
	var last uint32
	seen := map[uint32]bool{}
	for _, a := range e.attrs {
		if a.resID != 0 {
			if a.resID < last {
				doc.tricks.add("unsorted_attrs", "<%s>: 0x%08x after 0x%08x", e.name, a.resID, last)
			}
			last = a.resID
			if seen[a.resID] {
				doc.tricks.add("duplicate_attr", "<%s>: 0x%08x", e.name, a.resID)
			}
			seen[a.resID] = true
		}
		if a.resID>>24 != 0x01 {
			// Not a platform attribute: an android attribute name here is
			// a decoy Android ignores (in the android namespace, or beside
			// the real attribute of that name in any namespace).
			n, _ := doc.pool.get(a.name)
			if id := androidAttrIDs[n]; id != 0 {
				ns, _ := doc.pool.get(a.ns)
				if (a.ns != nilRef && ns == androidNS) || e.byID(id) >= 0 {
					doc.tricks.add("decoy_attr_no_res_id", "<%s %s> without resource id", e.name, n)
				}
			}
			continue
		}
		n, ok := doc.pool.get(a.name)
		want := androidAttrNames[a.resID]
		switch {
		case !ok || n == "":
			doc.tricks.add("attr_name_empty", "<%s>: attribute 0x%08x (%s)", e.name, a.resID, want)
		case want != "" && n != want:
			doc.tricks.add("attr_name_mismatch", "<%s>: attribute 0x%08x (%s) named %q", e.name, a.resID, want, n)
		}
		if a.ns == nilRef {
			doc.tricks.add("attr_namespace_nil", "<%s>: attribute 0x%08x (%s)", e.name, a.resID, want)
		} else if ns, _ := doc.pool.get(a.ns); ns != androidNS {
			doc.tricks.add("attr_namespace_bogus", "<%s>: attribute 0x%08x (%s) in namespace %q", e.name, a.resID, want, ns)
		}
	}
}

// avalType is the reflect type of aval.
var avalType = reflect.TypeFor[aval]()

// fill copies the element e into v, a struct whose fields carry encoding/xml
// tags: `xml:"<androidNS> name,attr"` fields (aval or *aval) are looked up
// by resource id, other `xml:"name,attr"` fields by name without namespace,
// and `xml:"elem"` slice fields collect the children with that element name.
// Element namespaces are ignored, as Android's package parser ignores them.
func (doc *axDoc) fill(e *axElem, v reflect.Value) {
	doc.checkAttrs(e)
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("xml")
		if f.Name == "XMLName" || tag == "" {
			continue
		}
		if name, ok := strings.CutSuffix(tag, ",attr"); ok {
			idx, byID := -1, false
			if ns, local, ok := strings.Cut(name, " "); ok && ns == androidNS {
				id := androidAttrIDs[local]
				if id == 0 {
					panic("apk: no resource id for android:" + local) // a programming error, caught by the tests
				}
				idx, byID = e.byID(id), true
				name = "android:" + local
			} else {
				idx = doc.byName(e, name)
			}
			if idx < 0 {
				continue
			}
			val := doc.value(e.attrs[idx], byID, "<"+e.name+" "+name+">")
			fv := v.Field(i)
			if fv.Kind() == reflect.Pointer {
				fv.Set(reflect.ValueOf(&val))
			} else {
				fv.Set(reflect.ValueOf(val))
			}
			continue
		}
		fv := v.Field(i)
		if fv.Kind() != reflect.Slice {
			continue
		}
		for _, c := range e.children {
			if c.name != tag {
				continue
			}
			nv := reflect.New(f.Type.Elem()).Elem()
			doc.fill(c, nv)
			fv.Set(reflect.Append(fv, nv))
		}
	}
}

// decodeAXML reads b and fills v (a pointer to a struct of aval/*aval
// attribute fields and child slices) from the root element, which must be
// called root. It returns the tricks found.
func decodeAXML(b []byte, root string, v any) ([]ManifestTrick, error) {
	doc, err := parseAXML(b)
	if err != nil {
		return nil, err
	}
	if doc.root.name != root {
		return nil, fmt.Errorf("binary xml: root element <%s>, want <%s>: %w", doc.root.name, root, ErrFormat)
	}
	doc.fill(doc.root, reflect.ValueOf(v).Elem())
	if n, first := doc.pool.badEntries(); n > 0 {
		doc.tricks.add("bad_unused_strings", "%d string pool entries, the first at index %d", n, first)
		doc.tricks.by["bad_unused_strings"].Count = n
	}
	if doc.pool.exceeded() {
		return nil, fmt.Errorf("binary xml: %w", ErrLimit)
	}
	tr := doc.tricks.list()
	slices.SortStableFunc(tr, func(a, b ManifestTrick) int { return strings.Compare(a.Code, b.Code) })
	return tr, nil
}
