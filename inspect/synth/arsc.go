package synth

import "unicode/utf16"

// encodeARSC writes a resource table with one package (0x7f, named after the
// app), one type (string) and one entry (app_name, 0x7f010000) with a value
// in the default configuration (LabelEN, else LabelZH) and, when LabelZH is
// set, one in zh-rCN.
func encodeARSC(s *Spec) []byte {
	type cfgValue struct {
		lang, region string
		value        string
	}
	var cfgs []cfgValue
	def := s.LabelEN
	if def == "" {
		def = s.LabelZH
	}
	if def != "" {
		cfgs = append(cfgs, cfgValue{value: def})
	}
	if s.LabelZH != "" {
		cfgs = append(cfgs, cfgValue{lang: "zh", region: "CN", value: s.LabelZH})
	}
	var values []string
	for _, c := range cfgs {
		values = append(values, c.value)
	}
	global := encodeStringPool(values)

	entryCount := 0
	if len(cfgs) > 0 {
		entryCount = 1
	}
	typeStrings := encodeStringPool([]string{"string"})
	keyStrings := encodeStringPool([]string{"app_name"})

	// ResTable_typeSpec: one flags word per entry (CONFIG_LOCALE when the
	// value differs by locale).
	spec := chunkHeader(resTableSpecType, 16, uint32(16+4*entryCount))
	spec = append(spec, 1, 0) // id, res0
	spec = le16(spec, 0)      // res1 (typesCount on newer tools)
	spec = le32(spec, uint32(entryCount))
	if entryCount > 0 {
		flags := uint32(0)
		if len(cfgs) > 1 {
			flags = 0x0004 // CONFIG_LOCALE
		}
		spec = le32(spec, flags)
	}

	var types []byte
	for i, c := range cfgs {
		const cfgSize = 64
		hs := 20 + cfgSize
		entriesStart := hs + 4*entryCount
		size := entriesStart + 16 // ResTable_entry (8) + Res_value (8)
		t := chunkHeader(resTableTypeType, uint16(hs), uint32(size))
		t = append(t, 1, 0) // id, flags
		t = le16(t, 0)      // reserved
		t = le32(t, uint32(entryCount))
		t = le32(t, uint32(entriesStart))
		cfg := make([]byte, cfgSize)
		cfg[0] = cfgSize
		if c.lang != "" {
			copy(cfg[8:10], c.lang)
			copy(cfg[10:12], c.region)
		}
		t = append(t, cfg...)
		t = le32(t, 0) // offset of entry 0
		t = le16(t, 8) // ResTable_entry size
		t = le16(t, 0) // flags
		t = le32(t, 0) // key: "app_name"
		t = le16(t, 8) // Res_value size
		t = append(t, 0, valString)
		t = le32(t, uint32(i)) // index in the global pool
		types = append(types, t...)
	}

	const pkgHeader = 288
	pkgSize := pkgHeader + len(typeStrings) + len(keyStrings) + len(spec) + len(types)
	pkg := chunkHeader(resTablePackageType, pkgHeader, uint32(pkgSize))
	pkg = le32(pkg, 0x7f)
	name := make([]byte, 256)
	for i, u := range utf16.Encode([]rune(s.Package)) {
		if i >= 127 {
			break
		}
		name[2*i], name[2*i+1] = byte(u), byte(u>>8)
	}
	pkg = append(pkg, name...)
	pkg = le32(pkg, pkgHeader) // typeStrings
	pkg = le32(pkg, 1)         // lastPublicType
	pkg = le32(pkg, uint32(pkgHeader+len(typeStrings)))
	pkg = le32(pkg, 1) // lastPublicKey
	pkg = le32(pkg, 0) // typeIdOffset
	pkg = append(pkg, typeStrings...)
	pkg = append(pkg, keyStrings...)
	pkg = append(pkg, spec...)
	pkg = append(pkg, types...)

	total := 12 + len(global) + len(pkg)
	out := chunkHeader(resTableType, 12, uint32(total))
	out = le32(out, 1) // packageCount
	out = append(out, global...)
	return append(out, pkg...)
}
