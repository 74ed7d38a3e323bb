package law

import (
	"bytes"
	"strings"
	"testing"
)

func TestPreviewText(t *testing.T) {
	c, _ := openTemp(t)
	data := amendedPIPL(t)
	p, err := c.PreviewImport(writeTemp(t, "pipl_amended.json", data))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"replaces version",
		"1 added 新增, 1 removed 删除, 1 changed 修改, 72 unchanged",
		"+ pipl/75", "第七十五条  测试用新增条文。",
		"- pipl/74", "第七十四条",
		"~ pipl/13", "[text_zh]", "[-方-]可{+以+}处理个人信息",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	// Reviewable: a short page, not the document (the old preview printed the whole struct,
	// several times the file's size).
	if b.Len() > 2000 || b.Len() > len(data)/10 {
		t.Errorf("preview is %d bytes for a %d-byte file:\n%s", b.Len(), len(data), out)
	}
	if strings.Contains(out, "{ID:") || strings.Contains(out, "doc:") {
		t.Errorf("preview prints a Go struct:\n%s", out)
	}
}

func TestDiffLineShortens(t *testing.T) {
	long := strings.Repeat("甲", 500)
	got := diffLine([]DiffOp{{"=", long}, {"-", "旧"}, {"+", "新"}, {"=", long}})
	if want := "…" + strings.Repeat("甲", previewContext) + "[-旧-]{+新+}" + strings.Repeat("甲", previewContext) + "…"; got != want {
		t.Errorf("got %q", got)
	}
	many := make([]DiffOp, 0, 400)
	for i := 0; i < 200; i++ {
		many = append(many, DiffOp{"-", strings.Repeat("乙", 50)}, DiffOp{"=", "丙"})
	}
	if got := diffLine(many); len([]rune(got)) > previewDiff+40 || !strings.Contains(got, "已截断") {
		t.Errorf("long diff not shortened: %d runes", len([]rune(got)))
	}
}

func TestImportRefusesSpecialFiles(t *testing.T) {
	c, _ := openTemp(t)
	for _, p := range []string{"/dev/zero", t.TempDir()} {
		if _, err := c.PreviewImport(p); err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v", p, err)
		}
	}
}
