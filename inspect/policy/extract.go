package policy

import (
	"iter"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/appinspect/appinspect/inspect/pi"
)

// Options tunes Extract.
type Options struct {
	// ResolveSDK maps an SDK name (as written, or one of its lexicon aliases)
	// to an SDK catalog id. It is injected by the caller from the SDK
	// catalog; nil leaves SDKMention.ID empty.
	ResolveSDK func(name string) (id string, ok bool)
}

// DataType is a personal-information type the policy mentions.
type DataType struct {
	Category pi.Category `json:"category"` // "" when the pi vocabulary has no fitting category (see Kind)
	Kind     string      `json:"kind"`     // the lexicon kind: a pi category or profile, user_content, usage_log, order
	// Narrow is the narrowest category the word names: its pi category
	// when it names the category as a whole ("设备信息" device_info, "IMEI"
	// device_id), else a part of it ("电量" battery, "设备型号"
	// device_model, "CPU" hardware, "语言" language — see
	// lexicon/datatypes.txt) or a finer kind (usage_log, profile …). A
	// mention declares only its narrow category (Satisfies): a battery
	// word declares no device information, only identifier words declare
	// device identifiers.
	Narrow    string `json:"narrow"`
	Text      string `json:"text"`      // the phrase as written
	Start     int    `json:"start"`     // rune offsets into Document.Text
	End       int    `json:"end"`       //
	Sensitive bool   `json:"sensitive"` // sensitive personal information (pi) or called sensitive in its sentence
	Negated   bool   `json:"negated"`   // the sentence says it is not collected ("不会收集…")
	// Practice is what the sentence says is done with it: "collect",
	// "share", "use", or "" when the sentence states no practice (a
	// heading, a definition, a security measure).
	Practice string `json:"practice"`
	Sentence Span   `json:"sentence"`
	Section  int    `json:"section"` // index into Document.Sections, -1 when before any heading
}

// PermissionGroup is a mention of data protected by an Android dangerous
// permission group, or of the permission itself.
type PermissionGroup struct {
	Group    string      `json:"group"` // CALENDAR, CAMERA, CONTACTS, LOCATION, MICROPHONE, PHONE, SENSORS, SMS, STORAGE
	Text     string      `json:"text"`
	Start    int         `json:"start"`
	End      int         `json:"end"`
	Via      string      `json:"via"`                // "permission": a permission phrase; "data": a data type the group protects
	Category pi.Category `json:"category,omitempty"` // for Via "data"
	Narrow   string      `json:"narrow,omitempty"`   // for Via "data": DataType.Narrow of the word
	Sentence Span        `json:"sentence"`
}

// SDKMention is a third-party SDK named by the policy.
type SDKMention struct {
	Name      string        `json:"name"` // as written
	ID        string        `json:"id"`   // SDK catalog id from Options.ResolveSDK, "" if unresolved
	Start     int           `json:"start"`
	End       int           `json:"end"`
	Key       string        `json:"key,omitempty"`        // lexicon key when the name is a known SDK
	Vendor    string        `json:"vendor,omitempty"`     // from the SDK list, else the lexicon
	Purpose   string        `json:"purpose,omitempty"`    // from the SDK list
	Data      string        `json:"data,omitempty"`       // personal information it processes, from the SDK list
	PolicyURL string        `json:"policy_url,omitempty"` // from the SDK list
	Source    string        `json:"source"`               // "table", "list" (key: value entries) or "text"
	Sentence  Span          `json:"sentence"`
	DataTypes []pi.Category `json:"data_types,omitempty"` // categories named in Data (or the row)
}

// Element is one element of informed consent, present or missing.
type Element struct {
	ID      string `json:"id"`
	Present bool   `json:"present"`
	Start   int    `json:"start"` // the sentence or heading that provides it; 0,0 when missing
	End     int    `json:"end"`
	Text    string `json:"text,omitempty"`
	Cue     string `json:"cue,omitempty"`   // the phrase that was found
	Value   string `json:"value,omitempty"` // e.g. the effective date
}

// SectionInfo describes a section for the output, with the topics its
// heading names.
type SectionInfo struct {
	Number string   `json:"number"`
	Title  string   `json:"title"`
	Level  int      `json:"level"`
	Start  int      `json:"start"`
	End    int      `json:"end"`
	Parent int      `json:"parent"`
	Topics []string `json:"topics,omitempty"`
}

// Purpose is a stated purpose of processing and the business functions it
// serves.
type Purpose struct {
	Text      string        `json:"text"`
	Start     int           `json:"start"`
	End       int           `json:"end"`
	Functions []string      `json:"functions,omitempty"`
	DataTypes []pi.Category `json:"data_types,omitempty"` // categories named in the same sentence
	Sentence  Span          `json:"sentence"`
}

// PermissionExplanation says why a system permission is requested.
type PermissionExplanation struct {
	Group      string `json:"group"`
	Permission Span   `json:"permission"`
	Purpose    Span   `json:"purpose"` // empty when the sentence gives no purpose
	Explained  bool   `json:"explained"`
	Sentence   Span   `json:"sentence"`
}

// Extraction is what a policy declares. JSON keys data_types,
// permission_groups, sdks, elements and sections are a stable interface.
type Extraction struct {
	DataTypes        []DataType              `json:"data_types"`
	PermissionGroups []PermissionGroup       `json:"permission_groups"`
	SDKs             []SDKMention            `json:"sdks"`
	Elements         []Element               `json:"elements"`
	Sections         []SectionInfo           `json:"sections"`
	Purposes         []Purpose               `json:"purposes"`
	Permissions      []PermissionExplanation `json:"permissions"`
	Conditions       []Span                  `json:"conditions"`
}

// Declared reports whether the policy declares the data: stated with a
// practice (collect, share, use — in the sentence or by the section) and
// not negated.
func (d DataType) Declared() bool { return d.Practice != "" && !d.Negated }

// Satisfies reports whether the mention names category c itself: its
// narrow category is c (a mention built without Narrow falls back to its
// Category). "电量" (narrow battery) does not satisfy device_info, "设备信息"
// does not satisfy device_id.
func (d DataType) Satisfies(c pi.Category) bool {
	if d.Narrow == "" {
		return d.Category == c && c != ""
	}
	return d.Narrow == string(c)
}

// IsIdentifier reports whether a narrow category names identifiers
// (IMEI, Android ID, OAID, MAC …): a behaviour reading identifiers is
// declared only by such words, not by "设备信息" or a permission group's
// other data.
func IsIdentifier(narrow string) bool { return narrow == string(pi.DeviceID) }

// Declares returns the mentions of category c the policy declares: those
// whose narrow category is c (Satisfies), stated with a practice and not
// negated.
func (e *Extraction) Declares(c pi.Category) []DataType {
	var out []DataType
	for _, d := range e.DataTypes {
		if d.Satisfies(c) && d.Declared() {
			out = append(out, d)
		}
	}
	return out
}

// DeclaresGroup returns the mentions of a permission group (e.g. "LOCATION").
func (e *Extraction) DeclaresGroup(group string) []PermissionGroup {
	var out []PermissionGroup
	for _, g := range e.PermissionGroups {
		if strings.EqualFold(g.Group, group) {
			out = append(out, g)
		}
	}
	return out
}

// MentionsSDK returns the mentions of the SDK with catalog id id, or, when
// id is empty or unresolved, whose name contains name (case-insensitive).
func (e *Extraction) MentionsSDK(id, name string) []SDKMention {
	var out []SDKMention
	ln := strings.ToLower(strings.TrimSpace(name))
	for _, s := range e.SDKs {
		switch {
		case id != "" && s.ID == id:
			out = append(out, s)
		case ln != "" && (strings.Contains(strings.ToLower(s.Name), ln) || strings.Contains(ln, strings.ToLower(s.Name))):
			out = append(out, s)
		}
	}
	return out
}

// extraction state for one document.
type extractor struct {
	d    *Document
	rs   []rune
	t    *compacted
	lx   *lexicons
	opt  Options
	sent []Span // sentences sorted by start
	secs []SectionInfo
	// mentions are all data-word matches, including those notData rejects
	// as data types; permission groups are found in all of them
	mentions []DataType
	// asideSent caches sentenceAside by sentence start
	asideSent map[int]bool
	toc       [2]int // the table of contents, if any
	// vendorCells are the company cells of SDK tables: an SDK name inside
	// one ("友盟同欣（北京）科技有限公司") names the company, not another SDK
	vendorCells [][2]int
}

// Extract finds what doc declares. It never fails: a document it cannot
// read gives an empty Extraction with every element missing.
func Extract(doc *Document, opt Options) *Extraction {
	ex := &Extraction{DataTypes: []DataType{}, PermissionGroups: []PermissionGroup{}, SDKs: []SDKMention{}, Elements: []Element{}, Sections: []SectionInfo{}, Purposes: []Purpose{}, Permissions: []PermissionExplanation{}, Conditions: []Span{}}
	lx, err := loadLexicons()
	if err != nil || doc == nil {
		return ex
	}
	rs := doc.rs()
	x := &extractor{d: doc, rs: rs, t: prepare(rs), lx: lx, opt: opt, sent: doc.Sentences}
	x.findTOC()
	x.sections(ex)
	x.dataTypes(ex)
	x.permissionGroups(ex)
	x.sdks(ex)
	x.purposes(ex)
	x.permissions(ex)
	x.conditions(ex)
	x.elements(ex)
	return ex
}

// sentenceAt returns the sentence containing rune offset p.
func (x *extractor) sentenceAt(p int) Span {
	i := sort.Search(len(x.sent), func(i int) bool { return x.sent[i].End > p })
	if i < len(x.sent) && x.sent[i].Start <= p {
		return x.sent[i]
	}
	return Span{Start: p, End: p}
}

func (x *extractor) sectionAt(p int) int {
	secs := x.d.Sections
	i := sort.Search(len(secs), func(i int) bool { return secs[i].Start > p }) - 1
	for i >= 0 && secs[i].End <= p {
		i = secs[i].Parent
	}
	return i
}

// findTOC locates a table of contents: a run of at least three headings
// with no body between them, the run repeated later in the document.
func (x *extractor) findTOC() {
	secs := x.d.Sections
	for i := 0; i+2 < len(secs); i++ {
		j := i
		for j+1 < len(secs) && secs[j].Heading.End+2 >= secs[j+1].Start && secs[j].Heading.End+12 > secs[j+1].Start {
			j++
		}
		if j-i >= 3 && x.d.Sections[j].End > secs[j].Heading.End+200 {
			// four or more headings with no body, the last one running on
			// into the text: an unnumbered contents list whose entries the
			// body does not repeat as headings
			x.toc = [2]int{secs[i].Start, secs[j].Heading.End}
			return
		}
		if j-i >= 2 {
			// repeated later?
			for k := j + 1; k < len(secs); k++ {
				if secs[k].Title == secs[i].Title {
					x.toc = [2]int{secs[i].Start, secs[j].Heading.End}
					return
				}
			}
		}
		i = j
	}
}

func (x *extractor) inTOC(p int) bool { return p >= x.toc[0] && p < x.toc[1] }

var topicCues = []struct{ topic, cues string }{
	{"collection", "收集|获取|采集|collect"},
	{"use", "使用|use"},
	{"cookies", "Cookie|cookie|同类技术|Beacon"},
	{"sharing", "共享|转让|公开披露|委托处理|对外提供|share|disclos"},
	{"third_party", "第三方|SDK|合作方|third"},
	{"storage", "存储|保存|保留|retention|store"},
	{"security", "保护|安全|protect|secur"},
	{"rights", "权利|管理您的|管理你的|管理个人信息|访问|更正|删除|注销|撤回|rights|choices"},
	{"minors", "未成年|儿童|child|minor"},
	{"cross_border", "跨境|境外|全球范围|international|transfer"},
	{"updates", "更新|修订|变更|update|change"},
	{"contact", "联系|contact"},
	{"permissions", "权限|permission"},
	{"definitions", "定义|术语|释义|definition"},
	{"licence", "开源许可|许可证|开源软件|开源组件|license|licence|open source"},
	{"disclaimer", "免责|争议|法律适用|管辖|disclaimer|dispute"},
}

func (x *extractor) sections(ex *Extraction) {
	for _, s := range x.d.Sections {
		si := SectionInfo{Number: s.Number, Title: s.Title, Level: s.Level, Start: s.Start, End: s.End, Parent: s.Parent}
		lt := strings.ToLower(s.Title)
		for _, tc := range topicCues {
			for c := range strings.SplitSeq(tc.cues, "|") {
				if strings.Contains(lt, strings.ToLower(c)) {
					si.Topics = append(si.Topics, tc.topic)
					break
				}
			}
		}
		ex.Sections = append(ex.Sections, si)
	}
	x.secs = ex.Sections
}

// asideTopics are the section topics under which a data word is an example,
// a right or a safeguard, not a statement of processing; declaringTopics
// override them ("我们如何收集和保护您的个人信息").
var (
	asideTopics     = map[string]bool{"rights": true, "security": true, "definitions": true, "updates": true, "contact": true, "disclaimer": true, "licence": true}
	declaringTopics = map[string]bool{"collection": true, "use": true, "sharing": true, "third_party": true, "permissions": true, "cookies": true, "storage": true, "minors": true, "cross_border": true}
)

// ancestors yields section i and its ancestors, innermost first, leaving
// out contents entries (a body can hang under one by mistake).
func (x *extractor) ancestors(i int) iter.Seq[SectionInfo] {
	return func(yield func(SectionInfo) bool) {
		for ; i >= 0 && i < len(x.secs); i = x.secs[i].Parent {
			if !x.inTOC(x.secs[i].Start) && !yield(x.secs[i]) {
				return
			}
		}
	}
}

// aside reports whether section i (and its ancestors) is about rights,
// security, definitions, updates or contact, and not about processing.
func (x *extractor) aside(i int) bool {
	found := false
	for sec := range x.ancestors(i) {
		for _, t := range sec.Topics {
			if declaringTopics[t] {
				return false
			}
			if asideTopics[t] {
				found = true
			}
		}
	}
	return found
}

// cookieDefRe matches a sentence defining cookies or similar technologies
// ("Cookie是指…小型数据文件", "Cookies are small text files"): the data it
// names are what a cookie is, not what the operator collects.
var cookieDefRe = regexp.MustCompile(`(?i)^[\s\d、.．:：（）()一二三四五六七八九十*_#]*(?:什么是)?[“"「]?(?:cookies?|网络信标|web beacons?|像素标签|pixel tags?)[”"」]?(?:和同类技术|及同类技术|和其他同类技术|及相关技术|技术)?\s*(?:是指|是一种|是一些|是|指|通常|一般|允许|可以|能够|are|is|refers? to|allows?|enables?)`)

// licenceMarkers identify licence text (open-source notices, software
// licences), whose words ("documentation files", 作品) declare nothing.
var licenceMarkers = []string{"permission is hereby granted", "the software is provided", "licensed under the", "license, version", "general public license", "apache license", "mit license", "bsd license", "without warranties or conditions", "开源许可", "许可证", "开源协议", "开源组件", "开放源代码"}

func licenceText(t string) bool {
	t = strings.ToLower(t)
	for _, m := range licenceMarkers {
		if strings.Contains(t, m) {
			return true
		}
	}
	return false
}

// definitionRe matches a sentence defining personal information or
// sensitive personal information, whose examples are not declarations.
var definitionRe = regexp.MustCompile(`^[\s\d、.．:：（）()一二三四五六七八九十*_]*[“"「]?(?:个人敏感信息|敏感个人信息|个人信息|儿童个人信息|个人身份信息|敏感信息)[”"」]?\s*[：:]?\s*(?:是指|指|包括|包含|主要包括)`)

var negationCues = []string{"不会收集", "不收集", "不会获取", "不获取", "不会读取", "不读取", "不会采集", "不采集", "不会访问", "不会主动", "不会存储", "不会使用", "不会将", "不会与", "不会向", "不会共享", "不会对外提供", "不会披露", "不会出售", "不会提供", "并不收集", "不会上传", "不会保存", "不会留存", "不会记录", "do not collect", "does not collect", "will not collect", "never collect"}

// negVerbRe is a negated processing verb ("不收集", "并不保存", "绝不会出
// 售", "不会接触", "从不读取"): the negation, an optional 会/主动/也, then the
// verb. Inability ("如您拒绝，我们将无法获取您的位置信息", "未获得授权时") is
// no negation: it states what is collected once the user agrees.
var negVerbRe = regexp.MustCompile(`(?:不|并不|绝不|从不|从未|决不|不再)(?:会|得|曾)?(?:主动|也|再)?(?:会)?(?:收集|获取|读取|采集|存储|储存|保存|保留|留存|上传|访问|接触|触碰|记录|共享|出售|售卖|披露|提供给|传输|调用|获得|接收|查看|使用)`)

// userRefusal precedes a negated verb whose subject is the user ("如果您不提
// 供…"): a consequence of refusing, not a statement that nothing is
// collected.
var userRefusal = []string{"您", "你", "用户"}

// topicVerbs are the processing verbs that end a data word's role as the
// topic of its clause.
var topicVerbs = []string{"收集", "采集", "获取", "读取", "调用", "上传", "共享", "提供给", "记录", "保存", "存储", "接触", "访问", "使用", "collect", "obtain", "access", "receive", "use", "store"}

// localOnlyRe says the data stays on the device ("仅保存在您的设备本地"): the
// operator does not receive it.
var localOnlyRe = regexp.MustCompile(`(?:仅|只|均)(?:会)?(?:保存|存储|储存|留存|处理|存放)(?:在|于)(?:您的|你的)?(?:设备|手机|终端|本地|本机)`)

// negated reports whether the sentence negates the processing of the data
// word at [p, q): the clause before it says "不收集…" (also when an earlier
// clause says only something else is collected: "只收集验证结果，不收集生物特
// 征"), or, when the word opens its clause as a topic with no verb before it,
// the rest of the sentence negates or keeps it on the device ("您的指纹信息我
// 们不会收集", "指纹信息仅保存在您的设备上").
func (x *extractor) negated(s Span, p, q int) bool {
	if p <= s.Start {
		p = s.Start
	}
	pre := string(x.rs[s.Start:p])
	if i := strings.LastIndexAny(pre, "，,；;：:"); i >= 0 {
		pre = pre[i:]
	}
	lpre := strings.ToLower(pre)
	for _, c := range negationCues {
		if strings.Contains(lpre, c) {
			return true
		}
	}
	if mayNegate(pre) {
		if loc := negVerbRe.FindStringIndex(pre); loc != nil && !refusal(pre[:loc[0]]) {
			return true
		}
	}
	// inside a parenthetical, the word is negated with the head it
	// explains ("不会将您的个人身份信息（包括姓名或电子邮箱）共享")
	if o := x.openParen(s.Start, p); o > s.Start {
		return x.negated(s, o, o)
	}
	// the word as a topic: no processing verb between the clause start and it
	topic := true
	for _, v := range topicVerbs {
		if strings.Contains(lpre, v) {
			topic = false
			break
		}
	}
	if !topic || q >= s.End {
		return false
	}
	post := string(x.rs[q:s.End])
	if i := strings.IndexAny(post, "。；;"); i >= 0 {
		post = post[:i]
	}
	if localOnlyRe.MatchString(post) {
		return true
	}
	// the first verb after the word decides
	first := len(post)
	for _, v := range topicVerbs {
		if i := strings.Index(post, v); i >= 0 && i < first {
			first = i
		}
	}
	if !mayNegate(post) {
		return false
	}
	if loc := negVerbRe.FindStringIndex(post); loc != nil && loc[0] <= first && first <= loc[1] && !refusal(post[:loc[0]]) {
		return true
	}
	return false
}

// openParen returns the position of the parenthesis left open before p
// (within 80 runes of sentence text from start), or -1.
func (x *extractor) openParen(start, p int) int {
	depth := 0
	for i := p - 1; i >= start && i >= p-80; i-- {
		switch x.rs[i] {
		case '）', ')':
			depth++
		case '（', '(':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// mayNegate is a cheap test before negVerbRe.
func mayNegate(t string) bool { return strings.Contains(t, "不") }

// refusal reports whether text (what precedes a negated verb) ends with the
// user as its subject.
func refusal(pre string) bool {
	pre = strings.TrimRight(pre, " *_")
	for _, u := range userRefusal {
		if strings.HasSuffix(pre, u) || strings.HasSuffix(pre, u+"如果") {
			return true
		}
	}
	return strings.Contains(pre, "如果您") || strings.Contains(pre, "如您") || strings.Contains(pre, "若您") || strings.Contains(pre, "如你") || strings.Contains(pre, "若你")
}

var practiceCues = []struct{ practice, cues string }{
	{"share", "共享|提供给|对外提供|向第三方提供|转让|公开披露|委托处理|传输给|接入|集成|share|disclose|transfer"},
	{"collect", "收集|采集|获取|获得|接收|读取|访问|调用|申请|开启|记录|上传|提交|填写|提供|输入|授权|使用|留存|保存|存储|同步|绑定|认证|识别|collect|obtain|gather|access|receive|record|provide|store|use"},
}

// practice names the processing a sentence states, if any.
func (x *extractor) practice(s Span) string {
	t := strings.ToLower(s.Text)
	for _, pc := range practiceCues {
		for c := range strings.SplitSeq(pc.cues, "|") {
			if strings.Contains(t, c) {
				return pc.practice
			}
		}
	}
	for _, t := range x.d.Tables { // a table row of an SDK or data list
		for _, r := range t.Rows {
			if r.Start == s.Start {
				return "collect"
			}
		}
	}
	return ""
}

// practiceAt is the practice sentence s states, or, when it states none (a
// heading, an item of a list), the practice its section is about
// ("一、我们如何收集您的个人信息" → collect).
func (x *extractor) practiceAt(s Span, sec int) string {
	if p := x.practice(s); p != "" {
		return p
	}
	for sec := range x.ancestors(sec) {
		for _, t := range sec.Topics {
			switch t {
			case "sharing", "third_party":
				return "share"
			case "collection", "permissions", "cookies":
				return "collect"
			case "use":
				return "use"
			}
		}
	}
	return ""
}

func (x *extractor) dataTypes(ex *Extraction) {
	hits := longest(x.lx.dataM.findAll(x.t, 0, len(x.rs)))
	for _, h := range hits {
		if x.inTOC(h.start) {
			continue
		}
		kind := x.lx.dataKind[h.id]
		narrow := x.lx.dataNarrow[h.id]
		c := categoryOf(kind)
		s := x.sentenceAt(h.start)
		sec := x.sectionAt(h.start)
		notData := x.notData(h.start, h.end, s) || contactKinds[narrow] && x.operatorContact(h.start, h.end, s)
		sens := false
		if info, ok := pi.Lookup(c); ok && info.Sensitive {
			sens = true
		}
		if strings.Contains(s.Text, "敏感") || strings.Contains(strings.ToLower(s.Text), "sensitive") {
			sens = true
		}
		d := DataType{
			Category: c, Kind: kind, Narrow: narrow, Text: string(x.rs[h.start:h.end]), Start: h.start, End: h.end,
			Sensitive: sens, Negated: x.negated(s, h.start, h.end), Practice: x.practiceAt(s, sec), Sentence: s, Section: sec,
		}
		// every mention names a permission group's data; only those that
		// are data (not a feature, a title, a party, an example in a
		// definition or a right) are data types the policy declares
		x.mentions = append(x.mentions, d)
		if !notData {
			ex.DataTypes = append(ex.DataTypes, d)
		}
	}
}

// featureHeads are the nouns that make a preceding data word the name of a
// feature, a service, a permission or a product rather than data
// ("地理位置服务", "扫码支付", "通知栏消息", "录音权限", "社保卡SDK").
var featureHeads = []string{"功能", "服务", "备份", "朗读", "彩铃", "客服", "直播", "购物", "搜题", "登录", "登陆", "支付", "消息", "评测", "配音", "播放", "互动", "业务", "场景", "能力", "sdk", "平台", "接口", "查询", "充值", "直充", "提醒", "推送", "校准", "权限", "芯片", "凭证", "证件及", "一键登录", "找回", "重设", "重置", "读写", "的方式", "相关的功能", "相关的服务", "相关功能", "相关服务", "的功能", "的服务", "的相应服务", "的相关功能", "的相关服务", "feature", "service", "permission", " feature", " service", " permission", " sdk"}

// purposeMarkers open a purpose clause: a data word after one of them, in
// the same clause and with no collection verb between, is what the purpose
// is about ("用于推送通知栏消息", "以便您查询交易记录"), not data collected.
var purposeMarkers = []string{"用于", "以便", "便于", "为了", "目的是", "以确保", "以保障", "以保证", "以帮助", "以实现", "以满足", "以向", "以为您", "以提供", "从而", "方便您", "帮助您", "in order to", "so that", "to help"}

// strongCollect are the verbs that keep a data word in a purpose clause
// ("用于收集您的设备信息").
var strongCollect = []string{"收集", "采集", "获取", "读取", "访问", "上传", "调用", "collect", "obtain", "access", "read"}

// entityTerms name a party as often as data (电信运营商 "the carrier" in
// "电信运营商提供的一键登录"): they count as data only inside an enumeration.
var entityTerms = map[string]bool{"运营商": true, "电信运营商": true, "移动运营商": true, "网络运营商": true, "品牌": true, "设备厂商": true, "设备制造商": true}

// notData reports whether the data word at [a,b) in sentence s names
// something other than data collected: a book title (《儿童个人信息网络保护规
// 定》), a feature, service, permission or SDK it qualifies, the object of a
// purpose clause, or a party.
func (x *extractor) notData(a, b int, s Span) bool {
	rs := x.rs
	if x.sentenceAside(s) || x.featureList(b, s.End) {
		return true
	}
	if x.verbReading(a, b, s) || x.permissionDescription(a, s) || x.notDataEN(a, b, s) || x.titleHeading(a, b) {
		return true
	}
	// part of an identifier (CHANGE_WIFI_STATE, ACCESS_FINE_LOCATION): a
	// permission name, found as a permission group. (The matcher already
	// refuses words glued to letters; an underscore next to Han is Markdown
	// emphasis: "_手机号码_".)
	if a > 1 && rs[a-1] == '_' && isASCIIAlnum(rs[a-2]) || b+1 < len(rs) && rs[b] == '_' && isASCIIAlnum(rs[b+1]) {
		return true
	}
	// a word in a short parenthetical ("摄像头（相机）的功能") is judged by
	// the words around the parenthetical
	if a > s.Start && (rs[a-1] == '（' || rs[a-1] == '(') {
		for k := b; k < min(b+3, s.End); k++ {
			if rs[k] == '）' || rs[k] == ')' {
				i := a - 1
				for i > s.Start && i > a-10 && !isSpaceRune(rs[i-1]) && !strings.ContainsRune("，,；;：:。、", rs[i-1]) {
					i--
				}
				a, b = i, k+1
				break
			}
		}
	}
	// inside 《…》 or 〈…〉
	for i := a - 1; i >= s.Start && i >= a-40; i-- {
		if rs[i] == '》' || rs[i] == '〉' {
			break
		}
		if rs[i] == '《' || rs[i] == '〈' {
			return true
		}
	}
	// the word qualifies a feature, service, permission or SDK, possibly
	// after alternatives ("指纹/刷脸登录")
	after := x.following(b, s.End, 8)
	for alt, n := after, 0; n < 3; n++ {
		for _, h := range featureHeads {
			if strings.HasPrefix(alt, h) {
				return true
			}
		}
		if !strings.HasPrefix(alt, "/") {
			break
		}
		r := []rune(alt[1:])
		k := 0
		for k < len(r) && k < 4 && r[k] > 0x2E80 && r[k] != '/' {
			k++
		}
		alt = string(r[k:])
	}
	// a container named for what is read from it ("手机SIM卡中的SEID信息",
	// "从通讯录中点选的联系人信息"): the data inside is matched on its own
	if strings.HasPrefix(after, "中") && !strings.HasPrefix(after, "中国") {
		return true
	}
	before := x.preceding(a, s.Start, 3)
	for _, v := range []string{"基于", "涉及", "找回", "重设", "重置", "忘记"} {
		if strings.HasSuffix(before, v) {
			return true
		}
	}
	word := strings.ToLower(string(rs[a:b]))
	if entityTerms[word] {
		prev := []rune(before)
		okPrev := len(prev) == 0 || strings.ContainsRune("、，,：:（(/；;的及和与或集取供括如", prev[len(prev)-1])
		na := []rune(after)
		okNext := len(na) == 0 || strings.ContainsRune("、，,；;。）)/等", na[0]) || strings.HasPrefix(after, "信息") || strings.HasPrefix(after, "名称")
		if !okPrev || !okNext {
			return true
		}
	}
	// the object of a purpose clause
	cl := a
	for cl > s.Start && !strings.ContainsRune("，,；;：:。！？!?", rs[cl-1]) {
		cl--
	}
	clause := strings.ToLower(string(rs[cl:a]))
	at := -1
	for _, m := range purposeMarkers {
		if i := strings.LastIndex(clause, m); i >= 0 && i+len(m) > at {
			at = i + len(m)
		}
	}
	if at >= 0 {
		rest := clause[at:]
		if strings.ContainsAny(rest, "、及和") {
			// an enumeration goes on past the purpose ("用于接入服务的程序所提
			// 供的配置信息、您的IP地址"): the later items are data
			return false
		}
		for _, v := range strongCollect {
			if strings.Contains(rest, v) {
				return false
			}
		}
		return true
	}
	return false
}

// headingTitleRe marks a heading that titles a practice or a feature
// ("我们如何使用Cookie和同类技术", "4.4 视频展示和播放", "（6）省电与电池",
// "How we use cookies"): the data words in it name its topic; the text
// under it says what is processed.
var headingTitleRe = regexp.MustCompile(`(?i)如何|怎样|怎么|功能|服务|展示|播放|分享|录制|直播|扫描|二维码|体检|省电|登录|登陆|注册|互动|清除|管理|使用|保护|\bhow\b|\buse of\b|\bwe use\b`)

// titleHeading reports whether [a,b) lies in a short section heading
// that titles a practice or a feature.
func (x *extractor) titleHeading(a, b int) bool {
	i := x.sectionAt(a)
	if i < 0 {
		return false
	}
	h := x.d.Sections[i].Heading
	if a < h.Start || b > h.End || utf8.RuneCountInString(h.Text) > 30 {
		return false
	}
	return headingTitleRe.MatchString(h.Text)
}

// verbHeads open data words that read as a verb and its object after a
// subject or an adverb ("我们如何使用信息", "会使用数据", "收集、使用信息"):
// the heading or clause names a practice, not data.
var (
	verbHeads      = []string{"使用", "浏览", "访问", "登录", "注册", "交易", "搜索", "处理"}
	verbLicensors  = []string{"如何", "怎样", "怎么", "会", "将", "可", "能", "要", "需", "不", "并", "再", "也", "来", "们", "以", "地", "司", "方"}
	verbsBeforeDun = []string{"收集、", "存储、", "保存、", "处理、", "共享、", "保护、", "披露、", "转让、", "获取、", "储存、"}
)

// verbReading reports whether the data word at [a,b) is a verb and a
// generic noun (信息/数据) in a context that makes it a verb phrase.
func (x *extractor) verbReading(a, b int, s Span) bool {
	w := string(x.rs[a:b])
	if !strings.HasSuffix(w, "信息") && !strings.HasSuffix(w, "数据") && !strings.HasSuffix(w, "资料") {
		return false
	}
	verb := false
	for _, v := range verbHeads {
		if strings.HasPrefix(w, v) && len([]rune(w)) == len([]rune(v))+2 {
			verb = true
		}
	}
	if !verb {
		return false
	}
	pre := x.preceding(a, s.Start, 3)
	for _, l := range verbLicensors {
		if strings.HasSuffix(pre, l) {
			return true
		}
	}
	for _, l := range verbsBeforeDun {
		if strings.HasSuffix(pre, l) {
			return true
		}
	}
	return false
}

// permDescRe opens the description of an Android permission ("允许程序写入外
// 部存储", "Allows an app to read the contacts"): it names what a permission
// allows, not what the operator collects.
var permDescRe = regexp.MustCompile(`(?i)(?:^|[：:，,；;。\s|（(])(?:允许|可以让|使)(?:该|本)?(?:应用程序|应用|程序|软件|APP|app|第三方应用)|\ballows? (?:an |the )?(?:app|application)s? to\b`)

// permissionDescription reports whether the clause holding p describes a
// permission.
func (x *extractor) permissionDescription(p int, s Span) bool {
	cl := p
	for cl > s.Start && !strings.ContainsRune("。；;", x.rs[cl-1]) {
		cl--
	}
	if p-cl > 60 {
		cl = p - 60
	}
	return permDescRe.MatchString(string(x.rs[max(cl-1, s.Start):p]))
}

// enNonDataMod are English words that make a following "files" or
// "storage" a technology or a document rather than the user's files
// ("text files", "log files", "Local Storage", "session storage").
var enNonDataMod = map[string]bool{"text": true, "log": true, "cookie": true, "small": true, "data": true, "documentation": true, "configuration": true, "config": true, "temporary": true, "cache": true, "cached": true, "html5": true, "html": true, "local": true, "session": true, "browser": true, "web": true, "cloud": true, "secure": true, "server": true, "pixel": true, "flash": true, "associated": true, "these": true, "such": true, "our": true, "database": true, "offline": true, "image": true, "downloaded": true, "media": true}

// enDeviceMod before "storage" make it the storage of the user's device.
var enDeviceMod = map[string]bool{"device": true, "device's": true, "phone": true, "phone's": true, "external": true, "internal": true, "your": true, "shared": true, "mobile": true, "usb": true, "sd": true, "card": true}

// enTimeUnits after "calendar" make it a period ("calendar year").
var enTimeUnits = []string{" year", " day", " month", " week", " quarter", "-year", "-day", "-month"}

// notDataEN reports English words that name no personal data in their
// context: "calendar year", "text files", "Local Storage".
func (x *extractor) notDataEN(a, b int, s Span) bool {
	w := strings.ToLower(string(x.rs[a:b]))
	switch w {
	case "mac":
		// "Mac OS", "iOS/Mac": the system, not a MAC address
		after := strings.ToLower(strings.TrimSpace(string(x.rs[b:min(b+4, s.End)])))
		if strings.HasPrefix(after, "os") || strings.HasPrefix(after, "book") || strings.HasSuffix(x.preceding(a, s.Start, 4), "ios/") {
			return true
		}
	case "calendar":
		after := strings.ToLower(string(x.rs[b:min(b+9, s.End)]))
		for _, u := range enTimeUnits {
			if strings.HasPrefix(after, u) {
				return true
			}
		}
	case "storage":
		// "electronic storage", "in storage", "Storage and Processing":
		// storage on the user's device only when the text says so
		pre := strings.Fields(strings.ToLower(string(x.rs[max(s.Start, a-24):a])))
		return len(pre) == 0 || !enDeviceMod[strings.Trim(pre[len(pre)-1], ",.;:()\"'")]
	case "files", "file":
		pre := strings.Fields(strings.ToLower(string(x.rs[max(s.Start, a-24):a])))
		if len(pre) > 0 && enNonDataMod[strings.Trim(pre[len(pre)-1], ",.;:()\"'")] {
			return true
		}
		if len(pre) > 1 && (pre[len(pre)-1] == "and" || pre[len(pre)-1] == "or") && enNonDataMod[pre[len(pre)-2]] {
			return true
		}
	}
	return false
}

// contactWords name contact details; operatorContact reports those that
// are the operator's own ("use our telephone number", "contact us by
// email address", "我们的联系电话", "客服邮箱", "公司地址：…").
var contactKinds = map[string]bool{string(pi.PhoneNumber): true, string(pi.ContactInfo): true}

func (x *extractor) operatorContact(a, b int, s Span) bool {
	w := strings.ToLower(string(x.rs[a:b]))
	pre := strings.ToLower(string(x.rs[max(s.Start, a-45):a]))
	f := strings.Fields(pre)
	if n := len(f); n > 0 && (f[n-1] == "our" || n > 1 && f[n-2] == "our") {
		return true
	}
	for _, c := range []string{"contact us", "reach us", "call us", "email us", "write to us", "contact our", "reach our"} {
		if strings.Contains(pre, c) {
			return true
		}
	}
	hp := x.preceding(a, s.Start, 5)
	if !strings.Contains(hp, "给我们") && !strings.Contains(hp, "向我们") && !strings.Contains(hp, "与我们") {
		for _, c := range []string{"我们的", "本公司的", "我司的", "客服", "官方", "联系我们"} {
			if strings.HasSuffix(hp, c) {
				return true
			}
		}
	}
	if w == "公司地址" || w == "办公地址" || w == "注册地址" {
		if n := x.following(b, s.End, 1); n == "：" || n == ":" || n == "为" || n == "是" || n == "位" {
			return true
		}
	}
	return false
}

// Sentences in which the user, not the operator, is the actor (refusing
// cookies, changing a setting, revoking a permission), warnings and advice,
// consequences of deleting an account, and items of the GB/T 35273
// definition lists ("个人常用设备信息（包括…）") name data without
// declaring that it is processed — unless the operator collects in them.
var (
	userOptionRe  = regexp.MustCompile(`^[\s\d、.．:：（）()一二三四五六七八九十*_#a-z]*(?:您|你)?(?:也|还|随时)?(?:可以|可|有权)(?:通过|在|随时|清除|拒绝|接受|修改|更改|选择不|删除|关闭|取消|撤回|管理|查阅|访问|更正)|^[\s\d、.．:：（）()一二三四五六七八九十*_#a-z]*如(?:果)?(?:您|你)(?:不想|不希望|想更改|想要更改|需要更改|希望更改|已经提交)`)
	adviceRe      = regexp.MustCompile(`^[\s\d、.．:：（）()一二三四五六七八九十*_#a-z]*(?:也)?请(?:您|你)?(?:使用|谨慎|妥善|注意|不要|务必)`)
	riskRe        = regexp.MustCompile(`面临.{0,30}风险`)
	deletionRe    = regexp.MustCompile(`注销.{0,20}(?:后|时)|无法找回|将(?:全部|被)?(?:清除|删除)|全部清除`)
	gbDefItemRe   = regexp.MustCompile(`^[\s\d、.．:：（）()一二三四五六七八九十*_#a-z]*(?:包括)?个人[\p{Han}]{1,8}(?:信息|记录|数据)（(?:包括|如|例如)`)
	operatorVerbs = []string{"收集", "采集", "获取", "读取", "调用", "上传", "共享", "提供给", "记录", "保存", "存储"}
)

// sentenceAside reports (once per sentence) whether the data words of
// sentence s are examples, rights, advice or statements about
// identifiability rather than processing.
func (x *extractor) sentenceAside(s Span) bool {
	if v, ok := x.asideSent[s.Start]; ok {
		return v
	}
	head := s.Text
	if r := []rune(head); len(r) > 40 {
		head = string(r[:40])
	}
	v := definitionRe.MatchString(head) || cookieDefRe.MatchString(head) || licenceText(s.Text) || x.aside(x.sectionAt(s.Start)) || strings.Contains(s.Text, "无法识别特定自然人") || strings.Contains(s.Text, "无法单独识别") || notProcessing(s.Text, head)
	if x.asideSent == nil {
		x.asideSent = map[int]bool{}
	}
	x.asideSent[s.Start] = v
	return v
}

// notProcessing reports whether sentence t (head: its first 40 runes, which
// the anchored patterns look at) is a user option, advice, a deletion
// consequence or a definition item in which the operator collects nothing.
// The substring tests keep the regular expressions off most sentences.
func notProcessing(t, head string) bool {
	t, head = strings.ToLower(t), strings.ToLower(head)
	has := strings.Contains
	if !((has(head, "可") || has(head, "如")) && userOptionRe.MatchString(head) ||
		has(head, "请") && adviceRe.MatchString(head) || has(t, "面临") && riskRe.MatchString(t) ||
		(has(t, "注销") || has(t, "无法找回") || has(t, "清除") || has(t, "删除")) && deletionRe.MatchString(t) ||
		has(head, "个人") && gbDefItemRe.MatchString(head)) {
		return false
	}
	for _, v := range operatorVerbs {
		if strings.Contains(t, v) {
			return false
		}
	}
	return true
}

// featureListEnds close an enumeration of features ("您可使用头像上传、二维码
// 识别、身份证识别等服务").
var featureListEnds = []string{"等服务", "等功能", "等业务", "等附加功能", "等场景", "等互动行为", "等操作"}

// featureListStops end the search for featureListEnds: data, a purpose or
// a collection comes first.
var featureListStops = []string{"信息", "数据", "用于", "以便", "为了", "收集", "获取", "读取", "访问", "权限"}

// featureList reports whether the clause from p on closes an enumeration
// of features before it names data, a purpose or a collection.
func (x *extractor) featureList(p, end int) bool {
	depth := 0
	for i := p; i < end && i < p+200; i++ {
		r := x.rs[i]
		switch {
		case r == '（' || r == '(':
			depth++
			continue
		case r == '）' || r == ')':
			depth--
			continue
		case depth > 0:
			continue
		case strings.ContainsRune("，,；;。：:", r):
			return false
		}
		rest := string(x.rs[i:min(i+6, end)])
		for _, e := range featureListEnds {
			if strings.HasPrefix(rest, e) {
				return true
			}
		}
		for _, stop := range featureListStops {
			if strings.HasPrefix(rest, stop) {
				return false
			}
		}
	}
	return false
}

// following returns up to n runes after p (before end), lower-cased, with
// whitespace and Markdown emphasis skipped.
func (x *extractor) following(p, end, n int) string {
	var out []rune
	for i := p; i < end && len(out) < n; i++ {
		r := x.rs[i]
		if r == '*' || r == '_' || (isSpaceRune(r) && (len(out) == 0 || !isASCIIAlnum(out[len(out)-1]))) {
			continue
		}
		out = append(out, fold(r))
	}
	return string(out)
}

// preceding returns up to n runes before p (not before start), with
// whitespace and Markdown emphasis skipped.
func (x *extractor) preceding(p, start, n int) string {
	var out []rune
	for i := p - 1; i >= start && len(out) < n; i-- {
		r := x.rs[i]
		if r == '*' || r == '_' || isSpaceRune(r) {
			continue
		}
		out = append([]rune{fold(r)}, out...)
	}
	return string(out)
}

func (x *extractor) permissionGroups(ex *Extraction) {
	type cand struct {
		pg  PermissionGroup
		len int
	}
	var cs []cand
	// explicit permission phrases first (they win over data phrases they overlap).
	for _, h := range longest(x.lx.permM.findAll(x.t, 0, len(x.rs))) {
		if x.inTOC(h.start) {
			continue
		}
		s := x.sentenceAt(h.start)
		if x.notDataEN(h.start, h.end, s) {
			continue
		}
		pg := PermissionGroup{Group: x.lx.permGroup[h.id], Text: string(x.rs[h.start:h.end]), Start: h.start, End: h.end, Via: "permission", Sentence: s}
		// a data phrase listed as a permission phrase keeps its narrow
		// category ("设备信息" names the PHONE group's data, no identifier)
		if i := sort.Search(len(x.mentions), func(i int) bool { return x.mentions[i].Start >= h.start }); i < len(x.mentions) && x.mentions[i].Start == h.start && x.mentions[i].End == h.end {
			pg.Narrow = x.mentions[i].Narrow
		}
		cs = append(cs, cand{pg, h.end - h.start})
	}
	covered := func(a, b int) bool {
		for _, c := range cs {
			if c.pg.Start < b && a < c.pg.End {
				return true
			}
		}
		return false
	}
	n := len(cs)
	for _, d := range x.mentions {
		g, ok := x.lx.kindGroup[d.Kind]
		if !ok {
			continue
		}
		if covered(d.Start, d.End) {
			continue
		}
		cs = append(cs, cand{PermissionGroup{Group: g, Text: d.Text, Start: d.Start, End: d.End, Via: "data", Category: d.Category, Narrow: d.Narrow, Sentence: d.Sentence}, d.End - d.Start})
	}
	_ = n
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].pg.Start < cs[j].pg.Start })
	for _, c := range cs {
		ex.PermissionGroups = append(ex.PermissionGroups, c.pg)
	}
}

var (
	// a name written before "SDK": Latin words or a short run of Han.
	sdkNameRe = regexp.MustCompile(`([A-Za-z0-9][A-Za-z0-9+_.\-]*(?:[ ][A-Za-z0-9][A-Za-z0-9+_.\-]*){0,3}|[\p{Han}A-Za-z0-9+]{1,14})[ ]?(?i:sdk)`)
)

// generic SDK words that do not name an SDK by themselves.
var sdkGeneric = map[string]bool{"": true, "sdk": true, "第三方": true, "相关": true, "这些": true, "该": true, "本": true, "上述": true, "其他": true, "此类": true, "此": true, "各": true, "部分": true, "某些": true, "一些": true, "以下": true, "如下": true, "所述": true, "前述": true, "下列": true, "使用的": true, "the": true, "this": true, "these": true, "any": true, "our": true, "third-party": true, "party": true}

// sdkCut are words after which the name of an SDK starts: "集成了个推SDK" names 个推.
var sdkCut = []string{"的", "了", "及", "和", "与", "或", "、", "是", "在", "为", "内", "中", "将", "等", "即", "如", "由", "被", "对", "向", "从", "来", "集成", "接入", "使用", "嵌入", "引入", "调用", "包括", "包含", "采用", "提供", "需要", "通过", "所有", "全部", "各类", "各种", "第三方", "上述", "相关", "这些", "以下", "其他", "其中", "我们", "该", "此", "本", "各", "简称", "参见", "参阅", "查看", "详见", "规则", "政策"}

// trimSDKPrefix keeps the part of a Han run after the last cut word.
func trimSDKPrefix(s string) string {
	best := 0
	for _, c := range sdkCut {
		if i := strings.LastIndex(s, c); i >= 0 && i+len(c) > best && i+len(c) <= len(s) {
			best = i + len(c)
		}
	}
	s = s[best:]
	return strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
}

// sdks finds SDKs in SDK tables, in "key: value" SDK lists and in the text.
func (x *extractor) sdks(ex *Extraction) {
	var ms []SDKMention
	ms = append(ms, x.sdkTables()...)
	ms = append(ms, x.sdkLists()...)
	// lexicon hits
	for _, h := range longest(x.lx.sdkM.findAll(x.t, 0, len(x.rs))) {
		if x.inTOC(h.start) {
			continue
		}
		inVendor := false
		for _, c := range x.vendorCells {
			inVendor = inVendor || c[0] <= h.start && h.end <= c[1]
		}
		if inVendor {
			continue
		}
		e := x.lx.sdks[x.lx.sdkOf[h.id]]
		ms = append(ms, SDKMention{Name: string(x.rs[h.start:h.end]), Start: h.start, End: h.end, Key: e.key, Vendor: e.vendor, Source: "text", Sentence: x.sentenceAt(h.start)})
	}
	// "<name>SDK" written in the text
	for _, s := range x.sent {
		if x.inTOC(s.Start) || !strings.Contains(strings.ToLower(s.Text), "sdk") {
			continue
		}
		srs := []rune(s.Text)
		for _, loc := range sdkNameRe.FindAllStringSubmatchIndex(s.Text, -1) {
			name := s.Text[loc[2]:loc[3]]
			trimmed := trimSDKPrefix(name)
			if sdkGeneric[strings.ToLower(strings.TrimSpace(trimmed))] || strings.EqualFold(strings.TrimSpace(trimmed), "sdk") {
				continue
			}
			startByte := loc[2] + (len(name) - len(trimmed))
			a := s.Start + len([]rune(s.Text[:startByte]))
			z := s.Start + len([]rune(s.Text[:loc[1]]))
			_ = srs
			ms = append(ms, SDKMention{Name: string(x.rs[a:z]), Start: a, End: z, Source: "text", Sentence: s})
		}
	}
	// merge overlapping mentions: structured sources first, then longer.
	rank := map[string]int{"table": 0, "list": 1, "text": 2}
	sort.SliceStable(ms, func(i, j int) bool {
		if rank[ms[i].Source] != rank[ms[j].Source] {
			return rank[ms[i].Source] < rank[ms[j].Source]
		}
		if ms[i].Key != "" != (ms[j].Key != "") {
			return ms[i].Key != ""
		}
		return ms[i].End-ms[i].Start > ms[j].End-ms[j].Start
	})
	var kept []SDKMention
	for _, m := range ms {
		dup := false
		for k := range kept {
			if kept[k].Start < m.End && m.Start < kept[k].End {
				if kept[k].Key == "" && m.Key != "" {
					kept[k].Key = m.Key
					if kept[k].Vendor == "" {
						kept[k].Vendor = m.Vendor
					}
				}
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, m)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	for i := range kept {
		m := &kept[i]
		if m.Key == "" && m.Source == "text" && !strings.Contains(strings.ToLower(m.Name), "sdk") {
			continue
		}
		if m.Key == "" {
			// a known SDK name inside the written name ("腾讯的Bugly SDK")
			for _, h := range longest(x.lx.sdkM.findAll(x.t, m.Start, m.End)) {
				e := x.lx.sdks[x.lx.sdkOf[h.id]]
				m.Key = e.key
				if m.Vendor == "" {
					m.Vendor = e.vendor
				}
				break
			}
		}
		m.ID = x.resolve(m)
		if m.Data != "" {
			m.DataTypes = x.categoriesIn(m.Data)
		}
	}
	ex.SDKs = append(ex.SDKs, kept...)
}

func (x *extractor) resolve(m *SDKMention) string {
	if x.opt.ResolveSDK == nil {
		return ""
	}
	if id, ok := x.opt.ResolveSDK(m.Name); ok {
		return id
	}
	if m.Key != "" {
		if id, ok := x.opt.ResolveSDK(m.Key); ok {
			return id
		}
		for _, e := range x.lx.sdks {
			if e.key != m.Key {
				continue
			}
			for _, n := range e.names {
				if id, ok := x.opt.ResolveSDK(n); ok {
					return id
				}
			}
		}
	}
	return ""
}

// categoriesIn lists the pi categories named in s: those a word names as a
// whole (its narrow category), not the broad category of a finer word.
func (x *extractor) categoriesIn(s string) []pi.Category {
	t := prepare([]rune(s))
	var cs []string
	for _, h := range longest(x.lx.dataM.findAll(t, 0, len(t.rs))) {
		if n := x.lx.dataNarrow[h.id]; pi.Valid(pi.Category(n)) {
			cs = append(cs, n)
		}
	}
	cs = sortedUnique(cs)
	out := make([]pi.Category, len(cs))
	for i, c := range cs {
		out[i] = pi.Category(c)
	}
	return out
}

// column roles of SDK tables, by header words.
func columnRole(h string) string {
	h = strings.ToLower(h)
	switch {
	case strings.Contains(h, "链接") || strings.Contains(h, "政策") || strings.Contains(h, "link") || strings.Contains(h, "url") || strings.Contains(h, "policy"):
		return "link"
	case strings.Contains(h, "公司") || strings.Contains(h, "主体") || strings.Contains(h, "运营方") || strings.Contains(h, "提供方") || strings.Contains(h, "厂商") || strings.Contains(h, "开发者") || strings.Contains(h, "vendor") || strings.Contains(h, "provider") || strings.Contains(h, "company"):
		return "vendor"
	case strings.Contains(h, "sdk") && (strings.Contains(h, "名称") || strings.Contains(h, "name")) || h == "sdk" || strings.Contains(h, "第三方名称") || strings.Contains(h, "合作方名称") || h == "名称" || h == "name" || strings.Contains(h, "产品名称") || strings.Contains(h, "服务名称") || strings.Contains(h, "插件名称"):
		return "name"
	case strings.Contains(h, "目的") || strings.Contains(h, "用途") || strings.Contains(h, "功能") || strings.Contains(h, "场景") || strings.Contains(h, "purpose") || strings.Contains(h, "使用"):
		return "purpose"
	case strings.Contains(h, "信息") || strings.Contains(h, "数据") || strings.Contains(h, "字段") || strings.Contains(h, "data") || strings.Contains(h, "权限"):
		return "data"
	}
	return ""
}

// sdkTables reads tables whose header names an SDK (or third party) column.
func (x *extractor) sdkTables() []SDKMention {
	var out []SDKMention
	for _, t := range x.d.Tables {
		if len(t.Rows) < 2 {
			continue
		}
		hdr := t.Rows[0]
		roles := make([]string, len(hdr.Cells))
		nameCol := -1
		for i, c := range hdr.Cells {
			roles[i] = columnRole(c.Text)
			if roles[i] == "name" && nameCol < 0 {
				nameCol = i
			}
		}
		if nameCol < 0 {
			// a table listing SDKs without a named column: the first column
			// when most of its cells look like SDK names.
			hits := 0
			for _, r := range t.Rows[1:] {
				if len(r.Cells) > 0 && x.looksLikeSDK(r.Cells[0]) {
					hits++
				}
			}
			if hits*2 < len(t.Rows)-1 || hits == 0 {
				continue
			}
			nameCol = 0
		}
		for _, r := range t.Rows[1:] {
			if nameCol >= len(r.Cells) || strings.TrimSpace(r.Cells[nameCol].Text) == "" {
				continue
			}
			c := r.Cells[nameCol]
			m := SDKMention{Name: c.Text, Start: c.Start, End: c.End, Source: "table", Sentence: r.Span}
			for i, cell := range r.Cells {
				if i >= len(roles) || i == nameCol {
					continue
				}
				switch roles[i] {
				case "vendor":
					m.Vendor = cell.Text
					x.vendorCells = append(x.vendorCells, [2]int{cell.Start, cell.End})
				case "purpose":
					m.Purpose = joinNonEmpty(m.Purpose, cell.Text)
				case "data":
					m.Data = joinNonEmpty(m.Data, cell.Text)
				case "link":
					m.PolicyURL = firstURL(cell.Text)
				}
			}
			out = append(out, m)
		}
	}
	return out
}

func (x *extractor) looksLikeSDK(c Span) bool {
	l := strings.ToLower(c.Text)
	if strings.Contains(l, "sdk") {
		return true
	}
	t := prepare([]rune(c.Text))
	return len(x.lx.sdkM.findAll(t, 0, len(t.rs))) > 0
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "；" + b
}

var urlRe = regexp.MustCompile(`https?://[^\s\])）"'<>，。]+`)

func firstURL(s string) string { return urlRe.FindString(s) }

var bracketName = regexp.MustCompile(`^[^（(]+[（(]([^）)]+)[）)]\s*$`)

var kvRe = regexp.MustCompile(`^\s*[*_]*\s*([\p{Han}A-Za-z /]{2,16}?)\s*[*_]*\s*[：:]\s*(.*)$`)

// kvRole maps the key of a "key：value" line of an SDK list to a field.
func kvRole(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	switch {
	case k == "sdk名称" || k == "sdk" || k == "第三方sdk名称" || k == "名称" || k == "sdk name" || k == "插件名称" || k == "产品名称":
		return "name"
	case strings.Contains(k, "链接") || strings.Contains(k, "隐私政策") || strings.Contains(k, "policy") || strings.Contains(k, "官网"):
		return "link"
	case strings.Contains(k, "公司") || strings.Contains(k, "主体") || strings.Contains(k, "运营方") || strings.Contains(k, "提供方") || strings.Contains(k, "第三方名称") || strings.Contains(k, "开发者") || strings.Contains(k, "vendor"):
		return "vendor"
	case strings.Contains(k, "目的") || strings.Contains(k, "用途") || strings.Contains(k, "功能") || strings.Contains(k, "场景") || strings.Contains(k, "purpose"):
		return "purpose"
	case strings.Contains(k, "信息") || strings.Contains(k, "数据") || strings.Contains(k, "字段") || strings.Contains(k, "权限"):
		return "data"
	case strings.Contains(k, "处理方式") || strings.Contains(k, "方式"):
		return "method"
	}
	return ""
}

// sdkLists reads SDK lists written as a title line (the SDK name, often
// bold) followed by "key：value" lines, or with an explicit "SDK名称：" line.
func (x *extractor) sdkLists() []SDKMention {
	var out []SDKMention
	ps := x.d.Paragraphs
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		m := kvRe.FindStringSubmatch(p.Text)
		var title Span
		if m != nil && kvRole(m[1]) == "name" && strings.TrimSpace(m[2]) != "" {
			v := strings.Trim(strings.TrimSpace(m[2]), "*_ ")
			off := strings.Index(p.Text, v)
			a := p.Start + len([]rune(p.Text[:off]))
			title = Span{Start: a, End: a + len([]rune(v)), Text: v}
		} else if m == nil && len([]rune(p.Text)) <= 40 && i+1 < len(ps) {
			// a title followed by key：value lines with at least two known roles
			roles := 0
			for j := i + 1; j < len(ps) && j <= i+4; j++ {
				if mm := kvRe.FindStringSubmatch(ps[j].Text); mm != nil && kvRole(mm[1]) != "" && kvRole(mm[1]) != "name" {
					roles++
				} else {
					break
				}
			}
			if roles < 2 {
				continue
			}
			v := strings.TrimSpace(strings.Trim(p.Text, "*_#> \t"))
			if v == "" || strings.HasSuffix(v, "：") || strings.HasSuffix(v, ":") || strings.ContainsAny(v, "。；") {
				continue
			}
			off := strings.Index(p.Text, v)
			a := p.Start + len([]rune(p.Text[:off]))
			title = Span{Start: a, End: a + len([]rune(v)), Text: v}
		} else {
			continue
		}
		// "功能（SDK 名称）": the name is in the brackets.
		if m := bracketName.FindStringSubmatchIndex(title.Text); m != nil {
			inner := title.Text[m[2]:m[3]]
			if x.looksLikeSDK(Span{Text: inner}) || strings.Contains(inner, "IM") {
				a := title.Start + len([]rune(title.Text[:m[2]]))
				title = Span{Start: a, End: a + len([]rune(inner)), Text: inner}
			}
		}
		sm := SDKMention{Name: title.Text, Start: title.Start, End: title.End, Source: "list", Sentence: p}
		j := i + 1
		for ; j < len(ps); j++ {
			mm := kvRe.FindStringSubmatch(ps[j].Text)
			if mm == nil {
				break
			}
			role := kvRole(mm[1])
			if role == "name" || role == "" && j > i+6 {
				break
			}
			v := strings.TrimSpace(mm[2])
			switch role {
			case "vendor":
				sm.Vendor = v
			case "purpose":
				sm.Purpose = joinNonEmpty(sm.Purpose, v)
			case "data":
				sm.Data = joinNonEmpty(sm.Data, v)
			case "link":
				if u := firstURL(v); u != "" && (sm.PolicyURL == "" || strings.Contains(mm[1], "隐私")) {
					sm.PolicyURL = u
				}
			}
			sm.Sentence.End = ps[j].End
		}
		sm.Sentence.Text = string(x.rs[sm.Sentence.Start:sm.Sentence.End])
		out = append(out, sm)
		i = j - 1
	}
	return out
}

// purposeCues open a statement of purpose.
var purposeCues = []string{"用于", "用以", "用来", "以便于", "以便", "以用于", "为了", "为实现", "为向您", "为向你", "为给您", "为给你", "为保障", "为确保", "为保证", "为保护", "为提升", "为改善", "为满足", "以向您", "以向你", "以为您", "以为你", "以保障", "以确保", "以保证", "以实现", "以提升", "以改善", "以满足", "目的是", "目的为", "旨在", "是为了", "in order to", "so that we can", "for the purpose of", "for the purposes of", "to help us"}

var (
	purposeOnce sync.Once
	purposeM    *matcher
)

func (x *extractor) purposes(ex *Extraction) {
	purposeOnce.Do(func() { purposeM = newMatcher(purposeCues) })
	for _, h := range longest(purposeM.findAll(x.t, 0, len(x.rs))) {
		s := x.sentenceAt(h.start)
		if x.inTOC(s.Start) || s.End <= h.start {
			continue
		}
		// the purpose runs from the cue to the end of the clause.
		z := h.end
		for z < s.End && !strings.ContainsRune("。；;\t", x.rs[z]) {
			z++
		}
		for z > h.start && strings.ContainsRune("，,、 ", x.rs[z-1]) {
			z--
		}
		if z-h.start < 4 {
			continue
		}
		p := Purpose{Text: string(x.rs[h.start:z]), Start: h.start, End: z, Sentence: s}
		var fs []string
		for _, fh := range x.lx.funcM.findAll(x.t, h.start, z) {
			fs = append(fs, x.lx.funcID[fh.id])
		}
		p.Functions = sortedUnique(fs)
		p.DataTypes = x.categoriesIn(s.Text)
		ex.Purposes = append(ex.Purposes, p)
	}
}

func (x *extractor) permissions(ex *Extraction) {
	for _, g := range ex.PermissionGroups {
		if g.Via != "permission" {
			continue
		}
		s := g.Sentence
		pe := PermissionExplanation{Group: g.Group, Permission: Span{Start: g.Start, End: g.End, Text: g.Text}, Sentence: s}
		for _, p := range ex.Purposes {
			if p.Sentence.Start == s.Start {
				pe.Purpose = Span{Start: p.Start, End: p.End, Text: p.Text}
				pe.Explained = true
				break
			}
		}
		if !pe.Explained {
			// a table row (permission | purpose) explains by its other cells.
			for _, t := range x.d.Tables {
				for _, r := range t.Rows {
					if r.Start == s.Start && len(r.Cells) > 1 {
						for _, c := range r.Cells {
							if c.End <= g.Start || c.Start >= g.End {
								if len([]rune(c.Text)) >= 4 {
									pe.Purpose, pe.Explained = c, true
								}
							}
						}
					}
				}
			}
		}
		ex.Permissions = append(ex.Permissions, pe)
	}
}

var (
	condCueRe = regexp.MustCompile(`(?:仅在|仅当|只有在|只有当|仅限于|除非|当|在|如果|如|若|一旦)(?:您|你|用户)`)
	condEnRe  = regexp.MustCompile(`(?i)\b(?:only )?(?:when|if|where|once) you [^,.;]{3,80}`)
)

// condEnd are the words that close a Chinese condition clause.
var condEnd = []string{"的情况下", "时", "后", "前"}

func (x *extractor) conditions(ex *Extraction) {
	add := func(s Span, a, z int) { // byte offsets into s.Text
		ra := s.Start + utf8.RuneCountInString(s.Text[:a])
		rz := ra + utf8.RuneCountInString(s.Text[a:z])
		ex.Conditions = append(ex.Conditions, Span{Start: ra, End: rz, Text: string(x.rs[ra:rz])})
	}
	for _, s := range x.sent {
		if x.inTOC(s.Start) {
			continue
		}
		if strings.ContainsAny(s.Text, "您你用") {
			for _, loc := range condCueRe.FindAllStringIndex(s.Text, -1) {
				// the clause runs to the first closing word before a comma, within 40 runes.
				rest := s.Text[loc[1]:]
				n, end := 0, -1
				for i, r := range rest {
					if strings.ContainsRune("，。；,;：:", r) || n > 40 {
						break
					}
					for _, w := range condEnd {
						if strings.HasPrefix(rest[i:], w) {
							end = i + len(w)
							break
						}
					}
					if end >= 0 {
						break
					}
					n++
				}
				if end > 0 {
					add(s, loc[0], loc[1]+end)
				}
			}
		}
		if strings.Contains(s.Text, "you") || strings.Contains(s.Text, "You") {
			for _, loc := range condEnRe.FindAllStringIndex(s.Text, -1) {
				add(s, loc[0], loc[1])
			}
		}
	}
}

// elementSection names the section topic where an element is expected.
var elementSection = map[string]string{
	"operator_identity": "", "contact": "contact", "purposes": "collection", "methods_scope": "collection",
	"retention": "storage", "rights_access": "rights", "rights_correction": "rights", "rights_deletion": "rights",
	"account_cancellation": "rights", "withdraw_consent": "rights", "third_party_sharing": "sharing",
	"cross_border": "cross_border", "minors": "minors", "updates": "updates", "effective_date": "",
}

var dateRe = regexp.MustCompile(`(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?|(?i)(January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4}`)

func (x *extractor) elements(ex *Extraction) {
	type found struct {
		el    Element
		score int
	}
	best := map[string]found{}
	topicsAt := func(p int) []string {
		var out []string
		for i := x.sectionAt(p); i >= 0; i = x.d.Sections[i].Parent {
			out = append(out, ex.Sections[i].Topics...)
		}
		return out
	}
	for _, h := range x.lx.elemM.findAll(x.t, 0, len(x.rs)) {
		if x.inTOC(h.start) {
			continue
		}
		id := x.lx.elemID[h.id]
		s := x.sentenceAt(h.start)
		if x.lx.elemHead[h.id] {
			isHead := false
			for _, sec := range x.d.Sections {
				if sec.Heading.Start <= h.start && h.start < sec.Heading.End {
					isHead = true
				}
			}
			if !isHead {
				continue
			}
		}
		el := Element{ID: id, Present: true, Start: s.Start, End: s.End, Text: s.Text, Cue: string(x.rs[h.start:h.end])}
		score := h.end - h.start // longer cues are more specific
		if id == "effective_date" {
			d := dateRe.FindString(s.Text)
			if d == "" {
				continue
			}
			el.Value = d
			score += 20
		}
		if want := elementSection[id]; want != "" {
			for _, t := range topicsAt(h.start) {
				if t == want {
					score += 10
					break
				}
			}
		}
		if id == "operator_identity" && h.start < len(x.rs)/5 {
			score += 5
		}
		if f, ok := best[id]; !ok || score > f.score {
			best[id] = found{el, score}
		}
	}
	// a stated purpose, in whatever words it opens, is the purposes element
	if _, ok := best["purposes"]; !ok {
		for _, p := range ex.Purposes {
			s := p.Sentence
			best["purposes"] = found{Element{ID: "purposes", Present: true, Start: s.Start, End: s.End, Text: s.Text, Cue: p.Text}, 0}
			break
		}
	}
	for _, id := range x.lx.elemIDs {
		if f, ok := best[id]; ok {
			ex.Elements = append(ex.Elements, f.el)
		} else {
			ex.Elements = append(ex.Elements, Element{ID: id})
		}
	}
}
