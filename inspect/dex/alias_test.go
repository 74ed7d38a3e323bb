package dex

import (
	"encoding/binary"
	"runtime"
	"strings"
	"testing"
)

// aliasedDex builds a DEX whose n string ids and n type ids all point at
// one string of size bytes.
func aliasedDex(t testing.TB, n, size int) []byte {
	t.Helper()
	d := &dexSpec{version: "035"}
	d.strs = append(d.strs, "L"+strings.Repeat("a", size-2)+";")
	for i := 1; i < n; i++ {
		d.strs = append(d.strs, "x")
	}
	for i := 0; i < n; i++ {
		d.types = append(d.types, uint32(i))
	}
	b := d.build(0)
	le := binary.LittleEndian
	first := le.Uint32(b[0x70:])
	for i := 1; i < n; i++ {
		le.PutUint32(b[0x70+4*i:], first)
	}
	finishDex(b, 0, len(b))
	return b
}

// TestAliasedStrings: 100 000 string and type ids aliased to one 1 MB
// string are decoded once (before, each String call decoded it again:
// 100 GB of work).
func TestAliasedStrings(t *testing.T) {
	const n, size = 100_000, 1 << 20
	b := aliasedDex(t, n, size)
	f, err := Parse(b, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range uint32(f.NumStrings()) {
		if s, err := f.String(i); err != nil || len(s) != size {
			t.Fatalf("string %d: %d bytes, %v", i, len(s), err)
		}
	}
	for i := range uint32(f.NumTypes()) {
		if s, err := f.TypeName(i); err != nil || len(s) != size-2 {
			t.Fatalf("type %d: %d bytes, %v", i, len(s), err)
		}
	}
	_ = f.Strings()
	_ = f.TypeNames()
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("allocated %d MB decoding aliased ids (limit 64 MB)", got>>20)
	}
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}
