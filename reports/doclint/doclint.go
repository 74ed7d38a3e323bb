// Package doclint checks the text of a generated document (pdftotext output
// or the cells of a workbook) for what must not reach a reader: internal
// article ids ("pipl/17"), rule ids ("api.undeclared"), internal SDK and API
// ids, English debug words and bare lower-case English words in a Chinese
// document, and Chinese leftovers in an English one. Tests of the reports
// and of the service that feeds them use it; it never changes a document.
package doclint

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/appinspect/appinspect/cases/rules"
)

// ArticleID matches the catalog's internal article ids ("pipl/17").
var ArticleID = regexp.MustCompile(`\b(pipl|order24|rd2019|nps39|nps|n337|n164|n26|draft2021|cac2026|gbt35273|gbt41391)/[0-9a-z.\-]+`)

var (
	ruleOnce sync.Once
	ruleRE   *regexp.Regexp
)

// RuleID matches the registered rule ids and rule families
// ("sdk.collect_before_consent", "consent.element_missing.*", "api.undeclared").
func RuleID() *regexp.Regexp {
	ruleOnce.Do(func() {
		fams := map[string]bool{}
		var ids []string
		for _, r := range rules.All() {
			id := string(r.ID)
			ids = append(ids, regexp.QuoteMeta(id))
			if f, _, ok := strings.Cut(id, "."); ok {
				fams[f] = true
			}
		}
		var fs []string
		for f := range fams {
			fs = append(fs, regexp.QuoteMeta(f))
		}
		sort.Strings(fs)
		pat := `\b(` + strings.Join(fs, "|") + `)\.[a-z_]+[a-z_.*]*`
		if len(ids) > 0 {
			pat = `(` + strings.Join(ids, "|") + `)|` + pat
		}
		ruleRE = regexp.MustCompile(pat)
	})
	return ruleRE
}

// debugWords are English words the rules and the scanner put into evidence
// details; in a Chinese document they are leftovers.
var debugWords = regexp.MustCompile(`(?i)\b(missing|confidence|called by|requires|purposes|contact|null|nil|true|false|todo|fixme|unknown|pending|inspector|app\))\b`)

// asciiToken is a run of characters that may form a technical identifier
// in Chinese text. A token with an upper-case letter, a digit, or one of
// . $ # / _ - @ : = (TelephonyManager.getDeviceId, com.umeng.analytics,
// SHA-256, IMEI, App, privacy@example.com, http://,
// usesCleartextTraffic=true) is an identifier; a
// token of lower-case letters only is an English word.
var asciiToken = regexp.MustCompile(`[A-Za-z0-9._$#/@:=\-]+`)

// hexGroup is a four-digit group of a printed key fingerprint, which may
// happen to be all letters ("abaf").
var hexGroup = regexp.MustCompile(`^[0-9a-f]{4}$`)

// Token matches the identifiers IDs looks for.
var Token = regexp.MustCompile(`[A-Za-z0-9._$#/|\-]+`)

// Lint returns the problems of a document's text in lang ("zh" or "en"):
// internal article ids and rule ids anywhere; in a Chinese document's body
// (before 附件1, where a notice lists raw evidence) English debug words and
// bare lower-case English words; in an English document's body, Chinese
// characters and punctuation other than in allow (proper names and quoted
// Chinese originals, compared without white space).
func Lint(lang, text string, allow []string) []string {
	var probs []string
	if m := ArticleID.FindAllString(text, -1); len(m) > 0 {
		probs = append(probs, "internal article ids: "+strings.Join(m, ", "))
	}
	if m := RuleID().FindAllStringIndex(text, -1); len(m) > 0 {
		var keep []string
		for _, ix := range m {
			x := text[ix[0]:ix[1]]
			// a Java package or class is not a rule id: they have 3+ parts
			// or capitals, or the match is inside one (com.bytedance.sdk.openadsdk)
			if strings.Count(x, ".") >= 2 && !strings.ContainsAny(x, "_*") {
				continue
			}
			if ix[0] > 0 && strings.ContainsRune("._$", rune(text[ix[0]-1])) {
				continue
			}
			keep = append(keep, x)
		}
		if len(keep) > 0 {
			probs = append(probs, "rule ids: "+strings.Join(keep, ", "))
		}
	}
	body := text
	if i := strings.Index(body, map[string]string{"zh": "附件1", "en": "Attachment 1."}[lang]); i >= 0 {
		body = body[:i]
	}
	if lang != "en" {
		// Identifiers are evidence (usesCleartextTraffic=true); words are not.
		words := asciiToken.ReplaceAllStringFunc(body, func(tok string) string {
			if strings.IndexFunc(tok, func(r rune) bool { return !unicode.IsLower(r) && r != ')' }) >= 0 {
				return " "
			}
			return tok
		})
		if m := debugWords.FindAllString(words, -1); len(m) > 0 {
			probs = append(probs, "English debug words: "+strings.Join(m, ", "))
		}
		for _, tok := range asciiToken.FindAllString(body, -1) {
			plain := strings.IndexFunc(tok, func(r rune) bool { return !unicode.IsLower(r) }) < 0
			if hexGroup.MatchString(tok) {
				continue // a group of a key fingerprint ("a5da 01ae …")
			}
			if plain && len(tok) >= 2 {
				probs = append(probs, "English word in a Chinese document: "+tok)
			}
		}
		return probs
	}
	// Every run of Chinese characters must come from an allowed name or
	// quote. Runs, not whole names, are compared because a table cell
	// wraps a name over lines that pdftotext may interleave with other
	// cells' lines.
	var allowed []string
	for _, a := range allow {
		if a = StripSpace(a); a != "" {
			allowed = append(allowed, a)
		}
	}
	var left []string
	for _, run := range hanRun.FindAllString(body, -1) {
		ok := false
		for _, a := range allowed {
			if strings.Contains(a, run) {
				ok = true
				break
			}
		}
		if !ok {
			left = append(left, run)
		}
	}
	if len(left) > 0 {
		probs = append(probs, "Chinese leftovers in an English document: "+strings.Join(left, " "))
	}
	return probs
}

// hanRun is a run of Chinese characters and full-width punctuation.
var hanRun = regexp.MustCompile(`[\p{Han}，。；：（）、“”《》【】〔〕]+`)

// IDs returns a problem for every token of text (see Token) that is a key
// of ids, named by its value ("SDK id", "API id", "raw protection level").
// Tokens are whole: the SDK id "amap" inside the package com.amap.api is
// evidence, "amap:" is not.
func IDs(text string, ids map[string]string) []string {
	var probs []string
	for _, tok := range Token.FindAllString(text, -1) {
		if kind, ok := ids[tok]; ok {
			probs = append(probs, kind+": "+tok)
		}
	}
	return probs
}

// Whole returns a problem for every name that does not appear whole in
// text (cut, or broken over two lines of a table cell).
func Whole(text string, names []string) []string {
	var probs []string
	for _, n := range names {
		if n != "" && !strings.Contains(text, n) {
			probs = append(probs, "not whole: "+n)
		}
	}
	return probs
}

// StripSpace removes all white space.
func StripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
