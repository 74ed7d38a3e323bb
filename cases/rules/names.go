package rules

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/api"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// DefaultTimezone is the zone explanations write times in when
// Options.Location is nil.
const DefaultTimezone = "Asia/Shanghai"

// DefaultLocation is Asia/Shanghai (a fixed UTC+8 zone of that name when
// the system has no zone data; China has no daylight saving time).
func DefaultLocation() *time.Location {
	loc, err := time.LoadLocation(DefaultTimezone)
	if err != nil {
		return time.FixedZone(DefaultTimezone, 8*3600)
	}
	return loc
}

// location is the zone of the times f's explanations write.
func (f *Facts) location() *time.Location {
	if f != nil && f.loc != nil {
		return f.loc
	}
	return DefaultLocation()
}

// timeZH and timeEN write a moment for a reader: in the Options' zone,
// to the second, labelled with the zone ("北京时间 2026-03-02 18:00:00",
// "2026-03-02 18:00:00 Beijing time"), never a machine timestamp.
func (f *Facts) timeZH(t time.Time) string {
	loc := f.location()
	return zoneLabel(loc, t, true) + " " + t.In(loc).Format("2006-01-02 15:04:05")
}

func (f *Facts) timeEN(t time.Time) string {
	loc := f.location()
	return t.In(loc).Format("2006-01-02 15:04:05") + " " + zoneLabel(loc, t, false)
}

func zoneLabel(loc *time.Location, t time.Time, zh bool) string {
	if loc.String() == DefaultTimezone {
		if zh {
			return "北京时间"
		}
		return "Beijing time"
	}
	if loc == time.UTC || loc.String() == "UTC" {
		return "UTC"
	}
	_, off := t.In(loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return fmt.Sprintf("%s UTC%s%02d:%02d", loc.String(), sign, off/3600, off%3600/60)
}

var (
	sdkCatOnce sync.Once
	sdkCat     *sdk.Catalog
)

// sdkNamed returns the SDK with the given id as the scan found it or, for
// an id the scan does not list (a network contact's owner), as the
// embedded catalog names it.
func (f *Facts) sdkNamed(id string) (inspect.SDK, bool) {
	if x, ok := f.sdkByID(id); ok {
		return x, true
	}
	sdkCatOnce.Do(func() { sdkCat, _ = sdk.Embedded() })
	if sdkCat == nil {
		return inspect.SDK{}, false
	}
	e, ok := sdkCat.Get(id)
	if !ok || (e.NameEN == "" && e.NameZH == "") {
		return inspect.SDK{}, false
	}
	return inspect.SDK{ID: e.ID, Name: firstNonEmpty(e.NameEN, e.NameZH), NameZH: e.NameZH, Category: string(e.Category)}, true
}

// sdkCategories name the SDK catalog categories (the same words the
// reports use).
var sdkCategories = map[string][2]string{
	"development": {"开发工具", "development"}, "ads": {"广告", "advertising"}, "analytics": {"统计分析", "analytics"},
	"other": {"其他", "other"}, "push": {"推送", "push"}, "framework": {"开发框架", "framework"}, "location": {"定位", "location"},
	"media": {"音视频", "media"}, "device_id": {"设备标识", "device identifier"}, "crash": {"崩溃监测", "crash reporting"},
	"social": {"社交分享", "social"}, "ui": {"界面组件", "UI"}, "game": {"游戏", "game"}, "network": {"网络", "network"},
	"payment": {"支付", "payment"}, "image": {"图片", "image"}, "ai": {"人工智能", "AI"}, "utility": {"工具", "utility"},
	"security": {"安全", "security"}, "login": {"登录认证", "login"}, "maps": {"地图", "maps"}, "map": {"地图", "maps"},
	"rtc": {"实时音视频", "real-time communication"}, "voice": {"语音", "voice"}, "database": {"数据库", "database"},
	"im": {"即时通信", "instant messaging"}, "customer_service": {"客服", "customer service"},
	"oaid": {"设备标识（OAID）", "device identifier (OAID)"}, "identity": {"实名认证", "identity verification"},
	"cloud": {"云服务", "cloud services"}, "hotfix": {"热修复", "hot fix"}, "webview": {"网页内核", "web view"},
}

// SDKCategoryName names an SDK catalog category in lang ("ads" → 广告 /
// advertising); "" for no category, 其他 / other for one the table does
// not know (from a user catalog extension), never the raw id.
func SDKCategoryName(lang, c string) string {
	if c == "" {
		return ""
	}
	l, ok := sdkCategories[c]
	if !ok {
		l = sdkCategories["other"]
	}
	if isEN(lang) {
		return l[1]
	}
	return l[0]
}

// apiNameZH and apiNameEN name a sensitive API for a reader: a method or
// field by its class and member (ClipboardManager.getPrimaryClip), a
// content URI, setting or reflection by what it reads (读取短信). Never
// the catalog id.
func apiNameZH(a inspect.APIUse) string { return apiName(a, true) }
func apiNameEN(a inspect.APIUse) string { return apiName(a, false) }

var (
	apiOnce sync.Once
	apiByID map[string]api.API
)

func apiName(a inspect.APIUse, zh bool) string {
	desc := a.EN
	if zh {
		desc = a.ZH
	}
	cls, m := a.Class, a.Method
	if desc == "" || cls == "" || m == "" {
		apiOnce.Do(func() {
			apiByID = map[string]api.API{}
			for _, x := range api.All() {
				apiByID[x.ID] = x
			}
		})
		if x, ok := apiByID[a.ID]; ok {
			if desc == "" {
				desc = x.EN
				if zh {
					desc = x.ZH
				}
			}
			if cls == "" || m == "" {
				cls, m = x.Class, x.Method
			}
		}
	}
	switch a.Kind {
	case "", api.KindMethod, api.KindField:
		if cls != "" && m != "" {
			short := cls[strings.LastIndex(cls, ".")+1:]
			return strings.ReplaceAll(short, "$", ".") + "." + m
		}
	}
	if desc != "" {
		return desc
	}
	if cls != "" && m != "" {
		return cls[strings.LastIndex(cls, ".")+1:] + "." + m
	}
	if zh {
		return "未收录的接口"
	}
	return "an API outside the catalog"
}

// durationZH and durationEN write a rule's window for a reader (1小时,
// 1 minute) rather than Go's 1h0m0s.
func durationZH(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%d小时", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d分钟", d/time.Minute)
	}
	return fmt.Sprintf("%d秒", d/time.Second)
}

func durationEN(d time.Duration) string {
	n, unit := int64(d/time.Second), "second"
	switch {
	case d%time.Hour == 0:
		n, unit = int64(d/time.Hour), "hour"
	case d%time.Minute == 0:
		n, unit = int64(d/time.Minute), "minute"
	}
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", n, unit)
}

// ownerZH and ownerEN name the SDK a network contact belongs to by its
// catalog name ("第三方SDK“极光推送”"); an owner the catalog does not know
// is named as such (its id stays in the evidence, the host in the text).
func (f *Facts) ownerZH(id string) string {
	if x, ok := f.sdkNamed(id); ok {
		return "第三方SDK“" + firstNonEmpty(x.NameZH, x.Name) + "”"
	}
	return "未收录于SDK目录的第三方SDK"
}

func (f *Facts) ownerEN(id string) string {
	if x, ok := f.sdkNamed(id); ok {
		return "the third-party SDK \"" + firstNonEmpty(x.Name, x.NameZH) + "\""
	}
	return "a third-party SDK outside the catalog"
}
