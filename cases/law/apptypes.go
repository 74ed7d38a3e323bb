package law

import (
	"slices"
	"strconv"
	"strings"

	"github.com/appinspect/appinspect/inspect/pi"
)

// appTypeData holds the typed fields of a row of the 39-type table.
type appTypeData struct {
	basicFunction string
	necessary     []string
	noPI          bool
}

// AppType is one of the 39 common app types of Art. 5 of 《常见类型移动互联网
// 应用程序必要个人信息范围规定》 (2021), from the nps39 document.
type AppType struct {
	ID              string `json:"id"`     // stable slug, e.g. "maps-navigation"
	Number          int    `json:"number"` // 1-39
	ArticleID       string `json:"article_id"`
	NameZH          string `json:"name_zh"`
	NameEN          string `json:"name_en"` // informal label, not an official translation
	BasicFunctionZH string `json:"basic_function_zh"`
	// Necessary lists the necessary personal information items verbatim
	// (the table's items without their "1." enumerators and final "；"/"。").
	Necessary []string `json:"necessary"`
	// NecessaryCategories is AppInspect's INTERPRETATION of Necessary in the
	// pi vocabulary, used to compare an app's collection against the table.
	// It is not legal text and not part of the regulation.
	NecessaryCategories []pi.Category `json:"necessary_categories"`
	// NoNecessaryPI is true for the types whose basic function needs no
	// personal information at all (“无须个人信息，即可使用基本功能服务”).
	NoNecessaryPI bool `json:"no_necessary_pi"`
}

// appTypeInfo is the tool's own data per type number: the slug and the
// category interpretation (see AppType.NecessaryCategories).
type appTypeInfo struct {
	slug string
	cats []pi.Category
}

// appTypeTable is keyed by the table's type number. Categories are chosen
// for the items' meaning: a name or ID document is pi.Identity, an address
// or contact phone pi.ContactInfo, the registered mobile number
// pi.PhoneNumber, payment or bank data pi.Financial, the user's position or
// track pi.Location. Trip endpoints chosen by the user (出发地/目的地 of a
// ticket) are not device location. Items without a pi category (marital
// status, order details, seat numbers) are not mapped.
var appTypeTable = map[int]appTypeInfo{
	1:  {"maps-navigation", []pi.Category{pi.Location}},
	2:  {"ride-hailing", []pi.Category{pi.PhoneNumber, pi.Location, pi.Financial}},
	3:  {"instant-messaging", []pi.Category{pi.PhoneNumber, pi.AccountInfo, pi.SocialRelation}},
	4:  {"online-community", []pi.Category{pi.PhoneNumber}},
	5:  {"online-payment", []pi.Category{pi.PhoneNumber, pi.Identity, pi.Financial}},
	6:  {"online-shopping", []pi.Category{pi.PhoneNumber, pi.Identity, pi.ContactInfo, pi.Financial}},
	7:  {"food-delivery", []pi.Category{pi.PhoneNumber, pi.Identity, pi.ContactInfo, pi.Financial}},
	8:  {"postal-express", []pi.Category{pi.PhoneNumber, pi.Identity, pi.ContactInfo}},
	9:  {"transport-ticketing", []pi.Category{pi.PhoneNumber, pi.Identity, pi.Financial}},
	10: {"dating", []pi.Category{pi.PhoneNumber}},
	11: {"recruitment", []pi.Category{pi.PhoneNumber, pi.Identity, pi.ContactInfo}},
	12: {"online-lending", []pi.Category{pi.PhoneNumber, pi.Identity, pi.Financial}},
	13: {"housing", []pi.Category{pi.PhoneNumber, pi.ContactInfo}},
	14: {"used-cars", []pi.Category{pi.PhoneNumber, pi.Identity}},
	15: {"medical-consultation", []pi.Category{pi.PhoneNumber, pi.Identity, pi.Health}},
	16: {"travel", []pi.Category{pi.PhoneNumber, pi.Identity, pi.ContactInfo}},
	17: {"hotels", []pi.Category{pi.PhoneNumber, pi.Identity, pi.ContactInfo}},
	18: {"online-games", []pi.Category{pi.PhoneNumber}},
	19: {"education", []pi.Category{pi.PhoneNumber}},
	20: {"local-life", []pi.Category{pi.PhoneNumber}},
	21: {"womens-health", nil},
	22: {"vehicle-services", []pi.Category{pi.PhoneNumber, pi.Identity, pi.Financial, pi.Location}},
	23: {"investment", []pi.Category{pi.PhoneNumber, pi.Identity, pi.Financial}},
	24: {"mobile-banking", []pi.Category{pi.PhoneNumber, pi.Identity, pi.Financial}},
	25: {"email-cloud", []pi.Category{pi.PhoneNumber}},
	26: {"remote-meetings", []pi.Category{pi.PhoneNumber}},
	27: {"live-streaming", nil},
	28: {"video-music", nil},
	29: {"short-video", nil},
	30: {"news", nil},
	31: {"fitness", nil},
	32: {"browsers", nil},
	33: {"input-methods", nil},
	34: {"security-management", nil},
	35: {"e-books", nil},
	36: {"photo-beautification", nil},
	37: {"app-stores", nil},
	38: {"utilities", nil},
	39: {"performance-ticketing", []pi.Category{pi.PhoneNumber, pi.Financial}},
}

// nps39DocID is the catalog id of the 39-type table.
const nps39DocID = "nps39"

// AppTypes returns the app types of the 39-type table (as amended by an
// import, if any), in table order.
func (c *Catalog) AppTypes() []AppType {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []AppType
	for _, d := range c.docs {
		if d.ID != nps39DocID {
			continue
		}
		for _, a := range d.Articles {
			if t, ok := makeAppType(a); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

func makeAppType(a Article) (AppType, bool) {
	if a.appType == nil {
		return AppType{}, false
	}
	_, num, _ := strings.Cut(a.ID, "/")
	n, err := strconv.Atoi(num)
	if err != nil {
		return AppType{}, false
	}
	info, ok := appTypeTable[n]
	if !ok || info.slug == "" {
		info.slug = "type-" + num
	}
	t := AppType{
		ID: info.slug, Number: n, ArticleID: a.ID,
		NameZH: a.TitleZH, NameEN: a.TitleEN,
		BasicFunctionZH:     a.appType.basicFunction,
		Necessary:           slices.Clone(a.appType.necessary),
		NecessaryCategories: slices.Clone(info.cats),
		NoNecessaryPI:       a.appType.noPI,
	}
	if t.Necessary == nil {
		t.Necessary = []string{}
	}
	for i, x := range t.Necessary { // as in the article text (see RestorePunct)
		t.Necessary[i], _ = RestorePunct(x)
	}
	if t.NecessaryCategories == nil {
		t.NecessaryCategories = []pi.Category{}
	}
	return t, true
}

// AppType looks up an app type by slug ("maps-navigation"), number ("1",
// "（一）"), article id ("nps39/1"), Chinese name with or without its final
// 类 ("地图导航类", "地图导航") or English label (case-insensitive).
func (c *Catalog) AppType(q string) (AppType, bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return AppType{}, false
	}
	lq := strings.ToLower(q)
	num := idPart(q)
	for _, t := range c.AppTypes() {
		a, _ := c.Article(t.ArticleID)
		switch {
		case t.ID == lq, strconv.Itoa(t.Number) == num, t.ArticleID == q, a.Number == q,
			t.NameZH == q, strings.TrimSuffix(t.NameZH, "类") == q,
			t.NameEN != "" && strings.ToLower(t.NameEN) == lq:
			return t, true
		}
	}
	return AppType{}, false
}
