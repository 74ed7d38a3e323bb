package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// TestCaseSDKConfirm: `case show` lists the SDKs only mentioned with the
// command to confirm one; `case sdk` refuses a confirmation without a note
// and an SDK that is not mentioned, confirms with a note (JSON contract)
// and takes it back with --withdraw.
func TestCaseSDKConfirm(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	_, pol := demoFiles(t, dir)
	spec, err := synth.DemoSpec()
	if err != nil {
		t.Fatal(err)
	}
	spec.Strings = append(spec.Strings, "https://pingma.qq.com/mstat/report")
	b, err := synth.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	apk := filepath.Join(dir, "mention.apk")
	if err := os.WriteFile(apk, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, st := run(t, data, "case", "new", "--apk", apk, "--policy", pol, "--json")
	if st != ExitOK {
		t.Fatalf("case new: %s", errs)
	}
	cid := jsonID(t, out)
	if out, _, _ := run(t, data, "case", "show", cid); !strings.Contains(out, "Mentioned  tencent-mta") || !strings.Contains(out, "appinspect case sdk "+cid) {
		t.Fatalf("case show does not list the mention:\n%s", out)
	}
	if _, _, st := run(t, data, "case", "sdk", cid, "tencent-mta"); st != ExitUsage {
		t.Errorf("case sdk without --note: exit %d, want usage", st)
	}
	if _, errs, st := run(t, data, "case", "sdk", cid, "jpush", "--note", "x"); st == ExitOK || !strings.Contains(errs, "already present") {
		t.Errorf("confirming a present SDK: %d %q", st, errs)
	}
	out, errs, st = run(t, data, "case", "sdk", cid, "tencent-mta", "--note", "traffic to pingma.qq.com", "--json")
	if st != ExitOK {
		t.Fatalf("case sdk: %s", errs)
	}
	var res struct {
		SDK       string `json:"sdk"`
		Confirmed bool   `json:"confirmed"`
		Version   struct {
			ID int64 `json:"id"`
		} `json:"version"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.SDK != "tencent-mta" || !res.Confirmed || res.Version.ID == 0 {
		t.Fatalf("case sdk --json = %s (%v)", out, err)
	}
	if out, _, _ := run(t, data, "case", "show", cid); !strings.Contains(out, "Confirmed  tencent-mta") {
		t.Errorf("case show after confirming:\n%s", out)
	}
	if _, errs, st := run(t, data, "case", "sdk", cid, "tencent-mta", "--withdraw"); st != ExitOK {
		t.Fatalf("withdraw: %s", errs)
	}
	if out, _, _ := run(t, data, "case", "show", cid); !strings.Contains(out, "Mentioned  tencent-mta") {
		t.Errorf("case show after withdrawing:\n%s", out)
	}
}
