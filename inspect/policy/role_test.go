package policy

import (
	"strings"
	"testing"

	"github.com/appinspect/appinspect/inspect/pi"
)

// declaredTexts lists the texts of the declared data-type mentions inside
// the sentence containing marker.
func declaredIn(ex *Extraction, d *Document, marker string) []string {
	at := len([]rune(d.Text[:strings.Index(d.Text, marker)]))
	var out []string
	for _, dt := range ex.DataTypes {
		if dt.Sentence.Start <= at && at < dt.Sentence.End && dt.Declared() {
			out = append(out, dt.Text)
		}
	}
	return out
}

// TestDataRoles checks that a data word naming a feature, a title, a party,
// a purpose or an example is not a declared data type, while the data the
// same sentence collects is.
func TestDataRoles(t *testing.T) {
	src := `一、我们如何收集和使用您的个人信息
1. 当您使用基于地理位置的功能时，我们会收集您的位置信息。
2. 第三方账号登录功能：我们会收集您的昵称和头像。
3. 个推SDK需要读取您的设备识别号，用于推送/下发通知栏消息。
4. 我们严格遵循《儿童个人信息网络保护规定》收集您的手机号码。
5. 当您使用电信运营商提供的本机号码一键登录服务，我们会收集您的手机号码。
6. 我们会收集您的交易记录，以便您查询您的交易记录。
7. 您可使用头像上传、身份证识别等服务，我们会收集您的姓名。
8. 我们需要访问您手机SIM卡中的ICCID。
9. 我们会获取您的相机权限和您拍摄的照片。
10. 我们不会将您的通讯录与第三方共享。
12. 您可以通过浏览器设置拒绝Cookie。
13. 请您谨慎提供、上传或发布照片。
14. 账户注销后，您将无法找回您的聊天记录。
15. 个人常用设备信息（包括硬件型号、设备MAC地址）；
16. 闪验SDK：CHANGE_WIFI_STATE：用于在WiFi跟数据双开时切换。
17. 如您使用指纹/刷脸登录，我们会收集您的 _手机号码_。
18. 您可以选择授权我们收集您的位置信息。
11. 我们会收集您的设备信息（包括设备型号、运营商、IP地址）。
二、个人信息的定义
“个人信息”是指以电子方式记录的各种信息，包括姓名、身份证件号码、住址、电话号码等。
三、您如何管理您的个人信息
您可以在设置中更正您的头像和昵称。
四、我们如何保护您的个人信息
请使用复杂密码，协助我们保证您的账号安全。
`
	d := mustLoad(t, "roles.txt", []byte(src), KindPaste)
	ex := Extract(d, Options{})
	for _, c := range []struct {
		marker string
		want   []string
	}{
		{"基于地理位置的功能", []string{"位置信息"}},                          // feature named for data
		{"第三方账号登录功能", []string{"昵称", "头像"}},                      // feature named for data
		{"个推SDK需要读取", []string{"设备识别号"}},                         // purpose object 通知栏
		{"《儿童个人信息", []string{"手机号码"}},                            // book title
		{"电信运营商提供", []string{"手机号码"}},                            // party; 本机号码 qualifies 一键登录
		{"以便您查询", []string{"交易记录"}},                              // the purpose repeats it: one declaration
		{"头像上传", []string{"姓名"}},                                 // features listed before 等服务
		{"SIM卡中的ICCID", []string{"ICCID"}},                       // container
		{"相机权限", []string{"拍摄的照片"}},                              // permission (a permission group, not data)
		{"我们不会将您的通讯录", nil},                                      // negated
		{"（包括设备型号、运营商", []string{"设备信息", "设备型号", "运营商", "IP地址"}}, // 运营商 in an enumeration is data
		{"“个人信息”是指", nil},                                        // definition
		{"您可以在设置中更正", nil},                                       // rights section
		{"请使用复杂密码", nil},                                         // security section
	} {
		got := declaredIn(ex, d, c.marker)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: declared %q, want %q", c.marker, got, c.want)
		}
	}
	// the permission phrase and the feature's data word still name their
	// permission groups
	for _, g := range []string{"CAMERA", "LOCATION"} {
		if len(ex.DeclaresGroup(g)) == 0 {
			t.Errorf("group %s not found", g)
		}
	}
}

// TestPracticeFromSection checks that a data word in a list with no verb
// takes the practice of its section, and that Declares needs a practice.
func TestPracticeFromSection(t *testing.T) {
	src := `一、我们如何收集您的个人信息
（一）设备信息
设备型号、IMEI
二、关于我们
示例公司成立于2010年，办公地址靠近地铁站，周边有GPS导航指引。
`
	d := mustLoad(t, "sec.txt", []byte(src), KindPaste)
	ex := Extract(d, Options{})
	if !hasData(ex, pi.DeviceID, "IMEI") {
		t.Errorf("IMEI in a collection section not declared: %+v", ex.DataTypes)
	}
	for _, dt := range ex.DataTypes {
		if dt.Text == "GPS" && dt.Practice != "" {
			t.Errorf("GPS in an about-us section has practice %q", dt.Practice)
		}
	}
	if len(ex.Declares(pi.Location)) != 0 {
		t.Errorf("location declared without a practice: %+v", ex.Declares(pi.Location))
	}
}
