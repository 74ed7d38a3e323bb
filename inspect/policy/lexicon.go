package policy

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/appinspect/appinspect/inspect/pi"
)

// The lexicons are data files written for AppInspect; see the comment at the
// top of each. The APPCH dictionary (research-use only) was used to evaluate
// them, not to build them.
//
//go:embed lexicon/*.txt
var lexiconFS embed.FS

// Permission groups, in the order used for output.
var permissionGroups = []string{"CALENDAR", "CAMERA", "CONTACTS", "LOCATION", "MICROPHONE", "PHONE", "SENSORS", "SMS", "STORAGE"}

// kindCategory maps the finer data kinds of datatypes.txt that pi lacks to
// the nearest pi category ("" when none fits).
var kindCategory = map[string]pi.Category{
	"profile":      pi.Identity,
	"user_content": "",
	"usage_log":    pi.Browsing,
	"order":        pi.Financial,
}

type sdkEntry struct {
	key, vendor string
	names       []string // names[0] is the display name
}

type lexicons struct {
	dataM      *matcher
	dataKind   []string // per pattern: the kind (a pi category or a finer kind)
	dataNarrow []string // per pattern: the narrowest kind the word names

	permM     *matcher
	permGroup []string // per pattern
	kindGroup map[string]string

	sdkM   *matcher
	sdkOf  []int // pattern -> sdk index
	sdks   []sdkEntry
	sdkPat []string

	elemM    *matcher
	elemID   []string
	elemHead []bool
	elemIDs  []string // in file order

	funcM  *matcher
	funcID []string
}

var (
	lexOnce sync.Once
	lex     *lexicons
	lexErr  error
)

func loadLexicons() (*lexicons, error) {
	lexOnce.Do(func() { lex, lexErr = buildLexicons() })
	return lex, lexErr
}

// lines yields the non-comment lines of a lexicon file split on '|'.
func lexLines(name string) ([][]string, error) {
	b, err := lexiconFS.ReadFile("lexicon/" + name)
	if err != nil {
		return nil, fmt.Errorf("policy: lexicon %s: %w", name, err)
	}
	var out [][]string
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		var fs []string
		for f := range strings.SplitSeq(l, "|") {
			if f = strings.TrimSpace(f); f != "" {
				fs = append(fs, f)
			}
		}
		out = append(out, fs)
	}
	return out, nil
}

func buildLexicons() (*lexicons, error) {
	lx := &lexicons{kindGroup: map[string]string{}}
	// data types
	ls, err := lexLines("datatypes.txt")
	if err != nil {
		return nil, err
	}
	var pats []string
	for _, fs := range ls {
		kind, narrow, _ := strings.Cut(fs[0], "/")
		if narrow == "" {
			narrow = kind
		}
		if _, ok := kindCategory[kind]; !ok && !pi.Valid(pi.Category(kind)) {
			return nil, fmt.Errorf("policy: lexicon datatypes.txt: unknown kind %q", kind)
		}
		if narrow != kind && (pi.Valid(pi.Category(narrow)) || kindCategory[narrow] != "") {
			return nil, fmt.Errorf("policy: lexicon datatypes.txt: narrow kind %q is a category of its own", narrow)
		}
		for _, t := range fs[1:] {
			pats = append(pats, t)
			lx.dataKind = append(lx.dataKind, kind)
			lx.dataNarrow = append(lx.dataNarrow, narrow)
		}
	}
	lx.dataM = newMatcher(pats)
	// permissions
	ls, err = lexLines("permissions.txt")
	if err != nil {
		return nil, err
	}
	pats = nil
	for _, fs := range ls {
		if strings.HasPrefix(fs[0], "map ") {
			f := strings.Fields(fs[0])
			if len(f) != 3 {
				return nil, fmt.Errorf("policy: lexicon permissions.txt: bad map line %q", fs[0])
			}
			lx.kindGroup[f[1]] = f[2]
			continue
		}
		for _, t := range fs[1:] {
			pats = append(pats, t)
			lx.permGroup = append(lx.permGroup, fs[0])
		}
	}
	lx.permM = newMatcher(pats)
	// sdks
	ls, err = lexLines("sdks.txt")
	if err != nil {
		return nil, err
	}
	pats = nil
	for _, fs := range ls {
		if len(fs) < 3 {
			return nil, fmt.Errorf("policy: lexicon sdks.txt: short line %q", fs)
		}
		e := sdkEntry{key: fs[0], vendor: fs[1], names: fs[2:]}
		lx.sdks = append(lx.sdks, e)
		for _, n := range e.names {
			pats = append(pats, n)
			lx.sdkOf = append(lx.sdkOf, len(lx.sdks)-1)
		}
	}
	lx.sdkPat = pats
	lx.sdkM = newMatcher(pats)
	// elements
	ls, err = lexLines("elements.txt")
	if err != nil {
		return nil, err
	}
	pats = nil
	for _, fs := range ls {
		lx.elemIDs = append(lx.elemIDs, fs[0])
		for _, t := range fs[1:] {
			h := strings.HasPrefix(t, "h:")
			pats = append(pats, strings.TrimPrefix(t, "h:"))
			lx.elemID = append(lx.elemID, fs[0])
			lx.elemHead = append(lx.elemHead, h)
		}
	}
	lx.elemM = newMatcher(pats)
	// business functions
	ls, err = lexLines("functions.txt")
	if err != nil {
		return nil, err
	}
	pats = nil
	for _, fs := range ls {
		for _, t := range fs[1:] {
			pats = append(pats, t)
			lx.funcID = append(lx.funcID, fs[0])
		}
	}
	lx.funcM = newMatcher(pats)
	return lx, nil
}

// categoryOf maps a lexicon kind to its pi category.
func categoryOf(kind string) pi.Category {
	if c, ok := kindCategory[kind]; ok {
		return c
	}
	return pi.Category(kind)
}

func sortedUnique(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}
