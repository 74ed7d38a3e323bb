package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/app"
	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/synth"
)

// appopsADB writes a fake adb whose device reports AppOps accesses of the
// app a few minutes before now, on a UTC clock.
func appopsADB(t *testing.T) string {
	if runtime.GOOS == "windows" {
		t.Skip("the fake adb is a shell script")
	}
	p := filepath.Join(t.TempDir(), "adb")
	script := `#!/bin/sh
[ "$1" = "-s" ] && shift 2
case "$*" in
  "devices -l") printf 'List of devices attached\nEMU123 device usb:1-1 product:p model:Pixel_7 device:d transport_id:1\n' ;;
  "shell getprop") printf '[ro.product.model]: [Pixel 7]\n[ro.build.version.release]: [14]\n[ro.build.version.sdk]: [34]\n[persist.sys.timezone]: [UTC]\n' ;;
  "shell date +%s%z") printf '%s+0000\n' "$(date +%s)" ;;
  "shell dumpsys package "*) printf 'Packages:\n  Package [%s] (abc):\n    versionName=1.0\n' "$4" ;;
  "shell appops get "*) printf 'READ_CONTACTS: allow; time=+5m ago\nFINE_LOCATION: allow; time=+4m ago\nREAD_PHONE_STATE: allow; time=+3m ago\n' ;;
  shell*) ;;
  *) echo "error: unsupported by the fake: $*" >&2; exit 1 ;;
esac
`
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

type shownCase struct {
	Versions []struct {
		ID        int64  `json:"id"`
		APKSHA256 string `json:"apk_sha256"`
	} `json:"versions"`
	Candidates []struct {
		Rule string `json:"rule"`
	} `json:"candidates"`
}

func (c shownCase) deviceRules() []string {
	var out []string
	for _, k := range c.Candidates {
		if strings.HasPrefix(k.Rule, "device.") {
			out = append(out, k.Rule)
		}
	}
	return out
}

func showCaseJSON(t *testing.T, data, cid string) shownCase {
	t.Helper()
	out, errs, st := run(t, data, "case", "show", cid, "--json")
	if st != ExitOK {
		t.Fatalf("case show: %d %s", st, errs)
	}
	var c shownCase
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDeviceEvidenceBelongsToItsVersion: AppOps evidence and the consent
// moment recorded on v1 judge v1 only. The re-inspected build v2 is not
// evaluated on them, and the re-inspection diff calls v1's device findings
// neither new nor fixed but not re-tested, until v2 has device evidence
// of its own.
func TestDeviceEvidenceBelongsToItsVersion(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	data := filepath.Join(dir, "data")
	out, errs, st := run(t, data, "case", "new", "--apk", apkPath, "--policy", pol, "--json")
	if st != ExitOK {
		t.Fatalf("case new: %d %s", st, errs)
	}
	cid := jsonID(t, out)
	adb := appopsADB(t)
	if _, errs, st := run(t, data, "device", "evidence", "--case", cid, "--adb", adb); st != ExitOK {
		t.Fatalf("device evidence: %d %s", st, errs)
	}
	if _, errs, st := run(t, data, "device", "consent", cid, "--at", time.Now().UTC().Format(time.RFC3339)); st != ExitOK {
		t.Fatalf("device consent: %d %s", st, errs)
	}
	v1 := showCaseJSON(t, data, cid)
	if len(v1.deviceRules()) == 0 {
		t.Fatalf("v1 has no device findings: %+v", v1.Candidates)
	}
	apk1 := v1.Versions[len(v1.Versions)-1].APKSHA256

	// The stored evidence names the build it was recorded on.
	var stored struct {
		APKSHA256 string `json:"apk_sha256"`
	}
	readCaseEvidence(t, data, cid, "device-evidence.json", &stored)
	if stored.APKSHA256 != apk1 {
		t.Errorf("device-evidence.json apk_sha256 = %q, want v1's %q", stored.APKSHA256, apk1)
	}
	readCaseEvidence(t, data, cid, "consent.json", &stored)
	if stored.APKSHA256 != apk1 {
		t.Errorf("consent.json apk_sha256 = %q, want v1's %q", stored.APKSHA256, apk1)
	}

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
		Fixed, New, Remaining, Unchecked []cases.Finding
	}
	if err := json.Unmarshal([]byte(out), &diff); err != nil {
		t.Fatal(err)
	}
	for name, fs := range map[string][]cases.Finding{"fixed": diff.Fixed, "new": diff.New, "remaining": diff.Remaining} {
		for _, f := range fs {
			if strings.HasPrefix(f.Rule, "device.") {
				t.Errorf("%s: %s@%s, from v1's device evidence, on a build not tested on the device", name, f.Rule, f.Article)
			}
		}
	}
	held := map[string]bool{}
	for _, f := range diff.Unchecked {
		held[f.Rule] = true
	}
	for _, r := range v1.deviceRules() {
		if !held[r] {
			t.Errorf("v1's %s is not listed as not re-tested: %+v", r, diff.Unchecked)
		}
	}
	if got := showCaseJSON(t, data, cid).deviceRules(); len(got) != 0 {
		t.Errorf("v2 evaluated on v1's device evidence: %v", got)
	}

	// Device evidence and consent recorded on v2 judge v2.
	if _, errs, st := run(t, data, "device", "evidence", "--case", cid, "--adb", adb); st != ExitOK {
		t.Fatalf("device evidence v2: %d %s", st, errs)
	}
	if _, errs, st := run(t, data, "device", "consent", cid, "--at", time.Now().UTC().Format(time.RFC3339)); st != ExitOK {
		t.Fatalf("device consent v2: %d %s", st, errs)
	}
	if got := showCaseJSON(t, data, cid).deviceRules(); len(got) == 0 {
		t.Error("v2's own device evidence and consent gave no device findings")
	}
}

// readCaseEvidence decodes the newest stored evidence file of a case with the name.
func readCaseEvidence(t *testing.T, data, cid, name string, v any) {
	t.Helper()
	out, errs, st := run(t, data, "case", "show", cid, "--json")
	if st != ExitOK {
		t.Fatalf("case show: %d %s", st, errs)
	}
	var c struct {
		Evidence []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	path := ""
	for _, e := range c.Evidence {
		if e.Name == name {
			path = e.Path
		}
	}
	if path == "" {
		t.Fatalf("no evidence %s in case %s", name, cid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestRecordSessionCancelFromGUI drives Service.RecordSession as the
// Device tab does: a consent press while recording, then Cancel. What was
// recorded is returned with context.Canceled and stored with the case, and
// the phone gets its own proxy setting back.
func TestRecordSessionCancelFromGUI(t *testing.T) {
	dir := t.TempDir()
	apkPath, pol := demoFiles(t, dir)
	data := filepath.Join(dir, "data")
	out, errs, st := run(t, data, "case", "new", "--apk", apkPath, "--policy", pol, "--json")
	if st != ExitOK {
		t.Fatalf("case new: %d %s", st, errs)
	}
	var c struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	adb, state := sessionADB(t, "10.0.0.1:3128")
	s, err := app.NewService(app.Config{DataDir: data, ADB: adb})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	consent := make(chan time.Time, 1)
	ready := make(chan struct{})
	go func() {
		<-ready
		consent <- time.Now()
		time.Sleep(300 * time.Millisecond)
		cancel()
	}()
	res, err := s.RecordSession(ctx, workspace.SessionRequest{CaseID: c.ID, Duration: time.Minute, Consent: consent, Lang: "en",
		Ready: func() { close(ready) }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res == nil || res.Session == nil || !res.Stored {
		t.Fatalf("result %+v: the recording should be returned and stored", res)
	}
	if res.Session.ConsentAt == nil || !res.Session.Proxy.Restored || res.Session.End.Sub(res.Session.Start) > 30*time.Second {
		t.Errorf("session: consent %v, restored %v, %v long", res.Session.ConsentAt, res.Session.Proxy.Restored, res.Session.End.Sub(res.Session.Start))
	}
	if b, _ := os.ReadFile(state); string(b) != "10.0.0.1:3128" {
		t.Errorf("phone proxy after cancel = %q, want the previous 10.0.0.1:3128", b)
	}
}
