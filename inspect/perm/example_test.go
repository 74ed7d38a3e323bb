package perm_test

import (
	"fmt"

	"github.com/appinspect/appinspect/inspect/perm"
)

func ExampleDescribe() {
	for _, name := range []string{
		"android.permission.READ_PHONE_STATE",
		"com.huawei.android.launcher.permission.CHANGE_BADGE",
		"com.example.app.permission.C2D_MESSAGE",
	} {
		p := perm.Describe(name)
		fmt.Printf("%s dangerous=%v legacy=%q %v vendor=%q\n", p.Protection, p.Dangerous, p.LegacyGroup, p.Categories, p.Vendor)
	}
	// Output:
	// dangerous dangerous=true legacy="PHONE" [phone_state device_id] vendor=""
	// vendor dangerous=false legacy="" [] vendor="Huawei"
	// custom dangerous=false legacy="" [] vendor=""
}
