package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileChooser: the dialog starts in Downloads, then in the last-used
// folder; it is large, titled in the UI language, lists folders first and
// only the asked-for files, and takes a path typed into its path field.
func TestFileChooser(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dl := filepath.Join(home, "Downloads")
	cases := filepath.Join(home, "cases")
	for _, d := range []string{dl, cases, filepath.Join(dl, "old")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{filepath.Join(dl, "b.apk"), filepath.Join(dl, "a.txt"), filepath.Join(cases, "waimai.apk")} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := newTestMain(t, newFake(t), "zh")
	var got string
	c := openFile(m.w, []string{".apk"}, func(p string) { got = p })
	if c.dir != dl {
		t.Errorf("starts in %q, want %q", c.dir, dl)
	}
	if c.path.Text != dl {
		t.Errorf("path field = %q", c.path.Text)
	}
	var names []string
	for _, e := range c.entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "old,b.apk" {
		t.Errorf("entries = %q, want the folder first and only the APK", names)
	}
	top := m.w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(textOf(top), "打开文件（.apk）") || !strings.Contains(textOf(top), "取消") {
		t.Errorf("dialog text = %q", textOf(top))
	}
	if s := top.Size(); s.Width < 1000 || s.Height < 600 {
		t.Errorf("dialog is %v, want most of the 1366×768 window", s)
	}
	// A path typed into the path field: a folder is opened, a file taken.
	c.onPathSubmitted(cases)
	if c.dir != cases || len(c.entries) != 1 {
		t.Errorf("typed folder: dir %q entries %d", c.dir, len(c.entries))
	}
	c.onPathSubmitted(filepath.Join(cases, "waimai.apk"))
	if got != filepath.Join(cases, "waimai.apk") {
		t.Fatalf("chosen = %q", got)
	}
	// The next dialog starts where this one ended.
	c = openFile(m.w, []string{".apk"}, func(string) {})
	if c.dir != cases {
		t.Errorf("second dialog starts in %q, want the last-used %q", c.dir, cases)
	}
	// A wrong file type is refused with a sentence, the dialog stays.
	c.path.SetText(filepath.Join(dl, "a.txt"))
	c.confirm()
	if !strings.Contains(c.msg.Text, "a.txt 不是此处需要的文件类型") {
		t.Errorf("message = %q", c.msg.Text)
	}
	// Save: the proposed name, in the last-used folder.
	var saved string
	s := saveFile(m.w, "notice.pdf", func(p string) { saved = p })
	s.confirm()
	if saved != filepath.Join(cases, "notice.pdf") {
		t.Errorf("saved to %q", saved)
	}
	// An existing file is not replaced without asking.
	saved = ""
	s = saveFile(m.w, "waimai.apk", func(p string) { saved = p })
	s.confirm()
	if saved != "" || !strings.Contains(textOf(m.w.Canvas().Overlays().Top()), "waimai.apk 已存在") {
		t.Errorf("existing file: saved %q without asking", saved)
	}
	s.overwrite = true
	s.confirm()
	if saved != filepath.Join(cases, "waimai.apk") {
		t.Errorf("after agreeing: saved %q", saved)
	}
}
