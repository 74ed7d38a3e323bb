package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/cases"
)

func TestGalleryShowsHashesAndAttaches(t *testing.T) {
	b := newFake(t)
	b.EvidenceFileFn = func(h string) string { return "/data/evidence/" + h[:2] + "/" + h + ".bin" }
	var kind cases.EvidenceKind
	var path string
	b.AttachFileFn = func(_ context.Context, id int64, k cases.EvidenceKind, p string) (cases.Evidence, error) {
		kind, path = k, p
		return cases.Evidence{ID: 3}, nil
	}
	m := newTestMain(t, b, "en")
	ws := openTestCase(t, m)
	v := ws.gallery
	if v.list.Length() != 2 {
		t.Fatalf("%d evidence files", v.list.Length())
	}
	v.list.Select(1)
	if v.hash.Text != strings.Repeat("ab", 32) || !strings.HasSuffix(v.image.File, strings.Repeat("ab", 32)+".bin") {
		t.Errorf("hash %q image %q", v.hash.Text, v.image.File)
	}
	if !strings.Contains(v.info.Text, "R58M123") {
		t.Errorf("info = %q", v.info.Text)
	}
	v.list.Select(0) // the APK: no image
	if v.image.File != "" {
		t.Errorf("APK shown as image")
	}
	v.kind.SetSelectedIndex(2) // screenshot
	v.attach("/tmp/shot.png")
	wait(t, ws.task.wait())
	if kind != cases.EvidenceScreenshot || path != "/tmp/shot.png" {
		t.Errorf("attached %q as %q", path, kind)
	}
	wait(t, ws.loaded) // reloaded after attaching
}
