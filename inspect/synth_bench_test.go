package inspect

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// BenchmarkScanCallHeavy scans a synthetic APK whose code is nothing but
// calls — 20,000 classes, half under SDK prefixes, each with a method making
// three calls, a sixteenth of them to sensitive APIs — the worst case for
// what detection adds to a scan.
func BenchmarkScanCallHeavy(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	spec := synth.Spec{Package: "com.synthbench.large", VersionName: "1.0", VersionCode: 1, MinSDK: 21, TargetSDK: 30, LabelEN: "Large"}
	targets := []synth.Call{
		{Class: "android.telephony.TelephonyManager", Name: "getDeviceId", Proto: "()Ljava/lang/String;"},
		{Class: "android.content.pm.PackageManager", Name: "getInstalledPackages", Proto: "(I)Ljava/util/List;"},
		{Class: "android.location.LocationManager", Name: "getLastKnownLocation", Proto: "(Ljava/lang/String;)Landroid/location/Location;"},
		{Class: "android.content.ClipboardManager", Name: "getPrimaryClip", Proto: "()Landroid/content/ClipData;"},
	}
	for i := range 60 {
		targets = append(targets, synth.Call{Class: "android.widget.TextView", Name: fmt.Sprintf("helper%d", i), Proto: "(Ljava/lang/String;)V"})
	}
	prefixes := []string{"cn.jpush.android", "com.umeng.analytics", "com.amap.api.location", "com.bytedance.sdk.openadsdk", "com.tencent.bugly"}
	for i := range 20000 {
		name := fmt.Sprintf("com.synthbench.large.p%d.C%d", i%97, i)
		if i%2 == 0 {
			name = fmt.Sprintf("%s.x%d.C%d", prefixes[i%len(prefixes)], i%13, i)
		}
		m := synth.Method{Name: "run", Proto: "()V", ConstStrings: []string{fmt.Sprintf("key-%d", rng.IntN(1000))}}
		for range 3 {
			m.Calls = append(m.Calls, targets[rng.IntN(len(targets))])
		}
		spec.Classes = append(spec.Classes, synth.Class{Name: name, Methods: []synth.Method{m}})
	}
	apk, err := synth.Build(spec)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "large.apk")
	if err := os.WriteFile(path, apk, 0o644); err != nil {
		b.Fatal(err)
	}
	det, err := DefaultDetector()
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []struct {
		name string
		opt  Options
	}{{"detect", Options{Detector: det}}, {"no-detect", Options{NoDetect: true}}} {
		b.Run(mode.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Scan(context.Background(), path, mode.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
