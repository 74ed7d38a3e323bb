package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/cases"
)

func TestImportUnknownSignerAsksAndTrusts(t *testing.T) {
	b := newFake(t)
	const fp = "3f2a 9c01 0000 1111 2222 3333 4444 5555 6666 7777"
	b.ImportBundleFn = func(context.Context, string) (int64, error) {
		return 0, &cases.SignerError{Fingerprint: fp, Signer: "张三", SignedAt: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	}
	var trusted string
	b.ImportTrustingFn = func(_ context.Context, _ string, f string, unsigned bool) (int64, error) {
		if unsigned {
			return 0, errors.New("unsigned allowed for a signed bundle")
		}
		trusted = f
		return 1, nil
	}
	m := newTestMain(t, b, "en")
	h := m.home
	h.importBundle("/tmp/case.zip")
	wait(t, h.task.wait())
	if h.importConfirm == nil {
		t.Fatal("no confirmation asked for an unknown signer")
	}
	if trusted != "" {
		t.Fatal("imported before the user confirmed")
	}
	// The question names the fingerprint to compare.
	if !strings.Contains(T("home.untrusted", "case.zip", fp, "张三", ""), fp) {
		t.Fatal("message lacks the fingerprint")
	}
	h.importConfirm.Confirm()
	wait(t, h.task.wait())
	if trusted != fp {
		t.Fatalf("trusted %q", trusted)
	}
}

func TestSettingsShowsKeyFingerprint(t *testing.T) {
	b := newFake(t)
	b.KeyFingerprintFn = func() string { return "abcd ef01" }
	m := newTestMain(t, b, "zh")
	f := showSettings(m)
	if f.keyFP.Text != "abcd ef01" || !f.keyFP.Selectable {
		t.Fatalf("fingerprint line %q", f.keyFP.Text)
	}
}
