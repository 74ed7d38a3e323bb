package sdk

import (
	"testing"
)

// TestSDKResolver maps SDK names as policies write them to catalog ids.
func TestSDKResolver(t *testing.T) {
	c, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	r := NewResolver(c)
	for name, want := range map[string]string{
		"友盟统计 SDK":    "umeng-analytics", // the Chinese part of "友盟统计 U-App"
		"U-Share":     "umeng-share",     // the Latin part of "友盟分享 U-Share"
		"ShareSDK":    "sharesdk",
		"极光推送SDK":     "jpush",
		"高德地图/定位 SDK": "amap",
		"某某公司的高德地图定位": "amap", // contains the name
		"UShareX":     "",     // "share" inside a Latin word is not ShareSDK
		"示例":          "",
	} {
		got, ok := r.Resolve(name)
		if got != want || ok != (want != "") {
			t.Errorf("resolve(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
