package device

import (
	"regexp"
	"sort"
	"strings"
	"time"
)

// UsageEvent is one event from `dumpsys usagestats PKG`: the app coming to
// the foreground (ACTIVITY_RESUMED), leaving it (ACTIVITY_PAUSED,
// ACTIVITY_STOPPED), starting or stopping a foreground service, a user
// interaction, a standby-bucket change…
type UsageEvent struct {
	Time  time.Time `json:"time"`
	Type  string    `json:"type"`
	Class string    `json:"class,omitempty"`
}

var usageEventRE = regexp.MustCompile(`time="(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)" type=([A-Z_0-9]+) package=([A-Za-z0-9_.]+)(?: class=([A-Za-z0-9_.$]+))?`)

// ParseUsageEvents parses the event lines of `dumpsys usagestats PKG`
// (time="2023-06-01 10:20:00" type=ACTIVITY_RESUMED package=PKG class=…)
// for pkg, read in loc. Platforms that ignore the package filter print
// every app's events; only pkg's are kept. The same event printed in
// several sections (daily, weekly…) is kept once. Sorted by time.
func ParseUsageEvents(out []byte, pkg string, loc *time.Location) []UsageEvent {
	if loc == nil {
		loc = time.UTC
	}
	seen := map[UsageEvent]bool{}
	var res []UsageEvent
	for _, line := range strings.Split(string(out), "\n") {
		m := usageEventRE.FindStringSubmatch(line)
		if m == nil || m[3] != pkg {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02 15:04:05", m[1], loc)
		if err != nil {
			continue
		}
		e := UsageEvent{Time: t, Type: m[2], Class: m[4]}
		if !seen[e] {
			seen[e] = true
			res = append(res, e)
		}
	}
	sort.SliceStable(res, func(i, j int) bool {
		if !res[i].Time.Equal(res[j].Time) {
			return res[i].Time.Before(res[j].Time)
		}
		if res[i].Type != res[j].Type {
			return res[i].Type < res[j].Type
		}
		return res[i].Class < res[j].Class
	})
	return res
}
