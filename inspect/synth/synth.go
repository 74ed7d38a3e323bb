// Package synth builds small, valid Android APKs from a declarative Spec:
// a binary AndroidManifest.xml, a resources.arsc holding the app label in a
// default and a zh-rCN configuration, a classes.dex (DEX 035) whose methods
// call the methods and load the string constants the Spec names, native
// libraries and assets. Everything is encoded here, in Go, with no external
// tool.
//
// The APKs exist to test and benchmark AppInspect's readers and detectors
// with a known ground truth (which SDK classes are present, who calls which
// sensitive API) and to ship a demo case without any real third-party code:
// the classes are empty stubs that carry only names and call sites.
//
// Output is deterministic: the same Spec always gives the same bytes.
package synth

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"path"
	"slices"
	"strings"
)

// ErrInvalidSpec is returned (wrapped) when a Spec cannot be built: a missing
// package name, an unknown component kind, a malformed class name or method
// descriptor, a superclass cycle …
var ErrInvalidSpec = errors.New("invalid synth spec")

// Spec describes the APK to build.
type Spec struct {
	Package     string `json:"package"`
	VersionName string `json:"version_name,omitempty"`
	VersionCode int    `json:"version_code,omitempty"`
	MinSDK      int    `json:"min_sdk,omitempty"`    // omitted from the manifest when 0
	TargetSDK   int    `json:"target_sdk,omitempty"` // omitted from the manifest when 0

	// LabelEN is the default-configuration value of @string/app_name and
	// LabelZH its zh-rCN value; the manifest's application label references
	// it. With both empty the application has no label.
	LabelEN string `json:"label_en,omitempty"`
	LabelZH string `json:"label_zh,omitempty"`

	Permissions []string `json:"permissions,omitempty"`
	// ManifestTricks lists anti-analysis constructions to put in the binary
	// manifest (TrickEmptyAttrNames …; see ManifestTricks).
	ManifestTricks []string          `json:"manifest_tricks,omitempty"`
	Application    ApplicationSpec   `json:"application"`
	Components     []Component       `json:"components,omitempty"`
	MetaData       map[string]string `json:"meta_data,omitempty"` // application meta-data, written sorted by name

	Classes []Class `json:"classes,omitempty"`
	// Strings are extra string constants (URLs, keys …). They are loaded by
	// const-string in the method StringsMethod of a generated class named
	// Package+"."+StringsClass, so that they are both in the string table
	// and referenced by code.
	Strings []string `json:"strings,omitempty"`

	// NativeLibs maps an ABI ("arm64-v8a") to library file names
	// ("libjcore.so"); each becomes lib/<abi>/<name> holding a small
	// ELF header.
	NativeLibs map[string][]string `json:"native_libs,omitempty"`
	// Assets maps an entry path ("assets/privacy.html") to its content.
	Assets map[string][]byte `json:"assets,omitempty"`
}

// StringsClass and StringsMethod name the generated holder of Spec.Strings.
const (
	StringsClass  = "SynthStrings"
	StringsMethod = "strings"
)

// ApplicationSpec holds the <application> attributes. A nil pointer leaves
// the attribute out.
type ApplicationSpec struct {
	Name                 string `json:"name,omitempty"` // android:name, fully qualified
	Debuggable           *bool  `json:"debuggable,omitempty"`
	AllowBackup          *bool  `json:"allow_backup,omitempty"`
	UsesCleartextTraffic *bool  `json:"uses_cleartext_traffic,omitempty"`
}

// Component is an activity, service, receiver or provider.
type Component struct {
	Kind        string   `json:"kind"` // "activity", "service", "receiver" or "provider"
	Name        string   `json:"name"` // fully qualified
	Exported    *bool    `json:"exported,omitempty"`
	Actions     []string `json:"actions,omitempty"` // one intent-filter holding these actions
	Permission  string   `json:"permission,omitempty"`
	Authorities string   `json:"authorities,omitempty"` // providers
}

// Class is one class defined in classes.dex.
type Class struct {
	Name    string   `json:"name"`            // dotted, "com.example.App" or "a.b.Outer$Inner"
	Super   string   `json:"super,omitempty"` // dotted; "" is java.lang.Object
	Methods []Method `json:"methods,omitempty"`
}

// Method is one method of a Class. Methods are public static, except
// "<init>" (a public constructor) and "<clinit>" (the static initializer).
// The body loads each ConstStrings entry with const-string, invokes each
// Call in order (with zeroed argument registers) and returns.
type Method struct {
	Name         string   `json:"name"`
	Proto        string   `json:"proto,omitempty"` // descriptor, "(Landroid/content/Context;)V"; "" is "()V"
	Calls        []Call   `json:"calls,omitempty"`
	ConstStrings []string `json:"const_strings,omitempty"`
}

// Call is a method invoked from a Method body.
type Call struct {
	Class  string `json:"class"` // dotted declaring class
	Name   string `json:"name"`
	Proto  string `json:"proto,omitempty"` // descriptor; "" is "()V"
	Static bool   `json:"static,omitempty"`
}

// Build encodes s as an unsigned APK (a zip): AndroidManifest.xml,
// resources.arsc, classes.dex, lib/<abi>/*.so and the assets.
func Build(s Spec) ([]byte, error) {
	files, err := buildFiles(s)
	if err != nil {
		return nil, err
	}
	return writeZip(files, nil)
}

// zipFile is one entry of the APK.
type zipFile struct {
	name  string
	data  []byte
	store bool // stored (uncompressed) and 4-byte aligned, as zipalign does for resources and libraries
}

// buildFiles encodes every entry of the APK, in the order they are written.
func buildFiles(s Spec) ([]zipFile, error) {
	if err := validate(&s); err != nil {
		return nil, err
	}
	manifest, err := encodeManifest(&s)
	if err != nil {
		return nil, err
	}
	arsc := encodeARSC(&s)
	classes := s.Classes
	if len(s.Strings) > 0 {
		classes = append(slices.Clone(classes), Class{
			Name:    s.Package + "." + StringsClass,
			Methods: []Method{{Name: StringsMethod, Proto: "()V", ConstStrings: s.Strings}},
		})
	}
	dexBytes, err := encodeDex(classes)
	if err != nil {
		return nil, err
	}
	files := []zipFile{
		{name: "AndroidManifest.xml", data: manifest},
		{name: "classes.dex", data: dexBytes},
		{name: "resources.arsc", data: arsc, store: true},
	}
	for _, abi := range slices.Sorted(maps.Keys(s.NativeLibs)) {
		libs := slices.Clone(s.NativeLibs[abi])
		slices.Sort(libs)
		for _, l := range slices.Compact(libs) {
			files = append(files, zipFile{name: "lib/" + abi + "/" + l, data: elfStub(abi, l), store: true})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Assets)) {
		files = append(files, zipFile{name: name, data: s.Assets[name]})
	}
	return files, nil
}

// validate checks what the encoders rely on, so that they cannot fail
// half-way on bad input.
func validate(s *Spec) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("synth: %s: %w", fmt.Sprintf(format, a...), ErrInvalidSpec)
	}
	if !validDottedName(s.Package) {
		return bad("package %q is not a dotted Java name", s.Package)
	}
	if s.VersionCode < 0 || s.MinSDK < 0 || s.TargetSDK < 0 {
		return bad("negative version code or SDK level")
	}
	for _, c := range s.Components {
		switch c.Kind {
		case "activity", "service", "receiver", "provider":
		default:
			return bad("component %q: kind %q (want activity, service, receiver or provider)", c.Name, c.Kind)
		}
		if c.Name == "" {
			return bad("%s without a name", c.Kind)
		}
	}
	for _, p := range s.Permissions {
		if p == "" {
			return bad("empty permission name")
		}
	}
	for abi, libs := range s.NativeLibs {
		if abi == "" || strings.ContainsAny(abi, "/\\") {
			return bad("native ABI %q", abi)
		}
		for _, l := range libs {
			if l == "" || strings.ContainsAny(l, "/\\") {
				return bad("native library %q", l)
			}
		}
	}
	reserved := map[string]bool{"AndroidManifest.xml": true, "classes.dex": true, "resources.arsc": true}
	for name := range s.Assets {
		clean := path.Clean(name)
		if name == "" || clean != name || strings.HasPrefix(name, "/") || strings.HasPrefix(name, "../") || name == ".." ||
			reserved[name] || strings.HasPrefix(name, "lib/") || strings.HasPrefix(name, "META-INF/") {
			return bad("asset path %q", name)
		}
	}
	return nil
}

// validDottedName reports whether s is a dotted Java name whose segments
// are valid DEX simple names.
func validDottedName(s string) bool {
	if s == "" {
		return false
	}
	for seg := range strings.SplitSeq(s, ".") {
		if !validSimpleName(seg) {
			return false
		}
	}
	return true
}

// elfStub returns a few bytes that look like the start of a shared object
// for the ABI (ELF magic, class, data encoding, type ET_DYN, machine) with
// the library name after the header, so that each library has its own bytes.
func elfStub(abi, name string) []byte {
	class, machine := byte(1), uint16(40) // ELFCLASS32, EM_ARM
	switch abi {
	case "arm64-v8a":
		class, machine = 2, 183 // EM_AARCH64
	case "x86":
		machine = 3 // EM_386
	case "x86_64":
		class, machine = 2, 62 // EM_X86_64
	}
	b := make([]byte, 64, 64+len(name)+1)
	copy(b, "\x7fELF")
	b[4], b[5], b[6] = class, 1, 1 // class, little-endian, EV_CURRENT
	b[16], b[17] = 3, 0            // e_type ET_DYN
	b[18], b[19] = byte(machine), byte(machine>>8)
	b[20] = 1 // e_version
	b = append(b, name...)
	return append(b, 0)
}

// dosDate and dosTime are the fixed modification time of every entry
// (2008-01-01 00:00, the date Android's build tools use for reproducible
// archives).
const (
	dosDate = (2008-1980)<<9 | 1<<5 | 1
	dosTime = 0
)

// countingWriter tracks the offset in the zip being written, for alignment.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeZip writes files, then extra (already ordered), into a zip archive.
// Stored entries are aligned to 4 bytes by padding the local header's extra
// field, as zipalign does.
func writeZip(files []zipFile, extra []zipFile) ([]byte, error) {
	var buf bytes.Buffer
	cw := &countingWriter{w: &buf}
	zw := zip.NewWriter(cw)
	for _, f := range append(slices.Clone(files), extra...) {
		// Entries are written raw, compressed here, so that no data
		// descriptor follows them and the offset of the next one is known.
		fh := &zip.FileHeader{Name: f.name, Method: zip.Deflate, ModifiedDate: dosDate, ModifiedTime: dosTime,
			CRC32: crc32.ChecksumIEEE(f.data), UncompressedSize64: uint64(len(f.data))}
		body := f.data
		if f.store {
			fh.Method = zip.Store
			if err := zw.Flush(); err != nil { // cw.n counts what reached cw
				return nil, fmt.Errorf("synth: zip %s: %w", f.name, err)
			}
			// Data starts after the 30-byte local header, the name and the extra field.
			if mis := (cw.n + 30 + int64(len(f.name))) % 4; mis != 0 {
				fh.Extra = alignExtra(int(mis))
			}
		} else {
			var cb bytes.Buffer
			fw, err := flate.NewWriter(&cb, flate.BestCompression)
			if err != nil {
				return nil, fmt.Errorf("synth: zip %s: %w", f.name, err)
			}
			if _, err := fw.Write(f.data); err != nil {
				return nil, fmt.Errorf("synth: zip %s: %w", f.name, err)
			}
			if err := fw.Close(); err != nil {
				return nil, fmt.Errorf("synth: zip %s: %w", f.name, err)
			}
			body = cb.Bytes()
		}
		fh.CompressedSize64 = uint64(len(body))
		w, err := zw.CreateRaw(fh)
		if err != nil {
			return nil, fmt.Errorf("synth: zip %s: %w", f.name, err)
		}
		if _, err := w.Write(body); err != nil {
			return nil, fmt.Errorf("synth: zip %s: %w", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("synth: zip: %w", err)
	}
	return buf.Bytes(), nil
}

// alignExtra returns an extra field that moves data at offset ≡ mis (mod 4)
// to the next multiple of 4: an Android zipalign record (id 0xd935, a
// 2-byte alignment value) followed by zero padding.
func alignExtra(mis int) []byte {
	// Header (4 bytes) + alignment (2 bytes) = 6, then pad so that
	// (mis + 6 + pad) % 4 == 0.
	pad := (4 - (mis+6)%4) % 4
	e := make([]byte, 6+pad)
	e[0], e[1] = 0x35, 0xd9
	e[2] = byte(2 + pad)
	e[4] = 4
	return e
}
