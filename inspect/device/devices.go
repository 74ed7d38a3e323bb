package device

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Device is one device as adb sees it, with identity read from getprop when
// the device is online.
type Device struct {
	Serial         string `json:"serial"`
	State          string `json:"state"` // device, unauthorized, offline, no permissions, recovery, sideload, bootloader, authorizing, connecting, host, unknown
	Model          string `json:"model,omitempty"`
	Brand          string `json:"brand,omitempty"`
	Manufacturer   string `json:"manufacturer,omitempty"`
	Product        string `json:"product,omitempty"`
	AndroidVersion string `json:"android_version,omitempty"`
	SDK            int    `json:"sdk,omitempty"`
	TimeZone       string `json:"time_zone,omitempty"` // persist.sys.timezone, "" when unset
	// Transport is adb's transport id or USB port, for telling identical
	// phones apart.
	Transport string `json:"transport,omitempty"`
	// Fix tells the inspector how to make a device that is not ready usable,
	// in Chinese and English; empty for a ready device.
	Fix string `json:"fix,omitempty"`
	// Note records a non-fatal problem while reading the device's identity.
	Note string `json:"note,omitempty"`
}

// Ready reports whether the device accepts commands.
func (d Device) Ready() bool { return d.State == "device" }

// Fixes for device states, zh then en.
var stateFixes = map[string]string{
	"unauthorized": "手机尚未授权本电脑调试：请解锁手机，在弹出的“允许 USB 调试吗？”对话框中点“允许”（可勾选“始终允许使用这台计算机进行调试”）；如果没有弹框，请在“开发者选项”中点“撤销 USB 调试授权”，然后重新插拔数据线。 / " +
		"This computer is not authorized: unlock the phone and accept the \"Allow USB debugging?\" prompt (tick \"Always allow from this computer\"); if no prompt appears, tap \"Revoke USB debugging authorizations\" in Developer options and reconnect the cable.",
	"offline": "设备处于离线状态：请重新插拔数据线（换用原装数据线或其他 USB 口），确认手机已解锁且“USB 调试”已开启；仍不行时在电脑上执行 adb kill-server 后重试，或重启手机。 / " +
		"The device is offline: reconnect the cable (try another cable or port), make sure the phone is unlocked and USB debugging is on; if it persists run `adb kill-server` and retry, or reboot the phone.",
	"no permissions": "电脑没有访问该 USB 设备的权限（常见于 Linux）：请为手机厂商添加 udev 规则并把当前用户加入 plugdev 组，或将 USB 模式改为“文件传输”后重新插拔。 / " +
		"The computer lacks permission to open the USB device (usually Linux): add a udev rule for the vendor and put your user in the plugdev group, or switch the phone's USB mode to \"File transfer\" and reconnect.",
	"authorizing": "正在等待手机授权：请解锁手机并在对话框中点“允许”，稍后重试。 / Waiting for authorization: unlock the phone, accept the prompt and retry in a moment.",
	"connecting":  "正在连接：请稍候几秒再试；若持续出现请重新插拔数据线。 / Still connecting: wait a few seconds and retry; reconnect the cable if it persists.",
	"recovery":    "手机处于 Recovery 模式：请重启进入 Android 系统后再取证。 / The phone is in recovery mode: reboot into Android first.",
	"sideload":    "手机处于 sideload 模式：请重启进入 Android 系统后再取证。 / The phone is in sideload mode: reboot into Android first.",
	"bootloader":  "手机处于 bootloader/fastboot 模式：请重启进入 Android 系统后再取证。 / The phone is in bootloader mode: reboot into Android first.",
	"rescue":      "手机处于 rescue 模式：请重启进入 Android 系统后再取证。 / The phone is in rescue mode: reboot into Android first.",
	"host":        "这是 adb 主机连接而非手机。 / This is an adb host connection, not a phone.",
	"unknown":     "adb 无法识别设备状态：请重新插拔数据线并确认已开启 USB 调试。 / adb reports an unknown state: reconnect the cable and make sure USB debugging is on.",
}

// FixFor returns the human fix for a device state, or "" when the state
// needs none.
func FixFor(state string) string {
	if state == "device" {
		return ""
	}
	if f, ok := stateFixes[state]; ok {
		return f
	}
	return stateFixes["unknown"]
}

var knownStates = []string{"no permissions", "unauthorized", "offline", "device", "recovery", "sideload", "bootloader", "rescue", "authorizing", "connecting", "host", "unknown"}

// ParseDevices parses the output of `adb devices -l` (or `adb devices`).
// Daemon start-up chatter and the header are skipped. Devices come back in
// adb's order. The model and product that adb prints (with underscores for
// spaces) are used until getprop fills in the real values.
func ParseDevices(out []byte) ([]Device, error) {
	var devs []Device
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "*") || strings.HasPrefix(t, "List of devices") || strings.HasPrefix(t, "adb server") {
			continue
		}
		i := strings.IndexAny(t, " \t")
		if i < 0 {
			return nil, fmt.Errorf("device: parse devices: line %q: %w", t, ErrBadOutput)
		}
		d := Device{Serial: t[:i]}
		rest := strings.TrimSpace(t[i:])
		for _, st := range knownStates {
			if rest == st || strings.HasPrefix(rest, st+" ") || strings.HasPrefix(rest, st+"\t") || (st == "no permissions" && strings.HasPrefix(rest, st)) {
				d.State = st
				rest = strings.TrimSpace(rest[len(st):])
				break
			}
		}
		if d.State == "" {
			f := strings.Fields(rest)
			d.State = f[0]
			rest = strings.TrimSpace(rest[len(f[0]):])
		}
		for _, tok := range strings.Fields(rest) {
			k, v, ok := strings.Cut(tok, ":")
			if !ok || k == "" || strings.ContainsAny(k, "()[];") {
				continue
			}
			switch k {
			case "model":
				d.Model = strings.ReplaceAll(v, "_", " ")
			case "product":
				d.Product = v
			case "transport_id":
				d.Transport = v
			case "usb":
				if d.Transport == "" {
					d.Transport = "usb:" + v
				}
			}
		}
		d.Fix = FixFor(d.State)
		devs = append(devs, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("device: parse devices: %w", err)
	}
	return devs, nil
}

// ParseGetprop parses `adb shell getprop` output ("[key]: [value]" lines,
// values may span lines). Later duplicates win, as on the device.
func ParseGetprop(out []byte) map[string]string {
	props := map[string]string{}
	var key string
	var val strings.Builder
	open := false
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimRight(line, "\r")
		if open {
			val.WriteString("\n")
			if strings.HasSuffix(line, "]") {
				val.WriteString(line[:len(line)-1])
				props[key] = val.String()
				open = false
			} else {
				val.WriteString(line)
			}
			continue
		}
		if !strings.HasPrefix(line, "[") {
			continue
		}
		k, v, ok := strings.Cut(line[1:], "]: [")
		if !ok || k == "" {
			continue
		}
		key = k
		val.Reset()
		if strings.HasSuffix(v, "]") {
			props[key] = v[:len(v)-1]
		} else {
			val.WriteString(v)
			open = true
		}
	}
	return props
}

// applyProps fills identity fields from getprop.
func (d *Device) applyProps(p map[string]string) {
	set := func(dst *string, keys ...string) {
		for _, k := range keys {
			if v := strings.TrimSpace(p[k]); v != "" {
				*dst = v
				return
			}
		}
	}
	set(&d.Model, "ro.product.model", "ro.product.system.model", "ro.product.vendor.model")
	set(&d.Brand, "ro.product.brand", "ro.product.system.brand", "ro.product.vendor.brand")
	set(&d.Manufacturer, "ro.product.manufacturer", "ro.product.system.manufacturer", "ro.product.vendor.manufacturer")
	set(&d.Product, "ro.product.name", "ro.product.system.name")
	set(&d.AndroidVersion, "ro.build.version.release_or_codename", "ro.build.version.release")
	set(&d.TimeZone, "persist.sys.timezone")
	if n, err := strconv.Atoi(strings.TrimSpace(p["ro.build.version.sdk"])); err == nil {
		d.SDK = n
	}
}

// Devices lists every device adb knows (`adb devices -l`) and reads the
// identity of each online one with `adb -s SERIAL shell getprop`. A device
// whose getprop fails is still listed, with Note set. Several devices are
// fine; the order is adb's.
func (a *ADB) Devices(ctx context.Context) ([]Device, error) {
	out, err := a.run(ctx, call{args: []string{"devices", "-l"}})
	if err != nil {
		return nil, fmt.Errorf("device: list devices: %w", err)
	}
	devs, err := ParseDevices(out)
	if err != nil {
		return nil, err
	}
	for i := range devs {
		if !devs[i].Ready() || !ValidSerial(devs[i].Serial) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("device: list devices: %w", err)
		}
		props, err := a.shell(ctx, nil, devs[i].Serial, "getprop")
		if err != nil {
			if errors.Is(err, ErrDeviceGone) {
				devs[i].State = "offline"
				devs[i].Fix = FixFor("offline")
			}
			devs[i].Note = err.Error()
			continue
		}
		devs[i].applyProps(ParseGetprop(props))
	}
	return devs, nil
}

// Pick returns the device to work with. With a serial, that device must be
// connected and ready. With "", exactly one device must be ready. Errors wrap
// ErrInvalidSerial, ErrUnknownSerial, ErrNotReady (the message carries the
// fix), ErrNoDevice or ErrSeveralDevices.
func (a *ADB) Pick(ctx context.Context, serial string) (Device, error) {
	if serial != "" && !ValidSerial(serial) {
		return Device{}, fmt.Errorf("device: pick %q: %w", serial, ErrInvalidSerial)
	}
	return a.pick(ctx, nil, serial)
}

// pick runs `adb devices -l`, chooses the device and reads its getprop
// (recording both into rec). Other devices' getprop is only read to name
// them when several are ready and no serial was given.
func (a *ADB) pick(ctx context.Context, rec *recorder, serial string) (Device, error) {
	out, err := a.run(ctx, call{args: []string{"devices", "-l"}, rec: rec})
	if err != nil {
		return Device{}, fmt.Errorf("device: list devices: %w", err)
	}
	devs, err := ParseDevices(out)
	if err != nil {
		return Device{}, err
	}
	d, err := pick(devs, serial)
	if errors.Is(err, ErrSeveralDevices) {
		for i := range devs {
			if devs[i].Ready() && ValidSerial(devs[i].Serial) {
				if p, err := a.shell(ctx, nil, devs[i].Serial, "getprop"); err == nil {
					devs[i].applyProps(ParseGetprop(p))
				}
			}
		}
		_, err = pick(devs, serial)
		return Device{}, err
	}
	if err != nil {
		return d, err
	}
	if !ValidSerial(d.Serial) {
		return d, fmt.Errorf("device: %q: %w", d.Serial, ErrInvalidSerial)
	}
	props, err := a.shell(ctx, rec, d.Serial, "getprop")
	if err != nil {
		return d, fmt.Errorf("device: read identity of %s: %w", d.Serial, err)
	}
	d.applyProps(ParseGetprop(props))
	return d, nil
}

func pick(devs []Device, serial string) (Device, error) {
	if serial != "" {
		for _, d := range devs {
			if d.Serial == serial {
				if !d.Ready() {
					return d, fmt.Errorf("device: %s is %s: %s: %w", d.Serial, d.State, d.Fix, ErrNotReady)
				}
				return d, nil
			}
		}
		var have []string
		for _, d := range devs {
			have = append(have, d.Serial)
		}
		sort.Strings(have)
		return Device{}, fmt.Errorf("device: %s (connected: %s): %w", serial, orNone(have), ErrUnknownSerial)
	}
	var ready, notReady []Device
	for _, d := range devs {
		if d.Ready() {
			ready = append(ready, d)
		} else {
			notReady = append(notReady, d)
		}
	}
	switch {
	case len(ready) == 1:
		return ready[0], nil
	case len(ready) > 1:
		var s []string
		for _, d := range ready {
			s = append(s, d.Serial+" ("+strings.TrimSpace(d.Brand+" "+d.Model)+")")
		}
		sort.Strings(s)
		return Device{}, fmt.Errorf("device: %s: %w", strings.Join(s, ", "), ErrSeveralDevices)
	case len(notReady) == 1:
		d := notReady[0]
		return d, fmt.Errorf("device: %s is %s: %s: %w", d.Serial, d.State, d.Fix, ErrNotReady)
	case len(notReady) > 1:
		var s []string
		for _, d := range notReady {
			s = append(s, d.Serial+" is "+d.State+": "+d.Fix)
		}
		return Device{}, fmt.Errorf("device: no ready device; %s: %w", strings.Join(s, "; "), ErrNotReady)
	}
	return Device{}, fmt.Errorf("device: connect a phone with USB debugging enabled (连接手机并开启 USB 调试): %w", ErrNoDevice)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
