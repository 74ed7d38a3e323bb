package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect"
)

func TestParseClass(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "Probe.class"))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := parseClass(b)
	if err != nil {
		t.Fatal(err)
	}
	if cf.name != "com.example.probe.Probe" || cf.super != "java.lang.Thread" {
		t.Errorf("name %q super %q", cf.name, cf.super)
	}
	calls := map[string][]cfCall{}
	strs := map[string][]string{}
	for _, m := range cf.methods {
		calls[m.name] = m.calls
		strs[m.name] = m.strings
	}
	has := func(method, class, name string, static bool) bool {
		return slices.ContainsFunc(calls[method], func(c cfCall) bool { return c.class == class && c.name == name && c.static == static })
	}
	// after both switches and the long/double constants the walk must still
	// be in step: the calls at the end of pick are found.
	for _, c := range []struct {
		class, name string
		static      bool
	}{{"java.util.List", "add", false}, {"java.lang.Runnable", "run", false}, {"java.lang.String", "valueOf", true}, {"java.lang.String", "trim", false}} {
		if !has("pick", c.class, c.name, c.static) {
			t.Errorf("pick: no call to %s.%s (static %v); calls %v", c.class, c.name, c.static, calls["pick"])
		}
	}
	if !has("id", "android_stub.TelephonyManager", "getDeviceId", false) {
		t.Errorf("id: calls %v", calls["id"])
	}
	for _, s := range []string{"one", "two", "three", "many"} {
		if !slices.Contains(strs["pick"], s) {
			t.Errorf("pick: string %q not read; strings %v", s, strs["pick"])
		}
	}
	if _, err := parseClass([]byte("PK\x03\x04 not a class")); err == nil {
		t.Error("a zip header parsed as a class")
	}
	if _, err := parseClass(b[:len(b)/2]); err == nil {
		t.Error("a truncated class parsed")
	}
}

// TestReadTarball builds a tarball like the npm wrappers' (an .aar with a
// manifest and a jar, a loose jar, a native library, and iOS and gradle
// files that are not the SDK) and checks what is taken from it.
func TestReadTarball(t *testing.T) {
	class, err := os.ReadFile(filepath.Join("testdata", "Probe.class"))
	if err != nil {
		t.Fatal(err)
	}
	jar := zipOf(t, map[string][]byte{"com/example/probe/Probe.class": class, "META-INF/MANIFEST.MF": []byte("x")})
	aar := zipOf(t, map[string][]byte{
		"classes.jar":                jar,
		"jni/arm64-v8a/libvendor.so": {0x7f, 'E', 'L', 'F'},
		"AndroidManifest.xml": []byte(`<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.vendor.sdk">
<uses-permission android:name="android.permission.READ_PHONE_STATE"/>
<application><service android:name=".PushService"/><provider android:name="com.vendor.sdk.Init" android:authorities="${applicationId}.init"/>
<activity android:name="${applicationId}.wxapi.WXEntryActivity"/><meta-data android:name="VENDOR_KEY" android:value="k"/></application></manifest>`),
	})
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, b := range map[string][]byte{
		"package/android/libs/vendor.aar":                   aar,
		"package/android/libs/other.jar":                    jar,
		"package/android/libs/armeabi-v7a/libloose.so":      {0x7f},
		"package/ios/libs/Vendor.jar":                       []byte("not read"),
		"package/android/gradle/wrapper/gradle-wrapper.jar": []byte("not read"),
	} {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	gz.Close()
	f := filepath.Join(t.TempDir(), "p.tgz")
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	nb, err := readTarball(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.classes) != 1 || nb.classes["com.example.probe.Probe"].name == "" {
		t.Errorf("classes %v", nb.classes)
	}
	var comps []string
	for _, c := range nb.components {
		comps = append(comps, c.Kind+":"+c.Name)
	}
	want := []string{"service:com.vendor.sdk.PushService", "provider:com.vendor.sdk.Init"}
	if !slices.Equal(comps, want) {
		t.Errorf("components %v, want %v (a ${applicationId} name is the app's, not the SDK's)", comps, want)
	}
	if !slices.Equal(nb.libs["arm64-v8a"], []string{"libvendor.so"}) || !slices.Equal(nb.libs["armeabi-v7a"], []string{"libloose.so"}) {
		t.Errorf("libs %v", nb.libs)
	}
	if nb.meta["VENDOR_KEY"] != "k" || !slices.Equal(nb.perms, []string{"android.permission.READ_PHONE_STATE"}) {
		t.Errorf("meta %v perms %v", nb.meta, nb.perms)
	}
	apk, err := buildNPM(f, t.TempDir())
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if st, err := os.Stat(apk); err != nil || st.Size() == 0 {
		t.Errorf("apk %s: %v", apk, err)
	}
}

func TestSplitGroups(t *testing.T) {
	truth := map[string]truthAPK{}
	for i, g := range []string{"a", "a", "b", "c", "c", "c", "d", "e", "f"} {
		truth[string(rune('p'+i))+".tgz"] = truthAPK{Group: g}
	}
	tune, held := splitGroups(truth)
	if len(tune)+len(held) != len(truth) || 3*len(held) < len(truth) {
		t.Fatalf("tune %v held %v", tune, held)
	}
	side := map[string]bool{}
	for _, n := range held {
		side[truth[n].Group] = true
	}
	for _, n := range tune {
		if side[truth[n].Group] {
			t.Errorf("group %s on both sides", truth[n].Group)
		}
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, b := range files {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

// TestNPMSetFigures scores the npm sets when their tarballs are on this
// machine (scripts/npm-sdk-fetch.sh): what the catalog reached on them must
// not fall back. Skipped without the tarballs or with -short.
func TestNPMSetFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the npm sets take about 20 s")
	}
	dir := os.Getenv("APPINSPECT_NPM_SDK")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "appinspect", "npm-sdk")
	}
	det, err := inspect.DefaultDetector()
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []struct {
		truth     string
		minRecall float64
	}{{"npm-truth.json", 0.97}, {"npm-truth-fresh.json", 1.0}, {"npm-truth-fresh2.json", 1.0}, {"npm-truth-fresh3.json", 1.0}} {
		b, err := os.ReadFile(filepath.Join("testdata", set.truth))
		if err != nil {
			t.Fatal(err)
		}
		var truth map[string]truthAPK
		if err := json.Unmarshal(b, &truth); err != nil {
			t.Fatal(err)
		}
		sc := &truthScore{}
		tmp := t.TempDir()
		for n, tr := range truth {
			tgz := filepath.Join(dir, n)
			if _, err := os.Stat(tgz); err != nil {
				t.Skipf("npm SDK tarballs not in %s (run scripts/npm-sdk-fetch.sh): %v", dir, err)
			}
			apk, err := buildNPM(tgz, tmp)
			if err != nil {
				t.Fatalf("%s: %v", n, err)
			}
			if err := sc.scoreAPK(apk, tr, det); err != nil {
				t.Fatalf("%s: %v", n, err)
			}
		}
		recall := float64(sc.recalled) / float64(sc.truthSDKs)
		if recall < set.minRecall || sc.precise != sc.present || sc.stringOnly != 0 || sc.thirdAsApp != 0 || sc.appAsSDK != 0 {
			t.Errorf("%s: recall %.2f (%d/%d, want ≥ %.2f), precision %d/%d, %d present from strings, %d third-party sites given to the app, %d app sites to an SDK\n%s",
				set.truth, recall, sc.recalled, sc.truthSDKs, set.minRecall, sc.precise, sc.present, sc.stringOnly, sc.thirdAsApp, sc.appAsSDK, strings.Join(sc.errors, "\n"))
		}
	}
}
