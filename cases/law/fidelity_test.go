package law

import (
	"strings"
	"testing"
)

func TestRestorePunct(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		changed  bool
	}{
		{"为了规范移动互联网应用程序(App)收集个人信息行为,保障公民个人信息安全,根据", "为了规范移动互联网应用程序（App）收集个人信息行为，保障公民个人信息安全，根据", true},
		{"常见类型App的必要个人信息范围:", "常见类型App的必要个人信息范围：", true},
		{"未逐一列出App(包括委托的第三方或嵌入的第三方代码、插件)收集", "未逐一列出App（包括委托的第三方或嵌入的第三方代码、插件）收集", true},
		{"处一万元以上三万元以下的罚款；", "处一万元以上三万元以下的罚款；", false},
		{"共计1,000元", "共计1,000元", false},
		{"Article 5(1), see f(x)", "Article 5(1), see f(x)", false}, // no Chinese at all
		{"是否同意? 否!", "是否同意？否！", true},
		{"(一)地图导航类", "（一）地图导航类", true},
	} {
		got, ch := RestorePunct(tc.in)
		if got != tc.want || ch != tc.changed {
			t.Errorf("RestorePunct(%q) = %q, %v; want %q, %v", tc.in, got, ch, tc.want, tc.changed)
		}
	}
}

// TestCatalogFidelity checks the embedded catalog: no ASCII punctuation left
// in Chinese context, every restored article flagged, the 39-type table
// rendered into nps/5 instead of its placeholder, and traditional texts
// flagged (the character list comes from OpenCC, so the catalog itself is
// material the detector was not tuned on: only n26/6 is traditional).
func TestCatalogFidelity(t *testing.T) {
	c := mustEmbedded(t)
	var restored, trad []string
	for _, d := range c.Documents() {
		for _, a := range d.Articles {
			if again, ch := RestorePunct(a.TextZH); ch {
				t.Errorf("%s still has ASCII punctuation in Chinese context: %q", a.ID, again)
			}
			if a.PunctRestored {
				restored = append(restored, a.ID)
				if !strings.Contains(a.StatusNote, NotePunctRestored) {
					t.Errorf("%s: restored but not noted", a.ID)
				}
			}
			if a.Traditional {
				trad = append(trad, a.ID)
			}
			if strings.Contains(a.TextZH, "items — see") {
				t.Errorf("%s: placeholder inside the text: %q", a.ID, a.TextZH)
			}
		}
	}
	if len(restored) < 15 {
		t.Errorf("only %d articles restored: %v", len(restored), restored)
	}
	if strings.Join(trad, ",") != "n26/6" {
		t.Errorf("traditional articles %v, want [n26/6]", trad)
	}
	a, _ := c.Article("n26/6")
	if !strings.Contains(a.DisplayText("zh"), TraditionalWarningZH) {
		t.Errorf("n26/6 shown without the warning: %q", a.DisplayText("zh"))
	}
	if cit, _ := c.Cite("n26/6"); !cit.Traditional {
		t.Error("citation of n26/6 not flagged traditional")
	}
	nps5, _ := c.Article("nps/5")
	if !nps5.Assembled || nps5.Partial || !strings.HasPrefix(nps5.TextZH, "常见类型App的必要个人信息范围：\n（一）地图导航类，基本功能服务为“定位和导航”") ||
		!strings.Contains(nps5.TextZH, "（三十九）") {
		t.Errorf("nps/5 = %q", nps5.TextZH[:min(len(nps5.TextZH), 200)])
	}
	if IsTraditional(nps5.TextZH) {
		t.Error("the simplified 39-type table is flagged traditional")
	}
}
