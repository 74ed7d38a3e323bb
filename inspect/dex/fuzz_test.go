package dex

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// checkingVisitor resolves what Walk reports, as a detector would, and
// checks the indexes are in range.
type checkingVisitor struct {
	t      *testing.T
	f      *File
	events int
}

func (v *checkingVisitor) Method(m uint32) bool {
	if m >= uint32(v.f.NumMethods()) {
		v.t.Fatalf("Method(%d) of %d", m, v.f.NumMethods())
	}
	_, _ = v.f.Method(m)
	return true
}

func (v *checkingVisitor) Invoke(_, m uint32) {
	if m >= uint32(v.f.NumMethods()) {
		v.t.Fatalf("Invoke(%d) of %d", m, v.f.NumMethods())
	}
	if v.events++; v.events < 64 {
		_, _ = v.f.Method(m)
	}
}

func (v *checkingVisitor) ConstString(_, s uint32) {
	if s >= uint32(v.f.NumStrings()) {
		v.t.Fatalf("ConstString(%d) of %d", s, v.f.NumStrings())
	}
	if v.events++; v.events < 64 {
		_, _ = v.f.String(s)
	}
}

func (v *checkingVisitor) FieldAccess(_, fi uint32, _ uint8) {
	if fi >= uint32(v.f.NumFields()) {
		v.t.Fatalf("FieldAccess(%d) of %d", fi, v.f.NumFields())
	}
	if v.events++; v.events < 64 {
		_, _ = v.f.Field(fi)
	}
}

// FuzzParse runs Parse, Classes, Strings, TypeNames and Walk on arbitrary
// input: none may panic or hang, and Walk may only report valid indexes.
func FuzzParse(f *testing.F) {
	f.Add(sampleSpec("035").bytes())
	f.Add(sampleSpec("039").bytes())
	f.Add(container(sampleSpec("041"), sampleSpec("041")))
	f.Add(syntheticSpec(20, 5).bytes())
	f.Add([]byte("dex\n035\x00"))
	f.Add(aliasedDex(f, 2000, 4096))
	// Real DEX files from the fixture APKs, the small ones only (up to 16 KB): the fuzzer
	// mutates whole inputs and a multi-megabyte seed slows every execution.
	dir := filepath.Join("..", "..", "..", "shared", "fixtures", "apks")
	apks, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	sort.Strings(apks)
	for _, apk := range apks {
		if _, err := os.Stat(apk); err != nil {
			continue
		}
		_, data, err := apkDexesUpTo(apk, 16<<10)
		if err != nil {
			continue
		}
		for _, d := range data {
			f.Add(d)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		// Memory: whatever the ids point at, decoding every string and type
		// one by one (as the scan does) stays within the file-wide budget.
		used := allocated(func() {
			files, _ := ParseAll(b, DefaultLimits())
			for _, fl := range files {
				for i := range uint32(fl.NumStrings()) {
					_, _ = fl.String(i)
				}
				for i := range uint32(fl.NumTypes()) {
					_, _ = fl.TypeName(i)
				}
			}
		})
		if limit := uint64(64<<20 + 64*len(b)); used > limit {
			t.Fatalf("decoding a %d-byte input allocated %d bytes (limit %d)", len(b), used, limit)
		}
		files, _ := ParseAll(b, DefaultLimits())
		for _, fl := range files {
			classes := fl.Classes()
			if len(classes) > fl.NumClasses() {
				t.Fatalf("%d class names for %d class_defs", len(classes), fl.NumClasses())
			}
			if got := len(fl.Strings()); got != fl.NumStrings() {
				t.Fatalf("Strings gave %d of %d", got, fl.NumStrings())
			}
			if len(fl.TypeNames()) > fl.NumTypes() {
				t.Fatal("too many type names")
			}
			_ = fl.CodeMethods()
			_ = fl.VerifyChecksum()
			_ = fl.Walk(&checkingVisitor{t: t, f: fl})
			for i := 0; i < fl.NumFields() && i < 8; i++ {
				_, _ = fl.Field(uint32(i))
			}
		}
	})
}
