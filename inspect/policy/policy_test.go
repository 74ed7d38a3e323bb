package policy

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appinspect/appinspect/inspect/pi"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const zhPolicy = `示例App隐私政策
更新日期：2024年3月1日
生效日期：2024年3月8日
示例科技有限公司（以下简称“我们”，注册地址：北京市海淀区示例路1号）深知个人信息对您的重要性。
一、我们如何收集和使用您的个人信息
（一）注册与登录
1. 当您注册账号时，我们会收集您的手机号码和昵称，用于创建账号。
（二）定位服务
在您使用附近门店功能时，我们会申请位置权限，获取您的精确位置信息，以便为您推荐附近的门店。
我们不会收集您的通讯录。
（1）设备信息
为了保障账号安全，我们会收集您的设备型号、操作系统版本、IMEI、Android ID和IP地址。
二、第三方SDK
我们接入了个推推送SDK和高德地图SDK，用于消息推送与定位。
三、您的权利
您可以访问、更正、删除您的个人信息，也可以注销账号或撤回同意。
四、未成年人保护
若您是未满14周岁的儿童，请在监护人同意后使用。
五、本政策如何更新
本政策发生变更时，我们会以弹窗方式通知您。
六、如何联系我们
如有疑问，请通过客服电话400-000-0000联系我们。我们会将个人信息存储在中华人民共和国境内，保存期限为实现目的所必需的最短期限。`

func mustLoad(t *testing.T, name string, b []byte, kind string) *Document {
	t.Helper()
	d, err := LoadBytes(name, b, kind)
	if err != nil {
		t.Fatalf("LoadBytes(%s): %v", name, err)
	}
	checkOffsets(t, d)
	return d
}

// checkOffsets verifies every span's text against Document.Text.
func checkOffsets(t *testing.T, d *Document) {
	t.Helper()
	chk := func(what string, s Span) {
		if got := d.Slice(s.Start, s.End); got != s.Text {
			t.Errorf("%s span [%d,%d): text %q, slice %q", what, s.Start, s.End, s.Text, got)
		}
	}
	for _, s := range d.Paragraphs {
		chk("paragraph", s)
	}
	for _, s := range d.Sentences {
		chk("sentence", s)
	}
	for _, s := range d.Sections {
		chk("heading", s.Heading)
	}
	for _, tb := range d.Tables {
		for _, r := range tb.Rows {
			chk("row", r.Span)
			for _, c := range r.Cells {
				chk("cell", c)
			}
		}
	}
}

func TestLoadSectionsAndSentences(t *testing.T) {
	now = func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }
	defer func() { now = func() time.Time { return time.Now().UTC() } }()
	d := mustLoad(t, "policy.txt", []byte(zhPolicy), KindPaste)
	if d.Original.Source.Kind != KindPaste || d.Original.Source.Format != "txt" || d.Original.Size != len(zhPolicy) {
		t.Errorf("original: %+v", d.Original.Source)
	}
	if !d.Original.Source.Fetched.Equal(now()) || len(d.Original.SHA256) != 64 {
		t.Errorf("evidence: %+v %s", d.Original.Source.Fetched, d.Original.SHA256)
	}
	type sec struct {
		num   string
		level int
		title string
	}
	var got []sec
	for _, s := range d.Sections {
		got = append(got, sec{s.Number, s.Level, s.Title})
	}
	want := []sec{
		{"一、", 1, "我们如何收集和使用您的个人信息"},
		{"（一）", 2, "注册与登录"},
		{"（二）", 2, "定位服务"},
		{"（1）", 3, "设备信息"},
		{"二、", 1, "第三方SDK"},
		{"三、", 1, "您的权利"},
		{"四、", 1, "未成年人保护"},
		{"五、", 1, "本政策如何更新"},
		{"六、", 1, "如何联系我们"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("sections:\n got %v\nwant %v", got, want)
	}
	// "1. 当您注册账号时，…。" is a numbered list item, not a heading.
	for _, s := range d.Sections {
		if strings.HasPrefix(s.Heading.Text, "1.") {
			t.Errorf("list item taken as heading: %q", s.Heading.Text)
		}
	}
	// parent of （1） is （二）
	if p := d.Sections[3].Parent; p != 2 {
		t.Errorf("parent of （1）: %d", p)
	}
	if d.Sections[0].End != d.Sections[4].Start {
		t.Errorf("section 一 ends at %d, 二 starts at %d", d.Sections[0].End, d.Sections[4].Start)
	}
	// sentences split at 。 and keep their text
	n := 0
	for _, s := range d.Sentences {
		if strings.HasPrefix(s.Text, "如有疑问") {
			n++
			if !strings.HasSuffix(s.Text, "联系我们。") {
				t.Errorf("sentence %q", s.Text)
			}
		}
	}
	if n != 1 {
		t.Errorf("sentence not found once: %d", n)
	}
	// the same bytes give the same document
	d2 := mustLoad(t, "policy.txt", []byte(zhPolicy), KindPaste)
	if d2.Text != d.Text || !slices.Equal(d2.Sentences, d.Sentences) {
		t.Error("not deterministic")
	}
}

// hasData reports whether text is declared with the (broad) category c.
func hasData(ex *Extraction, c pi.Category, text string) bool {
	for _, d := range ex.DataTypes {
		if d.Category == c && d.Declared() && d.Text == text {
			return true
		}
	}
	return false
}

func TestExtractChinese(t *testing.T) {
	d := mustLoad(t, "policy.txt", []byte(zhPolicy), KindPaste)
	ex := Extract(d, Options{ResolveSDK: func(n string) (string, bool) {
		if n == "Getui" {
			return "getui", true
		}
		return "", false
	}})
	rs := []rune(d.Text)
	for _, dt := range ex.DataTypes {
		if string(rs[dt.Start:dt.End]) != dt.Text {
			t.Errorf("data type offsets: %+v", dt)
		}
	}
	for _, c := range []struct {
		cat  pi.Category
		text string
	}{
		{pi.PhoneNumber, "手机号码"}, {pi.AccountInfo, "昵称"}, {pi.Location, "精确位置信息"},
		{pi.DeviceInfo, "设备型号"}, {pi.DeviceID, "IMEI"}, {pi.DeviceID, "Android ID"}, {pi.NetworkInfo, "IP地址"},
	} {
		if !hasData(ex, c.cat, c.text) {
			t.Errorf("data type %s %q not found", c.cat, c.text)
		}
	}
	// negated: "我们不会收集您的通讯录"
	if len(ex.Declares(pi.Contacts)) != 0 {
		t.Errorf("negated contacts declared: %+v", ex.Declares(pi.Contacts))
	}
	var neg bool
	for _, dt := range ex.DataTypes {
		if dt.Category == pi.Contacts && dt.Negated {
			neg = true
		}
	}
	if !neg {
		t.Error("negated contacts mention not kept")
	}
	for _, dt := range ex.Declares(pi.Location) {
		if !dt.Sensitive {
			t.Errorf("location not sensitive: %+v", dt)
		}
	}
	// permission groups
	for _, g := range []string{"LOCATION", "PHONE"} {
		if len(ex.DeclaresGroup(g)) == 0 {
			t.Errorf("group %s missing", g)
		}
	}
	if len(ex.DeclaresGroup("MICROPHONE")) != 0 || len(ex.DeclaresGroup("SMS")) != 0 {
		t.Errorf("unexpected groups: %+v", ex.PermissionGroups)
	}
	// permission explanation: 位置权限 … 以便为您推荐附近的门店
	var pe *PermissionExplanation
	for i := range ex.Permissions {
		if ex.Permissions[i].Group == "LOCATION" && ex.Permissions[i].Permission.Text == "位置权限" {
			pe = &ex.Permissions[i]
		}
	}
	if pe == nil || !pe.Explained || !strings.Contains(pe.Purpose.Text, "推荐附近的门店") {
		t.Errorf("permission explanation: %+v", pe)
	}
	// purposes and functions
	var sec bool
	for _, p := range ex.Purposes {
		if strings.Contains(p.Text, "保障账号安全") && slices.Contains(p.Functions, "security") {
			sec = true
		}
	}
	if !sec {
		t.Errorf("purpose 保障账号安全/security not found: %+v", ex.Purposes)
	}
	// conditions
	var cond bool
	for _, c := range ex.Conditions {
		if strings.HasPrefix(c.Text, "在您使用附近门店功能时") {
			cond = true
		}
	}
	if !cond {
		t.Errorf("condition not found: %+v", ex.Conditions)
	}
	// SDKs: names from the lexicon, id resolved through an alias.
	names := map[string]SDKMention{}
	for _, s := range ex.SDKs {
		names[s.Name] = s
	}
	if s, ok := names["个推推送SDK"]; !ok || s.ID != "getui" || s.Key != "getui" {
		t.Errorf("getui: %+v (all %+v)", s, ex.SDKs)
	}
	if _, ok := names["高德地图SDK"]; !ok {
		t.Errorf("amap missing: %+v", ex.SDKs)
	}
	if len(ex.MentionsSDK("getui", "")) != 1 || len(ex.MentionsSDK("", "高德")) != 1 {
		t.Error("MentionsSDK")
	}
	// elements: all present in this policy
	for _, e := range ex.Elements {
		if !e.Present {
			t.Errorf("element %s missing", e.ID)
			continue
		}
		if d.Slice(e.Start, e.End) != e.Text {
			t.Errorf("element %s span", e.ID)
		}
	}
	el := map[string]Element{}
	for _, e := range ex.Elements {
		el[e.ID] = e
	}
	if el["effective_date"].Value != "2024年3月8日" && el["effective_date"].Value != "2024年3月1日" {
		t.Errorf("effective date: %+v", el["effective_date"])
	}
	if !strings.Contains(el["account_cancellation"].Text, "注销账号") {
		t.Errorf("account cancellation: %+v", el["account_cancellation"])
	}
	if len(ex.Sections) != len(d.Sections) || !slices.Contains(ex.Sections[5].Topics, "rights") {
		t.Errorf("section topics: %+v", ex.Sections)
	}
}

func TestElementsMissing(t *testing.T) {
	d := mustLoad(t, "p.txt", []byte("我们会收集您的手机号码，用于登录。"), KindTXT)
	ex := Extract(d, Options{})
	missing := map[string]bool{}
	for _, e := range ex.Elements {
		if !e.Present {
			missing[e.ID] = true
			if e.Start != 0 || e.End != 0 {
				t.Errorf("missing element with span: %+v", e)
			}
		}
	}
	for _, id := range []string{"retention", "minors", "cross_border", "effective_date", "account_cancellation", "updates"} {
		if !missing[id] {
			t.Errorf("%s should be missing", id)
		}
	}
	if missing["purposes"] {
		t.Error("purposes should be present")
	}
}

const enPolicy = `Privacy Policy
Last updated: March 1, 2024
1. Information We Collect
We collect your email address, phone number and precise location when you use the map feature. We use your location to show nearby stores.
We also collect device identifiers such as the advertising ID and IP address.
2. Your Rights
You can access, correct or delete your data, and delete your account at any time. You may withdraw your consent.
3. Children
Our service is not directed to children under the age of 13.`

func TestExtractEnglish(t *testing.T) {
	d := mustLoad(t, "en.txt", []byte(enPolicy), KindTXT)
	ex := Extract(d, Options{})
	for _, c := range []struct {
		cat  pi.Category
		text string
	}{{pi.ContactInfo, "email address"}, {pi.PhoneNumber, "phone number"}, {pi.Location, "precise location"}, {pi.DeviceID, "advertising ID"}, {pi.NetworkInfo, "IP address"}} {
		if !hasData(ex, c.cat, c.text) {
			t.Errorf("%s %q not found in %+v", c.cat, c.text, ex.DataTypes)
		}
	}
	// "ip" must not match inside words, e.g. "relationship"
	d2 := mustLoad(t, "en2.txt", []byte("Our relationship with you matters."), KindTXT)
	if dts := Extract(d2, Options{}).DataTypes; len(dts) != 0 {
		t.Errorf("false matches: %+v", dts)
	}
	if len(d.Sections) != 3 || d.Sections[1].Title != "Your Rights" {
		t.Errorf("sections: %+v", d.Sections)
	}
	el := map[string]Element{}
	for _, e := range ex.Elements {
		el[e.ID] = e
	}
	for _, id := range []string{"rights_access", "rights_deletion", "account_cancellation", "withdraw_consent", "minors", "effective_date"} {
		if !el[id].Present {
			t.Errorf("%s missing", id)
		}
	}
	if len(ex.Conditions) == 0 || !strings.HasPrefix(ex.Conditions[0].Text, "when you use the map feature") {
		t.Errorf("conditions: %+v", ex.Conditions)
	}
}

func TestGBKAndMixed(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(zhPolicy))
	if err != nil {
		t.Fatal(err)
	}
	d := mustLoad(t, "gbk.txt", gbk, KindTXT)
	if d.Text != zhPolicy || d.Original.Source.Encoding != "gb18030" {
		t.Fatalf("gbk decode: enc %s, equal %v", d.Original.Source.Encoding, d.Text == zhPolicy)
	}
	line, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("我们会收集您的位置信息。\n"))
	mixed := append([]byte("第一行是UTF-8：通讯录。\n"), line...)
	d = mustLoad(t, "mixed.txt", mixed, KindTXT)
	if d.Text != "第一行是UTF-8：通讯录。\n我们会收集您的位置信息。\n" || d.Original.Source.Encoding != "mixed utf-8/gb18030" {
		t.Errorf("mixed: %q %s", d.Text, d.Original.Source.Encoding)
	}
	// UTF-16LE with BOM and CRLF
	u := []byte{0xFF, 0xFE}
	for _, r := range "隐私政策\r\n位置信息" {
		u = append(u, byte(r), byte(r>>8))
	}
	d = mustLoad(t, "u16.txt", u, "")
	if d.Text != "隐私政策\n位置信息" {
		t.Errorf("utf-16: %q", d.Text)
	}
}

const htmlPolicy = `<!DOCTYPE html><html><head><title>不要这个标题</title><style>p{color:red}</style>
<script>var location = "位置信息";</script></head><body>
<h1>隐私政策</h1><p>我们会收集您的<b>设备信息</b>和
  位置信息。</p>
<h2>第三方SDK列表</h2>
<table><thead><tr><th>SDK名称</th><th>第三方公司</th><th>使用目的</th><th>收集的个人信息</th><th>隐私政策链接</th></tr></thead>
<tbody>
<tr><td>友盟统计SDK</td><td>友盟同欣（北京）科技有限公司</td><td>统计分析</td><td>设备标识符（IMEI、OAID）</td><td>https://www.umeng.com/page/policy</td></tr>
<tr><td>某某自研组件</td><td>某某公司</td><td>崩溃分析</td><td>设备型号</td><td><a href="x">https://example.com/p</a></td></tr>
</tbody></table>
<ul><li>第一项</li><li>第二项</li></ul>
</body></html>`

func TestHTMLWithSDKTable(t *testing.T) {
	d := mustLoad(t, "policy.html", []byte(htmlPolicy), "")
	if d.Original.Source.Kind != KindHTML {
		t.Errorf("kind %q", d.Original.Source.Kind)
	}
	for _, bad := range []string{"color:red", "var location", "不要这个标题"} {
		if strings.Contains(d.Text, bad) {
			t.Errorf("text keeps %q", bad)
		}
	}
	if !strings.Contains(d.Text, "我们会收集您的设备信息和 位置信息。\n") || !strings.Contains(d.Text, "第一项\n第二项") {
		t.Errorf("text: %q", d.Text)
	}
	if len(d.Sections) != 2 || d.Sections[1].Title != "第三方SDK列表" || d.Sections[1].Parent != 0 {
		t.Errorf("sections: %+v", d.Sections)
	}
	if len(d.Tables) != 1 || len(d.Tables[0].Rows) != 3 || !d.Tables[0].Rows[0].Header || len(d.Tables[0].Rows[1].Cells) != 5 {
		t.Fatalf("tables: %+v", d.Tables)
	}
	ex := Extract(d, Options{ResolveSDK: func(n string) (string, bool) { return map[string]string{"友盟+": "umeng"}[n], n == "友盟+" }})
	var table []SDKMention
	for _, s := range ex.SDKs {
		if s.Source == "table" {
			table = append(table, s)
		}
	}
	if len(table) != 2 {
		t.Fatalf("table sdks: %+v", ex.SDKs)
	}
	u := table[0]
	if u.Name != "友盟统计SDK" || u.ID != "umeng" || u.Vendor != "友盟同欣（北京）科技有限公司" || u.Purpose != "统计分析" ||
		u.PolicyURL != "https://www.umeng.com/page/policy" || !slices.Contains(u.DataTypes, pi.DeviceID) {
		t.Errorf("umeng row: %+v", u)
	}
	if table[1].Name != "某某自研组件" || table[1].ID != "" || table[1].PolicyURL != "https://example.com/p" {
		t.Errorf("second row: %+v", table[1])
	}
}

func TestSDKKeyValueList(t *testing.T) {
	src := "**OPPO推送SDK**\n\n运营方：广东欢太科技有限公司\n\n功能：推送消息\n\n收集个人信息类型：设备信息（IMEI）\n\n隐私政策：[https://example.com/oppo](https://example.com/oppo)\n\n" +
		"即时通讯（腾讯云即时通信IM）\n\n第三方名称：腾讯云计算（北京）有限责任公司\n\n使用目的：聊天\n\n收集个人信息类型：网络类型\n"
	d := mustLoad(t, "list.md", []byte(src), KindTXT)
	ex := Extract(d, Options{})
	var list []SDKMention
	for _, s := range ex.SDKs {
		if s.Source == "list" {
			list = append(list, s)
		}
	}
	if len(list) != 2 || list[0].Name != "OPPO推送SDK" || list[0].Vendor != "广东欢太科技有限公司" || list[0].PolicyURL != "https://example.com/oppo" ||
		list[1].Name != "腾讯云即时通信IM" || list[1].Purpose != "聊天" {
		t.Errorf("list: %+v", list)
	}
}

func TestMarkdownTableAndHeadings(t *testing.T) {
	src := "# 隐私政策\n\n## 权限列表\n\n| 权限 | 使用目的 |\n| --- | --- |\n| 相机权限 | 扫码登录 |\n| 麦克风权限 | 语音搜索 |\n"
	d := mustLoad(t, "p.md", []byte(src), KindTXT)
	if len(d.Tables) != 1 || len(d.Tables[0].Rows) != 3 || !d.Tables[0].Rows[0].Header || d.Tables[0].Rows[1].Cells[0].Text != "相机权限" {
		t.Fatalf("tables: %+v", d.Tables)
	}
	if len(d.Sections) != 2 || d.Sections[1].Level != 2 {
		t.Errorf("sections %+v", d.Sections)
	}
	ex := Extract(d, Options{})
	got := map[string]string{}
	for _, p := range ex.Permissions {
		got[p.Group] = p.Purpose.Text
	}
	if got["CAMERA"] != "扫码登录" || got["MICROPHONE"] != "语音搜索" {
		t.Errorf("permission explanations from table: %+v", ex.Permissions)
	}
}

// buildDOCX writes a minimal .docx with the given document.xml body.
func buildDOCX(t testing.TB, body string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("[Content_Types].xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const docxBody = `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>隐私政策</w:t></w:r></w:p>` +
	`<w:p><w:r><w:t>一、我们如何收集</w:t></w:r></w:p>` +
	`<w:p><w:r><w:t xml:space="preserve">我们会收集您的</w:t></w:r><w:r><w:t>位置信息。</w:t></w:r></w:p>` +
	`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>SDK名称</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>提供方</w:t></w:r></w:p></w:tc></w:tr>` +
	`<w:tr><w:tc><w:p><w:r><w:t>极光推送SDK</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>深圳市和讯华谷信息技术有限公司</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
	`<w:p><w:r><w:t>完</w:t></w:r></w:p>`

func TestDOCX(t *testing.T) {
	b := buildDOCX(t, docxBody)
	d := mustLoad(t, "policy.docx", b, "")
	want := "隐私政策\n一、我们如何收集\n我们会收集您的位置信息。\nSDK名称\t提供方\n极光推送SDK\t深圳市和讯华谷信息技术有限公司\n完\n"
	if d.Text != want {
		t.Errorf("docx text:\n%q\nwant\n%q", d.Text, want)
	}
	if len(d.Sections) != 2 || d.Sections[0].Title != "隐私政策" || d.Sections[1].Number != "一、" || d.Sections[1].Level != 2 {
		t.Errorf("sections: %+v", d.Sections)
	}
	ex := Extract(d, Options{})
	if len(ex.SDKs) != 1 || ex.SDKs[0].Source != "table" || ex.SDKs[0].Vendor != "深圳市和讯华谷信息技术有限公司" || ex.SDKs[0].Key != "jpush" {
		t.Errorf("sdks: %+v", ex.SDKs)
	}
	// a zip that is not a docx
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.Create("other.txt")
	zw.Close()
	if _, err := LoadBytes("x.docx", buf.Bytes(), KindDOCX); !errors.Is(err, ErrUnsupported) {
		t.Errorf("zip without document.xml: %v", err)
	}
}

func TestUIAutomator(t *testing.T) {
	xml := `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0"><node text="" content-desc="" class="android.widget.FrameLayout">` +
		`<node text="个人信息保护指引" content-desc="" class="android.widget.TextView"/>` +
		`<node text="我们会申请相机权限，用于扫码。点击同意即表示您已阅读《隐私政策》。" content-desc="" class="android.widget.TextView"/>` +
		`<node text="同意" content-desc="同意" class="android.widget.Button"/><node text="" content-desc="不同意" class="android.widget.Button"/></node></hierarchy>`
	d := mustLoad(t, "dump.xml", []byte(xml), KindUIAutomator)
	if d.Text != "个人信息保护指引\n我们会申请相机权限，用于扫码。点击同意即表示您已阅读《隐私政策》。\n同意\n不同意\n" {
		t.Errorf("text %q", d.Text)
	}
	ex := Extract(d, Options{})
	if len(ex.DeclaresGroup("CAMERA")) != 1 || len(ex.Permissions) != 1 || !ex.Permissions[0].Explained {
		t.Errorf("camera: %+v %+v", ex.PermissionGroups, ex.Permissions)
	}
	// sniffed without a kind
	if d2 := mustLoad(t, "window_dump.xml", []byte(xml), ""); d2.Original.Source.Kind != KindUIAutomator {
		t.Errorf("sniff: %s", d2.Original.Source.Kind)
	}
	if _, err := LoadBytes("x.xml", []byte("<a><b>"), KindUIAutomator); err == nil {
		t.Error("broken uiautomator accepted")
	}
	p := filepath.Join(sharedDir(), "fixtures", "adb", "wework__uiautomator_window_dump.xml")
	if _, err := os.Stat(p); err != nil {
		t.Skip("shared fixtures absent: skipping the real uiautomator dump")
	}
	dw, err := Load(p)
	if err != nil || !strings.Contains(dw.Text, "客户联系") {
		t.Errorf("real dump: %v", err)
	}
}

func TestBadInputs(t *testing.T) {
	cases := []struct {
		name string
		b    []byte
		kind string
		want error
	}{
		{"empty", nil, KindTXT, ErrEmpty},
		{"spaces", []byte(" \n\t "), KindPaste, ErrEmpty},
		{"binary", []byte("\x00\x01\x02\x03binary\x00\xff\xfe\x10\x11"), KindTXT, ErrBinary},
		{"controls", bytes.Repeat([]byte{0x01, 0x02, 'a', 0x03}, 100), KindTXT, ErrBinary},
		{"huge", make([]byte, MaxInputBytes+1), KindTXT, ErrTooLarge},
		{"kind", []byte("x"), "exe", ErrUnsupported},
		{"pdf", []byte("%PDF-1.4\ngarbage"), "", ErrMalformed},
		{"docx", []byte("PK\x03\x04garbage"), "", ErrMalformed},
		{"html no text", []byte("<html><script>x</script></html>"), KindHTML, ErrNoText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadBytes(c.name, c.b, c.kind)
			if !errors.Is(err, c.want) {
				t.Errorf("err %v, want %v", err, c.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "policy: ") {
				t.Errorf("error not prefixed: %v", err)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.txt")); err == nil {
		t.Error("missing file accepted")
	}
	if ex := Extract(nil, Options{}); ex == nil || len(ex.Elements) != 0 {
		t.Error("Extract(nil)")
	}
	// text over the rune cap
	big := bytes.Repeat([]byte("位"), MaxTextRunes+10)
	if _, err := LoadBytes("big.txt", big, KindTXT); !errors.Is(err, ErrTooLarge) {
		t.Errorf("rune cap: %v", err)
	}
}

func TestMatcher(t *testing.T) {
	pats := []string{"位置信息", "位置", "IP 地址", "ip", "信息", "he", "she", "hers"}
	m := newMatcher(pats)
	text := []rune("您的位置信息和IP地址、ＩＰ　地址；ship ushers")
	hits := m.findAll(prepare(text), 0, len(text))
	var got []string
	for _, h := range hits {
		got = append(got, pats[h.id]+"="+string(text[h.start:h.end]))
	}
	// "ip" may end before a CJK character; "he", "she", "hers" are glued to Latin letters.
	want := []string{"位置信息=位置信息", "位置=位置", "信息=信息", "IP 地址=IP地址", "ip=IP", "IP 地址=ＩＰ　地址", "ip=ＩＰ"}
	if !slices.Equal(got, want) {
		t.Errorf("hits:\n got %v\nwant %v", got, want)
	}
	// naive cross-check on a longer text
	text = []rune(strings.Repeat("设备信息位置信息通讯录IMEI ", 20))
	pats2 := []string{"设备信息", "信息", "位置", "位置信息", "通讯录", "imei", "备信"}
	m2 := newMatcher(pats2)
	n := 0
	for _, p := range pats2 {
		n += strings.Count(strings.ToLower(string(text)), strings.ToLower(p))
	}
	if got := len(m2.findAll(prepare(text), 0, len(text))); got != n {
		t.Errorf("aho-corasick found %d, naive %d", got, n)
	}
}

func TestLexiconsLoad(t *testing.T) {
	lx, err := loadLexicons()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range lx.permGroup {
		if !slices.Contains(permissionGroups, g) {
			t.Errorf("unknown group %q", g)
		}
	}
	for k, g := range lx.kindGroup {
		if !slices.Contains(permissionGroups, g) || categoryOf(k) == "" {
			t.Errorf("bad map %s -> %s", k, g)
		}
	}
}

// sharedDir is /work/shared seen from this package (inspect/policy).
func sharedDir() string { return filepath.Join("..", "..", "..", "shared") }
