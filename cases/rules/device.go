package rules

import (
	"strings"
	"time"

	"github.com/appinspect/appinspect/inspect/pi"
)

// DeviceFacts is runtime evidence of one app on one device, filled by the app
// layer from inspect/device evidence. It is deliberately a small, decoupled
// shape: times are device times, already resolved to absolute instants.
type DeviceFacts struct {
	Serial         string
	Model          string
	AndroidVersion string
	// ConsentAt is the moment the user agreed to the privacy policy, as marked
	// by the inspector; zero means not marked, and the before-consent rules
	// then stay silent.
	ConsentAt        time.Time
	Ops              []DeviceOp
	PermissionGrants []PermissionEvent
	SelfStarts       []SelfStart
}

// DeviceOp is one AppOps access (or rejected attempt) of an operation.
type DeviceOp struct {
	Op         string      // AppOps name, e.g. "COARSE_LOCATION", "READ_CLIPBOARD"
	Category   pi.Category // "" → OpCategory(Op)
	Time       time.Time
	Rejected   bool  // the platform denied the attempt
	Foreground *bool // the app's UID state at the access, nil when unknown
}

// PermissionEvent is a runtime permission's grant state at a moment.
type PermissionEvent struct {
	Permission string // full name, e.g. "android.permission.READ_PHONE_STATE"
	Time       time.Time
	Granted    bool
}

// SelfStart is one start of the app (or of another app by it) that the user
// did not initiate.
type SelfStart struct {
	Time   time.Time
	Reason string // "boot_receiver", "scheduled_job", "alarm", "associated_start" …
}

// opCategories maps AppOps operation names (AppOpsManager, as printed by
// `appops get` and `dumpsys appops`) to personal-information categories.
// Operations that read no personal information (WAKE_LOCK, TOAST_WINDOW,
// WRITE_CLIPBOARD, POST_NOTIFICATION …) are absent.
var opCategories = map[string]pi.Category{
	"COARSE_LOCATION":                 pi.Location,
	"FINE_LOCATION":                   pi.Location,
	"GPS":                             pi.Location,
	"MONITOR_LOCATION":                pi.Location,
	"MONITOR_HIGH_POWER_LOCATION":     pi.Location,
	"ACCESS_MEDIA_LOCATION":           pi.Location,
	"WIFI_SCAN":                       pi.NetworkInfo, // as wifi.getScanResults in the API catalog and ACCESS_WIFI_STATE
	"NEIGHBORING_CELLS":               pi.Location,
	"READ_CONTACTS":                   pi.Contacts,
	"WRITE_CONTACTS":                  pi.Contacts,
	"READ_CALL_LOG":                   pi.CallLog,
	"WRITE_CALL_LOG":                  pi.CallLog,
	"PROCESS_OUTGOING_CALLS":          pi.CallLog,
	"READ_CALENDAR":                   pi.Calendar,
	"WRITE_CALENDAR":                  pi.Calendar,
	"READ_SMS":                        pi.SMS,
	"RECEIVE_SMS":                     pi.SMS,
	"RECEIVE_EMERGECY_SMS":            pi.SMS, // sic, the platform's spelling
	"RECEIVE_EMERGENCY_SMS":           pi.SMS,
	"RECEIVE_MMS":                     pi.SMS,
	"RECEIVE_WAP_PUSH":                pi.SMS,
	"READ_ICC_SMS":                    pi.SMS,
	"READ_CELL_BROADCASTS":            pi.SMS,
	"SEND_SMS":                        pi.SMS,
	"CAMERA":                          pi.Camera,
	"PHONE_CALL_CAMERA":               pi.Camera,
	"RECORD_AUDIO":                    pi.Microphone,
	"PHONE_CALL_MICROPHONE":           pi.Microphone,
	"RECEIVE_AMBIENT_TRIGGER_AUDIO":   pi.Microphone,
	"READ_CLIPBOARD":                  pi.Clipboard,
	"READ_PHONE_STATE":                pi.PhoneState,
	"READ_PHONE_NUMBERS":              pi.PhoneNumber,
	"READ_DEVICE_IDENTIFIERS":         pi.DeviceID,
	"GET_ACCOUNTS":                    pi.Accounts,
	"GET_USAGE_STATS":                 pi.RunningApps,
	"QUERY_ALL_PACKAGES":              pi.InstalledApps,
	"READ_EXTERNAL_STORAGE":           pi.Storage,
	"WRITE_EXTERNAL_STORAGE":          pi.Storage,
	"MANAGE_EXTERNAL_STORAGE":         pi.Storage,
	"LEGACY_STORAGE":                  pi.Storage,
	"READ_MEDIA_AUDIO":                pi.Media,
	"READ_MEDIA_VIDEO":                pi.Media,
	"READ_MEDIA_IMAGES":               pi.Media,
	"READ_MEDIA_VISUAL_USER_SELECTED": pi.Media,
	"WRITE_MEDIA_AUDIO":               pi.Media,
	"WRITE_MEDIA_VIDEO":               pi.Media,
	"WRITE_MEDIA_IMAGES":              pi.Media,
	"BODY_SENSORS":                    pi.BodySensors,
	"ACTIVITY_RECOGNITION":            pi.Activity,
	"ACTIVITY_RECOGNITION_SOURCE":     pi.Activity,
	"BLUETOOTH_SCAN":                  pi.NearbyDevices,
	"BLUETOOTH_CONNECT":               pi.NearbyDevices,
	"BLUETOOTH_ADVERTISE":             pi.NearbyDevices,
	"NEARBY_WIFI_DEVICES":             pi.NearbyDevices,
	"UWB_RANGING":                     pi.NearbyDevices,
	"ACCESS_NOTIFICATIONS":            pi.Notifications,
	"USE_FINGERPRINT":                 pi.Biometrics,
	"USE_BIOMETRIC":                   pi.Biometrics,
}

// OpCategory maps an AppOps operation name to the personal-information
// category it reads, or "" when it reads none or is unknown. It accepts the
// forms the platform prints: "COARSE_LOCATION", "coarse_location",
// "android:coarse_location" and "OP_COARSE_LOCATION".
func OpCategory(op string) pi.Category {
	o := strings.TrimSpace(op)
	o = strings.TrimPrefix(strings.TrimPrefix(o, "android:"), "ANDROID:")
	o = strings.ToUpper(o)
	o = strings.TrimPrefix(o, "OP_")
	return opCategories[o]
}

// DeviceOpRef is the Ref of the disclosure of an AppOps operation as the
// platform prints it ("android:coarse_location" → "COARSE_LOCATION").
func DeviceOpRef(op string) string { return opName(op) }

// opName normalises an op name for keys: upper case without prefix.
func opName(op string) string {
	o := strings.TrimSpace(op)
	o = strings.TrimPrefix(strings.TrimPrefix(o, "android:"), "ANDROID:")
	return strings.TrimPrefix(strings.ToUpper(o), "OP_")
}
