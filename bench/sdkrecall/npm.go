package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/synth"
)

// The npm set: vendor SDK binaries (.jar, .aar, .so) as shipped inside the
// Cordova and React Native wrapper packages of the npm registry, each
// package rebuilt into one APK with inspect/synth: every class with its
// methods, invocations and string constants, the .aar manifests'
// components, meta-data and permissions, and the native libraries. It is
// real SDK code the catalog was not written from; what it cannot show is
// how an app's build (R8, packers) changes that code.
//
// The truth (bench/sdkrecall/testdata/npm-truth.json) was written by a
// separate session from class names alone, without the catalog or the
// detector. The tarballs are not committed: scripts/npm-sdk-fetch.sh
// downloads them by name and version and checks their SHA-256.

// harnessPackage is the synthetic app's package; its own namespace.
const harnessPackage = "com.example.sdkharness"

// npmBinaries is what one tarball holds for Android.
type npmBinaries struct {
	classes    map[string]classFile
	components []synth.Component
	meta       map[string]string
	perms      []string
	libs       map[string][]string
}

// skipEntry reports tarball entries that are not the SDK: build
// outputs of the wrapper itself, the gradle wrapper and iOS files.
func skipEntry(name string) bool {
	l := strings.ToLower(name)
	for _, s := range []string{"/ios/", "gradle-wrapper", "/build/", "/node_modules/", "/example/", "/demo/", "/awesomeproject/"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return path.Base(l) == "r.jar"
}

var abis = map[string]bool{"armeabi": true, "armeabi-v7a": true, "arm64-v8a": true, "x86": true, "x86_64": true, "mips": true, "mips64": true}

// readTarball collects the Android binaries of one npm tarball.
func readTarball(file string) (*npmBinaries, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	nb := &npmBinaries{classes: map[string]classFile{}, meta: map[string]string{}, libs: map[string][]string{}}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg || skipEntry(h.Name) {
			continue
		}
		ext := strings.ToLower(path.Ext(h.Name))
		if ext != ".jar" && ext != ".aar" && ext != ".so" {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, 1<<30))
		if err != nil {
			return nil, err
		}
		switch ext {
		case ".so":
			nb.addLib(h.Name)
		case ".jar":
			if err := nb.addJar(b); err != nil {
				return nil, fmt.Errorf("%s: %w", h.Name, err)
			}
		case ".aar":
			if err := nb.addAAR(b); err != nil {
				return nil, fmt.Errorf("%s: %w", h.Name, err)
			}
		}
	}
	return nb, nil
}

func (nb *npmBinaries) addLib(name string) {
	abi := path.Base(path.Dir(name))
	if !abis[abi] {
		abi = "armeabi-v7a"
	}
	base := path.Base(name)
	if !slices.Contains(nb.libs[abi], base) {
		nb.libs[abi] = append(nb.libs[abi], base)
	}
}

func (nb *npmBinaries) addJar(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".class") || strings.HasPrefix(f.Name, "META-INF/") {
			continue
		}
		cb, err := readZipFile(f)
		if err != nil {
			return err
		}
		cf, err := parseClass(cb)
		if err != nil {
			continue // a damaged or non-class entry: the dex build would drop it too
		}
		if _, dup := nb.classes[cf.name]; !dup {
			nb.classes[cf.name] = cf
		}
	}
	return nil
}

func (nb *npmBinaries) addAAR(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	for _, f := range zr.File {
		switch {
		case strings.HasSuffix(f.Name, ".jar"):
			jb, err := readZipFile(f)
			if err == nil {
				err = nb.addJar(jb)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		case strings.HasSuffix(f.Name, ".so"):
			nb.addLib(f.Name)
		case f.Name == "AndroidManifest.xml":
			mb, err := readZipFile(f)
			if err != nil {
				return err
			}
			nb.addManifest(mb)
		}
	}
	return nil
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 1<<30))
}

// addManifest merges a library manifest (plain XML in an .aar).
func (nb *npmBinaries) addManifest(b []byte) {
	var m struct {
		Package string `xml:"package,attr"`
		Perms   []struct {
			Name string `xml:"name,attr"`
		} `xml:"uses-permission"`
		App struct {
			Items []struct {
				XMLName xml.Name
				Name    string `xml:"name,attr"`
				Auth    string `xml:"authorities,attr"`
				Value   string `xml:"value,attr"`
			} `xml:",any"`
		} `xml:"application"`
	}
	if xml.Unmarshal(b, &m) != nil {
		return
	}
	for _, p := range m.Perms {
		if p.Name != "" && !slices.Contains(nb.perms, p.Name) {
			nb.perms = append(nb.perms, p.Name)
		}
	}
	for _, it := range m.App.Items {
		name := it.Name
		if strings.HasPrefix(name, ".") {
			name = m.Package + name
		}
		if name == "" || strings.Contains(name, "${") {
			continue
		}
		switch k := it.XMLName.Local; k {
		case "activity", "service", "receiver", "provider":
			c := synth.Component{Kind: k, Name: name}
			if k == "provider" {
				c.Authorities = strings.ReplaceAll(it.Auth, "${applicationId}", harnessPackage)
				if c.Authorities == "" {
					c.Authorities = name
				}
			}
			nb.components = append(nb.components, c)
		case "meta-data":
			nb.meta[name] = it.Value
		}
	}
}

// spec turns the binaries into an APK spec: the SDK classes (with their
// calls and strings) and the harness app's own launcher activity.
func (nb *npmBinaries) spec() synth.Spec {
	s := synth.Spec{
		Package: harnessPackage, VersionName: "1", VersionCode: 1, MinSDK: 21, TargetSDK: 30,
		Permissions: nb.perms, MetaData: nb.meta, NativeLibs: nb.libs,
		Components: append([]synth.Component{{Kind: "activity", Name: harnessPackage + ".MainActivity", Actions: []string{"android.intent.action.MAIN"}}}, nb.components...),
		Classes:    []synth.Class{{Name: harnessPackage + ".MainActivity", Super: "android.app.Activity", Methods: []synth.Method{{Name: "<init>"}}}},
	}
	names := make([]string, 0, len(nb.classes))
	for n := range nb.classes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cf := nb.classes[n]
		c := synth.Class{Name: cf.name}
		if cf.super != "java.lang.Object" {
			c.Super = cf.super
		}
		seen := map[string]bool{}
		for _, m := range cf.methods {
			if !validMember(m.name) || seen[m.name+m.desc] {
				continue
			}
			seen[m.name+m.desc] = true
			sm := synth.Method{Name: m.name, Proto: m.desc, ConstStrings: m.strings}
			for _, call := range m.calls {
				if !validMember(call.name) {
					continue
				}
				sm.Calls = append(sm.Calls, synth.Call{Class: call.class, Name: call.name, Proto: call.desc, Static: call.static})
			}
			c.Methods = append(c.Methods, sm)
		}
		s.Classes = append(s.Classes, c)
	}
	return s
}

func validMember(n string) bool {
	return n != "" && !strings.ContainsAny(n, " ;[/.<>") || n == "<init>" || n == "<clinit>"
}

// buildNPM rebuilds the tarball as an APK in dir and returns its path.
func buildNPM(tarball, dir string) (string, error) {
	nb, err := readTarball(tarball)
	if err != nil {
		return "", err
	}
	return nb.build(tarball, dir)
}

// proofMissing lists the truth's proof classes and native libraries that
// the rebuild does not hold: a truth written from files the rebuild skips.
func (nb *npmBinaries) proofMissing(t truthAPK) []string {
	var out []string
	libs := map[string]bool{}
	for _, l := range nb.libs {
		for _, n := range l {
			libs[n] = true
		}
	}
	for _, s := range t.SDKs {
		for _, c := range s.Proof.Classes {
			if _, ok := nb.classes[c]; !ok {
				out = append(out, s.Name+": class "+c)
			}
		}
		for _, l := range s.Proof.NativeLibs {
			if !libs[path.Base(l)] {
				out = append(out, s.Name+": native library "+l)
			}
		}
	}
	return out
}

func (nb *npmBinaries) build(tarball, dir string) (string, error) {
	s := nb.spec()
	apk, err := synth.Build(s)
	if err != nil {
		// One dex cannot hold it (more than 65,535 method references, or a
		// call with more argument registers than an invoke takes): keep each
		// method's framework calls (the sensitive APIs) and drop the calls
		// between SDK classes, and say so.
		fmt.Fprintf(os.Stderr, "sdkrecall: %s: %v; rebuilding with framework calls only (calls between SDK classes dropped)\n", filepath.Base(tarball), err)
		for i := range s.Classes {
			for j := range s.Classes[i].Methods {
				m := &s.Classes[i].Methods[j]
				m.Calls = slices.DeleteFunc(m.Calls, func(c synth.Call) bool { return !frameworkClass(c.Class) })
			}
		}
		if apk, err = synth.Build(s); err != nil {
			return "", err
		}
	}
	out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(tarball), ".tgz")+".apk")
	return out, os.WriteFile(out, apk, 0o644)
}

func frameworkClass(c string) bool {
	for _, p := range []string{"android.", "java.", "javax.", "dalvik."} {
		if strings.HasPrefix(c, p) {
			return true
		}
	}
	return false
}

// splitGroups holds out whole product families: groups in order of the
// SHA-256 of their name until at least a third of the packages are held
// out. The rule was fixed before any result on the set was seen.
func splitGroups(truth map[string]truthAPK) (tune, held []string) {
	groups := map[string][]string{}
	for n, t := range truth {
		groups[t.Group] = append(groups[t.Group], n)
	}
	type g struct{ name, sum string }
	var gs []g
	for name := range groups {
		s := sha256.Sum256([]byte(name))
		gs = append(gs, g{name, hex.EncodeToString(s[:])})
	}
	sort.Slice(gs, func(i, j int) bool { return gs[i].sum < gs[j].sum })
	for _, x := range gs {
		if 3*len(held) < len(truth) {
			held = append(held, groups[x.name]...)
		} else {
			tune = append(tune, groups[x.name]...)
		}
	}
	sort.Strings(tune)
	sort.Strings(held)
	return tune, held
}

// npmRun scores the npm set: tarballs in dir, truth in truthFile.
// With fresh, the whole set is scored as held out: material gathered after
// the last catalog change and never used to tune it.
func npmRun(w io.Writer, dir, truthFile string, det *inspect.Detector, showHeld, fresh bool) error {
	b, err := os.ReadFile(truthFile)
	if err != nil {
		return err
	}
	var truth map[string]truthAPK
	if err := json.Unmarshal(b, &truth); err != nil {
		return fmt.Errorf("%s: %w", truthFile, err)
	}
	var missing []string
	for n := range truth {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%s lacks %d tarballs of the truth set (run scripts/npm-sdk-fetch.sh): %s", dir, len(missing), strings.Join(missing, ", "))
	}
	tmp, err := os.MkdirTemp("", "sdkrecall-npm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var bad []string
	for n, t := range truth {
		nb, err := readTarball(filepath.Join(dir, n))
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		for _, m := range nb.proofMissing(t) {
			bad = append(bad, n+": "+m)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("the truth's proof is not in the rebuilt APKs:\n%s", strings.Join(bad, "\n"))
	}
	tune, held := splitGroups(truth)
	if fresh {
		tune, held = nil, append(tune, held...)
		sort.Strings(held)
		fmt.Fprintf(w, "## SDKs in vendor binaries from npm wrapper packages, fresh set (%s)\n\n", truthFile)
		fmt.Fprintf(w, "%d packages, each rebuilt into one APK, all held out: gathered after the last catalog change and never used to tune it.\n\n", len(truth))
		return scoreSets(w, tune, held, truth, det, showHeld, func(n string) (string, error) {
			return buildNPM(filepath.Join(dir, n), tmp)
		})
	}
	var hg []string
	for _, n := range held {
		if !slices.Contains(hg, truth[n].Group) {
			hg = append(hg, truth[n].Group)
		}
	}
	fmt.Fprintf(w, "## SDKs in vendor binaries from npm wrapper packages (%s)\n\n", dir)
	fmt.Fprintf(w, "%d packages, each rebuilt into one APK. Held out from tuning (whole product families, by SHA-256 of the family name): %s (%d packages).\n\n",
		len(truth), strings.Join(hg, ", "), len(held))
	return scoreSets(w, tune, held, truth, det, showHeld, func(n string) (string, error) {
		return buildNPM(filepath.Join(dir, n), tmp)
	})
}

// npmBuildOnly rebuilds and scans every tarball in dir and prints how much
// was read, without any detection: a check of the rebuild itself.
func npmBuildOnly(w io.Writer, dir, truthFile, keep string, det *inspect.Detector) error {
	truth := map[string]truthAPK{}
	if b, err := os.ReadFile(truthFile); err == nil {
		if err := json.Unmarshal(b, &truth); err != nil {
			return fmt.Errorf("%s: %w", truthFile, err)
		}
	}
	tmp := keep
	if tmp == "" {
		t, err := os.MkdirTemp("", "sdkrecall-npm-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(t)
		tmp = t
	} else if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tgz"))
	for _, f := range files {
		nb, err := readTarball(f)
		if err != nil {
			fmt.Fprintf(w, "%s: %v\n", filepath.Base(f), err)
			continue
		}
		for _, m := range nb.proofMissing(truth[filepath.Base(f)]) {
			fmt.Fprintf(w, "%s: truth proof not in the rebuild: %s\n", filepath.Base(f), m)
		}
		apk, err := nb.build(f, tmp)
		if err != nil {
			fmt.Fprintf(w, "%s: %v\n", filepath.Base(f), err)
			continue
		}
		r, err := inspect.Scan(context.Background(), apk, inspect.Options{Detector: det, MaxCallers: 1 << 20})
		if err != nil {
			fmt.Fprintf(w, "%s: scan: %v\n", filepath.Base(f), err)
			continue
		}
		st, _ := os.Stat(apk)
		sites := 0
		for _, a := range r.APIs {
			sites += len(a.Callers)
		}
		fmt.Fprintf(w, "%s: %d KB, %d classes, %d components, %d native libs, %d API call sites\n",
			filepath.Base(f), st.Size()>>10, r.Dex.Classes, len(r.Components), len(r.NativeLibs), sites)
	}
	return nil
}
