package dex

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// syntheticSpec builds a DEX shaped like a large app: nClasses classes, one
// method with code each, plus nLib library methods they call, and const
// strings. Method and type counts stay below the 65,536 a single DEX allows.
func syntheticSpec(nClasses, nLib int) *dexSpec {
	d := &dexSpec{version: "035"}
	str := func(s string) uint32 { d.strs = append(d.strs, s); return uint32(len(d.strs) - 1) }
	typ := func(s uint32) uint16 { d.types = append(d.types, s); return uint16(len(d.types) - 1) }
	sV := str("V")
	sRun := str("run")
	tV := typ(sV)
	d.protos = []tProto{{shorty: sV, ret: uint32(tV)}}
	const nLibClasses = 10
	var libTypes []uint16
	for k := 0; k < nLibClasses; k++ {
		libTypes = append(libTypes, typ(str(fmt.Sprintf("Landroid/sdk/Lib%d;", k))))
	}
	classTypes := make([]uint16, nClasses)
	for c := range classTypes {
		classTypes[c] = typ(str(fmt.Sprintf("Lcom/synth/p%d/Class%d$Inner;", c/1000, c)))
	}
	for c := 0; c < nClasses; c++ {
		d.methods = append(d.methods, tRef{classTypes[c], 0, sRun})
	}
	for k := 0; k < nLib; k++ {
		d.methods = append(d.methods, tRef{libTypes[k%nLibClasses], 0, str(fmt.Sprintf("api%d", k))})
	}
	consts := make([]uint32, max(nLib, 1))
	for k := range consts {
		consts[k] = str(fmt.Sprintf("https://tracker%d.example.com/collect?id=%d", k%97, k))
	}
	for c := 0; c < nClasses; c++ {
		lib := uint16(nClasses + (c*7)%max(nLib, 1))
		if nLib == 0 {
			lib = uint16(c)
		}
		next := uint16((c + 1) % nClasses)
		s := consts[c%len(consts)]
		insns := []uint16{
			0x0013, 0x0005, // const/16 v0, 5
			0x001a, uint16(s), // const-string v0
			0x106e, lib, 0x0001, // invoke-virtual {v1}, lib
			0x0038, 0x0006, // if-eqz v0, +6
			0x0071, next, 0x0000, // invoke-static {}, next class
			0x0028, 0x0004, // goto +4 (fine for a benchmark: not executed)
			0x001b, uint16(s), uint16(s >> 16), // const-string/jumbo v0
			0x0274, lib, 0x0000, // invoke-virtual/range {v0, v1}, lib
			0x0090, 0x0100, // add-int v0, v0, v1
			0x000e, // return-void
		}
		d.classes = append(d.classes, tClass{typ: uint32(classTypes[c]), direct: []tMethod{{idx: uint32(c), insns: insns}}})
	}
	return d
}

var synthetic = sync.OnceValue(func() []byte { return syntheticSpec(60000, 5000).bytes() })

// fixtureDexes extracts classes*.dex from the benchmark APKs, or skips.
func fixtureDexes(b testing.TB) map[string][]byte {
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "apks")
	out := map[string][]byte{}
	for _, apk := range []string{"apktool__issue3533.apk", "androguard__weardrawers.apk"} {
		path := filepath.Join(dir, apk)
		if _, err := os.Stat(path); err != nil {
			b.Skipf("fixture %s absent: %v", apk, err)
		}
		names, data, err := apkDexes(path)
		if err != nil {
			b.Fatalf("%s: %v", apk, err)
		}
		for i, n := range names {
			out[apk+"/"+n] = data[i]
		}
	}
	return out
}

// largestFixture returns the biggest fixture DEX, or skips.
func largestFixture(b *testing.B) (string, []byte) {
	var name string
	var big []byte
	for n, d := range fixtureDexes(b) {
		if len(d) > len(big) || (len(d) == len(big) && n < name) {
			name, big = n, d
		}
	}
	return name, big
}

type nopVisitor struct{ n int }

func (v *nopVisitor) Method(uint32) bool         { return true }
func (v *nopVisitor) Invoke(uint32, uint32)      { v.n++ }
func (v *nopVisitor) ConstString(uint32, uint32) { v.n++ }

func benchInputs(b *testing.B, run func(b *testing.B, data []byte)) {
	b.Run("synthetic", func(b *testing.B) { run(b, synthetic()) })
	b.Run("fixture", func(b *testing.B) {
		_, data := largestFixture(b)
		run(b, data)
	})
}

// BenchmarkParseClasses measures Parse followed by Classes (MB/s of DEX).
func BenchmarkParseClasses(b *testing.B) {
	benchInputs(b, func(b *testing.B, data []byte) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			f, err := Parse(data, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			if len(f.Classes()) != f.NumClasses() {
				b.Fatal("classes missing")
			}
		}
	})
}

// BenchmarkStrings measures Parse followed by Strings.
func BenchmarkStrings(b *testing.B) {
	benchInputs(b, func(b *testing.B, data []byte) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			f, err := Parse(data, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			if len(f.Strings()) != f.NumStrings() {
				b.Fatal("strings missing")
			}
		}
	})
}

// BenchmarkWalk measures Parse followed by a Walk over every method body.
func BenchmarkWalk(b *testing.B) {
	benchInputs(b, func(b *testing.B, data []byte) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			f, err := Parse(data, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			var v nopVisitor
			if err := f.Walk(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInflate is the baseline of the product target: only decompressing
// every classes*.dex of the two benchmark APKs.
func BenchmarkInflate(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "apks")
	fixtureDexes(b) // skip when absent
	var total int64
	for b.Loop() {
		total = 0
		for _, apk := range []string{"apktool__issue3533.apk", "androguard__weardrawers.apk"} {
			zr, err := zip.OpenReader(filepath.Join(dir, apk))
			if err != nil {
				b.Fatal(err)
			}
			for _, zf := range zr.File {
				if !dexName.MatchString(zf.Name) {
					continue
				}
				rc, err := zf.Open()
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, rc)
				rc.Close()
				if err != nil {
					b.Fatal(err)
				}
				total += n
			}
			zr.Close()
		}
	}
	b.SetBytes(total)
}

// BenchmarkFullScan is the scan side of the product target: Parse, Classes,
// TypeNames, Strings and Walk over every classes*.dex of the two APKs
// (already inflated).
func BenchmarkFullScan(b *testing.B) {
	dexes := fixtureDexes(b)
	var total int64
	for _, d := range dexes {
		total += int64(len(d))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range dexes {
			f, err := Parse(d, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			f.Classes()
			f.TypeNames()
			f.Strings()
			var v nopVisitor
			if err := f.Walk(&v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 60,000-class dex")
	}
	data := synthetic()
	f := mustParse(t, data)
	if f.NumClasses() != 60000 || f.NumMethods() != 65000 || f.CodeMethods() != 60000 {
		t.Fatalf("classes %d methods %d code %d", f.NumClasses(), f.NumMethods(), f.CodeMethods())
	}
	if c, _ := f.Class(59999); c != "com.synth.p59.Class59999$Inner" {
		t.Errorf("Class(59999) = %q", c)
	}
	var v nopVisitor
	if err := f.Walk(&v); err != nil {
		t.Fatal(err)
	}
	if v.n != 60000*5 {
		t.Errorf("Walk reported %d events, want %d", v.n, 60000*5)
	}
	m, err := f.Method(60000 + 4999)
	if err != nil || m.Class != "android.sdk.Lib9" || m.Name != "api4999" || m.Proto != "()V" {
		t.Errorf("Method = %+v, %v", m, err)
	}
}
