package ui

import (
	"strings"
	"sync/atomic"
	"time"
	_ "time/tzdata" // zone data for the timezone setting on any system
)

// defaultZone is the zone of displayed times unless the timezone setting
// names another (the same default as the documents and the command line).
const defaultZone = "Asia/Shanghai"

// displayZone is the zone every time on screen is shown in; the main
// window sets it from the settings and the settings form after a save.
var displayZone atomic.Pointer[time.Location]

// setDisplayZone sets the display zone from a setting; an empty or unknown
// name gives Asia/Shanghai.
func setDisplayZone(name string) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = defaultZone
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc, _ = time.LoadLocation(defaultZone)
	}
	displayZone.Store(loc)
}

func zone() *time.Location {
	if l := displayZone.Load(); l != nil {
		return l
	}
	setDisplayZone("")
	return displayZone.Load()
}

// fmtTime shows an instant to the second in the display zone.
func fmtTime(t time.Time) string { return t.In(zone()).Format("2006-01-02 15:04:05") }

// fmtTimeZ is fmtTime labelled with the zone ("北京时间" for Asia/Shanghai),
// for times whose zone would otherwise be ambiguous (device clocks).
func fmtTimeZ(t time.Time) string { return fmtTime(t) + " (" + zoneLabel() + ")" }

func zoneLabel() string {
	if z := zone().String(); z != defaultZone {
		return z
	}
	return T("tz.beijing")
}

// displayTime is t in the zone the UI shows times in.
func displayTime(t time.Time) time.Time { return t.In(zone()) }
