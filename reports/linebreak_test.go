package reports

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// monoWidth measures CJK runes as 2 units and everything else as 1.
func monoWidth(s string) float64 {
	r, _ := utf8.DecodeRuneInString(s)
	if isCJK(r) {
		return 2
	}
	return 1
}

func width(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += monoWidth(string(r))
	}
	return w
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestBreakLines(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"cjk", "个人信息处理者", 6, []string{"个人信", "息处理", "者"}},
		// "，" may not start a line: "息" moves down with it.
		{"closing punct pushes previous char", "个人信息，处理", 8, []string{"个人信", "息，处理"}},
		{"closing run", "应当告知。」下列", 8, []string{"应当告", "知。」下", "列"}},
		// "《" may not end a line.
		{"opening bracket moves down", "依据《个人", 6, []string{"依据", "《个人"}},
		{"latin words at spaces", "the quick brown fox", 10, []string{"the quick", "brown fox"}},
		{"cjk then latin", "读取IMEI号码", 8, []string{"读取IMEI", "号码"}},
		{"newlines kept", "第一行\n\n第二行", 20, []string{"第一行", "", "第二行"}},
		{"hex broken anywhere", "3f1a9c0e6b2d4f8a7c5e", 8, []string{"3f1a9c0e", "6b2d4f8a", "7c5e"}},
		{"class name broken after dot", "com.example.shop.LocationHelper", 20, []string{"com.example.shop.", "LocationHelper"}},
		{"ellipsis not at line start", "未完待续……", 8, []string{"未完待", "续……"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := breakLines(tt.text, tt.width, monoWidth)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("breakLines(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

func TestBreakLinesInvariants(t *testing.T) {
	text := cite(t, "pipl/17").TextZH + " com.igexin.push.core.a.b(Landroid/content/Context;)V SHA-256 5d41402abc4b2a76b9719d911017c592d41402abc4b2a76b9719d911017c5925（测试）“引号”。"
	for _, w := range []float64{3, 8, 13, 30, 77} {
		lines := breakLines(text, w, monoWidth)
		if got := stripSpace(strings.Join(lines, "")); got != stripSpace(text) {
			t.Fatalf("width %v: text changed:\n%s\n%s", w, got, stripSpace(text))
		}
		for i, l := range lines {
			if width(l) > w && utf8.RuneCountInString(l) > 1 {
				t.Errorf("width %v: line %d %q is %v wide", w, i, l, width(l))
			}
			if i > 0 && l != "" {
				r, _ := utf8.DecodeRuneInString(l)
				if isClosing(r) && w >= 8 {
					t.Errorf("width %v: line %d starts with closing %q", w, i, l)
				}
			}
			if l != "" {
				r, _ := utf8.DecodeLastRuneInString(l)
				if isOpening(r) && w >= 8 {
					t.Errorf("width %v: line %d ends with opening %q", w, i, l)
				}
			}
		}
	}
}

func FuzzBreakLines(f *testing.F) {
	f.Add("个人信息处理者在处理个人信息前，应当以显著方式、清晰易懂的语言真实、准确、完整地向个人告知下列事项：", 9.0)
	f.Add("com.example.shop.location.LocationHelper(LocationHelper.java:128) the quick brown fox", 12.0)
	f.Add("（（（（《《》》））））。。。", 4.0)
	f.Fuzz(func(t *testing.T, s string, w float64) {
		if !utf8.ValidString(s) || w != w || w < 2 || w > 1e6 {
			return
		}
		lines := breakLines(s, w, monoWidth)
		norm := strings.NewReplacer("\r\n", "", "\r", "").Replace(s)
		if stripSpace(strings.Join(lines, "")) != stripSpace(norm) {
			t.Fatalf("text changed for %q at %v: %q", s, w, lines)
		}
		for _, l := range lines {
			if width(l) > w && utf8.RuneCountInString(strings.TrimSpace(l)) > 1 {
				t.Fatalf("line %q wider than %v", l, w)
			}
		}
	})
}
