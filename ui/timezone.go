package ui

import (
	"fmt"
	"sync"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// Every time the UI shows is in one zone: China Standard Time by default
// (the zone of the notices and reports), or the one SetTimeZone chose (the
// `timezone` setting feeds it).
var (
	tzMu  sync.RWMutex
	tzLoc = cases.ChinaTime
)

// SetTimeZone selects the zone times are shown in, by IANA name
// ("Asia/Shanghai"); "" restores China Standard Time.
func SetTimeZone(name string) error {
	loc := cases.ChinaTime
	if name != "" && name != "Asia/Shanghai" {
		l, err := time.LoadLocation(name)
		if err != nil {
			return fmt.Errorf("ui: time zone %q: %w", name, err)
		}
		loc = l
	}
	tzMu.Lock()
	tzLoc = loc
	tzMu.Unlock()
	return nil
}

// displayTime is t in the zone the UI shows times in.
func displayTime(t time.Time) time.Time {
	tzMu.RLock()
	defer tzMu.RUnlock()
	return t.In(tzLoc)
}
