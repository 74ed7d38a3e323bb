package device

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestDevicesSeveral(t *testing.T) {
	f := newFake(t)
	f.rule("-", "devices -l", f.file("synthetic/devices_several.txt"))
	f.rule("R58M12ABCDE", "shell getprop", f.file("adb/mvt_getprop.txt"))
	f.rule("1H4MPA3C130035", "shell getprop", f.file("adb/penumbra_getprop.txt"))
	f.rule("192.168.1.20:5555", "shell getprop", f.file("adb/rk322x_getprop.txt"))
	devs, err := f.adb.Devices(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 3 {
		t.Fatalf("%+v", devs)
	}
	// MVT's getprop has no identity props: adb's model stays.
	if devs[0].Model != "SM G9730" || devs[0].SDK != 0 {
		t.Errorf("%+v", devs[0])
	}
	if d := devs[1]; d.Model != "Ai Pin" || d.Brand != "qti" || d.Manufacturer != "Humane" || d.AndroidVersion != "12" || d.SDK != 32 || d.TimeZone != "America/Los_Angeles" {
		t.Errorf("%+v", d)
	}
	if d := devs[2]; d.Model != "TV BOX" || d.AndroidVersion != "9.1" || d.SDK != 25 {
		t.Errorf("%+v", d)
	}
	_, err = f.adb.Pick(t.Context(), "")
	if !errors.Is(err, ErrSeveralDevices) || !strings.Contains(err.Error(), "1H4MPA3C130035 (qti Ai Pin)") {
		t.Errorf("pick: %v", err)
	}
	d, err := f.adb.Pick(t.Context(), "192.168.1.20:5555")
	if err != nil || d.Model != "TV BOX" {
		t.Errorf("pick by serial: %+v %v", d, err)
	}
	if _, err := f.adb.Pick(t.Context(), "ZZZ"); !errors.Is(err, ErrUnknownSerial) {
		t.Errorf("unknown serial: %v", err)
	}
}

func TestPickStates(t *testing.T) {
	tests := []struct {
		file, serial string
		want         error
		fixHas       string
	}{
		{"devices_one.txt", "", nil, ""},
		{"devices_none.txt", "", ErrNoDevice, ""},
		{"devices_unauthorized.txt", "", ErrNotReady, "Allow USB debugging"},
		{"devices_unauthorized.txt", "8XV7N18A29000123", ErrNotReady, "撤销 USB 调试授权"},
		{"devices_offline.txt", "", ErrNotReady, "adb kill-server"},
		{"devices_mixed.txt", "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.serial, func(t *testing.T) {
			f := newFake(t)
			f.rule("-", "devices -l", f.file("synthetic/"+tt.file))
			f.rule("*", "shell getprop", f.file("adb/penumbra_getprop.txt"))
			d, err := f.adb.Pick(t.Context(), tt.serial)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if tt.fixHas != "" && !strings.Contains(err.Error(), tt.fixHas) {
				t.Errorf("error lacks the fix: %v", err)
			}
			if err == nil && (!d.Ready() || d.Model != "Ai Pin") {
				t.Errorf("%+v", d)
			}
		})
	}
}

func TestDevicesGetpropGone(t *testing.T) {
	f := newFake(t)
	f.rule("-", "devices -l", f.file("synthetic/devices_one.txt"))
	f.rule("emulator-5554", "shell getprop", "gone")
	devs, err := f.adb.Devices(t.Context())
	if err != nil || len(devs) != 1 || devs[0].State != "offline" || devs[0].Fix == "" || !strings.Contains(devs[0].Note, "not found") {
		t.Errorf("%+v %v", devs, err)
	}
}

func TestInjectionRejectedBeforeExec(t *testing.T) {
	f := newFake(t)
	ctx := t.Context()
	bad := []string{"a;rm -rf /", "$(x)", "com.x --user 0", "`id`", "x\nid", "-s"}
	for _, b := range bad {
		checks := map[string]error{}
		_, err := f.adb.Apps(ctx, b, true)
		checks["Apps"] = err
		_, err = f.adb.Pick(ctx, b)
		checks["Pick"] = err
		_, _, err = f.adb.Screenshot(ctx, b)
		checks["Screenshot"] = err
		_, err = f.adb.UIDump(ctx, b)
		checks["UIDump"] = err
		_, err = f.adb.Record(ctx, b, 3)
		checks["Record"] = err
		_, err = f.adb.Pull(ctx, b, "com.ok", t.TempDir(), nil)
		checks["Pull serial"] = err
		_, err = f.adb.Evidence(ctx, b, "com.ok")
		checks["Evidence serial"] = err
		_, err = f.adb.Logcat(ctx, b, "com.ok", time.Time{}, 10)
		checks["Logcat serial"] = err
		for name, err := range checks {
			if !errors.Is(err, ErrInvalidSerial) {
				t.Errorf("%s(%q): %v", name, b, err)
			}
		}
		pk := map[string]error{}
		_, err = f.adb.Pull(ctx, "R58M12ABCDE", b, t.TempDir(), nil)
		pk["Pull"] = err
		_, err = f.adb.Evidence(ctx, "R58M12ABCDE", b)
		pk["Evidence"] = err
		_, err = f.adb.Logcat(ctx, "R58M12ABCDE", b, time.Time{}, 10)
		pk["Logcat"] = err
		_, err = f.adb.AppPIDs(ctx, "R58M12ABCDE", b)
		pk["AppPIDs"] = err
		for name, err := range pk {
			if !errors.Is(err, ErrInvalidPackage) {
				t.Errorf("%s(%q): %v", name, b, err)
			}
		}
	}
	if c := f.calls(); len(c) != 0 {
		t.Errorf("adb was executed: %q", c)
	}
}

func TestApps(t *testing.T) {
	f := newFake(t)
	f.rule("S1", "shell pm list packages -f --show-versioncode -3", "text:package:/data/app/~~hZdZ6PIqOZI7Zh29R_O_ew==/im.agg.imagedemo-Ac2rXxor74x87wjXGAUjiQ==/base.apk=im.agg.imagedemo versionCode:1\\n")
	f.rule("S1", "shell dumpsys package packages", f.file("adb/penumbra_dumpsys_package_trimmed.txt"))
	f.rule("S1", "shell getprop persist.sys.timezone", "text:America/Los_Angeles\\n")
	apps, err := f.adb.Apps(t.Context(), "S1", true)
	if err != nil {
		t.Fatal(err)
	}
	la, _ := time.LoadLocation("America/Los_Angeles")
	if len(apps) != 1 || apps[0].VersionName != "1.0" || apps[0].VersionCode != 1 || apps[0].System || apps[0].Label != "" ||
		!apps[0].FirstInstall.Equal(time.Date(2025, 3, 7, 15, 31, 12, 0, la)) || len(apps[0].Paths) != 1 {
		t.Errorf("%+v", apps)
	}
}

func TestAppsOldPlatformFallback(t *testing.T) {
	f := newFake(t)
	// Before Android 9, pm does not know --show-versioncode.
	f.rule("S1", "shell pm list packages -f --show-versioncode", "text:Error: Unknown option: --show-versioncode\\n", "exit:1")
	f.rule("S1", "shell pm list packages -f", f.file("adb/penumbra_pm_list_packages.txt"))
	f.rule("S1", "shell pm list packages -3", "text:package:im.agg.imagedemo\\n")
	f.rule("S1", "shell dumpsys package packages", "stderr:Can't find service: package\\n", "exit:1")
	apps, err := f.adb.Apps(t.Context(), "S1", false)
	if err != nil {
		t.Fatal(err)
	}
	var third []string
	for _, a := range apps {
		if !a.System {
			third = append(third, a.Package)
		}
	}
	if len(apps) < 100 || !slices.Equal(third, []string{"im.agg.imagedemo"}) {
		t.Errorf("%d apps, third-party %v", len(apps), third)
	}
}

// pullWorld scripts pm path, stat and two APKs; returns their contents.
func pullWorld(t *testing.T, f *fake, second string) (base, split []byte) {
	t.Helper()
	base = bytes.Repeat([]byte("PK\x03\x04base"), 5000)
	split = bytes.Repeat([]byte("PK\x03\x04split"), 3000)
	if err := os.WriteFile(filepath.Join(f.dir, "base.apk"), base, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "split.apk"), split, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := "/data/app/~~Qx7-A_b1cD2eF3gH4iJ5kA==/com.example.consentdemo-Zz9_Yy8==/"
	f.rule("S1", "shell pm path com.example.consentdemo", "text:package:"+dir+"split_config.arm64_v8a.apk\\npackage:"+dir+"base.apk\\n")
	f.rule("S1", "shell stat -c %s "+dir+"base.apk "+dir+"split_config.arm64_v8a.apk", "text:"+strconv.Itoa(len(base))+"\\n"+strconv.Itoa(len(split))+"\\n")
	f.rule("S1", "pull "+dir+"base.apk *", "pull:base.apk")
	f.rule("S1", "pull "+dir+"split_config.arm64_v8a.apk *", second+":split.apk")
	return base, split
}

func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Errorf("left behind: %s", e.Name())
	}
}

func TestPull(t *testing.T) {
	f := newFake(t)
	base, split := pullWorld(t, f, "pull")
	dest := filepath.Join(t.TempDir(), "case1", "apks")
	var mu sync.Mutex
	var last, total int64
	calls := 0
	files, err := f.adb.Pull(t.Context(), "S1", "com.example.consentdemo", dest, func(d, tot int64) {
		mu.Lock()
		defer mu.Unlock()
		if d < last {
			t.Errorf("progress went back: %d < %d", d, last)
		}
		last, total = d, tot
		calls++
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || filepath.Base(files[0]) != "base.apk" || filepath.Base(files[1]) != "split_config.arm64_v8a.apk" {
		t.Fatalf("%v", files)
	}
	for i, want := range [][]byte{base, split} {
		got, err := os.ReadFile(files[i])
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs (%v)", files[i], err)
		}
	}
	if want := int64(len(base) + len(split)); last != want || total != want || calls < 3 {
		t.Errorf("progress %d/%d after %d calls, want %d", last, total, calls, want)
	}
	ents, _ := os.ReadDir(dest)
	if len(ents) != 2 {
		t.Errorf("temp dir left: %v", ents)
	}
}

func TestPullUnpluggedMidway(t *testing.T) {
	f := newFake(t)
	pullWorld(t, f, "pullcut")
	dest := t.TempDir()
	files, err := f.adb.Pull(t.Context(), "S1", "com.example.consentdemo", dest, nil)
	if !errors.Is(err, ErrDeviceGone) || files != nil {
		t.Fatalf("%v %v", files, err)
	}
	if !strings.Contains(err.Error(), "S1") {
		t.Errorf("error does not name the device: %v", err)
	}
	assertEmptyDir(t, dest)
}

func TestPullSizeMismatch(t *testing.T) {
	f := newFake(t)
	dir := "/data/app/x/"
	if err := os.WriteFile(filepath.Join(f.dir, "base.apk"), []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.rule("S1", "shell pm path com.x", "text:package:"+dir+"base.apk\\n")
	f.rule("S1", "shell stat -c %s "+dir+"base.apk", "text:999\\n")
	f.rule("S1", "pull *", "pull:base.apk")
	dest := t.TempDir()
	if _, err := f.adb.Pull(t.Context(), "S1", "com.x", dest, nil); !errors.Is(err, ErrBadOutput) {
		t.Fatalf("%v", err)
	}
	assertEmptyDir(t, dest)
}

func TestPullCancel(t *testing.T) {
	f := newFake(t)
	pullWorld(t, f, "pull")
	// make the base pull slow
	f.rules = slices.DeleteFunc(f.rules, func(r string) bool { return strings.Contains(r, "pull:base.apk") })
	f.rule("S1", "pull *base.apk *", "pullslow:base.apk")
	f.rule("S1", "pull *", "pullslow:base.apk")
	dest := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	start := time.Now()
	_, err := f.adb.Pull(ctx, "S1", "com.example.consentdemo", dest, func(done, total int64) {
		if done > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("%v", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("cancel took %v", time.Since(start))
	}
	assertEmptyDir(t, dest)
}

func TestPullNotInstalled(t *testing.T) {
	f := newFake(t)
	f.rule("S1", "shell pm path com.x", "exit:1")
	if _, err := f.adb.Pull(t.Context(), "S1", "com.x", t.TempDir(), nil); !errors.Is(err, ErrNotInstalled) && !strings.Contains(err.Error(), "exit status 1") {
		t.Fatalf("%v", err)
	}
	f.rule("S2", "shell pm path com.x", "text:")
	if _, err := f.adb.Pull(t.Context(), "S2", "com.x", t.TempDir(), nil); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("%v", err)
	}
}

func TestTimeout(t *testing.T) {
	f := newFake(t)
	f.rule("-", "devices -l", "sleep:5000")
	f.adb.Timeout = 300 * time.Millisecond
	start := time.Now()
	_, err := f.adb.Devices(t.Context())
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("%v", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("timeout took %v", el)
	}
}

// consentWorld scripts a full Android 14 device with the synthetic consent
// demo app.
func consentWorld(t *testing.T, f *fake) time.Time {
	now := time.Date(2023, 6, 1, 10, 20, 33, 0, time.UTC)
	f.device("S1", "adb/penumbra_getprop.txt")
	// penumbra's zone is America/Los_Angeles; the synthetic timestamps are
	// read there, so give the clock in that zone's offset.
	la, _ := time.LoadLocation("America/Los_Angeles")
	local := time.Date(2023, 6, 1, 10, 20, 33, 0, la)
	f.rule("S1", "shell date +%s%z", "text:"+strconv.FormatInt(local.Unix(), 10)+"-0700\\n")
	f.rule("S1", "shell dumpsys package com.example.consentdemo", f.file("synthetic/dumpsys_package_android14_receivers.txt"))
	f.rule("S1", "shell appops get com.example.consentdemo", f.file("synthetic/appops_get_android8.txt"))
	f.rule("S1", "shell dumpsys appops --package com.example.consentdemo", f.file("synthetic/dumpsys_appops_android11_tags.txt"))
	f.rule("S1", "shell ps -A -o PID,USER,ETIME,NAME", f.file("synthetic/ps_android14.txt"))
	f.rule("S1", "shell dumpsys activity services com.example.consentdemo", f.file("synthetic/dumpsys_activity_services.txt"))
	f.rule("S1", "shell dumpsys jobscheduler com.example.consentdemo", f.file("synthetic/dumpsys_jobscheduler.txt"))
	f.rule("S1", "shell dumpsys deviceidle whitelist", f.file("synthetic/dumpsys_deviceidle_whitelist.txt"))
	f.rule("S1", "shell dumpsys usagestats com.example.consentdemo", f.file("synthetic/dumpsys_usagestats.txt"))
	_ = now
	return local
}

func TestEvidenceConsentDemo(t *testing.T) {
	f := newFake(t)
	local := consentWorld(t, f)
	f.adb.Now = func() time.Time { return time.Date(2023, 6, 1, 17, 20, 40, 0, time.UTC) }
	ev, err := f.adb.Evidence(t.Context(), "", "com.example.consentdemo")
	if err != nil {
		t.Fatal(err)
	}
	if !ev.DeviceTime.Equal(local) || ev.TimeZone != "America/Los_Angeles" || ev.Device.Model != "Ai Pin" || ev.Collected.Hour() != 17 {
		t.Errorf("device/time: %+v %v %s", ev.Device, ev.DeviceTime, ev.TimeZone)
	}
	if cl := opByName(ev.AppOps, "COARSE_LOCATION"); len(cl.Accesses) != 3 || cl.LastAccess.Format("15:04:05") != "10:15:30" || cl.LastAccess.Location().String() != "America/Los_Angeles" {
		t.Errorf("COARSE_LOCATION %+v", cl)
	}
	// WRITE_SMS only comes from `appops get`.
	if ws := opByName(ev.AppOps, "WRITE_SMS"); ws.Mode != "ignore" || ws.LastReject.IsZero() {
		t.Errorf("WRITE_SMS %+v", ws)
	}
	if len(ev.Processes) != 2 || ev.Processes[0].PID != 5093 {
		t.Errorf("processes %+v", ev.Processes)
	}
	kinds := map[string]int{}
	for _, s := range ev.SelfStart {
		kinds[s.Kind]++
		if _, ok := MatchCommand(s.Source); !ok {
			t.Errorf("self-start source %q is not a documented command", s.Source)
		}
	}
	want := map[string]int{SelfStartBootReceiver: 2, SelfStartRunningProcess: 2, SelfStartRunningService: 1, SelfStartScheduledJob: 1, SelfStartBatteryExempt: 1, SelfStartBackgroundOp: 1, SelfStartForegroundService: 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("self-start %s: %d, want %d (%v)", k, kinds[k], n, kinds)
		}
	}
	if !slices.IsSortedFunc(ev.Timeline, func(a, b Event) int { return a.Time.Compare(b.Time) }) {
		t.Error("timeline not sorted")
	}
	if !slices.ContainsFunc(ev.Timeline, func(e Event) bool { return e.Kind == KindInstall && e.Time.Format("15:04:05") == "09:58:01" }) ||
		!slices.ContainsFunc(ev.Timeline, func(e Event) bool { return e.Kind == KindServiceStart }) ||
		!slices.ContainsFunc(ev.Timeline, func(e Event) bool { return e.Kind == KindProcessStart }) {
		t.Errorf("timeline lacks install/service/process events: %+v", ev.Timeline)
	}
	if len(ev.Usage) != 3 || ev.Usage[1].Type != "FOREGROUND_SERVICE_START" {
		t.Errorf("usage %+v", ev.Usage)
	}
	if len(ev.Commands) != 11 || len(ev.Raw) != 11 || ev.Commands[0] != "adb devices -l" {
		t.Errorf("%d commands, %d raw: %q", len(ev.Commands), len(ev.Raw), ev.Commands)
	}
	for _, c := range ev.Commands {
		if _, ok := MatchCommand(c); !ok {
			t.Errorf("undocumented command %q", c)
		}
		if ev.Raw[c] == nil {
			t.Errorf("no raw output for %q", c)
		}
	}
	if ev.Commands[4] != "adb -s S1 shell appops get com.example.consentdemo" {
		t.Errorf("command line %q", ev.Commands[4])
	}

	// The inspector marked consent at 10:05 device time.
	la := ev.DeviceTime.Location()
	consent := time.Date(2023, 6, 1, 10, 5, 0, 0, la)
	before := BeforeConsent(ev, consent)
	var got []string
	for _, e := range before {
		got = append(got, e.Kind+" "+e.Op+" "+e.Time.Format("01-02 15:04:05"))
		if !e.Time.Before(consent) {
			t.Errorf("after consent: %+v", e)
		}
	}
	// READ_PHONE_STATE and WRITE_SMS are only known from `appops get`
	// (relative ages); the rest carry dumpsys timestamps.
	wantBefore := []string{
		"op_reject READ_PHONE_STATE 05-30 10:20:33",
		"op_access READ_PHONE_STATE 06-01 09:18:30",
		"op_reject WRITE_SMS 06-01 09:18:33",
		"op_reject READ_DEVICE_IDENTIFIERS 06-01 09:59:59",
		"op_reject READ_CONTACTS 06-01 10:01:00",
		"op_access COARSE_LOCATION 06-01 10:02:11",
	}
	if !slices.Equal(got, wantBefore) {
		t.Errorf("before consent:\n%q\nwant\n%q", got, wantBefore)
	}
	if BeforeConsent(ev, time.Time{}) != nil || BeforeConsent(nil, consent) != nil {
		t.Error("nil cases")
	}
}

func TestEvidenceUnpluggedMidway(t *testing.T) {
	for _, after := range []int{1, 3, 5, 8} {
		t.Run(strconv.Itoa(after), func(t *testing.T) {
			f := newFake(t)
			consentWorld(t, f)
			f.adb.Env = append(f.adb.Env, "FAKEADB_GONE_AFTER="+strconv.Itoa(after))
			ev, err := f.adb.Evidence(t.Context(), "S1", "com.example.consentdemo")
			if ev != nil || !errors.Is(err, ErrDeviceGone) {
				t.Fatalf("%v %v", ev, err)
			}
			if !strings.Contains(err.Error(), "S1") || !strings.Contains(err.Error(), "device 'S1' not found") {
				t.Errorf("error does not name the serial: %v", err)
			}
			t.Log(err)
		})
	}
}

func TestEvidenceMVTSamsung(t *testing.T) {
	f := newFake(t)
	f.device("R58M12ABCDE", "adb/mvt_getprop.txt")
	f.rule("R58M12ABCDE", "shell date +%s%z", "text:1648589274+0200\\n")
	pkg := "com.samsung.android.provider.filterprovider"
	f.rule("R58M12ABCDE", "shell dumpsys package "+pkg, f.file("adb/mvt_dumpsys_packages.txt"))
	f.rule("R58M12ABCDE", "shell appops get "+pkg, "text:")
	// An old platform ignores --package and prints nothing relevant; the
	// full dump is used instead.
	f.rule("R58M12ABCDE", "shell dumpsys appops --package "+pkg, "text:Unknown option: --package\\n")
	f.rule("R58M12ABCDE", "shell dumpsys appops", f.file("adb/mvt_dumpsys_appops.txt"))
	f.rule("R58M12ABCDE", "shell ps -A -o PID,USER,ETIME,NAME", "text:bad -o\\n", "exit:1")
	f.rule("R58M12ABCDE", "shell ps -A", f.file("adb/mvt_ps.txt"))
	f.rule("R58M12ABCDE", "shell dumpsys *", "stderr:Can't find service\\n", "exit:1")
	ev, err := f.adb.Evidence(t.Context(), "R58M12ABCDE", pkg)
	if err != nil {
		t.Fatal(err)
	}
	if ev.TimeZone != "UTC+0200" || ev.DeviceTime.Unix() != 1648589274 {
		t.Errorf("zone %s %v", ev.TimeZone, ev.DeviceTime)
	}
	if len(ev.AppOps) != 3 || opByName(ev.AppOps, "READ_EXTERNAL_STORAGE").Mode != "allow" || !opByName(ev.AppOps, "LEGACY_STORAGE").UIDMode {
		t.Errorf("ops %+v", ev.AppOps)
	}
	if ev.Info == nil || !ev.Info.System || ev.Info.VersionName != "5.0.07" {
		t.Errorf("info %+v", ev.Info)
	}
	if len(ev.Notes) != 4 {
		t.Errorf("notes %q", ev.Notes)
	}
	if !slices.Contains(ev.Commands, "adb -s R58M12ABCDE shell dumpsys appops") {
		t.Errorf("fallback not run: %q", ev.Commands)
	}
}

func TestEvidencePenumbraNotInstalled(t *testing.T) {
	f := newFake(t)
	f.device("S1", "adb/penumbra_getprop.txt")
	f.rule("S1", "shell date +%s%z", "text:1741390000-0800\\n")
	f.rule("S1", "shell dumpsys package *", f.file("adb/penumbra_dumpsys_package_trimmed.txt"))
	if _, err := f.adb.Evidence(t.Context(), "S1", "com.tencent.mm"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("%v", err)
	}
}

func TestBeforeConsentFacebook(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2022, 3, 29, 23, 27, 54, 87e6, berlin)
	ev := &Evidence{Package: "com.facebook.katana", DeviceTime: now,
		AppOps: ParseAppOps(readTD(t, "adb/mvt_dumpsys_appops.txt"), "com.facebook.katana", now, berlin)}
	consent := time.Date(2022, 3, 29, 18, 50, 0, 0, berlin)
	var got []string
	for _, e := range BeforeConsent(ev, consent) {
		if e.Time.After(time.Date(2022, 3, 20, 0, 0, 0, 0, berlin)) {
			got = append(got, e.Kind+" "+e.Op+" "+e.Detail)
		}
	}
	want := []string{"op_access READ_PHONE_STATE bg-s", "op_reject READ_DEVICE_IDENTIFIERS bg-s", "op_reject WRITE_SMS cch-s"}
	if !slices.Equal(got, want) {
		t.Errorf("%q", got)
	}
	// 13 recorded entries; WAKE_LOCK bg, READ_PHONE_STATE cch and
	// READ_DEVICE_IDENTIFIERS cch come after the consent moment.
	if n := len(BeforeConsent(ev, consent)); n != 10 {
		t.Errorf("%d events before consent", n)
	}
}

func testPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestScreenshot(t *testing.T) {
	f := newFake(t)
	p := testPNG(t)
	if err := os.WriteFile(filepath.Join(f.dir, "shot.png"), p, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.dir, "cut.png"), p[:len(p)-20], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"S1", "S2", "S3"} {
		f.rule(s, "shell date +%s%z", "text:1685640033+0800\\n")
	}
	f.rule("S1", "exec-out screencap -p", "file:shot.png")
	f.rule("S2", "exec-out screencap -p", "file:cut.png")
	f.rule("S3", "exec-out screencap -p", "text:/system/bin/sh: screencap: inaccessible or not found\\n")
	got, at, err := f.adb.Screenshot(t.Context(), "S1")
	if err != nil || !bytes.Equal(got, p) || at.Unix() != 1685640033 {
		t.Errorf("%v %v", at, err)
	}
	for _, s := range []string{"S2", "S3"} {
		if _, _, err := f.adb.Screenshot(t.Context(), s); !errors.Is(err, ErrBadOutput) {
			t.Errorf("%s: %v", s, err)
		}
	}
	// A device whose clock cannot be read still gives its screenshot, with a zero time.
	f.rule("S4", "shell date +%s%z", "text:date: unknown option\n")
	f.rule("S4", "exec-out screencap -p", "file:shot.png")
	if got, at, err := f.adb.Screenshot(t.Context(), "S4"); err != nil || !bytes.Equal(got, p) || !at.IsZero() {
		t.Errorf("unreadable clock: %v %v", at, err)
	}
	if err := ValidatePNG(append(slices.Clone(p), "trailing"...)); !errors.Is(err, ErrBadOutput) {
		t.Errorf("trailing data: %v", err)
	}
}

func TestUIDump(t *testing.T) {
	f := newFake(t)
	f.rule("S1", "shell uiautomator dump /data/local/tmp/appinspect_window_dump.xml", "text:UI hierchary dumped to: /data/local/tmp/appinspect_window_dump.xml\\n")
	f.rule("S1", "exec-out cat /data/local/tmp/appinspect_window_dump.xml", f.file("ui/wework_window_dump.xml"))
	f.rule("S1", "shell rm -f /data/local/tmp/appinspect_window_dump.xml", "text:")
	f.rule("S2", "shell uiautomator dump *", "text:ERROR: null root node returned by UiTestAutomationBridge.\\n")
	x, err := f.adb.UIDump(t.Context(), "S1")
	if err != nil {
		t.Fatal(err)
	}
	txt, err := UIText(x)
	if err != nil || !strings.Contains(txt, "创建/加入企业") {
		t.Errorf("%v", err)
	}
	if _, err := f.adb.UIDump(t.Context(), "S2"); !errors.Is(err, ErrBadOutput) || !strings.Contains(err.Error(), "null root node") {
		t.Errorf("%v", err)
	}
}

func TestRecord(t *testing.T) {
	f := newFake(t)
	mp4 := append([]byte{0, 0, 0, 0x18}, "ftypmp42\x00\x00\x00\x00isommp42"...)
	if err := os.WriteFile(filepath.Join(f.dir, "rec.mp4"), mp4, 0o644); err != nil {
		t.Fatal(err)
	}
	f.rule("S1", "shell screenrecord --time-limit 3 /data/local/tmp/appinspect_screenrecord.mp4", "text:")
	f.rule("S1", "exec-out cat /data/local/tmp/appinspect_screenrecord.mp4", "file:rec.mp4")
	f.rule("S1", "shell rm -f /data/local/tmp/appinspect_screenrecord.mp4", "text:")
	got, err := f.adb.Record(t.Context(), "S1", 3)
	if err != nil || !bytes.Equal(got, mp4) {
		t.Errorf("%v", err)
	}
	if _, err := f.adb.Record(t.Context(), "S1", 0); err == nil {
		t.Error("0 seconds accepted")
	}
}

func TestLogcat(t *testing.T) {
	f := newFake(t)
	f.rule("S1", "shell ps -A", f.file("synthetic/ps_android14.txt"))
	f.rule("S1", "shell logcat -d -v threadtime -T 1685640000.250", f.file("synthetic/logcat_threadtime.txt"))
	out, err := f.adb.Logcat(t.Context(), "S1", "com.example.consentdemo", time.Unix(1685640000, 250e6), 0)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(out); strings.Count(s, "\n") != 4 || strings.Contains(s, "unrelated") {
		t.Errorf("%s", s)
	}
	// Android 6–7: ps -A lists nothing, plain ps lists all; app not running → pidof.
	f.rule("S2", "shell ps -A", "text:USER PID PPID VSZ RSS WCHAN PC NAME\\n")
	f.rule("S2", "shell ps", f.file("adb/mvt_ps.txt"))
	f.rule("S2", "shell pidof com.example.consentdemo", "exit:1")
	f.rule("S2", "shell logcat -d -v threadtime", f.file("synthetic/logcat_threadtime.txt"))
	out, err = f.adb.Logcat(t.Context(), "S2", "com.example.consentdemo", time.Time{}, 0)
	if err != nil || strings.Count(string(out), "\n") != 1 {
		t.Errorf("%q %v", out, err)
	}
}

func TestFindADB(t *testing.T) {
	dir := t.TempDir()
	mk := func(p string) string {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flag := mk(filepath.Join(dir, "flag", "adb"))
	env := mk(filepath.Join(dir, "env", "adb"))
	set := mk(filepath.Join(dir, "settings", "adb"))
	home := filepath.Join(dir, "sdk")
	sdk := mk(filepath.Join(home, "platform-tools", "adb"))
	pathDir := filepath.Join(dir, "path")
	onPath := mk(filepath.Join(pathDir, "adb"))
	t.Setenv("APPINSPECT_ADB", env)
	t.Setenv("ANDROID_HOME", home)
	t.Setenv("ANDROID_SDK_ROOT", "")
	t.Setenv("PATH", pathDir)
	steps := []struct {
		flag, settings, want string
	}{
		{flag, set, flag},
		{"", set, env},
	}
	for _, s := range steps {
		if got, err := FindADB(s.flag, s.settings); err != nil || got != s.want {
			t.Errorf("got %s %v, want %s", got, err, s.want)
		}
	}
	t.Setenv("APPINSPECT_ADB", "")
	if got, _ := FindADB("", set); got != set {
		t.Errorf("settings: %s", got)
	}
	if got, _ := FindADB("", ""); got != sdk {
		t.Errorf("ANDROID_HOME: %s", got)
	}
	t.Setenv("ANDROID_HOME", "")
	if got, _ := FindADB("", ""); got != onPath {
		t.Errorf("PATH: %s", got)
	}
	// A flag pointing at nothing falls through but is reported.
	t.Setenv("PATH", t.TempDir())
	_, err := FindADB(filepath.Join(dir, "missing", "adb"), "")
	if !errors.Is(err, ErrADBNotFound) || !strings.Contains(err.Error(), "--adb (") || !strings.Contains(err.Error(), "APPINSPECT_ADB (not set)") || !strings.Contains(err.Error(), "PATH") {
		t.Errorf("%v", err)
	}
	if _, err := New(filepath.Join(dir, "missing", "adb")).Devices(t.Context()); !errors.Is(err, ErrADBNotFound) {
		t.Errorf("exec of a missing adb: %v", err)
	}
}

func TestDeviceZoneFallback(t *testing.T) {
	f := newFake(t)
	f.rule("S1", "shell getprop persist.sys.timezone", "text:Mars/Olympus_Mons\\n")
	f.rule("S1", "shell date +%s%z", "text:1685640033+0800\\n")
	f.rule("S2", "shell getprop persist.sys.timezone", "text:\\n")
	f.rule("S2", "shell date +%s%z", "text:%s%z\\n")
	f.rule("S3", "shell getprop persist.sys.timezone", "gone")
	loc, err := f.adb.deviceZone(t.Context(), "S1")
	if err != nil || loc.String() != "UTC+0800" {
		t.Errorf("%v %v", loc, err)
	}
	if loc, err := f.adb.deviceZone(t.Context(), "S2"); err != nil || loc != time.UTC {
		t.Errorf("%v %v", loc, err)
	}
	if _, err := f.adb.deviceZone(t.Context(), "S3"); !errors.Is(err, ErrDeviceGone) {
		t.Errorf("%v", err)
	}
	if _, _, ok := parseDeviceDate([]byte("1685640033-0230"), ""); !ok {
		t.Error("negative offset")
	}
	for _, bad := range []string{"", "+0800", "abc+0800", "1685640033+08", "1685640033+08x0"} {
		if _, _, ok := parseDeviceDate([]byte(bad), ""); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
