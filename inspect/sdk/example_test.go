package sdk_test

import (
	"fmt"

	"github.com/appinspect/appinspect/inspect/sdk"
)

func ExampleLoad() {
	// The embedded catalog plus an inspector's own extension file.
	c, err := sdk.Load("testdata/extension_example.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := c.Matcher()
	ds := m.Detect(sdk.Input{
		Classes: []string{
			"cn.jpush.android.api.JPushInterface", "cn.jpush.android.service.PushService",
			"cn.jpush.android.service.PushReceiver", "cn.jpush.android.ui.PushActivity",
			"cn.jpush.android.helper.Logger", "com.example.app.MainActivity",
		},
		MetaDataKeys: []string{"JPUSH_APPKEY", "ACME_APPKEY"},
	})
	for _, d := range ds {
		fmt.Println(d.ID, d.NameZH, d.Confidence, d.Evidence[0].Kind, d.Evidence[0].Value, d.Evidence[0].Count)
	}
	fmt.Println(m.OwnerOf("cn.jpush.android.api.JPushInterface"), m.OwnerOf("com.example.app.MainActivity") == "")
	fmt.Println(m.EntryPoints("jpush")[0])
	// Output:
	// acme-analytics Acme 统计 medium meta_data ACME_APPKEY 1
	// jpush 极光推送 high class cn.jpush.android 5
	// jpush true
	// cn.jpush.android.api.JPushInterface.init
}
