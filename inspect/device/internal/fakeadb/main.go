// Command fakeadb replays recorded adb outputs for the device package's
// tests. It reads rules from $FAKEADB_DIR/rules.txt, one per line, fields
// separated by tabs:
//
//	SERIAL  ARGS  ACTION...
//
// SERIAL is the -s value, "*" for any, or "-" for calls without -s. ARGS is
// the argument list after -s SERIAL joined by spaces; a trailing "*" makes
// it a prefix. The first matching rule runs its actions in order:
//
//	file:NAME      copy NAME (relative to $FAKEADB_DIR, or absolute) to stdout
//	text:STRING    print STRING (\n and \t are unescaped)
//	stderr:STRING  print STRING to stderr
//	sleep:MS       sleep
//	exit:N         exit with status N
//	gone           print "error: device 'SERIAL' not found" to stderr, exit 1
//	pull:NAME      copy NAME to the local path (last argument)
//	pullcut:NAME   copy half of NAME, then fail as if the device was unplugged
//	pullslow:NAME  copy NAME in 8 chunks, sleeping 100 ms between them
//	flood          print to stdout forever (floodstderr: to stderr)
//	child:FILE     start `sleep 300` as a child, write its pid to FILE
//	store:NAME     write the last argument to $FAKEADB_DIR/NAME (device state)
//	load:NAME      print that file's content, or "null" when it does not exist
//	unstore:NAME   remove that file
//
// Every call is appended to $FAKEADB_DIR/calls.log. With FAKEADB_GONE_AFTER=N
// every call after the Nth fails as "device not found". Unmatched calls
// print "fakeadb: no rule" and exit 99.
package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(argv []string) int {
	dir := os.Getenv("FAKEADB_DIR")
	if dir == "" {
		fmt.Fprintln(os.Stderr, "fakeadb: FAKEADB_DIR not set")
		return 98
	}
	serial := "-"
	args := argv
	if len(args) >= 2 && args[0] == "-s" {
		serial, args = args[1], args[2:]
	}
	joined := strings.Join(args, " ")
	n := logCall(dir, serial, joined)
	if ga := os.Getenv("FAKEADB_GONE_AFTER"); ga != "" && serial != "-" {
		if lim, err := strconv.Atoi(ga); err == nil && n > lim {
			fmt.Fprintf(os.Stderr, "error: device '%s' not found\n", serial)
			return 1
		}
	}
	f, err := os.Open(filepath.Join(dir, "rules.txt"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeadb:", err)
		return 98
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) < 3 {
			continue
		}
		if fs[0] != "*" && fs[0] != serial {
			continue
		}
		pat := fs[1]
		if strings.HasSuffix(pat, "*") {
			if !strings.HasPrefix(joined, strings.TrimSuffix(pat, "*")) {
				continue
			}
		} else if pat != joined {
			continue
		}
		return act(dir, serial, args, fs[2:])
	}
	fmt.Fprintf(os.Stderr, "fakeadb: no rule for %s %s\n", serial, joined)
	return 99
}

func logCall(dir, serial, joined string) int {
	p := filepath.Join(dir, "calls.log")
	lf, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err == nil {
		fmt.Fprintf(lf, "%s\t%s\n", serial, joined)
		lf.Close()
	}
	b, _ := os.ReadFile(p)
	return strings.Count(string(b), "\n")
}

func path(dir, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(dir, name)
}

func act(dir, serial string, args, actions []string) int {
	for _, a := range actions {
		k, v, _ := strings.Cut(a, ":")
		switch k {
		case "file":
			b, err := os.ReadFile(path(dir, v))
			if err != nil {
				fmt.Fprintln(os.Stderr, "fakeadb:", err)
				return 98
			}
			os.Stdout.Write(b)
		case "text":
			os.Stdout.WriteString(unescape(v))
		case "stderr":
			os.Stderr.WriteString(unescape(v))
		case "sleep":
			ms, _ := strconv.Atoi(v)
			time.Sleep(time.Duration(ms) * time.Millisecond)
		case "exit":
			n, _ := strconv.Atoi(v)
			return n
		case "gone":
			fmt.Fprintf(os.Stderr, "error: device '%s' not found\n", serial)
			return 1
		case "flood", "floodstderr":
			// Endless output (an adb that never stops printing).
			w := os.Stdout
			if k == "floodstderr" {
				w = os.Stderr
			}
			chunk := []byte(strings.Repeat("flood ", 1<<14))
			for {
				if _, err := w.Write(chunk); err != nil {
					return 1
				}
			}
		case "child":
			// Start a child that outlives adb (sleep 300), write its pid to
			// the file v, and keep running.
			c := exec.Command("sleep", "300")
			if err := c.Start(); err != nil {
				fmt.Fprintln(os.Stderr, "fakeadb: child:", err)
				return 98
			}
			os.WriteFile(path(dir, v), []byte(strconv.Itoa(c.Process.Pid)), 0o644)
		case "store":
			if len(args) == 0 {
				return 98
			}
			if err := os.WriteFile(path(dir, v), []byte(args[len(args)-1]), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "fakeadb: store:", err)
				return 98
			}
		case "load":
			b, err := os.ReadFile(path(dir, v))
			if err != nil {
				b = []byte("null")
			}
			fmt.Printf("%s\n", b)
		case "unstore":
			os.Remove(path(dir, v))
		case "pull", "pullcut", "pullslow":
			b, err := os.ReadFile(path(dir, v))
			if err != nil || len(args) < 3 {
				fmt.Fprintln(os.Stderr, "fakeadb: pull:", err)
				return 98
			}
			local := args[len(args)-1]
			out, err := os.Create(local)
			if err != nil {
				fmt.Fprintln(os.Stderr, "adb: error:", err)
				return 1
			}
			switch k {
			case "pull":
				out.Write(b)
			case "pullcut":
				out.Write(b[:len(b)/2])
				out.Close()
				fmt.Fprintln(os.Stderr, "adb: error: failed to read copy response")
				fmt.Fprintf(os.Stderr, "error: device '%s' not found\n", serial)
				return 1
			case "pullslow":
				step := len(b)/8 + 1
				for i := 0; i < len(b); i += step {
					out.Write(b[i:min(i+step, len(b))])
					out.Sync()
					time.Sleep(100 * time.Millisecond)
				}
			}
			out.Close()
			fmt.Printf("%s: 1 file pulled, 0 skipped.\n", args[1])
		}
	}
	return 0
}

func unescape(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\r`, "\r").Replace(s)
}
