package law

import (
	"fmt"
	"strings"
)

var zhDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// zhNumber parses a Chinese numeral up to 9999 ("十七", "一百零三").
func zhNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	total, cur := 0, 0
	for _, r := range s {
		if d, ok := zhDigits[r]; ok {
			cur = d
			continue
		}
		unit := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
		if unit == 0 {
			return 0, false
		}
		if cur == 0 {
			cur = 1
		}
		total += cur * unit
		cur = 0
	}
	return total + cur, true
}

// NumberEN writes an article number in English: "第十七条" →
// "Article 17", "（一）" → "item (1)", "三.1" → "item 3.1"; other numbers
// (already Latin) are returned as they are.
func NumberEN(n string) string {
	n = strings.TrimSpace(n)
	if strings.HasPrefix(n, "第") && strings.HasSuffix(n, "条") {
		if v, ok := zhNumber(strings.TrimSuffix(strings.TrimPrefix(n, "第"), "条")); ok {
			return fmt.Sprintf("Article %d", v)
		}
	}
	if strings.HasPrefix(n, "（") && strings.HasSuffix(n, "）") {
		if v, ok := zhNumber(strings.TrimSuffix(strings.TrimPrefix(n, "（"), "）")); ok {
			return fmt.Sprintf("item (%d)", v)
		}
	}
	head, rest, dotted := strings.Cut(n, ".")
	if v, ok := zhNumber(head); ok && dotted {
		return fmt.Sprintf("item %d.%s", v, rest)
	}
	if v, ok := zhNumber(n); ok {
		return fmt.Sprintf("item %d", v)
	}
	if n != "" && n[0] >= '0' && n[0] <= '9' {
		return "item " + n
	}
	return n
}

// NumberIn is an article number as a reader of lang sees it: the official
// Chinese number in Chinese, NumberEN in English.
func NumberIn(n, lang string) string {
	if lang == "en" {
		return NumberEN(n)
	}
	return n
}
