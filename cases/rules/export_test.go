package rules

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// LintInput is one set of facts the explanation lint (readable_test.go)
// runs every rule on; Allow lists the Chinese an English explanation may
// quote (the policy text, the app type's Chinese name).
type LintInput struct {
	Name  string
	Facts *Facts
	Allow []string
}

// LintInputs returns rich Go-built facts (the golden hermetic facts, the
// same with SDKs whose ids are not their names, raw-id categories and
// catalog-named network owners) and, when ../shared is present, the
// fixture APKs and policies of the golden tests.
func LintInputs(t *testing.T) []LintInput {
	t.Helper()
	h := hermeticFacts()
	in := []LintInput{{Name: "hermetic", Facts: h, Allow: []string{hermeticText, h.AppType.NameZH}}}
	np := hermeticFacts()
	np.Policy, np.PolicyText, np.Device, np.AppType = nil, "", nil, nil
	in = append(in, LintInput{Name: "hermetic-nopolicy", Facts: np})

	// SDK ids that are not their names, categories that are raw ids
	// ("ads", "oaid"), network owners named only by the catalog.
	r := hermeticFacts()
	r.Scan.SDKs = append(r.Scan.SDKs,
		sdkOf("pangle", "Pangle (ByteDance CSJ ads)", "ads", "pm.getInstalledPackages", "clipboard.getPrimaryClip"),
		sdkOf("msa-oaid", "MSA OAID SDK", "oaid", "settings.android_id"),
	)
	r.Scan.SDKs[len(r.Scan.SDKs)-2].NameZH = "穿山甲广告（CSJ）"
	r.Scan.SDKs[len(r.Scan.SDKs)-1].NameZH = "移动安全联盟 OAID SDK（MSA）"
	r.Scan.SDKs[len(r.Scan.SDKs)-2].Collects = []pi.Category{pi.InstalledApps}
	r.Scan.APIs = append(r.Scan.APIs,
		apiUse("pm.getInstalledPackages", pi.InstalledApps, false, caller("com.bytedance.sdk.openadsdk.A", "b", "pangle")),
		apiUse("settings.android_id", pi.DeviceID, true, caller("com.bun.miitmdid.X", "y", "msa-oaid")),
		apiUse("reflect.getDeviceId", pi.DeviceID, true, caller("com.bytedance.sdk.openadsdk.R", "r", "pangle")),
	)
	r.Policy.SDKs = append(r.Policy.SDKs, policy.SDKMention{Name: "穿山甲", ID: "pangle", Start: 28, End: 35, Source: "text", Sentence: policy.Span{Start: 24, End: 44}})
	r.Network.Contacts = append(r.Network.Contacts,
		NetworkContact{Time: t0.Add(-4 * time.Minute), Host: "api-access.pangolin-sdk-toutiao.com", Port: 443, Owner: "pangle", SDK: true, URL: "api-access.pangolin-sdk-toutiao.com:443"},
		NetworkContact{Time: t0.Add(-90 * time.Second), Host: "ulogs.umeng.com", Port: 80, Owner: "umeng-common", SDK: true, PlainHTTP: true,
			URL: "http://ulogs.umeng.com/u?oaid=1", PI: []NetworkPI{{Kind: "oaid", Category: pi.DeviceID, Where: "url", Field: "oaid"}}},
	)
	in = append(in, LintInput{Name: "sdk-ids", Facts: r, Allow: []string{hermeticText, r.AppType.NameZH}})

	apks := filepath.Join(sharedDir(), "fixtures", "apks")
	pols := filepath.Join(sharedDir(), "fixtures", "policies", "real")
	if _, err := os.Stat(apks); err != nil {
		t.Logf("shared fixtures absent (%s): linting the Go-built facts only", apks)
		return in
	}
	lc := catalog(t)
	res := resolver(t)
	for _, tc := range []struct{ apk, policy, appType string }{
		{"androguard__a2dp.Vol_137.apk", "douban_privacy.md", "utilities"},
		{"androguard__weardrawers.apk", "coolapk_privacy.md", ""},
		{"androguard__com.teleca.jamendo_35.apk", "bilibili_privacy_2021-10-08.md", "video-music"},
	} {
		sc, err := inspect.Scan(context.Background(), filepath.Join(apks, tc.apk), inspect.Options{})
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, LintInput{Name: tc.apk, Facts: &Facts{Scan: sc}})
		doc, err := policy.Load(filepath.Join(pols, tc.policy))
		if err != nil {
			t.Logf("policy fixture %s: %v", tc.policy, err)
			continue
		}
		f := &Facts{Scan: sc, Policy: policy.Extract(doc, policy.Options{ResolveSDK: res}), PolicyText: doc.Text}
		allow := []string{doc.Text}
		if tc.appType != "" {
			at, ok := lc.AppType(tc.appType)
			if !ok {
				t.Fatalf("app type %s", tc.appType)
			}
			f.AppType = &at
			allow = append(allow, at.NameZH)
		}
		in = append(in, LintInput{Name: tc.apk + "+" + tc.policy, Facts: f, Allow: allow})
	}
	return in
}
