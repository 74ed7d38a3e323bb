// Package inspect turns an APK (or a split bundle) into facts: what the app is,
// what it may access, which third-party SDKs it carries, which sensitive APIs
// its code calls and who calls them. It is the evidence layer of AppInspect:
// no UI, no database, no PDF.
package inspect

import (
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/packer"
	"github.com/appinspect/appinspect/inspect/perm"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/sdk"
	"github.com/appinspect/appinspect/inspect/sign"
)

// SchemaVersion is the version of the Result JSON encoding. It changes only
// when a key is renamed or removed; new keys may appear without a change.
const SchemaVersion = 1

// Result is everything a scan found in one APK. Its JSON encoding is stable
// (documented in README.md): other tools rely on the key names.
type Result struct {
	Schema int    `json:"schema"`
	File   string `json:"file"`            // the path as given
	Error  string `json:"error,omitempty"` // set when the file could not be scanned; other fields may be partial

	Size   int64       `json:"size"`
	SHA256 string      `json:"sha256"`
	MD5    string      `json:"md5"`
	Format string      `json:"format"` // apk, apks or xapk
	Splits []apk.Split `json:"splits,omitempty"`

	Package     string            `json:"package"`
	VersionCode int64             `json:"version_code"`
	VersionName string            `json:"version_name"`
	MinSDK      int               `json:"min_sdk"`
	TargetSDK   int               `json:"target_sdk"`
	MaxSDK      int               `json:"max_sdk,omitempty"`
	CompileSDK  int               `json:"compile_sdk,omitempty"`
	Label       string            `json:"label"`              // default label, as aapt shows it
	LabelZH     string            `json:"label_zh,omitempty"` // the zh-CN label (falls back to zh)
	Labels      map[string]string `json:"labels,omitempty"`   // every locale → label ("" = default)
	Icon        string            `json:"icon,omitempty"`     // path of the icon inside the APK

	Permissions       []Permission           `json:"permissions"`
	CustomPermissions []apk.CustomPermission `json:"custom_permissions"`
	Application       apk.Application        `json:"application"`
	Components        []apk.Component        `json:"components"`
	MetaData          []apk.MetaData         `json:"meta_data"`
	Queries           apk.Queries            `json:"queries"`
	Features          []string               `json:"features,omitempty"`
	Signature         *sign.Result           `json:"signature"`
	Dex               DexSummary             `json:"dex"`
	NativeABIs        []string               `json:"native_abis"`
	NativeLibs        []apk.NativeLib        `json:"native_libs"`
	Endpoints         []endpoint.Endpoint    `json:"endpoints"`
	PolicyDocs        []apk.PolicyDoc        `json:"policy_docs"`
	SDKs              []SDK                  `json:"sdks"`         // SDKs present: their code, components or native libraries are in the APK
	SDKMentions       []SDK                  `json:"sdk_mentions"` // SDKs only named (strings, hosts, meta-data, callback classes): never a finding on their own
	AppNamespaces     []string               `json:"app_namespaces"`
	ThirdParty        []ThirdPartyCode       `json:"third_party"`
	APIs              []APIUse               `json:"apis"`
	Packers           []packer.Finding       `json:"packers"`
	Categories        []pi.Category          `json:"categories"` // personal-information categories the app can reach (permissions ∪ APIs)
	// ManifestTricks are the anti-analysis constructions of the binary
	// manifest (evidence of a protector or of intent); ArchiveProblems the
	// zip container's problems Android checks (a refusing one makes the
	// scan fail, and is still listed here).
	ManifestTricks  []apk.ManifestTrick  `json:"manifest_tricks"`
	ArchiveProblems []apk.ArchiveProblem `json:"archive_problems"`
	Warnings        []string             `json:"warnings,omitempty"`
	Stats           Stats                `json:"stats"`
}

// Permission is a requested permission with what the catalog knows of it.
type Permission struct {
	Name        string        `json:"name"`
	MaxSDK      int           `json:"max_sdk,omitempty"`
	SDK23       bool          `json:"sdk23,omitempty"`   // declared with uses-permission-sdk-23
	Implied     string        `json:"implied,omitempty"` // not declared, but granted by the platform's compatibility rules: why
	Protection  string        `json:"protection"`        // dangerous, normal, signature…, or unknown / custom / vendor
	Dangerous   bool          `json:"dangerous"`
	Special     bool          `json:"special,omitempty"`
	Group       string        `json:"group,omitempty"`        // platform permission group (dangerous ones)
	LegacyGroup string        `json:"legacy_group,omitempty"` // one of the nine legacy groups
	Categories  []pi.Category `json:"categories"`
	ZH          string        `json:"zh,omitempty"`
	EN          string        `json:"en,omitempty"`
}

// DexSummary counts the code found in the APK.
type DexSummary struct {
	Files   []string    `json:"files"`   // classes*.dex of the base APK (and splits, prefixed "split:")
	Classes int         `json:"classes"` // classes defined in Files (what dexdump counts)
	Methods int         `json:"methods"` // method references
	Strings int         `json:"strings"` // string constants
	Nested  []NestedDex `json:"nested,omitempty"`
	Errors  []string    `json:"errors,omitempty"` // dex files that could not be parsed, with the reason
}

// NestedDex is code shipped inside the APK besides classes*.dex: a dex, jar or
// apk under assets/ or res/raw/, often loaded at run time.
type NestedDex struct {
	Path    string `json:"path"`
	Classes int    `json:"classes"`
	Error   string `json:"error,omitempty"`
}

// SDK is a third-party SDK found in the app.
type SDK struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	NameZH     string         `json:"name_zh,omitempty"`
	Vendor     string         `json:"vendor"`
	VendorZH   string         `json:"vendor_zh,omitempty"`
	Category   string         `json:"category"`
	Confidence string         `json:"confidence"`
	Present    bool           `json:"present"`           // code, components or native libraries in the APK (false in sdk_mentions)
	Through    string         `json:"through,omitempty"` // for a WeChat callback without WeChat code: the SDK that provides it
	Note       string         `json:"note,omitempty"`    // what the evidence means, when it is not plain presence
	NoteZH     string         `json:"note_zh,omitempty"`
	Obfuscated bool           `json:"obfuscated,omitempty"` // found without its code signature, in an app whose classes are renamed
	Evidence   []sdk.Evidence `json:"evidence"`
	Used       bool           `json:"used"`               // the app's own code calls one of its entry points or classes
	UsedBy     []Caller       `json:"used_by,omitempty"`  // those call sites
	Collects   []pi.Category  `json:"collects,omitempty"` // per its vendor's published SDK policy
	APIs       []string       `json:"apis,omitempty"`     // ids of sensitive APIs its code calls
}

// APIUse is a sensitive API and every place that calls it.
type APIUse struct {
	ID         string      `json:"id"`
	Category   pi.Category `json:"category"`
	Class      string      `json:"class"`
	Method     string      `json:"method"`
	Kind       string      `json:"kind"` // method, content_uri, setting, reflection
	Permission string      `json:"permission,omitempty"`
	ZH         string      `json:"zh,omitempty"`
	EN         string      `json:"en,omitempty"`
	Weak       bool        `json:"weak,omitempty"` // only string evidence (content URI, reflection name)
	Callers    []Caller    `json:"callers"`
	Owners     []string    `json:"owners"` // distinct owners of the callers: "app", SDK ids, third-party package roots
	Truncated  int         `json:"truncated,omitempty"`
}

// Caller is one call site.
type Caller struct {
	Class     string `json:"class"`
	Method    string `json:"method"`
	Owner     string `json:"owner"`      // "app", the id of the SDK whose code this is, or the package root of unidentified third-party code
	OwnerKind string `json:"owner_kind"` // "app", "sdk" or "third_party"
}

// ThirdPartyCode is a package tree outside the app's namespaces that no
// catalog SDK claims.
type ThirdPartyCode struct {
	Root    string `json:"root"` // package root ("com.yalantis", "androidx.core"), or a renamed package ("a.b")
	Classes int    `json:"classes"`
	Renamed bool   `json:"renamed,omitempty"` // 1–2 letter package names: renamed by an obfuscator
}

// OwnerApp is the Caller.Owner of the app's own code.
const OwnerApp = "app"

// Stats records how long the stages took, for progress displays and
// benchmarks. Durations are in milliseconds. Not part of the stable keys.
type Stats struct {
	TotalMS     int64 `json:"total_ms"`
	DexMS       int64 `json:"dex_ms"`
	SignatureMS int64 `json:"signature_ms"`
	DetectMS    int64 `json:"detect_ms"`
	DexBytes    int64 `json:"dex_bytes"`
}

// permission merges a request with the catalog.
func permission(name string, maxSDK int, sdk23 bool) Permission {
	info := perm.Describe(name)
	cats := info.Categories
	if cats == nil {
		cats = []pi.Category{}
	}
	return Permission{
		Name: name, MaxSDK: maxSDK, SDK23: sdk23,
		Protection: info.Protection, Dangerous: info.Dangerous, Special: info.Special,
		Group: info.Group, LegacyGroup: info.LegacyGroup, Categories: cats, ZH: info.ZH, EN: info.EN,
	}
}

// Confirmation returns who confirmed that the SDK is in the app and the
// note saying how it was seen, when the inspector did (sdk.KindConfirmed
// evidence, added by the case workflow, never by a scan).
func (s SDK) Confirmation() (who, note string, ok bool) {
	for _, e := range s.Evidence {
		if e.Kind == sdk.KindConfirmed {
			if len(e.Examples) > 0 {
				note = e.Examples[0]
			}
			return e.Value, note, true
		}
	}
	return "", "", false
}

// Mentioned reports whether the SDK is only mentioned: it has evidence and
// none of it is the SDK's code, a manifest component or a native library
// (strings, hosts, meta-data keys, the app's callback classes) and the
// inspector has not confirmed it (sdk.KindConfirmed). It also
// tells such SDKs apart in scans stored before sdk_mentions existed. A
// mentioned SDK is never a 涉及主体, a candidate or a notice line unless the
// inspector confirms it.
func (s SDK) Mentioned() bool {
	if len(s.Evidence) == 0 {
		return false // facts built by hand, without evidence to judge
	}
	for _, e := range s.Evidence {
		switch e.Kind {
		case sdk.KindClass, sdk.KindComponent, sdk.KindNativeLib, sdk.KindConfirmed:
			return false
		}
	}
	return true
}
