package perm

import (
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/pi"
)

var legacyGroups = []string{"CALENDAR", "CAMERA", "CONTACTS", "LOCATION", "MICROPHONE", "PHONE", "SENSORS", "SMS", "STORAGE"}

var groups = append(slices.Clone(legacyGroups), "CALL_LOG", "ACTIVITY_RECOGNITION", "NEARBY_DEVICES", "NOTIFICATIONS", "READ_MEDIA_VISUAL", "READ_MEDIA_AURAL")

func TestCatalogDecodes(t *testing.T) {
	if err := Err(); err != nil {
		t.Fatal(err)
	}
	if n := len(All()); n < 900 {
		t.Fatalf("catalog has %d entries, want the whole platform manifest (≥ 900)", n)
	}
	if !strings.Contains(Source(), "AndroidManifest.xml") || !strings.Contains(Source(), "commit") {
		t.Errorf("source %q does not name the manifest and revision", Source())
	}
}

func TestNamesUniqueAndSorted(t *testing.T) {
	all := All()
	for i := 1; i < len(all); i++ {
		if all[i-1].Name >= all[i].Name {
			t.Fatalf("not sorted or duplicate at %d: %q, %q", i, all[i-1].Name, all[i].Name)
		}
	}
}

func TestEntriesConsistent(t *testing.T) {
	for _, p := range All() {
		if p.Name == "" || p.Protection == "" || p.ZH == "" || p.EN == "" {
			t.Errorf("%q: empty name, protection or description: %+v", p.Name, p)
		}
		for _, c := range p.Categories {
			if !pi.Valid(c) {
				t.Errorf("%s: invalid category %q", p.Name, c)
			}
		}
		base := strings.Split(p.Protection, "|")[0]
		if p.Dangerous != (base == "dangerous") {
			t.Errorf("%s: dangerous=%v but protection %q", p.Name, p.Dangerous, p.Protection)
		}
		if p.Group != "" && !slices.Contains(groups, p.Group) {
			t.Errorf("%s: unknown group %q", p.Name, p.Group)
		}
		if p.LegacyGroup != "" && !slices.Contains(legacyGroups, p.LegacyGroup) {
			t.Errorf("%s: legacy group %q is not one of the nine", p.Name, p.LegacyGroup)
		}
		if p.Protection == ProtectionVendor && p.Vendor == "" {
			t.Errorf("%s: vendor permission without vendor name", p.Name)
		}
		if p.DeprecatedAPI != 0 && p.AddedAPI > p.DeprecatedAPI {
			t.Errorf("%s: added %d after deprecated %d", p.Name, p.AddedAPI, p.DeprecatedAPI)
		}
		if !p.Dangerous && p.Group != "" {
			t.Errorf("%s: group on a non-dangerous permission", p.Name)
		}
	}
}

// POST_NOTIFICATIONS is the one documented exception: it reads no personal
// information and has no legacy group (see the package documentation).
func TestDangerousHaveGroupsAndCategories(t *testing.T) {
	n := 0
	for _, p := range All() {
		if !p.Dangerous {
			continue
		}
		n++
		if p.Group == "" {
			t.Errorf("%s: dangerous without group", p.Name)
		}
		if p.Name == "android.permission.POST_NOTIFICATIONS" {
			if p.LegacyGroup != "" || len(p.Categories) != 0 {
				t.Errorf("POST_NOTIFICATIONS should have no legacy group or categories: %+v", p)
			}
			continue
		}
		if p.LegacyGroup == "" {
			t.Errorf("%s: dangerous without legacy group", p.Name)
		}
		if len(p.Categories) == 0 {
			t.Errorf("%s: dangerous without category", p.Name)
		}
	}
	if n < 40 {
		t.Errorf("only %d dangerous permissions", n)
	}
}

func TestWellKnown(t *testing.T) {
	tests := []struct {
		name       string
		protection string
		dangerous  bool
		special    bool
		group      string
		legacy     string
		cats       []pi.Category
	}{
		{"android.permission.READ_PHONE_STATE", "dangerous", true, false, "PHONE", "PHONE", []pi.Category{pi.PhoneState, pi.DeviceID}},
		{"android.permission.ACCESS_FINE_LOCATION", "dangerous|instant", true, false, "LOCATION", "LOCATION", []pi.Category{pi.Location}},
		{"android.permission.ACCESS_COARSE_LOCATION", "dangerous|instant", true, false, "LOCATION", "LOCATION", []pi.Category{pi.Location}},
		{"android.permission.ACCESS_BACKGROUND_LOCATION", "dangerous|instant", true, false, "LOCATION", "LOCATION", []pi.Category{pi.Location}},
		{"android.permission.QUERY_ALL_PACKAGES", "normal", false, true, "", "", []pi.Category{pi.InstalledApps}},
		{"android.permission.READ_CONTACTS", "dangerous", true, false, "CONTACTS", "CONTACTS", []pi.Category{pi.Contacts}},
		{"android.permission.READ_CALL_LOG", "dangerous", true, false, "CALL_LOG", "PHONE", []pi.Category{pi.CallLog}},
		{"android.permission.READ_SMS", "dangerous", true, false, "SMS", "SMS", []pi.Category{pi.SMS}},
		{"android.permission.CAMERA", "dangerous|instant", true, false, "CAMERA", "CAMERA", []pi.Category{pi.Camera}},
		{"android.permission.RECORD_AUDIO", "dangerous|instant", true, false, "MICROPHONE", "MICROPHONE", []pi.Category{pi.Microphone}},
		{"android.permission.READ_MEDIA_IMAGES", "dangerous", true, false, "READ_MEDIA_VISUAL", "STORAGE", []pi.Category{pi.Media}},
		{"android.permission.READ_MEDIA_AUDIO", "dangerous", true, false, "READ_MEDIA_AURAL", "STORAGE", []pi.Category{pi.Media}},
		{"android.permission.BLUETOOTH_SCAN", "dangerous", true, false, "NEARBY_DEVICES", "LOCATION", []pi.Category{pi.NearbyDevices}},
		{"android.permission.ACTIVITY_RECOGNITION", "dangerous|instant", true, false, "ACTIVITY_RECOGNITION", "SENSORS", []pi.Category{pi.Activity}},
		{"android.permission.BODY_SENSORS", "dangerous", true, false, "SENSORS", "SENSORS", []pi.Category{pi.BodySensors, pi.Health}},
		{"android.permission.GET_ACCOUNTS", "dangerous", true, false, "CONTACTS", "CONTACTS", []pi.Category{pi.Accounts}},
		{"android.permission.SYSTEM_ALERT_WINDOW", "signature|setup|appop|installer|pre23|development", false, true, "", "", nil},
		{"android.permission.MANAGE_EXTERNAL_STORAGE", "signature|appop|preinstalled", false, true, "", "", []pi.Category{pi.Storage, pi.Media}},
		{"android.permission.PACKAGE_USAGE_STATS", "signature|privileged|development|appop|retailDemo", false, true, "", "", []pi.Category{pi.RunningApps, pi.InstalledApps}},
		{"android.permission.REQUEST_INSTALL_PACKAGES", "signature|appop", false, true, "", "", nil},
		{"android.permission.WRITE_SETTINGS", "signature|preinstalled|appop|pre23|role", false, true, "", "", nil},
		{"android.permission.INTERNET", "normal|instant", false, false, "", "", nil},
		{"android.permission.READ_PRIVILEGED_PHONE_STATE", "signature|privileged|role", false, false, "", "", []pi.Category{pi.DeviceID, pi.PhoneState}},
		{"com.android.voicemail.permission.ADD_VOICEMAIL", "dangerous", true, false, "PHONE", "PHONE", []pi.Category{pi.CallLog}},
		{"com.android.launcher.permission.INSTALL_SHORTCUT", "normal", false, false, "", "", nil},
		{"com.android.alarm.permission.SET_ALARM", "normal", false, false, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := Lookup(tc.name)
			if !ok {
				t.Fatal("not in catalog")
			}
			if p.Protection != tc.protection || p.Dangerous != tc.dangerous || p.Special != tc.special ||
				p.Group != tc.group || p.LegacyGroup != tc.legacy {
				t.Errorf("got protection %q dangerous %v special %v group %q legacy %q",
					p.Protection, p.Dangerous, p.Special, p.Group, p.LegacyGroup)
			}
			want := tc.cats
			if want == nil {
				want = []pi.Category{}
			}
			if !slices.Equal(p.Categories, want) {
				t.Errorf("categories %v, want %v", p.Categories, want)
			}
		})
	}
}

func TestNotPermissions(t *testing.T) {
	// Names apps often request that the platform does not declare.
	for _, n := range []string{"android.permission.READ_CLIPBOARD", "android.permission.RECEIVE_USER_PRESENT", "android.permission.ACCESS_WIMAX_STATE"} {
		if _, ok := Lookup(n); ok {
			t.Errorf("%s: should not be in the catalog", n)
		}
		if got := Describe(n).Protection; got != ProtectionUnknown {
			t.Errorf("Describe(%s).Protection = %q, want unknown", n, got)
		}
	}
}

func TestFlagsAndNotes(t *testing.T) {
	p, _ := Lookup("android.permission.READ_EXTERNAL_STORAGE")
	if !strings.Contains(p.MaxSDKNote, "33") || !slices.Contains(p.Flags, "softRestricted") {
		t.Errorf("READ_EXTERNAL_STORAGE: note %q flags %v", p.MaxSDKNote, p.Flags)
	}
	p, _ = Lookup("android.permission.WRITE_SMS")
	if !p.Removed() {
		t.Error("WRITE_SMS should be marked removed")
	}
	p, _ = Lookup("android.permission.READ_SMS")
	if p.Removed() || !slices.Contains(p.Flags, "hardRestricted") {
		t.Errorf("READ_SMS flags %v", p.Flags)
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct{ name, protection, vendor string }{
		{"android.permission.CAMERA", "dangerous|instant", ""},
		{"com.huawei.android.launcher.permission.CHANGE_BADGE", "vendor", "Huawei"},
		{"com.meizu.flyme.push.permission.RECEIVE", "vendor", "Meizu"},
		{"com.google.android.gms.permission.AD_ID", "vendor", "Google"},
		{"com.xiaomi.permission.SOMETHING_NEW", "vendor", "Xiaomi"},
		{"com.vivo.permission.NEW", "vendor", "vivo"},
		{"com.example.app.permission.C2D_MESSAGE", "custom", ""},
		{"android.permission.NOT_A_THING", "unknown", ""},
		{"", "custom", ""},
	}
	for _, tc := range tests {
		got := Describe(tc.name)
		if got.Name != tc.name || got.Protection != tc.protection || got.Vendor != tc.vendor || got.ZH == "" || got.Categories == nil {
			t.Errorf("Describe(%q) = %+v, want protection %q vendor %q", tc.name, got, tc.protection, tc.vendor)
		}
	}
}

func TestVendorEntries(t *testing.T) {
	vendors := map[string]bool{}
	for _, p := range All() {
		if p.Protection == ProtectionVendor {
			vendors[p.Vendor] = true
			if p.Source == "" {
				t.Errorf("%s: vendor entry without source", p.Name)
			}
		}
	}
	for _, v := range []string{"Huawei", "Honor", "Xiaomi", "OPPO", "vivo", "Meizu", "Google"} {
		if !vendors[v] {
			t.Errorf("no permissions for vendor %s", v)
		}
	}
}

func TestLookupReturnsCopy(t *testing.T) {
	p, _ := Lookup("android.permission.READ_PHONE_STATE")
	p.Categories[0] = "mutated"
	q, _ := Lookup("android.permission.READ_PHONE_STATE")
	if q.Categories[0] == "mutated" {
		t.Error("Lookup exposes the catalog's slices")
	}
}

func BenchmarkLookup(b *testing.B) {
	for b.Loop() {
		Lookup("android.permission.READ_PHONE_STATE")
	}
}

func FuzzDescribe(f *testing.F) {
	for _, s := range []string{"android.permission.CAMERA", "android.permission.X", "com.huawei.x", "com.example.p", "", "android.permission."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := Describe(name)
		if got.Name != name || got.Protection == "" || got.Categories == nil {
			t.Fatalf("Describe(%q) = %+v", name, got)
		}
		if _, known := Lookup(name); !known && got.Protection != ProtectionUnknown && got.Protection != ProtectionCustom && got.Protection != ProtectionVendor {
			t.Fatalf("unknown %q got protection %q", name, got.Protection)
		}
	})
}
