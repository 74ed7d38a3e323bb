//go:build unix

package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/synth"
)

// TestExpandInputsRefusesSpecialFiles: a FIFO named like an APK inside a
// scanned directory is reported, not queued for a scan.
func TestExpandInputsRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.apk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "real.apk"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	files, _, errs := ExpandInputs([]string{dir})
	if len(files) != 1 || filepath.Base(files[0]) != "real.apk" {
		t.Errorf("files = %v", files)
	}
	if len(errs) != 1 || !errors.Is(errs[0], inspect.ErrNotRegular) || !strings.Contains(errs[0].Error(), "pipe.apk") {
		t.Errorf("errs = %v", errs)
	}
}

// TestBadBundledPolicyIsAWarning: an APK bundling a PDF privacy policy
// whose page tree holds itself is analysed without it, with a warning.
func TestBadBundledPolicyIsAWarning(t *testing.T) {
	pdf := "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [2 0 R] /Count 1 >>\nendobj\n" +
		"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n117\n%%EOF\n"
	b, err := synth.Build(synth.Spec{Package: "com.example.pdf", Assets: map[string][]byte{"assets/privacy_policy.pdf": []byte(pdf)}})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "a.apk")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := inspect.Scan(context.Background(), p, inspect.Options{NoDetect: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.PolicyDocs) == 0 {
		t.Fatal("the bundled PDF was not found as a policy document")
	}
	lp, err := readPolicy("", "", r)
	if err != nil || lp != nil {
		t.Fatalf("readPolicy = %v, %v; want no policy and no error", lp, err)
	}
	found := false
	for _, w := range r.Warnings {
		found = found || strings.Contains(w, "privacy_policy.pdf could not be read")
	}
	if !found {
		t.Errorf("no warning naming the bundled PDF: %v", r.Warnings)
	}
}
