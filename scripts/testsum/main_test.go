package main

import (
	"strings"
	"testing"
)

func TestSummaryCountsAndReasons(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"run","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"=== RUN   TestB\n"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:12: ../shared absent: no fixtures/apks\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:3: shared regulations not available (../../shared): no such dir\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"output","Package":"p","Test":"TestD","Output":"    d_test.go:9: got 1, want 2\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestD"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`,
		`{"Action":"fail","Package":"p"}`,
		`not json at all`,
	}, "\n")
	var out strings.Builder
	s := run(strings.NewReader(in), &out)
	if got, want := s.line(), "1 passed, 1 failed, 2 skipped (2: ../shared absent); failed packages: p"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	for _, w := range []string{"got 1, want 2", "FAIL\tp", "not json at all"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
	if strings.Contains(out.String(), "../shared absent") {
		t.Errorf("a skipped test's output was printed:\n%s", out.String())
	}
}
