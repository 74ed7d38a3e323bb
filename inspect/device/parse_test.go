package device

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // test-only: fixed zone data so DST tests do not depend on the host
)

func readTD(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseDevices(t *testing.T) {
	tests := []struct {
		file    string
		serials []string
		states  []string
	}{
		{"devices_one.txt", []string{"emulator-5554"}, []string{"device"}},
		{"devices_several.txt", []string{"R58M12ABCDE", "1H4MPA3C130035", "192.168.1.20:5555"}, []string{"device", "device", "device"}},
		{"devices_unauthorized.txt", []string{"8XV7N18A29000123"}, []string{"unauthorized"}},
		{"devices_offline.txt", []string{"R58M12ABCDE"}, []string{"offline"}},
		{"devices_mixed.txt", []string{"????????????", "R58M12ABCDE"}, []string{"no permissions", "device"}},
		{"devices_none.txt", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			devs, err := ParseDevices(readTD(t, "synthetic/"+tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var serials, states []string
			for _, d := range devs {
				serials = append(serials, d.Serial)
				states = append(states, d.State)
				if d.Ready() != (d.Fix == "") {
					t.Errorf("%s: ready=%v but fix=%q", d.Serial, d.Ready(), d.Fix)
				}
			}
			if !slices.Equal(serials, tt.serials) || !slices.Equal(states, tt.states) {
				t.Errorf("got %v %v, want %v %v", serials, states, tt.serials, tt.states)
			}
		})
	}
	devs, _ := ParseDevices(readTD(t, "synthetic/devices_one.txt"))
	if devs[0].Model != "Android SDK built for x86" || devs[0].Product != "sdk_gphone_x86" || devs[0].Transport != "1" {
		t.Errorf("emulator fields: %+v", devs[0])
	}
	for _, st := range []string{"unauthorized", "offline", "no permissions"} {
		fix := FixFor(st)
		if !strings.Contains(fix, " / ") || !strings.ContainsAny(fix, "请") || fix == FixFor("unknown") {
			t.Errorf("fix for %s is not a specific zh+en text: %q", st, fix)
		}
	}
	if !strings.Contains(FixFor("unauthorized"), "允许") || !strings.Contains(FixFor("unauthorized"), "Allow USB debugging") {
		t.Errorf("unauthorized fix does not mention the prompt: %s", FixFor("unauthorized"))
	}
	if _, err := ParseDevices([]byte("List of devices attached\ngarbage\n")); err == nil {
		t.Error("a line without state parsed")
	}
}

func TestParseGetprop(t *testing.T) {
	tests := []struct {
		file                            string
		model, brand, manu, release, tz string
		sdk                             int
	}{
		{"adb/penumbra_getprop.txt", "Ai Pin", "qti", "Humane", "12", "America/Los_Angeles", 32},
		{"adb/rk322x_getprop.txt", "TV BOX", "Android", "rockchip", "9.1", "", 25},
		{"adb/mvt_getprop.txt", "", "", "", "", "", 0},
	}
	for _, tt := range tests {
		var d Device
		p := ParseGetprop(readTD(t, tt.file))
		d.applyProps(p)
		if d.Model != tt.model || d.Brand != tt.brand || d.Manufacturer != tt.manu || d.AndroidVersion != tt.release || d.SDK != tt.sdk || d.TimeZone != tt.tz {
			t.Errorf("%s: %+v", tt.file, d)
		}
	}
	// MVT's capture has a blank line in the middle; keys after it still count.
	mvt := ParseGetprop(readTD(t, "adb/mvt_getprop.txt"))
	if len(mvt) != 13 || mvt["dalvik.vm.heapgrowthlimit"] != "192m" || mvt["dalvik.vm.dex2oat-max-image-block-size"] != "524288" {
		t.Errorf("mvt getprop: %d keys %q", len(mvt), mvt)
	}
	if dup := ParseGetprop([]byte("[k]: [1]\n[k]: [2]\n")); dup["k"] != "2" {
		t.Errorf("later duplicate must win: %q", dup)
	}
	multi := ParseGetprop([]byte("[a]: [one\ntwo]\n[b]: [x]\n"))
	if multi["a"] != "one\ntwo" || multi["b"] != "x" {
		t.Errorf("multi-line: %q", multi)
	}
}

func permByName(ps []PermState, name string) (PermState, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p, true
		}
	}
	return PermState{}, false
}

func TestParseDumpsysPackage(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	t.Run("mvt samsung android 10", func(t *testing.T) {
		p, err := ParseDumpsysPackage(readTD(t, "adb/mvt_dumpsys_packages.txt"), "com.sec.android.app.DataCreate", time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if p.VersionName != "1.0" || p.VersionCode != 1 || p.MinSDK != 29 || p.TargetSDK != 29 || !p.System || p.UserID != "10143" {
			t.Errorf("%+v", p)
		}
		rs, ok := permByName(p.Permissions, "android.permission.READ_SMS")
		if !ok || !rs.Runtime || rs.Granted || !slices.Equal(rs.Flags, []string{"USER_SENSITIVE_WHEN_GRANTED", "RESTRICTION_UPGRADE_EXEMPT"}) {
			t.Errorf("READ_SMS: %+v", rs)
		}
		in, _ := permByName(p.Permissions, "android.permission.INTERNET")
		if !in.Requested || !in.Granted || in.Runtime {
			t.Errorf("INTERNET: %+v", in)
		}
		ws, _ := permByName(p.Permissions, "android.permission.WRITE_SMS")
		if ws.Requested || !ws.Granted {
			t.Errorf("WRITE_SMS (install-only): %+v", ws)
		}
		if want := time.Date(2008, 12, 31, 16, 0, 0, 0, time.UTC); !p.FirstInstall.Equal(want) {
			t.Errorf("first install %v", p.FirstInstall)
		}
		if p.Stopped == nil || *p.Stopped {
			t.Errorf("stopped %v", p.Stopped)
		}
		if _, err := ParseDumpsysPackage(readTD(t, "adb/mvt_dumpsys_packages.txt"), "com.not.there", nil); err == nil {
			t.Error("missing package found")
		}
	})
	t.Run("penumbra android 12", func(t *testing.T) {
		b := readTD(t, "adb/penumbra_dumpsys_package_trimmed.txt")
		all := ParseDumpsysPackages(b, la)
		if len(all) != 3 {
			t.Fatalf("%d packages", len(all))
		}
		p, err := ParseDumpsysPackage(b, "humane.experience.answers", la)
		if err != nil {
			t.Fatal(err)
		}
		var runtime []string
		for _, ps := range p.Permissions {
			if ps.Runtime {
				runtime = append(runtime, strings.TrimPrefix(ps.Name, "android.permission."))
				if ps.Granted {
					t.Errorf("%s granted", ps.Name)
				}
			}
		}
		want := []string{"ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION", "ACTIVITY_RECOGNITION", "CALL_PHONE", "CAMERA", "READ_EXTERNAL_STORAGE", "RECORD_AUDIO", "WRITE_EXTERNAL_STORAGE"}
		if !slices.Equal(runtime, want) {
			t.Errorf("runtime %v", runtime)
		}
		demo, _ := ParseDumpsysPackage(b, "im.agg.imagedemo", la)
		if demo.System || demo.Stopped == nil || !*demo.Stopped || demo.TargetSDK != 35 {
			t.Errorf("imagedemo %+v", demo)
		}
		if want := time.Date(2025, 3, 7, 15, 31, 12, 0, la); !demo.FirstInstall.Equal(want) || demo.FirstInstall.UTC().Hour() != 23 {
			t.Errorf("first install %v", demo.FirstInstall)
		}
	})
	t.Run("tekartik wear os: hidden system package ignored", func(t *testing.T) {
		p, err := ParseDumpsysPackage(readTD(t, "adb/tekartik_dumpsys_package1.txt"), "com.tekartik.package1", time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if p.VersionName != "1.0.16" || p.VersionCode != 20 || p.MinSDK != 27 || p.TargetSDK != 36 || p.Installer != "com.android.vending" {
			t.Errorf("%+v", p)
		}
		rc, _ := permByName(p.Permissions, "com.google.android.wearable.permission.RECEIVE_COMPLICATION_DATA")
		if !rc.Granted || !rc.Runtime || !slices.Equal(rc.Flags, []string{"GRANTED_BY_DEFAULT"}) {
			t.Errorf("%+v", rc)
		}
		p2, err := ParseDumpsysPackage(readTD(t, "adb/tekartik_dumpsys_package2.txt"), "com.tekartik.package2", time.UTC)
		if err != nil || p2.VersionName != "1.4.73" || p2.VersionCode != 248 || p2.MinSDK != 26 {
			t.Errorf("%+v %v", p2, err)
		}
	})
	t.Run("android 6 multi-user", func(t *testing.T) {
		p, err := ParseDumpsysPackage(readTD(t, "synthetic/dumpsys_package_android6.txt"), "com.example.marshmallow", time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		cam, _ := permByName(p.Permissions, "android.permission.CAMERA")
		if !cam.Requested || cam.Granted || !cam.Runtime {
			t.Errorf("CAMERA for user 0: %+v (user 10's grant must not leak)", cam)
		}
		ps, _ := permByName(p.Permissions, "android.permission.READ_PHONE_STATE")
		if !slices.Equal(ps.Flags, []string{"USER_SET", "USER_FIXED"}) {
			t.Errorf("flags %v", ps.Flags)
		}
		if p.User != 0 || p.Stopped == nil || *p.Stopped || p.VersionCode != 302 || p.TargetSDK != 23 {
			t.Errorf("%+v", p)
		}
	})
	t.Run("android 14 per-user install time", func(t *testing.T) {
		p, err := ParseDumpsysPackage(readTD(t, "synthetic/dumpsys_package_android14_receivers.txt"), "com.example.consentdemo", time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if p.UserID != "10245" || p.FirstInstall.IsZero() || p.FirstInstall.Minute() != 58 || p.Installer != "com.xiaomi.market" {
			t.Errorf("%+v", p)
		}
		rps, _ := permByName(p.Permissions, "android.permission.READ_PHONE_STATE")
		if !rps.Requested || rps.Granted {
			t.Errorf("restricted=true suffix: %+v", rps)
		}
		got := ParseWakeupReceivers(readTD(t, "synthetic/dumpsys_package_android14_receivers.txt"), "com.example.consentdemo")
		want := []string{
			"android.intent.action.BOOT_COMPLETED -> com.example.consentdemo/com.example.push.BootReceiver",
			"android.net.conn.CONNECTIVITY_CHANGE -> com.example.consentdemo/com.example.push.NetReceiver",
		}
		if !slices.Equal(got, want) {
			t.Errorf("receivers %v", got)
		}
	})
}

func TestParseAndroidDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"+1h2m3s4ms", time.Hour + 2*time.Minute + 3*time.Second + 4*time.Millisecond, true},
		{"-22d4h22m19s762ms", -(22*24*time.Hour + 4*time.Hour + 22*time.Minute + 19*time.Second + 762*time.Millisecond), true},
		{"+33ms", 33 * time.Millisecond, true},
		{"-5m3s", -(5*time.Minute + 3*time.Second), true},
		{"+30s0ms", 30 * time.Second, true},
		{"0", 0, true},
		{"", 0, false},
		{"+", 0, false},
		{"+5x", 0, false},
		{"1h2", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseAndroidDuration(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%q: got %v %v, want %v %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func opByName(ops []AppOp, name string) AppOp {
	for _, o := range ops {
		if o.Op == name {
			return o
		}
	}
	return AppOp{}
}

func TestParseAppOpsSamsungDST(t *testing.T) {
	// MVT's Samsung dump spans the European DST switch (2022-03-27): the
	// relative ages only agree with the timestamps when those are read in
	// the real zone, not a fixed offset.
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2022, 3, 29, 23, 27, 54, 87e6, berlin)
	ops := ParseAppOps(readTD(t, "adb/mvt_dumpsys_appops.txt"), "com.facebook.katana", now, berlin)
	rc := opByName(ops, "READ_CONTACTS")
	if len(rc.Accesses) != 1 || rc.Accesses[0].State != "bg-tpd" || rc.Foreground == nil || *rc.Foreground {
		t.Fatalf("READ_CONTACTS %+v", rc)
	}
	age := 22*24*time.Hour + 4*time.Hour + 22*time.Minute + 19*time.Second + 762*time.Millisecond
	if d := now.Sub(rc.LastAccess); d != age {
		t.Errorf("timestamp and relative age disagree: %v vs %v", d, age)
	}
	wl := opByName(ops, "WAKE_LOCK")
	if len(wl.Accesses) != 3 || wl.Duration != 33*time.Millisecond || wl.LastAccess.Format("15:04:05.000") != "23:03:03.763" {
		t.Errorf("WAKE_LOCK %+v", wl)
	}
	ws := opByName(ops, "WRITE_SMS")
	if ws.Mode != "ignore" || len(ws.Accesses) != 3 || !ws.LastAccess.IsZero() || ws.LastReject.Format("2006-01-02 15:04") != "2022-03-29 18:48" {
		t.Errorf("WRITE_SMS %+v", ws)
	}
	if !ws.Accesses[0].Reject || ws.Accesses[0].Foreground == nil || !*ws.Accesses[0].Foreground {
		t.Errorf("first WRITE_SMS reject was in foreground: %+v", ws.Accesses[0])
	}
	cl := opByName(ops, "COARSE_LOCATION")
	if !cl.UIDMode || cl.Mode != "ignore" || cl.UID != "u0a103" {
		t.Errorf("uid mode %+v", cl)
	}
	var names []string
	for _, o := range ops {
		names = append(names, o.Op)
	}
	if !slices.IsSorted(names) || len(ops) != 10 {
		t.Errorf("ops %v", names)
	}
	// Another package in the same dump must not leak in.
	if len(ParseAppOps(readTD(t, "adb/mvt_dumpsys_appops.txt"), "com.not.there", now, berlin)) != 0 {
		t.Error("unknown package has ops")
	}
	fd := ParseAppOps(readTD(t, "adb/mvt_dumpsys_appops.txt"), "org.fdroid.fdroid", now, berlin)
	if p := opByName(fd, "TOAST_WINDOW"); p.Accesses[1].Proxy != "proxy[uid=0, pkg=null]" || p.Duration != 1942*time.Millisecond {
		t.Errorf("proxy/duration %+v", p)
	}
}

func TestParseAppOpsFormats(t *testing.T) {
	now := time.Date(2023, 6, 1, 10, 20, 33, 120e6, time.UTC)
	t.Run("appops get android 8+", func(t *testing.T) {
		ops := ParseAppOps(readTD(t, "synthetic/appops_get_android8.txt"), "com.x", now, time.UTC)
		cam := opByName(ops, "CAMERA")
		if cam.Mode != "allow" || !cam.LastAccess.Equal(now.Add(-5*time.Minute-3*time.Second)) || cam.Duration != 12*time.Second+40*time.Millisecond || !cam.Accesses[0].Relative || cam.Foreground != nil {
			t.Errorf("CAMERA %+v", cam)
		}
		ws := opByName(ops, "WRITE_SMS")
		if ws.Mode != "ignore" || !ws.LastReject.Equal(now.Add(-62*time.Minute)) || !ws.LastAccess.IsZero() {
			t.Errorf("WRITE_SMS %+v", ws)
		}
		ps := opByName(ops, "READ_PHONE_STATE")
		if len(ps.Accesses) != 2 {
			t.Errorf("READ_PHONE_STATE %+v", ps)
		}
		if fl := opByName(ops, "FINE_LOCATION"); !fl.Running || fl.Mode != "allow" {
			t.Errorf("FINE_LOCATION %+v", fl)
		}
		if cl := opByName(ops, "COARSE_LOCATION"); !cl.UIDMode || cl.Mode != "ignore" {
			t.Errorf("uid mode %+v", cl)
		}
		if wl := opByName(ops, "WAKE_LOCK"); wl.Mode != "allow" || len(wl.Accesses) != 0 {
			t.Errorf("WAKE_LOCK %+v", wl)
		}
	})
	t.Run("appops get android 6", func(t *testing.T) {
		ops := ParseAppOps(readTD(t, "synthetic/appops_get_android6.txt"), "com.x", now, time.UTC)
		if c := opByName(ops, "COARSE_LOCATION"); !c.LastAccess.Equal(now.Add(-62*time.Minute)) || c.Duration != 3*time.Millisecond {
			t.Errorf("%+v", c)
		}
		if c := opByName(ops, "READ_CONTACTS"); c.Mode != "ignore" || !c.LastReject.Equal(now.Add(-10*time.Minute)) {
			t.Errorf("%+v", c)
		}
	})
	t.Run("dumpsys android 11+ attribution tags", func(t *testing.T) {
		ops := ParseAppOps(readTD(t, "synthetic/dumpsys_appops_android11_tags.txt"), "com.example.consentdemo", now, time.UTC)
		cl := opByName(ops, "COARSE_LOCATION")
		if len(cl.Accesses) != 3 || cl.Accesses[1].Tag != "com.amap.api.location" || cl.Accesses[1].State != "fgsvc-s" || !*cl.Accesses[1].Foreground {
			t.Fatalf("COARSE_LOCATION %+v", cl)
		}
		if cl.LastAccess.Format("15:04:05.000") != "10:15:30.120" || !*cl.Foreground {
			t.Errorf("last %+v", cl.LastAccess)
		}
		if cl.Accesses[0].Duration != 1200*time.Millisecond || *cl.Accesses[0].Foreground {
			t.Errorf("bg access %+v", cl.Accesses[0])
		}
		if cam := opByName(ops, "CAMERA"); !cam.Running || len(cam.Accesses) != 1 {
			t.Errorf("CAMERA %+v", cam)
		}
		if ls := opByName(ops, "LEGACY_STORAGE"); !ls.UIDMode || ls.UID != "u0a245" {
			t.Errorf("uid mode %+v", ls)
		}
		if len(ops) != 5 {
			t.Errorf("%d ops (the other package leaked?)", len(ops))
		}
	})
	t.Run("dumpsys android 9", func(t *testing.T) {
		ops := ParseAppOps(readTD(t, "synthetic/dumpsys_appops_android9.txt"), "com.example.legacy", now, time.UTC)
		cl := opByName(ops, "COARSE_LOCATION")
		if len(cl.Accesses) != 3 || cl.LastAccess.Format("15:04") != "09:40" || *cl.Foreground || cl.LastReject.Format("15:04") != "08:00" {
			t.Errorf("%+v", cl)
		}
		if ps := opByName(ops, "READ_PHONE_STATE"); ps.Foreground == nil || !*ps.Foreground {
			t.Errorf("%+v", ps)
		}
	})
	t.Run("dumpsys android 8", func(t *testing.T) {
		ops := ParseAppOps(readTD(t, "synthetic/dumpsys_appops_android8.txt"), "com.example.oreo", now, time.UTC)
		if c := opByName(ops, "COARSE_LOCATION"); c.Mode != "allow" || !c.LastAccess.Equal(now.Add(-62*time.Minute)) || c.Duration != 3*time.Millisecond {
			t.Errorf("%+v", c)
		}
		if c := opByName(ops, "READ_CONTACTS"); c.Mode != "ignore" || c.LastReject.IsZero() {
			t.Errorf("%+v", c)
		}
	})
}

func TestMergeAppOps(t *testing.T) {
	now := time.Date(2023, 6, 1, 10, 20, 33, 0, time.UTC)
	get := ParseAppOps([]byte("CAMERA: allow; time=+5m ago\nSMS_FINANCIAL_TRANSACTIONS: deny; rejectTime=+1m ago\n"), "p.k", now, time.UTC)
	dump := ParseAppOps(readTD(t, "synthetic/dumpsys_appops_android11_tags.txt"), "com.example.consentdemo", now, time.UTC)
	m := mergeAppOps(get, dump)
	if len(m) != len(dump)+1 {
		t.Fatalf("%d ops", len(m))
	}
	if cam := opByName(m, "CAMERA"); len(cam.Accesses) != 1 || cam.Accesses[0].Relative {
		t.Errorf("dumpsys timestamps must win: %+v", cam)
	}
	if s := opByName(m, "SMS_FINANCIAL_TRANSACTIONS"); s.LastReject.IsZero() {
		t.Errorf("appops-get-only op lost: %+v", s)
	}
}

func TestParsePMList(t *testing.T) {
	apps := ParsePMList(readTD(t, "adb/penumbra_pm_list_packages.txt"))
	if len(apps) < 100 || apps[0].Package > apps[1].Package {
		t.Fatalf("%d apps", len(apps))
	}
	if !slices.ContainsFunc(apps, func(a App) bool { return a.Package == "humane.experience.answers" }) {
		t.Error("humane.experience.answers missing")
	}
	out := "package:/data/app/~~Qx7-A_b1cD2eF3gH4iJ5kA==/com.example.consentdemo-Zz9_Yy8-Xx7Ww6Vv5Uu4Tg==/base.apk=com.example.consentdemo versionCode:120034\n" +
		"package:/system/app/Foo/Foo.apk=com.foo versionCode:3\r\n" +
		"package:/data/app/x/base.apk=bad;name versionCode:1\n" +
		"WARNING: linker: something\n"
	got := ParsePMList([]byte(out))
	if len(got) != 2 || got[0].Package != "com.example.consentdemo" || got[0].VersionCode != 120034 ||
		got[0].Paths[0] != "/data/app/~~Qx7-A_b1cD2eF3gH4iJ5kA==/com.example.consentdemo-Zz9_Yy8-Xx7Ww6Vv5Uu4Tg==/base.apk" {
		t.Errorf("%+v", got)
	}
	paths := ParsePMPath([]byte("package:/data/app/x/split_config.xxhdpi.apk\npackage:/data/app/x/base.apk\npackage:/data/app/x/split_config.arm64_v8a.apk\n"))
	if !slices.Equal(paths, []string{"/data/app/x/base.apk", "/data/app/x/split_config.arm64_v8a.apk", "/data/app/x/split_config.xxhdpi.apk"}) {
		t.Errorf("%v", paths)
	}
}

func TestParseProcesses(t *testing.T) {
	all := ParseProcesses(readTD(t, "adb/mvt_ps.txt"), "", time.Time{})
	if len(all) != 17 || all[0].PID != 1 || all[0].Name != "init" || all[0].User != "root" {
		t.Errorf("%d %+v", len(all), all)
	}
	now := time.Date(2023, 6, 1, 10, 20, 33, 0, time.UTC)
	ps := ParseProcesses(readTD(t, "synthetic/ps_android14.txt"), "com.example.consentdemo", now)
	if len(ps) != 2 || ps[1].Name != "com.example.consentdemo:push" || !ps[0].Started.Equal(now.Add(-22*time.Minute-10*time.Second)) {
		t.Errorf("%+v", ps)
	}
	for in, want := range map[string]time.Duration{"3-02:10:05": 3*24*time.Hour + 2*time.Hour + 10*time.Minute + 5*time.Second, "01:00": time.Minute, "1:02:03": time.Hour + 2*time.Minute + 3*time.Second} {
		if d, ok := parseETime(in); !ok || d != want {
			t.Errorf("%s: %v", in, d)
		}
	}
	if _, ok := parseETime("x:y"); ok {
		t.Error("bad etime parsed")
	}
}

func TestSelfStartParsers(t *testing.T) {
	now := time.Date(2023, 6, 1, 10, 20, 33, 0, time.UTC)
	sv := ParseServices(readTD(t, "synthetic/dumpsys_activity_services.txt"), "com.example.consentdemo", now)
	if len(sv) != 1 || sv[0].Component != "com.example.consentdemo/com.example.push.PushService" || !sv[0].Created.Equal(now.Add(-21*time.Minute-5*time.Second-300*time.Millisecond)) {
		t.Errorf("%+v", sv)
	}
	jobs := ParseJobs(readTD(t, "synthetic/dumpsys_jobscheduler.txt"), "com.example.consentdemo")
	if len(jobs) != 1 || !strings.HasPrefix(jobs[0], "u0a245/1001 com.example.consentdemo/") {
		t.Errorf("%v", jobs)
	}
	if k, ok := ParseDeviceIdleWhitelist(readTD(t, "synthetic/dumpsys_deviceidle_whitelist.txt"), "com.example.consentdemo"); !ok || k != "user" {
		t.Errorf("%q %v", k, ok)
	}
	if _, ok := ParseDeviceIdleWhitelist(readTD(t, "synthetic/dumpsys_deviceidle_whitelist.txt"), "com.example"); ok {
		t.Error("prefix matched")
	}
}

func TestFilterLogcat(t *testing.T) {
	out := FilterLogcat(readTD(t, "synthetic/logcat_threadtime.txt"), "com.example.consentdemo", []int{5093, 5120}, 0)
	s := string(out)
	if strings.Count(s, "\n") != 4 || strings.Contains(s, "unrelated") || !strings.Contains(s, "Start proc 5093") {
		t.Errorf("%s", s)
	}
	if got := FilterLogcat(readTD(t, "synthetic/logcat_threadtime.txt"), "com.example.consentdemo", []int{5093, 5120}, 1); !strings.Contains(string(got), "AMapLocation") || strings.Count(string(got), "\n") != 1 {
		t.Errorf("max keeps the newest: %s", got)
	}
}

func TestUIText(t *testing.T) {
	tests := []struct {
		file     string
		want     []string // in this order
		package_ string
	}{
		{"ui/wework_window_dump.xml", []string{"消息", "智界Aigc客户群（18）", "你撤回了一条消息", "通讯录"}, "com.tencent.wework"},
		{"ui/futu_window_dump.xml", []string{"调仓历史", "2025/11/01 03:47:19", "SanDisk Corp", "参考成交价 200.040"}, "cn.futu.trader"},
	}
	for _, tt := range tests {
		txt, err := UIText(readTD(t, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		pos := -1
		for _, w := range tt.want {
			i := strings.Index(txt, w)
			if i < 0 {
				t.Errorf("%s: %q missing", tt.file, w)
				continue
			}
			if i < pos {
				t.Errorf("%s: %q out of reading order", tt.file, w)
			}
			pos = i
		}
		if strings.Contains(txt, "&gt;") {
			t.Errorf("entities not decoded")
		}
	}
	if _, err := UIText([]byte("not xml")); err == nil {
		t.Error("garbage accepted")
	}
	got, err := UIText([]byte(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0"><node text="" bounds="[0,0][100,100]"><node text="同意" bounds="[60,900][100,950]"/><node text="不同意" bounds="[0,900][50,950]"/><node text="" content-desc="关闭" bounds="[90,0][100,10]"/><node text="隐私政策概要" bounds="[0,100][100,150]"/></node></hierarchy>`))
	if err != nil || got != "关闭\n隐私政策概要\n不同意\n同意\n" {
		t.Errorf("%q %v", got, err)
	}
}

func TestValidators(t *testing.T) {
	goodSerials := []string{"emulator-5554", "R58M12ABCDE", "192.168.1.20:5555", "adb-R58M12ABCDE-abc123._adb-tls-connect._tcp", "0123456789ABCDEF"}
	badSerials := []string{"", "a;rm -rf /", "$(x)", "`id`", "-s", "a b", "x\nid", "x|y", "x&y", "x>y", "????????????", strings.Repeat("a", 200), "'x'"}
	for _, s := range goodSerials {
		if !ValidSerial(s) {
			t.Errorf("serial %q rejected", s)
		}
	}
	for _, s := range badSerials {
		if ValidSerial(s) {
			t.Errorf("serial %q accepted", s)
		}
	}
	goodPkgs := []string{"com.tencent.mm", "android", "com.example_app.v2", "cn.futu.trader", "A.b"}
	badPkgs := []string{"", "com.x --user 0", "a;rm -rf /", "$(x)", "com..x", "1com.x", ".com.x", "com.x.", "com.x\nid", "com.x;id", "com.-x", "com.x*", strings.Repeat("a", 256)}
	for _, s := range goodPkgs {
		if !ValidPackage(s) {
			t.Errorf("package %q rejected", s)
		}
	}
	for _, s := range badPkgs {
		if ValidPackage(s) {
			t.Errorf("package %q accepted", s)
		}
	}
	for _, p := range []string{"/data/app/~~Qx7-A_b1cD2eF3gH4iJ5kA==/com.x-Zz9==/base.apk", "/system/app/Foo/Foo.apk"} {
		if !validRemotePath(p) {
			t.Errorf("path %q rejected", p)
		}
	}
	for _, p := range []string{"data/app/x.apk", "/data/app/x.apk;id", "/data/app/$(id).apk", "/data/app/a b.apk", "/data/../../etc/passwd", "/data/app/.."} {
		if validRemotePath(p) {
			t.Errorf("path %q accepted", p)
		}
	}
}
