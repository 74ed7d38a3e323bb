package rules

import (
	"strings"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// thirdPartyCategories are the SDK catalog categories of third parties that
// process personal information for their own or the app's purposes, and
// therefore must be disclosed (rd2019/2.1 “包括委托的第三方或嵌入的第三方代码、插件”,
// PIPL art. 23). Development, UI, framework, database, image, media, network,
// webview, hotfix, utility and game-engine libraries are code the developer
// runs as its own; they are not listed.
var thirdPartyCategories = map[sdk.Category]bool{
	sdk.CatPush:      true,
	sdk.CatAnalytics: true,
	sdk.CatCrash:     true,
	sdk.CatAds:       true,
	sdk.CatMaps:      true,
	sdk.CatLocation:  true,
	sdk.CatSocial:    true,
	sdk.CatPayment:   true,
	sdk.CatLogin:     true,
	sdk.CatOAID:      true,
	sdk.CatSecurity:  true, // risk-control and anti-fraud SDKs collect device identifiers
	sdk.CatIM:        true,
	sdk.CatRTC:       true,
	sdk.CatIdentity:  true,
	sdk.CatVoice:     true,
	sdk.CatAI:        true,
	sdk.CatCloud:     true,
	sdk.CatCustomer:  true,
}

// platformLibraryPrefixes are SDK ids of the Android platform's own support
// libraries. The catalog files a few of them under misleading categories
// (jetpack-fragment as "rtc", jetpack-sharetarget as "social",
// jetpack-viewpager as "media"), so they are excluded by id whatever their
// category: they are not third parties and their compat wrappers
// (TelephonyManagerCompat, LocationManagerCompat …) only run on the app's
// behalf, when the app's own code calls them.
var platformLibraryPrefixes = []string{
	"jetpack-", "android-support", "support-library", "androidx", "kotlin-", "kotlin",
}

// isPlatformLibrary reports whether an SDK id is one of the platform's own libraries.
func isPlatformLibrary(id string) bool {
	for _, p := range platformLibraryPrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// isThirdParty reports whether an SDK found in the app is a third party that
// processes personal information (see thirdPartyCategories).
func isThirdParty(s inspect.SDK) bool {
	return !s.Mentioned() && !isPlatformLibrary(s.ID) && thirdPartyCategories[sdk.Category(s.Category)]
}

// lowSignalAPIs are sensitive APIs whose call alone says little about
// collecting personal information, so api.undeclared, sdk.data_understated
// and scope.beyond_necessary ignore them:
//
//   - the PackageManager lookups that apps overwhelmingly make on their own
//     package or on one intent (getPackageInfo for the version name,
//     getApplicationInfo, getPackagesForUid, getInstallerPackageName,
//     queryIntent*/queryBroadcastReceivers to resolve one intent). Static
//     analysis cannot see the argument; reading the list of installed apps is
//     still caught by getInstalledPackages/getInstalledApplications, their
//     reflection names, LauncherApps and the QUERY_ALL_PACKAGES permission;
//   - connection-type and SIM-state queries (networkinfo.getType,
//     telephony.getNetworkType, telephony.getSimState), which every network
//     library makes and which identify no one;
//   - Location.getLatitude/getLongitude, which only read a Location object
//     some other (listed) API produced.
var lowSignalAPIs = map[string]bool{
	"pm.getPackageInfo":            true,
	"pm.getApplicationInfo":        true,
	"pm.getPackagesForUid":         true,
	"pm.getInstallerPackageName":   true,
	"pm.queryIntentActivities":     true,
	"pm.queryIntentServices":       true,
	"pm.queryBroadcastReceivers":   true,
	"apm.getPackageInfo":           true,
	"apm.getPackageInfoAsUser":     true,
	"apm.getApplicationInfo":       true,
	"apm.getInstallerPackageName":  true,
	"apm.queryIntentActivities":    true,
	"apm.queryIntentServices":      true,
	"apm.queryBroadcastReceivers":  true,
	"networkinfo.getType":          true,
	"networkinfo.getTypeName":      true,
	"telephony.getNetworkType":     true,
	"telephony.getDataNetworkType": true,
	"telephony.getSimState":        true,
	"location.getLatitude":         true,
	"location.getLongitude":        true,
}

// LowSignalAPI reports whether api.undeclared and the other API-based rules
// ignore the sensitive API with this id (see the package README for why).
func LowSignalAPI(id string) bool { return lowSignalAPIs[id] }

// subjectOf returns who an API owner's behaviour belongs to: "app", the SDK
// id, or "" when the owner is a platform library (ignored).
func subjectOf(owner string) string {
	if owner == inspect.OwnerApp || owner == "" {
		return inspect.OwnerApp
	}
	if isPlatformLibrary(owner) {
		return ""
	}
	return owner
}

// permissionRelevant reports whether a requested permission gives access to
// personal information the user must be told about: runtime (dangerous)
// permissions and special app accesses with categories.
func permissionRelevant(p inspect.Permission) bool {
	return len(p.Categories) > 0 && (p.Dangerous || p.Special)
}

// reach is one piece of evidence that the app can reach a category.
type reach struct {
	cat pi.Category
	ev  Evidence
	sub string // "app" or SDK id
}
