package device_test

import (
	"fmt"
	"time"

	"github.com/appinspect/appinspect/inspect/device"
)

// UIText turns a `uiautomator dump` into the dialog's text in reading order.
func ExampleUIText() {
	dump := []byte(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<hierarchy rotation="0">
 <node text="" bounds="[0,0][1080,1920]">
  <node text="同意" bounds="[560,1500][1000,1600]"/>
  <node text="不同意" bounds="[80,1500][520,1600]"/>
  <node text="个人信息保护指引" bounds="[80,400][1000,480]"/>
  <node text="我们将收集设备信息用于安全风控。" bounds="[80,520][1000,700]"/>
 </node>
</hierarchy>`)
	txt, err := device.UIText(dump)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(txt)
	// Output:
	// 个人信息保护指引
	// 我们将收集设备信息用于安全风控。
	// 不同意
	// 同意
}

// BeforeConsent lists the operations an app used before the user agreed.
func ExampleBeforeConsent() {
	now := time.Date(2023, 6, 1, 10, 20, 0, 0, time.UTC)
	appops := []byte("READ_PHONE_STATE: allow; time=+15m ago\nCOARSE_LOCATION: allow; time=+2m ago\nREAD_CONTACTS: ignore; rejectTime=+18m ago\n")
	ev := &device.Evidence{Package: "com.example", DeviceTime: now,
		AppOps: device.ParseAppOps(appops, "com.example", now, time.UTC)}
	consent := time.Date(2023, 6, 1, 10, 10, 0, 0, time.UTC)
	for _, e := range device.BeforeConsent(ev, consent) {
		fmt.Println(e.Time.Format("15:04"), e.Kind, e.Op)
	}
	// Output:
	// 10:02 op_reject READ_CONTACTS
	// 10:05 op_access READ_PHONE_STATE
}
