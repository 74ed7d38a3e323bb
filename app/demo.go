package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/synth"
)

// demoNote marks the demo case so it is created only once.
const demoNote = "AppInspect 演示案例（虚构数据） / AppInspect demo case (fictitious data)"

// DemoCase creates (once) and returns the demo case: a generated APK of a
// fictitious app with stub classes named like common Chinese SDKs, and a
// fictitious privacy policy, both from assets/demo. Nothing in it comes from
// a real app or company.
func (s *Service) DemoCase(ctx context.Context) (int64, error) {
	list, err := s.db.ListCases(ctx, cases.Filter{Limit: 1000})
	if err != nil {
		return 0, err
	}
	for _, c := range list {
		if c.Notes == demoNote {
			return c.ID, nil
		}
	}
	apkBytes, policyBytes, err := synth.BuildDemo()
	if err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	dir, err := os.MkdirTemp("", "appinspect-demo-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	apkPath := filepath.Join(dir, "demo-weather.apk")
	polPath := filepath.Join(dir, "demo-privacy-policy.txt")
	if err := os.WriteFile(apkPath, apkBytes, 0o644); err != nil {
		return 0, err
	}
	if err := os.WriteFile(polPath, policyBytes, 0o644); err != nil {
		return 0, err
	}
	c, err := s.NewCase(ctx, workspace.NewCaseRequest{
		APK: apkPath, Policy: polPath, AppType: "38", // 实用工具类 (calendar, weather …)
		Subject: cases.Subject{Kind: cases.AppOperator, Name: "示例科技有限公司（虚构）"},
		Source:  cases.SourceRoutine, Notes: demoNote,
	}, nil)
	if err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	// One decided mark shows what a confirmed violation looks like.
	if _, err := s.SetMark(ctx, c.ID, cases.MarkInput{ItemID: "pipl/17", Verdict: cases.VerdictViolation,
		Note: "演示：隐私政策未告知通讯录、已安装应用列表的收集（虚构示例）"}); err != nil {
		return 0, fmt.Errorf("demo: %w", err)
	}
	return c.ID, nil
}
