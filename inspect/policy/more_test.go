package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"github.com/appinspect/appinspect/assets"
	"github.com/appinspect/appinspect/inspect/pi"
)

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

// TestPDFWithCJKFont reads Chinese text written by fpdf with the bundled
// font: fpdf's ToUnicode map is one identity range over all two-byte codes,
// which the PDF library mis-applies, so those pages go through
// identityPageText.
func TestPDFWithCJKFont(t *testing.T) {
	p := fpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes("wenkai", "", assets.FontRegular)
	p.SetFont("wenkai", "", 12)
	p.AddPage()
	p.Cell(0, 10, "一、我们如何收集您的个人信息")
	p.Ln(12)
	p.Cell(40, 10, "我们会收集您的") // two cells on one baseline: one line
	p.Cell(0, 10, "位置信息和IMEI。")
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	p.Cell(0, 10, "We use the Firebase Crashlytics SDK.")
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	d := mustLoad(t, "cjk.pdf", buf.Bytes(), KindPDF)
	for _, want := range []string{"一、我们如何收集您的个人信息\n我们会收集您的位置信息和IMEI。", "We use the Firebase Crashlytics SDK."} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text lacks %q: %q", want, d.Text)
		}
	}
	ex := Extract(d, Options{})
	if !hasData(ex, pi.Location, "位置信息") || !hasData(ex, pi.DeviceID, "IMEI") {
		t.Errorf("data types: %+v", ex.DataTypes)
	}
}

// TestPDFCairo reads a two-page Chinese policy printed by cairo (what
// browsers use to print): a CID TrueType subset with Identity-H encoding
// and a conforming ToUnicode map (testdata/cairo-cjk.pdf, made with the
// bundled LXGW WenKai font).
func TestPDFCairo(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "cairo-cjk.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	d := mustLoad(t, "cairo-cjk.pdf", b, "")
	for _, want := range []string{"示例App隐私政策", "当您使用附近门店功能时，我们会收集您的精确位置信息和设备标识符（IMEI、Android ID）。", "我们接入了个推推送SDK，用于消息推送。"} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text lacks %q: %q", want, d.Text)
		}
	}
	if len(d.Sections) != 3 {
		t.Errorf("sections: %+v", d.Sections)
	}
	ex := Extract(d, Options{})
	if !hasData(ex, pi.Location, "精确位置信息") || len(ex.SDKs) != 1 || ex.SDKs[0].Key != "getui" {
		t.Errorf("extraction: %+v %+v", ex.DataTypes, ex.SDKs)
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

// BenchmarkLoadExtractRealHTML reads the largest real policy of the shared
// fixtures (the 95 KB Umeng+ HTML policy, with its SDK tables).
func BenchmarkLoadExtractRealHTML(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(sharedDir(), "fixtures", "policies", "real", "umeng_plus_privacy.html"))
	if err != nil {
		b.Skip("shared fixtures absent: ", err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		d, err := LoadBytes("umeng_plus_privacy.html", src, KindHTML)
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
	if b, err := os.ReadFile(filepath.Join("testdata", "cairo-cjk.pdf")); err == nil {
		f.Add(b, uint8(3))
	}
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
	f.Add("一、定义\n（位置）信息\n基于（相机）的功能：您可以拒绝Cookie。_手机号码_ CHANGE_WIFI_STATE 指纹/刷脸/登录《儿童个人信息》用于推送通知栏消息、IMEI")
	// issue 15: emphasis inside words, parentheticals, negation after the
	// word, permission descriptions, cookie definitions, English modifiers
	f.Add("我们会收集您的账号**信息（指可以联系到您的信息，包括姓名，不收集**IMEI**）；您的指纹信息仅保存在您的设备上，我们无法获取。\n| iOS/Mac OS | 允许程序写入外部存储 |\nCookie是指小型数据文件。We keep it one calendar year in Local Storage and text files; use our telephone number.**")
	f.Add("二、我们如何使用信息\n（（为向您提供电池管理和省电服务，收集、使用信息（设备唯一识别码")
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
