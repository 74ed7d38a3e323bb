// Package perm is AppInspect's catalog of Android permissions: every
// permission declared by the platform manifest (frameworks/base
// core/res/AndroidManifest.xml), the Google Play services / AdServices
// permissions apps commonly request, and the widely requested permissions of
// Chinese and other handset vendors (push, badge and launcher permissions).
//
// Each entry records the protection level exactly as the declaring manifest
// writes it, whether it is a runtime ("dangerous") permission or a special
// app access, its permission group, and the personal-information categories
// (package pi) it gives access to, so that a manifest's <uses-permission>
// list can be compared with what a privacy policy declares.
//
// # Groups
//
// Group is the modern platform group of a dangerous permission (CALENDAR,
// CAMERA, CONTACTS, LOCATION, MICROPHONE, PHONE, SENSORS, SMS, STORAGE,
// CALL_LOG, ACTIVITY_RECOGNITION, NEARBY_DEVICES, NOTIFICATIONS,
// READ_MEDIA_VISUAL, READ_MEDIA_AURAL). LegacyGroup maps it onto the nine
// groups of Android 6–9, which MIIT-era checklists still use:
//
//   - CALL_LOG → PHONE (call-log permissions were in PHONE before API 29);
//   - READ_MEDIA_VISUAL, READ_MEDIA_AURAL → STORAGE (they split
//     READ_EXTERNAL_STORAGE in API 33);
//   - ACTIVITY_RECOGNITION → SENSORS (the closest legacy group);
//   - NEARBY_DEVICES → LOCATION: before API 31 Bluetooth and Wi-Fi scanning
//     required the location permission, which is what these replaced;
//   - NOTIFICATIONS (POST_NOTIFICATIONS) has no legacy group: it did not
//     exist as a permission before API 33 and reads no personal information,
//     so its LegacyGroup and Categories are empty. It is the only dangerous
//     permission without them.
package perm

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/appinspect/appinspect/inspect/pi"
)

// Protection values that are not platform protection levels.
const (
	// ProtectionUnknown marks an android.permission.* name the catalog does not
	// know: it may be misspelt, removed long ago, or newer than the catalog.
	ProtectionUnknown = "unknown"
	// ProtectionCustom marks a permission defined by some app or SDK.
	ProtectionCustom = "custom"
	// ProtectionVendor marks a permission declared by a handset vendor's or
	// Google's system apps rather than by the Android platform.
	ProtectionVendor = "vendor"
)

// Info describes one permission.
type Info struct {
	// Name is the full permission name, e.g. "android.permission.READ_PHONE_STATE".
	Name string `json:"name"`
	// Protection is the protectionLevel as the declaring manifest writes it
	// ("dangerous", "normal|instant", "signature|privileged", "signature|appop|preinstalled" …),
	// or one of ProtectionUnknown, ProtectionCustom, ProtectionVendor.
	Protection string `json:"protection"`
	// Dangerous reports a runtime permission (base protection level "dangerous").
	Dangerous bool `json:"dangerous"`
	// Special reports a special app access the user grants in Settings
	// (overlay, all-files access, usage access, install unknown apps, write
	// settings, exact alarms …), and QUERY_ALL_PACKAGES, which app stores restrict.
	Special bool `json:"special,omitempty"`
	// Group is the platform permission group of a dangerous permission.
	Group string `json:"group,omitempty"`
	// LegacyGroup is one of the nine Android 6–9 groups (see the package doc).
	LegacyGroup string `json:"legacy_group,omitempty"`
	// Categories lists the personal information the permission gives access to; empty when none.
	Categories []pi.Category `json:"categories"`
	// Flags are the manifest's permissionFlags (hardRestricted, softRestricted, removed, costsMoney …).
	Flags []string `json:"flags,omitempty"`
	// Vendor names the vendor for Protection "vendor" ("Huawei", "Xiaomi", "Google" …).
	Vendor string `json:"vendor,omitempty"`
	// AddedAPI is the API level that introduced the permission, when known.
	AddedAPI int `json:"added_api,omitempty"`
	// DeprecatedAPI is the API level that deprecated or removed it, when known.
	DeprecatedAPI int `json:"deprecated_api,omitempty"`
	// MaxSDKNote explains version-dependent behaviour (e.g. no effect from API 33).
	MaxSDKNote string `json:"max_sdk_note,omitempty"`
	// ZH is a short description in Chinese.
	ZH string `json:"zh"`
	// EN is a short description in English.
	EN string `json:"en"`
	// Source names where the entry comes from when that is not the platform
	// manifest named by Source().
	Source string `json:"source,omitempty"`
}

// Removed reports whether the platform keeps the permission only for
// backwards compatibility (permissionFlags "removed").
func (i Info) Removed() bool { return slices.Contains(i.Flags, "removed") }

//go:embed permissions.json
var catalogJSON []byte

type catalog struct {
	Source      string `json:"source"`
	Permissions []Info `json:"permissions"`
}

type index struct {
	source string
	all    []Info
	byName map[string]int
	err    error
}

var load = sync.OnceValue(func() *index {
	var c catalog
	if err := json.Unmarshal(catalogJSON, &c); err != nil {
		return &index{err: fmt.Errorf("perm: decode catalog: %w", err), byName: map[string]int{}}
	}
	slices.SortFunc(c.Permissions, func(a, b Info) int { return strings.Compare(a.Name, b.Name) })
	ix := &index{source: c.Source, all: c.Permissions, byName: make(map[string]int, len(c.Permissions))}
	for i, p := range c.Permissions {
		ix.byName[p.Name] = i
	}
	return ix
})

// Err reports whether the embedded catalog failed to decode. It is nil for
// every build whose tests pass; the other functions behave as if the catalog
// were empty when it is not.
func Err() error { return load().err }

// Source describes the provenance of the catalog (source file and revision).
func Source() string { return load().source }

// Lookup returns the catalog entry for name and whether there is one.
func Lookup(name string) (Info, bool) {
	ix := load()
	i, ok := ix.byName[name]
	if !ok {
		return Info{}, false
	}
	return clone(ix.all[i]), true
}

// All returns every catalog entry, sorted by name.
func All() []Info {
	ix := load()
	out := make([]Info, len(ix.all))
	for i, p := range ix.all {
		out[i] = clone(p)
	}
	return out
}

// Describe returns what is known about a permission name found in a manifest.
// A catalog entry is returned as is. Otherwise the result carries only the
// name and a Protection of ProtectionUnknown for an unknown android.permission.*
// name, ProtectionVendor (with Vendor set) for a name in a known vendor's
// namespace, and ProtectionCustom for anything else.
func Describe(name string) Info {
	if p, ok := Lookup(name); ok {
		return p
	}
	info := Info{Name: name, Categories: []pi.Category{}}
	switch {
	case strings.HasPrefix(name, "android.permission."):
		info.Protection = ProtectionUnknown
		info.ZH = "未知的 Android 平台权限（可能拼写错误、已移除或比目录新）"
		info.EN = "Unknown Android platform permission (misspelt, removed, or newer than this catalog)"
	default:
		if v := vendorOf(name); v != "" {
			info.Protection = ProtectionVendor
			info.Vendor = v
			info.ZH = "厂商（" + v + "）定义的权限"
			info.EN = "Permission defined by the vendor " + v
		} else {
			info.Protection = ProtectionCustom
			info.ZH = "应用或 SDK 自定义的权限"
			info.EN = "Permission defined by an app or SDK"
		}
	}
	return info
}

// vendorPrefixes maps namespaces of handset vendors' system apps to the vendor.
var vendorPrefixes = []struct{ prefix, vendor string }{
	{"com.huawei.", "Huawei"},
	{"com.hihonor.", "Honor"},
	{"com.xiaomi.", "Xiaomi"},
	{"com.miui.", "Xiaomi"},
	{"com.oppo.", "OPPO"},
	{"com.coloros.", "OPPO"},
	{"com.heytap.", "OPPO"},
	{"com.oplus.", "OPPO"},
	{"com.oneplus.", "OnePlus"},
	{"com.vivo.", "vivo"},
	{"com.bbk.", "vivo"},
	{"com.iqoo.", "vivo"},
	{"com.meizu.", "Meizu"},
	{"com.samsung.", "Samsung"},
	{"com.sec.", "Samsung"},
	{"com.sonyericsson.", "Sony"},
	{"com.sonymobile.", "Sony"},
	{"com.htc.", "HTC"},
	{"com.lenovo.", "Lenovo"},
	{"com.zui.", "Lenovo"},
	{"com.motorola.", "Motorola"},
	{"com.asus.", "ASUS"},
	{"com.nubia.", "nubia"},
	{"com.zte.", "ZTE"},
	{"com.smartisanos.", "Smartisan"},
	{"com.google.android.", "Google"},
	{"com.android.vending.", "Google"},
}

func vendorOf(name string) string {
	for _, v := range vendorPrefixes {
		if strings.HasPrefix(name, v.prefix) {
			return v.vendor
		}
	}
	return ""
}

func clone(p Info) Info {
	p.Categories = slices.Clone(p.Categories)
	if p.Categories == nil {
		p.Categories = []pi.Category{}
	}
	p.Flags = slices.Clone(p.Flags)
	return p
}
