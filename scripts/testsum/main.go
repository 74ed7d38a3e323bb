// Command testsum reads `go test -json` events on stdin, prints what plain
// `go test` prints (one ok/FAIL line per package, the output of failed
// tests), and ends with a summary CI can read:
//
//	1234 passed, 0 failed, 12 skipped (10: ../shared absent; 2: no adb on PATH)
//
// It exits 1 when a test or a package failed (including a build failure),
// 0 otherwise. Lines on stdin that are not JSON are passed through.
//
// Usage: go test -json ./... | go run ./scripts/testsum
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Output     string
	Elapsed    float64
}

// summary is the result of reading one event stream.
type summary struct {
	passed, failed, skipped int
	failedPkgs              []string
	reasons                 map[string]int // skip reason -> tests
}

// locPrefix is the "file_test.go:12: " a t.Skip message starts with.
var locPrefix = regexp.MustCompile(`^\s*[\w.-]+\.go:\d+: `)

// skipReason shortens a t.Skip message to its cause: the text before the
// first colon-space or semicolon that follows it, so "../shared absent: no
// fixtures/apks" and "../shared absent: no adb" count as one reason.
func skipReason(lines []string) string {
	for _, l := range lines {
		if !locPrefix.MatchString(l) {
			continue
		}
		r := strings.TrimSpace(locPrefix.ReplaceAllString(l, ""))
		for _, sep := range []string{": ", "; ", " ("} {
			if i := strings.Index(r, sep); i > 0 {
				r = r[:i]
			}
		}
		// The fixture tests word it differently ("shared fixtures absent",
		// "../shared/fixtures/apks is absent", "shared regulations not
		// available"): one cause.
		if l := strings.ToLower(r); strings.Contains(l, "shared") &&
			(strings.Contains(l, "absent") || strings.Contains(l, "not available")) {
			r = "../shared absent"
		}
		if len(r) > 60 {
			r = r[:57] + "..."
		}
		return r
	}
	return "no reason given"
}

func run(in io.Reader, out io.Writer) summary {
	s := summary{reasons: map[string]int{}}
	outputs := map[string][]string{} // package/test -> output lines
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintln(out, string(line))
			continue
		}
		if e.Package == "" && e.ImportPath != "" { // build events (Go 1.24+)
			if e.Action == "build-output" {
				fmt.Fprint(out, e.Output)
			}
			continue
		}
		key := e.Package + "\x00" + e.Test
		switch e.Action {
		case "output":
			if e.Test == "" {
				// Package-level output: the "ok"/"FAIL" lines and panics.
				if strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") ||
					strings.HasPrefix(e.Output, "?") || !strings.HasPrefix(e.Output, "=== ") &&
					!strings.HasPrefix(e.Output, "--- ") && e.Output != "PASS\n" {
					fmt.Fprint(out, e.Output)
				}
				continue
			}
			outputs[key] = append(outputs[key], strings.TrimRight(e.Output, "\n"))
		case "pass":
			if e.Test != "" {
				s.passed++
			}
			delete(outputs, key)
		case "skip":
			if e.Test != "" {
				s.skipped++
				s.reasons[skipReason(outputs[key])]++
			}
			delete(outputs, key)
		case "fail":
			if e.Test != "" {
				s.failed++
				for _, l := range outputs[key] {
					fmt.Fprintln(out, l)
				}
			} else {
				s.failedPkgs = append(s.failedPkgs, e.Package)
			}
			delete(outputs, key)
		}
	}
	return s
}

func (s summary) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d passed, %d failed, %d skipped", s.passed, s.failed, s.skipped)
	if len(s.reasons) > 0 {
		type rc struct {
			r string
			n int
		}
		var rs []rc
		for r, n := range s.reasons {
			rs = append(rs, rc{r, n})
		}
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].n != rs[j].n {
				return rs[i].n > rs[j].n
			}
			return rs[i].r < rs[j].r
		})
		parts := make([]string, len(rs))
		for i, x := range rs {
			parts[i] = fmt.Sprintf("%d: %s", x.n, x.r)
		}
		b.WriteString(" (" + strings.Join(parts, "; ") + ")")
	}
	if len(s.failedPkgs) > 0 {
		fmt.Fprintf(&b, "; failed packages: %s", strings.Join(s.failedPkgs, " "))
	}
	return b.String()
}

func main() {
	s := run(os.Stdin, os.Stdout)
	fmt.Println(s.line())
	if s.failed > 0 || len(s.failedPkgs) > 0 {
		os.Exit(1)
	}
}
