package ui

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2/lang"

	"github.com/appinspect/appinspect/assets"
)

// The UI translates with its own small table rather than fyne/lang, because
// the inspector chooses the language in Settings and may switch it while the
// app runs; fyne/lang follows only the system locale.
var (
	trMu   sync.RWMutex
	trLang = "en"
	trMaps = map[string]map[string]string{}
)

func init() {
	for _, l := range []string{"en", "zh"} {
		b, err := assets.Translations.ReadFile("translations/" + l + ".json")
		if err != nil {
			continue
		}
		m := map[string]string{}
		if json.Unmarshal(b, &m) == nil {
			trMaps[l] = m
		}
	}
}

// SystemLanguage returns "zh" when the system locale is Chinese, else "en".
func SystemLanguage() string {
	if strings.HasPrefix(lang.SystemLocale().LanguageString(), "zh") {
		return "zh"
	}
	return "en"
}

// SetLanguage selects "zh" or "en" ("" or anything else: the system's).
func SetLanguage(l string) {
	if l != "zh" && l != "en" {
		l = SystemLanguage()
	}
	trMu.Lock()
	trLang = l
	trMu.Unlock()
	setFyneLanguage(l)
}

// Language returns the current UI language, "zh" or "en".
func Language() string {
	trMu.RLock()
	defer trMu.RUnlock()
	return trLang
}

// T returns the text for key in the current language, formatted with args
// when there are any. A missing key shows the English text, then the key.
func T(key string, args ...any) string {
	trMu.RLock()
	s, ok := trMaps[trLang][key]
	if !ok {
		s, ok = trMaps["en"][key]
	}
	trMu.RUnlock()
	if !ok {
		s = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// sdkCategoryName is an SDK category (push, analytics, …) in the UI
// language; an unknown category shows as it is.
func sdkCategoryName(c string) string {
	if c == "" {
		return ""
	}
	if s := T("sdkcat." + c); s != "sdkcat."+c {
		return s
	}
	return c
}
