package apk

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// fuzzLimits keep each fuzz iteration cheap.
var fuzzLimits = Limits{MaxEntrySize: 8 << 20, MaxTotalInflated: 32 << 20, MaxRatio: 250, MaxEntries: 10000}

// fixtureFiles returns the fixtures' files called name (read with
// archive/zip directly), or nil when the fixtures are absent.
func fixtureFiles(name string, maxAPK int64) (apks [][]byte, files [][]byte) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "fixtures", "apks")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.Size() <= maxAPK {
			if b, err := os.ReadFile(p); err == nil {
				apks = append(apks, b)
			}
		}
		zr, err := zip.OpenReader(p)
		if err != nil {
			continue
		}
		for _, f := range zr.File {
			if f.Name == name && f.UncompressedSize64 < 4<<20 {
				if rc, err := f.Open(); err == nil {
					b := make([]byte, f.UncompressedSize64)
					if _, err := io.ReadFull(rc, b); err == nil {
						files = append(files, b)
					}
					rc.Close()
				}
			}
		}
		zr.Close()
	}
	return apks, files
}

// exercise runs every reader of the package over an opened archive.
func exercise(a *Archive) {
	if m, err := ParseManifest(a); err == nil {
		if _, err := json.Marshal(m); err != nil {
			panic(err)
		}
	}
	for _, e := range a.Entries() {
		if e.Size < 1<<20 {
			a.ReadFile(e.Split, e.Name)
		}
	}
	NativeLibs(a)
	ABIs(a)
	FindPolicyDocs(a)
	ResourceStrings(a)
	a.BaseReaderAt()
}

func FuzzOpen(f *testing.F) {
	apks, _ := fixtureFiles("", 64<<10)
	for _, b := range apks {
		f.Add(b)
	}
	f.Add(demoAPK(f))
	f.Add(buildZip(f, zfile{name: "toc.pb"}, zfile{name: "splits/base-master.apk", data: demoAPK(f), method: zip.Deflate}))
	f.Add(buildZip(f, zfile{name: "a\x00", data: []byte("x")}))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.apk")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		a, err := Open(p, fuzzLimits)
		if err != nil {
			return
		}
		exercise(a)
		tmp := a.tmpDir
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if tmp != "" {
			if _, err := os.Stat(tmp); !os.IsNotExist(err) {
				t.Fatalf("temp dir %s left behind", tmp)
			}
		}
	})
}

func FuzzManifest(f *testing.F) {
	_, manifests := fixtureFiles("AndroidManifest.xml", 0)
	for _, b := range manifests {
		f.Add(b)
	}
	f.Add(demoManifest(30))
	f.Add(demoManifest(10))
	for _, b := range trickManifests(f) {
		f.Add(b)
	}
	arsc := demoARSC(false)
	f.Fuzz(func(t *testing.T, data []byte) {
		used := allocated(func() {
			for _, table := range [][]byte{nil, arsc} {
				m, err := ParseManifestBytes(data, table)
				if err != nil {
					continue
				}
				if _, err := json.Marshal(m); err != nil {
					t.Fatal(err)
				}
			}
		})
		if limit := boundFor(len(data)); used > limit {
			t.Fatalf("a %d-byte manifest allocated %d bytes (limit %d)", len(data), used, limit)
		}
	})
}

func FuzzResources(f *testing.F) {
	_, tables := fixtureFiles("resources.arsc", 0)
	for _, b := range tables {
		f.Add(b)
	}
	f.Add(demoARSC(false))
	f.Add(demoARSC(true))
	f.Add(aliasedARSC(2000, 4096))
	mf := demoManifest(30)
	f.Fuzz(func(t *testing.T, data []byte) {
		used := allocated(func() {
			if tab, err := parseResTable(data); err == nil {
				_, _ = tab.pool.all()
			}
		})
		if limit := boundFor(len(data)); used > limit {
			t.Fatalf("a %d-byte table allocated %d bytes (limit %d)", len(data), used, limit)
		}
		tab, err := parseResTable(data)
		if err == nil {
			// Resolve every entry of every type in every way we use.
			for pid, p := range tab.pkgs {
				for tid, types := range p.types {
					n := 0
					for _, rt := range types {
						n = max(n, rt.entryCount)
					}
					for e := range min(n, 512) {
						id := pid<<24 | uint32(tid)<<16 | uint32(e)
						if v, ok := tab.resolveDefault(id); ok {
							tab.format(v)
						}
						tab.byLocale(id)
						tab.bestFile(id)
					}
				}
			}
		}
		if _, err := ParseManifestBytes(mf, data); err != nil {
			t.Fatal(err) // a bad table is only a warning
		}
	})
}

// TestMutations runs the parsers over deterministic corruptions (byte
// flips, 0xff/0x00 runs, truncations) of built inputs and, when present, the
// fixtures' manifests and tables: none may panic, hang or leak temp files.
func TestMutations(t *testing.T) {
	_, manifests := fixtureFiles("AndroidManifest.xml", 0)
	_, tables := fixtureFiles("resources.arsc", 0)
	manifests = append(manifests, demoManifest(30))
	tables = append(tables, demoARSC(false), demoARSC(true))
	rng := uint64(0x9e3779b97f4a7c15)
	next := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	mutate := func(b []byte) []byte {
		m := slices.Clone(b)
		switch next(4) {
		case 0:
			for range 1 + next(8) {
				m[next(len(m))] ^= byte(1 << next(8))
			}
		case 1:
			i := next(len(m))
			for j := i; j < min(len(m), i+1+next(8)); j++ {
				m[j] = 0xff
			}
		case 2:
			i := next(len(m))
			for j := i; j < min(len(m), i+1+next(8)); j++ {
				m[j] = 0
			}
		default:
			m = m[:next(len(m))]
		}
		return m
	}
	arsc := demoARSC(false)
	mf := demoManifest(30)
	for _, b := range manifests {
		for range 20 {
			ParseManifestBytes(mutate(b), arsc)
		}
	}
	for _, b := range tables {
		for range 20 {
			if _, err := ParseManifestBytes(mf, mutate(b)); err != nil {
				t.Fatal(err)
			}
		}
	}
	apk := demoAPK(t)
	dir := t.TempDir()
	for i := range 100 {
		p := filepath.Join(dir, "m.apk")
		os.WriteFile(p, mutate(apk), 0o600)
		if a, err := Open(p, fuzzLimits); err == nil {
			exercise(a)
			a.Close()
		}
		_ = i
	}
}

// boundFor is the allocation a parser may make for an input of n bytes:
// the string pool budget (4n + 1 MiB) with room for the structures.
func boundFor(n int) uint64 { return 64<<20 + 16*uint64(n) }

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// trickManifests returns the binary manifests of the hostile corpus.
func trickManifests(tb testing.TB) [][]byte {
	var out [][]byte
	for _, tricks := range trickVariants() {
		b, err := synth.Build(trickSpec(tricks...))
		if err != nil {
			tb.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			tb.Fatal(err)
		}
		rc, err := zr.Open("AndroidManifest.xml")
		if err != nil {
			tb.Fatal(err)
		}
		m, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, m)
	}
	return out
}

// aliasedARSC is a resource table whose global pool has n entries aliasing
// one string of size UTF-16 units, and no package.
func aliasedARSC(n, size int) []byte {
	data := make([]byte, 4+2*size+2)
	binary.LittleEndian.PutUint16(data, uint16(0x8000|size>>16))
	binary.LittleEndian.PutUint16(data[2:], uint16(size&0xffff))
	for i := range size {
		binary.LittleEndian.PutUint16(data[4+2*i:], 'a')
	}
	pool := poolChunk(make([]uint32, n), data).data
	out := make([]byte, 12, 12+len(pool))
	binary.LittleEndian.PutUint16(out, chunkTable)
	binary.LittleEndian.PutUint16(out[2:], 12)
	binary.LittleEndian.PutUint32(out[4:], uint32(12+len(pool)))
	return append(out, pool...)
}
