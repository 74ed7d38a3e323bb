package cases

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"
)

func TestTransitions(t *testing.T) {
	tests := []struct {
		from, to Status
		ok       bool
	}{
		{StatusOpen, StatusNoticeIssued, true},
		{StatusOpen, StatusClosed, true},
		{StatusOpen, StatusRectified, false},
		{StatusNoticeIssued, StatusRectified, true},
		{StatusNoticeIssued, StatusPublicAnnouncement, true},
		{StatusNoticeIssued, StatusClosed, false},
		{StatusRectified, StatusReinspection, true},
		{StatusReinspection, StatusClosed, true},
		{StatusReinspection, StatusNoticeIssued, true},
		{StatusPublicAnnouncement, StatusRemoval, true},
		{StatusRemoval, StatusDisconnection, true},
		{StatusDisconnection, StatusCreditManagement, true},
		{StatusCreditManagement, StatusClosed, true},
		{StatusRemoval, StatusPublicAnnouncement, false},
		{StatusClosed, StatusOpen, false},
		{StatusOpen, Status("bogus"), false},
	}
	for _, tt := range tests {
		err := CheckTransition(tt.from, tt.to)
		if (err == nil) != tt.ok {
			t.Errorf("%s → %s: err = %v, want ok=%v", tt.from, tt.to, err, tt.ok)
		}
		if err != nil {
			var te *TransitionError
			if !errors.Is(err, ErrInvalidTransition) || !errors.As(err, &te) || te.From != tt.from || te.To != tt.to {
				t.Errorf("%s → %s: error %v does not name from/to", tt.from, tt.to, err)
			}
		}
	}
	// Every status is reachable from open, and every status can eventually close.
	reach := map[Status]bool{StatusOpen: true}
	for changed := true; changed; {
		changed = false
		for s := range reach {
			for _, n := range NextStatuses(s) {
				if !reach[n] {
					reach[n], changed = true, true
				}
			}
		}
	}
	for _, s := range Statuses {
		if !reach[s] {
			t.Errorf("%s unreachable", s)
		}
		if s.ZH() == string(s) || s.EN() == string(s) {
			t.Errorf("%s has no names", s)
		}
	}
}

func TestCreditCode(t *testing.T) {
	good := []string{"91350100M000100Y43", "91440300708461136T"}
	for _, c := range good {
		if err := ValidateCreditCode(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	bad := []string{"91350100M000100Y44", "91350100M000100Y4", "9135010OM000100Y43", "91AB0100M000100Y43", ""}
	for _, c := range bad {
		if err := ValidateCreditCode(c); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: err = %v, want ErrInvalid", c, err)
		}
	}
	s := Subject{Kind: AppOperator, Name: " 某公司 ", CreditCode: " 91440300708461136t"}
	if err := s.Validate(); err != nil || s.CreditCode != "91440300708461136T" || s.Name != "某公司" {
		t.Errorf("Validate normalise: %v %+v", err, s)
	}
	if err := (&Subject{Kind: "x", Name: "a"}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad kind: %v", err)
	}
	if err := (&Subject{Kind: SDKProvider, Name: "a"}).Validate(); err != nil {
		t.Errorf("empty credit code: %v", err)
	}
	for _, k := range SubjectKinds {
		if k.ZH() == string(k) {
			t.Errorf("%s has no Chinese name", k)
		}
	}
	if SDKProvider.ZH() != "第三方SDK提供者" || NetworkAccessProvider.ZH() != "网络接入服务提供者" {
		t.Error("kind names")
	}
}

func TestNumberPattern(t *testing.T) {
	tests := []struct {
		p         NumberPattern
		year, seq int
		want      string
		ok        bool
	}{
		{DefaultNumberPattern, 2026, 1, "〔2026〕第0001号", true},
		{DefaultNumberPattern, 2026, 12345, "〔2026〕第12345号", true},
		{"工信检〔{year}〕{seq}号", 2025, 7, "工信检〔2025〕7号", true},
		{"{seq:06}", 2025, 7, "000007", true},
		{"{year}", 2025, 7, "", false},
		{"{seq}{seq}", 2025, 7, "", false},
		{"{seq:0}", 2025, 7, "", false},
		{"{month}{seq}", 2025, 7, "", false},
		{"{seq", 2025, 7, "", false},
	}
	for _, tt := range tests {
		got, err := tt.p.Format(tt.year, tt.seq)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%q.Format(%d,%d) = %q, %v; want %q ok=%v", tt.p, tt.year, tt.seq, got, err, tt.want, tt.ok)
		}
	}
}

func TestDiffCandidates(t *testing.T) {
	from, err := ParseCandidates(json.RawMessage(`{"candidates":[
		{"rule":"r1","articles":["pipl/13","rd2019/3.1"],"evidence":["a"]},
		{"rule":"r2","articles":["pipl/17"]},
		{"rule":"r3"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	to, err := ParseCandidates(json.RawMessage(`{"candidates":[
		{"rule":"r1","articles":["pipl/13"],"evidence":[{"key":"b","kind":"sdk","detail":"x"}]},
		{"rule":"r1","articles":["pipl/13"],"evidence":["a"]},
		{"rule":"r4","articles":["pipl/23"]}],"extra":1}`))
	if err != nil {
		t.Fatal(err)
	}
	d := DiffCandidates(from, to)
	keys := func(fs []Finding) []string {
		var k []string
		for _, f := range fs {
			k = append(k, f.Key())
		}
		return k
	}
	if got := keys(d.Fixed); !reflect.DeepEqual(got, []string{"r1@rd2019/3.1", "r2@pipl/17", "r3@"}) {
		t.Errorf("fixed = %v", got)
	}
	if got := keys(d.New); !reflect.DeepEqual(got, []string{"r4@pipl/23"}) {
		t.Errorf("new = %v", got)
	}
	if len(d.Remaining) != 1 || !reflect.DeepEqual(d.Remaining[0].Evidence, []string{"a", "b"}) {
		t.Errorf("remaining = %+v", d.Remaining)
	}
	for _, bad := range []string{`[1]`, `{"candidates":[{"articles":["x"]}]}`, `{"candidates":{}}`,
		`{"candidates":[{"rule":"r","evidence":[{"kind":"no key"}]}]}`, `{"candidates":[{"rule":"r","evidence":[3]}]}`} {
		if _, err := ParseCandidates(json.RawMessage(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v", bad, err)
		}
	}
	if c, err := ParseCandidates(nil); err != nil || c != nil {
		t.Errorf("empty: %v %v", c, err)
	}
}

func TestDataDir(t *testing.T) {
	t.Setenv(DataDirEnv, "")
	t.Setenv("XDG_DATA_HOME", "/xdg")
	t.Setenv("HOME", "/home/u")
	got, err := DataDir("/flag/dir")
	if err != nil || got != "/flag/dir" {
		t.Errorf("flag: %q %v", got, err)
	}
	t.Setenv(DataDirEnv, "/env/dir")
	if got, _ := DataDir(""); got != "/env/dir" {
		t.Errorf("env: %q", got)
	}
	if got, _ := DataDir("/flag"); got != "/flag" {
		t.Errorf("flag over env: %q", got)
	}
	t.Setenv(DataDirEnv, "")
	if runtime.GOOS == "linux" {
		if got, _ := DataDir(""); got != "/xdg/appinspect" {
			t.Errorf("xdg: %q", got)
		}
		t.Setenv("XDG_DATA_HOME", "")
		if got, _ := DataDir(""); got != filepath.Join("/home/u", ".local", "share", "appinspect") {
			t.Errorf("home: %q", got)
		}
	}
}

func TestOverdue(t *testing.T) {
	c := Case{Status: StatusNoticeIssued, Deadline: day("2025-10-11")}
	if c.IsOverdue(time.Date(2025, 10, 11, 15, 59, 0, 0, time.UTC)) { // 23:59 in China
		t.Error("overdue on the deadline day")
	}
	if !c.IsOverdue(time.Date(2025, 10, 11, 16, 0, 0, 0, time.UTC)) { // 00:00 next day in China
		t.Error("not overdue the day after")
	}
	c.Status = StatusRectified
	if c.IsOverdue(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("rectified case overdue")
	}
}
