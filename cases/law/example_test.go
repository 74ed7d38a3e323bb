package law_test

import (
	"fmt"

	"github.com/appinspect/appinspect/cases/law"
)

func ExampleCatalog_Cite() {
	c, err := law.Embedded()
	if err != nil {
		fmt.Println(err)
		return
	}
	cit, _ := c.Cite("pipl/74")
	fmt.Println(cit.ArticleID, cit.Number, cit.Status)
	fmt.Println(cit.TextZH)
	a, _ := c.Article("draft2021/5")
	fmt.Println(a.DisplayText("zh"))
	fmt.Println(a.DisplayText("en"))
	// Output:
	// pipl/74 第七十四条 verbatim
	// 本法自2021年11月1日起施行。
	// 《移动互联网应用程序个人信息保护管理暂行规定（征求意见稿）》第五条：暂无条文 — 请导入官方文本
	// Interim Provisions on the Protection and Management of Personal Information in Mobile Internet Applications (Draft for Solicitation of Comments) 第五条: text not available — import the official text
}

func ExampleCatalog_AppType() {
	c, _ := law.Embedded()
	t, _ := c.AppType("网络约车类")
	fmt.Println(t.ID, t.Number, t.NameZH)
	for _, n := range t.Necessary {
		fmt.Println("-", n)
	}
	fmt.Println(t.NecessaryCategories)
	// Output:
	// ride-hailing 2 网络约车类
	// - 注册用户移动电话号码
	// - 乘车人出发地、到达地、位置信息、行踪轨迹
	// - 支付时间、支付金额、支付渠道等支付信息（网络预约出租汽车服务）
	// [phone_number location financial]
}
