package packer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// ordinaryApp is an unpacked app: a real Application class in a large dex,
// ordinary native libraries and assets.
func ordinaryApp() Input {
	in := Input{
		Files: []string{
			"AndroidManifest.xml", "classes.dex", "classes2.dex", "resources.arsc", "META-INF/MANIFEST.MF",
			"META-INF/CERT.RSA", "lib/arm64-v8a/libc++_shared.so", "lib/arm64-v8a/libsqlite3.so",
			"lib/armeabi-v7a/libjcore400.so", "assets/fonts/Roboto.ttf", "assets/config.json",
			"res/layout/activity_main.xml", "kotlin/kotlin.kotlin_builtins",
		},
		ApplicationClass: "com.example.shop.ShopApplication",
		DexSizes:         []int64{8 << 20, 3 << 20},
	}
	for i := range 2000 {
		in.Classes = append(in.Classes, fmt.Sprintf("com.example.shop.feature%d.Screen%d", i%40, i))
	}
	// R8-obfuscated code in a.a.a, and a few classes in package o (too few for DexGuard)
	for i := range 300 {
		in.Classes = append(in.Classes, fmt.Sprintf("a.a.%c%d", 'a'+i%26, i))
	}
	for _, c := range []string{"o.a", "o.b", "o.c"} {
		in.Classes = append(in.Classes, c)
	}
	in.Classes = append(in.Classes, in.ApplicationClass)
	return in
}

// packed builds a packed app: a stub dex with a few classes.
func packed(app string, files []string, classes ...string) Input {
	return Input{
		Files:            append([]string{"AndroidManifest.xml", "classes.dex", "resources.arsc"}, files...),
		Classes:          append(classes, app),
		ApplicationClass: app,
		DexSizes:         []int64{6 << 10},
	}
}

func TestDetectVendors(t *testing.T) {
	tests := []struct {
		name    string
		in      Input
		id      string
		variant string
		want    []string // evidence substrings
	}{
		{"360 jiagu", packed("com.stub.StubApp", []string{"lib/armeabi-v7a/libjiagu.so", "assets/libjiagu_a64.so", "assets/jiagu_data.bin"}, "com.stub.StubApp$1", "com.qihoo.util.Configuration"),
			"qihoo360-jiagu", "", []string{"native library lib/armeabi-v7a/libjiagu.so", "native library assets/libjiagu_a64.so", "file assets/jiagu_data.bin", "class com.stub.StubApp", "is the packer's stub", "stub structure"}},
		{"360 jiagu vip", packed("com.stub.StubApp", []string{"lib/arm64-v8a/libjiagu_vip_x64.so"}), "qihoo360-jiagu", "VIP", []string{"libjiagu_vip_x64.so"}},
		{"bangcle", packed("com.secneo.apkwrapper.ApplicationWrapper", []string{"lib/armeabi/libsecexe.so", "lib/armeabi/libsecmain.so", "assets/bangcleplugin/container.dex"}, "com.secneo.apkwrapper.H"),
			"bangcle", "", []string{"libsecexe.so", "container.dex", "class(es) under com.secneo.apkwrapper"}},
		{"bangcle enterprise", packed("com.SecShell.SecShell.ApplicationWrapper", []string{"lib/arm64-v8a/libDexHelper.so", "assets/secData0.jar"}), "bangcle", "enterprise (DexHelper)", []string{"libDexHelper.so", "assets/secData0.jar"}},
		{"ijiami", packed("s.h.e.l.l.S", []string{"assets/ijiami.dat", "assets/ijm_lib/armeabi/libexec.so", "assets/ijm_lib/armeabi/libexecmain.so"}, "s.h.e.l.l.N"),
			"ijiami", "", []string{"file assets/ijiami.dat", "file assets/ijm_lib/armeabi/libexec.so", "native library assets/ijm_lib/armeabi/libexecmain.so", "native library assets/ijm_lib/armeabi/libexec.so"}},
		{"tencent legu", packed("com.tencent.StubShell.TxAppEntry", []string{"lib/armeabi/libshella-2.10.6.0.so", "assets/0OO00l111l1l", "assets/tosversion", "assets/dexMethod1.dat"}, "com.tencent.StubShell.ZipUtil"),
			"tencent-legu", "Legu", []string{"libshella-2.10.6.0.so", "file assets/0OO00l111l1l", "file assets/dexMethod1.dat", "is the packer's stub"}},
		{"tencent yunxi", packed("com.wrapper.App", []string{"lib/arm64-v8a/libwsDataEncryption64.so"}), "tencent-legu", "Yunxi", []string{"libwsDataEncryption64.so"}},
		{"baidu", packed("com.baidu.protect.StubApplication", []string{"lib/armeabi/libbaiduprotect.so", "assets/baiduprotect1.jar"}, "com.baidu.protect.A"),
			"baidu-protect", "", []string{"libbaiduprotect.so", "file assets/baiduprotect1.jar", "com.baidu.protect"}},
		{"alibaba", packed("com.ali.app.App", []string{"lib/armeabi/libmobisec.so"}), "alibaba", "security SDK (not always a packer)", []string{"libmobisec.so", "note: "}},
		{"naga", packed("com.app.App", []string{"lib/armeabi/libchaosvmp.so", "assets/maindata/fake_classes.dex"}), "naga", "VMP", []string{"libchaosvmp.so", "fake_classes.dex"}},
		{"netease", packed("com.netease.nis.wrapper.MyApplication", []string{"lib/armeabi-v7a/libnesec.so", "assets/nedata.db"}, "com.netease.nis.wrapper.Entry"),
			"netease-yidun", "", []string{"libnesec.so", "assets/nedata.db", "com.netease.nis.wrapper"}},
		{"dingxiang", packed("com.app.App", []string{"lib/arm64-v8a/libsys_misc.so", "assets/__param.data"}), "dingxiang", "", []string{"libsys_misc.so", "__param.data"}},
		{"kiwisec", packed("com.app.App", []string{"lib/arm64-v8a/libKwProtectSDK.so"}), "kiwisec", "", []string{"libKwProtectSDK.so"}},
		{"tongfudun", packed("com.app.App", []string{"lib/arm64-v8a/libegis.so"}), "tongfudun", "", []string{"libegis.so"}},
		{"pangxie", packed("com.app.App", []string{"lib/arm64-v8a/libnsecure.so"}), "pangxie", "", []string{"libnsecure.so"}},
		{"nesun", packed("com.app.App", []string{"lib/arm64-v8a/libzprotect.so"}), "nesun", "", []string{"libzprotect.so"}},
		{"manxi", packed("com.app.App", []string{"lib/arm64-v8a/libmanxi.so", "assets/mxsafe.data"}), "manxi", "", []string{"libmanxi.so", "assets/mxsafe.data"}},
		{"venustech", packed("com.app.App", []string{"lib/arm64-v8a/libvenSec.so"}), "venustech", "", []string{"libvenSec.so"}},
		{"secenh", packed("com.app.App", []string{"assets/libsecenh.so"}), "secenh", "", []string{"assets/libsecenh.so"}},
		{"dexguard marker", Input{Files: []string{"classes.dex"}, Classes: []string{"com.guardsquare.dexguard.runtime.detection.RootDetector", "com.app.Main"}},
			"dexguard", "runtime marker", []string{"com.guardsquare.dexguard"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Detect(tt.in)
			if len(fs) != 1 {
				t.Fatalf("got %d findings, want 1: %+v", len(fs), fs)
			}
			f := fs[0]
			if f.ID != tt.id || f.Variant != tt.variant || f.Vendor == "" || f.VendorZH == "" {
				t.Errorf("finding %s %q (%s/%s), want %s %q", f.ID, f.Variant, f.Vendor, f.VendorZH, tt.id, tt.variant)
			}
			all := strings.Join(f.Evidence, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("evidence lacks %q:\n%s", w, all)
				}
			}
		})
	}
}

func TestDexGuardShortClasses(t *testing.T) {
	in := ordinaryApp()
	for i := range 60 {
		in.Classes = append(in.Classes, fmt.Sprintf("o.%c%c", 'A'+i%26, 'a'+i/26))
	}
	fs := Detect(in)
	if len(fs) != 1 || fs[0].ID != "dexguard" || !strings.Contains(fs[0].Variant, "obfuscation pattern") {
		t.Fatalf("%+v", fs)
	}
}

func TestOrdinaryAppHasNoPacker(t *testing.T) {
	if fs := Detect(ordinaryApp()); len(fs) != 0 {
		t.Fatalf("false positive: %+v", fs)
	}
	// a tiny but ordinary app: its Application class is in the dex
	tiny := Input{Files: []string{"classes.dex", "lib/arm64-v8a/libexec.so"}, Classes: []string{"com.hello.App", "com.hello.Main"}, ApplicationClass: "com.hello.App", DexSizes: []int64{3000}}
	if fs := Detect(tiny); len(fs) != 0 {
		t.Fatalf("tiny app: %+v", fs)
	}
	if fs := Detect(Input{}); len(fs) != 0 {
		t.Fatalf("empty input: %+v", fs)
	}
}

func TestUnknownPackerStub(t *testing.T) {
	in := Input{Files: []string{"classes.dex", "assets/payload.bin", "lib/arm64-v8a/libxyz.so"}, Classes: []string{"com.pack.Loader", "com.pack.Loader$1"},
		ApplicationClass: "com.victim.RealApplication", DexSizes: []int64{4096}}
	fs := Detect(in)
	if len(fs) != 1 || fs[0].ID != "unknown" || fs[0].VendorZH != "未知加固" || !strings.Contains(strings.Join(fs[0].Evidence, " "), "not defined in the dex") {
		t.Fatalf("%+v", fs)
	}
	// a large dex is not a stub
	in.DexSizes = []int64{5 << 20}
	if fs := Detect(in); len(fs) != 0 {
		t.Fatalf("large dex: %+v", fs)
	}
}

func TestMultiplePackersSorted(t *testing.T) {
	in := packed("com.stub.StubApp", []string{"lib/armeabi/libjiagu.so", "lib/armeabi/libsgmain.so"})
	fs := Detect(in)
	ids := []string{}
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	if !slices.Equal(ids, []string{"alibaba", "qihoo360-jiagu"}) {
		t.Fatalf("%v", ids)
	}
}

func TestRules(t *testing.T) {
	rs, err := loadRules()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"qihoo360-jiagu", "bangcle", "ijiami", "tencent-legu", "baidu-protect", "alibaba", "naga", "netease-yidun",
		"dingxiang", "kiwisec", "tongfudun", "pangxie", "nesun", "manxi", "venustech", "secenh", "dexguard"}
	v := Vendors()
	for _, id := range want {
		if v[id] == "" {
			t.Errorf("no rule for %s", id)
		}
	}
	if len(rs) != len(want) {
		t.Errorf("%d rules, want %d", len(rs), len(want))
	}
	if err := validate([]rule{{ID: "x", Vendor: "x", VendorZH: "x", Signals: []signal{{Kind: "regex", Pattern: ".*", Source: "s"}}}}); err == nil {
		t.Error("unknown kind accepted")
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"libshella-*.so", "libshella-2.10.so", true},
		{"libshella-*.so", "libshella.so", false},
		{"*dexguard*", "assets/dexguard/x", true},
		{"*dexguard*", "assets/dexgard", false},
		{"assets/mxsafe.*", "assets/mxsafe.jar", true},
		{"a*a", "a", false},
		{"abc", "abc", true},
		{"abc", "abcd", false},
	}
	for _, tt := range tests {
		if got := globMatch(tt.p, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("lib/armeabi/libjiagu.so", "com.stub.StubApp", "com.stub.StubApp", int64(100))
	f.Add("assets/ijm_lib/x", "s.h.e.l.l.S", "", int64(0))
	f.Add("*", "o.a", "o.a", int64(-1))
	f.Fuzz(func(t *testing.T, file, class, app string, size int64) {
		fs := Detect(Input{Files: []string{file, "/" + file}, Classes: []string{class}, ApplicationClass: app, DexSizes: []int64{size}})
		for i, x := range fs {
			if len(x.Evidence) == 0 || x.Vendor == "" || i > 0 && fs[i-1].ID >= x.ID {
				t.Fatalf("bad findings %+v", fs)
			}
		}
	})
}
