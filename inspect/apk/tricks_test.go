package apk

import (
	"bytes"
	"encoding/binary"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// trickCodes maps each synth manifest trick to the ManifestTrick code it
// must produce.
var trickCodes = map[string]string{
	synth.TrickEmptyAttrNames:   "attr_name_empty",
	synth.TrickBogusNamespace:   "attr_namespace_bogus",
	synth.TrickNilNamespace:     "attr_namespace_nil",
	synth.TrickDecoyName:        "decoy_attr_no_res_id",
	synth.TrickBadUnusedStrings: "bad_unused_strings",
	synth.TrickPaddedHeaders:    "padded_header",
	synth.TrickUnknownChunks:    "unknown_chunk",
}

var trickPerms = []string{
	"android.permission.ACCESS_FINE_LOCATION",
	"android.permission.CAMERA",
	"android.permission.READ_CONTACTS",
}

func trickSpec(tricks ...string) synth.Spec {
	f := false
	return synth.Spec{
		Package: "com.example.tricky", VersionCode: 7, VersionName: "7.0",
		MinSDK: 21, TargetSDK: 30, LabelEN: "Tricky",
		Permissions:    trickPerms,
		Application:    synth.ApplicationSpec{Name: "com.example.tricky.App", AllowBackup: &f},
		Components:     []synth.Component{{Kind: "activity", Name: "com.example.tricky.Main", Actions: []string{"android.intent.action.MAIN"}}},
		ManifestTricks: tricks,
	}
}

// trickVariants is the hostile corpus: each trick alone, each pair with the
// decoy, and all together.
func trickVariants() map[string][]string {
	out := map[string][]string{"none": nil, "all": synth.ManifestTricks}
	for _, t := range synth.ManifestTricks {
		out[t] = []string{t}
		if t != synth.TrickDecoyName {
			out[t+"+decoy"] = []string{t, synth.TrickDecoyName}
		}
	}
	return out
}

func TestManifestTricks(t *testing.T) {
	for name, tricks := range trickVariants() {
		t.Run(name, func(t *testing.T) {
			b, err := synth.Build(trickSpec(tricks...))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Open(writeTemp(t, "t.apk", b), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			m, err := ParseManifest(a)
			if err != nil {
				t.Fatalf("ParseManifest: %v", err)
			}
			if m.Package != "com.example.tricky" || m.VersionCode != 7 || m.VersionName != "7.0" ||
				m.MinSDK != 21 || m.TargetSDK != 30 || m.Label != "Tricky" {
				t.Errorf("facts: %q %d %q min %d target %d label %q", m.Package, m.VersionCode, m.VersionName, m.MinSDK, m.TargetSDK, m.Label)
			}
			var perms []string
			for _, p := range m.Permissions {
				perms = append(perms, p.Name)
			}
			if !slices.Equal(perms, trickPerms) {
				t.Errorf("permissions = %v, want %v", perms, trickPerms)
			}
			if m.Application.ClassName != "com.example.tricky.App" || m.Application.AllowBackupEffective {
				t.Errorf("application = %+v", m.Application)
			}
			if m.MainActivity != "" || len(m.Components) != 1 || m.Components[0].Name != "com.example.tricky.Main" {
				t.Errorf("components = %+v", m.Components)
			}
			var codes []string
			for _, tr := range m.Tricks {
				codes = append(codes, tr.Code)
				if tr.EN == "" || tr.ZH == "" || tr.Count < 1 {
					t.Errorf("trick %+v: missing text or count", tr)
				}
			}
			for _, tr := range tricks {
				if tr == synth.TrickBogusNamespace && slices.Contains(tricks, synth.TrickNilNamespace) {
					continue // no namespace at all: the bogus URI is declared but unused
				}
				if !slices.Contains(codes, trickCodes[tr]) {
					t.Errorf("trick %s: codes %v lack %s", tr, codes, trickCodes[tr])
				}
			}
			if len(tricks) == 0 && len(codes) > 0 {
				t.Errorf("clean manifest reported tricks %v", codes)
			}
			if len(tricks) > 0 && !slices.ContainsFunc(m.Warnings, func(w string) bool { return strings.Contains(w, "anti-analysis") }) {
				t.Errorf("no warning for tricks: %v", m.Warnings)
			}
		})
	}
}

// TestManifestTricksMatchAapt compares the facts with aapt's dump badging
// on every variant aapt reads.
func TestManifestTricksMatchAapt(t *testing.T) {
	aapt, err := exec.LookPath("aapt")
	if err != nil {
		t.Skip("aapt not installed (apt-get install aapt): comparison skipped")
	}
	pkgRe := regexp.MustCompile(`package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'`)
	sdkRe := regexp.MustCompile(`(?m)^sdkVersion:'(\d+)'`)
	tgtRe := regexp.MustCompile(`(?m)^targetSdkVersion:'(\d+)'`)
	permRe := regexp.MustCompile(`(?m)^uses-permission: name='([^']*)'`)
	read := 0
	for name, tricks := range trickVariants() {
		b, err := synth.Build(trickSpec(tricks...))
		if err != nil {
			t.Fatal(err)
		}
		p := writeTemp(t, name+".apk", b)
		out, err := exec.Command(aapt, "dump", "badging", p).CombinedOutput()
		if err != nil {
			t.Logf("%s: aapt does not read it (%v): %s", name, err, firstLine(string(out)))
			continue
		}
		read++
		a, err := Open(p, Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m, err := ParseManifest(a)
		a.Close()
		if err != nil {
			t.Fatalf("%s: aapt reads it, we fail: %v", name, err)
		}
		pm := pkgRe.FindSubmatch(out)
		if pm == nil {
			t.Fatalf("%s: no package line in %s", name, out)
		}
		if string(pm[1]) != m.Package || string(pm[2]) != strconv.FormatInt(m.VersionCode, 10) || string(pm[3]) != m.VersionName {
			t.Errorf("%s: aapt %s, we %s %d %s", name, pm[0], m.Package, m.VersionCode, m.VersionName)
		}
		if s := sdkRe.FindSubmatch(out); s == nil || string(s[1]) != strconv.Itoa(m.MinSDK) {
			t.Errorf("%s: aapt sdkVersion %q, we %d", name, s, m.MinSDK)
		}
		if s := tgtRe.FindSubmatch(out); s == nil || string(s[1]) != strconv.Itoa(m.TargetSDK) {
			t.Errorf("%s: aapt targetSdkVersion %q, we %d", name, s, m.TargetSDK)
		}
		var ap, wp []string
		for _, x := range permRe.FindAllSubmatch(out, -1) {
			ap = append(ap, string(x[1]))
		}
		for _, p := range m.Permissions {
			wp = append(wp, p.Name)
		}
		slices.Sort(ap)
		ap = slices.Compact(ap)
		if !slices.Equal(ap, wp) {
			t.Errorf("%s: aapt permissions %v, we %v", name, ap, wp)
		}
	}
	t.Logf("aapt read %d of %d variants", read, len(trickVariants()))
	if read == 0 {
		t.Error("aapt read no variant: the comparison compared nothing")
	}
}

// TestManifestInvalidNamespaceReference: a namespace declaration naming a
// string index beyond the pool (androidbinary: "invalid reference:
// 0x0000000A", as on a DexGuard 6.1 APK) is read past.
func TestManifestInvalidNamespaceReference(t *testing.T) {
	b, err := synth.Build(trickSpec())
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(writeTemp(t, "t.apk", b), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	man, err := a.ReadFile("", "AndroidManifest.xml")
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The first start-namespace node: its prefix reference at +16.
	i := bytes.Index(man, []byte{0x00, 0x01, 0x10, 0x00, 0x18, 0x00, 0x00, 0x00})
	if i < 0 {
		t.Fatal("no namespace node")
	}
	binary.LittleEndian.PutUint32(man[i+16:], 0x0000ffff)
	m, err := ParseManifestBytes(man, nil)
	if err != nil {
		t.Fatalf("ParseManifestBytes: %v", err)
	}
	if m.Package != "com.example.tricky" || len(m.Permissions) != 3 {
		t.Errorf("facts: %q %v", m.Package, m.Permissions)
	}
}

// TestManifestInvalidRawReference: an integer attribute whose raw-value
// string reference is out of range (read by androidbinary, which then
// fails) is read by its typed value, as Android does.
func TestManifestInvalidRawReference(t *testing.T) {
	b, err := synth.Build(trickSpec())
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(writeTemp(t, "t.apk", b), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	man, err := a.ReadFile("", "AndroidManifest.xml")
	a.Close()
	if err != nil {
		t.Fatal(err)
	}
	// versionCode 7: raw nil, Res_value{8, 0, TYPE_INT_DEC, 7}.
	pat := []byte{0xff, 0xff, 0xff, 0xff, 0x08, 0x00, 0x00, 0x10, 0x07, 0x00, 0x00, 0x00}
	i := bytes.Index(man, pat)
	if i < 0 {
		t.Fatal("no versionCode attribute")
	}
	binary.LittleEndian.PutUint32(man[i:], 0x0000000a+0x1000)
	m, err := ParseManifestBytes(man, nil)
	if err != nil {
		t.Fatalf("ParseManifestBytes: %v", err)
	}
	if m.VersionCode != 7 {
		t.Errorf("versionCode = %d, want 7", m.VersionCode)
	}
}

// TestManifestRawTypedAndOrder: a string attribute whose raw text differs
// from its typed value is read by the typed value (what Android's
// TypedArray returns) and reported; attributes out of resource-id order are
// all read (as aapt reads them) and reported.
func TestManifestRawTypedAndOrder(t *testing.T) {
	decoy := "android.permission.VIBRATE"
	real := aStr("name", "android.permission.CAMERA")
	real.rawText = &decoy
	mf := encodeAXML(el("manifest", []xattr{aPlain("package", "com.example.raw")},
		el("uses-permission", []xattr{real})))
	m, err := ParseManifestBytes(mf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Permissions) != 1 || m.Permissions[0].Name != "android.permission.CAMERA" {
		t.Errorf("permissions = %v", m.Permissions)
	}
	if !slices.ContainsFunc(m.Tricks, func(tr ManifestTrick) bool { return tr.Code == "typed_raw_mismatch" }) {
		t.Errorf("tricks = %v", m.Tricks)
	}
	if aapt, err := exec.LookPath("aapt"); err == nil {
		// aapt's dump badging prints the raw text here: the one place where
		// we follow Android rather than aapt, and say so with the trick.
		p := writeTemp(t, "raw.apk", buildZip(t, zfile{name: "AndroidManifest.xml", data: mf}))
		out, _ := exec.Command(aapt, "dump", "badging", p).CombinedOutput()
		t.Logf("aapt: %s", bytes.TrimSpace(out))
	}

	encodeUnsorted = true
	defer func() { encodeUnsorted = false }()
	mf = encodeAXML(el("manifest", []xattr{aPlain("package", "com.example.order"), aStr("versionName", "2.0"), aInt("versionCode", 9)},
		el("uses-sdk", []xattr{aInt("targetSdkVersion", 30), aInt("minSdkVersion", 23)})))
	m, err = ParseManifestBytes(mf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.VersionCode != 9 || m.VersionName != "2.0" || m.MinSDK != 23 || m.TargetSDK != 30 {
		t.Errorf("facts %d %q %d %d", m.VersionCode, m.VersionName, m.MinSDK, m.TargetSDK)
	}
	if !slices.ContainsFunc(m.Tricks, func(tr ManifestTrick) bool { return tr.Code == "unsorted_attrs" }) {
		t.Errorf("tricks = %v", m.Tricks)
	}
}
