package api

import (
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/pi"
)

func TestCatalog(t *testing.T) {
	if err := Err(); err != nil {
		t.Fatal(err)
	}
	all := All()
	if len(all) < 150 {
		t.Fatalf("only %d entries", len(all))
	}
	if Source() == "" {
		t.Error("no source")
	}
	ids := map[string]bool{}
	kinds := map[string]bool{KindMethod: true, KindField: true, KindContentURI: true, KindSetting: true, KindReflection: true}
	for i, a := range all {
		if i > 0 && all[i-1].ID >= a.ID {
			t.Errorf("IDs not sorted/unique at %q", a.ID)
		}
		if ids[a.ID] {
			t.Errorf("duplicate ID %q", a.ID)
		}
		ids[a.ID] = true
		if !pi.Valid(a.Category) {
			t.Errorf("%s: invalid category %q", a.ID, a.Category)
		}
		if !kinds[a.Kind] {
			t.Errorf("%s: unknown kind %q", a.ID, a.Kind)
		}
		if !strings.Contains(a.Class, ".") || strings.ContainsAny(a.Class, "/;") || strings.HasPrefix(a.Class, "L") && strings.HasSuffix(a.Class, ";") {
			t.Errorf("%s: class %q is not a dotted name", a.ID, a.Class)
		}
		if a.Method == "" || a.ZH == "" || a.EN == "" {
			t.Errorf("%s: empty method or description", a.ID)
		}
		switch a.Kind {
		case KindContentURI:
			if !strings.HasPrefix(a.Value, contentScheme) {
				t.Errorf("%s: content URI %q", a.ID, a.Value)
			}
		case KindSetting, KindReflection:
			if a.Value == "" {
				t.Errorf("%s: no value", a.ID)
			}
			if a.Kind == KindReflection && a.Value != a.Method {
				t.Errorf("%s: reflection value %q != method %q", a.ID, a.Value, a.Method)
			}
		default:
			if a.Value != "" {
				t.Errorf("%s: value on a %s entry", a.ID, a.Kind)
			}
		}
		if a.Permission != "" && !strings.Contains(a.Permission, ".permission.") {
			t.Errorf("%s: permission %q is not a full name", a.ID, a.Permission)
		}
		if a.MinAPI != 0 && a.MaxAPI != 0 && a.MinAPI > a.MaxAPI {
			t.Errorf("%s: min %d > max %d", a.ID, a.MinAPI, a.MaxAPI)
		}
	}
}

// Each kind of personal information the brief names has at least one entry.
func TestCoverage(t *testing.T) {
	have := map[pi.Category]bool{}
	for _, a := range All() {
		have[a.Category] = true
	}
	for _, c := range []pi.Category{pi.DeviceID, pi.Location, pi.InstalledApps, pi.RunningApps, pi.Clipboard, pi.Contacts,
		pi.CallLog, pi.SMS, pi.Calendar, pi.Media, pi.Camera, pi.Microphone, pi.Sensors, pi.Accounts, pi.NetworkInfo,
		pi.NearbyDevices, pi.PhoneNumber, pi.PhoneState, pi.Health, pi.Activity} {
		if !have[c] {
			t.Errorf("no API for category %s", c)
		}
	}
}

func TestMatchInvoke(t *testing.T) {
	m := Index()
	tests := []struct {
		class, method, proto string
		id                   string // "" = no match
	}{
		{"android.telephony.TelephonyManager", "getDeviceId", "", "telephony.getDeviceId"},
		{"android.telephony.TelephonyManager", "getDeviceId", "(I)Ljava/lang/String;", "telephony.getDeviceId"},
		{"android.telephony.TelephonyManager", "getImei", "", "telephony.getImei"},
		{"android.telephony.TelephonyManager", "getSubscriberId", "", "telephony.getSubscriberId"},
		{"android.telephony.TelephonyManager", "getLine1Number", "", "telephony.getLine1Number"},
		{"android.telephony.TelephonyManager", "getAllCellInfo", "", "telephony.getAllCellInfo"},
		{"android.os.Build", "getSerial", "", "build.getSerial"},
		{"android.os.Build", "SERIAL", "", "build.SERIAL"},
		{"android.net.wifi.WifiInfo", "getMacAddress", "", "wifiinfo.getMacAddress"},
		{"java.net.NetworkInterface", "getHardwareAddress", "", "net.getHardwareAddress"},
		{"android.bluetooth.BluetoothAdapter", "getAddress", "", "bluetooth.getAddress"},
		{"com.bun.miitmdid.interfaces.IdSupplier", "getOAID", "", "oaid.getOAID"},
		{"com.bun.supplier.IdSupplier", "getOAID", "", "oaid.legacy.getOAID"},
		{"com.google.android.gms.ads.identifier.AdvertisingIdClient", "getAdvertisingIdInfo", "", "adid.google.getAdvertisingIdInfo"},
		{"android.location.LocationManager", "getLastKnownLocation", "", "location.getLastKnownLocation"},
		{"com.google.android.gms.location.FusedLocationProviderClient", "getLastLocation", "", "fused.getLastLocation"},
		{"android.content.pm.PackageManager", "getInstalledPackages", "", "pm.getInstalledPackages"},
		{"android.app.ApplicationPackageManager", "queryIntentActivities", "", "apm.queryIntentActivities"},
		{"android.app.ActivityManager", "getRunningAppProcesses", "", "am.getRunningAppProcesses"},
		{"android.app.usage.UsageStatsManager", "queryUsageStats", "", "usage.queryUsageStats"},
		{"android.content.ClipboardManager", "getPrimaryClip", "", "clipboard.getPrimaryClip"},
		{"android.hardware.Camera", "open", "", "camera.open"},
		{"android.hardware.camera2.CameraManager", "openCamera", "", "camera2.openCamera"},
		{"android.media.AudioRecord", "startRecording", "", "audio.startRecording"},
		{"android.hardware.SensorManager", "registerListener", "", "sensor.registerListener"},
		{"android.accounts.AccountManager", "getAccountsByType", "", "account.getAccountsByType"},
		{"android.net.wifi.WifiManager", "getScanResults", "", "wifi.getScanResults"},
		{"android.bluetooth.le.BluetoothLeScanner", "startScan", "", "ble.startScan"},
		{"android.provider.Settings$Secure", "getString", "", "settings.secure.getString"},
		// not sensitive, or not an invoke entry
		{"android.telephony.TelephonyManager", "getPhoneCount", "", ""},
		{"android.content.ContentResolver", "query", "", ""},
		{"java.lang.String", "valueOf", "", ""},
		{"Landroid/telephony/TelephonyManager;", "getDeviceId", "", ""},
		{"", "", "", ""},
	}
	for _, tc := range tests {
		got, ok := m.MatchInvoke(tc.class, tc.method, tc.proto)
		if ok != (tc.id != "") || got.ID != tc.id {
			t.Errorf("MatchInvoke(%s, %s, %q) = %q, %v; want %q", tc.class, tc.method, tc.proto, got.ID, ok, tc.id)
		}
	}
}

func TestMatchInvokeProto(t *testing.T) {
	m := NewMatcher([]API{
		{ID: "any", Class: "a.B", Method: "get", Kind: KindMethod, Category: pi.DeviceInfo},
		{ID: "int", Class: "a.B", Method: "get", Proto: "(I)Ljava/lang/String;", Kind: KindMethod, Category: pi.DeviceID},
		{ID: "only", Class: "a.C", Method: "get", Proto: "()V", Kind: KindMethod, Category: pi.DeviceID},
	})
	for _, tc := range []struct{ class, proto, id string }{
		{"a.B", "", "any"},
		{"a.B", "(I)Ljava/lang/String;", "int"},
		{"a.B", "()V", "any"},
		{"a.C", "()V", "only"},
		{"a.C", "", ""},
		{"a.C", "(I)V", ""},
	} {
		got, ok := m.MatchInvoke(tc.class, "get", tc.proto)
		if ok != (tc.id != "") || got.ID != tc.id {
			t.Errorf("MatchInvoke(%s, get, %q) = %q %v, want %q", tc.class, tc.proto, got.ID, ok, tc.id)
		}
	}
	var zero Matcher
	if _, ok := zero.MatchInvoke("a.B", "get", ""); ok {
		t.Error("zero Matcher matched")
	}
	if zero.MatchString("android_id") != nil || zero.MatchString("content://sms") != nil {
		t.Error("zero Matcher matched a string")
	}
}

func TestMatchString(t *testing.T) {
	m := Index()
	tests := []struct {
		s   string
		ids []string
	}{
		{"content://sms/inbox", []string{"uri.sms"}},
		{"content://sms", []string{"uri.sms"}},
		{"content://mms-sms/conversations", []string{"uri.mms-sms"}},
		{"content://com.android.contacts/data/phones", []string{"uri.contacts"}},
		{"content://contacts/people", []string{"uri.contacts.legacy"}},
		{"content://call_log/calls", []string{"uri.call_log"}},
		{"content://com.android.calendar/events", []string{"uri.calendar"}},
		{"content://media/external/images/media", []string{"uri.media.images"}},
		{"content://media/external/images", []string{"uri.media.images"}},
		{"content://media/external/imagesX", []string{"uri.media"}},
		{"content://media/internal/audio", []string{"uri.media"}},
		{"content://icc/adn", []string{"uri.icc.adn"}},
		{"content://com.google.android.gsf.gservices", []string{"uri.gsf.gservices"}},
		{"content://sms?limit=1", []string{"uri.sms"}},
		{"android_id", []string{"settings.android_id"}},
		{"bluetooth_address", []string{"settings.bluetooth_address"}},
		{"ro.serialno", []string{"sysprop.ro.serialno"}},
		{"getDeviceId", []string{"reflect.getDeviceId"}},
		{"getInstalledPackages", []string{"reflect.getInstalledPackages"}},
		{"getOAID", []string{"reflect.getOAID"}},
		// ordinary strings
		{"", nil},
		{"hello world", nil},
		{"android", nil},
		{"android_id2", nil},
		{"ANDROID_ID", nil},
		{"content://", nil},
		{"content://smsx/inbox", nil},
		{"content://com.example.provider/items", nil},
		{"https://sms.example.com", nil},
		{"getDeviceIdentifier", nil},
		{"Ljava/lang/String;", nil},
	}
	for _, tc := range tests {
		got := m.MatchString(tc.s)
		var ids []string
		for _, a := range got {
			ids = append(ids, a.ID)
		}
		if !slices.Equal(ids, tc.ids) {
			t.Errorf("MatchString(%q) = %v, want %v", tc.s, ids, tc.ids)
		}
	}
}

func TestMatchStringReturnsCopy(t *testing.T) {
	m := Index()
	got := m.MatchString("android_id")
	got[0].ID = "mutated"
	if m.MatchString("android_id")[0].ID == "mutated" {
		t.Error("MatchString exposes the matcher's slices")
	}
}

func TestMissesDoNotAllocate(t *testing.T) {
	m := Index()
	n := testing.AllocsPerRun(100, func() {
		m.MatchInvoke("java.lang.String", "valueOf", "")
		m.MatchString("some ordinary string")
		m.MatchString("content://com.example/x")
		m.MatchInvoke("android.telephony.TelephonyManager", "getDeviceId", "")
	})
	if n != 0 {
		t.Errorf("%v allocations per miss", n)
	}
}

var sink bool

func BenchmarkMatchInvokeMiss(b *testing.B) {
	m := Index()
	for b.Loop() {
		_, sink = m.MatchInvoke("androidx.recyclerview.widget.RecyclerView", "setAdapter", "")
	}
}

func BenchmarkMatchInvokeHit(b *testing.B) {
	m := Index()
	for b.Loop() {
		_, sink = m.MatchInvoke("android.telephony.TelephonyManager", "getDeviceId", "")
	}
}

func BenchmarkMatchStringMiss(b *testing.B) {
	m := Index()
	strs := []string{"hello world", "getString", "com.example.app.MainActivity", "android_id2", "https://example.com/api", "content://com.example/x"}
	i := 0
	for b.Loop() {
		sink = m.MatchString(strs[i%len(strs)]) != nil
		i++
	}
}

func BenchmarkMatchStringHit(b *testing.B) {
	m := Index()
	for b.Loop() {
		sink = m.MatchString("content://sms/inbox") != nil
	}
}

func FuzzMatchString(f *testing.F) {
	for _, s := range []string{"content://sms/inbox", "content://", "android_id", "getDeviceId", "", "content://media/external/images?x"} {
		f.Add(s)
	}
	m := Index()
	f.Fuzz(func(t *testing.T, s string) {
		for _, a := range m.MatchString(s) {
			switch a.Kind {
			case KindContentURI:
				if !strings.HasPrefix(s, a.Value) {
					t.Fatalf("%q matched %q", s, a.Value)
				}
			case KindSetting, KindReflection:
				if s != a.Value {
					t.Fatalf("%q matched %q", s, a.Value)
				}
			default:
				t.Fatalf("%q matched %s entry %s", s, a.Kind, a.ID)
			}
		}
	})
}
