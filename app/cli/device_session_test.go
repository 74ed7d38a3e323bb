package cli

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/synth"
)

// sessionADB writes a fake adb (shell script) whose device keeps its
// http_proxy in the file state/http_proxy (absent = unset) and answers the
// session's and the evidence's commands.
func sessionADB(t *testing.T, previous string) (adb, state string) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake adb is a shell script")
	}
	dir := t.TempDir()
	state = filepath.Join(dir, "http_proxy")
	if previous != "" {
		os.WriteFile(state, []byte(previous), 0o644)
	}
	adb = filepath.Join(dir, "adb")
	script := `#!/bin/sh
S=` + state + `
[ "$1" = "-s" ] && shift 2
case "$*" in
  "devices -l") printf 'List of devices attached\nEMU123 device usb:1-1 product:p model:Pixel_7 device:d transport_id:1\n' ;;
  "shell getprop") printf '[ro.product.model]: [Pixel 7]\n[ro.build.version.release]: [14]\n[ro.build.version.sdk]: [34]\n[persist.sys.timezone]: [UTC]\n' ;;
  "shell date +%s%z") printf '%s+0000\n' "$(date +%s)" ;;
  "shell settings get global http_proxy") if [ -f "$S" ]; then cat "$S"; echo; else echo null; fi ;;
  "shell settings put global http_proxy "*) printf '%s' "$6" > "$S" ;;
  "shell settings delete global http_proxy") rm -f "$S" ;;
  "shell settings get secure android_id") echo 9774d56d682e549c ;;
  reverse*) ;;
  "shell am force-stop "*|"shell monkey "*) echo "Events injected: 1" ;;
  "shell dumpsys package "*) printf 'Packages:\n  Package [%s] (abc):\n    versionName=1.0\n' "$4" ;;
  "shell logcat"*) printf '12-04 10:00:00.000  5093  5093 I Shop: started com.example.shop\n12-04 10:00:00.100     1     1 I Other: unrelated\n' ;;
  shell*) ;;
  "exec-out cat /data/local/tmp/appinspect_screenrecord.mp4") printf '\000\000\000\030ftypmp42rest-of-the-video' ;;
  *) echo "error: unsupported by the fake: $*" >&2; exit 1 ;;
esac
`
	if err := os.WriteFile(adb, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return adb, state
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestDeviceSessionCLI: a scripted session (--consent-at) with a Bugly
// contact over TLS and an IMEI sent in clear before consent, and a contact
// after it. The JSON places each contact, names the SDK, flags the IMEI,
// raises the network findings, and the device's proxy is as it was.
func TestDeviceSessionCLI(t *testing.T) {
	adb, state := sessionADB(t, "10.0.0.8:3128")
	port := freePort(t)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer secure.Close()

	phoneErr := make(chan error, 1)
	go func() {
		phoneErr <- func() error {
			want := "127.0.0.1:" + strconv.Itoa(port)
			deadline := time.Now().Add(20 * time.Second)
			for {
				b, _ := os.ReadFile(state)
				if string(b) == want {
					break
				}
				if time.Now().After(deadline) {
					return io.ErrUnexpectedEOF
				}
				time.Sleep(10 * time.Millisecond)
			}
			pu, _ := url.Parse("http://" + want)
			c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(pu),
				TLSClientConfig: &tls.Config{InsecureSkipVerify: true, ServerName: "android.bugly.qq.com"}}}
			send := func(u string) error {
				resp, err := c.Get(u)
				if err != nil {
					return err
				}
				io.Copy(io.Discard, resp.Body)
				return resp.Body.Close()
			}
			if err := send(secure.URL + "/rqd"); err != nil {
				return err
			}
			if err := send(plain.URL + "/report?imei=490154203237518"); err != nil {
				return err
			}
			time.Sleep(2500 * time.Millisecond) // consent is marked 1 s after the start
			return send(plain.URL + "/home")
		}()
	}()
	dir := t.TempDir()
	out, errs, st := run(t, dir, "device", "session", "com.example.shop", "--adb", adb, "--proxy-port", strconv.Itoa(port),
		"--duration", "4", "--consent-at", "1", "--json")
	if st != ExitOK {
		t.Fatalf("device session: %d %s", st, errs)
	}
	if err := <-phoneErr; err != nil {
		t.Fatalf("phone: %v", err)
	}
	var got struct {
		ConsentAt *time.Time `json:"consent_at"`
		Clock     string     `json:"clock"`
		Contacts  []struct {
			Time          time.Time `json:"time"`
			Host          string    `json:"host"`
			Port          int       `json:"port"`
			SDK           string    `json:"sdk"`
			BeforeConsent bool      `json:"before_consent"`
			PlainHTTP     bool      `json:"plain_http"`
			URL           string    `json:"url"`
			PI            []struct {
				Kind string `json:"kind"`
			} `json:"pi"`
		} `json:"contacts"`
		Timeline []struct {
			Source string `json:"source"`
			Kind   string `json:"kind"`
		} `json:"timeline"`
		Findings []struct {
			Rule      string   `json:"rule"`
			Subject   string   `json:"subject"`
			Articles  []string `json:"articles"`
			Checklist []string `json:"checklist"`
		} `json:"findings"`
		Proxy struct {
			Restored bool   `json:"restored"`
			Previous string `json:"previous"`
		} `json:"proxy"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if b, _ := os.ReadFile(state); string(b) != "10.0.0.8:3128" || !got.Proxy.Restored {
		t.Errorf("device proxy after the session = %q (restored %v)", b, got.Proxy.Restored)
	}
	if got.ConsentAt == nil || got.Clock != "device" || len(got.Contacts) != 3 {
		t.Fatalf("consent %v clock %s contacts %+v", got.ConsentAt, got.Clock, got.Contacts)
	}
	c := got.Contacts
	if c[0].SDK != "bugly" || !c[0].BeforeConsent || c[0].PlainHTTP {
		t.Errorf("bugly contact %+v", c[0])
	}
	if !c[1].BeforeConsent || !c[1].PlainHTTP || len(c[1].PI) != 1 || c[1].PI[0].Kind != "imei" || !strings.Contains(c[1].URL, "imei=") {
		t.Errorf("imei contact %+v", c[1])
	}
	if c[2].BeforeConsent || len(c[2].PI) != 0 {
		t.Errorf("after-consent contact %+v", c[2])
	}
	rules := map[string]string{}
	for _, f := range got.Findings {
		rules[f.Rule+"/"+f.Subject] = strings.Join(f.Checklist, ",")
		if len(f.Articles) == 0 {
			t.Errorf("%s cites nothing", f.Rule)
		}
	}
	if rules["network.contact_before_consent/bugly"] == "" || rules["network.pi_in_clear/app"] != "storage.plaintext_transmission" {
		t.Errorf("findings %v", rules)
	}
	kinds := map[string]bool{}
	for _, e := range got.Timeline {
		kinds[e.Source+"/"+e.Kind] = true
	}
	if !kinds["adb/app_start"] || !kinds["script/consent"] || !kinds["proxy/network_contact"] {
		t.Errorf("timeline kinds %v", kinds)
	}
	// No marker left in the data directory.
	if m, _ := filepath.Glob(filepath.Join(dir, "proxy-session-*.json")); len(m) != 0 {
		t.Errorf("markers left: %v", m)
	}
}

func TestDeviceSessionCLIUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"device", "session"},
		{"device", "session", "com.a", "--duration", "0"},
		{"device", "session", "com.a", "--duration", "5", "--consent-at", "9"},
		{"device", "session", "com.a", "--proxy-port", "70000"},
		{"device", "session", "com.a", "--duration", "5", "--refuse-at", "-2"},
	} {
		if _, errs, st := run(t, dir, args...); st != ExitUsage || !strings.Contains(errs, "device session") {
			t.Errorf("%v: status %d, %q", args, st, errs)
		}
	}
}

// TestDeviceSessionStoredWithCase: with --case the package comes from the
// case and the session is stored as evidence naming the case's version.
func TestDeviceSessionStoredWithCase(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	data := filepath.Join(dir, "data")
	out, errs, st := run(t, data, "case", "new", "--apk", apkPath, "--policy", pol, "--json")
	if st != ExitOK {
		t.Fatalf("case new: %d %s", st, errs)
	}
	cid := jsonID(t, out)
	var c app.CaseJSON
	json.Unmarshal([]byte(out), &c)
	adb, state := sessionADB(t, "")
	port := freePort(t)
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer secure.Close()
	phoneErr := make(chan error, 1)
	go func() {
		phoneErr <- func() error {
			want := "127.0.0.1:" + strconv.Itoa(port)
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				if b, _ := os.ReadFile(state); string(b) == want {
					break
				}
				if time.Now().After(deadline) {
					return io.ErrUnexpectedEOF
				}
			}
			pu, _ := url.Parse("http://" + want)
			c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(pu),
				TLSClientConfig: &tls.Config{InsecureSkipVerify: true, ServerName: "alog.umeng.com"}}}
			resp, err := c.Get(secure.URL)
			if err != nil {
				return err
			}
			return resp.Body.Close()
		}()
	}()
	out, errs, st = run(t, data, "device", "session", "--case", cid, "--adb", adb, "--duration", "1.5", "--consent-at", "1", "--proxy-port", strconv.Itoa(port), "--json")
	if st != ExitOK {
		t.Fatalf("device session --case: %d %s", st, errs)
	}
	if err := <-phoneErr; err != nil {
		t.Fatalf("phone: %v", err)
	}
	var s struct {
		Package     string            `json:"package"`
		CaseVersion int64             `json:"case_version"`
		Stored      *app.EvidenceJSON `json:"stored"`
		Disclosures []struct {
			Kind     string `json:"kind"`
			Ref      string `json:"ref"`
			Owner    string `json:"owner"`
			Declared bool   `json:"declared"`
			Spans    []any  `json:"spans"`
		} `json:"disclosures"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	// The Umeng contact is judged against the demo policy, which names 友盟统计 SDK.
	if len(s.Disclosures) != 1 || s.Disclosures[0].Kind != "network" || s.Disclosures[0].Owner != "umeng-analytics" ||
		s.Disclosures[0].Ref != "alog.umeng.com" || !s.Disclosures[0].Declared || len(s.Disclosures[0].Spans) == 0 {
		t.Errorf("disclosures %+v", s.Disclosures)
	}
	if s.Package != "com.example.demoweather" || s.CaseVersion != c.Versions[0].ID || s.Stored == nil {
		t.Fatalf("session %+v, versions %+v", s, c.Versions)
	}
	b, err := os.ReadFile(s.Stored.Path)
	if err != nil {
		t.Fatal(err)
	}
	var stored struct {
		CaseVersion int64  `json:"case_version"`
		APKSHA256   string `json:"apk_sha256"`
		Timeline    []any  `json:"timeline"`
	}
	if err := json.Unmarshal(b, &stored); err != nil || stored.CaseVersion != s.CaseVersion || stored.APKSHA256 == "" || len(stored.Timeline) == 0 {
		t.Errorf("stored session: %v %+v", err, stored)
	}
	if !strings.HasPrefix(s.Stored.Name, "session-v"+strconv.FormatInt(s.CaseVersion, 10)+"-") {
		t.Errorf("stored name %q", s.Stored.Name)
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("a device without a proxy must be left without one: %v", err)
	}
	// The snapshot and the consent mark became the case's device evidence and consent moment.
	out, errs, st = run(t, data, "case", "show", cid, "--json")
	if st != ExitOK {
		t.Fatalf("case show: %d %s", st, errs)
	}
	for _, name := range []string{"device-evidence.json", "consent.json", s.Stored.Name} {
		if !strings.Contains(out, `"name": "`+name+`"`) && !strings.Contains(out, `"name":"`+name+`"`) {
			t.Errorf("case evidence lacks %s", name)
		}
	}
	// The case's evaluation now holds the network finding about the Umeng contact before consent.
	var shown struct {
		Candidates []struct {
			Rule    string `json:"rule"`
			Subject string `json:"subject"`
		} `json:"candidates"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range shown.Candidates {
		found = found || c.Rule == "network.contact_before_consent" && c.Subject == "umeng-analytics"
	}
	if !found {
		t.Errorf("case candidates lack network.contact_before_consent for umeng-analytics: %+v", shown.Candidates)
	}
	// A new build (re-inspection) is not judged on the session of the old one.
	spec, err := synth.DemoSpec()
	if err != nil {
		t.Fatal(err)
	}
	spec.VersionCode++
	spec.VersionName += ".1"
	b2, err := synth.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	apk2 := filepath.Join(dir, "demo-2.apk")
	if err := os.WriteFile(apk2, b2, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, st = run(t, data, "case", "reinspect", cid, "--apk", apk2, "--policy", pol, "--json")
	if st != ExitOK {
		t.Fatalf("reinspect: %s", errs)
	}
	var diff struct {
		Fixed, Unchecked []cases.Finding
	}
	if err := json.Unmarshal([]byte(out), &diff); err != nil {
		t.Fatal(err)
	}
	for _, f := range diff.Fixed {
		if strings.HasPrefix(f.Rule, "network.") {
			t.Errorf("%s called fixed on a build whose traffic was not recorded", f.Rule)
		}
	}
	if !slices.ContainsFunc(diff.Unchecked, func(f cases.Finding) bool { return f.Rule == "network.contact_before_consent" }) {
		t.Errorf("unchecked = %+v", diff.Unchecked)
	}
	// A package other than the case's is refused.
	if _, errs, st := run(t, data, "device", "session", "com.other", "--case", cid, "--adb", adb, "--duration", "0.5"); st == ExitOK || !strings.Contains(errs, "com.example.demoweather") {
		t.Errorf("other package: %d %q", st, errs)
	}
}

func TestDeviceLogcatAndRecordCLI(t *testing.T) {
	adb, _ := sessionADB(t, "")
	dir := t.TempDir()
	out, errs, st := run(t, dir, "device", "logcat", "com.example.shop", "--adb", adb)
	if st != ExitOK || !strings.Contains(out, "started com.example.shop") || strings.Contains(out, "unrelated") {
		t.Errorf("logcat: %d %q %q", st, out, errs)
	}
	mp4 := filepath.Join(dir, "r.mp4")
	if _, errs, st := run(t, dir, "device", "record", "--adb", adb, "--seconds", "2", "--out", mp4); st != ExitOK {
		t.Fatalf("record: %d %s", st, errs)
	}
	if b, _ := os.ReadFile(mp4); !strings.Contains(string(b), "ftypmp42") {
		t.Errorf("recording %q", b)
	}
	for _, args := range [][]string{{"device", "record", "--adb", adb}, {"device", "record", "--seconds", "500", "--out", mp4}, {"device", "logcat"}} {
		if _, _, st := run(t, dir, args...); st != ExitUsage {
			t.Errorf("%v: status %d", args, st)
		}
	}
}
