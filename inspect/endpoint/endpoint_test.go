package endpoint

import (
	"testing"
)

func TestCollector(t *testing.T) {
	c := New()
	inputs := []string{
		"https://api.umeng.com/v1/log?x=1",
		"see http://www.example.com/a and https://log.jpush.cn/report.",
		"http://schemas.android.com/apk/res/android",
		"http://www.w3.org/2001/XMLSchema",
		"http://www.apache.org/licenses/LICENSE-2.0",
		"com.umeng.analytics",
		"cn.jpush.im",
		"config.json",
		"main.app",
		"sdk.e.qq.com",
		"tracker.example.cn:8443",
		"10.0.0.8",
		"114.114.114.114:53",
		"1.0.0.0",
		"2.12.9.2",
		"0.0.0.0",
		"https://m.bilibili.com/protocol/privacy.html",
		"http://${host}/api",
		"rtmp://203.0.113.7/live",
		"https://sdk.e.qq.com/api",
	}
	for _, s := range inputs {
		c.Add(s, "dex")
	}
	c.Add("https://sdk.e.qq.com/api", "resources")
	got := map[string]Endpoint{}
	for _, e := range c.Endpoints() {
		got[e.Value] = e
	}
	want := map[string]Kind{
		"https://api.umeng.com/v1/log?x=1":             URL,
		"https://log.jpush.cn/report":                  URL,
		"sdk.e.qq.com":                                 Host,
		"tracker.example.cn":                           Host,
		"10.0.0.8":                                     IP,
		"114.114.114.114:53":                           IP,
		"https://m.bilibili.com/protocol/privacy.html": URL,
		"rtmp://203.0.113.7/live":                      URL,
		"https://sdk.e.qq.com/api":                     URL,
	}
	for v, k := range want {
		e, ok := got[v]
		if !ok {
			t.Errorf("missing %q", v)
			continue
		}
		if e.Kind != k {
			t.Errorf("%q: kind %s, want %s", v, e.Kind, k)
		}
	}
	for v := range got {
		if _, ok := want[v]; !ok {
			t.Errorf("unexpected endpoint %q", v)
		}
	}
	if e := got["https://sdk.e.qq.com/api"]; e.Count != 2 || len(e.Sources) != 2 || e.Sources[0] != "dex" {
		t.Errorf("sdk.e.qq.com/api: %+v", e)
	}
	if !got["10.0.0.8"].Private || got["114.114.114.114:53"].Private {
		t.Error("private flag wrong")
	}
	if !got["https://m.bilibili.com/protocol/privacy.html"].Policy || got["https://api.umeng.com/v1/log?x=1"].Policy {
		t.Error("policy flag wrong")
	}
}

func FuzzAdd(f *testing.F) {
	for _, s := range []string{"https://a.b.cn/x", "a.b.com:80", "1.2.3.4", "http://[::1]:80/", "ftp://x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := New()
		c.Add(s, "dex")
		for _, e := range c.Endpoints() {
			if e.Value == "" || e.Count != 1 {
				t.Fatalf("bad endpoint %+v from %q", e, s)
			}
		}
	})
}

func BenchmarkAdd(b *testing.B) {
	strs := []string{"com.umeng.analytics.MobclickAgent", "onCreate", "https://api.umeng.com/v1/log", "Landroid/app/Activity;", "sdk.e.qq.com", "config.json", "hello world"}
	c := New()
	for b.Loop() {
		for _, s := range strs {
			c.Add(s, "dex")
		}
	}
}
