package inspect

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// dexOf builds an APK from spec and returns its classes.dex.
func dexOf(t *testing.T, spec synth.Spec) []byte {
	t.Helper()
	b, err := synth.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "classes.dex" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			d, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
	}
	t.Fatal("no classes.dex")
	return nil
}

// An Instant Run build keeps the app's code in instant-run.zip slices: it
// is read as the app's code, and SDKs found there are not "obfuscated".
func TestInstantRunSlices(t *testing.T) {
	slice := dexOf(t, synth.Spec{Package: "com.irdemo.app", VersionName: "1", VersionCode: 1, MinSDK: 21, TargetSDK: 26,
		Classes: []synth.Class{{Name: "com.irdemo.app.MainActivity"}, {Name: "cn.jpush.android.api.JPushInterface"},
			{Name: "cn.jpush.android.service.PushService"}}})
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, err := zw.Create("instant-run/slice_0-classes.dex")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(slice)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	apkBytes, err := synth.Build(synth.Spec{Package: "com.irdemo.app", VersionName: "1", VersionCode: 1, MinSDK: 21, TargetSDK: 26,
		Classes:    []synth.Class{{Name: "com.android.tools.ir.server.InstantRunContentProvider"}},
		Components: []synth.Component{{Kind: "service", Name: "cn.jpush.android.service.PushService"}},
		Assets:     map[string][]byte{"instant-run.zip": zbuf.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "ir.apk")
	if err := os.WriteFile(p, apkBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Scan(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Dex.Classes != 4 || !slices.Contains(r.Dex.Files, "instant-run.zip!instant-run/slice_0-classes.dex") {
		t.Errorf("dex = %+v", r.Dex)
	}
	i := slices.IndexFunc(r.SDKs, func(s SDK) bool { return s.ID == "jpush" })
	if i < 0 {
		t.Fatalf("jpush not present: %+v / mentions %+v", r.SDKs, r.SDKMentions)
	}
	if s := r.SDKs[i]; !s.Present || s.Obfuscated || s.Evidence[0].Kind != "class" {
		t.Errorf("jpush = %+v", s)
	}
}
