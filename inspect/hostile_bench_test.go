package inspect

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// replaceEntries rewrites the zip z with the named entries replaced
// (deflated).
func replaceEntries(tb testing.TB, z []byte, repl map[string][]byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		data, ok := repl[f.Name]
		if !ok {
			rc, _ := f.Open()
			data, _ = io.ReadAll(rc)
			rc.Close()
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	return out.Bytes()
}

// aliasedPoolARSC is a resource table whose global pool has n entries
// aliasing one string of units UTF-16 units.
func aliasedPoolARSC(n, units int) []byte {
	data := make([]byte, 4+2*units+2)
	binary.LittleEndian.PutUint16(data, uint16(0x8000|units>>16))
	binary.LittleEndian.PutUint16(data[2:], uint16(units&0xffff))
	for i := range units {
		binary.LittleEndian.PutUint16(data[4+2*i:], 'a')
	}
	start := 28 + 4*n
	pool := make([]byte, start, start+len(data))
	binary.LittleEndian.PutUint16(pool, 0x0001)
	binary.LittleEndian.PutUint16(pool[2:], 28)
	binary.LittleEndian.PutUint32(pool[4:], uint32(start+len(data)))
	binary.LittleEndian.PutUint32(pool[8:], uint32(n))
	binary.LittleEndian.PutUint32(pool[20:], uint32(start))
	pool = append(pool, data...)
	out := make([]byte, 12, 12+len(pool))
	binary.LittleEndian.PutUint16(out, 0x0002)
	binary.LittleEndian.PutUint16(out[2:], 12)
	binary.LittleEndian.PutUint32(out[4:], uint32(12+len(pool)))
	return append(out, pool...)
}

// aliasDexStrings points every string id of the DEX d at the data of its
// longest string.
func aliasDexStrings(tb testing.TB, d []byte) []byte {
	d = slices.Clone(d)
	le := binary.LittleEndian
	n, off := int(le.Uint32(d[0x38:])), int(le.Uint32(d[0x3c:]))
	best, bestLen := uint32(0), 0
	for i := range n {
		p := le.Uint32(d[off+4*i:])
		l := bytes.IndexByte(d[p:], 0)
		if l > bestLen {
			best, bestLen = p, l
		}
	}
	for i := range n {
		le.PutUint32(d[off+4*i:], best)
	}
	return d
}

// hostileAPKs is the hostile corpus of whole APKs: the manifest tricks all
// together, a Janus DEX prefix, a pool of 50 000 entries aliasing one
// 64 KB string, and 20 000 DEX string ids aliasing one 1 MB string.
func hostileAPKs(tb testing.TB) map[string][]byte {
	f := false
	spec := synth.Spec{
		Package: "com.example.hostile", VersionCode: 3, MinSDK: 21, TargetSDK: 30, LabelEN: "Hostile",
		Permissions:    []string{"android.permission.READ_CONTACTS", "android.permission.CAMERA"},
		Application:    synth.ApplicationSpec{AllowBackup: &f},
		ManifestTricks: synth.ManifestTricks,
	}
	tricks, err := synth.Build(spec)
	if err != nil {
		tb.Fatal(err)
	}
	spec.ManifestTricks = nil
	for i := range 20000 {
		spec.Strings = append(spec.Strings, fmt.Sprintf("s%05d", i))
	}
	spec.Strings = append(spec.Strings, strings.Repeat("u", 1<<20))
	withStrings, err := synth.Build(spec)
	if err != nil {
		tb.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(withStrings), int64(len(withStrings)))
	rc, _ := zr.Open("classes.dex")
	dex, _ := io.ReadAll(rc)
	rc.Close()
	return map[string][]byte{
		"manifest_tricks": tricks,
		"arsc_alias":      replaceEntries(tb, tricks, map[string][]byte{"resources.arsc": aliasedPoolARSC(50_000, 32_000)}),
		"dex_alias":       replaceEntries(tb, withStrings, map[string][]byte{"classes.dex": aliasDexStrings(tb, dex)}),
	}
}

// BenchmarkScanHostile scans each hostile APK and reports its size, time
// and bytes allocated. Targets: each well under 30 s and 1 GB.
func BenchmarkScanHostile(b *testing.B) {
	dir := b.TempDir()
	apks := hostileAPKs(b)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range apks {
			if !yield(k) {
				return
			}
		}
	}) {
		p := filepath.Join(dir, name+".apk")
		if err := os.WriteFile(p, apks[name], 0o600); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			var ms runtime.MemStats
			var total uint64
			for b.Loop() {
				runtime.ReadMemStats(&ms)
				before := ms.TotalAlloc
				r, err := Scan(context.Background(), p, Options{})
				if err != nil {
					b.Fatalf("%s: %v", name, err)
				}
				if name == "manifest_tricks" && len(r.ManifestTricks) == 0 {
					b.Fatal("no manifest tricks reported")
				}
				runtime.ReadMemStats(&ms)
				total += ms.TotalAlloc - before
			}
			b.ReportMetric(float64(len(apks[name]))/1024, "KB-apk")
			b.ReportMetric(float64(total)/float64(b.N)/(1<<20), "MB-alloc/op")
		})
	}
}

// TestHostileCorpusWrite writes the hostile APKs to $APPINSPECT_HOSTILE_OUT
// (for measuring the command line with /usr/bin/time); skipped otherwise.
func TestHostileCorpusWrite(t *testing.T) {
	dir := os.Getenv("APPINSPECT_HOSTILE_OUT")
	if dir == "" {
		t.Skip("set APPINSPECT_HOSTILE_OUT to write the hostile corpus")
	}
	for name, b := range hostileAPKs(t) {
		if err := os.WriteFile(filepath.Join(dir, name+".apk"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
