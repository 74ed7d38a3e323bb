package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sdk"
	"github.com/appinspect/appinspect/inspect/synth"
	"github.com/appinspect/appinspect/reports"
)

// TestConfirmSDK: an SDK the APK only mentions (its report host in a
// string) is no finding until the inspector confirms it with a note; then
// it is a present SDK whose candidate and document evidence name the
// confirmation; withdrawn, it is a mention again.
func TestConfirmSDK(t *testing.T) {
	ctx := context.Background()
	spec, err := synth.DemoSpec()
	if err != nil {
		t.Fatal(err)
	}
	spec.Strings = append(spec.Strings, "https://pingma.qq.com/mstat/report")
	apk, err := synth.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	_, policy := demoFiles(t, dir)
	apkPath := filepath.Join(dir, "mention.apk")
	if err := os.WriteFile(apkPath, apk, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := NewService(Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st := s.Settings()
	st.Inspector, st.Authority.Name = "张检测", "某省通信管理局"
	if err := s.SaveSettings(st); err != nil {
		t.Fatal(err)
	}
	c, err := s.NewCase(ctx, workspace.NewCaseRequest{APK: apkPath, Policy: policy,
		Subject: cases.Subject{Kind: cases.AppOperator, Name: "测试公司"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const id = "tencent-mta"
	subject := func(w *workspace.Case) bool {
		return slices.ContainsFunc(w.Candidates, func(c rules.Candidate) bool { return c.Subject == id })
	}
	w, err := s.OpenCase(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(w.Scan.SDKMentions, func(x inspect.SDK) bool { return x.ID == id }) || subject(w) {
		t.Fatalf("before: %s should be a mention and no candidate's subject; mentions %v", id, w.Scan.SDKMentions)
	}
	if _, err := s.ConfirmSDK(ctx, c.ID, id, "  ", false); !errors.Is(err, cases.ErrInvalid) {
		t.Errorf("confirm without a note: %v", err)
	}
	if _, err := s.ConfirmSDK(ctx, c.ID, "no-such-sdk", "seen", false); !errors.Is(err, cases.ErrNotFound) || !strings.Contains(err.Error(), id) {
		t.Errorf("confirm an unknown SDK: %v (the error should list the mentions)", err)
	}
	note := "抓包见 pingma.qq.com 上报设备信息"
	r, err := s.ConfirmSDK(ctx, c.ID, id, note, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version.ID == w.Version.ID {
		t.Error("the confirmation did not make a new version")
	}
	w, err = s.OpenCase(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(w.Scan.SDKs, func(x inspect.SDK) bool { return x.ID == id })
	if i < 0 || !w.Scan.SDKs[i].Present {
		t.Fatalf("after: %s not present", id)
	}
	if who, n, ok := w.Scan.SDKs[i].Confirmation(); !ok || who != "张检测" || n != note || w.Scan.SDKs[i].Confidence != "high" {
		t.Errorf("confirmation %q %q %v, confidence %s", who, n, ok, w.Scan.SDKs[i].Confidence)
	}
	if !subject(w) {
		t.Fatalf("after: no candidate names %s", id)
	}
	for _, cd := range w.Candidates {
		if cd.Subject == id && !strings.Contains(cd.ExplanationZH, note) {
			t.Errorf("candidate %s does not give the note: %s", cd.Rule, cd.ExplanationZH)
		}
	}
	// the document evidence of the candidate names the confirmation
	var cands []rules.Candidate
	for _, cd := range w.Candidates {
		if cd.Subject == id {
			cands = append(cands, cd)
		}
	}
	for _, lang := range []string{"zh", "en"} {
		var texts []string
		for _, it := range s.evidenceItems(ctx, w, cands, nil, lang, s.Location()) {
			texts = append(texts, it.Text)
		}
		all := strings.Join(texts, "\n")
		if !strings.Contains(all, note) || !strings.Contains(all, "张检测") || strings.Contains(all, "仅在字符串中提及") {
			t.Errorf("%s evidence does not name the confirmation:\n%s", lang, all)
		}
	}
	// the report's SDK table says the SDK is there by confirmation
	if rows := sdkRows(w.Scan, w.Disclosures, "zh"); !slices.ContainsFunc(rows, func(r reports.SDKRow) bool { return strings.Contains(r.Name, "确认存在") }) {
		t.Errorf("report SDK rows %+v do not mark the confirmation", rows)
	}
	// the notice's evidence summary leads with the confirmation
	if lines := summaryLines(w, cands, "zh", s.Location()); len(lines) == 0 || !strings.Contains(lines[0], "确认存在") || !strings.Contains(lines[0], note) {
		t.Errorf("summary lines %q do not lead with the confirmation", lines)
	}
	// withdrawn: a mention again, no candidate
	if _, err := s.ConfirmSDK(ctx, c.ID, id, "", true); err != nil {
		t.Fatal(err)
	}
	w, err = s.OpenCase(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(w.Scan.SDKMentions, func(x inspect.SDK) bool { return x.ID == id }) || subject(w) {
		t.Errorf("withdrawn: %s should be a mention again", id)
	}
	if _, err := s.ConfirmSDK(ctx, c.ID, id, "", true); !errors.Is(err, cases.ErrNotFound) {
		t.Errorf("withdraw twice: %v", err)
	}
	if i := slices.IndexFunc(w.Scan.SDKMentions, func(x inspect.SDK) bool { return x.ID == id }); i < 0 || w.Scan.SDKMentions[i].Confidence != "low" || w.Scan.SDKMentions[i].Present {
		t.Errorf("withdrawn mention: %+v", w.Scan.SDKMentions)
	}
}

// TestConfirmSDKLegacyScan: a scan stored before sdk_mentions existed keeps
// a mentioned SDK in sdks[]; it is confirmed in place, not refused as
// "already present".
func TestConfirmSDKLegacyScan(t *testing.T) {
	r := &inspect.Result{SDKs: []inspect.SDK{
		{ID: "jpush", Present: true, Evidence: []sdk.Evidence{{Kind: sdk.KindClass, Value: "cn.jpush.android", Count: 9}}},
		{ID: "tencent-mta", Confidence: "low", Evidence: []sdk.Evidence{{Kind: sdk.KindHost, Value: "pingma.qq.com", Count: 1}}},
	}}
	if err := confirmSDK(r, "tencent-mta", "张检测", "seen"); err != nil {
		t.Fatal(err)
	}
	if x := r.SDKs[1]; x.Mentioned() || !x.Present || x.Confidence != "high" {
		t.Errorf("legacy mention after confirming: %+v", x)
	}
	if err := confirmSDK(r, "jpush", "张检测", "seen"); !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), "already present") {
		t.Errorf("confirming a present SDK: %v", err)
	}
	if err := confirmSDK(r, "tencent-mta", "张检测", "again"); !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), "already confirmed") {
		t.Errorf("confirming twice: %v", err)
	}
}
