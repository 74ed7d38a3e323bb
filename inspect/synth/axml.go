package synth

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"unicode/utf16"
)

// Binary XML and resource table chunk types (AOSP ResourceTypes.h).
const (
	resStringPoolType   = 0x0001
	resTableType        = 0x0002
	resXMLType          = 0x0003
	resXMLStartNSType   = 0x0100
	resXMLEndNSType     = 0x0101
	resXMLStartElemType = 0x0102
	resXMLEndElemType   = 0x0103
	resXMLResMapType    = 0x0180
	resTablePackageType = 0x0200
	resTableTypeType    = 0x0201
	resTableSpecType    = 0x0202

	noIndex = 0xffffffff
)

// Res_value data types.
const (
	valReference = 0x01
	valString    = 0x03
	valIntDec    = 0x10
	valBoolean   = 0x12
)

const androidNS = "http://schemas.android.com/apk/res/android"

// Resource ids of the android: attributes we write (frameworks/base
// core/res/res/values/public.xml; checked against `aapt dump xmltree` of the
// fixtures in ../shared/fixtures/apks).
var androidAttrIDs = map[string]uint32{
	"label":                0x01010001,
	"icon":                 0x01010002,
	"name":                 0x01010003,
	"permission":           0x01010006,
	"debuggable":           0x0101000f,
	"exported":             0x01010010,
	"authorities":          0x01010018,
	"value":                0x01010024,
	"minSdkVersion":        0x0101020c,
	"versionCode":          0x0101021b,
	"versionName":          0x0101021c,
	"targetSdkVersion":     0x01010270,
	"allowBackup":          0x01010280,
	"usesCleartextTraffic": 0x010104ec,
}

// labelResID is the id of @string/app_name in the resources.arsc we write:
// package 0x7f, type 1 (string), entry 0.
const labelResID = 0x7f010000

// xmlAttr is one attribute of an element.
type xmlAttr struct {
	android bool   // in the android: namespace
	name    string // local name
	typ     uint8  // Res_value data type
	str     string // for valString
	data    uint32 // for the other types
}

// xmlElem is an element with its attributes and children.
type xmlElem struct {
	name     string
	attrs    []xmlAttr
	children []*xmlElem
}

func strAttr(name, v string) xmlAttr {
	return xmlAttr{android: true, name: name, typ: valString, str: v}
}
func intAttr(name string, v int) xmlAttr {
	return xmlAttr{android: true, name: name, typ: valIntDec, data: uint32(int32(v))}
}
func boolAttr(name string, v bool) xmlAttr {
	a := xmlAttr{android: true, name: name, typ: valBoolean}
	if v {
		a.data = 0xffffffff
	}
	return a
}

// manifestTree builds the element tree of AndroidManifest.xml.
func manifestTree(s *Spec) *xmlElem {
	root := &xmlElem{name: "manifest"}
	if s.VersionCode != 0 {
		root.attrs = append(root.attrs, intAttr("versionCode", s.VersionCode))
	}
	if s.VersionName != "" {
		root.attrs = append(root.attrs, strAttr("versionName", s.VersionName))
	}
	root.attrs = append(root.attrs, xmlAttr{name: "package", typ: valString, str: s.Package})
	if s.MinSDK != 0 || s.TargetSDK != 0 {
		sdk := &xmlElem{name: "uses-sdk"}
		if s.MinSDK != 0 {
			sdk.attrs = append(sdk.attrs, intAttr("minSdkVersion", s.MinSDK))
		}
		if s.TargetSDK != 0 {
			sdk.attrs = append(sdk.attrs, intAttr("targetSdkVersion", s.TargetSDK))
		}
		root.children = append(root.children, sdk)
	}
	for _, p := range s.Permissions {
		root.children = append(root.children, &xmlElem{name: "uses-permission", attrs: []xmlAttr{strAttr("name", p)}})
	}
	app := &xmlElem{name: "application"}
	if s.LabelEN != "" || s.LabelZH != "" {
		app.attrs = append(app.attrs, xmlAttr{android: true, name: "label", typ: valReference, data: labelResID})
	}
	if s.Application.Name != "" {
		app.attrs = append(app.attrs, strAttr("name", s.Application.Name))
	}
	if b := s.Application.Debuggable; b != nil {
		app.attrs = append(app.attrs, boolAttr("debuggable", *b))
	}
	if b := s.Application.AllowBackup; b != nil {
		app.attrs = append(app.attrs, boolAttr("allowBackup", *b))
	}
	if b := s.Application.UsesCleartextTraffic; b != nil {
		app.attrs = append(app.attrs, boolAttr("usesCleartextTraffic", *b))
	}
	for _, c := range s.Components {
		e := &xmlElem{name: c.Kind, attrs: []xmlAttr{strAttr("name", c.Name)}}
		if c.Exported != nil {
			e.attrs = append(e.attrs, boolAttr("exported", *c.Exported))
		}
		if c.Permission != "" {
			e.attrs = append(e.attrs, strAttr("permission", c.Permission))
		}
		if c.Authorities != "" {
			e.attrs = append(e.attrs, strAttr("authorities", c.Authorities))
		}
		if len(c.Actions) > 0 {
			f := &xmlElem{name: "intent-filter"}
			for _, a := range c.Actions {
				f.children = append(f.children, &xmlElem{name: "action", attrs: []xmlAttr{strAttr("name", a)}})
			}
			e.children = append(e.children, f)
		}
		app.children = append(app.children, e)
	}
	for _, k := range slices.Sorted(maps.Keys(s.MetaData)) {
		app.children = append(app.children, &xmlElem{name: "meta-data",
			attrs: []xmlAttr{strAttr("name", k), strAttr("value", s.MetaData[k])}})
	}
	root.children = append(root.children, app)
	return root
}

// encodeManifest encodes the manifest of s as binary XML.
func encodeManifest(s *Spec) ([]byte, error) {
	var t xmlTricks
	for _, tr := range s.ManifestTricks {
		switch tr {
		case TrickEmptyAttrNames:
			t.emptyNames = true
		case TrickBogusNamespace:
			t.bogusNS = true
		case TrickNilNamespace:
			t.nilNS = true
		case TrickDecoyName:
			t.decoy = true
		case TrickBadUnusedStrings:
			t.badStrings = true
		case TrickPaddedHeaders:
			t.padded = true
		case TrickUnknownChunks:
			t.unknown = true
		default:
			return nil, fmt.Errorf("synth: manifest trick %q: %w", tr, ErrInvalidSpec)
		}
	}
	return encodeXMLTricks(manifestTree(s), t), nil
}

// Manifest tricks (Spec.ManifestTricks): anti-analysis constructions that
// Android's package parser and aapt read past, seen in protected apps.
const (
	// TrickEmptyAttrNames: android attribute name strings are empty; the
	// resource map still gives their ids.
	TrickEmptyAttrNames = "empty_attr_names"
	// TrickBogusNamespace: android attributes are in a namespace whose URI
	// is not Android's.
	TrickBogusNamespace = "bogus_namespace"
	// TrickNilNamespace: android attributes have no namespace.
	TrickNilNamespace = "nil_namespace"
	// TrickDecoyName: every uses-permission gets, before the real
	// android:name, a decoy android:name without resource id naming
	// DecoyPermission.
	TrickDecoyName = "decoy_name"
	// TrickBadUnusedStrings: the string pool has entries nothing uses, with
	// offsets beyond the pool.
	TrickBadUnusedStrings = "bad_unused_strings"
	// TrickPaddedHeaders: node and string pool headers longer than the
	// format's, the padding skipped by headerSize; attributes starting 4
	// bytes late and 24 bytes each.
	TrickPaddedHeaders = "padded_headers"
	// TrickUnknownChunks: chunks of unknown types before the first node and
	// between elements.
	TrickUnknownChunks = "unknown_chunks"
)

// ManifestTricks lists every trick Spec.ManifestTricks accepts.
var ManifestTricks = []string{TrickEmptyAttrNames, TrickBogusNamespace, TrickNilNamespace,
	TrickDecoyName, TrickBadUnusedStrings, TrickPaddedHeaders, TrickUnknownChunks}

// DecoyPermission is what TrickDecoyName's decoy attributes name.
const DecoyPermission = "android.permission.VIBRATE"

type xmlTricks struct {
	emptyNames, bogusNS, nilNS, decoy, badStrings, padded, unknown bool
}

// xmlPool assigns string pool indexes. Attribute names that have a
// resource id come first, in the order of the resource map, as aapt lays
// them out; the other strings follow in first-use order.
type xmlPool struct {
	strs  []string
	index map[string]uint32
	ids   []uint32
}

// addNew appends s as a new entry even when it is already in the pool.
func (p *xmlPool) addNew(s string) uint32 {
	p.strs = append(p.strs, s)
	return uint32(len(p.strs) - 1)
}

func (p *xmlPool) add(s string) uint32 {
	if i, ok := p.index[s]; ok {
		return i
	}
	i := uint32(len(p.strs))
	p.strs = append(p.strs, s)
	p.index[s] = i
	return i
}

// encodeXML encodes an element tree, with the android namespace declared
// on the root, as a binary XML document.
func encodeXML(root *xmlElem) []byte { return encodeXMLTricks(root, xmlTricks{}) }

// encodeXMLTricks is encodeXML with anti-analysis constructions.
func encodeXMLTricks(root *xmlElem, t xmlTricks) []byte {
	p := &xmlPool{index: map[string]uint32{}}
	nameIdx := map[string]uint32{}
	// Pass 1: the attribute names with resource ids, sorted by id.
	var walk func(e *xmlElem, f func(*xmlElem))
	walk = func(e *xmlElem, f func(*xmlElem)) {
		f(e)
		for _, c := range e.children {
			walk(c, f)
		}
	}
	used := map[string]bool{}
	walk(root, func(e *xmlElem) {
		for _, a := range e.attrs {
			if a.android {
				used[a.name] = true
			}
		}
	})
	names := slices.SortedFunc(maps.Keys(used), func(a, b string) int {
		return int(int64(androidAttrIDs[a]) - int64(androidAttrIDs[b]))
	})
	for _, n := range names {
		if t.emptyNames {
			nameIdx[n] = p.addNew("")
		} else {
			nameIdx[n] = p.add(n)
		}
		p.ids = append(p.ids, androidAttrIDs[n])
	}
	nsURI := androidNS
	if t.bogusNS {
		nsURI = "http://schemas.android.com/apk/res/androld"
	}
	prefix, uri := p.add("android"), p.add(nsURI)
	var decoyName, decoyValue uint32
	if t.decoy {
		decoyName = p.addNew("name") // after the resource map: no id
		decoyValue = p.add(DecoyPermission)
	}
	hs := uint16(16)
	if t.padded {
		hs = 20
	}
	// node starts a node chunk of the given ext size, padded when asked.
	node := func(typ uint16, ext int) []byte {
		c := chunkHeader(typ, hs, uint32(int(hs)+ext))
		c = le32(c, 1) // line
		c = le32(c, noIndex)
		for len(c) < int(hs) {
			c = append(c, 0)
		}
		return c
	}

	var body []byte
	nsChunk := func(typ uint16) {
		c := node(typ, 8)
		c = le32(c, prefix)
		c = le32(c, uri)
		body = append(body, c...)
	}
	if t.unknown {
		// An unknown chunk type before the first node.
		c := chunkHeader(0x0777, 8, 16)
		body = append(le32(le32(c, 0xdeadbeef), 0), body...)
	}
	nsChunk(resXMLStartNSType)
	var emit func(e *xmlElem)
	emit = func(e *xmlElem) {
		attrs := slices.Clone(e.attrs)
		// Attributes sorted by resource id (those without one last, by
		// name), as aapt writes them and the platform expects.
		slices.SortStableFunc(attrs, func(a, b xmlAttr) int {
			ia, ib := attrKey(a), attrKey(b)
			switch {
			case ia < ib:
				return -1
			case ia > ib:
				return 1
			}
			return 0
		})
		name := p.add(e.name)
		n := len(attrs)
		if t.decoy && e.name == "uses-permission" {
			n++
		}
		// With padded headers the attributes start 4 bytes after the
		// attribute extension and each is 24 bytes (Android and aapt step
		// by attributeStart and attributeSize).
		attrStart, attrSize := 20, 20
		if t.padded {
			attrStart, attrSize = 24, 24
		}
		pad := func(c []byte, n int) []byte { return append(c, make([]byte, n)...) }
		c := node(resXMLStartElemType, attrStart+attrSize*n)
		c = le32(c, noIndex) // element namespace
		c = le32(c, name)
		c = le16(c, uint16(attrStart))
		c = le16(c, uint16(attrSize))
		c = le16(c, uint16(n))
		c = le16(c, 0) // idIndex
		c = le16(c, 0) // classIndex
		c = le16(c, 0) // styleIndex
		c = pad(c, attrStart-20)
		if n > len(attrs) {
			c = le32(c, uri)
			c = le32(c, decoyName)
			c = le32(c, decoyValue)
			c = le16(c, 8)
			c = append(c, 0, valString)
			c = le32(c, decoyValue)
			c = pad(c, attrSize-20)
		}
		for _, a := range attrs {
			ns := uint32(noIndex)
			if a.android && !t.nilNS {
				ns = uri
			}
			raw := uint32(noIndex)
			data := a.data
			if a.typ == valString {
				raw = p.add(a.str)
				data = raw
			}
			c = le32(c, ns)
			if i, ok := nameIdx[a.name]; ok && a.android {
				c = le32(c, i)
			} else {
				c = le32(c, p.add(a.name))
			}
			c = le32(c, raw)
			c = le16(c, 8) // Res_value size
			c = append(c, 0, a.typ)
			c = le32(c, data)
			c = pad(c, attrSize-20)
		}
		body = append(body, c...)
		if t.unknown && e == root {
			// An unknown node type between elements.
			body = append(body, le32(le32(node(0x017e, 8), 0), 0)...)
		}
		for _, ch := range e.children {
			emit(ch)
		}
		c = node(resXMLEndElemType, 8)
		c = le32(c, noIndex)
		c = le32(c, name)
		body = append(body, c...)
	}
	emit(root)
	nsChunk(resXMLEndNSType)

	pool := encodeStringPoolOpts(p.strs, t.badStrings, t.padded)
	resMap := chunkHeader(resXMLResMapType, 8, uint32(8+4*len(p.ids)))
	for _, id := range p.ids {
		resMap = le32(resMap, id)
	}
	total := 8 + len(pool) + len(resMap) + len(body)
	out := chunkHeader(resXMLType, 8, uint32(total))
	out = append(out, pool...)
	out = append(out, resMap...)
	return append(out, body...)
}

// attrKey orders attributes: android ones by resource id, then the others.
func attrKey(a xmlAttr) uint64 {
	if a.android {
		return uint64(androidAttrIDs[a.name])
	}
	return 1 << 40
}

// chunkHeader starts a ResChunk_header.
func chunkHeader(typ uint16, headerSize uint16, size uint32) []byte {
	b := make([]byte, 0, size)
	b = le16(b, typ)
	b = le16(b, headerSize)
	return le32(b, size)
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

// encodeStringPool encodes a UTF-16 ResStringPool without styles.
func encodeStringPool(strs []string) []byte { return encodeStringPoolOpts(strs, false, false) }

// encodeStringPoolOpts is encodeStringPool, optionally with three extra
// entries whose offsets lie beyond the pool, and with a padded header.
func encodeStringPoolOpts(strs []string, bad, padded bool) []byte {
	var data []byte
	offsets := make([]uint32, len(strs))
	for i, s := range strs {
		offsets[i] = uint32(len(data))
		u := utf16.Encode([]rune(s))
		if len(u) > 0x7fff {
			data = le16(data, uint16(0x8000|len(u)>>16))
		}
		data = le16(data, uint16(len(u)))
		for _, c := range u {
			data = le16(data, c)
		}
		data = le16(data, 0)
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	hs := 28
	if padded {
		hs = 32
	}
	if bad {
		offsets = append(offsets, 0x7ffffff0, uint32(len(data)+64), 0xfffffffe)
	}
	start := hs + 4*len(offsets)
	c := chunkHeader(resStringPoolType, uint16(hs), uint32(start+len(data)))
	c = le32(c, uint32(len(offsets)))
	c = le32(c, 0) // styleCount
	c = le32(c, 0) // flags: UTF-16, not sorted
	c = le32(c, uint32(start))
	c = le32(c, 0) // stylesStart
	for len(c) < hs {
		c = append(c, 0)
	}
	for _, o := range offsets {
		c = le32(c, o)
	}
	return append(c, data...)
}
