package synth

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect"
)

func TestDemoRoundTrip(t *testing.T) {
	apkBytes, policy, err := BuildDemo()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(policy, []byte("本政策为 AppInspect 演示用虚构文本")) {
		t.Errorf("policy does not start with the fictitious-text notice: %.60q", policy)
	}
	for _, absent := range []string{"高德", "穿山甲", "通讯录", "应用列表", "保存期限", "境外"} {
		if strings.Contains(string(policy), absent) {
			t.Errorf("policy mentions %q, which the demo leaves out on purpose", absent)
		}
	}
	r := scanBytes(t, apkBytes, inspect.Options{})
	if r.Package != "com.example.demoweather" || r.Label != "Demo Weather" || r.LabelZH != "示例天气" || r.TargetSDK != 30 {
		t.Errorf("identity = %q %q %q %d", r.Package, r.Label, r.LabelZH, r.TargetSDK)
	}
	if r.Application.UsesCleartextTraffic == nil || !*r.Application.UsesCleartextTraffic {
		t.Error("usesCleartextTraffic not set")
	}
	var ids []string
	for _, s := range r.SDKs {
		ids = append(ids, s.ID)
	}
	for _, want := range []string{"jpush", "umeng-common", "umeng-analytics", "amap", "pangle", "msa-oaid"} {
		s := findSDK(r, want)
		if s == nil {
			t.Errorf("SDK %s not detected (got %v)", want, ids)
			continue
		}
		if !s.Used {
			t.Errorf("SDK %s not marked used", want)
		}
	}
	if len(ids) != 6 {
		t.Errorf("SDKs = %v, want exactly the six integrated", ids)
	}
	apis := map[string][]string{
		"telephony.getDeviceId":         {"jpush"},
		"pm.getInstalledPackages":       {"jpush", "pangle"},
		"location.getLastKnownLocation": {"amap"},
		"settings.android_id":           {"umeng-common"},
		"clipboard.getPrimaryClip":      {"pangle"},
	}
	for id, owners := range apis {
		u := findAPI(r, id)
		if u == nil || !slices.Equal(u.Owners, owners) || u.Weak {
			t.Errorf("API %s = %+v, want owners %v", id, u, owners)
		}
	}
	exported := false
	for _, c := range r.Components {
		if c.Name == "cn.jpush.android.service.PushService" && c.Kind == "service" && c.Exported && c.Permission == "" {
			exported = true
		}
	}
	if !exported {
		t.Error("no exported service without permission")
	}
	if len(r.PolicyDocs) != 1 || r.PolicyDocs[0].Path != DemoPolicyAsset || r.PolicyDocs[0].Kind != "privacy" {
		t.Errorf("policy docs = %+v", r.PolicyDocs)
	}
	for _, p := range []string{"android.permission.READ_CONTACTS", "android.permission.QUERY_ALL_PACKAGES", "android.permission.RECEIVE_BOOT_COMPLETED"} {
		if !slices.ContainsFunc(r.Permissions, func(x inspect.Permission) bool { return x.Name == p }) {
			t.Errorf("permission %s missing", p)
		}
	}
}

func TestDemoDeterministic(t *testing.T) {
	a, _, err := BuildDemo()
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := BuildDemo()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("BuildDemo is not deterministic")
	}
}
