package device

import (
	"strings"
)

// Command documents one adb command this package runs. Line is a template:
// SERIAL, PKG, PATH, N, EPOCH and LOCAL stand for the values filled in at
// run time. Reports cite Line; Evidence.Commands holds the filled-in lines.
type Command struct {
	ID       string // stable identifier, e.g. "dumpsys-package"
	Line     string // template, e.g. "adb -s SERIAL shell dumpsys package PKG"
	Collects string // what the output proves, in English
	Used     string // which function runs it
}

// Commands lists every adb command the package runs, in the order of
// COMMANDS.md. A test checks that the two stay in step and that every
// command the tests see matches one template.
var Commands = []Command{
	{"devices", "adb devices -l", "connected devices: serial, state (device/unauthorized/offline/no permissions…), USB port, model", "Devices, Pick"},
	{"getprop", "adb -s SERIAL shell getprop", "device identity: ro.product.model/brand/manufacturer/name, ro.build.version.release/sdk, persist.sys.timezone", "Devices, Evidence"},
	{"getprop-tz", "adb -s SERIAL shell getprop persist.sys.timezone", "the device's timezone, to read install/update times", "Apps"},
	{"date", "adb -s SERIAL shell date +%s%z", "the device clock (Unix seconds) and UTC offset, to anchor relative times (\"-5m3s\") and screenshots", "Evidence, Screenshot"},
	{"pm-list", "adb -s SERIAL shell pm list packages -f --show-versioncode [-3]", "installed packages with APK path and version code (-3: third-party only); without --show-versioncode before Android 9", "Apps"},
	{"pm-list-old", "adb -s SERIAL shell pm list packages -f [-3]", "the same on platforms before Android 9 (no version codes)", "Apps"},
	{"pm-list-3", "adb -s SERIAL shell pm list packages -3", "which packages are third-party (the rest are system)", "Apps"},
	{"dumpsys-packages", "adb -s SERIAL shell dumpsys package packages", "every package's version name, install and update times, flags", "Apps"},
	{"pm-path", "adb -s SERIAL shell pm path PKG", "the APK files of PKG on the device: base.apk and split APKs", "Pull"},
	{"stat", "adb -s SERIAL shell stat -c %s PATH...", "the size of each APK, to show progress and verify the copy", "Pull"},
	{"pull", "adb -s SERIAL pull PATH LOCAL", "copies one APK to the computer", "Pull"},
	{"dumpsys-package", "adb -s SERIAL shell dumpsys package PKG", "PKG's requested, install-time and runtime permissions with granted state and flags, version, first install and last update times, stopped state, and receivers of boot and other wake-up broadcasts (Receiver Resolver Table)", "Evidence"},
	{"appops-get", "adb -s SERIAL shell appops get PKG", "AppOps mode of each operation and the time of its last access and rejection relative to now (\"time=+1h2m ago\")", "Evidence"},
	{"dumpsys-appops-package", "adb -s SERIAL shell dumpsys appops --package PKG", "AppOps per operation: last access and reject timestamps per UID state (top/fg = foreground, bg/cch = background), durations, proxies, attribution tags", "Evidence"},
	{"dumpsys-appops", "adb -s SERIAL shell dumpsys appops", "the same for all apps, when the platform does not accept --package", "Evidence"},
	{"ps-o", "adb -s SERIAL shell ps -A -o PID,USER,ETIME,NAME", "running processes with elapsed time since start, to date when the app's processes started", "Evidence"},
	{"ps-A", "adb -s SERIAL shell ps -A", "running processes (Android 8+), fallback when -o is not supported", "Evidence, Logcat"},
	{"ps", "adb -s SERIAL shell ps", "running processes (Android 6–7)", "Evidence, Logcat"},
	{"pidof", "adb -s SERIAL shell pidof PKG", "PIDs of the app's main process, when ps finds none", "Logcat"},
	{"dumpsys-activity-services", "adb -s SERIAL shell dumpsys activity services PKG", "services of PKG running now and when they were created: background activity", "Evidence"},
	{"dumpsys-jobscheduler", "adb -s SERIAL shell dumpsys jobscheduler PKG", "background jobs PKG has scheduled", "Evidence"},
	{"dumpsys-deviceidle", "adb -s SERIAL shell dumpsys deviceidle whitelist", "whether PKG is exempt from battery optimisation (can run in background)", "Evidence"},
	{"dumpsys-usagestats", "adb -s SERIAL shell dumpsys usagestats PKG", "usage events of PKG: when its activities were shown (ACTIVITY_RESUMED) and foreground services started, in the device's local time", "Evidence"},
	{"screencap", "adb -s SERIAL exec-out screencap -p", "a PNG screenshot of the screen", "Screenshot"},
	{"uiautomator-dump", "adb -s SERIAL shell uiautomator dump /data/local/tmp/appinspect_window_dump.xml", "the on-screen UI hierarchy (texts of the consent dialog) written to a file on the device", "UIDump"},
	{"cat-uidump", "adb -s SERIAL exec-out cat /data/local/tmp/appinspect_window_dump.xml", "reads that XML", "UIDump"},
	{"rm-uidump", "adb -s SERIAL shell rm -f /data/local/tmp/appinspect_window_dump.xml", "removes it from the device", "UIDump"},
	{"screenrecord", "adb -s SERIAL shell screenrecord --time-limit N /data/local/tmp/appinspect_screenrecord.mp4", "an MP4 screen recording of N seconds", "Record"},
	{"cat-record", "adb -s SERIAL exec-out cat /data/local/tmp/appinspect_screenrecord.mp4", "reads the recording", "Record"},
	{"rm-record", "adb -s SERIAL shell rm -f /data/local/tmp/appinspect_screenrecord.mp4", "removes it from the device", "Record"},
	{"logcat", "adb -s SERIAL shell logcat -d -v threadtime [-T EPOCH]", "the log buffer since a moment (device Unix time); lines of the app's PIDs or naming the package are kept", "Logcat"},
	{"settings-get-proxy", "adb -s SERIAL shell settings get global http_proxy", "the device's global HTTP proxy before a session (\"null\" when unset), to put it back afterwards", "SetSessionProxy, RecoverProxies"},
	{"reverse", "adb -s SERIAL reverse tcp:N tcp:N", "makes the phone's 127.0.0.1:N reach the computer's 127.0.0.1:N over USB (N is a port here), where the recording proxy listens", "SetSessionProxy"},
	{"settings-put-proxy", "adb -s SERIAL shell settings put global http_proxy VALUE", "sets the global HTTP proxy: 127.0.0.1:N for the session, or the previous value back", "SetSessionProxy, Restore"},
	{"settings-delete-proxy", "adb -s SERIAL shell settings delete global http_proxy", "removes the session proxy when none was set before", "Restore"},
	{"reverse-remove", "adb -s SERIAL reverse --remove tcp:N", "removes the port forwarding after the session", "Restore"},
	{"settings-android-id", "adb -s SERIAL shell settings get secure android_id", "the device's Android ID, to recognise it in requests sent in clear", "RunSession"},
	{"force-stop", "adb -s SERIAL shell am force-stop PKG", "stops the app so the session starts from a cold start", "RunSession"},
	{"monkey-launch", "adb -s SERIAL shell monkey -p PKG -c android.intent.category.LAUNCHER 1", "starts the app through its launcher activity (one monkey event)", "RunSession"},
}

// MatchCommand returns the Command whose template matches the concrete
// command line (as in Evidence.Commands), or false.
func MatchCommand(line string) (Command, bool) {
	got := strings.Fields(line)
	for _, c := range Commands {
		if matchTemplate(strings.Fields(c.Line), got) {
			return c, true
		}
	}
	return Command{}, false
}

func matchTemplate(tpl, got []string) bool {
	if len(tpl) == 0 {
		return len(got) == 0
	}
	t := tpl[0]
	switch {
	case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]"): // optional single word
		return matchTemplate(tpl[1:], got) || len(got) > 0 && got[0] == t[1:len(t)-1] && matchTemplate(tpl[1:], got[1:])
	case strings.HasPrefix(t, "[") && len(tpl) > 1 && strings.HasSuffix(tpl[1], "]"): // optional "-T EPOCH"
		return matchTemplate(tpl[2:], got) || len(got) > 1 && got[0] == t[1:] && matchTemplate(tpl[2:], got[2:])
	case t == "PATH...":
		for i := 1; i <= len(got); i++ {
			if matchTemplate(tpl[1:], got[i:]) {
				return true
			}
		}
		return false
	case t == "tcp:N":
		return len(got) > 0 && strings.HasPrefix(got[0], "tcp:") && matchTemplate(tpl[1:], got[1:])
	case t == "SERIAL" || t == "PKG" || t == "PATH" || t == "N" || t == "EPOCH" || t == "LOCAL" || t == "VALUE":
		return len(got) > 0 && matchTemplate(tpl[1:], got[1:])
	}
	return len(got) > 0 && got[0] == t && matchTemplate(tpl[1:], got[1:])
}
