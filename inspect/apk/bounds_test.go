package apk

import (
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
)

// poolChunk builds a UTF-16 string pool chunk with the given offsets over
// data.
func poolChunk(offsets []uint32, data []byte) chunk {
	start := 28 + 4*len(offsets)
	b := make([]byte, start, start+len(data))
	binary.LittleEndian.PutUint16(b, chunkStringPool)
	binary.LittleEndian.PutUint16(b[2:], 28)
	binary.LittleEndian.PutUint32(b[4:], uint32(start+len(data)))
	binary.LittleEndian.PutUint32(b[8:], uint32(len(offsets)))
	binary.LittleEndian.PutUint32(b[20:], uint32(start))
	for i, o := range offsets {
		binary.LittleEndian.PutUint32(b[28+4*i:], o)
	}
	b = append(b, data...)
	return chunk{typ: chunkStringPool, headerSize: 28, data: b}
}

// allocs returns the bytes allocated by f.
func allocs(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestPoolAliasing: 200 000 entries aliasing one 1 MB string decode it once.
func TestPoolAliasing(t *testing.T) {
	const chars = 500_000
	data := make([]byte, 4+2*chars+2)
	binary.LittleEndian.PutUint16(data, 0x8000|chars>>16)
	binary.LittleEndian.PutUint16(data[2:], chars&0xffff)
	for i := range chars {
		binary.LittleEndian.PutUint16(data[4+2*i:], 'a')
	}
	offsets := make([]uint32, 200_000)
	c := poolChunk(offsets, data)
	var n int
	used := allocs(func() {
		p, err := parseStringPool(c, "test")
		if err != nil {
			t.Fatal(err)
		}
		for i := range p.len() {
			s, ok := p.get(uint32(i))
			if !ok || len(s) != chars {
				t.Fatalf("entry %d: %d bytes, %v", i, len(s), ok)
			}
		}
		all, err := p.all()
		if err != nil {
			t.Fatal(err)
		}
		n = len(all)
	})
	if n != 1 {
		t.Errorf("all() = %d strings, want 1 distinct", n)
	}
	if used > 16<<20 {
		t.Errorf("allocated %d bytes for one 1 MB string (limit 16 MiB)", used)
	}
}

// TestPoolOverlapBudget: 500 000 distinct overlapping offsets, each the
// start of a 64 KB string, stop at the decoding budget instead of decoding
// 32 GB.
func TestPoolOverlapBudget(t *testing.T) {
	data := make([]byte, 1<<20)
	for i := 0; i < len(data); i += 2 {
		binary.LittleEndian.PutUint16(data[i:], 0x7ff0)
	}
	var offsets []uint32
	for o := 0; o+2*0x7ff0+2 < len(data); o += 2 {
		offsets = append(offsets, uint32(o))
	}
	c := poolChunk(offsets, data)
	var err error
	used := allocs(func() {
		p, perr := parseStringPool(c, "test")
		if perr != nil {
			t.Fatal(perr)
		}
		_, err = p.all()
	})
	if !errors.Is(err, ErrLimit) {
		t.Errorf("all() = %v, want ErrLimit", err)
	}
	if used > 128<<20 {
		t.Errorf("allocated %d bytes (limit 128 MiB)", used)
	}
}
