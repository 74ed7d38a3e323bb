// Package pi defines the personal-information category vocabulary shared by
// every part of AppInspect: the permission catalog, the sensitive-API catalog,
// the SDK catalog, the policy extractor and the rules all speak of data in
// these terms, so a permission, an API call and a policy sentence can be
// compared directly.
package pi

import "slices"

// Category is a stable identifier of a kind of personal information.
type Category string

// The categories. Identifiers are stable: they are stored in case records.
const (
	Location       Category = "location"        // GPS, network location, cell-based location
	Contacts       Category = "contacts"        // address book
	CallLog        Category = "call_log"        // call history
	SMS            Category = "sms"             // text messages
	Calendar       Category = "calendar"        // calendar events
	Camera         Category = "camera"          // pictures or video taken with the camera
	Microphone     Category = "microphone"      // audio recording
	Storage        Category = "storage"         // files on shared storage
	Media          Category = "media"           // photos, videos, audio in the media store
	DeviceID       Category = "device_id"       // IMEI, MEID, IMSI, serial, Android ID, MAC, OAID
	PhoneNumber    Category = "phone_number"    // the user's phone number
	PhoneState     Category = "phone_state"     // call state, SIM and carrier information
	NetworkInfo    Category = "network_info"    // Wi-Fi SSID/BSSID, cell info, IP address
	NearbyDevices  Category = "nearby_devices"  // Bluetooth, Wi-Fi scanning, NFC, UWB
	InstalledApps  Category = "installed_apps"  // the list of installed applications
	RunningApps    Category = "running_apps"    // running processes and tasks, usage stats
	Clipboard      Category = "clipboard"       // clipboard contents
	Accounts       Category = "accounts"        // accounts on the device
	BodySensors    Category = "body_sensors"    // heart rate and other body sensors
	Activity       Category = "activity"        // physical activity recognition, step counts
	Sensors        Category = "sensors"         // motion and environment sensors
	Biometrics     Category = "biometrics"      // fingerprint, face, voiceprint
	Identity       Category = "identity"        // name, ID card number, passport
	ContactInfo    Category = "contact_info"    // e-mail, postal address
	Financial      Category = "financial"       // bank card, payment and transaction records
	Health         Category = "health"          // health and medical information
	Browsing       Category = "browsing"        // browsing and search history
	Notifications  Category = "notifications"   // notification contents
	DeviceInfo     Category = "device_info"     // model, OS version, screen, language
	AccountInfo    Category = "account_info"    // account name, password, nickname, avatar
	SocialRelation Category = "social_relation" // friends, followers, groups
	Minors         Category = "minors"          // information of children under 14
)

// Info describes a category for display.
type Info struct {
	ID        Category `json:"id"`
	ZH        string   `json:"zh"`
	EN        string   `json:"en"`
	Sensitive bool     `json:"sensitive"` // sensitive personal information (PIPL Art. 28)
}

var all = []Info{
	{Location, "位置信息", "Location", true},
	{Contacts, "通讯录", "Contacts", false},
	{CallLog, "通话记录", "Call log", false},
	{SMS, "短信", "SMS", false},
	{Calendar, "日历", "Calendar", false},
	{Camera, "相机（拍摄的图像或视频）", "Camera", false},
	{Microphone, "麦克风（录音）", "Microphone", false},
	{Storage, "存储（文件）", "Storage", false},
	{Media, "照片、视频、音频", "Photos, videos and audio", false},
	{DeviceID, "设备标识符（IMEI、Android ID、MAC、OAID 等）", "Device identifiers (IMEI, Android ID, MAC, OAID …)", false},
	{PhoneNumber, "手机号码", "Phone number", false},
	{PhoneState, "电话状态与 SIM 信息", "Phone state and SIM information", false},
	{NetworkInfo, "网络信息（Wi-Fi、基站、IP）", "Network information (Wi-Fi, cell, IP)", false},
	{NearbyDevices, "附近设备（蓝牙、Wi-Fi 扫描）", "Nearby devices (Bluetooth, Wi-Fi scan)", false},
	{InstalledApps, "已安装应用列表", "Installed apps", false},
	{RunningApps, "运行中的应用与进程", "Running apps and processes", false},
	{Clipboard, "剪切板", "Clipboard", false},
	{Accounts, "设备账户", "Device accounts", false},
	{BodySensors, "身体传感器", "Body sensors", true},
	{Activity, "运动与健身数据", "Physical activity", false},
	{Sensors, "传感器", "Sensors", false},
	{Biometrics, "生物识别信息", "Biometrics", true},
	{Identity, "身份信息（姓名、身份证件）", "Identity (name, ID document)", true},
	{ContactInfo, "联系方式（电子邮箱、地址）", "Contact details (e-mail, address)", false},
	{Financial, "金融账户与交易信息", "Financial accounts and transactions", true},
	{Health, "健康生理信息", "Health information", true},
	{Browsing, "浏览与搜索记录", "Browsing and search history", false},
	{Notifications, "通知内容", "Notification contents", false},
	{DeviceInfo, "设备信息（型号、系统版本）", "Device information (model, OS version)", false},
	{AccountInfo, "账号信息（账号、密码、昵称、头像）", "Account information (user name, password, nickname, avatar)", false},
	{SocialRelation, "社交关系", "Social relations", false},
	{Minors, "未成年人信息", "Information of minors", true},
}

// All returns every category, in a stable order.
func All() []Info { return slices.Clone(all) }

// Lookup returns the description of c and whether c is known.
func Lookup(c Category) (Info, bool) {
	for _, i := range all {
		if i.ID == c {
			return i, true
		}
	}
	return Info{}, false
}

// Valid reports whether c is a known category.
func Valid(c Category) bool { _, ok := Lookup(c); return ok }
