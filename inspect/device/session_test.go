package device

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/inspect/netcap"
)

// proxyWorld scripts a device S1 whose http_proxy lives in the fake's
// state file "http_proxy" (absent = unset).
func proxyWorld(f *fake, previous string) {
	f.rule("-", "devices -l", "text:List of devices attached\\nS1\\tdevice usb:1-1 model:Pixel_7 transport_id:1\\n\\n")
	f.rule("S1", "shell getprop", "text:[ro.product.model]: [Pixel 7]\\n[ro.build.version.release]: [14]\\n[ro.build.version.sdk]: [34]\\n[persist.sys.timezone]: [UTC]\\n")
	f.rule("S1", "shell settings get global http_proxy", "load:http_proxy")
	f.rule("S1", "shell settings put global http_proxy *", "store:http_proxy")
	f.rule("S1", "shell settings delete global http_proxy", "unstore:http_proxy")
	f.rule("S1", "reverse *", "text:")
	if previous != "" {
		if err := os.WriteFile(filepath.Join(f.dir, "http_proxy"), []byte(previous), 0o644); err != nil {
			f.t.Fatal(err)
		}
	}
}

// deviceProxy reads the fake device's current setting ("null" when unset).
func (f *fake) deviceProxy() string {
	b, err := os.ReadFile(filepath.Join(f.dir, "http_proxy"))
	if err != nil {
		return "null"
	}
	return string(b)
}

func TestSessionProxyRestores(t *testing.T) {
	for _, prev := range []string{"", "10.0.0.8:3128", ":0"} {
		t.Run("prev="+prev, func(t *testing.T) {
			f := newFake(t)
			proxyWorld(f, prev)
			want := f.deviceProxy()
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(t.Context())
			g, err := f.adb.SetSessionProxy(ctx, "S1", 18080, dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.deviceProxy(); got != "127.0.0.1:18080" {
				t.Fatalf("during the session http_proxy = %q", got)
			}
			if _, err := os.Stat(markerPath(dir, "S1")); err != nil {
				t.Fatalf("no marker during the session: %v", err)
			}
			cancel() // Ctrl-C: restoring must still work
			if err := g.Restore(ctx); err != nil {
				t.Fatal(err)
			}
			if got := f.deviceProxy(); got != want {
				t.Errorf("after restore http_proxy = %q, want %q", got, want)
			}
			if _, err := os.Stat(markerPath(dir, "S1")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("marker left after restore: %v", err)
			}
			calls := strings.Join(f.calls(), "\n")
			if want == "null" && !strings.Contains(calls, "settings put global http_proxy :0\nS1\tshell settings delete global http_proxy") {
				t.Errorf("an unset proxy is restored by :0 then delete:\n%s", calls)
			}
			if !strings.Contains(calls, "reverse tcp:18080 tcp:18080") || !strings.Contains(calls, "reverse --remove tcp:18080") {
				t.Errorf("adb reverse not set up and removed:\n%s", calls)
			}
		})
	}
}

func TestSessionProxyRecoversAfterCrash(t *testing.T) {
	f := newFake(t)
	proxyWorld(f, "10.0.0.8:3128")
	dir := t.TempDir()
	if _, err := f.adb.SetSessionProxy(t.Context(), "S1", 18081, dir); err != nil {
		t.Fatal(err)
	}
	// The process dies here: no Restore. The next start finds the marker.
	rec, err := New(f.adb.Path).withEnv(f.adb.Env).RecoverProxies(t.Context(), dir, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rec) != 1 || !rec[0].Restored || rec[0].Marker.Previous != "10.0.0.8:3128" {
		t.Fatalf("recovered = %+v", rec)
	}
	if got := f.deviceProxy(); got != "10.0.0.8:3128" {
		t.Errorf("http_proxy = %q after recovery", got)
	}
	if rec, _ := f.adb.RecoverProxies(t.Context(), dir, ""); len(rec) != 0 {
		t.Errorf("a second recovery found %+v", rec)
	}
}

func (a *ADB) withEnv(env []string) *ADB { a.Env = env; return a }

func TestSessionProxyDeviceGoneKeepsMarker(t *testing.T) {
	f := newFake(t)
	proxyWorld(f, "")
	dir := t.TempDir()
	g, err := f.adb.SetSessionProxy(t.Context(), "S1", 18082, dir)
	if err != nil {
		t.Fatal(err)
	}
	f.adb.Env = append(f.adb.Env, "FAKEADB_GONE_AFTER=1")
	if err := g.Restore(t.Context()); !errors.Is(err, ErrDeviceGone) || !strings.Contains(err.Error(), "next session") {
		t.Fatalf("restore with the device gone: %v", err)
	}
	if _, err := os.Stat(markerPath(dir, "S1")); err != nil {
		t.Fatalf("marker must stay for the next start: %v", err)
	}
}

func TestSessionProxyRefusesOddValue(t *testing.T) {
	f := newFake(t)
	proxyWorld(f, "a;reboot")
	if _, err := f.adb.SetSessionProxy(t.Context(), "S1", 18083, t.TempDir()); !errors.Is(err, ErrProxyValue) {
		t.Fatalf("err = %v", err)
	}
	if f.deviceProxy() != "a;reboot" {
		t.Error("setting changed")
	}
}

// sessionWorld adds the app's commands: android_id, start, evidence at the
// end with one AppOps access a second after the device clock read, and a
// logcat line.
func sessionWorld(f *fake, pkg string, dev0 time.Time) {
	f.rule("S1", "shell date +%s%z", "text:"+strconv.FormatInt(dev0.Unix(), 10)+"+0000\\n")
	f.rule("S1", "shell settings get secure android_id", "text:9774d56d682e549c\\n")
	f.rule("S1", "shell am force-stop "+pkg, "text:")
	f.rule("S1", "shell monkey -p "+pkg+" -c android.intent.category.LAUNCHER 1", "text:Events injected: 1\\n")
	f.rule("S1", "shell dumpsys package "+pkg, "text:Packages:\\n  Package ["+pkg+"] (abc):\\n    versionName=1.0\\n")
	f.rule("S1", "shell appops get "+pkg, "text:No operations.\\n")
	acc := dev0.Add(time.Second).UTC()
	appops := fmt.Sprintf("Current AppOps Service state:\\n  Uid u0a245:\\n    state=top\\n    Package %s:\\n      READ_PHONE_STATE (allow):\\n        null=[\\n          Access: [top-s] %s (-1s ago)\\n        ]\\n",
		pkg, acc.Format("2006-01-02 15:04:05.000"))
	f.rule("S1", "shell dumpsys appops --package "+pkg, "text:"+appops)
	ps := "USER PID PPID VSZ RSS WCHAN ADDR S NAME\\nroot 1 0 1 1 0 0 S init\\nu0_a245 5093 1 1 1 0 0 S " + pkg + "\\n"
	f.rule("S1", "shell ps -A -o PID,USER,ETIME,NAME", "text:  PID USER ETIME NAME\\n    1 root 10:00 init\\n 5093 u0_a245 00:02 "+pkg+"\\n")
	f.rule("S1", "shell ps -A", "text:"+ps)
	f.rule("S1", "shell dumpsys activity services "+pkg, "text:")
	f.rule("S1", "shell dumpsys jobscheduler "+pkg, "text:")
	f.rule("S1", "shell dumpsys deviceidle whitelist", "text:")
	f.rule("S1", "shell dumpsys usagestats "+pkg, "text:")
	f.rule("S1", "shell logcat *", "text:"+acc.Format("01-02 15:04:05.000")+"  5093  5093 W UmengSDK: sending device id\\n")
}

// TestScriptedSession is the target: a scripted session on a fake
// device with contacts before and after a consent mark yields each contact
// with its SDK and its place relative to consent, flags an IMEI sent in
// clear, and leaves the device's proxy setting as it found it.
func TestScriptedSession(t *testing.T) {
	const pkg = "com.example.shop"
	f := newFake(t)
	proxyWorld(f, "10.0.0.8:3128")
	dev0 := time.Now().Add(-3 * time.Second).Truncate(time.Second) // device clock 3 s behind
	sessionWorld(f, pkg, dev0)

	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer secure.Close()

	// The phone: DNS names are the test's (SNI and Host headers), the
	// addresses loopback.
	consent := make(chan time.Time, 1)
	phoneDone := make(chan error, 1)
	phone := func(proxyAddr string) {
		go func() {
			phoneDone <- func() error {
				pu, _ := url.Parse("http://" + proxyAddr)
				tr := &http.Transport{Proxy: http.ProxyURL(pu), TLSClientConfig: &tls.Config{InsecureSkipVerify: true, ServerName: "log.umeng.com"}}
				c := &http.Client{Transport: tr, Timeout: 5 * time.Second}
				get := func(u string) error {
					resp, err := c.Get(u)
					if err != nil {
						return err
					}
					io.Copy(io.Discard, resp.Body)
					return resp.Body.Close()
				}
				// Before consent: Umeng over TLS, and the app's own host in clear with an IMEI.
				if err := get(secure.URL + "/init"); err != nil {
					return err
				}
				req, _ := http.NewRequest("GET", plain.URL+"/report?imei=490154203237518&v=1", nil)
				req.Host = "api.shop.example"
				resp, err := c.Do(req)
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("forwarded request: %s", resp.Status)
				}
				consent <- time.Now()
				time.Sleep(50 * time.Millisecond)
				// After consent: the app's host again, no PI.
				req, _ = http.NewRequest("GET", plain.URL+"/home", nil)
				req.Host = "api.shop.example"
				resp, err = c.Do(req)
				if err != nil {
					return err
				}
				return resp.Body.Close()
			}()
		}()
	}
	owner := func(h string) (string, bool) {
		switch {
		case strings.HasSuffix(h, "umeng.com"):
			return "umeng", true
		case h == "api.shop.example":
			return "app", false
		}
		return "", false
	}
	dialog := `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0"><node text="" bounds="[0,0][1080,2400]" package="` + pkg + `">` +
		`<node text="个人信息保护指引" bounds="[100,600][980,700]" package="` + pkg + `"/>` +
		`<node text="请您阅读《隐私政策》了解我们如何收集和使用您的个人信息。" bounds="[100,720][980,900]" package="` + pkg + `"/>` +
		`<node text="不同意" bounds="[100,1000][500,1100]" package="` + pkg + `"/><node text="同意" bounds="[580,1000][980,1100]" package="` + pkg + `"/></node></hierarchy>`
	if err := os.WriteFile(filepath.Join(f.dir, "dialog.xml"), []byte(dialog), 0o644); err != nil {
		t.Fatal(err)
	}
	f.rule("S1", "shell uiautomator dump /data/local/tmp/appinspect_window_dump.xml", "text:UI hierchary dumped to: /data/local/tmp/appinspect_window_dump.xml\n")
	f.rule("S1", "exec-out cat /data/local/tmp/appinspect_window_dump.xml", "file:dialog.xml")
	f.rule("S1", "shell rm -f /data/local/tmp/appinspect_window_dump.xml", "text:")
	dir := t.TempDir()
	s, err := f.adb.RunSession(t.Context(), SessionOptions{Serial: "S1", Package: pkg, Dir: dir, Duration: 1500 * time.Millisecond,
		Consent: consent, Owner: owner, Ready: phone, DialogPoll: 100 * time.Millisecond,
		// Hermetic: names the phone uses (api.shop.example) are dialled on loopback.
		Proxy: netcap.Config{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if strings.HasPrefix(addr, "api.shop.example:") {
				addr = plain.Listener.Addr().String()
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-phoneDone; err != nil {
		t.Fatalf("phone traffic: %v", err)
	}
	if got := f.deviceProxy(); got != "10.0.0.8:3128" || !s.Proxy.Restored || s.Proxy.Previous != "10.0.0.8:3128" {
		t.Errorf("proxy after the session = %q (restored %v, previous %q)", got, s.Proxy.Restored, s.Proxy.Previous)
	}
	if s.Clock != ClockDevice || s.OffsetMS > -2000 || s.OffsetMS < -4000 {
		t.Errorf("clock %s offset %d ms, want device and about -3000", s.Clock, s.OffsetMS)
	}
	if s.ConsentAt == nil {
		t.Fatal("no consent mark")
	}
	type row struct {
		sdk, owner string
		before     bool
		plain      bool
		pi         string
	}
	var got []row
	for _, c := range s.Contacts {
		var pis []string
		for _, h := range c.PI {
			pis = append(pis, h.Kind)
		}
		got = append(got, row{c.SDK, c.Owner, c.BeforeConsent, c.PlainHTTP, strings.Join(pis, ",")})
		if (c.Time.Before(*s.ConsentAt)) != c.BeforeConsent {
			t.Errorf("contact %s at %v vs consent %v: before_consent %v", c.URL, c.Time, s.ConsentAt, c.BeforeConsent)
		}
	}
	want := []row{{"umeng", "umeng", true, false, ""}, {"", "app", true, true, "imei"}, {"", "app", false, true, ""}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("contacts = %v, want %v", got, want)
	}
	if len(s.Contacts) == 3 && s.Contacts[0].SNI != "log.umeng.com" {
		t.Errorf("SNI = %q", s.Contacts[0].SNI)
	}
	kinds := map[string]int{}
	for i, e := range s.Timeline {
		kinds[e.Source+"/"+e.Kind]++
		if i > 0 && e.Time.Before(s.Timeline[i-1].Time) {
			t.Errorf("timeline not sorted at %d", i)
		}
	}
	for _, e := range s.Timeline {
		if e.Kind == KindConsentDialog && (!e.Time.Before(*s.ConsentAt) || !strings.Contains(e.Detail, "隐私政策")) {
			t.Errorf("consent dialog event %+v (consent at %v)", e, s.ConsentAt)
		}
	}
	for _, k := range []string{"adb/app_start", "inspector/consent", "proxy/network_contact", "appops/op_access", "logcat/log", "uiautomator/consent_dialog"} {
		if kinds[k] == 0 {
			t.Errorf("timeline lacks %s: %v", k, kinds)
		}
	}
	if kinds["proxy/network_contact"] != 3 {
		t.Errorf("%d contacts on the timeline", kinds["proxy/network_contact"])
	}
}

func TestSessionCancelledRestores(t *testing.T) {
	const pkg = "com.example.shop"
	f := newFake(t)
	proxyWorld(f, "")
	sessionWorld(f, pkg, time.Now().Truncate(time.Second))
	ctx, cancel := context.WithCancel(t.Context())
	dir := t.TempDir()
	s, err := f.adb.RunSession(ctx, SessionOptions{Serial: "S1", Package: pkg, Dir: dir, Duration: time.Minute, ConsentAfter: 10 * time.Second,
		Ready: func(string) { cancel() }})
	if !errors.Is(err, context.Canceled) || s == nil {
		t.Fatalf("session = %v, %v", s, err)
	}
	if f.deviceProxy() != "null" || !s.Proxy.Restored {
		t.Errorf("proxy after Ctrl-C = %q", f.deviceProxy())
	}
	if _, err := os.Stat(markerPath(dir, "S1")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("marker left: %v", err)
	}
}

func TestSessionClockUnreadable(t *testing.T) {
	const pkg = "com.example.shop"
	f := newFake(t)
	proxyWorld(f, "")
	f.rule("S1", "shell date +%s%z", "text:date: bad format\\n")
	sessionWorld(f, pkg, time.Now())
	s, err := f.adb.RunSession(t.Context(), SessionOptions{Serial: "S1", Package: pkg, Dir: t.TempDir(), Duration: 200 * time.Millisecond, ConsentAfter: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if s.Clock != ClockLaptop || s.OffsetMS != 0 || s.ConsentAt == nil {
		t.Errorf("clock %s offset %d consent %v", s.Clock, s.OffsetMS, s.ConsentAt)
	}
	for _, e := range s.Timeline {
		if e.Source == SourceAppOps || e.Source == SourceLogcat {
			t.Errorf("device-clock event on a laptop-clock timeline: %+v", e)
		}
	}
}

func TestLooksLikeConsentDialog(t *testing.T) {
	for text, want := range map[string]bool{
		"欢迎使用 请阅读《隐私政策》和《用户协议》 不同意 同意": true,
		"Privacy Policy … Agree": true,
		"消息 全部 日程 会议":            false,
		"隐私政策":                   false, // a settings entry, no agree button
	} {
		if got := LooksLikeConsentDialog(text); got != want {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
}

func TestSessionScriptedRefusal(t *testing.T) {
	const pkg = "com.example.shop"
	f := newFake(t)
	proxyWorld(f, "")
	sessionWorld(f, pkg, time.Now().Truncate(time.Second))
	sent := make(chan error, 1)
	s, err := f.adb.RunSession(t.Context(), SessionOptions{Serial: "S1", Package: pkg, Dir: t.TempDir(), Duration: 800 * time.Millisecond, RefuseAfter: 200 * time.Millisecond,
		Ready: func(addr string) {
			go func() {
				time.Sleep(500 * time.Millisecond) // after the refusal
				pu, _ := url.Parse("http://" + addr)
				c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
				resp, err := c.Get("http://127.0.0.1:1/x?imei=490154203237518")
				if err == nil {
					resp.Body.Close()
				}
				sent <- nil
			}()
		}})
	if err != nil {
		t.Fatal(err)
	}
	<-sent
	if s.RefusedAt == nil || s.ConsentAt != nil || !slices.ContainsFunc(s.Timeline, func(e SessionEvent) bool { return e.Kind == KindRefusal && e.Source == SourceScript }) {
		t.Fatalf("refusal not on the timeline: %+v", s.Timeline)
	}
	if len(s.Contacts) != 1 || !s.Contacts[0].AfterRefusal || s.Contacts[0].BeforeConsent {
		t.Errorf("contacts %+v", s.Contacts)
	}
}

// TestWatchScreenPermissionPrompt: while the system permission prompt is in
// front, the watcher puts it on the timeline once (not once per dump), and
// does not take it for the privacy-policy dialog.
func TestWatchScreenPermissionPrompt(t *testing.T) {
	f := newFake(t)
	f.rule("-", "devices -l", "text:List of devices attached\\nS1\\tdevice usb:1-1 model:Pixel_7 transport_id:1\\n\\n")
	prompt := `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">` +
		`<node text="" bounds="[0,0][1080,2400]" package="com.android.permissioncontroller">` +
		`<node text="要允许“示例外卖”获取此设备的位置信息吗？" bounds="[100,600][980,700]" package="com.android.permissioncontroller"/>` +
		`<node text="仅在使用该应用时允许" bounds="[100,800][980,900]" package="com.android.permissioncontroller"/>` +
		`<node text="不允许" bounds="[100,1000][980,1100]" package="com.android.permissioncontroller"/></node></hierarchy>`
	if err := os.WriteFile(filepath.Join(f.dir, "prompt.xml"), []byte(prompt), 0o644); err != nil {
		t.Fatal(err)
	}
	f.rule("S1", "shell uiautomator dump /data/local/tmp/appinspect_window_dump.xml", "text:UI hierchary dumped to: /data/local/tmp/appinspect_window_dump.xml\n")
	f.rule("S1", "exec-out cat /data/local/tmp/appinspect_window_dump.xml", "file:prompt.xml")
	f.rule("S1", "shell rm -f /data/local/tmp/appinspect_window_dump.xml", "text:")
	dialogStop, screenStop := make(chan struct{}), make(chan struct{})
	time.AfterFunc(400*time.Millisecond, func() { close(screenStop) })
	evs := f.adb.watchScreen(t.Context(), "S1", 50*time.Millisecond, dialogStop, screenStop, func(t time.Time) time.Time { return t })
	var prompts, dialogs int
	for _, e := range evs {
		switch e.Kind {
		case KindPermissionPrompt:
			prompts++
			if !strings.Contains(e.Detail, "位置信息") || e.Source != SourceUI {
				t.Errorf("prompt event = %+v", e)
			}
		case KindConsentDialog:
			dialogs++
		}
	}
	if prompts != 1 || dialogs != 0 {
		t.Errorf("%d prompt and %d consent-dialog events, want 1 and 0: %+v", prompts, dialogs, evs)
	}
	if !IsPermissionPrompt([]byte(prompt)) || IsPermissionPrompt([]byte(`<node package="com.example.app" text="允许"/>`)) {
		t.Error("IsPermissionPrompt misjudges")
	}
}
