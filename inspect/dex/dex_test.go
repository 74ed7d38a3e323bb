package dex

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Indexes into sampleSpec, named for readability.
const (
	sMain, sObject, sTM, sString, sV, sGetDeviceID, sMainName, sInit, sShortyL, sHello,
	sJumbo, sI, sHelper, sInner, sRun, sStrArr, sShortyVIL, sShortyV, sTag, sAbs, sUnicode = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
		10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20
	tMain, tObject, tTM, tString, tV, tI, tInner, tStrArr         = 0, 1, 2, 3, 4, 5, 6, 7
	mMain, mHelper, mGetDeviceID, mObjInit, mRun, mMainInit, mAbs = 0, 1, 2, 3, 4, 5, 6
)

// unicodeSample exercises every MUTF-8 form: 2-byte NUL, 2- and 3-byte
// sequences and a supplementary character stored as a surrogate pair.
const unicodeSample = "隐私\x00政策 é 😀 end"

// mainInsns is the code of com.example.Main.main. Its three payloads hold
// data that, read as instructions, would look like invoke-virtual of method 4
// (0x106e 0x0004) and const-string of string 11 (0x001a 0x000b): a parser
// that does not skip payloads reports calls that are not there.
var mainInsns = []uint16{
	0x001a, sHello, // 0: const-string v0, "hello"
	0x106e, mGetDeviceID, 0x0001, // 2: invoke-virtual {v1}, TelephonyManager.getDeviceId
	0x001b, sJumbo, 0x0000, // 5: const-string/jumbo v0, "jumbo string"
	0x0277, mHelper, 0x0000, // 8: invoke-static/range {v0..v1}, Main.helper
	0x0062, 0x0000, // 11: sget-object v0, Main.TAG
	0x002b, 11, 0, // 13: packed-switch v0, +11 (pc 24)
	0x002c, 14, 0, // 16: sparse-switch v0, +14 (pc 30)
	0x0026, 17, 0, // 19: fill-array-data v0, +17 (pc 36)
	0x000e,                          // 22: return-void
	0x0000,                          // 23: nop (payloads are 4-byte aligned)
	0x0100, 1, 0x106e, 0x0004, 9, 0, // 24: packed-switch-payload, first_key, target
	0x0200, 1, 0x001a, 0x000b, 6, 0, // 30: sparse-switch-payload, key, target
	0x0300, 2, 4, 0, 0x106e, 0x0004, 0x0000, 0x0e00, // 36: fill-array-data-payload, 4 × 2 bytes
}

// runInsns is the code of com.example.Main$Inner.run: wide formats and the
// invoke forms beyond invoke-virtual.
var runInsns = []uint16{
	0x0018, 0x106e, 0x0004, 0x0000, 0x0000, // 0: const-wide v0, 51l holding invoke-like bits
	0x2072, mGetDeviceID, 0x0010, // 5: invoke-interface {v0, v1}
	0x10fa, mObjInit, 0x0000, 0x0001, // 8: invoke-polymorphic {v0}, method, proto@1
	0x10fc, 0x0000, 0x0000, // 12: invoke-custom {v0}, call_site@0 (not a method)
	0x0174, mMainInit, 0x0000, // 15: invoke-virtual/range {v0}
	0x0070, mObjInit, 0x0000, // 18: invoke-direct {}, Object.<init>
	0x0000, // 21: plain nop
	0x000e, // 22: return-void
}

func sampleSpec(version string) *dexSpec {
	return &dexSpec{
		version: version,
		strs: []string{
			"Lcom/example/Main;", "Ljava/lang/Object;", "Landroid/telephony/TelephonyManager;",
			"Ljava/lang/String;", "V", "getDeviceId", "main", "<init>", "L", "hello",
			"jumbo string", "I", "helper", "Lcom/example/Main$Inner;", "run", "[Ljava/lang/String;",
			"VIL", "V", "TAG", "abs", unicodeSample,
		},
		types: []uint32{sMain, sObject, sTM, sString, sV, sI, sInner, sStrArr},
		protos: []tProto{
			{shorty: sShortyV, ret: tV},                                  // 0: ()V
			{shorty: sShortyL, ret: tString},                             // 1: ()Ljava/lang/String;
			{shorty: sShortyVIL, ret: tV, params: []uint16{tI, tStrArr}}, // 2: (I[Ljava/lang/String;)V
		},
		fields: []tRef{{class: tMain, protoOrType: tString, name: sTag}},
		methods: []tRef{
			{tMain, 2, sMainName},  // 0
			{tMain, 0, sHelper},    // 1
			{tTM, 1, sGetDeviceID}, // 2
			{tObject, 0, sInit},    // 3
			{tInner, 0, sRun},      // 4
			{tMain, 0, sInit},      // 5
			{tInner, 0, sAbs},      // 6
		},
		classes: []tClass{
			{
				typ: tMain, super: tObject, staticFields: []uint32{0},
				direct: []tMethod{
					{idx: mMain, insns: mainInsns},
					{idx: mHelper, insns: []uint16{0x1070, mObjInit, 0x0000, 0x000e}},
					{idx: mMainInit, insns: []uint16{0x1070, mObjInit, 0x0000, 0x000e}},
				},
			},
			{
				typ: tInner, super: tObject,
				virtual: []tMethod{{idx: mRun, insns: runInsns}, {idx: mAbs}},
			},
		},
	}
}

// event is one report from Walk, as a comparable string.
type recorder struct {
	events []string
	skip   map[uint32]bool
	fields bool
}

func (r *recorder) Method(m uint32) bool {
	r.events = append(r.events, fmt.Sprintf("method %d", m))
	return !r.skip[m]
}
func (r *recorder) Invoke(c, m uint32) {
	r.events = append(r.events, fmt.Sprintf("%d invoke %d", c, m))
}
func (r *recorder) ConstString(c, s uint32) {
	r.events = append(r.events, fmt.Sprintf("%d string %d", c, s))
}

type fieldRecorder struct{ recorder }

func (r *fieldRecorder) FieldAccess(c, f uint32, op uint8) {
	r.events = append(r.events, fmt.Sprintf("%d field %d op %#x", c, f, op))
}

func mustParse(t testing.TB, b []byte) *File {
	t.Helper()
	f, err := Parse(b, DefaultLimits())
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func TestSampleNames(t *testing.T) {
	f := mustParse(t, sampleSpec("035").bytes())
	if f.Version() != 35 || f.NumClasses() != 2 || f.NumMethods() != 7 || f.NumFields() != 1 || f.NumStrings() != 21 {
		t.Fatalf("counts: version %d classes %d methods %d fields %d strings %d",
			f.Version(), f.NumClasses(), f.NumMethods(), f.NumFields(), f.NumStrings())
	}
	if got, want := f.Classes(), []string{"com.example.Main", "com.example.Main$Inner"}; !slices.Equal(got, want) {
		t.Errorf("Classes = %q, want %q", got, want)
	}
	wantTypes := []string{"com.example.Main", "java.lang.Object", "android.telephony.TelephonyManager",
		"java.lang.String", "void", "int", "com.example.Main$Inner", "java.lang.String[]"}
	if got := f.TypeNames(); !slices.Equal(got, wantTypes) {
		t.Errorf("TypeNames = %q, want %q", got, wantTypes)
	}
	m, err := f.Method(mGetDeviceID)
	if err != nil || m != (MethodRef{"android.telephony.TelephonyManager", "getDeviceId", "()Ljava/lang/String;"}) {
		t.Errorf("Method(getDeviceId) = %+v, %v", m, err)
	}
	m, err = f.Method(mMain)
	if err != nil || m.String() != "com.example.Main.main(I[Ljava/lang/String;)V" {
		t.Errorf("Method(main) = %v, %v", m, err)
	}
	fr, err := f.Field(0)
	if err != nil || fr != (FieldRef{"com.example.Main", "TAG", "java.lang.String"}) {
		t.Errorf("Field(0) = %+v, %v", fr, err)
	}
	if s, err := f.String(sUnicode); err != nil || s != unicodeSample {
		t.Errorf("String(unicode) = %q, %v; want %q", s, err, unicodeSample)
	}
	strs := f.Strings()
	if len(strs) != 21 || strs[sHello] != "hello" || strs[sUnicode] != unicodeSample {
		t.Errorf("Strings = %q", strs)
	}
	if d, err := f.TypeDescriptor(tStrArr); err != nil || d != "[Ljava/lang/String;" {
		t.Errorf("TypeDescriptor = %q, %v", d, err)
	}
	if c, err := f.Class(1); err != nil || c != "com.example.Main$Inner" {
		t.Errorf("Class(1) = %q, %v", c, err)
	}
	if s, err := f.Superclass(1); err != nil || s != "java.lang.Object" {
		t.Errorf("Superclass(1) = %q, %v", s, err)
	}
	if ci, err := f.MethodClass(mRun); err != nil || ci != tInner {
		t.Errorf("MethodClass = %d, %v", ci, err)
	}
	for _, call := range []func() error{
		func() error { _, err := f.Method(7); return err },
		func() error { _, err := f.Field(1); return err },
		func() error { _, err := f.String(21); return err },
		func() error { _, err := f.TypeName(8); return err },
		func() error { _, err := f.Proto(3); return err },
		func() error { _, err := f.Class(2); return err },
		func() error { _, err := f.Superclass(-1); return err },
	} {
		if err := call(); !errors.Is(err, ErrIndex) {
			t.Errorf("out-of-range lookup: %v, want ErrIndex", err)
		}
	}
	if err := f.VerifyChecksum(); err != nil {
		t.Error(err)
	}
	if err := f.VerifySignature(); err != nil {
		t.Error(err)
	}
}

func TestWalkSample(t *testing.T) {
	f := mustParse(t, sampleSpec("035").bytes())
	if n := f.CodeMethods(); n != 4 {
		t.Errorf("CodeMethods = %d, want 4 (the abstract method has no code)", n)
	}
	var r fieldRecorder
	if err := f.Walk(&r); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	want := []string{
		"method 0",
		"0 string 9", "0 invoke 2", "0 string 10", "0 invoke 1", "0 field 0 op 0x62",
		"method 1", "1 invoke 3",
		"method 5", "5 invoke 3",
		"method 4", "4 invoke 2", "4 invoke 3", "4 invoke 5", "4 invoke 3",
	}
	if !slices.Equal(r.events, want) {
		t.Errorf("Walk events:\n got %q\nwant %q", r.events, want)
	}

	// Without FieldVisitor no field events; skipping a method skips its code.
	p := recorder{skip: map[uint32]bool{mMain: true}}
	if err := f.Walk(&p); err != nil {
		t.Fatalf("Walk: %v", err)
	}
	want = []string{"method 0", "method 1", "1 invoke 3", "method 5", "5 invoke 3",
		"method 4", "4 invoke 2", "4 invoke 3", "4 invoke 5", "4 invoke 3"}
	if !slices.Equal(p.events, want) {
		t.Errorf("Walk with skip:\n got %q\nwant %q", p.events, want)
	}
}

// TestPayloadsNotInstructions checks the test itself: reading the payloads of
// main as instructions would report calls that are not there.
func TestPayloadsNotInstructions(t *testing.T) {
	naive := []string{}
	for pc := 24; pc < len(mainInsns); {
		op := mainInsns[pc] & 0xff
		if op == 0x6e || op == 0x1a {
			naive = append(naive, fmt.Sprintf("%#x %d", op, mainInsns[pc+1]))
		}
		pc += int(opWidth[op])
	}
	if len(naive) == 0 {
		t.Fatal("sample payloads would not mislead a naive decoder; the walk test proves nothing")
	}
}

func TestWalkMalformed(t *testing.T) {
	spec := sampleSpec("035")
	// Method helper ends with invoke-virtual missing its operands; method
	// <init> invokes a method index that does not exist. Walk must report
	// both and still visit the rest.
	spec.classes[0].direct[1].insns = []uint16{0x000e, 0x106e}
	spec.classes[0].direct[2].insns = []uint16{0x1070, 0x0100, 0x0000, 0x000e}
	f := mustParse(t, spec.bytes())
	var r recorder
	err := f.Walk(&r)
	if !errors.Is(err, ErrCode) || !errors.Is(err, ErrIndex) {
		t.Fatalf("Walk error = %v, want ErrCode and ErrIndex", err)
	}
	if !slices.Contains(r.events, "4 invoke 5") || !slices.Contains(r.events, "0 invoke 2") {
		t.Errorf("Walk stopped early: %q", r.events)
	}
	if slices.Contains(r.events, "5 invoke 256") {
		t.Errorf("out-of-range callee reported: %q", r.events)
	}

	// Payloads that run past the end of the code.
	for _, insns := range [][]uint16{
		{0x000e, 0x0100, 0x0005, 0, 0},      // packed-switch-payload of 5 targets, cut short
		{0x000e, 0x0300, 0x0004, 0xffff, 0}, // fill-array-data of 65535 × 4 bytes
		{0x000e, 0x0300, 0x0004},            // fill-array-data header cut short
		{0x0018, 0, 0},                      // const-wide cut short
	} {
		spec := sampleSpec("035")
		spec.classes[1].virtual[0].insns = insns
		f := mustParse(t, spec.bytes())
		if err := f.Walk(&recorder{}); !errors.Is(err, ErrCode) {
			t.Errorf("Walk(%#x) = %v, want ErrCode", insns, err)
		}
	}
}

func TestWalkBudget(t *testing.T) {
	// 20,000 methods sharing one code item of 4,000 units: 80 M units of
	// work from a file of a few hundred KB.
	spec := &dexSpec{version: "035", strs: []string{"LA;", "V", "m"}, types: []uint32{0, 1},
		protos: []tProto{{shorty: 1, ret: 1}}}
	for i := 0; i < 20000; i++ {
		spec.methods = append(spec.methods, tRef{0, 0, 2})
	}
	spec.classes = []tClass{{typ: 0, direct: []tMethod{{idx: 0, insns: make([]uint16, 4000)}}}}
	b := spec.bytes()
	f := mustParse(t, b)
	// Point every method of the class at the one code item.
	cd := int(le32(b, f.classDefs+24))
	var code uint32
	{
		it, err := newClassDataIter(b, uint64(cd))
		if err != nil {
			t.Fatal(err)
		}
		_, code, _, _ = it.next()
	}
	data := appendUleb(nil, 0)
	data = appendUleb(data, 0)
	data = appendUleb(data, 20000)
	data = appendUleb(data, 0)
	for i := 0; i < 20000; i++ {
		data = appendUleb(data, min(uint32(i), 1))
		data = appendUleb(data, 1)
		data = appendUleb(data, code)
	}
	b = append(b, data...)
	binary.LittleEndian.PutUint32(b[32:], uint32(len(b)))
	binary.LittleEndian.PutUint32(b[f.classDefs+24:], uint32(len(b)-len(data)))
	f = mustParse(t, b)
	if err := f.Walk(&recorder{}); !errors.Is(err, ErrBudget) {
		t.Fatalf("Walk = %v, want ErrBudget", err)
	}
}

func TestParseHeaderErrors(t *testing.T) {
	good := sampleSpec("035").bytes()
	mod := func(fn func(b []byte) []byte) []byte {
		return fn(slices.Clone(good))
	}
	put := func(off int, v uint32) []byte {
		return mod(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[off:], v); return b })
	}
	cases := []struct {
		name string
		b    []byte
		lim  Limits
		want error
	}{
		{"empty", nil, Limits{}, ErrTruncated},
		{"short", good[:0x6f], Limits{}, ErrTruncated},
		{"magic", mod(func(b []byte) []byte { b[0] = 'D'; return b }), Limits{}, ErrFormat},
		{"version 034", mod(func(b []byte) []byte { copy(b[4:], "034"); return b }), Limits{}, ErrVersion},
		{"version 042", mod(func(b []byte) []byte { copy(b[4:], "042"); return b }), Limits{}, ErrVersion},
		{"version letters", mod(func(b []byte) []byte { copy(b[4:], "0a5"); return b }), Limits{}, ErrFormat},
		{"big endian", put(40, reverseEndian), Limits{}, ErrVersion},
		{"endian", put(40, 1), Limits{}, ErrFormat},
		{"file_size past end", put(32, uint32(len(good)+1)), Limits{}, ErrTruncated},
		{"header_size", put(36, 0x20), Limits{}, ErrFormat},
		{"string_ids outside", put(60, uint32(len(good)-8)), Limits{}, ErrTruncated},
		{"string_ids in header", put(60, 0x10), Limits{}, ErrTruncated},
		{"method_ids count", put(88, 1<<20), Limits{}, ErrTruncated},
		{"class_defs count", put(96, 1<<20), Limits{}, ErrTruncated},
		{"count limit", good, Limits{MaxCount: 10}, ErrTooLarge},
		{"size limit", good, Limits{MaxFileSize: 100}, ErrTooLarge},
		{"data outside", put(108, uint32(len(good))), Limits{}, ErrTruncated},
		{"strict checksum", put(8, 1), Limits{StrictChecksum: true}, ErrChecksum},
	}
	for _, c := range cases {
		if _, err := Parse(c.b, c.lim); !errors.Is(err, c.want) {
			t.Errorf("%s: Parse = %v, want %v", c.name, err, c.want)
		} else if !strings.HasPrefix(err.Error(), "dex: ") {
			t.Errorf("%s: error %q lacks the package prefix", c.name, err)
		}
	}
}

func TestChecksumReported(t *testing.T) {
	b := sampleSpec("035").bytes()
	b[len(b)-1] ^= 0xff // tamper with the map list
	f, err := Parse(b, DefaultLimits())
	if err != nil {
		t.Fatalf("Parse with a wrong checksum must succeed by default: %v", err)
	}
	if err := f.VerifyChecksum(); !errors.Is(err, ErrChecksum) {
		t.Errorf("VerifyChecksum = %v, want ErrChecksum", err)
	}
	if err := f.VerifySignature(); !errors.Is(err, ErrChecksum) {
		t.Errorf("VerifySignature = %v, want ErrChecksum", err)
	}
	if got := f.Classes(); len(got) != 2 {
		t.Errorf("Classes after tampering = %q", got)
	}
}

func TestBadStringData(t *testing.T) {
	spec := sampleSpec("035")
	b := spec.bytes()
	f := mustParse(t, b)
	// Point string 9 past the end and string 10 at an overlong uleb128.
	binary.LittleEndian.PutUint32(b[f.strIDs+4*sHello:], uint32(len(b)+5))
	binary.LittleEndian.PutUint32(b[f.strIDs+4*sJumbo:], uint32(len(b)-5))
	copy(b[len(b)-5:], []byte{0xff, 0xff, 0xff, 0xff, 0xff})
	f = mustParse(t, b)
	if _, err := f.String(sHello); !errors.Is(err, ErrTruncated) {
		t.Errorf("String(outside) = %v", err)
	}
	if _, err := f.String(sJumbo); !errors.Is(err, ErrTruncated) {
		t.Errorf("String(bad uleb) = %v", err)
	}
	strs := f.Strings()
	if strs[sHello] != "" || strs[sJumbo] != "" || strs[sRun] != "run" {
		t.Errorf("Strings = %q", strs)
	}
}

func TestContainer041(t *testing.T) {
	a := sampleSpec("041")
	b2 := &dexSpec{version: "041",
		strs:    []string{"Lcom/other/Second;", "Ljava/lang/Object;", "V", "go", "second"},
		types:   []uint32{0, 1, 2},
		protos:  []tProto{{shorty: 2, ret: 2}},
		methods: []tRef{{0, 0, 3}, {1, 0, 3}},
		classes: []tClass{{typ: 0, super: 1, direct: []tMethod{{idx: 0, insns: []uint16{0x001a, 4, 0x1071, 1, 0, 0x000e}}}}},
	}
	c := container(a, b2)
	testContainer(t, c)
	// The same with the second entry's offsets counted from its own header.
	b2.fromHeader = true
	testContainer(t, container(a, b2))
}

func testContainer(t *testing.T, c []byte) {
	t.Helper()
	files, err := ParseAll(c, DefaultLimits())
	if err != nil {
		t.Fatalf("ParseAll: %v", err)
	}
	if len(files) != 2 {
		t.Fatalf("ParseAll gave %d files", len(files))
	}
	if got := files[0].Classes(); !slices.Equal(got, []string{"com.example.Main", "com.example.Main$Inner"}) {
		t.Errorf("first Classes = %q", got)
	}
	if got := files[1].Classes(); !slices.Equal(got, []string{"com.other.Second"}) {
		t.Errorf("second Classes = %q", got)
	}
	for i, f := range files {
		if f.Version() != 41 {
			t.Errorf("file %d version %d", i, f.Version())
		}
		if err := f.VerifyChecksum(); err != nil {
			t.Errorf("file %d: %v", i, err)
		}
	}
	var r recorder
	if err := files[1].Walk(&r); err != nil {
		t.Fatal(err)
	}
	if want := []string{"method 0", "0 string 4", "0 invoke 1"}; !slices.Equal(r.events, want) {
		t.Errorf("second Walk = %q, want %q", r.events, want)
	}
	if s, err := files[1].String(4); err != nil || s != "second" {
		t.Errorf("second String(4) = %q, %v", s, err)
	}
	first, err := Parse(c, DefaultLimits())
	if err != nil || first.NumClasses() != 2 {
		t.Errorf("Parse(container) = %v classes, %v", first, err)
	}
	// A stand-alone 035 file gives exactly one File.
	if files, err := ParseAll(sampleSpec("035").bytes(), DefaultLimits()); err != nil || len(files) != 1 {
		t.Errorf("ParseAll(035) = %d files, %v", len(files), err)
	}
	// A container cut short.
	if _, err := ParseAll(c[:len(c)-4], DefaultLimits()); !errors.Is(err, ErrTruncated) {
		t.Errorf("ParseAll(truncated container) = %v", err)
	}
}

func TestAllVersions(t *testing.T) {
	for _, v := range []string{"035", "037", "038", "039", "040"} {
		f, err := Parse(sampleSpec(v).bytes(), Limits{})
		if err != nil {
			t.Errorf("version %s: %v", v, err)
			continue
		}
		if got := f.Classes(); len(got) != 2 {
			t.Errorf("version %s: Classes = %q", v, got)
		}
	}
}

func TestUleb128(t *testing.T) {
	cases := []struct {
		in   []byte
		v    uint32
		next int
		ok   bool
	}{
		{[]byte{0}, 0, 1, true},
		{[]byte{0x7f}, 127, 1, true},
		{[]byte{0x80, 0x7f}, 16256, 2, true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, 0xffffffff, 5, true},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 0, 5, false},
		{[]byte{0x80}, 0, 1, false},
		{nil, 0, 0, false},
	}
	for _, c := range cases {
		v, next, ok := uleb128(c.in, 0)
		if v != c.v || next != c.next || ok != c.ok {
			t.Errorf("uleb128(%x) = %d, %d, %v; want %d, %d, %v", c.in, v, next, ok, c.v, c.next, c.ok)
		}
	}
}

func TestJavaName(t *testing.T) {
	cases := map[string]string{
		"Lcom/umeng/analytics/MobclickAgent;": "com.umeng.analytics.MobclickAgent",
		"Lcom/a/B$C;":                         "com.a.B$C",
		"I":                                   "int",
		"[[J":                                 "long[][]",
		"[Ljava/lang/String;":                 "java.lang.String[]",
		"V":                                   "void",
		"Q":                                   "Q",
		"":                                    "",
		"L;":                                  "L;",
		"Lfoo":                                "Lfoo",
	}
	for in, want := range cases {
		if got := javaName([]byte(in)); got != want {
			t.Errorf("javaName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMUTF8(t *testing.T) {
	for _, s := range []string{"", "abc", "\x00", "é", "中文", "😀", unicodeSample} {
		enc, n := encodeMUTF8(s)
		b := append(appendUleb(nil, uint32(n)), append(enc, 0)...)
		_, p, _ := uleb128(b, 0)
		budget := 1 << 20
		var got string
		if asciiRun(b, p, uint32(n)) {
			got = string(b[p : p+n])
		} else {
			buf, err := decodeMUTF8(nil, b, p, uint32(n), &budget)
			if err != nil {
				t.Fatalf("decode %q: %v", s, err)
			}
			got = string(buf)
		}
		if got != s {
			t.Errorf("round trip %q = %q", s, got)
		}
	}
	// Malformed input becomes U+FFFD, never a panic; a lone surrogate too.
	budget := 1 << 20
	got, err := decodeMUTF8(nil, []byte{0xff, 0xed, 0xa0, 0x80, 'a', 0}, 0, 3, &budget)
	if err != nil || string(got) != "\uFFFD\uFFFDa" {
		t.Errorf("malformed = %q, %v", got, err)
	}
	if _, err := decodeMUTF8(nil, []byte{'a', 'b'}, 0, 5, &budget); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated = %v", err)
	}
}

func TestTableWidths(t *testing.T) {
	// Spot checks against the instruction-format table of the bytecode spec.
	want := map[uint8]uint8{
		0x00: 1, 0x01: 1, 0x02: 2, 0x03: 3, 0x0e: 1, 0x12: 1, 0x13: 2, 0x14: 3, 0x18: 5,
		0x1a: 2, 0x1b: 3, 0x24: 3, 0x25: 3, 0x26: 3, 0x28: 1, 0x29: 2, 0x2a: 3, 0x2b: 3,
		0x2c: 3, 0x2d: 2, 0x38: 2, 0x3e: 1, 0x44: 2, 0x52: 2, 0x60: 2, 0x6e: 3, 0x73: 1,
		0x74: 3, 0x79: 1, 0x7b: 1, 0x90: 2, 0xb0: 1, 0xd0: 2, 0xd8: 2, 0xe2: 2, 0xe3: 1,
		0xf9: 1, 0xfa: 4, 0xfb: 4, 0xfc: 3, 0xfd: 3, 0xfe: 2, 0xff: 2,
	}
	for op, w := range want {
		if opWidth[op] != w {
			t.Errorf("opWidth[%#02x] = %d, want %d", op, opWidth[op], w)
		}
	}
	if !reflect.DeepEqual(opKind[0x73], kindNone) || opKind[0xfc] != kindNone || opKind[0x6e] != kindInvoke {
		t.Error("opKind: unused 0x73 and invoke-custom must not be reported, invoke-virtual must")
	}
}

// A string declaring 0xffffffff UTF-16 units but ending at once used to make
// the decoder loop forever (found by FuzzParse).
func TestMUTF8HugeLengthEarlyNUL(t *testing.T) {
	b := []byte{0xff, 0xff, 0xff, 0xff, 0x0f, 0xc3, 0xa9, 0x00}
	budget := 1 << 20
	got, err := decodeMUTF8(nil, b, 5, 0xffffffff, &budget)
	if err != nil || string(got) != "é" {
		t.Errorf("decode = %q, %v", got, err)
	}
}

// The declared UTF-16 length must not size any allocation: a crafted
// 0xffffffff once reserved 4 GB (found by FuzzParse).
func TestHugeDeclaredLengthAllocation(t *testing.T) {
	b := sampleSpec("035").bytes()
	f := mustParse(t, b)
	off := len(b)
	b = append(b, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xc3, 0xa9, 0x00)
	binary.LittleEndian.PutUint32(b[32:], uint32(len(b)))
	binary.LittleEndian.PutUint32(b[f.strIDs+4*sUnicode:], uint32(off))
	binary.LittleEndian.PutUint32(b[f.typeIDs+4*tInner:], sUnicode)
	f = mustParse(t, b)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := f.String(sUnicode)
	strs := f.Strings()
	name, terr := f.TypeName(tInner)
	runtime.ReadMemStats(&after)
	if err != nil || s != "é" || strs[sUnicode] != "é" || terr != nil || name != "é" {
		t.Errorf("String = %q, %v; Strings[%d] = %q; TypeName = %q, %v", s, err, sUnicode, strs[sUnicode], name, terr)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("decoding allocated %d bytes", d)
	}
}

// TestConcurrentUse shares one File between goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	f := mustParse(t, sampleSpec("035").bytes())
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if len(f.Classes()) != 2 || len(f.TypeNames()) != 8 || f.CodeMethods() != 4 {
					t.Error("wrong result under concurrency")
					return
				}
				if _, err := f.Method(uint32(i % 7)); err != nil {
					t.Error(err)
				}
				if _, err := f.Field(0); err != nil {
					t.Error(err)
				}
				if _, err := f.Proto(uint32(i % 3)); err != nil {
					t.Error(err)
				}
				if err := f.Walk(&recorder{}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// TestFindType checks the binary search against decoding every type.
func TestFindType(t *testing.T) {
	for _, f := range findTypeInputs(t) {
		if !slices.IsSorted(f.Strings()) {
			continue // FindType needs the sorted string table the DEX format requires
		}
		for i := range uint32(f.NumTypes()) {
			name, err := f.TypeName(i)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := f.TypeDescriptor(i)
			if len(d) < 3 || d[0] != 'L' {
				continue // primitives and arrays are not looked up by class name
			}
			got, ok := f.FindType(name)
			if !ok || got != i {
				t.Errorf("FindType(%q) = %d, %v; want %d", name, got, ok, i)
			}
		}
		for _, missing := range []string{"no.such.Type", "", "java.lang.Strin", "zzz.Last", "A"} {
			if _, ok := f.FindType(missing); ok {
				t.Errorf("FindType(%q) found a type", missing)
			}
		}
	}
}

// findTypeInputs are the sample dex and, when ../shared is present, the
// fixture dex files.
func findTypeInputs(t *testing.T) []*File {
	files := []*File{mustParse(t, sampleSpec("035").bytes())}
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "fixtures", "apks")); err == nil {
		for _, b := range fixtureDexes(t) {
			if f, err := Parse(b, DefaultLimits()); err == nil {
				files = append(files, f)
			}
		}
	}
	return files
}
