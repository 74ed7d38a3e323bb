package apk

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Manifest is what AndroidManifest.xml declares, with references resolved
// through resources.arsc and platform defaults applied (aapt semantics).
// Slices are never nil, so JSON output has [] rather than null.
type Manifest struct {
	Package     string `json:"package"`
	VersionCode int64  `json:"version_code"` // versionCodeMajor<<32 | versionCode
	VersionName string `json:"version_name"`
	MinSDK      int    `json:"min_sdk"`     // 1 when absent
	TargetSDK   int    `json:"target_sdk"`  // min_sdk when absent
	MaxSDK      int    `json:"max_sdk"`     // 0 when absent
	CompileSDK  int    `json:"compile_sdk"` // compileSdkVersion, else platformBuildVersionCode; 0 when absent
	// Label is the application label as aapt's dump badging prints it
	// (resolved for en-US, falling back to the default configuration).
	Label string `json:"label"`
	// Labels maps every locale that has the label string to its value
	// ("" = the default configuration, "zh-CN", "zh-TW" …).
	Labels map[string]string `json:"labels"`
	// Icon is the file path of the best application icon: a raster image at
	// the highest density, else an adaptive-icon XML.
	Icon string `json:"icon"`
	// MainActivity is the first activity (or alias) with a MAIN/LAUNCHER
	// intent filter.
	MainActivity string `json:"main_activity"`

	Permissions        []Permission        `json:"permissions"`
	ImpliedPermissions []ImpliedPermission `json:"implied_permissions"`
	CustomPermissions  []CustomPermission  `json:"custom_permissions"`
	Application        Application         `json:"application"`
	Components         []Component         `json:"components"`
	MetaData           []MetaData          `json:"meta_data"`
	Queries            Queries             `json:"queries"`
	Features           []string            `json:"uses_features"`
	// Warnings lists problems that did not stop parsing, such as a corrupt
	// resources.arsc (references then stay unresolved as "@0x7f…").
	Warnings []string `json:"warnings"`
	// Tricks lists the anti-analysis constructions found in the binary
	// manifest (see ManifestTrick); never nil.
	Tricks []ManifestTrick `json:"manifest_tricks"`
}

// Permission is a uses-permission or uses-permission-sdk-23 element.
type Permission struct {
	Name   string `json:"name"`
	MaxSDK int    `json:"max_sdk"` // 0 when absent
	SDK23  bool   `json:"sdk23"`   // declared with uses-permission-sdk-23
}

// ImpliedPermission is a permission the platform grants the app's request
// for implicitly (aapt's uses-implied-permission), e.g. READ_EXTERNAL_STORAGE
// with WRITE_EXTERNAL_STORAGE.
type ImpliedPermission struct {
	Name   string `json:"name"`
	MaxSDK int    `json:"max_sdk"`
	Reason string `json:"reason"`
}

// CustomPermission is a <permission> the app declares.
type CustomPermission struct {
	Name            string `json:"name"`
	ProtectionLevel string `json:"protection_level"` // "signature|privileged"
	Group           string `json:"group"`
}

// Application holds the <application> attributes relevant to compliance.
type Application struct {
	ClassName  string `json:"class_name"`
	Debuggable bool   `json:"debuggable"`
	// AllowBackup is the declared value (nil when absent);
	// AllowBackupEffective applies the platform default (true).
	AllowBackup          *bool `json:"allow_backup"`
	AllowBackupEffective bool  `json:"allow_backup_effective"`
	// UsesCleartextTraffic is the declared value (nil when absent);
	// UsesCleartextTrafficEffective applies the platform default (false from
	// targetSdk 28, true before). A network security config, when present,
	// overrides both on API 24+.
	UsesCleartextTraffic          *bool  `json:"uses_cleartext_traffic"`
	UsesCleartextTrafficEffective bool   `json:"uses_cleartext_traffic_effective"`
	NetworkSecurityConfig         string `json:"network_security_config"`
	RequestLegacyExternalStorage  *bool  `json:"request_legacy_external_storage"`
	ExtractNativeLibs             *bool  `json:"extract_native_libs"`
	TestOnly                      bool   `json:"test_only"`
	Process                       string `json:"process"`
	Permission                    string `json:"permission"`
}

// Component is an activity, activity-alias, service, receiver or provider.
type Component struct {
	Kind             string         `json:"kind"` // "activity", "activity-alias", "service", "receiver", "provider"
	Name             string         `json:"name"` // fully qualified
	TargetActivity   string         `json:"target_activity,omitempty"`
	Exported         bool           `json:"exported"`          // effective
	ExportedExplicit *bool          `json:"exported_explicit"` // as declared
	Permission       string         `json:"permission"`
	ReadPermission   string         `json:"read_permission"`
	WritePermission  string         `json:"write_permission"`
	Authorities      []string       `json:"authorities"`
	Process          string         `json:"process"`
	Enabled          bool           `json:"enabled"`
	IntentFilters    []IntentFilter `json:"intent_filters"`
}

// IntentFilter is an intent-filter (or a queries/intent).
type IntentFilter struct {
	Actions    []string `json:"actions"`
	Categories []string `json:"categories"`
	// Data lists the URIs the filter accepts as scheme://host:port/path
	// (each scheme combined with each authority and path, as the platform
	// merges <data> elements).
	Data      []string `json:"data"`
	MimeTypes []string `json:"mime_types"`
}

// MetaData is a <meta-data> element of the application or a component.
type MetaData struct {
	Name     string `json:"name"`
	Value    string `json:"value"`    // android:value, resolved
	Resource string `json:"resource"` // android:resource, resolved to a value or file path when possible
	Owner    string `json:"owner"`    // "application" or the component's name
}

// Queries is the Android 11 package-visibility declaration.
type Queries struct {
	Packages  []string       `json:"packages"`
	Intents   []IntentFilter `json:"intents"`
	Providers []string       `json:"providers"` // authorities
}

const androidNS = "http://schemas.android.com/apk/res/android"

// The structs the binary XML is read into (see axmltree.go: android: fields
// by resource id, others by name). Pointers mark attributes whose
// absence matters.
type (
	xManifest struct {
		XMLName          xml.Name          `xml:"manifest"`
		Package          aval              `xml:"package,attr"`
		Split            *aval             `xml:"split,attr"`
		VersionCode      *aval             `xml:"http://schemas.android.com/apk/res/android versionCode,attr"`
		VersionCodeMajor *aval             `xml:"http://schemas.android.com/apk/res/android versionCodeMajor,attr"`
		VersionName      aval              `xml:"http://schemas.android.com/apk/res/android versionName,attr"`
		CompileSDK       *aval             `xml:"http://schemas.android.com/apk/res/android compileSdkVersion,attr"`
		PlatformBuild    *aval             `xml:"platformBuildVersionCode,attr"`
		UsesSDK          []xUsesSDK        `xml:"uses-sdk"`
		UsesPermission   []xUsesPermission `xml:"uses-permission"`
		UsesPermission23 []xUsesPermission `xml:"uses-permission-sdk-23"`
		UsesPermissionM  []xUsesPermission `xml:"uses-permission-sdk-m"`
		Permission       []xPermission     `xml:"permission"`
		UsesFeature      []xNamed          `xml:"uses-feature"`
		Queries          []xQueries        `xml:"queries"`
		Application      []xApplication    `xml:"application"`
	}
	xUsesSDK struct {
		Min    *aval `xml:"http://schemas.android.com/apk/res/android minSdkVersion,attr"`
		Target *aval `xml:"http://schemas.android.com/apk/res/android targetSdkVersion,attr"`
		Max    *aval `xml:"http://schemas.android.com/apk/res/android maxSdkVersion,attr"`
	}
	xUsesPermission struct {
		Name   aval  `xml:"http://schemas.android.com/apk/res/android name,attr"`
		MaxSDK *aval `xml:"http://schemas.android.com/apk/res/android maxSdkVersion,attr"`
	}
	xPermission struct {
		Name            aval  `xml:"http://schemas.android.com/apk/res/android name,attr"`
		ProtectionLevel *aval `xml:"http://schemas.android.com/apk/res/android protectionLevel,attr"`
		Group           aval  `xml:"http://schemas.android.com/apk/res/android permissionGroup,attr"`
	}
	xNamed struct {
		Name aval `xml:"http://schemas.android.com/apk/res/android name,attr"`
	}
	xQueries struct {
		Packages  []xNamed        `xml:"package"`
		Intents   []xIntentFilter `xml:"intent"`
		Providers []xComponent    `xml:"provider"`
	}
	xApplication struct {
		Name                  aval         `xml:"http://schemas.android.com/apk/res/android name,attr"`
		Label                 aval         `xml:"http://schemas.android.com/apk/res/android label,attr"`
		Icon                  aval         `xml:"http://schemas.android.com/apk/res/android icon,attr"`
		RoundIcon             aval         `xml:"http://schemas.android.com/apk/res/android roundIcon,attr"`
		Debuggable            *aval        `xml:"http://schemas.android.com/apk/res/android debuggable,attr"`
		AllowBackup           *aval        `xml:"http://schemas.android.com/apk/res/android allowBackup,attr"`
		UsesCleartextTraffic  *aval        `xml:"http://schemas.android.com/apk/res/android usesCleartextTraffic,attr"`
		NetworkSecurityConfig aval         `xml:"http://schemas.android.com/apk/res/android networkSecurityConfig,attr"`
		RequestLegacyStorage  *aval        `xml:"http://schemas.android.com/apk/res/android requestLegacyExternalStorage,attr"`
		ExtractNativeLibs     *aval        `xml:"http://schemas.android.com/apk/res/android extractNativeLibs,attr"`
		TestOnly              *aval        `xml:"http://schemas.android.com/apk/res/android testOnly,attr"`
		Process               aval         `xml:"http://schemas.android.com/apk/res/android process,attr"`
		Permission            aval         `xml:"http://schemas.android.com/apk/res/android permission,attr"`
		Activities            []xComponent `xml:"activity"`
		Aliases               []xComponent `xml:"activity-alias"`
		Services              []xComponent `xml:"service"`
		Receivers             []xComponent `xml:"receiver"`
		Providers             []xComponent `xml:"provider"`
		MetaData              []xMetaData  `xml:"meta-data"`
	}
	xComponent struct {
		Name            aval            `xml:"http://schemas.android.com/apk/res/android name,attr"`
		TargetActivity  aval            `xml:"http://schemas.android.com/apk/res/android targetActivity,attr"`
		Exported        *aval           `xml:"http://schemas.android.com/apk/res/android exported,attr"`
		Enabled         *aval           `xml:"http://schemas.android.com/apk/res/android enabled,attr"`
		Permission      aval            `xml:"http://schemas.android.com/apk/res/android permission,attr"`
		ReadPermission  aval            `xml:"http://schemas.android.com/apk/res/android readPermission,attr"`
		WritePermission aval            `xml:"http://schemas.android.com/apk/res/android writePermission,attr"`
		Authorities     aval            `xml:"http://schemas.android.com/apk/res/android authorities,attr"`
		Process         aval            `xml:"http://schemas.android.com/apk/res/android process,attr"`
		IntentFilters   []xIntentFilter `xml:"intent-filter"`
		MetaData        []xMetaData     `xml:"meta-data"`
	}
	xIntentFilter struct {
		Actions    []xNamed `xml:"action"`
		Categories []xNamed `xml:"category"`
		Data       []xData  `xml:"data"`
	}
	xData struct {
		Scheme              aval `xml:"http://schemas.android.com/apk/res/android scheme,attr"`
		Host                aval `xml:"http://schemas.android.com/apk/res/android host,attr"`
		Port                aval `xml:"http://schemas.android.com/apk/res/android port,attr"`
		Path                aval `xml:"http://schemas.android.com/apk/res/android path,attr"`
		PathPrefix          aval `xml:"http://schemas.android.com/apk/res/android pathPrefix,attr"`
		PathPattern         aval `xml:"http://schemas.android.com/apk/res/android pathPattern,attr"`
		PathSuffix          aval `xml:"http://schemas.android.com/apk/res/android pathSuffix,attr"`
		PathAdvancedPattern aval `xml:"http://schemas.android.com/apk/res/android pathAdvancedPattern,attr"`
		MimeType            aval `xml:"http://schemas.android.com/apk/res/android mimeType,attr"`
	}
	xMetaData struct {
		Name     aval `xml:"http://schemas.android.com/apk/res/android name,attr"`
		Value    aval `xml:"http://schemas.android.com/apk/res/android value,attr"`
		Resource aval `xml:"http://schemas.android.com/apk/res/android resource,attr"`
	}
)

// ParseManifest decodes the base APK's AndroidManifest.xml, resolving
// references through its resources.arsc. It returns an error wrapping
// ErrNoManifest when there is no manifest, and ErrFormat when the manifest
// is corrupt. A corrupt resources.arsc is not fatal: it is reported in
// Manifest.Warnings.
func ParseManifest(a *Archive) (*Manifest, error) {
	p := a.parts[0]
	if _, ok := p.files["AndroidManifest.xml"]; !ok {
		return nil, fmt.Errorf("apk: %s: %w", a.where(p), ErrNoManifest)
	}
	if f := p.files["AndroidManifest.xml"]; f.UncompressedSize64 > maxXMLSize {
		return nil, fmt.Errorf("apk: %s: AndroidManifest.xml: %d bytes (limit %d): %w", a.where(p), f.UncompressedSize64, maxXMLSize, ErrLimit)
	}
	data, err := a.ReadFile("base", "AndroidManifest.xml")
	if err != nil {
		return nil, err
	}
	var warnings []string
	var table *resTable
	if f, ok := p.files["resources.arsc"]; ok {
		var arsc []byte
		if f.UncompressedSize64 > maxArscSize {
			err = fmt.Errorf("resources.arsc: %d bytes (limit %d): %w", f.UncompressedSize64, maxArscSize, ErrLimit)
		} else {
			arsc, err = a.ReadFile("base", "resources.arsc")
		}
		if err == nil {
			table, err = parseResTable(arsc)
		}
		if err != nil {
			warnings = append(warnings, err.Error())
			table = nil
		}
	}
	m, err := decodeManifest(data, table)
	if err != nil {
		return nil, fmt.Errorf("apk: %s: AndroidManifest.xml: %w", a.where(p), err)
	}
	m.Warnings = append(m.Warnings, warnings...)
	return m, nil
}

// ParseManifestBytes decodes a binary AndroidManifest.xml with an optional
// resources.arsc (nil when absent).
func ParseManifestBytes(manifest, arsc []byte) (*Manifest, error) {
	var table *resTable
	var warnings []string
	if arsc != nil {
		t, err := parseResTable(arsc)
		if err != nil {
			warnings = append(warnings, err.Error())
		} else {
			table = t
		}
	}
	m, err := decodeManifest(manifest, table)
	if err != nil {
		return nil, fmt.Errorf("apk: AndroidManifest.xml: %w", err)
	}
	m.Warnings = append(m.Warnings, warnings...)
	return m, nil
}

// resolver turns attribute text into values through the resource table.
type resolver struct {
	t *resTable
}

// refID returns the resource id of "@0x7f…" text.
func refID(s string) (uint32, bool) {
	h, ok := strings.CutPrefix(s, "@0x")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return 0, false
	}
	return uint32(id), true
}

func (r resolver) text(s string) string {
	if id, ok := refID(s); ok && r.t != nil {
		if v, ok := r.t.resolveDefault(id); ok {
			return r.t.format(v)
		}
	}
	return s
}

func (r resolver) str(s aval) string { return r.text(raw(s)) }

func (r resolver) boolp(b *aval) *bool {
	s, ok := rawBool(b)
	if !ok {
		return nil
	}
	s = r.text(s)
	v, err := strconv.ParseBool(s)
	if err != nil {
		if n, err2 := parseNumber(s); err2 == nil {
			v = n != 0
		} else {
			return nil
		}
	}
	return &v
}

func (r resolver) intp(i *aval) (int64, bool) {
	s, ok := rawInt(i)
	if !ok {
		return 0, false
	}
	n, err := parseNumber(r.text(s))
	return n, err == nil
}

// parseNumber parses decimal or 0x-hex text as raw renders it.
func parseNumber(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		u, err := strconv.ParseUint(s[2:], 16, 32)
		return int64(u), err
	}
	return strconv.ParseInt(s, 10, 64)
}

// sdkLevel reads an SDK level attribute; a codename (a preview SDK) counts as
// the development level 10000, as the platform does.
func (r resolver) sdkLevel(i *aval) (int, bool) {
	s, ok := rawInt(i)
	if !ok {
		return 0, false
	}
	s = r.text(s)
	if n, err := parseNumber(s); err == nil {
		return int(n), true
	}
	if s != "" {
		return 10000, true
	}
	return 0, false
}

func decodeManifest(data []byte, table *resTable) (*Manifest, error) {
	var x xManifest
	tricks, err := decodeAXML(data, "manifest", &x)
	if err != nil {
		return nil, err
	}
	r := resolver{t: table}
	m := &Manifest{
		Package:     r.str(x.Package),
		VersionName: r.str(x.VersionName),
		Labels:      map[string]string{},
	}
	if v, ok := r.intp(x.VersionCode); ok {
		m.VersionCode = v & 0xffffffff
	}
	if v, ok := r.intp(x.VersionCodeMajor); ok {
		m.VersionCode |= (v & 0xffffffff) << 32
	}
	if v, ok := r.sdkLevel(x.CompileSDK); ok {
		m.CompileSDK = v
	} else if v, ok := r.sdkLevel(x.PlatformBuild); ok {
		m.CompileSDK = v
	}
	m.MinSDK = 1
	targetSet := false
	for _, u := range x.UsesSDK {
		if v, ok := r.sdkLevel(u.Min); ok {
			m.MinSDK = v
		}
		if v, ok := r.sdkLevel(u.Target); ok {
			m.TargetSDK, targetSet = v, true
		}
		if v, ok := r.sdkLevel(u.Max); ok {
			m.MaxSDK = v
		}
	}
	if !targetSet {
		m.TargetSDK = m.MinSDK
	}

	m.Permissions = permissions(r, &x)
	m.ImpliedPermissions = impliedPermissions(m.Permissions, m.TargetSDK)
	for _, p := range x.Permission {
		cp := CustomPermission{Name: r.str(p.Name), Group: r.str(p.Group), ProtectionLevel: "normal"}
		if p.ProtectionLevel != nil {
			cp.ProtectionLevel = protectionLevel(r.str(*p.ProtectionLevel))
		}
		m.CustomPermissions = append(m.CustomPermissions, cp)
	}
	slices.SortStableFunc(m.CustomPermissions, func(a, b CustomPermission) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range x.UsesFeature {
		if n := r.str(f.Name); n != "" {
			m.Features = append(m.Features, n)
		}
	}
	slices.Sort(m.Features)
	m.Features = slices.Compact(m.Features)

	for _, q := range x.Queries {
		for _, p := range q.Packages {
			m.Queries.Packages = append(m.Queries.Packages, r.str(p.Name))
		}
		for _, it := range q.Intents {
			m.Queries.Intents = append(m.Queries.Intents, intentFilter(r, it))
		}
		for _, p := range q.Providers {
			m.Queries.Providers = append(m.Queries.Providers, splitAuthorities(r.str(p.Authorities))...)
		}
	}
	slices.Sort(m.Queries.Packages)
	m.Queries.Packages = slices.Compact(m.Queries.Packages)
	slices.Sort(m.Queries.Providers)
	m.Queries.Providers = slices.Compact(m.Queries.Providers)

	if len(x.Application) > 0 {
		decodeApplication(r, m, &x.Application[0])
	} else {
		m.Application.AllowBackupEffective = true
		m.Application.UsesCleartextTrafficEffective = m.TargetSDK < 28
	}
	m.Tricks = tricks
	if len(tricks) > 0 {
		codes := make([]string, len(tricks))
		for i, t := range tricks {
			codes[i] = fmt.Sprintf("%s×%d", t.Code, t.Count)
		}
		m.Warnings = append(m.Warnings, "manifest: anti-analysis constructions (evidence of a protector or of intent) / 清单含反分析构造（加固或有意为之的证据）: "+strings.Join(codes, ", "))
	}
	normalize(m)
	return m, nil
}

// permissions lists uses-permission and uses-permission-sdk-23 elements,
// deduplicated by name as the platform's package parser does (the first
// declaration wins; aapt prints duplicates but the platform ignores them),
// sorted by name.
func permissions(r resolver, x *xManifest) []Permission {
	var out []Permission
	seen := map[string]bool{}
	add := func(list []xUsesPermission, sdk23 bool) {
		for _, u := range list {
			p := Permission{Name: r.str(u.Name), SDK23: sdk23}
			if p.Name == "" || seen[p.Name] {
				continue
			}
			if v, ok := r.sdkLevel(u.MaxSDK); ok {
				p.MaxSDK = v
			}
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	add(x.UsesPermission, false)
	add(x.UsesPermission23, true)
	add(x.UsesPermissionM, true)
	slices.SortStableFunc(out, func(a, b Permission) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// impliedPermissions applies aapt's dump badging rules for implied
// permissions.
func impliedPermissions(perms []Permission, targetSDK int) []ImpliedPermission {
	has := map[string]Permission{}
	for _, p := range perms {
		if !p.SDK23 {
			has[p.Name] = p
		}
	}
	var out []ImpliedPermission
	imply := func(name string, maxSDK int, reason string) {
		if _, ok := has[name]; ok {
			return
		}
		has[name] = Permission{Name: name, MaxSDK: maxSDK}
		out = append(out, ImpliedPermission{Name: name, MaxSDK: maxSDK, Reason: reason})
	}
	const p = "android.permission."
	if targetSDK < 4 {
		imply(p+"WRITE_EXTERNAL_STORAGE", 0, "targetSdkVersion < 4")
		imply(p+"READ_PHONE_STATE", 0, "targetSdkVersion < 4")
	}
	if w, ok := has[p+"WRITE_EXTERNAL_STORAGE"]; ok {
		imply(p+"READ_EXTERNAL_STORAGE", w.MaxSDK, "requested WRITE_EXTERNAL_STORAGE")
	}
	if targetSDK < 16 {
		if _, ok := has[p+"READ_CONTACTS"]; ok {
			imply(p+"READ_CALL_LOG", 0, "targetSdkVersion < 16 and requested READ_CONTACTS")
		}
		if _, ok := has[p+"WRITE_CONTACTS"]; ok {
			imply(p+"WRITE_CALL_LOG", 0, "targetSdkVersion < 16 and requested WRITE_CONTACTS")
		}
	}
	slices.SortStableFunc(out, func(a, b ImpliedPermission) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// protectionLevels names the bits of android:protectionLevel.
var protectionLevels = []struct {
	bit  uint32
	name string
}{
	{0x10, "privileged"}, {0x20, "development"}, {0x40, "appop"}, {0x80, "pre23"},
	{0x100, "installer"}, {0x200, "verifier"}, {0x400, "preinstalled"}, {0x800, "setup"},
	{0x1000, "instant"}, {0x2000, "runtime"}, {0x4000, "oem"}, {0x8000, "vendorPrivileged"},
	{0x10000, "textClassifier"}, {0x20000, "wellbeing"}, {0x40000, "documenter"},
	{0x80000, "configurator"}, {0x100000, "incidentReportApprover"}, {0x200000, "appPredictor"},
}

// protectionLevel renders a protectionLevel value as text ("signature|privileged").
// Text that is not a number is returned as is.
func protectionLevel(s string) string {
	n, err := parseNumber(s)
	if err != nil || n < 0 {
		return s
	}
	v := uint32(n)
	base := []string{"normal", "dangerous", "signature", "signatureOrSystem"}[v&0x3]
	parts := []string{base}
	v &^= 0x3
	for _, l := range protectionLevels {
		if v&l.bit != 0 {
			parts = append(parts, l.name)
			v &^= l.bit
		}
	}
	if v != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", v))
	}
	return strings.Join(parts, "|")
}

func decodeApplication(r resolver, m *Manifest, xa *xApplication) {
	app := &m.Application
	app.ClassName = qualify(m.Package, r.str(xa.Name))
	if b := r.boolp(xa.Debuggable); b != nil {
		app.Debuggable = *b
	}
	if b := r.boolp(xa.TestOnly); b != nil {
		app.TestOnly = *b
	}
	app.AllowBackup = r.boolp(xa.AllowBackup)
	app.AllowBackupEffective = app.AllowBackup == nil || *app.AllowBackup
	app.UsesCleartextTraffic = r.boolp(xa.UsesCleartextTraffic)
	if app.UsesCleartextTraffic != nil {
		app.UsesCleartextTrafficEffective = *app.UsesCleartextTraffic
	} else {
		app.UsesCleartextTrafficEffective = m.TargetSDK < 28
	}
	app.NetworkSecurityConfig = r.str(xa.NetworkSecurityConfig)
	if id, ok := refID(raw(xa.NetworkSecurityConfig)); ok && r.t != nil {
		if f := r.t.bestFile(id); f != "" {
			app.NetworkSecurityConfig = f
		}
	}
	app.RequestLegacyExternalStorage = r.boolp(xa.RequestLegacyStorage)
	app.ExtractNativeLibs = r.boolp(xa.ExtractNativeLibs)
	app.Process = r.str(xa.Process)
	app.Permission = r.str(xa.Permission)

	// Label and icon.
	labelRaw := raw(xa.Label)
	if id, ok := refID(labelRaw); ok && r.t != nil {
		if v, ok := r.t.resolveDefault(id); ok {
			m.Label = r.t.format(v)
		}
		for loc, v := range r.t.byLocale(id) {
			m.Labels[loc] = r.t.format(v)
		}
	} else if labelRaw != "" && !strings.HasPrefix(labelRaw, "@") {
		m.Label = labelRaw
		m.Labels[""] = labelRaw
	}
	for _, ic := range []aval{xa.Icon, xa.RoundIcon} {
		s := raw(ic)
		if id, ok := refID(s); ok && r.t != nil {
			m.Icon = r.t.bestFile(id)
		} else if !strings.HasPrefix(s, "@") {
			m.Icon = s
		}
		if m.Icon != "" {
			break
		}
	}

	for _, md := range xa.MetaData {
		m.MetaData = append(m.MetaData, metaData(r, md, "application"))
	}
	kinds := []struct {
		kind string
		list []xComponent
	}{
		{"activity", xa.Activities}, {"activity-alias", xa.Aliases}, {"service", xa.Services},
		{"receiver", xa.Receivers}, {"provider", xa.Providers},
	}
	for _, k := range kinds {
		for _, xc := range k.list {
			c := component(r, m, k.kind, xc)
			if m.MainActivity == "" && (k.kind == "activity" || k.kind == "activity-alias") && isLauncher(c) {
				m.MainActivity = c.Name
			}
			m.Components = append(m.Components, c)
			for _, md := range xc.MetaData {
				m.MetaData = append(m.MetaData, metaData(r, md, c.Name))
			}
		}
	}
	slices.SortStableFunc(m.Components, func(a, b Component) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name))
	})
	slices.SortStableFunc(m.MetaData, func(a, b MetaData) int {
		if (a.Owner == "application") != (b.Owner == "application") {
			if a.Owner == "application" {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.Owner, b.Owner), strings.Compare(a.Name, b.Name))
	})
}

func isLauncher(c Component) bool {
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, "android.intent.action.MAIN") &&
			slices.Contains(f.Categories, "android.intent.category.LAUNCHER") {
			return true
		}
	}
	return false
}

func component(r resolver, m *Manifest, kind string, xc xComponent) Component {
	c := Component{
		Kind:             kind,
		Name:             qualify(m.Package, r.str(xc.Name)),
		ExportedExplicit: r.boolp(xc.Exported),
		Permission:       r.str(xc.Permission),
		ReadPermission:   r.str(xc.ReadPermission),
		WritePermission:  r.str(xc.WritePermission),
		Authorities:      splitAuthorities(r.str(xc.Authorities)),
		Process:          r.str(xc.Process),
		Enabled:          true,
	}
	if kind == "activity-alias" {
		c.TargetActivity = qualify(m.Package, r.str(xc.TargetActivity))
	}
	if e := r.boolp(xc.Enabled); e != nil {
		c.Enabled = *e
	}
	for _, f := range xc.IntentFilters {
		c.IntentFilters = append(c.IntentFilters, intentFilter(r, f))
	}
	switch {
	case c.ExportedExplicit != nil:
		c.Exported = *c.ExportedExplicit
	case kind == "provider":
		c.Exported = m.TargetSDK < 17
	default:
		c.Exported = len(c.IntentFilters) > 0
	}
	return c
}

func splitAuthorities(s string) []string {
	var out []string
	for a := range strings.SplitSeq(s, ";") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func intentFilter(r resolver, f xIntentFilter) IntentFilter {
	var out IntentFilter
	for _, a := range f.Actions {
		out.Actions = append(out.Actions, r.str(a.Name))
	}
	for _, c := range f.Categories {
		out.Categories = append(out.Categories, r.str(c.Name))
	}
	var schemes, auths, paths []string
	for _, d := range f.Data {
		if s := r.str(d.Scheme); s != "" {
			schemes = append(schemes, s)
		}
		if h := r.str(d.Host); h != "" {
			if p := r.str(d.Port); p != "" {
				h += ":" + p
			}
			auths = append(auths, h)
		}
		for _, p := range []aval{d.Path, d.PathPrefix, d.PathPattern, d.PathSuffix, d.PathAdvancedPattern} {
			if s := r.str(p); s != "" {
				if !strings.HasPrefix(s, "/") && !strings.HasPrefix(s, ".") && !strings.HasPrefix(s, "*") {
					s = "/" + s
				}
				paths = append(paths, s)
			}
		}
		if mt := r.str(d.MimeType); mt != "" {
			out.MimeTypes = append(out.MimeTypes, mt)
		}
	}
	if len(auths) == 0 {
		auths = []string{""}
	}
	if len(paths) == 0 {
		paths = []string{""}
	}
	for _, s := range schemes {
		for _, a := range auths {
			for _, p := range paths {
				u := s + ":"
				if a != "" {
					u += "//" + a
				}
				out.Data = append(out.Data, u+p)
			}
		}
	}
	if len(schemes) == 0 {
		for _, a := range auths {
			for _, p := range paths {
				if a != "" || p != "" {
					out.Data = append(out.Data, "//"+a+p)
				}
			}
		}
	}
	out.Data = slices.Compact(out.Data)
	return out
}

func metaData(r resolver, md xMetaData, owner string) MetaData {
	out := MetaData{Name: r.str(md.Name), Value: r.str(md.Value), Owner: owner}
	res := raw(md.Resource)
	out.Resource = res
	if id, ok := refID(res); ok && r.t != nil {
		if v, ok := r.t.resolveDefault(id); ok {
			out.Resource = r.t.format(v)
		}
	}
	return out
}

// qualify expands a class name against the package the way the platform
// does: ".Foo" and "Foo" become "pkg.Foo"; names with an inner dot stay.
func qualify(pkg, name string) string {
	switch {
	case name == "":
		return ""
	case strings.HasPrefix(name, "."):
		return pkg + name
	case !strings.Contains(name, "."):
		return pkg + "." + name
	}
	return name
}

// normalize replaces nil slices by empty ones so JSON has [] not null.
func normalize(m *Manifest) {
	nz := func(s *[]string) {
		if *s == nil {
			*s = []string{}
		}
	}
	if m.Permissions == nil {
		m.Permissions = []Permission{}
	}
	if m.ImpliedPermissions == nil {
		m.ImpliedPermissions = []ImpliedPermission{}
	}
	if m.CustomPermissions == nil {
		m.CustomPermissions = []CustomPermission{}
	}
	if m.Components == nil {
		m.Components = []Component{}
	}
	if m.MetaData == nil {
		m.MetaData = []MetaData{}
	}
	if m.Warnings == nil {
		m.Warnings = []string{}
	}
	if m.Tricks == nil {
		m.Tricks = []ManifestTrick{}
	}
	nz(&m.Features)
	nz(&m.Queries.Packages)
	nz(&m.Queries.Providers)
	if m.Queries.Intents == nil {
		m.Queries.Intents = []IntentFilter{}
	}
	nzf := func(f *IntentFilter) {
		nz(&f.Actions)
		nz(&f.Categories)
		nz(&f.Data)
		nz(&f.MimeTypes)
	}
	for i := range m.Queries.Intents {
		nzf(&m.Queries.Intents[i])
	}
	for i := range m.Components {
		c := &m.Components[i]
		nz(&c.Authorities)
		if c.IntentFilters == nil {
			c.IntentFilters = []IntentFilter{}
		}
		for j := range c.IntentFilters {
			nzf(&c.IntentFilters[j])
		}
	}
}
