package sdk

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

var jpushClasses = []string{
	"cn.jpush.android.api.JPushInterface", "cn.jpush.android.api.BasicPushNotificationBuilder",
	"cn.jpush.android.api.TagAliasCallback", "cn.jpush.android.api.JPushMessage",
	"cn.jpush.android.data.JPushLocalNotification", "cn.jpush.android.helper.Logger",
	"cn.jpush.android.service.PushService", "cn.jpush.android.service.PushReceiver",
	"cn.jpush.android.service.DaemonService", "cn.jpush.android.service.JPushMessageReceiver",
	"cn.jpush.android.ui.PushActivity", "cn.jpush.android.ui.PopWinActivity",
	"cn.jpush.android.api.JPushInterface$1", "cn.jpush.android.local.JPushConstants",
}

var umengClasses = []string{
	"com.umeng.commonsdk.UMConfigure", "com.umeng.commonsdk.utils.UMUtils",
	"com.umeng.commonsdk.statistics.common.DeviceConfig", "com.umeng.commonsdk.framework.UMWorkDispatch",
	"com.umeng.analytics.MobclickAgent", "com.umeng.analytics.MobclickAgent$PageMode",
	"com.umeng.analytics.pro.a", "com.umeng.analytics.pro.b", "com.umeng.analytics.pro.c",
	"com.umeng.analytics.pro.d", "com.umeng.analytics.pro.e", "com.umeng.analytics.AnalyticsConfig",
	"com.umeng.umzid.ZIDManager",
}

var amapClasses = []string{
	"com.amap.api.location.AMapLocationClient", "com.amap.api.location.AMapLocation",
	"com.amap.api.location.AMapLocationClientOption", "com.amap.api.location.AMapLocationListener",
	"com.amap.api.location.APSService", "com.amap.api.location.CoordinateConverter",
	"com.amap.api.maps.MapView", "com.amap.api.maps.AMap", "com.amap.api.maps.MapsInitializer",
	"com.amap.api.services.core.ServiceSettings",
}

// plainAppClasses is a typical Google sample app: AndroidX, Material,
// Kotlin, Gson, OkHttp, Glide and the app's own code.
func plainAppClasses() []string {
	var out []string
	pkgs := map[string][]string{
		"androidx.appcompat.app":                              {"AppCompatActivity", "AppCompatDelegate", "AlertDialog", "ActionBar", "AppCompatDialog"},
		"androidx.appcompat.widget":                           {"Toolbar", "AppCompatTextView", "AppCompatButton", "SearchView", "AppCompatImageView"},
		"androidx.core.app":                                   {"ActivityCompat", "NotificationCompat", "NotificationManagerCompat", "ComponentActivity"},
		"androidx.core.content":                               {"ContextCompat", "FileProvider", "res.ResourcesCompat"},
		"androidx.core.view":                                  {"ViewCompat", "WindowInsetsCompat", "GestureDetectorCompat"},
		"androidx.fragment.app":                               {"Fragment", "FragmentActivity", "FragmentManager", "DialogFragment", "FragmentTransaction"},
		"androidx.lifecycle":                                  {"LiveData", "MutableLiveData", "ViewModel", "ViewModelProvider", "LifecycleOwner", "Observer"},
		"androidx.recyclerview.widget":                        {"RecyclerView", "LinearLayoutManager", "GridLayoutManager", "DiffUtil", "ListAdapter"},
		"androidx.constraintlayout.widget":                    {"ConstraintLayout", "ConstraintSet", "Guideline", "Barrier"},
		"androidx.room":                                       {"RoomDatabase", "Room", "Dao", "Entity"},
		"androidx.work":                                       {"WorkManager", "Worker", "OneTimeWorkRequest", "Constraints"},
		"androidx.navigation":                                 {"NavController", "NavGraph", "NavDestination"},
		"androidx.viewpager2.widget":                          {"ViewPager2"},
		"androidx.activity":                                   {"ComponentActivity", "OnBackPressedDispatcher", "result.ActivityResultLauncher"},
		"com.google.android.material.button":                  {"MaterialButton"},
		"com.google.android.material.snackbar":                {"Snackbar"},
		"com.google.android.material.tabs":                    {"TabLayout"},
		"com.google.android.material.bottomnavigation":        {"BottomNavigationView"},
		"com.google.android.material.floatingactionbutton":    {"FloatingActionButton"},
		"com.google.android.material.textfield":               {"TextInputLayout", "TextInputEditText"},
		"com.google.gson":                                     {"Gson", "GsonBuilder", "JsonObject", "JsonParser", "TypeAdapter", "reflect.TypeToken"},
		"kotlin":                                              {"Unit", "Pair", "Lazy", "Result", "collections.CollectionsKt", "jvm.internal.Intrinsics", "text.StringsKt"},
		"kotlinx.coroutines":                                  {"CoroutineScope", "Dispatchers", "Job", "flow.Flow", "BuildersKt"},
		"okhttp3":                                             {"OkHttpClient", "Request", "Response", "Call", "Interceptor", "internal.Util"},
		"okio":                                                {"Buffer", "ByteString", "Okio"},
		"retrofit2":                                           {"Retrofit", "Call", "Response", "http.GET"},
		"com.bumptech.glide":                                  {"Glide", "RequestManager", "load.engine.DiskCacheStrategy"},
		"com.example.android.sunflower":                       {"MainActivity", "GardenActivity", "data.Plant", "data.PlantDao", "viewmodels.PlantListViewModel", "adapters.PlantAdapter", "workers.SeedDatabaseWorker", "utilities.InjectorUtils"},
		"com.example.android.architecture.blueprints.todoapp": {"TodoApplication", "tasks.TasksActivity", "tasks.TasksFragment", "data.Task", "data.source.TasksRepository", "statistics.StatisticsFragment"},
		"com.google.android.gms.common":                       {"GoogleApiAvailability", "api.GoogleApiClient"},
		"com.google.android.gms.tasks":                        {"Task", "OnCompleteListener", "Tasks"},
		"com.google.firebase":                                 {"FirebaseApp", "FirebaseOptions"},
		"com.google.firebase.messaging":                       {"FirebaseMessaging", "FirebaseMessagingService", "RemoteMessage"},
	}
	keys := make([]string, 0, len(pkgs))
	for k := range pkgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		for _, c := range pkgs[p] {
			out = append(out, p+"."+c)
			out = append(out, p+"."+c+"$Companion", p+"."+c+"$1")
		}
	}
	return out
}

func chineseIDs() map[string]bool {
	ids := map[string]bool{}
	for _, id := range strings.Fields(`jpush jiguang-core jverification getui xiaomi-push huawei-push honor-push oppo-push vivo-push
		meizu-push tencent-tpns aliyun-push taobao-accs umeng-push umeng-common umeng-analytics umeng-share sensors-analytics
		growingio talkingdata baidu-mobstat tencent-mta bugly pangle gdt kuaishou-ads baidu-mobads sigmob mintegral amap baidu-lbs
		tencent-lbs wechat-opensdk wechat-pay qq-connect weibo mobtech sharesdk alipay unionpay cmic-sso unicom-login
		telecom-login aliyun-phone-auth msa-oaid baidu-push tencent-im`) {
		ids[id] = true
	}
	return ids
}

// privacyCategory are the SDK kinds an inspector reports on.
var privacyCategory = map[string]bool{
	"push": true, "analytics": true, "crash": true, "ads": true, "maps": true, "location": true, "social": true,
	"payment": true, "login": true, "oaid": true, "security": true, "identity": true,
}

func detection(ds []Detection, id string) *Detection {
	for i := range ds {
		if ds[i].ID == id {
			return &ds[i]
		}
	}
	return nil
}

func TestDetectKnownSDKs(t *testing.T) {
	m := mustEmbedded(t).Matcher()
	in := Input{Classes: slices.Concat(plainAppClasses(), jpushClasses, umengClasses, amapClasses)}
	ds := m.Detect(in)
	if !sort.SliceIsSorted(ds, func(i, j int) bool { return ds[i].ID < ds[j].ID }) {
		t.Error("detections not sorted by ID")
	}
	for _, id := range []string{"jpush", "umeng-common", "umeng-analytics", "amap"} {
		d := detection(ds, id)
		if d == nil {
			t.Errorf("%s not detected", id)
			continue
		}
		if d.Confidence != High {
			t.Errorf("%s: confidence %s, want high", id, d.Confidence)
		}
		if d.Obfuscated || d.Used != nil {
			t.Errorf("%s: Obfuscated %v Used %v", id, d.Obfuscated, d.Used)
		}
		if d.Evidence[0].Kind != KindClass {
			t.Errorf("%s: first evidence %+v", id, d.Evidence[0])
		}
	}
	if d := detection(ds, "jpush"); d != nil {
		if d.NameZH != "极光推送" || d.Category != "push" || d.VendorZH == "" {
			t.Errorf("jpush detection fields: %+v", d)
		}
		if ev := d.Evidence[0]; ev.Value != "cn.jpush.android" || ev.Count != len(jpushClasses) {
			t.Errorf("jpush evidence %+v", ev)
		}
	}
	cn := chineseIDs()
	for _, d := range ds {
		if !cn[d.ID] && hasHan(d.NameZH) && privacyCategory[d.Category] {
			t.Errorf("unexpected Chinese SDK %s (%s) from %+v", d.ID, d.NameZH, d.Evidence)
		}
	}
}

func TestDetectPlainAppHasNoChineseSDK(t *testing.T) {
	m := mustEmbedded(t).Matcher()
	in := Input{
		Classes:      plainAppClasses(),
		Components:   []string{"com.example.android.sunflower.MainActivity", "androidx.work.impl.background.systemjob.SystemJobService", "com.google.firebase.messaging.FirebaseMessagingService", "androidx.core.content.FileProvider"},
		NativeLibs:   []string{"libsqlite3.so", "libc++_shared.so"},
		MetaDataKeys: []string{"com.google.android.gms.version", "firebase_analytics_collection_enabled"},
		Hosts:        []string{"www.googleapis.com", "example.com", "firebaseinstallations.googleapis.com"},
		Strings:      []string{"Hello", "com.example.android.sunflower", "androidx.appcompat.widget.Toolbar"},
	}
	if len(in.Classes) < 200 {
		t.Fatalf("only %d classes", len(in.Classes))
	}
	cn := chineseIDs()
	ds := m.Detect(in)
	for _, d := range ds {
		if cn[d.ID] || hasHan(d.VendorZH) || hasHan(d.NameZH) && privacyCategory[d.Category] {
			t.Errorf("false positive %s (%s): %+v", d.ID, d.NameZH, d.Evidence)
		}
	}
	for _, want := range []string{"okhttp3", "gson"} {
		if detection(ds, want) == nil {
			t.Errorf("%s not detected in the plain app (the matcher should still see ordinary libraries)", want)
		}
	}
}

func TestDetectObfuscatedAndWeakEvidence(t *testing.T) {
	m := mustEmbedded(t).Matcher()
	// renamed code: classes under a.b.c only, but the manifest and libs survive
	in := Input{
		Classes:      []string{"a.a.A", "a.a.B", "a.b.C", "com.example.app.Main"},
		Components:   []string{"cn.jpush.android.service.PushService", "com.example.app.Main", "com.example.app.wxapi.WXEntryActivity"},
		NativeLibs:   []string{"lib/arm64-v8a/libjcore410.so"},
		MetaDataKeys: []string{"UMENG_APPKEY"},
		Hosts:        []string{"https://RestAPI.amap.com:443/v3/ip?key=x", "api.example.com"},
		Strings:      []string{"com/tencent/bugly/crashreport/CrashReport", "not a package"},
	}
	ds := m.Detect(in)
	want := map[string]struct {
		conf    string
		obf     bool
		kind    string
		present bool
	}{
		"jpush":          {High, true, KindComponent, true}, // component + native lib: two independent traces
		"umeng-common":   {Medium, false, KindMetaData, false},
		"wechat-opensdk": {Low, false, KindCallback, false}, // the app's own callback activity: no WeChat code
		"amap":           {Low, false, KindHost, false},
		"bugly":          {Low, false, KindString, false},
	}
	if len(ds) != len(want) {
		t.Errorf("got %d detections, want %d: %+v", len(ds), len(want), ds)
	}
	for id, w := range want {
		d := detection(ds, id)
		if d == nil {
			t.Errorf("%s not detected", id)
			continue
		}
		if d.Confidence != w.conf || d.Obfuscated != w.obf || d.Evidence[0].Kind != w.kind || d.Present != w.present {
			t.Errorf("%s: confidence %s obfuscated %v first kind %s present %v; want %s %v %s %v", id, d.Confidence, d.Obfuscated, d.Evidence[0].Kind, d.Present, w.conf, w.obf, w.kind, w.present)
		}
	}
	if d := detection(ds, "jpush"); d != nil {
		var lib *Evidence
		for i := range d.Evidence {
			if d.Evidence[i].Kind == KindNativeLib {
				lib = &d.Evidence[i]
			}
		}
		if lib == nil || lib.Value != "libjcore*.so" || lib.Examples[0] != "libjcore410.so" {
			t.Errorf("jpush native lib evidence: %+v", lib)
		}
	}
	// the same traces in an app whose classes are not renamed (an Instant
	// Run build keeps its code elsewhere): present, not obfuscated
	in.Classes = []string{"com.example.app.Main", "com.example.app.Other"}
	if d := detection(m.Detect(in), "jpush"); d == nil || !d.Present || d.Obfuscated {
		t.Errorf("jpush without renaming evidence: %+v", d)
	}
	// no classes given at all: not called obfuscated
	ds = m.Detect(Input{Components: []string{"cn.jpush.android.service.PushService"}})
	if d := detection(ds, "jpush"); d == nil || d.Obfuscated || d.Confidence != Medium {
		t.Errorf("component-only without class input: %+v", d)
	}
	// the app's own WeChat callback class names the SDK even when its code is renamed
	ds = m.Detect(Input{Classes: []string{"com.example.shop.wxapi.WXPayEntryActivity", "a.b.c"}})
	if d := detection(ds, "wechat-pay"); d == nil || d.Present || d.Evidence[0].Kind != KindCallback || d.Evidence[0].Value != "*.wxapi.WXPayEntryActivity" {
		t.Errorf("wxapi class: %+v", ds)
	}
	if got := m.OwnerOf("com.example.shop.wxapi.WXPayEntryActivity"); got != "" {
		t.Errorf("the callback class is the app's own code, OwnerOf = %q", got)
	}
	// referenced but not defined: medium
	ds = m.Detect(Input{References: []string{"com.tencent.mm.opensdk.openapi.WXAPIFactory"}})
	if d := detection(ds, "wechat-opensdk"); d == nil || d.Confidence != Medium || d.Evidence[0].Kind != KindReference {
		t.Errorf("reference-only: %+v", d)
	}
}

func TestEvidenceCap(t *testing.T) {
	m := mustEmbedded(t).Matcher()
	var cls []string
	for i := range 100 {
		cls = append(cls, fmt.Sprintf("com.tencent.bugly.crashreport.inner.C%d", i))
	}
	ds := m.Detect(Input{Classes: cls})
	d := detection(ds, "bugly")
	if d == nil || len(d.Evidence) != 1 {
		t.Fatalf("%+v", ds)
	}
	if ev := d.Evidence[0]; ev.Count != 100 || len(ev.Examples) != MaxExamples || ev.Examples[0] != cls[0] {
		t.Errorf("evidence %d examples, count %d", len(ev.Examples), ev.Count)
	}
}

func TestOwnerOf(t *testing.T) {
	m := mustEmbedded(t).Matcher()
	tests := []struct{ class, want string }{
		{"cn.jpush.android.api.JPushInterface", "jpush"},
		{"cn.jpush.android.api.JPushInterface$1", "jpush"},
		{"cn.jpush.android", "jpush"},
		{"cn.jpush.androidx.Foo", ""}, // segment boundary
		{"cn.jpush", ""},
		{"cn.jiguang.verifysdk.api.JVerificationInterface", "jverification"}, // longest prefix wins over jiguang-core
		{"cn.jiguang.api.JCoreInterface", "jiguang-core"},
		{"com.tencent.mm.opensdk.modelpay.PayReq", "wechat-pay"},
		{"com.tencent.mm.opensdk.modelmsg.SendAuth", "wechat-opensdk"},
		{"com.tencent.mm.ui.LauncherUI", ""},
		{"com.example.app.MainActivity", ""},
		{"", ""},
		{".", ""},
		{"com..umeng", ""},
		{"com.umeng.analytics.", "umeng-analytics"},
	}
	for _, tt := range tests {
		if got := m.OwnerOf(tt.class); got != tt.want {
			t.Errorf("OwnerOf(%q) = %q, want %q", tt.class, got, tt.want)
		}
	}
	allocs := testing.AllocsPerRun(100, func() {
		_ = m.OwnerOf("com.umeng.analytics.pro.a")
		_ = m.OwnerOf("com.example.app.MainActivity$Inner")
	})
	if allocs != 0 {
		t.Errorf("OwnerOf allocates %v times per run", allocs)
	}
	if m.EntryPoints("no-such-sdk") != nil {
		t.Error("EntryPoints of an unknown id")
	}
}

// naiveOwner is the reference: the longest catalog signature that is the
// name itself or a prefix of it ending before '.' or '$'.
func naiveOwner(c *Catalog, name string) string {
	best, bestLen := "", -1
	for _, e := range c.entries {
		for _, p := range slices.Concat(e.Signatures.Packages, e.Signatures.Classes) {
			if len(p) <= bestLen {
				continue
			}
			if name == p || strings.HasPrefix(name, p) && (name[len(p)] == '.' || name[len(p)] == '$') && !strings.Contains(p, "$") {
				// a '$' before the match would have ended the walk
				if i := strings.IndexByte(name, '$'); i >= 0 && i < len(p) {
					continue
				}
				best, bestLen = e.ID, len(p)
			}
		}
	}
	return best
}

func FuzzOwnerOf(f *testing.F) {
	c := mustEmbedded(f)
	m := c.Matcher()
	for _, s := range slices.Concat(jpushClasses, umengClasses, amapClasses, []string{"", ".", "$", "com.", "cn.jpush.android$x.y", "com.qq.e.ads$1"}) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := m.OwnerOf(name), naiveOwner(c, name); got != want {
			t.Fatalf("OwnerOf(%q) = %q, reference says %q", name, got, want)
		}
	})
}

func FuzzDetect(f *testing.F) {
	m := mustEmbedded(f).Matcher()
	f.Add("cn.jpush.android.api.JPushInterface", "libjcore300.so", "JPUSH_APPKEY", "api.jiguang.cn", "com/umeng/analytics")
	f.Add("", "", "", "", "")
	f.Add("$$..", "*", "*", "..", "L;")
	f.Fuzz(func(t *testing.T, class, lib, meta, host, str string) {
		ds := m.Detect(Input{Classes: []string{class}, References: []string{class}, Components: []string{class, "*" + class},
			NativeLibs: []string{lib}, MetaDataKeys: []string{meta}, Hosts: []string{host}, Strings: []string{str}})
		for i, d := range ds {
			if i > 0 && ds[i-1].ID >= d.ID {
				t.Fatal("not sorted")
			}
			if len(d.Evidence) == 0 || d.Confidence == "" {
				t.Fatalf("empty detection %+v", d)
			}
		}
	})
}

func FuzzCheckExtension(f *testing.F) {
	base, err := Parse(strings.NewReader(`{"entries":[{"id":"base-sdk","name_en":"b","vendor":{"en":"B"},"category":"push","signatures":{"packages":["com.base.sdk"],"hosts":["base.com"]}}]}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"entries":[{"id":"x-sdk","name_en":"x","category":"ads","signatures":{"packages":["com.x.sdk"]}}]}`))
	f.Add([]byte(`{"entries":[{"id":"x","category":"ads","parent":"x","signatures":{"packages":["com.base.sdk.inner"],"hosts":["a.base.com"],"native_libs":["lib*"]}}]}`))
	f.Add([]byte(`{"entries":[{}]}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "ext.json")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, pr := range base.Check(p) {
			if pr.File != p || pr.Message == "" {
				t.Fatalf("bad problem %+v", pr)
			}
		}
	})
}

func BenchmarkDetect50k(b *testing.B) {
	m := mustEmbedded(b).Matcher()
	plain := plainAppClasses()
	sdkCls := slices.Concat(jpushClasses, umengClasses, amapClasses)
	var cls []string
	for i := 0; len(cls) < 50000; i++ {
		if i%10 == 0 {
			cls = append(cls, fmt.Sprintf("%s$%d", sdkCls[i%len(sdkCls)], i))
		} else {
			cls = append(cls, fmt.Sprintf("%s%d", plain[i%len(plain)], i))
		}
	}
	in := Input{Classes: cls, Components: []string{"cn.jpush.android.service.PushService"}, NativeLibs: []string{"libjcore.so"}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.Detect(in)
	}
	b.ReportMetric(float64(len(cls))*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mclasses/s")
}

func BenchmarkOwnerOf(b *testing.B) {
	m := mustEmbedded(b).Matcher()
	names := slices.Concat(plainAppClasses(), jpushClasses, umengClasses, amapClasses)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		_ = m.OwnerOf(names[n%len(names)])
		n++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mcalls/s")
}

// TestDetectRelocated: an SDK shipped relocated inside another's package
// (JMessage's cn.jmessage.support.qiniu.android.storage) is the SDK's code
// when enough of its classes are there; a few, or classes under the app's
// own namespace, are not; a generic tail ("google.android…") is never one.
func TestDetectRelocated(t *testing.T) {
	c, err := Parse(strings.NewReader(`{"entries":[
{"id":"qiniu","name_en":"Qiniu","vendor":{"en":"Qiniu"},"category":"cloud","signatures":{"packages":["com.qiniu.android.storage"]}},
{"id":"gms","name_en":"GMS","vendor":{"en":"Google"},"category":"analytics","signatures":{"packages":["com.google.android.gms"]}},
{"id":"jmsg","name_en":"JMessage","vendor":{"en":"Aurora"},"category":"im","signatures":{"packages":["cn.jmsg"]}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Matcher()
	classes := func(root string, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("%s.C%d", root, i))
		}
		return out
	}
	ds := m.Detect(Input{Classes: classes("cn.jmessage.support.qiniu.android.storage", 5)})
	d := detection(ds, "qiniu")
	if d == nil || !d.Present || d.Evidence[0].Kind != KindClass || d.Evidence[0].Value != "cn.jmessage.support.qiniu.android.storage" {
		t.Fatalf("relocated Qiniu: %+v", ds)
	}
	if ds := m.Detect(Input{Classes: classes("cn.jmessage.support.qiniu.android.storage", 4)}); len(ds) != 0 {
		t.Errorf("4 relocated classes gave %+v", ds)
	}
	in := Input{Classes: classes("com.example.app.qiniu.android.storage", 8), AppNamespaces: []string{"com.example.app"}}
	if ds := m.Detect(in); len(ds) != 0 {
		t.Errorf("the app's own wrapper package gave %+v", ds)
	}
	if ds := m.Detect(Input{Classes: classes("a.b.google.android.gms", 9)}); len(ds) != 0 {
		t.Errorf("a generic tail gave %+v", ds)
	}
	// relocated inside another SDK's own package: both SDKs are there
	ds = m.Detect(Input{Classes: classes("cn.jmsg.support.qiniu.android.storage", 5)})
	if detection(ds, "qiniu") == nil || detection(ds, "jmsg") == nil {
		t.Errorf("Qiniu relocated inside a known SDK's package: %+v", ds)
	}
	// the original package still matches as before
	if d := detection(m.Detect(Input{Classes: classes("com.qiniu.android.storage", 1)}), "qiniu"); d == nil || d.Evidence[0].Value != "com.qiniu.android.storage" {
		t.Errorf("original package: %+v", d)
	}
}
