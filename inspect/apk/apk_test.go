package apk

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const (
	idLabel = 0x7f010000
	idUmeng = 0x7f010001
	idIcon  = 0x7f020000
	idBool  = 0x7f030000
)

func demoARSC(sparse bool) []byte {
	return encodeARSC([]rentry{
		{typeID: 1, entry: 0, values: []rvalue{
			{typ: typeString, str: "Demo"},
			{lang: "zh", region: "CN", typ: typeString, str: "演示"},
			{lang: "zh", region: "TW", typ: typeString, str: "演示繁"},
			{lang: "fr", typ: typeString, str: "Démo"},
		}},
		{typeID: 1, entry: 1, values: []rvalue{{typ: typeString, str: "5f0a1b2c3d4e"}}},
		{typeID: 2, entry: 0, values: []rvalue{
			{density: 160, typ: typeString, str: "res/mipmap-mdpi/ic_launcher.png"},
			{density: 640, typ: typeString, str: "res/mipmap-xxxhdpi/ic_launcher.png"},
			{density: 0xfffe, typ: typeString, str: "res/mipmap-anydpi-v26/ic_launcher.xml"},
		}},
		{typeID: 3, entry: 0, values: []rvalue{{typ: typeIntBoolean, data: 0xffffffff}}},
	}, sparse)
}

func demoManifest(targetSDK uint32) []byte {
	filter := func(kids ...xnode) xnode { return el("intent-filter", nil, kids...) }
	action := func(n string) xnode { return el("action", []xattr{aStr("name", n)}) }
	category := func(n string) xnode { return el("category", []xattr{aStr("name", n)}) }
	return encodeAXML(el("manifest", []xattr{
		aPlain("package", "com.example.demo"), aInt("versionCode", 42), aStr("versionName", "1.2"),
		aInt("compileSdkVersion", 34),
	},
		el("uses-sdk", []xattr{aInt("minSdkVersion", 14), aInt("targetSdkVersion", targetSDK)}),
		el("uses-permission", []xattr{aStr("name", "android.permission.INTERNET")}),
		el("uses-permission", []xattr{aStr("name", "android.permission.WRITE_EXTERNAL_STORAGE"), aInt("maxSdkVersion", 28)}),
		el("uses-permission", []xattr{aStr("name", "android.permission.INTERNET")}),
		el("uses-permission-sdk-23", []xattr{aStr("name", "android.permission.ACCESS_FINE_LOCATION")}),
		el("permission", []xattr{aStr("name", "com.example.demo.C2D"), aHex("protectionLevel", 0x12)}),
		el("uses-feature", []xattr{aStr("name", "android.hardware.camera")}),
		el("queries", nil,
			el("package", []xattr{aStr("name", "com.tencent.mm")}),
			el("intent", nil, action("android.intent.action.VIEW"), el("data", []xattr{aStr("scheme", "https")})),
			el("provider", []xattr{aStr("authorities", "com.example.other")}),
		),
		el("application", []xattr{
			aStr("name", ".App"), aRef("label", idLabel), aRef("icon", idIcon),
			aBool("allowBackup", false), aRef("usesCleartextTraffic", idBool), aBool("debuggable", true),
		},
			el("meta-data", []xattr{aStr("name", "UMENG_APPKEY"), aRef("value", idUmeng)}),
			el("meta-data", []xattr{aStr("name", "JPUSH_CHANNEL"), aStr("value", "dev")}),
			el("activity", []xattr{aStr("name", ".Main")},
				filter(action("android.intent.action.MAIN"), category("android.intent.category.LAUNCHER"))),
			el("activity", []xattr{aStr("name", "Deep")},
				filter(action("android.intent.action.VIEW"), category("android.intent.category.BROWSABLE"),
					el("data", []xattr{aStr("scheme", "https"), aStr("host", "example.com"), aStr("path", "/open")}),
					el("data", []xattr{aStr("scheme", "http")}))),
			el("activity", []xattr{aStr("name", "com.other.Hidden"), aBool("exported", false)}),
			el("activity-alias", []xattr{aStr("name", ".Alias"), aStr("targetActivity", ".Main"), aBool("exported", true)}),
			el("service", []xattr{aStr("name", ".Svc"), aStr("permission", "com.example.demo.C2D")},
				el("meta-data", []xattr{aStr("name", "com.amap.api.v2.apikey"), aStr("value", "amapkey")})),
			el("receiver", []xattr{aStr("name", ".Rcv")}, filter(action("android.intent.action.BOOT_COMPLETED"))),
			el("provider", []xattr{aStr("name", ".Prov"), aStr("authorities", "com.example.demo.files;com.example.demo.x")}),
		),
	))
}

func demoAPK(t testing.TB, extra ...zfile) []byte {
	files := []zfile{
		{name: "AndroidManifest.xml", data: demoManifest(30), method: zip.Deflate},
		{name: "resources.arsc", data: demoARSC(false), method: zip.Store},
		{name: "classes.dex", data: []byte("dex\n035\x00"), method: zip.Deflate},
	}
	return buildZip(t, append(files, extra...)...)
}

func openBytes(t testing.TB, name string, data []byte) *Archive {
	t.Helper()
	a, err := Open(writeTemp(t, name, data), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestParseManifestBuilt(t *testing.T) {
	for _, sparse := range []bool{false, true} {
		a := openBytes(t, "demo.apk", buildZip(t,
			zfile{name: "AndroidManifest.xml", data: demoManifest(30), method: zip.Deflate},
			zfile{name: "resources.arsc", data: demoARSC(sparse)},
		))
		m, err := ParseManifest(a)
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("sparse=%v %s = %#v, want %#v", sparse, what, got, want)
			}
		}
		check("package", m.Package, "com.example.demo")
		check("version", [2]any{m.VersionCode, m.VersionName}, [2]any{int64(42), "1.2"})
		check("sdk", [3]int{m.MinSDK, m.TargetSDK, m.CompileSDK}, [3]int{14, 30, 34})
		check("label", m.Label, "Demo")
		check("labels", m.Labels, map[string]string{"": "Demo", "zh-CN": "演示", "zh-TW": "演示繁", "fr": "Démo"})
		check("icon", m.Icon, "res/mipmap-xxxhdpi/ic_launcher.png")
		check("main", m.MainActivity, "com.example.demo.Main")
		check("permissions", m.Permissions, []Permission{
			{Name: "android.permission.ACCESS_FINE_LOCATION", SDK23: true},
			{Name: "android.permission.INTERNET"},
			{Name: "android.permission.WRITE_EXTERNAL_STORAGE", MaxSDK: 28},
		})
		check("implied", m.ImpliedPermissions, []ImpliedPermission{
			{Name: "android.permission.READ_EXTERNAL_STORAGE", MaxSDK: 28, Reason: "requested WRITE_EXTERNAL_STORAGE"},
		})
		check("custom", m.CustomPermissions, []CustomPermission{{Name: "com.example.demo.C2D", ProtectionLevel: "signature|privileged"}})
		check("features", m.Features, []string{"android.hardware.camera"})
		check("queries.packages", m.Queries.Packages, []string{"com.tencent.mm"})
		check("queries.providers", m.Queries.Providers, []string{"com.example.other"})
		check("queries.intents", m.Queries.Intents[0].Data, []string{"https:"})

		app := m.Application
		check("class", app.ClassName, "com.example.demo.App")
		check("debuggable", app.Debuggable, true)
		check("allowBackup", *app.AllowBackup, false)
		check("allowBackupEffective", app.AllowBackupEffective, false)
		check("cleartext (via @bool)", *app.UsesCleartextTraffic, true)
		check("cleartextEffective", app.UsesCleartextTrafficEffective, true)
		if app.ExtractNativeLibs != nil {
			t.Error("extractNativeLibs should be nil when absent")
		}

		byName := map[string]Component{}
		for _, c := range m.Components {
			byName[c.Name] = c
		}
		exp := map[string]bool{
			"com.example.demo.Main": true, "com.example.demo.Deep": true, "com.other.Hidden": false,
			"com.example.demo.Alias": true, "com.example.demo.Svc": false, "com.example.demo.Rcv": true,
			"com.example.demo.Prov": false,
		}
		for n, want := range exp {
			c, ok := byName[n]
			if !ok {
				t.Errorf("component %s missing; have %v", n, slices.Collect(func(y func(string) bool) {
					for k := range byName {
						if !y(k) {
							return
						}
					}
				}))
				continue
			}
			check(n+" exported", c.Exported, want)
		}
		check("deep data", byName["com.example.demo.Deep"].IntentFilters[0].Data,
			[]string{"https://example.com/open", "http://example.com/open"})
		check("provider authorities", byName["com.example.demo.Prov"].Authorities,
			[]string{"com.example.demo.files", "com.example.demo.x"})
		check("alias target", byName["com.example.demo.Alias"].TargetActivity, "com.example.demo.Main")
		check("svc permission", byName["com.example.demo.Svc"].Permission, "com.example.demo.C2D")
		check("meta", m.MetaData, []MetaData{
			{Name: "JPUSH_CHANNEL", Value: "dev", Owner: "application"},
			{Name: "UMENG_APPKEY", Value: "5f0a1b2c3d4e", Owner: "application"},
			{Name: "com.amap.api.v2.apikey", Value: "amapkey", Owner: "com.example.demo.Svc"},
		})
		kinds := []string{}
		for _, c := range m.Components {
			kinds = append(kinds, c.Kind)
		}
		if !slices.IsSorted(kinds) {
			t.Errorf("components not sorted by kind: %v", kinds)
		}
	}
}

func TestDefaultsAndOldTarget(t *testing.T) {
	mf := encodeAXML(el("manifest", []xattr{aPlain("package", "p.q")},
		el("uses-sdk", []xattr{aInt("minSdkVersion", 3)}),
		el("application", nil,
			el("provider", []xattr{aStr("name", "Prov"), aStr("authorities", "p.q.a")}),
			el("activity", []xattr{aStr("name", ".A")}),
		)))
	m, err := ParseManifestBytes(mf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.MinSDK != 3 || m.TargetSDK != 3 {
		t.Errorf("sdk = %d/%d, want 3/3 (target defaults to min)", m.MinSDK, m.TargetSDK)
	}
	for _, c := range m.Components {
		want := c.Kind == "provider" // targetSdk < 17: providers exported by default
		if c.Exported != want || c.ExportedExplicit != nil {
			t.Errorf("%s exported=%v explicit=%v, want %v/nil", c.Name, c.Exported, c.ExportedExplicit, want)
		}
	}
	if !m.Application.AllowBackupEffective || m.Application.AllowBackup != nil || !m.Application.UsesCleartextTrafficEffective {
		t.Errorf("application defaults wrong: %+v", m.Application)
	}
	var names []string
	for _, p := range m.ImpliedPermissions {
		names = append(names, p.Name)
	}
	want := []string{"android.permission.READ_EXTERNAL_STORAGE", "android.permission.READ_PHONE_STATE", "android.permission.WRITE_EXTERNAL_STORAGE"}
	if !slices.Equal(names, want) {
		t.Errorf("implied = %v, want %v", names, want)
	}
	// No uses-sdk at all: minSdk 1.
	m, err = ParseManifestBytes(encodeAXML(el("manifest", []xattr{aPlain("package", "x.y")})), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.MinSDK != 1 || m.TargetSDK != 1 {
		t.Errorf("sdk = %d/%d, want 1/1", m.MinSDK, m.TargetSDK)
	}
}

func TestJSONHasNoNullSlices(t *testing.T) {
	m, err := ParseManifestBytes(encodeAXML(el("manifest", []xattr{aPlain("package", "x.y")},
		el("application", nil, el("activity", []xattr{aStr("name", ".A")}, el("intent-filter", nil))))), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, key := range []string{"permissions", "implied_permissions", "custom_permissions", "components", "meta_data",
		"uses_features", "warnings", "packages", "intents", "providers", "actions", "categories", "data", "mime_types",
		"authorities", "intent_filters"} {
		if strings.Contains(s, `"`+key+`":null`) {
			t.Errorf("%s is null in %s", key, s)
		}
	}
	if !strings.Contains(s, `"allow_backup":null`) {
		t.Errorf("absent allow_backup should be null: %s", s)
	}
}

func TestArchiveBasics(t *testing.T) {
	a := openBytes(t, "demo.apk", demoAPK(t,
		zfile{name: "lib/arm64-v8a/libjpush.so", data: []byte("ELF"), method: zip.Deflate},
		zfile{name: "lib/armeabi-v7a/libjpush.so", data: []byte("ELF")},
		zfile{name: "lib/x86/readme.txt", data: []byte("x")},
	))
	if a.Format() != "apk" {
		t.Errorf("format %q", a.Format())
	}
	if got := a.Splits(); len(got) != 1 || got[0].Name != "base" || got[0].Path != "demo.apk" {
		t.Errorf("splits %+v", got)
	}
	es := a.Entries()
	if !slices.IsSortedFunc(es, func(x, y Entry) int { return strings.Compare(x.Name, y.Name) }) || len(es) != 6 {
		t.Errorf("entries not sorted or wrong count: %+v", es)
	}
	b, err := a.ReadFile("", "classes.dex")
	if err != nil || string(b) != "dex\n035\x00" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if _, err := a.ReadFile("base", "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing entry err = %v", err)
	}
	if _, err := a.ReadFile("config.x86", "classes.dex"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing split err = %v", err)
	}
	if got, want := ABIs(a), []string{"arm64-v8a", "armeabi-v7a", "x86"}; !slices.Equal(got, want) {
		t.Errorf("ABIs = %v, want %v", got, want)
	}
	libs := NativeLibs(a)
	if len(libs) != 2 || libs[0].ABI != "arm64-v8a" || libs[0].Name != "libjpush.so" || libs[0].Split != "base" {
		t.Errorf("NativeLibs = %+v", libs)
	}
	ra, n := a.BaseReaderAt()
	head := make([]byte, 4)
	if _, err := ra.ReadAt(head, 0); err != nil || string(head) != "PK\x03\x04" || n <= 0 {
		t.Errorf("BaseReaderAt: %q %d %v", head, n, err)
	}
	strs, err := ResourceStrings(a)
	if err != nil || !slices.Contains(strs, "5f0a1b2c3d4e") || !slices.Contains(strs, "演示") || !slices.IsSorted(strs) {
		t.Errorf("ResourceStrings = %v, %v", strs, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadFile("", "classes.dex"); !errors.Is(err, ErrClosed) {
		t.Errorf("read after close: %v", err)
	}
}

func TestCorruptZips(t *testing.T) {
	good := demoAPK(t)
	// Shift the central directory size so it overlaps the end record.
	truncated := slices.Clone(good)
	eo := bytes.LastIndex(truncated, []byte("PK\x05\x06"))
	binary.LittleEndian.PutUint32(truncated[eo+12:], binary.LittleEndian.Uint32(truncated[eo+12:])+1)
	empty := []byte("PK\x05\x06" + strings.Repeat("\x00", 18))
	cases := map[string]struct {
		data []byte
		want error
		msg  string
	}{
		"truncated-cd.apk": {truncated, ErrFormat, "zip central directory: bad offsets"},
		"empty.apk":        {empty, ErrEmpty, "empty archive"},
		"nul.apk":          {buildZip(t, zfile{name: "a\x00b", data: []byte("x")}), ErrFormat, "invalid file name"},
		"dup.apk":          {buildZip(t, zfile{name: "a", data: []byte("x")}, zfile{name: "a", data: []byte("y")}), ErrFormat, "duplicate entry"},
		"notzip.apk":       {[]byte(strings.Repeat("garbage!", 10)), ErrFormat, "not found"},
		"short.apk":        {[]byte("PK"), ErrFormat, "too short"},
	}
	for name, c := range cases {
		_, err := Open(writeTemp(t, name, c.data), Limits{})
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "apk: "+name+": ") {
			t.Errorf("%s: err = %v, want %v mentioning %q and the file", name, err, c.want, c.msg)
		}
	}
	// A manifest that is not binary XML: error naming the file and the part.
	a := openBytes(t, "badxml.apk", buildZip(t, zfile{name: "AndroidManifest.xml", data: []byte("<manifest/>")}))
	if _, err := ParseManifest(a); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "badxml.apk: AndroidManifest.xml: binary xml") {
		t.Errorf("bad manifest err = %v", err)
	}
	// No manifest.
	a = openBytes(t, "nomf.apk", buildZip(t, zfile{name: "classes.dex", data: []byte("x")}))
	if _, err := ParseManifest(a); !errors.Is(err, ErrNoManifest) {
		t.Errorf("no manifest err = %v", err)
	}
	// A corrupt resources.arsc is a warning, not a failure.
	a = openBytes(t, "badarsc.apk", buildZip(t,
		zfile{name: "AndroidManifest.xml", data: demoManifest(30)},
		zfile{name: "resources.arsc", data: []byte{2, 0, 12, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0}}))
	m, err := ParseManifest(a)
	if err != nil || len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "resources.arsc") || m.Label != "" ||
		m.MetaData[1].Value != "@0x7F010001" {
		t.Errorf("bad arsc: %v %+v", err, m)
	}
}

// rawZip writes one entry with the given header fields and raw (already
// compressed) bytes.
func rawZip(t testing.TB, fh zip.FileHeader, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	fw, err := w.CreateRaw(&fh)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(raw)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCompressionMethods(t *testing.T) {
	data := []byte("hello, unknown method")
	crc := crc32.ChecksumIEEE(data)
	// Unknown method, sizes equal: read as stored (documented tolerance).
	a := openBytes(t, "m99.apk", rawZip(t, zip.FileHeader{Name: "x", Method: 99, CRC32: crc,
		CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))}, data))
	if b, err := a.ReadFile("", "x"); err != nil || !bytes.Equal(b, data) {
		t.Errorf("method 99 stored-size: %q %v", b, err)
	}
	// Unknown method, sizes differ: refused.
	a = openBytes(t, "m12.apk", rawZip(t, zip.FileHeader{Name: "x", Method: 12, CRC32: crc,
		CompressedSize64: uint64(len(data)), UncompressedSize64: 100}, data))
	if _, err := a.ReadFile("", "x"); !errors.Is(err, ErrMethod) {
		t.Errorf("method 12: %v", err)
	}
	// Wrong CRC: refused.
	a = openBytes(t, "crc.apk", rawZip(t, zip.FileHeader{Name: "x", Method: zip.Store, CRC32: crc + 1,
		CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))}, data))
	if _, err := a.ReadFile("", "x"); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("crc: %v", err)
	}
}

// zeroDeflate returns a raw deflate stream of n MiB of zeros (about 1 KiB
// per MiB), built by repeating one compressed block.
func zeroDeflate(t testing.TB, mib int) []byte {
	var out, blk bytes.Buffer
	w, _ := flate.NewWriter(&out, flate.BestCompression)
	zero := make([]byte, 1<<20)
	w.Write(zero)
	w.Flush()
	w2, _ := flate.NewWriter(&blk, flate.BestCompression)
	w2.Write(zero)
	w2.Flush()
	blk.Reset()
	w2.Write(zero)
	w2.Flush() // a block of pure back-references to the zero window
	for range mib - 1 {
		out.Write(blk.Bytes())
	}
	// final empty stored block
	out.Write([]byte{1, 0, 0, 0xff, 0xff})
	return out.Bytes()
}

func TestZipBomb(t *testing.T) {
	const gib = 2 << 10 // 2 GiB in MiB
	stream := zeroDeflate(t, gib)
	t.Logf("2 GiB of zeros deflates to %d bytes here", len(stream))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()

	// Honest header: refused on the declared size, before allocating.
	honest := rawZip(t, zip.FileHeader{Name: "bomb", Method: zip.Deflate,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: gib << 20}, stream)
	a := openBytes(t, "bomb.apk", honest)
	if _, err := a.ReadFile("", "bomb"); !errors.Is(err, ErrLimit) {
		t.Errorf("declared 2 GiB: %v", err)
	}
	// With a larger entry limit, the ratio check refuses it.
	big, err := Open(writeTemp(t, "bomb2.apk", honest), Limits{MaxEntrySize: 4 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := big.Open("", "bomb"); !errors.Is(err, ErrZipBomb) {
		t.Errorf("ratio: %v", err)
	}
	big.Close()
	// Lying header: a 1 KiB entry that inflates to 2 GiB stops at 1 KiB.
	liar := rawZip(t, zip.FileHeader{Name: "bomb", Method: zip.Deflate,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: 1024}, stream)
	a = openBytes(t, "liar.apk", liar)
	if _, err := a.ReadFile("", "bomb"); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "longer than its declared size") {
		t.Errorf("lying size: %v", err)
	}
	// Total limit across reads.
	small := openBytesLim(t, demoAPK(t), Limits{MaxTotalInflated: 64})
	if _, err := small.ReadFile("", "AndroidManifest.xml"); !errors.Is(err, ErrLimit) {
		t.Errorf("total limit: %v", err)
	}

	runtime.ReadMemStats(&after)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("bomb handling took %v", d)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("bomb handling allocated %d bytes", alloc)
	}
}

func openBytesLim(t testing.TB, data []byte, lim Limits) *Archive {
	a, err := Open(writeTemp(t, "lim.apk", data), lim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestHostileNames(t *testing.T) {
	dir := t.TempDir()
	inner := demoAPK(t, zfile{name: "../../../../evil.txt", data: []byte("x")}, zfile{name: "/etc/evil", data: []byte("x")})
	bundle := buildZip(t,
		zfile{name: "toc.pb", data: []byte{}},
		zfile{name: "splits/base-master.apk", data: inner, method: zip.Deflate},
		zfile{name: "../../evil.apk", data: inner, method: zip.Deflate},
		zfile{name: "splits/..\\..\\x.apk", data: inner, method: zip.Deflate},
	)
	p := filepath.Join(dir, "b.apks")
	os.WriteFile(p, bundle, 0o600)
	a, err := Open(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Splits()) != 1 {
		t.Errorf("splits %+v", a.Splits())
	}
	if _, err := a.ReadFile("", "../../../../evil.txt"); err != nil {
		t.Errorf("read hostile name: %v", err)
	}
	tmp := a.tmpDir
	a.Close()
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temp dir %s not removed: %v", tmp, err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files appeared next to the bundle: %v", ents)
	}
}

func splitAPK(t testing.TB, split string, lib string) []byte {
	mf := encodeAXML(el("manifest", []xattr{aPlain("package", "com.example.demo"), aPlain("split", split)}))
	return buildZip(t, zfile{name: "AndroidManifest.xml", data: mf}, zfile{name: lib, data: []byte("ELF"), method: zip.Deflate})
}

func TestBundles(t *testing.T) {
	base := demoAPK(t)
	arm := splitAPK(t, "config.arm64_v8a", "lib/arm64-v8a/libfoo.so")
	zh := splitAPK(t, "config.zh", "assets/zh.txt")
	apks := buildZip(t,
		zfile{name: "toc.pb", data: []byte{1}},
		zfile{name: "splits/base-master.apk", data: base, method: zip.Deflate},
		zfile{name: "splits/base-arm64_v8a.apk", data: arm, method: zip.Store},
		zfile{name: "splits/base-zh.apk", data: zh, method: zip.Deflate},
	)
	xapk := buildZip(t,
		zfile{name: "manifest.json", data: []byte(`{"package_name":"com.example.demo","split_apks":[{"file":"com.example.demo.apk","id":"base"},{"file":"config.arm64_v8a.apk","id":"config.arm64_v8a"}]}`)},
		zfile{name: "icon.png", data: []byte("png")},
		zfile{name: "config.arm64_v8a.apk", data: arm},
		zfile{name: "com.example.demo.apk", data: base, method: zip.Deflate},
	)
	for _, c := range []struct {
		file, format string
		data         []byte
		splits       []string
	}{
		{"app.apks", "apks", apks, []string{"base", "config.arm64_v8a", "config.zh"}},
		{"app.zip", "xapk", xapk, []string{"base", "config.arm64_v8a"}},
	} {
		a := openBytes(t, c.file, c.data)
		if a.Format() != c.format {
			t.Errorf("%s: format %q, want %q", c.file, a.Format(), c.format)
		}
		var names []string
		for _, s := range a.Splits() {
			names = append(names, s.Name)
			if s.Size <= 0 || s.Path == "" {
				t.Errorf("%s: split %+v", c.file, s)
			}
		}
		if !slices.Equal(names, c.splits) {
			t.Errorf("%s: splits %v, want %v", c.file, names, c.splits)
		}
		m, err := ParseManifest(a)
		if err != nil || m.Package != "com.example.demo" || m.Label != "Demo" {
			t.Errorf("%s: manifest %v %v", c.file, m, err)
		}
		if got := ABIs(a); !slices.Equal(got, []string{"arm64-v8a"}) {
			t.Errorf("%s: ABIs %v", c.file, got)
		}
		libs := NativeLibs(a)
		if len(libs) != 1 || libs[0].Split != "config.arm64_v8a" {
			t.Errorf("%s: libs %+v", c.file, libs)
		}
		if b, err := a.ReadFile("config.arm64_v8a", "lib/arm64-v8a/libfoo.so"); err != nil || string(b) != "ELF" {
			t.Errorf("%s: split read %q %v", c.file, b, err)
		}
		if _, n, err := a.SplitReaderAt("config.arm64_v8a"); err != nil || n != int64(len(arm)) {
			t.Errorf("%s: SplitReaderAt %d %v", c.file, n, err)
		}
		es := a.Entries()
		if es[0].Split != "base" || es[len(es)-1].Split == "base" {
			t.Errorf("%s: entries not base-first: %v … %v", c.file, es[0], es[len(es)-1])
		}
		tmp := a.tmpDir
		if tmp == "" {
			t.Errorf("%s: compressed nested APK should use a temp dir", c.file)
		}
		a.Close()
		if _, err := os.Stat(tmp); !os.IsNotExist(err) {
			t.Errorf("%s: temp dir left behind", c.file)
		}
	}
}

func TestFindPolicyDocs(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("用户协议\n欢迎使用本应用"))
	a := openBytes(t, "p.apk", demoAPK(t,
		zfile{name: "assets/privacy.html", data: []byte("<html><body>x</body></html>")},
		zfile{name: "assets/web/index.html", data: []byte("<html><head><title> 隐私政策 </title></head></html>"), method: zip.Deflate},
		zfile{name: "assets/web/game.html", data: []byte("<html><head><title>Game</title></head><body>play</body></html>")},
		zfile{name: "assets/notes.txt", data: gbk},
		zfile{name: "res/raw/user_agreement.txt", data: []byte("Terms\nof use")},
		zfile{name: "assets/licenses/LICENSE", data: []byte("MIT")},
		zfile{name: "assets/privacy_config.json", data: []byte("{}")},
		zfile{name: "res/layout/privacy.xml", data: []byte("x")},
	))
	got := FindPolicyDocs(a)
	want := []PolicyDoc{
		{Path: "assets/licenses/LICENSE", Split: "base", Size: 3, Kind: "terms", MediaType: "application/octet-stream"},
		{Path: "assets/notes.txt", Split: "base", Size: int64(len(gbk)), Title: "用户协议", Kind: "terms", MediaType: "text/plain"},
		{Path: "assets/privacy.html", Split: "base", Size: 27, Title: "x", Kind: "privacy", MediaType: "text/html"},
		{Path: "assets/web/index.html", Split: "base", Size: 55, Title: "隐私政策", Kind: "privacy", MediaType: "text/html"},
		{Path: "res/raw/user_agreement.txt", Split: "base", Size: 12, Title: "Terms", Kind: "terms", MediaType: "text/plain"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FindPolicyDocs:\n got %+v\nwant %+v", got, want)
	}
}
