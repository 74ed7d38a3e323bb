package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/policy"
)

func rowByTitle(t *testing.T, rows []reviewRow, prefix string) int {
	t.Helper()
	for i, r := range rows {
		if strings.HasPrefix(r.Title, prefix) {
			return i
		}
	}
	t.Fatalf("no row %q in %d rows", prefix, len(rows))
	return -1
}

// highlighted returns the text of the segments of the policy pane drawn
// in the selected style.
func highlighted(v *reviewView) string {
	var sb strings.Builder
	for i := range v.text.paras {
		for _, ts := range v.text.Segments(i) {
			if ts.Style.ColorName == theme.ColorNameError {
				sb.WriteString(ts.Text)
			}
		}
	}
	return sb.String()
}

func TestReviewDeclaredRows(t *testing.T) {
	m := newTestMain(t, newFake(t), "zh")
	ws := openTestCase(t, m)
	v := ws.review
	perms := v.rows[revPermissions]
	want := map[string]int{"ACCESS_FINE_LOCATION": declYes, "READ_CONTACTS": declNo, "READ_PHONE_NUMBERS": declYes, "INTERNET": declNA}
	for name, d := range want {
		if got := perms[rowByTitle(t, perms, name)].Decl; got != d {
			t.Errorf("%s declared = %d, want %d", name, got, d)
		}
	}
	sdks := v.rows[revSDKs]
	if sdks[rowByTitle(t, sdks, "极光推送")].Decl != declYes || sdks[rowByTitle(t, sdks, "高德定位")].Decl != declNo {
		t.Errorf("sdk rows = %+v", sdks)
	}
	// an SDK only mentioned is listed apart, never declared-or-not
	if r := sdks[rowByTitle(t, sdks, "（提及）个推")]; r.Decl != declNA || !strings.Contains(r.Sub, "仅被提及") {
		t.Errorf("mention row = %+v", r)
	}
	apis := v.rows[revAPIs]
	if len(apis) != 4 || !strings.HasPrefix(apis[0].Title, "App 自身代码") {
		t.Errorf("api rows by owner = %+v", apis)
	}
	if n := len(v.rows[revDevice]); n != 3 || !strings.Contains(v.rows[revDevice][0].Sub, "同意前") {
		t.Errorf("device rows = %+v", v.rows[revDevice])
	}
	if len(v.rows[revScreenshots]) != 1 || len(v.rows[revPackers]) != 1 || len(v.rows[revComponents]) != 2 {
		t.Errorf("screenshots/packers/components = %d/%d/%d", len(v.rows[revScreenshots]), len(v.rows[revPackers]), len(v.rows[revComponents]))
	}
	if got := v.tabs.Items[revPermissions].Text; got != "权限 1/4" {
		t.Errorf("permissions tab = %q", got)
	}
	// APIs are counted per API, as the report counts them: 3 APIs (one
	// has two owners, so 4 rows), 1 with an undeclared use (contacts).
	if got := v.tabs.Items[revAPIs].Text; got != "敏感API 1/3" {
		t.Errorf("APIs tab = %q, want the report's count", got)
	}

	// A declared row jumps to its span.
	v.tabs.SelectIndex(revPermissions)
	v.lists[revPermissions].Select(rowByTitle(t, perms, "ACCESS_FINE_LOCATION"))
	if got := highlighted(v); got != "位置信息" {
		t.Errorf("highlighted %q, want 位置信息", got)
	}
	if !strings.Contains(v.found.Text, "“位置信息”") {
		t.Errorf("found = %q", v.found.Text)
	}
	// The declared-item list follows the row.
	if sel := v.itemSel; sel < 0 || v.spans[sel].Cat != pi.Location {
		t.Errorf("declared item selected = %d, want the location item", sel)
	}
	// An undeclared row says so; nothing stays highlighted.
	v.lists[revPermissions].Select(rowByTitle(t, perms, "READ_CONTACTS"))
	if v.found.Text != "隐私政策中未找到 READ_CONTACTS。" || v.found.Importance != widget.DangerImportance {
		t.Errorf("found = %q", v.found.Text)
	}
	if got := highlighted(v); got != "" || v.itemSel >= 0 {
		t.Errorf("undeclared row: highlighted %q, item %d selected", got, v.itemSel)
	}
	// A phone-number row moves the highlight to another paragraph.
	v.lists[revPermissions].Select(rowByTitle(t, perms, "READ_PHONE_NUMBERS"))
	if got := highlighted(v); got != "手机号码" {
		t.Errorf("highlighted %q, want 手机号码", got)
	}
}

func TestReviewDeclaredItemMarksDetections(t *testing.T) {
	m := newTestMain(t, newFake(t), "en")
	v := openTestCase(t, m).review
	loc := -1
	for i, s := range v.spans {
		if s.Cat == pi.Location {
			loc = i
		}
	}
	if loc < 0 {
		t.Fatal("no location span")
	}
	v.tabs.SelectIndex(revEndpoints)
	v.items.Select(loc)
	if v.tabs.SelectedIndex() != revPermissions {
		t.Errorf("tab = %d, want permissions", v.tabs.SelectedIndex())
	}
	var matched []string
	for tab := range revTabs {
		for _, r := range v.rows[tab] {
			if r.Matched {
				matched = append(matched, r.Title)
			}
		}
	}
	// FINE_LOCATION, the two getLastKnownLocation uses and the device's
	// FINE_LOCATION access: the rows whose disclosures cite the span (the
	// location word does not declare the AMap SDK: only its name does).
	if len(matched) != 4 {
		t.Errorf("matched = %q", matched)
	}
	if got := highlighted(v); got != "位置信息" {
		t.Errorf("highlighted %q", got)
	}
	// The SDK mention marks the SDK and its API use.
	for i, s := range v.spans {
		if s.SDKID == "jpush" {
			v.items.Select(i)
		}
	}
	if v.tabs.SelectedIndex() != revSDKs || !v.rows[revSDKs][0].Matched || v.rows[revSDKs][1].Matched {
		t.Errorf("jpush: tab %d rows %+v", v.tabs.SelectedIndex(), v.rows[revSDKs])
	}
}

// TestReviewRowsFollowDisclosures: the pane shows the stored judgement and
// decides nothing itself.
func TestReviewRowsFollowDisclosures(t *testing.T) {
	f := newFake(t)
	f.OpenCaseFn = func(context.Context, int64, int64) (*workspace.Case, error) {
		c := testCase(t)
		for i, d := range c.Disclosures {
			switch d.Key() {
			case "permission:app:android.permission.READ_CONTACTS": // the policy negates contacts
				c.Disclosures[i].Declared = true
				c.Disclosures[i].Spans = []rules.Span{{Start: 3, End: 6, Text: "xyz"}}
			case "permission:app:android.permission.ACCESS_FINE_LOCATION":
				c.Disclosures[i].Declared, c.Disclosures[i].Spans = false, []rules.Span{}
			}
		}
		return c, nil
	}
	v := openTestCase(t, newTestMain(t, f, "zh")).review
	perms := v.rows[revPermissions]
	if r := perms[rowByTitle(t, perms, "READ_CONTACTS")]; r.Decl != declYes || r.Start != 3 || r.End != 6 {
		t.Errorf("READ_CONTACTS row %+v, want the stored declared span", r)
	}
	if r := perms[rowByTitle(t, perms, "ACCESS_FINE_LOCATION")]; r.Decl != declNo {
		t.Errorf("ACCESS_FINE_LOCATION row %+v, want undeclared as stored", r)
	}
	eps := v.rows[revEndpoints]
	for _, r := range eps {
		if r.Decl != declNA {
			t.Errorf("endpoint %s decided %d without a disclosure", r.Title, r.Decl)
		}
	}
}

func TestSegmentsForRuneOffsets(t *testing.T) {
	text := "Ab中文，位置信息 and GPS。"
	runes := []rune(text)
	spans := []policySpan{{Start: 5, End: 9, Kind: spanData}, {Start: 14, End: 17, Kind: spanGroup}}
	segs := segmentsFor(runes, 0, spans, 7, 9)
	var all strings.Builder
	var kinds []string
	for _, s := range segs {
		ts := s.(*widget.TextSegment)
		all.WriteString(ts.Text)
		kinds = append(kinds, fmt.Sprintf("%s:%s", ts.Text, ts.Style.ColorName))
	}
	if all.String() != text {
		t.Fatalf("segments join to %q", all.String())
	}
	want := []string{"Ab中文，:foreground", "位置:primary", "信息:error", " and :foreground", "GPS:success", "。:foreground"}
	if strings.Join(kinds, "|") != strings.Join(want, "|") {
		t.Errorf("segments = %q", kinds)
	}
	// A paragraph starting later in the text (base offset) clips spans.
	segs = segmentsFor([]rune("信息 and"), 7, spans, -1, -1)
	if ts := segs[0].(*widget.TextSegment); ts.Text != "信息" || ts.Style.ColorName != theme.ColorNamePrimary {
		t.Errorf("clipped = %+v", ts)
	}
}

// largePolicyCase is a ~100 KB policy with one highlighted span per line.
func largePolicyCase(t testing.TB) (*workspace.Case, []policy.DataType) {
	c := testCase(t)
	var sb strings.Builder
	var dts []policy.DataType
	for i := 0; sb.Len() < 100<<10; i++ {
		line := fmt.Sprintf("第%d段：为提供服务，我们会收集您的位置信息和设备信息，并依法保护。", i)
		start := len([]rune(sb.String()))
		off := strings.Index(line, "位置信息")
		s := start + len([]rune(line[:off]))
		dts = append(dts, policy.DataType{Category: pi.Location, Text: "位置信息", Start: s, End: s + 4})
		sb.WriteString(line + "\n")
	}
	c.PolicyText = sb.String()
	c.Policy = &policy.Extraction{DataTypes: dts}
	return c, dts
}

// TestReviewLargePolicy opens a ~100 KB policy and selects its last span:
// the view scrolls to it. (Time is measured by BenchmarkReviewSelect.)
func TestReviewLargePolicy(t *testing.T) {
	m := newTestMain(t, newFake(t), "zh")
	ws := openTestCase(t, m)
	c, dts := largePolicyCase(t)
	ws.review.setCase(c)
	last := dts[len(dts)-1]
	ws.review.selectSpan(last.Start, last.End)
	if ws.review.scroll.Offset.Y <= 0 {
		t.Errorf("not scrolled to the last paragraph (offset %v)", ws.review.scroll.Offset)
	}
}

// BenchmarkReviewSelect measures selecting (highlight and scroll to) a span
// at the end of a ~100 KB policy.
func BenchmarkReviewSelect(b *testing.B) {
	m := newTestMain(b, newFake(b), "zh")
	ws := openTestCase(b, m)
	c, dts := largePolicyCase(b)
	ws.review.setCase(c)
	first, last := dts[0], dts[len(dts)-1]
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			ws.review.selectSpan(last.Start, last.End)
		} else {
			ws.review.selectSpan(first.Start, first.End)
		}
	}
}

// TestPastedPolicyKeptOnError: when storing a pasted policy fails, the
// paste dialog comes back with the text, next to the error.
func TestPastedPolicyKeptOnError(t *testing.T) {
	b := newFake(t)
	b.SetPolicyFn = func(context.Context, int64, int64, string, string) error {
		return fmt.Errorf("app: set policy: %w", policy.ErrNoText)
	}
	m := newTestMain(t, b, "zh")
	ws := openTestCase(t, m)
	ws.review.setPolicy("", "我们收集您的位置信息。")
	wait(t, ws.task.wait())
	found := false
	for _, o := range m.w.Canvas().Overlays().List() {
		if strings.Contains(textOf(o), "隐私政策没有可读取的文字") {
			found = true
		}
	}
	if !found {
		t.Error("no error shown")
	}
	var kept bool
	for _, o := range m.w.Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			if e, ok := obj.(*widget.Entry); ok && e.Text == "我们收集您的位置信息。" {
				kept = true
			}
		}
	}
	if !kept {
		t.Error("the pasted text was lost")
	}
}
