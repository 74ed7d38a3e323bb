package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/pi"
)

// The error classes of issue 15, each as a table of small documents written
// for these tests (not taken from the fixtures). Every document is read on
// its own so that one case's sections do not colour another's.

func extractText(t *testing.T, name, src string) (*Document, *Extraction) {
	t.Helper()
	d := mustLoad(t, name, []byte(src), KindPaste)
	return d, Extract(d, Options{})
}

// declaredTexts lists the texts of every declared data-type mention.
func declaredTexts(ex *Extraction) []string {
	var out []string
	for _, d := range ex.DataTypes {
		if d.Declared() {
			out = append(out, d.Text)
		}
	}
	return out
}

func groupsOf(ex *Extraction) []string {
	var out []string
	for _, g := range ex.PermissionGroups {
		out = append(out, g.Group+":"+g.Text)
	}
	return out
}

// TestPurposeClauses: a clause stating why ("为向您提供…服务", "为保障…")
// is the purposes element and a Purpose, in whatever form it is opened.
func TestPurposeClauses(t *testing.T) {
	for _, src := range []string{
		"为向您提供电池管理和省电服务，我们会获取您的设备型号。",
		"为了给你提供天气预报，我们会获取你的位置信息。",
		"为保障您的账号安全，我们会获取您的设备型号。",
		"为确保交易安全，我们会获取您的设备型号。",
		"为实现消息推送，我们会获取您的设备型号。",
		"我们会获取您的设备型号，以向您提供适配的界面。",
		"我们会获取您的设备型号，旨在改善产品体验。",
		"We obtain your device model in order to adapt the layout.",
		"We obtain your device model for the purpose of adapting the layout.",
	} {
		_, ex := extractText(t, "purpose.txt", src)
		ok := false
		for _, e := range ex.Elements {
			if e.ID == "purposes" && e.Present {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%q: purposes element missing", src)
		}
		if len(ex.Purposes) == 0 {
			t.Errorf("%q: no purpose extracted", src)
		}
	}
}

// TestHeadingsAreNotData: a heading or a clause whose words read as a verb
// and its object ("如何使用信息", "收集、使用数据") declares no data type, nor
// does a heading that titles a practice or a feature ("视频展示和播放").
func TestHeadingsAreNotData(t *testing.T) {
	for _, c := range []struct{ src, notWord string }{
		{"二、我们如何使用信息\n我们会获取您的设备型号。", "使用信息"},
		{"三、我们怎样使用数据\n我们会获取您的设备型号。", "使用数据"},
		{"我们会收集、使用信息，以提供服务。", "使用信息"},
		{"我们将使用信息来改进服务。", "使用信息"},
		{"一、我们如何收集您的个人信息\n1. 视频展示和播放\n我们会记录您的设备型号。", "视频"},
		{"一、我们如何收集您的个人信息\n（6）省电与电池\n我们会记录您的设备型号。", "电池"},
		{"二、我们如何使用Cookie和同类技术\n我们会记录您的设备型号。", "Cookie"},
		{"3. How we use cookies\nWe record your device model.", "cookies"},
	} {
		_, ex := extractText(t, "head.txt", c.src)
		if slices.Contains(declaredTexts(ex), c.notWord) {
			t.Errorf("%q: %q declared", c.src, c.notWord)
		}
		if len(ex.Declares(pi.Browsing)) > 0 {
			t.Errorf("%q: browsing declared by %+v", c.src, ex.Declares(pi.Browsing))
		}
	}
	// the noun stays data
	_, ex := extractText(t, "use.txt", "我们会记录您的使用时长和使用记录。")
	if got := declaredTexts(ex); !slices.Contains(got, "使用时长") || !slices.Contains(got, "使用记录") {
		t.Errorf("usage nouns not declared: %q", got)
	}
}

// TestNarrowCategory: a data word satisfies only the narrowest category it
// names; a finer word does not declare its broad category, and no
// non-identifier word declares device identifiers.
func TestNarrowCategory(t *testing.T) {
	for _, c := range []struct {
		src      string
		word     string
		narrow   string
		declares []pi.Category // Declares finds the word for these
		not      []pi.Category // and not for these
	}{
		{"我们会获取您的电量和充电状态。", "电量", "battery", nil, []pi.Category{pi.DeviceInfo, pi.DeviceID}},
		{"我们会获取您的电池状态。", "电池状态", "battery", nil, []pi.Category{pi.DeviceInfo}},
		{"我们会获取您的CPU和内存。", "CPU", "hardware", nil, []pi.Category{pi.DeviceInfo, pi.DeviceID}},
		{"我们会获取您的屏幕分辨率。", "屏幕分辨率", "screen", nil, []pi.Category{pi.DeviceInfo}},
		{"我们会获取您的设备型号。", "设备型号", "device_model", nil, []pi.Category{pi.DeviceInfo, pi.DeviceID}},
		{"我们会获取您的设备信息。", "设备信息", "device_info", []pi.Category{pi.DeviceInfo}, []pi.Category{pi.DeviceID}},
		{"我们会获取您的设备名称。", "设备名称", "device_info", []pi.Category{pi.DeviceInfo}, []pi.Category{pi.DeviceID}},
		{"我们会获取您的IMEI。", "IMEI", "device_id", []pi.Category{pi.DeviceID}, []pi.Category{pi.DeviceInfo}},
		{"我们会获取您的日志信息。", "日志信息", "usage_log", nil, []pi.Category{pi.Browsing}},
		{"我们会获取您的浏览记录。", "浏览记录", "browsing", []pi.Category{pi.Browsing}, nil},
	} {
		_, ex := extractText(t, "narrow.txt", c.src)
		var dt *DataType
		for i := range ex.DataTypes {
			if ex.DataTypes[i].Text == c.word {
				dt = &ex.DataTypes[i]
			}
		}
		if dt == nil {
			t.Errorf("%q: %q not found in %+v", c.src, c.word, ex.DataTypes)
			continue
		}
		if dt.Narrow != c.narrow {
			t.Errorf("%q: narrow %q, want %q", c.word, dt.Narrow, c.narrow)
		}
		for _, cat := range c.declares {
			if len(ex.Declares(cat)) == 0 || !dt.Satisfies(cat) {
				t.Errorf("%q does not declare %s", c.word, cat)
			}
		}
		for _, cat := range c.not {
			if dt.Satisfies(cat) || len(ex.Declares(cat)) > 0 {
				t.Errorf("%q declares %s", c.word, cat)
			}
		}
	}
	// a hand-built mention with no Narrow falls back to its category
	if !(DataType{Category: pi.Location, Practice: "collect"}).Satisfies(pi.Location) {
		t.Error("Satisfies without Narrow")
	}
	// permission-group mentions from data words carry the narrow category:
	// 设备信息 names the PHONE group's data but is no identifier
	_, ex := extractText(t, "grp.txt", "我们会获取您的设备信息和IMEI。")
	for _, g := range ex.PermissionGroups {
		switch g.Text {
		case "设备信息":
			if g.Narrow != "device_info" || IsIdentifier(g.Narrow) {
				t.Errorf("设备信息 group mention narrow %q", g.Narrow)
			}
		case "IMEI":
			if g.Narrow != "device_id" || !IsIdentifier(g.Narrow) {
				t.Errorf("IMEI group mention narrow %q", g.Narrow)
			}
		}
	}
}

// TestNegationForms: "只/仅…，不…" and negations after the word.
func TestNegationForms(t *testing.T) {
	for _, c := range []struct{ src, word string }{
		{"我们只收集验证结果，不收集生物特征。", "生物特征"},
		{"我们仅获取认证结果，并不保存您的人脸信息。", "人脸信息"},
		{"我们仅接收验证结果，不会接触您的指纹信息。", "指纹信息"},
		{"您的指纹信息我们不会收集。", "指纹信息"},
		{"您的指纹信息仅保存在您的设备上，我们无法获取。", "指纹信息"},
		{"我们绝不会出售您的通讯录。", "通讯录"},
		{"我们从不读取您的短信内容。", "短信内容"},
		{"We only receive the result and do not collect your fingerprint.", "fingerprint"},
	} {
		_, ex := extractText(t, "neg.txt", c.src)
		found := false
		for _, d := range ex.DataTypes {
			if d.Text == c.word {
				found = true
				if d.Declared() {
					t.Errorf("%q: %q declared (negated %v)", c.src, c.word, d.Negated)
				}
			}
		}
		if !found {
			t.Errorf("%q: %q not found", c.src, c.word)
		}
	}
	// refusing to provide is no negation of collection
	for _, c := range []struct{ src, word string }{
		{"如果您不提供手机号码，将无法完成注册。", "手机号码"},
		{"我们会收集您的手机号码，不会用于其他目的。", "手机号码"},
		{"如您拒绝授权，我们将无法获取您的位置信息，相关功能不可用。", "位置信息"},
		{"在未获得您的授权前，我们不会开启定位；授权后我们会获取您的位置信息。", "位置信息"},
		{"如果您不同意，将不能使用基于位置的推荐，我们也无法读取您的位置信息。", "位置信息"},
	} {
		_, ex := extractText(t, "neg2.txt", "一、我们如何收集您的个人信息\n"+c.src)
		if !slices.Contains(declaredTexts(ex), c.word) {
			t.Errorf("%q: %q not declared", c.src, c.word)
		}
	}
}

// TestNotDeclarations: permission descriptions, cookie definitions and
// licence text name data without declaring it; the permission groups are
// still found.
func TestNotDeclarations(t *testing.T) {
	for _, c := range []struct {
		src   string
		group string // a permission group still named, or ""
	}{
		{"WRITE_EXTERNAL_STORAGE：允许程序写入外部存储。", "STORAGE"},
		{"READ_PHONE_STATE：允许应用程序读取手机状态信息。", "PHONE"},
		{"ACCESS_FINE_LOCATION：允许应用通过GPS获取精确位置。", "LOCATION"},
		{"Cookie是指您访问网站时存储在您设备上的小型数据文件，通常包含标识符、站点名称以及一些号码和字符。", ""},
		{"Cookies are small text files that are stored on your computer or mobile device.", ""},
		{"Cookie 允许网站运营商根据访问者的个人偏好更好地定制对网站的访问。", ""},
		{"| iOS/Mac OS | 网络权限 | 必选 | 允许程序连接网络 |", ""},
		{"本SDK支持Mac OS系统，我们会使用系统接口。", ""},
		{"Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files.", ""},
		{"本软件使用的开源组件遵循Apache License 2.0许可证，许可证全文包括对照片、视频等作品的使用条款。", ""},
	} {
		_, ex := extractText(t, "notdecl.txt", "一、我们如何收集您的个人信息\n"+c.src)
		if got := declaredTexts(ex); len(got) > 0 {
			t.Errorf("%q: declared %q", c.src, got)
		}
		if c.group != "" && len(ex.DeclaresGroup(c.group)) == 0 {
			t.Errorf("%q: group %s lost: %q", c.src, c.group, groupsOf(ex))
		}
	}
	// a permission request stated by the operator remains a declaration
	_, ex := extractText(t, "perm.txt", "一、我们如何收集您的个人信息\n我们会申请存储权限，以读取您的外部存储中的照片。")
	if !slices.Contains(declaredTexts(ex), "照片") {
		t.Errorf("photos not declared: %q", declaredTexts(ex))
	}
}

// TestMissedWords: data words the lexicon lacked, in sentences and in SDK
// tables.
func TestMissedWords(t *testing.T) {
	for _, c := range []struct {
		src    string
		word   string
		narrow string
	}{
		{"我们会收集您的系统版本、语言、时区。", "语言", "language"},
		{"我们会收集您的设备语言。", "设备语言", "language"},
		{"我们会记录您访问的日期和时间。", "访问的日期和时间", "browsing"},
		{"我们会记录您的访问日期和时间。", "访问日期和时间", "browsing"},
		{"我们会收集您的硬盘容量和CPU信息。", "硬盘", "hardware"},
		{"我们会收集您的硬盘/CPU型号。", "CPU", "hardware"},
		{"我们会收集您的家庭/公司地址。", "公司地址", "contact_info"},
		{"我们会收集您的家庭地址。", "家庭地址", "contact_info"},
		{"我们会收集您的信用卡CVV。", "CVV", "financial"},
		{"我们会收集您的信用卡号及有效期。", "信用卡号", "financial"},
	} {
		_, ex := extractText(t, "miss.txt", c.src)
		ok := false
		for _, d := range ex.DataTypes {
			if strings.Contains(d.Text, c.word) && d.Declared() && d.Narrow == c.narrow {
				ok = true
			}
		}
		if !ok {
			var got []string
			for _, d := range ex.DataTypes {
				got = append(got, d.Text+"/"+d.Narrow)
			}
			t.Errorf("%q: %q (%s) not declared; got %q", c.src, c.word, c.narrow, got)
		}
	}
	// an SDK table row: the data cell declares what the SDK processes
	src := "三、第三方SDK\n\n| SDK名称 | 使用目的 | 收集的个人信息 |\n|---|---|---|\n| 极光推送SDK | 推送消息 | 唯一设备识别码、设备型号 |\n| 友盟统计SDK | 统计分析 | 唯一设备识别码（IMEI/Android ID） |\n"
	d := mustLoad(t, "sdk.md", []byte(src), KindTXT)
	ex := Extract(d, Options{})
	n := 0
	for _, dt := range ex.Declares(pi.DeviceID) {
		if dt.Text == "唯一设备识别码" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("唯一设备识别码 declared %d times in the SDK table, want 2: %+v", n, ex.DataTypes)
	}
	for _, s := range ex.SDKs {
		if !slices.Contains(s.DataTypes, pi.DeviceID) {
			t.Errorf("SDK %s data types %v lack device_id", s.Name, s.DataTypes)
		}
	}
}

// TestEnglishFalsePositives: words that name no personal data in English
// policies ("calendar year", "text files", "Local Storage", the operator's
// own telephone number) are neither declared data nor permission groups.
func TestEnglishFalsePositives(t *testing.T) {
	bad := []pi.Category{pi.Calendar, pi.Storage, pi.PhoneNumber, pi.ContactInfo}
	for _, c := range []struct{ src, group string }{
		{"We store your data for one calendar year after you close your account.", "CALENDAR"},
		{"We will answer your request within 30 calendar days of receiving it and use it only for that.", "CALENDAR"},
		{"Cookies are small text files that we store on your computer.", "STORAGE"},
		{"We use log files to record errors.", "STORAGE"},
		{"We use cookies and Local Storage to remember your settings.", "STORAGE"},
		{"We may use HTML5 local storage and session storage to store your preferences.", "STORAGE"},
		{"No method of electronic storage is completely secure, and we use encryption to store your data.", "STORAGE"},
		{"The data you post is encrypted, both in storage and in transit, and we use it to deliver your messages.", "STORAGE"},
		{"We use small image files called web pixels to collect activity information.", "STORAGE"},
		{"To reach our Data Protection Officer, use our telephone number +1 555 0100.", "PHONE"},
		{"You may contact us by telephone number or email address listed below, and we will use them to respond.", "PHONE"},
	} {
		_, ex := extractText(t, "en.txt", c.src)
		for _, d := range ex.DataTypes {
			if d.Declared() && slices.Contains(bad, d.Category) {
				t.Errorf("%q: %s declared by %q", c.src, d.Category, d.Text)
			}
		}
		if g := ex.DeclaresGroup(c.group); len(g) > 0 {
			t.Errorf("%q: group %s from %q", c.src, c.group, g[0].Text)
		}
	}
	// the real mentions stay
	for _, c := range []struct {
		src string
		cat pi.Category
	}{
		{"With your permission we access your calendar events.", pi.Calendar},
		{"We access files you choose to upload from your device storage.", pi.Storage},
		{"We collect your phone number when you register.", pi.PhoneNumber},
		{"We collect your telephone number and email address.", pi.PhoneNumber},
	} {
		_, ex := extractText(t, "en2.txt", c.src)
		if len(ex.Declares(c.cat)) == 0 {
			t.Errorf("%q: %s not declared: %q", c.src, c.cat, declaredTexts(ex))
		}
	}
}

// TestMoreDevClasses: classes found on the development part of CA4P-483
// (written here in new words): Markdown emphasis inside a word, a
// parenthetical negated with its head, a password reset being a feature,
// 获得 as a practice, game and operation records, device state.
func TestMoreDevClasses(t *testing.T) {
	for _, c := range []struct {
		src      string
		declared []string
		not      []string
		bare     bool // no collection heading above
	}{
		{"我们会收集您的账号**信息。", []string{"账号**信息"}, nil, false},
		{"我们不会将您的联系方式（指可以联系到您的信息，包括姓名或电子邮箱）提供给第三方。", nil, []string{"联系方式", "姓名", "电子邮箱"}, false},
		{"我们会收集您的设备信息（包括IMEI和设备型号），不会收集您的通讯录。", []string{"设备信息", "IMEI", "设备型号"}, []string{"通讯录"}, false},
		{"若您不提供上述信息，则无法完成登录密码找回。", nil, []string{"登录密码"}, false},
		{"注册后您可以使用手机号登录与重设密码。", nil, []string{"密码"}, false},
		{"第三方可能会通过本应用获得你的昵称和头像。", []string{"昵称", "头像"}, nil, true},
		{"我们会记录您的对战信息和成就信息。", []string{"对战信息", "成就信息"}, nil, false},
		{"该SDK需要访问您设备的当前状态。", []string{"设备的当前状态"}, nil, false},
	} {
		src := "一、我们如何收集您的个人信息\n" + c.src
		if c.bare {
			src = c.src
		}
		_, ex := extractText(t, "dev.txt", src)
		got := declaredTexts(ex)
		for _, w := range c.declared {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %q not declared (got %q)", c.src, w, got)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%q: %q declared", c.src, w)
			}
		}
	}
}

// TestIdentifierCompounds: the compounds policies write for a device
// identifier, in text and in an HTML SDK table.
func TestIdentifierCompounds(t *testing.T) {
	for _, w := range []string{"设备唯一识别码", "终端唯一标识符", "手机唯一识别号", "移动设备标识符", "唯一设备识别码", "MAC"} {
		_, ex := extractText(t, "id.txt", "我们会收集您的IMEI/"+w+"。")
		ok := false
		for _, d := range ex.Declares(pi.DeviceID) {
			ok = ok || d.Text == w
		}
		if !ok {
			t.Errorf("%s not declared as device_id: %+v", w, ex.DataTypes)
		}
	}
	html := `<html><body><h2>第三方SDK目录</h2><table>
<tr><th>SDK名称</th><th>第三方公司</th><th>收集个人信息类型</th><th>使用目的</th></tr>
<tr><td>极光推送SDK</td><td>深圳市和讯华谷信息技术有限公司</td><td>设备唯一识别码、设备型号</td><td>推送消息</td></tr>
<tr><td>友盟统计SDK</td><td>友盟同欣（北京）科技有限公司</td><td>唯一设备识别码（IMEI/Android ID）</td><td>统计分析</td></tr>
</table></body></html>`
	d := mustLoad(t, "sdk.html", []byte(html), KindHTML)
	ex := Extract(d, Options{})
	if len(ex.SDKs) != 2 {
		t.Fatalf("SDKs: %+v", ex.SDKs)
	}
	for _, s := range ex.SDKs {
		if !slices.Contains(s.DataTypes, pi.DeviceID) {
			t.Errorf("SDK %s data types %v lack device_id (data %q)", s.Name, s.DataTypes, s.Data)
		}
	}
	n := 0
	for _, dt := range ex.Declares(pi.DeviceID) {
		if strings.Contains(dt.Text, "识别码") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("identifier words in the SDK table declared %d times, want 2: %+v", n, ex.DataTypes)
	}
}
