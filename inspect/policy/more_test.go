package policy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

const cjkFont = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"

func TestPDF(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetFont("Helvetica", "", 12)
	p.AddPage()
	p.Cell(0, 10, "1. Information We Collect")
	p.Ln(12)
	p.Cell(0, 10, "We collect your precise location and IP address.")
	p.AddPage()
	p.Cell(0, 10, "We use the Firebase Crashlytics SDK.")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	d := mustLoad(t, "policy.pdf", buf.Bytes(), "")
	if d.Original.Source.Format != "pdf" {
		t.Errorf("format %s", d.Original.Source.Format)
	}
	for _, want := range []string{"1. Information We Collect", "We collect your precise location and IP address.", "We use the Firebase Crashlytics SDK."} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("pdf text lacks %q: %q", want, d.Text)
		}
	}
	if len(d.Sections) != 1 || d.Sections[0].Number != "1." {
		t.Errorf("sections %+v in %q", d.Sections, d.Text)
	}
	ex := Extract(d, Options{})
	if len(ex.DeclaresGroup("LOCATION")) == 0 || len(ex.SDKs) != 1 || ex.SDKs[0].Key != "crashlytics" {
		t.Errorf("extraction: %+v %+v", ex.PermissionGroups, ex.SDKs)
	}
	// truncated PDF: an error, not a panic
	if _, err := LoadBytes("t.pdf", buf.Bytes()[:buf.Len()/2], KindPDF); err == nil {
		t.Error("truncated pdf accepted")
	}
}

// TestPDFWithCJKFont documents a known limitation: fpdf's UTF-8 (Identity-H)
// fonts are not decoded by github.com/ledongthuc/pdf, so the text comes out
// as glyph ids; the test logs what was read and checks only that loading
// does not fail or panic.
func TestPDFWithCJKFont(t *testing.T) {
	font, err := os.ReadFile(cjkFont)
	if err != nil {
		t.Skip("CJK TrueType font not installed (fonts-lxgw-wenkai): skipping")
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes("wenkai", "", font)
	p.SetFont("wenkai", "", 12)
	p.AddPage()
	p.Cell(0, 10, "我们会收集您的位置信息。")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := LoadBytes("cjk.pdf", buf.Bytes(), KindPDF)
	if err != nil && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrNoText) {
		t.Fatalf("cjk pdf: %v", err)
	}
	if d != nil {
		t.Logf("CJK PDF text (known limitation when garbled): %q", d.Text)
	}
}

// bigPolicy returns a policy of about n bytes built from the test policies.
func bigPolicy(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString(zhPolicy)
		b.WriteString("\n")
		if i%3 == 0 {
			b.WriteString(enPolicy)
			b.WriteString("\n")
		}
	}
	return b.Bytes()
}

func BenchmarkLoadExtract100KB(b *testing.B) {
	src := bigPolicy(100 << 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		d, err := LoadBytes("p.txt", src, KindTXT)
		if err != nil {
			b.Fatal(err)
		}
		Extract(d, Options{})
	}
}

func fuzzSeeds(f *testing.F) {
	f.Add([]byte(zhPolicy), uint8(0))
	f.Add([]byte(enPolicy), uint8(1))
	f.Add([]byte(htmlPolicy), uint8(2))
	f.Add(buildDOCX(f, docxBody), uint8(4))
	f.Add([]byte(`<hierarchy><node text="同意" content-desc="x"/></hierarchy>`), uint8(6))
	f.Add([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"), uint8(3))
	for _, p := range []string{"fixtures/policies/real/umeng_plus_privacy.html", "fixtures/policies/real/xuexiqiangguo_third_party_sdk_list.md", "fixtures/adb/futu__uiautomator_window_dump.xml"} {
		if b, err := os.ReadFile(filepath.Join(sharedDir(), p)); err == nil && len(b) < 64<<10 {
			f.Add(b, uint8(7))
		}
	}
}

var fuzzKinds = []string{KindPaste, KindTXT, KindHTML, KindPDF, KindDOCX, KindAPK, KindUIAutomator, ""}

func FuzzLoad(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte, k uint8) {
		d, err := LoadBytes("fuzz", b, fuzzKinds[int(k)%len(fuzzKinds)])
		if err != nil {
			return
		}
		checkOffsets(t, d)
		Extract(d, Options{})
	})
}

func FuzzExtract(f *testing.F) {
	f.Add(zhPolicy)
	f.Add(enPolicy)
	f.Add("| SDK名称 | 公司 |\n|---|---|\n| 友盟SDK | x |\n**A**\n运营方：b\n功能：c\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := LoadBytes("fuzz.txt", []byte(s), KindTXT)
		if err != nil {
			return
		}
		checkOffsets(t, d)
		ex := Extract(d, Options{ResolveSDK: func(string) (string, bool) { return "x", true }})
		n := len([]rune(d.Text))
		for _, dt := range ex.DataTypes {
			if dt.Start < 0 || dt.End > n || dt.Start >= dt.End || d.Slice(dt.Start, dt.End) != dt.Text {
				t.Fatalf("bad data type span %+v", dt)
			}
		}
		for _, g := range ex.PermissionGroups {
			if d.Slice(g.Start, g.End) != g.Text {
				t.Fatalf("bad group span %+v", g)
			}
		}
		for _, s := range ex.SDKs {
			if s.Start < 0 || s.End > n || s.Start > s.End {
				t.Fatalf("bad sdk span %+v", s)
			}
		}
	})
}
