package app

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/appinspect/appinspect/inspect/synth"
)

// demoFiles writes the generated demo APK and its policy into dir.
func demoFiles(t *testing.T, dir string) (apkPath, policyPath string) {
	t.Helper()
	a, p, err := synth.BuildDemo()
	if err != nil {
		t.Fatal(err)
	}
	apkPath, policyPath = filepath.Join(dir, "demo.apk"), filepath.Join(dir, "policy.txt")
	if err := os.WriteFile(apkPath, a, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(policyPath, p, 0o644); err != nil {
		t.Fatal(err)
	}
	return apkPath, policyPath
}
