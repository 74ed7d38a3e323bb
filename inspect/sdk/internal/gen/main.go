// Command gen builds inspect/sdk/catalog.json from the reference lists in
// ../shared/catalogs (Exodus ETIP, LibChecker rules, LibRadar tags) and
// AppInspect's own additions in curated.json. It is run by `go generate` in
// inspect/sdk; its output is committed.
//
// What it does, in order: convert each source row to a candidate entry
// (Exodus class regexes to package prefixes, LibChecker regexes to globs,
// LibRadar Smali prefixes to dotted ones), fold candidates into the curated
// entries named by their aliases, merge candidates that share a normalised
// name or a package prefix, resolve colliding signatures (a signature stays
// with the curated entry, else the first source; a package nested in another
// entry's makes that entry its parent), then drop whatever the catalog lint
// rejects, counting every drop in the catalog's stats.
package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/appinspect/appinspect/inspect/sdk"
)

const (
	srcCurated    = "appinspect"
	srcETIP       = "exodus-etip"
	srcLibChecker = "libchecker"
	srcLibRadar   = "libradar"
)

var priority = map[string]int{srcCurated: 0, srcLibChecker: 1, srcETIP: 2, srcLibRadar: 3}

type curatedFile struct {
	Comment      string `json:"comment"`
	DropPackages []struct {
		Prefix string `json:"prefix"`
		Reason string `json:"reason"`
	} `json:"drop_packages"`
	Entries []curatedEntry `json:"entries"`
}

type curatedEntry struct {
	sdk.Entry
	Aliases         map[string][]string `json:"aliases"`
	CollectsSources []sdk.Source        `json:"collects_sources"`
	Reason          string              `json:"reason"`
}

// cand is an entry under construction.
type cand struct {
	e        sdk.Entry
	declared map[string]bool // signatures written in curated.json
	src      string          // the source it was created from
	order    int             // creation order, for determinism
	curated  bool
	idHint   string
}

type gen struct {
	cands   []*cand
	stats   map[string]int
	aliases map[string]*cand // source + "\x00" + name → curated candidate
	drop    map[string]string
}

func main() {
	shared := flag.String("shared", "../../../shared/catalogs", "directory with the reference catalogs")
	policies := flag.String("policies", "../../../shared/fixtures/policies/real", "directory with the policy files cited by collects (checked to exist)")
	curatedPath := flag.String("curated", "internal/gen/curated.json", "AppInspect's own additions")
	out := flag.String("out", "catalog.json", "output file")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02"), "generation date recorded in the catalog")
	version := flag.String("version", "1", "catalog version")
	flag.Parse()
	if err := run(*shared, *policies, *curatedPath, *out, *date, *version); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(shared, policies, curatedPath, out, date, version string) error {
	g := &gen{stats: map[string]int{}, aliases: map[string]*cand{}, drop: map[string]string{}}
	if err := g.loadCurated(curatedPath, policies); err != nil {
		return err
	}
	etipRows, err := g.loadETIP(filepath.Join(shared, "etip_trackers__via_Inure.json"))
	if err != nil {
		return err
	}
	lcRows, err := g.loadLibChecker(filepath.Join(shared, "libchecker_rules_v3.csv"))
	if err != nil {
		return err
	}
	lrRows, err := g.loadLibRadar(filepath.Join(shared, "libradar_tag_rules.csv"))
	if err != nil {
		return err
	}
	g.applyDrops()
	g.prefilter()
	g.mergeSame()
	g.resolveCollisions()
	entries := g.lintDrop()
	f := sdk.File{
		Version:   version,
		Generated: date,
		Sources: []sdk.SourceInfo{
			{ID: srcETIP, File: "etip_trackers__via_Inure.json", Licence: "Exodus Privacy data (no licence statement on the data; snapshot carried in Hamza417/Inure)", Credit: "Exodus Privacy, https://exodus-privacy.eu.org/", Rows: etipRows},
			{ID: srcLibChecker, File: "libchecker_rules_v3.csv", Licence: "Apache-2.0", Credit: "LibChecker/LibChecker-Rules", Rows: lcRows},
			{ID: srcLibRadar, File: "libradar_tag_rules.csv", Licence: "Apache-2.0", Credit: "pkumza/LibRadar", Rows: lrRows},
			{ID: srcCurated, File: "inspect/sdk/internal/gen/curated.json", Licence: "AppInspect", Credit: "AppInspect's own additions (vendor integration guides; collects from the policy files cited per entry)"},
		},
		Stats:   g.stats,
		Entries: entries,
	}
	f.Stats["entries"] = len(entries)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return err
	}
	// the result must load
	if _, err := sdk.Parse(bytes.NewReader(buf.Bytes())); err != nil {
		return fmt.Errorf("generated catalog does not validate: %w", err)
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func (g *gen) add(c *cand) *cand {
	c.order = len(g.cands)
	g.cands = append(g.cands, c)
	return c
}

func (g *gen) loadCurated(path, policies string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var f curatedFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, d := range f.DropPackages {
		g.drop[d.Prefix] = d.Reason
	}
	for _, ce := range f.Entries {
		e := ce.Entry
		reason := ce.Reason
		if reason == "" {
			reason = "major SDK completed by hand from the vendor's integration guide"
		}
		e.Sources = append(e.Sources, sdk.Source{Field: "*", Source: srcCurated, Ref: "curated.json", Reason: reason})
		for _, cs := range ce.CollectsSources {
			if _, err := os.Stat(filepath.Join(policies, filepath.Base(cs.Source))); err != nil {
				return fmt.Errorf("%s: collects source of %s: %w", path, e.ID, err)
			}
			cs.Field = "collects"
			e.Sources = append(e.Sources, cs)
		}
		c := g.add(&cand{e: e, src: srcCurated, curated: true, declared: map[string]bool{}})
		for _, v := range allSigs(&e.Signatures) {
			c.declared[v] = true
		}
		for src, names := range ce.Aliases {
			switch src {
			case "etip":
				src = srcETIP
			case srcLibChecker, srcLibRadar:
			default:
				return fmt.Errorf("%s: %s: unknown alias source %q", path, e.ID, src)
			}
			for _, n := range names {
				g.aliases[src+"\x00"+n] = c
			}
		}
	}
	return nil
}

// ---- Exodus ETIP ----

type etipTracker struct {
	Name             string `json:"name"`
	CodeSignature    string `json:"code_signature"`
	NetworkSignature string `json:"network_signature"`
	Website          string `json:"website"`
	IsInExodus       bool   `json:"is_in_exodus"`
	Category         []struct {
		Name string `json:"name"`
	} `json:"category"`
}

var (
	reMeta     = regexp.MustCompile(`[*+?()\[\]{}^$|\\/:]`)
	reIPv4     = regexp.MustCompile(`^[0-9]+(\.[0-9]+){3}$`)
	reLatin    = regexp.MustCompile(`[A-Za-z][A-Za-z0-9 .+\-()&/]*`)
	reNonSlug  = regexp.MustCompile(`[^a-z0-9]+`)
	reHostDots = regexp.MustCompile(`\\\.`)
)

func (g *gen) loadETIP(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var ts []etipTracker
	if err := json.Unmarshal(b, &ts); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	for _, t := range ts {
		t.Name = strings.TrimSpace(t.Name)
		ref := fmt.Sprintf("tracker %q", t.Name)
		var pk, cl, hosts []string
		for _, alt := range strings.Split(t.CodeSignature, "|") {
			alt = strings.TrimSpace(strings.ReplaceAll(alt, `\.`, "."))
			if alt == "" {
				continue
			}
			if strings.HasPrefix(alt, ".") {
				g.stats["etip_code_dropped_contains_pattern"]++
				continue
			}
			if reMeta.MatchString(alt) {
				g.stats["etip_code_dropped_complex"]++
				continue
			}
			alt = strings.TrimSuffix(alt, ".")
			segs := strings.Split(alt, ".")
			if last := segs[len(segs)-1]; last != "" && unicode.IsUpper(rune(last[0])) {
				cl = append(cl, alt)
			} else {
				pk = append(pk, alt)
			}
			g.stats["etip_code_converted"]++
		}
		for _, alt := range strings.Split(t.NetworkSignature, "|") {
			alt = strings.TrimSpace(alt)
			if alt == "" {
				continue
			}
			for _, p := range []string{`.*\.`, `.*`, `\.`, `.`} {
				alt = strings.TrimPrefix(alt, p)
			}
			alt = reHostDots.ReplaceAllString(alt, ".")
			alt = strings.TrimSuffix(strings.ToLower(alt), ".")
			if reMeta.MatchString(alt) || alt == "" {
				g.stats["etip_host_dropped_complex"]++
				continue
			}
			hosts = append(hosts, alt)
			g.stats["etip_host_converted"]++
		}
		e := sdk.Entry{NameEN: t.Name, Category: etipCategory(t), Website: t.Website,
			Signatures: sdk.Signatures{Packages: pk, Classes: cl, Hosts: hosts}}
		var srcs []sdk.Source
		if len(pk) > 0 {
			srcs = append(srcs, sdk.Source{Field: "signatures.packages", Source: srcETIP, Ref: ref + " code_signature"})
		}
		if len(cl) > 0 {
			srcs = append(srcs, sdk.Source{Field: "signatures.classes", Source: srcETIP, Ref: ref + " code_signature"})
		}
		if len(hosts) > 0 {
			srcs = append(srcs, sdk.Source{Field: "signatures.hosts", Source: srcETIP, Ref: ref + " network_signature"})
		}
		if c, ok := g.aliases[srcETIP+"\x00"+t.Name]; ok {
			absorb(c, &e, srcs)
			g.stats["etip_folded_into_curated"]++
			continue
		}
		e.Sources = append(srcs,
			sdk.Source{Field: "name_en", Source: srcETIP, Ref: ref},
			sdk.Source{Field: "category", Source: srcETIP, Ref: ref + " categories", Reason: "mapped: Advertisement→ads, Crash reporting→crash, Analytics/Profiling/Identification→analytics, Location→location"})
		g.add(&cand{e: e, src: srcETIP, idHint: t.Name})
	}
	return len(ts), nil
}

func etipCategory(t etipTracker) sdk.Category {
	has := map[string]bool{}
	for _, c := range t.Category {
		has[c.Name] = true
	}
	switch {
	case has["Advertisement"]:
		return sdk.CatAds
	case has["Crash reporting"]:
		return sdk.CatCrash
	case has["Analytics"], has["Profiling"], has["Identification"]:
		return sdk.CatAnalytics
	case has["Location"]:
		return sdk.CatLocation
	}
	return sdk.CatOther
}

// absorb folds the signatures of e into candidate c.
func absorb(c *cand, e *sdk.Entry, srcs []sdk.Source) {
	s, o := &c.e.Signatures, &e.Signatures
	s.Packages = append(s.Packages, o.Packages...)
	s.Classes = append(s.Classes, o.Classes...)
	s.Components = append(s.Components, o.Components...)
	s.NativeLibs = append(s.NativeLibs, o.NativeLibs...)
	s.MetaData = append(s.MetaData, o.MetaData...)
	s.Hosts = append(s.Hosts, o.Hosts...)
	c.e.Sources = append(c.e.Sources, srcs...)
	if c.e.NameZH == "" && e.NameZH != "" {
		c.e.NameZH = e.NameZH
		c.e.Sources = append(c.e.Sources, sdk.Source{Field: "name_zh", Source: srcOf(srcs), Ref: refOf(srcs)})
	}
	if c.e.NameEN == "" && e.NameEN != "" {
		c.e.NameEN = e.NameEN
		c.e.Sources = append(c.e.Sources, sdk.Source{Field: "name_en", Source: srcOf(srcs), Ref: refOf(srcs)})
	}
	if c.e.Website == "" {
		c.e.Website = e.Website
	}
}

func srcOf(s []sdk.Source) string {
	if len(s) == 0 {
		return ""
	}
	return s[0].Source
}

func refOf(s []sdk.Source) string {
	if len(s) == 0 {
		return ""
	}
	return s[0].Ref
}

// ---- LibChecker ----

func (g *gen) loadLibChecker(path string) (int, error) {
	rows, err := readCSV(path)
	if err != nil {
		return 0, err
	}
	type group struct {
		label string
		sig   sdk.Signatures
		lines map[string][]int
	}
	var order []string
	groups := map[string]*group{}
	for i, r := range rows[1:] {
		line := i + 2
		if len(r) < 6 {
			g.stats["libchecker_bad_row"]++
			continue
		}
		name, label, typ, isRegex := r[0], strings.TrimSpace(r[1]), r[2], r[4] == "1"
		gr := groups[label]
		if gr == nil {
			gr = &group{label: label, lines: map[string][]int{}}
			groups[label] = gr
			order = append(order, label)
		}
		switch typ {
		case "0": // native library
			if isRegex {
				glob, ok := regexToGlob(name)
				if !ok {
					g.stats["libchecker_regex_dropped"]++
					continue
				}
				name = glob
				g.stats["libchecker_regex_converted"]++
			}
			gr.sig.NativeLibs = append(gr.sig.NativeLibs, name)
			gr.lines["signatures.native_libs"] = append(gr.lines["signatures.native_libs"], line)
		case "1", "2", "3", "4", "5": // components, dex packages
			if isRegex {
				pkg, ok := strings.CutSuffix(name, `.(.*)`)
				if !ok || reMeta.MatchString(pkg) {
					g.stats["libchecker_regex_dropped"]++
					continue
				}
				g.stats["libchecker_regex_converted"]++
				gr.sig.Packages = append(gr.sig.Packages, pkg)
				gr.lines["signatures.packages"] = append(gr.lines["signatures.packages"], line)
				continue
			}
			if typ == "5" {
				gr.sig.Packages = append(gr.sig.Packages, name)
				gr.lines["signatures.packages"] = append(gr.lines["signatures.packages"], line)
			} else {
				gr.sig.Components = append(gr.sig.Components, name)
				gr.lines["signatures.components"] = append(gr.lines["signatures.components"], line)
			}
		default:
			g.stats["libchecker_other_type_dropped"]++
		}
	}
	for _, label := range order {
		gr := groups[label]
		ref := fmt.Sprintf("label %q", label)
		var srcs []sdk.Source
		for _, f := range []string{"signatures.packages", "signatures.components", "signatures.native_libs"} {
			if ls := gr.lines[f]; len(ls) > 0 {
				srcs = append(srcs, sdk.Source{Field: f, Source: srcLibChecker, Ref: ref + " rows " + joinInts(ls)})
			}
		}
		e := sdk.Entry{Signatures: gr.sig}
		if hasHan(label) {
			e.NameZH = label
		} else {
			e.NameEN = label
		}
		if c, ok := g.aliases[srcLibChecker+"\x00"+label]; ok {
			absorb(c, &e, srcs)
			g.stats["libchecker_folded_into_curated"]++
			continue
		}
		e.Category = keywordCategory(label)
		nameField := "name_en"
		if e.NameZH != "" {
			nameField = "name_zh"
		}
		e.Sources = append(srcs,
			sdk.Source{Field: nameField, Source: srcLibChecker, Ref: ref},
			sdk.Source{Field: "category", Source: srcCurated, Ref: ref, Reason: "keyword heuristic on the LibChecker label (LibChecker has no category)"})
		g.add(&cand{e: e, src: srcLibChecker, idHint: label})
	}
	return len(rows) - 1, nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// regexToGlob converts a LibChecker library regex of the form
// literal(.*)literal to a glob with one '*'.
func regexToGlob(re string) (string, bool) {
	s := strings.Replace(re, "(.*)", "*", 1)
	s = strings.ReplaceAll(s, `\.`, ".")
	if strings.Count(s, "*") != 1 || reMeta.MatchString(strings.Replace(s, "*", "", 1)) {
		return "", false
	}
	return s, true
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var keywordCats = []struct {
	cat  sdk.Category
	keys []string
}{
	{sdk.CatSecurity, []string{"加固", "安全", "protect", "易盾", "游戏盾", "防水墙", "risk", "验证", "captcha", "rootbeer", "同盾", "数美", "设备指纹", "antifaker", "御安全", "可信 id", "梆梆", "爱加密", "sofire", "tersafe"}},
	{sdk.CatOAID, []string{"msa", "oaid"}},
	{sdk.CatPush, []string{"推送", "push"}},
	{sdk.CatCrash, []string{"crash", "崩溃", "bugly", "breakpad", "acra", "sentry", "bugsnag", "岳鹰", "云捕", "instabug", "koom", "matrix", "apm"}},
	{sdk.CatAds, []string{"广告", " ads", "ad sdk", "admob", "adcolony", "推广", "applovin", "ironsource", "audience network", "pangle", "tanx", "流量联盟", "mma sdk"}},
	{sdk.CatAnalytics, []string{"统计", "分析", "analytics", "埋点", "datafinder", "灯塔", "qimei", "utdid", "日志服务"}},
	{sdk.CatMaps, []string{"地图", "map", "lbs"}},
	{sdk.CatLocation, []string{"定位", "location", "beacon", "wgs2gcj"}},
	{sdk.CatPayment, []string{"支付", "pay", "银联", "米大师", "wallet", "招商银行", "cfca"}},
	{sdk.CatIdentity, []string{"实人", "人脸", "核身", "活体", "eid", "liveness", "旷视", "优图", "网证"}},
	{sdk.CatLogin, []string{"登录", "号码认证", "一键", "oauth", "sign-in", "帐号", "账号", "appauth", "闪验", "authorization"}},
	{sdk.CatSocial, []string{"分享", "share", "微博", "weibo", "开放平台", "facebook", "抖音", "taptap"}},
	{sdk.CatCustomer, []string{"客服", "七鱼", "智齿", "meiqia"}},
	{sdk.CatIM, []string{" im", "通信", "云信", "环信", "融云", "chat", "telegram", "tdlib"}},
	{sdk.CatRTC, []string{"rtc", "音视频", "直播", "agora", "webrtc", "即构", "pjsip", "justalk", "anychat", "gme", "gvoice", "tutk"}},
	{sdk.CatVoice, []string{"语音", "speech", "voice", "tts", "asr", "讯飞", "思必驰", "aiui", "vosk", "小爱", "speex", "vad"}},
	{sdk.CatWebView, []string{"webview", "tbs", "x5", "chrom", "xul", "trichrome", "monochrome"}},
	{sdk.CatNetwork, []string{"okhttp", "http", "dns", "quic", "network", "cronet", "socket", "mqtt", "tnet", "curl", "ssl", "vpn", "wireguard", "tun2socks", "trojan", "clash", "pcdn", "p2p", "torrent", "aria2", "mtop", "xnet", "okio", "retrofit", "nss", "conscrypt", "sodium", "mars"}},
	{sdk.CatDatabase, []string{"sqlite", "realm", "room", "mmkv", "greendao", "wcdb", "objectbox", "isar", "sqlcipher", "database", "mongodb", "datastore"}},
	{sdk.CatHotfix, []string{"tinker", "热修复", "andfix", "sophix", "hotfix", "patch", "upgrade", "更新"}},
	{sdk.CatAI, []string{"tensorflow", "ml kit", "mnn", "ncnn", "paddle", "hiai", "mindspore", "snpe", "tnn", "大模型", "ocr", "识别", "mace", "xnn", "tesseract", "opencv", "vcap", "aliNN", "scan kit", "barhopper", "zxing", "zbar"}},
	{sdk.CatGame, []string{"unity", "cocos", "unreal", "game", "游戏", "godot", "gdx", "laya", "团结引擎", "fmod", "wwise", "cri ", "ren'py", "burst", "artemis", "live2d"}},
	{sdk.CatMedia, []string{"player", "播放", "video", "ffmpeg", "audio", "视频", "exoplayer", "vlc", "ijk", "media", "opus", "mp3", "lame", "vorbis", "x264", "vpx", "sound", "oboe", "openal", "曲库", "美摄", "特效", "美化", "pag", "filament", "sdl", "mpv", "amr", "乐播"}},
	{sdk.CatImage, []string{"image", "gif", "webp", "jpeg", "png", "glide", "fresco", "picasso", "图片", "avif", "photo", "yuv", "crop", "tiff", "raw", "blur", "picture", "matisse", "lottie", "apng", "svg"}},
	{sdk.CatFramework, []string{"flutter", "react native", "kotlin", "xamarin", "qt5", "qt6", "weex", "hippy", "快应用", "小程序", "mpaas", "replugin", "virtual", "plugin", "mira", "neptune", "qigsaw", "python", "lua", "node.js", "dcloud", "finclip", "hermes", "javascript", "quickjs", "v8", "javet", "golang", "rust", "nebula", "kraken", "gaiax", "appinventor", "adobe air", "mono", "drouter", "lspatch", "shizuku"}},
	{sdk.CatUI, []string{"material", " ui", "view", "layout", "popup", "widget", "autosize", "toast", "flexbox", "compose", "drawer", "font", "freetype", "ime", "fcitx", "rime"}},
}

func keywordCategory(label string) sdk.Category {
	l := " " + strings.ToLower(label)
	for _, kc := range keywordCats {
		for _, k := range kc.keys {
			if strings.Contains(l, strings.ToLower(k)) {
				return kc.cat
			}
		}
	}
	return sdk.CatDevelopment
}

// ---- LibRadar ----

var radarCats = map[string]sdk.Category{
	"Advertisement": sdk.CatAds, "Mobile Analytics": sdk.CatAnalytics, "Social Network": sdk.CatSocial,
	"Payment": sdk.CatPayment, "Map/LBS": sdk.CatMaps, "GUI Component": sdk.CatUI,
	"Development Aid": sdk.CatDevelopment, "Development Framework": sdk.CatFramework,
	"Game Engine": sdk.CatGame, "Utility": sdk.CatUtility, "App Market": sdk.CatUtility,
	"Digital Identity": sdk.CatLogin,
}

func (g *gen) loadLibRadar(path string) (int, error) {
	rows, err := readCSV(path)
	if err != nil {
		return 0, err
	}
	type group struct {
		name, typ, web string
		pk             []string
		lines          []int
	}
	var order []string
	groups := map[string]*group{}
	for i, r := range rows[1:] {
		if len(r) < 4 {
			g.stats["libradar_bad_row"]++
			continue
		}
		name := strings.TrimSpace(r[1])
		if name == "no" || name == "" {
			g.stats["libradar_untagged_skipped"]++
			continue
		}
		p := strings.Trim(strings.TrimPrefix(r[0], "L"), "/")
		p = strings.ReplaceAll(p, "/", ".")
		gr := groups[name]
		if gr == nil {
			gr = &group{name: name, typ: r[2], web: r[3]}
			groups[name] = gr
			order = append(order, name)
		}
		gr.pk = append(gr.pk, p)
		gr.lines = append(gr.lines, i+2)
	}
	for _, name := range order {
		gr := groups[name]
		ref := fmt.Sprintf("library %q", name)
		srcs := []sdk.Source{{Field: "signatures.packages", Source: srcLibRadar, Ref: ref + " rows " + joinInts(gr.lines)}}
		e := sdk.Entry{NameEN: name, Website: gr.web, Signatures: sdk.Signatures{Packages: gr.pk}}
		if c, ok := g.aliases[srcLibRadar+"\x00"+name]; ok {
			absorb(c, &e, srcs)
			g.stats["libradar_folded_into_curated"]++
			continue
		}
		cat, ok := radarCats[gr.typ]
		if !ok {
			cat = keywordCategory(name)
		}
		e.Category = cat
		e.Sources = append(srcs, sdk.Source{Field: "name_en", Source: srcLibRadar, Ref: ref},
			sdk.Source{Field: "category", Source: srcLibRadar, Ref: ref + " type " + strconv.Quote(gr.typ)})
		g.add(&cand{e: e, src: srcLibRadar, idHint: name})
	}
	return len(rows) - 1, nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	return rows, nil
}

// ---- merging and collisions ----

func (g *gen) applyDrops() {
	for _, c := range g.cands {
		c.e.Signatures.Packages = filter(c.e.Signatures.Packages, func(p string) bool {
			if _, ok := g.drop[p]; ok {
				g.stats["dropped_by_curated_decision"]++
				return false
			}
			return true
		})
	}
}

func allSigs(s *sdk.Signatures) []string {
	var out []string
	for _, v := range [][]string{s.Packages, s.Classes, s.Components, s.NativeLibs, s.MetaData, s.Hosts} {
		out = append(out, v...)
	}
	return out
}

// prefilter drops every signature that the catalog lint rejects on its own
// (too generic, malformed), before merging, so a generic prefix cannot
// swallow a specific one or link unrelated SDKs.
func (g *gen) prefilter() {
	reField := regexp.MustCompile(`^signatures\.([a-z_]+)\[(\d+)\]$`)
	for _, c := range g.cands {
		e := c.e
		e.ID = "x"
		if e.Category == "" {
			e.Category = sdk.CatOther
		}
		probs := sdk.Lint([]sdk.Entry{e}, "prefilter")
		drop := map[string]map[int]bool{}
		for _, p := range probs {
			m := reField.FindStringSubmatch(p.Field)
			if m == nil || strings.Contains(p.Message, "belongs only to entry") {
				continue
			}
			k, _ := strconv.Atoi(m[2])
			if drop[m[1]] == nil {
				drop[m[1]] = map[int]bool{}
			}
			drop[m[1]][k] = true
			g.stats["prefilter_dropped_"+m[1]]++
		}
		removeIndexes(&c.e.Signatures, drop)
	}
}

func removeIndexes(s *sdk.Signatures, drop map[string]map[int]bool) {
	for f, idx := range drop {
		var v *[]string
		switch f {
		case "packages":
			v = &s.Packages
		case "classes":
			v = &s.Classes
		case "components":
			v = &s.Components
		case "native_libs":
			v = &s.NativeLibs
		case "meta_data":
			v = &s.MetaData
		case "hosts":
			v = &s.Hosts
		default:
			continue
		}
		var out []string
		for k, x := range *v {
			if !idx[k] {
				out = append(out, x)
			}
		}
		*v = out
	}
}

func filter(v []string, keep func(string) bool) []string {
	out := v[:0]
	for _, s := range v {
		if keep(s) {
			out = append(out, s)
		}
	}
	return out
}

func normName(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer(" sdk", "", "sdk", "", "(", " ", ")", " ").Replace(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mergeSame merges non-curated candidates that share a normalised name or a
// package prefix into the earliest one by source priority. Curated entries
// absorb rows only through their aliases; a prefix they share with another
// candidate is settled by resolveCollisions (the curated entry keeps it).
func (g *gen) mergeSame() {
	parent := make([]int, len(g.cands))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	hasCurated := func(root int) bool {
		for i, c := range g.cands {
			if c.curated && find(i) == root {
				return true
			}
		}
		return false
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if hasCurated(ra) || hasCurated(rb) {
			return // curated entries absorb rows only through their aliases
		}
		if better(g.cands[rb], g.cands[ra]) {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	byName := map[string]int{}
	byPkg := map[string]int{}
	for i, c := range g.cands {
		for _, n := range []string{c.e.NameEN, c.e.NameZH} {
			if k := normName(n); len(k) >= 3 {
				if j, ok := byName[k]; ok {
					union(j, i)
				} else {
					byName[k] = i
				}
			}
		}
		for _, p := range append(append([]string(nil), c.e.Signatures.Packages...), c.e.Signatures.Classes...) {
			if j, ok := byPkg[p]; ok {
				union(j, i)
			} else {
				byPkg[p] = i
			}
		}
	}
	var kept []*cand
	for i, c := range g.cands {
		r := find(i)
		if r == i {
			kept = append(kept, c)
			continue
		}
		absorb(g.cands[r], &c.e, c.e.Sources)
		if g.cands[r].e.Category == "" || g.cands[r].e.Category == sdk.CatOther || g.cands[r].e.Category == sdk.CatDevelopment && c.e.Category != sdk.CatDevelopment && c.e.Category != "" && !g.cands[r].curated {
			g.cands[r].e.Category = c.e.Category
		}
		g.stats["merged_candidates"]++
	}
	g.cands = kept
}

func better(a, b *cand) bool {
	if priority[a.src] != priority[b.src] {
		return priority[a.src] < priority[b.src]
	}
	return a.order < b.order
}

// resolveCollisions keeps each exact signature in one entry and turns
// package nesting across entries into parent links.
func (g *gen) resolveCollisions() {
	sort.SliceStable(g.cands, func(i, j int) bool { return better(g.cands[i], g.cands[j]) })
	g.assignIDs()
	// exact duplicates, within and across entries
	for _, kind := range []struct {
		name string
		get  func(*sdk.Signatures) *[]string
	}{
		{"packages", func(s *sdk.Signatures) *[]string { return &s.Packages }},
		{"classes", func(s *sdk.Signatures) *[]string { return &s.Classes }},
		{"components", func(s *sdk.Signatures) *[]string { return &s.Components }},
		{"native_libs", func(s *sdk.Signatures) *[]string { return &s.NativeLibs }},
		{"meta_data", func(s *sdk.Signatures) *[]string { return &s.MetaData }},
		{"hosts", func(s *sdk.Signatures) *[]string { return &s.Hosts }},
	} {
		seen := map[string]*cand{}
		kept := map[string]bool{}
		for _, c := range g.cands {
			for _, v := range *kind.get(&c.e.Signatures) {
				if c.declared[v] {
					seen[v] = c
				}
			}
		}
		if kind.name == "classes" {
			for _, c := range g.cands {
				for _, p := range c.e.Signatures.Packages {
					seen[p] = c
					kept[p] = true
				}
			}
		}
		for _, c := range g.cands {
			v := kind.get(&c.e.Signatures)
			*v = filter(*v, func(s string) bool {
				if o, ok := seen[s]; ok {
					if o == c && c.declared[s] && !kept[s] {
						kept[s] = true // the curated entry's own copy
						return true
					}
					if o != c {
						g.stats["collision_dropped_"+kind.name]++
					}
					return false
				}
				seen[s] = c
				return true
			})
		}
	}
	// redundant prefixes inside one entry
	for _, c := range g.cands {
		own := map[string]bool{}
		for _, p := range c.e.Signatures.Packages {
			own[p] = true
		}
		c.e.Signatures.Packages = filter(c.e.Signatures.Packages, func(p string) bool { return !enclosedBy(p, own) })
		c.e.Signatures.Classes = filter(c.e.Signatures.Classes, func(p string) bool { return !enclosedBy(p, own) })
		sort.Strings(c.e.Signatures.Packages)
	}
	// nesting across entries → parent, else drop
	byID := map[string]*cand{}
	for _, c := range g.cands {
		byID[c.e.ID] = c
	}
	owner := map[string]*cand{}
	var all []string
	for _, c := range g.cands {
		for _, p := range append(append([]string(nil), c.e.Signatures.Packages...), c.e.Signatures.Classes...) {
			owner[p] = c
			all = append(all, p)
		}
	}
	sort.Strings(all)
	ancestor := func(a, b *cand) bool { // a is an ancestor of b
		for p, n := b.e.Parent, 0; p != "" && n < 32; n++ {
			if p == a.e.ID {
				return true
			}
			pc := byID[p]
			if pc == nil {
				return false
			}
			p = pc.e.Parent
		}
		return false
	}
	removed := map[string]bool{}
	for _, p := range all {
		c := owner[p]
		for j := strings.LastIndexByte(p, '.'); j > 0; j = strings.LastIndexByte(p[:j], '.') {
			q := p[:j]
			a, ok := owner[q]
			if !ok || removed[q] || a == c {
				continue
			}
			switch {
			case ancestor(a, c) || ancestor(c, a):
			case c.e.Parent == "":
				c.e.Parent = a.e.ID
				c.e.Sources = append(c.e.Sources, sdk.Source{Field: "parent", Source: srcCurated, Reason: fmt.Sprintf("gen: %s is nested in %s", p, q)})
				g.stats["parent_links_added"]++
			default:
				if c.curated && !a.curated {
					// the curated entry keeps its prefix; the enclosing generic one loses it
					a.e.Signatures.Packages = filter(a.e.Signatures.Packages, func(s string) bool { return s != q })
					a.e.Signatures.Classes = filter(a.e.Signatures.Classes, func(s string) bool { return s != q })
					removed[q] = true
				} else {
					c.e.Signatures.Packages = filter(c.e.Signatures.Packages, func(s string) bool { return s != p })
					c.e.Signatures.Classes = filter(c.e.Signatures.Classes, func(s string) bool { return s != p })
					removed[p] = true
				}
				g.stats["nested_prefix_dropped"]++
			}
			break
		}
	}
	// hosts nested in another entry's host: keep the enclosing one
	hostOwner := map[string]*cand{}
	for _, c := range g.cands {
		for _, h := range c.e.Signatures.Hosts {
			hostOwner[h] = c
		}
	}
	for _, c := range g.cands {
		c.e.Signatures.Hosts = filter(c.e.Signatures.Hosts, func(h string) bool {
			for s := h; strings.IndexByte(s, '.') >= 0; {
				s = s[strings.IndexByte(s, '.')+1:]
				if o, ok := hostOwner[s]; ok {
					if o == c {
						return false // redundant within the entry
					}
					if !ancestor(o, c) && !ancestor(c, o) {
						g.stats["nested_host_dropped"]++
						return false
					}
				}
			}
			return true
		})
	}
}

func enclosedBy(p string, set map[string]bool) bool {
	for j := strings.LastIndexByte(p, '.'); j > 0; j = strings.LastIndexByte(p[:j], '.') {
		if set[p[:j]] {
			return true
		}
	}
	return false
}

func slug(s string) string {
	s = strings.ToLower(s)
	s = reNonSlug.ReplaceAllString(s, "-")
	return strings.Trim(s, "-")
}

func (g *gen) assignIDs() {
	used := map[string]bool{}
	for _, c := range g.cands {
		if c.curated {
			used[c.e.ID] = true
		}
	}
	for _, c := range g.cands {
		if c.curated {
			continue
		}
		id := ""
		if c.e.NameEN != "" {
			id = slug(c.e.NameEN)
		}
		if id == "" {
			if m := reLatin.FindAllString(c.idHint, -1); len(m) > 0 {
				id = slug(strings.Join(m, " "))
			}
		}
		if len(id) < 3 || id == "sdk" {
			id = sigSlug(&c.e.Signatures)
		}
		id = strings.TrimSuffix(id, "-sdk")
		base := id
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used[id] = true
		c.e.ID = id
	}
}

func sigSlug(s *sdk.Signatures) string {
	switch {
	case len(s.Packages) > 0:
		return "pkg-" + slug(s.Packages[0])
	case len(s.NativeLibs) > 0:
		return "lib-" + slug(strings.TrimSuffix(strings.TrimPrefix(s.NativeLibs[0], "lib"), ".so"))
	case len(s.Components) > 0:
		return "comp-" + slug(s.Components[0])
	}
	return "entry"
}

// lintDrop removes every signature the catalog lint rejects, then entries
// left without signatures, and returns the entries sorted by id.
func (g *gen) lintDrop() []sdk.Entry {
	entries := make([]sdk.Entry, len(g.cands))
	for i, c := range g.cands {
		entries[i] = c.e
		sortSig(&entries[i].Signatures)
		entries[i].Sources = dedupeSources(entries[i].Sources)
	}
	reField := regexp.MustCompile(`^signatures\.([a-z_]+)\[(\d+)\]$`)
	for round := 0; round < 5; round++ {
		probs := sdk.Lint(entries, "catalog")
		if len(probs) == 0 {
			break
		}
		drop := map[int]map[string]map[int]bool{}
		for _, p := range probs {
			m := reField.FindStringSubmatch(p.Field)
			if m == nil {
				continue
			}
			k, _ := strconv.Atoi(m[2])
			if drop[p.Index] == nil {
				drop[p.Index] = map[string]map[int]bool{}
			}
			if drop[p.Index][m[1]] == nil {
				drop[p.Index][m[1]] = map[int]bool{}
			}
			drop[p.Index][m[1]][k] = true
			g.stats["lint_dropped_"+m[1]]++
		}
		if len(drop) == 0 {
			break
		}
		for i, fields := range drop {
			removeIndexes(&entries[i].Signatures, fields)
		}
	}
	// entries without signatures; parents pointing at them
	var out []sdk.Entry
	gone := map[string]bool{}
	for _, e := range entries {
		s := e.Signatures
		if len(s.Packages)+len(s.Classes)+len(s.Components)+len(s.NativeLibs)+len(s.MetaData)+len(s.Hosts) == 0 {
			g.stats["entries_dropped_no_signature"]++
			gone[e.ID] = true
			continue
		}
		out = append(out, e)
	}
	// entries whose vendor nothing names
	kept := out[:0]
	for _, e := range out {
		if !fillVendor(&e) {
			g.stats["entries_dropped_no_vendor"]++
			gone[e.ID] = true
			continue
		}
		if !hasCurated(e.Sources) && e.Vendor.ZH == "" {
			g.stats["vendor_from_domain"]++
		}
		kept = append(kept, e)
	}
	out = kept
	for i := range out {
		if gone[out[i].Parent] {
			out[i].Parent = ""
		}
		sort.Slice(out[i].Collects, func(a, b int) bool { return out[i].Collects[a] < out[i].Collects[b] })
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func hasCurated(srcs []sdk.Source) bool {
	for _, s := range srcs {
		if s.Source == srcCurated && s.Field == "*" {
			return true
		}
	}
	return false
}

// secondLevel are labels under which a country domain registers names
// ("com.cn", "co.uk").
var secondLevel = map[string]bool{"com": true, "net": true, "org": true, "co": true, "gov": true, "edu": true, "ac": true, "or": true, "ne": true}

// registrable returns the registrable part of a host ("sdk.vendor.com.cn" →
// "vendor.com.cn").
func registrable(h string) string {
	labels := strings.Split(h, ".")
	n := 2
	if len(labels) >= 3 && len(labels[len(labels)-1]) == 2 && secondLevel[labels[len(labels)-2]] {
		n = 3
	}
	if len(labels) < n {
		return h
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

// packageVendors name the vendor of libraries whose package root is not a
// reversed domain.
var packageVendors = map[string]sdk.Vendor{
	"okhttp3": {EN: "Square"}, "okio": {EN: "Square"}, "retrofit2": {EN: "Square"},
	"androidx": {EN: "Google"}, "kotlin": {EN: "JetBrains"}, "kotlinx": {EN: "JetBrains"},
	"dagger": {EN: "Google"}, "butterknife": {EN: "Jake Wharton"}, "rx": {EN: "ReactiveX"},
}

// vendorKeywords are company names that a product name contains ("腾讯地图
// SDK" names Tencent), lower case, longest first where they overlap.
var vendorKeywords = []struct{ key, zh, en string }{
	{"腾讯", "腾讯", "Tencent"}, {"tencent", "腾讯", "Tencent"}, {"微信", "腾讯", "Tencent"},
	{"阿里", "阿里巴巴", "Alibaba"}, {"alibaba", "阿里巴巴", "Alibaba"}, {"支付宝", "支付宝（中国）网络技术有限公司", "Alipay"}, {"淘宝", "阿里巴巴", "Alibaba"},
	{"百度", "百度", "Baidu"}, {"baidu", "百度", "Baidu"},
	{"华为", "华为", "Huawei"}, {"huawei", "华为", "Huawei"}, {"hms ", "华为", "Huawei"},
	{"小米", "小米", "Xiaomi"}, {"xiaomi", "小米", "Xiaomi"},
	{"荣耀", "荣耀", "HONOR"}, {"honor", "荣耀", "HONOR"},
	{"字节", "字节跳动", "ByteDance"}, {"bytedance", "字节跳动", "ByteDance"}, {"抖音", "字节跳动", "ByteDance"}, {"穿山甲", "字节跳动", "ByteDance"}, {"pangle", "字节跳动", "ByteDance"},
	{"网易", "网易", "NetEase"}, {"netease", "网易", "NetEase"},
	{"极光", "极光", "Aurora Mobile (JIGUANG)"}, {"友盟", "友盟+", "Umeng+"}, {"umeng", "友盟+", "Umeng+"},
	{"快手", "快手", "Kuaishou"}, {"京东", "京东", "JD.com"}, {"美团", "美团", "Meituan"}, {"新浪", "新浪", "Sina"}, {"微博", "新浪", "Sina"},
	{"个推", "每日互动（个推）", "Getui"}, {"讯飞", "科大讯飞", "iFLYTEK"}, {"360", "360", "Qihoo 360"},
	{"oppo", "OPPO", "OPPO"}, {"vivo", "vivo", "vivo"}, {"魅族", "魅族", "Meizu"}, {"meizu", "魅族", "Meizu"},
	{"中国移动", "中国移动", "China Mobile"}, {"联通", "中国联通", "China Unicom"}, {"电信", "中国电信", "China Telecom"},
	{"jetpack", "", "Google"}, {"androidx", "", "Google"}, {"firebase", "", "Google"}, {"google", "", "Google"},
	{"facebook", "", "Meta"}, {"microsoft", "", "Microsoft"}, {"amazon", "", "Amazon"}, {"samsung", "", "Samsung"},
	{"unity", "", "Unity Technologies"}, {"flutter", "", "Google"},
}

// topLevel are the first segments of Java packages built from an Internet
// domain (reversed).
var topLevel = map[string]bool{"com": true, "cn": true, "net": true, "org": true, "io": true, "me": true, "de": true,
	"fr": true, "jp": true, "uk": true, "ru": true, "tv": true, "co": true, "ai": true, "app": true, "dev": true, "info": true, "mobi": true}

// fillVendor names the vendor of an entry the reference lists give no
// company for: by the domain of the SDK's website, else by the domain its
// Java package root is built from (the Java naming convention). The source
// of the name is recorded. It reports false when neither exists.
func fillVendor(e *sdk.Entry) bool {
	if e.Vendor.ZH != "" || e.Vendor.EN != "" {
		return true
	}
	if w := e.Website; w != "" {
		h := w
		if _, rest, ok := strings.Cut(h, "://"); ok {
			h = rest
		}
		if i := strings.IndexAny(h, "/?#:"); i >= 0 {
			h = h[:i]
		}
		h = strings.ToLower(h)
		if strings.Contains(h, ".") && !strings.ContainsAny(h, "_ ") && !strings.Contains(h, "github.") && !strings.Contains(h, "gitee.") {
			e.Vendor.EN = registrable(h)
			e.Sources = append(e.Sources, sdk.Source{Field: "vendor", Source: srcCurated, Ref: "website " + w,
				Reason: "the reference lists name no company: the vendor is named by the domain of the SDK's website"})
			return true
		}
	}
	for _, kw := range vendorKeywords {
		for _, n := range []string{e.NameEN, e.NameZH} {
			if n != "" && strings.Contains(strings.ToLower(n), kw.key) {
				e.Vendor = sdk.Vendor{ZH: kw.zh, EN: kw.en}
				e.Sources = append(e.Sources, sdk.Source{Field: "vendor", Source: srcCurated, Ref: "name " + n,
					Reason: "the reference lists name no company: the SDK's name names its vendor (" + kw.key + ")"})
				return true
			}
		}
	}
	for _, p := range slices.Concat(e.Signatures.Packages, e.Signatures.Classes, e.Signatures.Components) {
		segs := strings.Split(p, ".")
		if v, ok := packageVendors[segs[0]]; ok {
			e.Vendor = v
			e.Sources = append(e.Sources, sdk.Source{Field: "vendor", Source: srcCurated, Ref: "package " + p,
				Reason: "the reference lists name no company: the package root is the vendor's library"})
			return true
		}
		if len(segs) >= 2 && topLevel[segs[0]] && len(segs[1]) > 2 && !strings.ContainsAny(segs[1], "_$") {
			e.Vendor.EN = segs[1] + "." + segs[0]
			e.Sources = append(e.Sources, sdk.Source{Field: "vendor", Source: srcCurated, Ref: "package " + p,
				Reason: "the reference lists name no company: the vendor is named by the Internet domain its Java package root is built from"})
			return true
		}
	}
	return false
}

func sortSig(s *sdk.Signatures) {
	for _, v := range []*[]string{&s.Packages, &s.Classes, &s.Components, &s.NativeLibs, &s.MetaData, &s.Hosts} {
		sort.Strings(*v)
		if len(*v) == 0 {
			*v = nil
		}
	}
}

func dedupeSources(in []sdk.Source) []sdk.Source {
	seen := map[sdk.Source]bool{}
	var out []sdk.Source
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
