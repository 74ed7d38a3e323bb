package api_test

import (
	"fmt"

	"github.com/appinspect/appinspect/inspect/api"
)

func ExampleMatcher() {
	m := api.Index()
	if a, ok := m.MatchInvoke("android.telephony.TelephonyManager", "getDeviceId", ""); ok {
		fmt.Println(a.ID, a.Category, a.Permission)
	}
	for _, a := range m.MatchString("content://sms/inbox") {
		fmt.Println(a.ID, a.Kind, a.Category)
	}
	// Output:
	// telephony.getDeviceId device_id android.permission.READ_PHONE_STATE
	// uri.sms content_uri sms
}
