package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/assets"
	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/device"
	"github.com/appinspect/appinspect/inspect/sdk"
)

func TestUserMessage(t *testing.T) {
	SetLanguage("zh")
	defer SetLanguage("en")
	log := filepath.Join(t.TempDir(), "ui.log")
	setLogFile(log)
	defer setLogFile("")
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("app: open case 3: %w", cases.ErrNotFound), "案件或条目不存在。"},
		{fmt.Errorf("app: pull: %w", device.ErrDeviceGone), "设备已断开。请重新连接后再试。"},
		{&cases.TransitionError{From: cases.StatusOpen, To: cases.StatusClosed}, "案件无法从当前状态转到该状态。"},
		{context.Canceled, "操作已取消。"},
	} {
		if got := userMessage(tc.err); !strings.HasPrefix(got, tc.want) || !strings.Contains(got, log) {
			t.Errorf("userMessage(%v) = %q", tc.err, got)
		}
	}
	// An unknown error says what failed, not only "see the log".
	if got := userMessage(errors.New("reports: pdf: font missing")); !strings.Contains(got, "操作失败：pdf: font missing") || !strings.Contains(got, log) {
		t.Errorf("generic message = %q", got)
	}
	// A file error names the file and the cause.
	_, err := os.Open(filepath.Join(t.TempDir(), "waimai.apk"))
	if got := userMessage(fmt.Errorf("app: scan: %w", err)); !strings.HasPrefix(got, "文件 waimai.apk：文件不存在") {
		t.Errorf("missing file = %q", got)
	}
	if got := userMessage(withFile("/x/broken.apk", fmt.Errorf("inspect: %w", apk.ErrNoManifest))); !strings.HasPrefix(got, "文件 broken.apk：这不是安卓应用") {
		t.Errorf("apk error = %q", got)
	}
	// A field error names the field.
	if got := userMessage(checkCreditCode("91110108MA01ABCD2")); got != "统一社会信用代码：统一社会信用代码应为 18 位，当前为 17 位。" {
		t.Errorf("credit code = %q", got)
	}
	logError(errors.New("reports: write notice: disk full"))
	b, err2 := os.ReadFile(log)
	err = err2
	if err != nil || !strings.Contains(string(b), "disk full") {
		t.Errorf("log = %q, %v", b, err)
	}
}

// TestTranslationKeys checks that every key the code passes to T exists
// in en.json (assets checks that zh.json has the same keys).
func TestTranslationKeys(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`T\("([a-z0-9_.]+)"`)
	keys := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") {
				keys[m[1]] = true
			}
		}
	}
	for _, k := range []string{"review.permissions", "review.sdks", "review.apis", "review.endpoints", "review.components",
		"review.packers", "review.device", "review.screenshots", "exp.tpl.regulator", "exp.tpl.agency", "exp.tpl.association"} {
		keys[k] = true
	}
	for _, k := range cases.EvidenceKinds {
		keys["evkind."+string(k)] = true
	}
	en, _ := assets.Translations.ReadFile("translations/en.json")
	for k := range keys {
		if !strings.Contains(string(en), `"`+k+`"`) {
			t.Errorf("key %q missing from en.json", k)
		}
	}
}

// textOf joins the texts of the labels under o.
func textOf(o fyne.CanvasObject) string {
	var sb strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			sb.WriteString(w.Text + "\n")
		case *widget.RichText:
			sb.WriteString(w.String() + "\n")
		case *policyText:
			for i := range w.paras {
				for _, ts := range w.Segments(i) {
					sb.WriteString(ts.Text)
				}
				sb.WriteString("\n")
			}
			return
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, ch := range c.Objects {
				walk(ch)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, ch := range test.WidgetRenderer(w).Objects() {
				walk(ch)
			}
		}
	}
	if o != nil {
		walk(o)
	}
	return sb.String()
}

// TestTranslationsTranslated fails on a text left untranslated: a zh
// value equal to the en one that has English words in it (names such as
// "APK" or "SDK" are listed), and on an SDK category without a name.
func TestTranslationsTranslated(t *testing.T) {
	load := func(name string) map[string]string {
		b, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	en, zh := load("en.json"), load("zh.json")
	names := map[string]bool{"APK": true, "SDK": true, "AI": true}
	word := regexp.MustCompile(`[A-Za-z]{2,}`)
	han := regexp.MustCompile(`\p{Han}`)
	for k, e := range en {
		z, ok := zh[k]
		if !ok {
			t.Errorf("zh.json lacks %q", k)
			continue
		}
		if names[strings.TrimSpace(z)] {
			continue
		}
		if z == e && word.MatchString(e) || !han.MatchString(z) && word.MatchString(z) {
			t.Errorf("%q is not translated in zh.json: %q", k, z)
		}
	}
	for _, c := range sdk.Categories() {
		if _, ok := en["sdkcat."+string(c)]; !ok {
			t.Errorf("SDK category %q has no name (sdkcat.%s)", c, c)
		}
	}
	SetLanguage("zh")
	defer SetLanguage("en")
	if got := sdkCategoryName("push"); got != "推送" {
		t.Errorf("push = %q", got)
	}
}

// TestFyneTextsFollowUILanguage: Fyne's own texts (dialog buttons, the
// entry menu) are in the UI language, whatever the system's.
func TestFyneTextsFollowUILanguage(t *testing.T) {
	defer SetLanguage("en")
	SetLanguage("zh")
	if got := lang.L("OK") + lang.L("Paste"); got != "确定粘贴" {
		t.Errorf("zh: %q", got)
	}
	SetLanguage("en")
	if got := lang.L("OK") + lang.L("Paste"); got != "OKPaste" {
		t.Errorf("en: %q", got)
	}
}
