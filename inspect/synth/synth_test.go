package synth

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/dex"
)

func ptr[T any](v T) *T { return &v }

// fullSpec sets every Spec field.
func fullSpec() Spec {
	return Spec{
		Package: "com.example.synthtest", VersionName: "2.3.4", VersionCode: 234, MinSDK: 21, TargetSDK: 30,
		LabelEN: "Synth Test", LabelZH: "合成测试",
		Permissions: []string{"android.permission.CAMERA", "android.permission.READ_PHONE_STATE", "android.permission.INTERNET"},
		Application: ApplicationSpec{Name: "com.example.synthtest.App", Debuggable: ptr(true), AllowBackup: ptr(false), UsesCleartextTraffic: ptr(true)},
		Components: []Component{
			{Kind: "activity", Name: "com.example.synthtest.MainActivity", Exported: ptr(true), Actions: []string{"android.intent.action.MAIN"}},
			{Kind: "service", Name: "cn.jpush.android.service.PushService", Exported: ptr(true)},
			{Kind: "receiver", Name: "com.example.synthtest.BootReceiver", Exported: ptr(false), Actions: []string{"android.intent.action.BOOT_COMPLETED"}},
			{Kind: "provider", Name: "com.example.synthtest.Files", Authorities: "com.example.synthtest.files", Permission: "com.example.synthtest.READ"},
		},
		MetaData: map[string]string{"UMENG_APPKEY": "5f0000000000000000000000", "JPUSH_APPKEY": "0123456789abcdef01234567"},
		Classes: []Class{
			{Name: "com.example.synthtest.App", Super: "android.app.Application", Methods: []Method{{
				Name: "onCreate", Proto: "()V",
				Calls: []Call{{Class: "cn.jpush.android.api.JPushInterface", Name: "init", Proto: "(Landroid/content/Context;)V", Static: true}},
			}}},
			{Name: "com.example.synthtest.MainActivity", Super: "com.example.synthtest.Base"},
			{Name: "com.example.synthtest.Base", Super: "android.app.Activity"},
			{Name: "cn.jpush.android.service.X", Methods: []Method{{
				Name: "collect", Proto: "(Landroid/content/Context;)Ljava/lang/String;",
				Calls:        []Call{{Class: "android.telephony.TelephonyManager", Name: "getDeviceId", Proto: "()Ljava/lang/String;"}},
				ConstStrings: []string{"jpush-const"},
			}}},
			{Name: "cn.jpush.android.service.PushService", Super: "android.app.Service"},
		},
		Strings:    []string{"https://api.synthtest-demo.cn/v1/report"},
		NativeLibs: map[string][]string{"arm64-v8a": {"libjcore.so", "libapp.so"}, "armeabi-v7a": {"libjcore.so"}},
		Assets:     map[string][]byte{"assets/privacy.html": []byte("<html><head><title>隐私政策</title></head><body>隐私政策</body></html>")},
	}
}

// scanBytes writes b to a temporary file and scans it.
func scanBytes(t testing.TB, b []byte, opt inspect.Options) *inspect.Result {
	t.Helper()
	p := filepath.Join(t.TempDir(), "synth.apk")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := inspect.Scan(context.Background(), p, opt)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return r
}

func findAPI(r *inspect.Result, id string) *inspect.APIUse {
	for i := range r.APIs {
		if r.APIs[i].ID == id {
			return &r.APIs[i]
		}
	}
	return nil
}

func findSDK(r *inspect.Result, id string) *inspect.SDK {
	for i := range r.SDKs {
		if r.SDKs[i].ID == id {
			return &r.SDKs[i]
		}
	}
	return nil
}

func TestBuildScanRoundTrip(t *testing.T) {
	s := fullSpec()
	b, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	r := scanBytes(t, b, inspect.Options{})
	if len(r.Warnings) > 0 {
		t.Errorf("warnings: %q", r.Warnings)
	}
	if r.Package != s.Package || r.VersionName != s.VersionName || r.VersionCode != int64(s.VersionCode) {
		t.Errorf("package/version = %q %q %d", r.Package, r.VersionName, r.VersionCode)
	}
	if r.MinSDK != s.MinSDK || r.TargetSDK != s.TargetSDK {
		t.Errorf("sdk = %d/%d", r.MinSDK, r.TargetSDK)
	}
	if r.Label != s.LabelEN || r.LabelZH != s.LabelZH || r.Labels[""] != s.LabelEN || r.Labels["zh-CN"] != s.LabelZH {
		t.Errorf("labels = %q %q %v", r.Label, r.LabelZH, r.Labels)
	}
	var perms []string
	for _, p := range r.Permissions {
		if p.Implied == "" {
			perms = append(perms, p.Name)
		}
	}
	want := slices.Clone(s.Permissions)
	slices.Sort(want)
	slices.Sort(perms)
	if !slices.Equal(perms, want) {
		t.Errorf("permissions = %v, want %v", perms, want)
	}
	app := r.Application
	if app.ClassName != s.Application.Name || !app.Debuggable || app.AllowBackup == nil || *app.AllowBackup ||
		app.UsesCleartextTraffic == nil || !*app.UsesCleartextTraffic {
		t.Errorf("application = %+v", app)
	}
	if len(r.Components) != len(s.Components) {
		t.Fatalf("components = %+v", r.Components)
	}
	for i, c := range s.Components {
		k := slices.IndexFunc(r.Components, func(x apk.Component) bool { return x.Name == c.Name })
		if k < 0 {
			t.Errorf("component %s missing", c.Name)
			continue
		}
		got := r.Components[k]
		if got.Kind != c.Kind || got.Name != c.Name || got.Permission != c.Permission {
			t.Errorf("component %d = %+v, want %+v", i, got, c)
		}
		if c.Exported != nil && (got.ExportedExplicit == nil || *got.ExportedExplicit != *c.Exported || got.Exported != *c.Exported) {
			t.Errorf("component %s exported = %v/%v", c.Name, got.Exported, got.ExportedExplicit)
		}
		if c.Authorities != "" && !slices.Equal(got.Authorities, []string{c.Authorities}) {
			t.Errorf("component %s authorities = %v", c.Name, got.Authorities)
		}
		if len(c.Actions) > 0 && (len(got.IntentFilters) != 1 || !slices.Equal(got.IntentFilters[0].Actions, c.Actions)) {
			t.Errorf("component %s filters = %+v", c.Name, got.IntentFilters)
		}
	}
	if len(r.MetaData) != 2 || r.MetaData[0].Name != "JPUSH_APPKEY" || r.MetaData[0].Value != s.MetaData["JPUSH_APPKEY"] ||
		r.MetaData[1].Name != "UMENG_APPKEY" || r.MetaData[1].Value != s.MetaData["UMENG_APPKEY"] {
		t.Errorf("meta-data = %+v", r.MetaData)
	}
	if r.Dex.Classes != len(s.Classes)+1 || len(r.Dex.Errors) > 0 {
		t.Errorf("dex = %+v, want %d classes", r.Dex, len(s.Classes)+1)
	}
	if !slices.Equal(r.NativeABIs, []string{"arm64-v8a", "armeabi-v7a"}) || len(r.NativeLibs) != 3 {
		t.Errorf("native = %v %+v", r.NativeABIs, r.NativeLibs)
	}
	if len(r.PolicyDocs) != 1 || r.PolicyDocs[0].Path != "assets/privacy.html" || r.PolicyDocs[0].Kind != "privacy" {
		t.Errorf("policy docs = %+v", r.PolicyDocs)
	}
	hosts := []string{}
	for _, e := range r.Endpoints {
		hosts = append(hosts, e.Host)
	}
	if !slices.Contains(hosts, "api.synthtest-demo.cn") {
		t.Errorf("endpoints = %v", hosts)
	}
	// Call sites: the SDK class's getDeviceId is attributed to jpush, and
	// the app's call of JPushInterface.init marks the SDK used.
	u := findAPI(r, "telephony.getDeviceId")
	if u == nil || !slices.Equal(u.Owners, []string{"jpush"}) || len(u.Callers) != 1 ||
		u.Callers[0] != (inspect.Caller{Class: "cn.jpush.android.service.X", Method: "collect", Owner: "jpush", OwnerKind: inspect.OwnerKindSDK}) {
		t.Errorf("getDeviceId use = %+v", u)
	}
	j := findSDK(r, "jpush")
	if j == nil || !j.Used || len(j.UsedBy) != 1 || j.UsedBy[0].Class != "com.example.synthtest.App" || !slices.Contains(j.APIs, "telephony.getDeviceId") {
		t.Errorf("jpush = %+v", j)
	}
	// a meta-data key alone names the SDK without proving its code is there
	if findSDK(r, "umeng-common") != nil || !slices.ContainsFunc(r.SDKMentions, func(s inspect.SDK) bool { return s.ID == "umeng-common" }) {
		t.Errorf("umeng-common from UMENG_APPKEY alone should be a mention: %+v / %+v", r.SDKs, r.SDKMentions)
	}
}

// TestDexClasses checks the dex against the project's dex reader: every
// class, in superclass-first order, with a valid checksum and signature.
func TestDexClasses(t *testing.T) {
	s := fullSpec()
	b, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	d := readEntry(t, b, "classes.dex")
	f, err := dex.Parse(d, dex.Limits{StrictChecksum: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.VerifySignature(); err != nil {
		t.Error(err)
	}
	got := f.Classes()
	var want []string
	for _, c := range s.Classes {
		want = append(want, c.Name)
	}
	want = append(want, s.Package+"."+StringsClass)
	if !sameSet(got, want) {
		t.Errorf("classes = %v, want %v", got, want)
	}
	if slices.Index(got, "com.example.synthtest.Base") > slices.Index(got, "com.example.synthtest.MainActivity") {
		t.Errorf("subclass before its superclass: %v", got)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func readEntry(t testing.TB, apk []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(apk), int64(len(apk)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeterministic(t *testing.T) {
	a, err := Build(fullSpec())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, err := Build(fullSpec())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("same spec, different bytes")
		}
	}
	// Map order must not matter: rebuild with the maps filled in another order.
	s := fullSpec()
	s.MetaData = map[string]string{}
	for _, k := range []string{"JPUSH_APPKEY", "UMENG_APPKEY"} {
		s.MetaData[k] = fullSpec().MetaData[k]
	}
	if b, _ := Build(s); !bytes.Equal(a, b) {
		t.Fatal("map insertion order changed the bytes")
	}
}

func TestAlignment(t *testing.T) {
	b, err := Build(fullSpec())
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Method != zip.Store {
			continue
		}
		off, err := f.DataOffset()
		if err != nil {
			t.Fatal(err)
		}
		if off%4 != 0 {
			t.Errorf("%s: stored data at %d, not 4-byte aligned", f.Name, off)
		}
	}
}

func TestInvalidSpecs(t *testing.T) {
	cases := map[string]func(*Spec){
		"no package":      func(s *Spec) { s.Package = "" },
		"bad package":     func(s *Spec) { s.Package = "com..x" },
		"component kind":  func(s *Spec) { s.Components = []Component{{Kind: "widget", Name: "a.B"}} },
		"class name":      func(s *Spec) { s.Classes = []Class{{Name: "a.b;C"}} },
		"duplicate class": func(s *Spec) { s.Classes = []Class{{Name: "a.B"}, {Name: "a.B"}} },
		"cycle":           func(s *Spec) { s.Classes = []Class{{Name: "a.B", Super: "a.C"}, {Name: "a.C", Super: "a.B"}} },
		"self super":      func(s *Spec) { s.Classes = []Class{{Name: "a.B", Super: "a.B"}} },
		"bad proto":       func(s *Spec) { s.Classes = []Class{{Name: "a.B", Methods: []Method{{Name: "m", Proto: "(V)V"}}}} },
		"bad call proto": func(s *Spec) {
			s.Classes = []Class{{Name: "a.B", Methods: []Method{{Name: "m", Calls: []Call{{Class: "x.Y", Name: "z", Proto: "(Lx;"}}}}}}
		},
		"duplicate method": func(s *Spec) {
			s.Classes = []Class{{Name: "a.B", Methods: []Method{{Name: "m"}, {Name: "m", Proto: "()V"}}}}
		},
		"asset path": func(s *Spec) { s.Assets = map[string][]byte{"../x": nil} },
		"lib name":   func(s *Spec) { s.NativeLibs = map[string][]string{"x86": {"a/b.so"}} },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			s := fullSpec()
			mod(&s)
			if _, err := Build(s); !errors.Is(err, ErrInvalidSpec) {
				t.Errorf("err = %v, want ErrInvalidSpec", err)
			}
		})
	}
}

// TestReferenceTools runs aapt and dexdump (Debian packages) on the APK.
func TestReferenceTools(t *testing.T) {
	b, err := Build(fullSpec())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	apkPath := filepath.Join(dir, "synth.apk")
	if err := os.WriteFile(apkPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("aapt", func(t *testing.T) {
		aapt, err := exec.LookPath("aapt")
		if err != nil {
			t.Skip("aapt not installed (Debian package aapt)")
		}
		out, err := exec.Command(aapt, "dump", "badging", apkPath).CombinedOutput()
		if err != nil {
			t.Fatalf("aapt dump badging: %v\n%s", err, out)
		}
		for _, want := range []string{
			"package: name='com.example.synthtest' versionCode='234' versionName='2.3.4'",
			"sdkVersion:'21'", "targetSdkVersion:'30'",
			"uses-permission: name='android.permission.CAMERA'",
			"uses-permission: name='android.permission.READ_PHONE_STATE'",
			"application-label:'Synth Test'", "application-label-zh-CN:'合成测试'",
			"application-debuggable", "native-code: 'arm64-v8a' 'armeabi-v7a'",
		} {
			if !strings.Contains(string(out), want) {
				t.Errorf("aapt badging lacks %q:\n%s", want, out)
			}
		}
		out, err = exec.Command(aapt, "dump", "xmltree", apkPath, "AndroidManifest.xml").CombinedOutput()
		if err != nil {
			t.Fatalf("aapt dump xmltree: %v\n%s", err, out)
		}
		for _, want := range []string{
			"android:usesCleartextTraffic(0x010104ec)=(type 0x12)0xffffffff",
			"android:exported(0x01010010)=(type 0x12)0xffffffff",
			"android:authorities(0x01010018)=\"com.example.synthtest.files\"",
			"android:value(0x01010024)=\"0123456789abcdef01234567\"",
			"android:label(0x01010001)=@0x7f010000",
		} {
			if !strings.Contains(string(out), want) {
				t.Errorf("aapt xmltree lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("dexdump", func(t *testing.T) {
		dd, err := exec.LookPath("dexdump")
		if err != nil {
			t.Skip("dexdump not installed (Debian package dexdump)")
		}
		dexPath := filepath.Join(dir, "classes.dex")
		if err := os.WriteFile(dexPath, readEntry(t, b, "classes.dex"), 0o644); err != nil {
			t.Fatal(err)
		}
		checkDexdump(t, dd, dexPath, fullSpec())
	})
}

// checkDexdump runs dexdump -d (which verifies the file first) and checks
// that every class and call appears.
func checkDexdump(t *testing.T, dd, dexPath string, s Spec) {
	t.Helper()
	cmd := exec.Command(dd, "-d", dexPath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("dexdump: %v\n%s", err, stderr.String())
	}
	// dexdump prints Modified UTF-8 as is: a supplementary character comes
	// out as two encoded surrogates, so names holding one are not compared.
	bmp := func(s string) bool { return !strings.ContainsFunc(s, func(r rune) bool { return r > 0xffff }) }
	for _, c := range s.Classes {
		if !bmp(c.Name) {
			continue
		}
		desc := "'L" + strings.ReplaceAll(c.Name, ".", "/") + ";'"
		if !strings.Contains(string(out), "Class descriptor  : "+desc) {
			t.Errorf("dexdump lacks class %s", desc)
		}
		for _, m := range c.Methods {
			for _, call := range m.Calls {
				if !bmp(call.Class + call.Name) {
					continue
				}
				op := "invoke-virtual"
				if call.Static {
					op = "invoke-static"
				}
				want := "L" + strings.ReplaceAll(call.Class, ".", "/") + ";." + call.Name + ":" + call.Proto
				if !strings.Contains(string(out), want) || !strings.Contains(string(out), op) {
					t.Errorf("dexdump lacks %s %s", op, want)
				}
			}
		}
	}
	if n := strings.Count(string(out), "Class descriptor"); n != len(s.Classes)+min(1, len(s.Strings)) {
		t.Errorf("dexdump lists %d classes", n)
	}
}

// randomSpec builds a spec with random class names, methods, protos and
// calls, for the property test.
func randomSpec(rng *rand.Rand) Spec {
	ident := func() string {
		const first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
		const rest = first + "0123456789-"
		pool := []string{"é", "中", "ß", "Ω", "\U0001F600"}
		var b strings.Builder
		b.WriteByte(first[rng.IntN(len(first))])
		for range rng.IntN(8) {
			if rng.IntN(12) == 0 {
				b.WriteString(pool[rng.IntN(len(pool))])
			} else {
				b.WriteByte(rest[rng.IntN(len(rest))])
			}
		}
		return b.String()
	}
	dotted := func() string {
		parts := make([]string, 1+rng.IntN(4))
		for i := range parts {
			parts[i] = ident()
		}
		return strings.Join(parts, ".")
	}
	types := []string{"I", "J", "D", "Z", "Ljava/lang/String;", "[I", "[[Landroid/content/Context;", "Landroid/content/Context;"}
	proto := func(void bool) string {
		var b strings.Builder
		b.WriteByte('(')
		for range rng.IntN(7) {
			b.WriteString(types[rng.IntN(len(types))])
		}
		b.WriteByte(')')
		if void || rng.IntN(2) == 0 {
			b.WriteByte('V')
		} else {
			b.WriteString(types[rng.IntN(len(types))])
		}
		return b.String()
	}
	s := Spec{Package: "com.example.rand" + fmt.Sprint(rng.IntN(1000)), VersionCode: 1}
	names := map[string]bool{}
	for range 1 + rng.IntN(30) {
		n := dotted()
		if names[n] {
			continue
		}
		names[n] = true
		c := Class{Name: n}
		if len(s.Classes) > 0 && rng.IntN(3) == 0 {
			c.Super = s.Classes[rng.IntN(len(s.Classes))].Name
		}
		mnames := map[string]bool{}
		for range rng.IntN(4) {
			m := Method{Name: ident(), Proto: proto(false)}
			if mnames[m.Name] {
				continue
			}
			mnames[m.Name] = true
			for range rng.IntN(4) {
				m.Calls = append(m.Calls, Call{Class: dotted(), Name: ident(), Proto: proto(false), Static: rng.IntN(2) == 0})
			}
			for range rng.IntN(3) {
				m.ConstStrings = append(m.ConstStrings, ident()+" "+ident()+"\x00")
			}
			c.Methods = append(c.Methods, m)
		}
		s.Classes = append(s.Classes, c)
	}
	// Subclasses may be listed before superclasses: shuffle.
	rng.Shuffle(len(s.Classes), func(i, j int) { s.Classes[i], s.Classes[j] = s.Classes[j], s.Classes[i] })
	return s
}

// TestRandomClasses is a property test: random names, protos and calls
// build, parse with the project's dex reader to the same classes, and (when
// dexdump is installed, on a few of them) pass dexdump's verifier.
func TestRandomClasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dd, _ := exec.LookPath("dexdump")
	for i := range 60 {
		s := randomSpec(rng)
		b, err := Build(s)
		if err != nil {
			t.Fatalf("spec %d: %v", i, err)
		}
		d := readEntry(t, b, "classes.dex")
		f, err := dex.Parse(d, dex.Limits{StrictChecksum: true})
		if err != nil {
			t.Fatalf("spec %d: %v", i, err)
		}
		var want []string
		for _, c := range s.Classes {
			want = append(want, c.Name)
		}
		if got := f.Classes(); !sameSet(got, want) {
			t.Fatalf("spec %d: classes %v, want %v", i, got, want)
		}
		calls := 0
		v := &countVisitor{}
		if err := f.Walk(v); err != nil {
			t.Fatalf("spec %d: walk: %v", i, err)
		}
		consts := 0
		for _, c := range s.Classes {
			for _, m := range c.Methods {
				calls += len(m.Calls)
				consts += len(m.ConstStrings)
			}
		}
		if v.invokes != calls || v.consts != consts {
			t.Fatalf("spec %d: walk saw %d invokes and %d const-strings, want %d and %d", i, v.invokes, v.consts, calls, consts)
		}
		if dd != "" && i%10 == 0 {
			p := filepath.Join(t.TempDir(), "r.dex")
			if err := os.WriteFile(p, d, 0o644); err != nil {
				t.Fatal(err)
			}
			checkDexdump(t, dd, p, s)
		}
	}
}

type countVisitor struct{ invokes, consts int }

func (v *countVisitor) Method(uint32) bool         { return true }
func (v *countVisitor) Invoke(uint32, uint32)      { v.invokes++ }
func (v *countVisitor) ConstString(uint32, uint32) { v.consts++ }

// TestJumboStrings loads more than 65,536 strings, so that the last ones
// need const-string/jumbo.
func TestJumboStrings(t *testing.T) {
	s := Spec{Package: "com.example.jumbo"}
	for i := range 70000 {
		s.Strings = append(s.Strings, fmt.Sprintf("s%06d", i))
	}
	b, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	d := readEntry(t, b, "classes.dex")
	f, err := dex.Parse(d, dex.Limits{StrictChecksum: true})
	if err != nil {
		t.Fatal(err)
	}
	v := &countVisitor{}
	if err := f.Walk(v); err != nil {
		t.Fatal(err)
	}
	if v.consts != len(s.Strings) {
		t.Errorf("walk saw %d const-strings, want %d", v.consts, len(s.Strings))
	}
	if dd, err := exec.LookPath("dexdump"); err == nil {
		p := filepath.Join(t.TempDir(), "j.dex")
		if err := os.WriteFile(p, d, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(dd, "-d", p)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Fatalf("dexdump: %v\n%s", err, stderr.String())
		}
		if !bytes.Contains(out, []byte("const-string/jumbo")) {
			t.Error("no const-string/jumbo in the dump")
		}
	}
}
