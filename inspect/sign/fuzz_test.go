package sign

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerify feeds arbitrary bytes to Verify: it must not panic, and a
// result must be internally consistent.
func FuzzVerify(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(fixtureDir, "*apksig_*.apk"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	// Hermetic seeds, for machines without the shared fixtures.
	testECKey(f)
	z := writeZip(f, signV1(f, []testFile{{name: "AndroidManifest.xml", data: []byte("m"), stored: true}, {name: "a.txt", data: []byte("aaaa")}}, keyEC, v1Options{}))
	f.Add(z)
	f.Add(insertSigningBlock(f, z, []pair{
		{blockV2, schemeBlock(schemeSignerBytes(f, z, keyEC, schemeOptions{}))},
		{blockV3, schemeBlock(schemeSignerBytes(f, z, keyEC, schemeOptions{v3: true, minSDK: 28, maxSDK: 0x7fffffff}))},
		{blockWalle, []byte("{}")},
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Verify(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if res != nil {
				t.Fatal("result and error")
			}
			return
		}
		if res.Schemes == nil || res.Present == nil || res.Certificates == nil {
			t.Fatal("nil slices in result")
		}
		for _, s := range res.Schemes {
			if !res.HasScheme(s) || !contains(res.Present, s) {
				t.Fatalf("verified scheme %d not present %v", s, res.Present)
			}
		}
		if len(res.Schemes) > 0 && len(res.Certificates) == 0 {
			t.Fatal("verified without certificates")
		}
		_ = res.ForMinSDK(21)
	})
}

func contains(v []int, n int) bool {
	for _, x := range v {
		if x == n {
			return true
		}
	}
	return false
}
