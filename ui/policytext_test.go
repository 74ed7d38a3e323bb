package ui

import (
	"math"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

// longPolicy is one long Chinese paragraph with data words highlighted in
// it, and a short second paragraph.
const longPolicy = "为向您提供附近门店推荐，我们会收集您的位置信息、设备标识符和手机号码，并在您使用外卖、支付、评价等功能时，" +
	"收集您的订单信息、支付账户和评价内容。我们会将上述信息用于身份验证、客户服务、安全防范、诈骗监测、存档和备份用途，" +
	"确保我们向您提供的产品和服务的安全性；如您拒绝提供位置信息，您仍可手动选择收货地址（但无法获得附近推荐）。" +
	"We use the Amap Location SDK to compute your approximate location.\n" +
	"如有问题，请联系我们。"

// renderedLines returns the text of each line drawn in the policy pane, top
// to bottom: the canvas.Text objects under the pane grouped by their
// absolute y position and joined in x order.
func renderedLines(t *testing.T, root fyne.CanvasObject) []string {
	t.Helper()
	type piece struct {
		x, y float32
		s    string
	}
	var ps []piece
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if !o.Visible() {
			return
		}
		at = at.Add(o.Position())
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				ps = append(ps, piece{at.X, float32(math.Round(float64(at.Y))), x.Text})
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c, at)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c, at)
			}
		}
	}
	walk(root, fyne.Position{})
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].y != ps[j].y {
			return ps[i].y < ps[j].y
		}
		return ps[i].x < ps[j].x
	})
	var lines []string
	var lastY float32 = -1
	for _, p := range ps {
		if p.y != lastY || len(lines) == 0 {
			lines = append(lines, "")
			lastY = p.y
		}
		lines[len(lines)-1] += p.s
	}
	return lines
}

// TestPolicyPaneWrapsParagraphs: a long paragraph with highlights is drawn
// as full lines (no runs of one-character lines around the highlights), no
// line starts with closing punctuation, and the text is all there.
func TestPolicyPaneWrapsParagraphs(t *testing.T) {
	m := newTestMain(t, newFake(t), "zh")
	ws := openTestCase(t, m)
	c := testCase(t)
	c.PolicyText = longPolicy
	var dts []policy.DataType
	for _, w := range []string{"位置信息", "设备标识符", "手机号码", "订单信息", "支付账户"} {
		s, e := runeSpan(t, longPolicy, w)
		dts = append(dts, policy.DataType{Category: pi.Location, Text: w, Start: s, End: e, Practice: "collect"})
	}
	c.Policy = &policy.Extraction{DataTypes: dts}
	ws.review.setCase(c)
	ws.review.selectSpan(dts[1].Start, dts[1].End)
	for _, width := range []float32{1366, 1000} {
		m.w.Resize(fyne.NewSize(width, 768))
		lines := renderedLines(t, ws.review.scroll)
		if len(lines) < 3 {
			t.Fatalf("width %v: %d lines drawn: %q", width, len(lines), lines)
		}
		joined := strings.Join(lines, "")
		want := strings.ReplaceAll(strings.ReplaceAll(longPolicy, "\n", ""), " ", "")
		if strings.ReplaceAll(joined, " ", "") != want {
			t.Errorf("width %v: lines do not join to the policy text:\n%q", width, lines)
		}
		single := 0
		for i, l := range lines {
			n := utf8.RuneCountInString(strings.TrimSpace(l))
			if n <= 1 {
				single++
			} else {
				single = 0
			}
			if single >= 2 {
				t.Errorf("width %v: lines %d-%d hold one character each: %q", width, i-1, i, lines[max(i-3, 0):min(i+2, len(lines))])
				break
			}
			if r, _ := utf8.DecodeRuneInString(l); strings.ContainsRune(noLineStart, r) {
				t.Errorf("width %v: line %d starts with closing punctuation: %q", width, i, l)
			}
		}
		// A full line is most of the pane: the long paragraph needs few.
		longest := 0
		for _, l := range lines {
			longest = max(longest, utf8.RuneCountInString(l))
		}
		if longest < 20 {
			t.Errorf("width %v: longest line has %d characters: %q", width, longest, lines)
		}
	}
}

// BenchmarkPolicyRewrap measures wrapping a ~100 KB policy again for a new
// pane width (what dragging the divider costs).
func BenchmarkPolicyRewrap(b *testing.B) {
	m := newTestMain(b, newFake(b), "zh")
	ws := openTestCase(b, m)
	c, _ := largePolicyCase(b)
	ws.review.setCase(c)
	for i := 0; b.Loop(); i++ {
		ws.review.text.Resize(fyne.NewSize(float32(500+i%2*100), ws.review.text.height))
	}
}
