package rules

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// agree checks the one-judgement contract on an evaluation: a declared
// disclosure has spans (each inside the policy text and quoting it), an
// undeclared one has none, and no candidate that says "undeclared" or
// "undisclosed" concerns a declared disclosure (nor does
// permission.unexplained concern an undeclared permission).
func agree(t *testing.T, name string, f *Facts, ev Evaluation) {
	t.Helper()
	agreeSpans(t, name, f, ev)
	agreeCandidates(t, name, f, ev)
}

// agreeSpans checks the disclosures' own consistency and their spans.
func agreeSpans(t *testing.T, name string, f *Facts, ev Evaluation) {
	t.Helper()
	text := []rune(f.PolicyText)
	byKey := map[string]Disclosure{}
	for _, d := range ev.Disclosures {
		if _, dup := byKey[d.Key()]; dup {
			t.Errorf("%s: disclosure %s twice", name, d.Key())
		}
		byKey[d.Key()] = d
		if d.Declared != (len(d.Spans) > 0) {
			t.Errorf("%s: %s declared=%v with %d spans", name, d.Key(), d.Declared, len(d.Spans))
		}
		if d.Declared && d.Why == "" {
			t.Errorf("%s: %s declared without why", name, d.Key())
		}
		for _, s := range d.Spans {
			if s.Start < 0 || s.End <= s.Start {
				t.Errorf("%s: %s span %d-%d", name, d.Key(), s.Start, s.End)
				continue
			}
			if len(text) > 0 {
				if s.End > len(text) {
					t.Errorf("%s: %s span %d-%d beyond the text (%d runes)", name, d.Key(), s.Start, s.End, len(text))
				} else if string(text[s.Start:s.End]) != s.Text {
					t.Errorf("%s: %s span text %q, the policy has %q", name, d.Key(), s.Text, string(text[s.Start:s.End]))
				}
			}
		}
	}
}

// agreeCandidates checks that no candidate contradicts a disclosure.
func agreeCandidates(t *testing.T, name string, f *Facts, ev Evaluation) {
	t.Helper()
	if f.Policy == nil {
		return // without a policy the rules raise policy.missing instead
	}
	byKey := map[string]Disclosure{}
	for _, d := range ev.Disclosures {
		byKey[d.Key()] = d
	}
	apis := apiIndex(f.Scan)
	mustBe := func(key string, declared bool, c Candidate) {
		t.Helper()
		d, ok := byKey[key]
		if !ok {
			t.Errorf("%s: candidate %s (%v) has no disclosure %s", name, c.Rule, c.EvidenceKeys(), key)
			return
		}
		if d.Declared != declared {
			t.Errorf("%s: candidate %s (%v) disagrees with disclosure %s declared=%v spans=%v", name, c.Rule, c.EvidenceKeys(), key, d.Declared, d.Spans)
		}
	}
	for _, c := range ev.Candidates {
		for _, e := range c.Evidence {
			switch {
			case c.Rule == "permission.undeclared" && e.Kind == "permission":
				mustBe(DisclosePermission+":app:"+e.Ref, false, c)
			case c.Rule == "permission.unexplained" && e.Kind == "permission":
				mustBe(DisclosePermission+":app:"+e.Ref, true, c)
			case c.Rule == "sdk.undisclosed" && e.Kind == "sdk":
				mustBe(DiscloseSDK+":"+e.Ref+":"+e.Ref, false, c)
			case c.Rule == "sdk.data_understated" && e.Kind == "sdk":
				mustBe(DiscloseSDK+":"+e.Ref+":"+e.Ref, true, c)
			case c.Rule == "api.undeclared" && e.Kind == "api":
				owner := e.Owner
				if owner == "" {
					owner = inspect.OwnerApp
				}
				mustBe(DiscloseAPI+":"+owner+":"+string(apis[e.Ref].Category), false, c)
			}
		}
	}
}

func TestDisclosureAgreesHermetic(t *testing.T) {
	f := hermeticFacts()
	ev := Evaluate(f, Options{})
	if ev.RulesVersion != Version || len(ev.Disclosures) == 0 {
		t.Fatalf("evaluation: version %q, %d disclosures", ev.RulesVersion, len(ev.Disclosures))
	}
	agree(t, "hermetic", f, ev)
	f.Policy, f.PolicyText = nil, ""
	ev = Evaluate(f, Options{})
	for _, d := range ev.Disclosures {
		if d.Declared {
			t.Errorf("no policy: %s declared", d.Key())
		}
	}
	agree(t, "hermetic-nopolicy", f, ev)
}

// sentence builds a policy extraction over text: each phrase becomes a data
// word of its category with the given practice, its offsets found in text.
type word struct {
	text     string
	cat      pi.Category
	practice string
	negated  bool
}

func extractionOf(text string, words []word, groups ...policy.PermissionGroup) *policy.Extraction {
	ex := &policy.Extraction{Elements: allElements()}
	rs := []rune(text)
	for _, w := range words {
		i := strings.Index(text, w.text)
		s := len([]rune(text[:i]))
		ex.DataTypes = append(ex.DataTypes, policy.DataType{Category: w.cat, Kind: string(w.cat), Text: w.text, Start: s,
			End: s + len([]rune(w.text)), Practice: w.practice, Negated: w.negated, Sentence: policy.Span{Start: 0, End: len(rs)}})
	}
	for _, g := range groups {
		i := strings.Index(text, g.Text)
		g.Start = len([]rune(text[:i]))
		g.End = g.Start + len([]rune(g.Text))
		ex.PermissionGroups = append(ex.PermissionGroups, g)
	}
	return ex
}

func TestDisclosureJudgement(t *testing.T) {
	const text = "我们收集您的设备信息（电量、型号）。我们不会收集您的通讯录。我们申请位置权限用于导航。我们读取您的电话号码。"
	ex := extractionOf(text, []word{
		{"设备信息", pi.DeviceInfo, "collect", false},
		{"电量", pi.DeviceInfo, "collect", false},
		{"型号", pi.DeviceInfo, "collect", false},
		{"通讯录", pi.Contacts, "collect", true},
		{"电话号码", pi.PhoneNumber, "collect", false},
	},
		policy.PermissionGroup{Group: "LOCATION", Text: "位置权限", Via: "permission"},
		policy.PermissionGroup{Group: "PHONE", Text: "电话号码", Via: "data", Category: pi.PhoneNumber},
		// a device-information word the extractor also read as naming the PHONE permission
		policy.PermissionGroup{Group: "PHONE", Text: "型号", Via: "permission"},
	)
	r := newScan(
		"android.permission.ACCESS_FINE_LOCATION",       // LOCATION named as a permission: declared
		"android.permission.BLUETOOTH_SCAN",             // legacy group LOCATION, but nearby_devices: not declared by 位置权限
		"android.permission.READ_CONTACTS",              // negated: not declared
		"android.permission.READ_PHONE_STATE",           // phone_state, device_id: a phone-number word is not the PHONE group
		"android.permission.READ_PHONE_NUMBERS",         // phone_number declared
		"android.permission.ACCESS_NETWORK_STATE",       // normal, no disclosure
		"android.permission.READ_EXTERNAL_STORAGE",      // nothing declared
		"android.permission.ACCESS_BACKGROUND_LOCATION", // LOCATION named
	)
	r.SDKs = []inspect.SDK{sdkOf("jpush", "JPush", "push", "telephony.getDeviceId"), sdkOf("okhttp", "OkHttp", "network")}
	r.APIs = []inspect.APIUse{
		apiUse("telephony.getDeviceId", pi.DeviceID, false, caller("cn.jpush.A", "b", "jpush"), caller("com.example.app.M", "id", "app")),
		apiUse("build.getModel", pi.DeviceInfo, false, caller("com.example.app.M", "model", "app")),
		apiUse("wifi.getScanResults", pi.NetworkInfo, false, caller("com.squareup.okhttp.X", "y", "okhttp")),
	}
	f := &Facts{Scan: r, Policy: ex, PolicyText: text, Device: &DeviceFacts{Ops: []DeviceOp{{Op: "WIFI_SCAN", Time: t0}, {Op: "android:fine_location", Time: t0}, {Op: "WAKE_LOCK", Time: t0}}}}
	ev := Evaluate(f, Options{})
	agree(t, "judgement", f, ev)
	want := map[string]bool{
		"permission:app:android.permission.ACCESS_FINE_LOCATION":       true,
		"permission:app:android.permission.ACCESS_BACKGROUND_LOCATION": true,
		"permission:app:android.permission.BLUETOOTH_SCAN":             false,
		"permission:app:android.permission.READ_CONTACTS":              false,
		"permission:app:android.permission.READ_PHONE_STATE":           false,
		"permission:app:android.permission.READ_PHONE_NUMBERS":         true,
		"permission:app:android.permission.READ_EXTERNAL_STORAGE":      false,
		"sdk:jpush:jpush":          false,
		"api:app:device_id":        false, // 设备信息/电量 are not identifiers
		"api:jpush:device_id":      false,
		"api:app:device_info":      true,
		"api:okhttp:network_info":  false,
		"device:app:WIFI_SCAN":     false, // network_info, as wifi.getScanResults
		"device:app:FINE_LOCATION": true,  // the op exercises the permission 位置权限 names
	}
	got := map[string]Disclosure{}
	for _, d := range ev.Disclosures {
		got[d.Key()] = d
	}
	for k, decl := range want {
		d, ok := got[k]
		if !ok {
			t.Errorf("no disclosure %s; have %v", k, keys(got))
			continue
		}
		if d.Declared != decl {
			t.Errorf("%s declared=%v, want %v (why %q)", k, d.Declared, decl, d.Why)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d disclosures, want %d: %v", len(got), len(want), keys(got))
	}
	if d := got["permission:app:android.permission.ACCESS_FINE_LOCATION"]; len(d.Spans) != 1 || d.Spans[0].Text != "位置权限" || d.Why != "「位置权限」" {
		t.Errorf("fine location spans %v why %q", d.Spans, d.Why)
	}
	if d := got["device:app:WIFI_SCAN"]; !slices.Equal(d.Categories, []pi.Category{pi.NetworkInfo}) {
		t.Errorf("WIFI_SCAN categories %v", d.Categories)
	}
	// the rules raise exactly the undeclared ones
	var undeclaredPerms []string
	for _, c := range ev.Candidates {
		if c.Rule == "permission.undeclared" {
			undeclaredPerms = append(undeclaredPerms, c.Evidence[0].Ref)
		}
	}
	slices.Sort(undeclaredPerms)
	wantPerms := []string{"android.permission.BLUETOOTH_SCAN", "android.permission.READ_CONTACTS", "android.permission.READ_EXTERNAL_STORAGE", "android.permission.READ_PHONE_STATE"}
	if !slices.Equal(undeclaredPerms, wantPerms) {
		t.Errorf("permission.undeclared for %v, want %v", undeclaredPerms, wantPerms)
	}
}

func keys(m map[string]Disclosure) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestDisclosureAgreesFixtures runs every readable fixture APK against every
// real policy fixture and checks the contract on each pair.
func TestDisclosureAgreesFixtures(t *testing.T) {
	apks := filepath.Join(sharedDir(), "fixtures", "apks")
	pols := filepath.Join(sharedDir(), "fixtures", "policies", "real")
	apkFiles, _ := filepath.Glob(filepath.Join(apks, "*.apk"))
	polFiles, _ := filepath.Glob(filepath.Join(pols, "*"))
	if len(apkFiles) == 0 || len(polFiles) == 0 {
		t.Skipf("shared fixtures absent (%s, %s)", apks, pols)
	}
	res := resolver(t)
	var exs []*Facts
	var names []string
	for _, p := range polFiles {
		doc, err := policy.Load(p)
		if err != nil {
			continue
		}
		exs = append(exs, &Facts{Policy: policy.Extract(doc, policy.Options{ResolveSDK: res}), PolicyText: doc.Text})
		names = append(names, filepath.Base(p))
	}
	pairs, declared := 0, 0
	for _, a := range apkFiles {
		r, err := inspect.Scan(context.Background(), a, inspect.Options{})
		if err != nil || len(r.Permissions)+len(r.SDKs)+len(r.APIs) == 0 {
			continue
		}
		for i, pf := range exs {
			f := &Facts{Scan: r, Policy: pf.Policy, PolicyText: pf.PolicyText}
			ev := Evaluate(f, Options{})
			agree(t, filepath.Base(a)+"+"+names[i], f, ev)
			pairs++
			for _, d := range ev.Disclosures {
				if d.Declared {
					declared++
				}
			}
		}
	}
	if pairs == 0 || declared == 0 {
		t.Fatalf("%d pairs checked, %d declared disclosures: the test checked nothing", pairs, declared)
	}
	t.Logf("%d APK×policy pairs, %d declared disclosures checked", pairs, declared)
}
