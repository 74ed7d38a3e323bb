// Command sdkrecall measures the recall and precision of AppInspect's SDK
// detection on synthetic APKs with a known ground truth (issue 3), and the
// cost of detection on a large synthetic APK.
//
// Each synthetic APK (built by inspect/synth) carries a random subset of the
// embedded catalog's SDKs that have class signatures: 3–10 classes under one
// of each chosen SDK's package prefixes (or its listed class names), plus
// the app's own classes and framework-like distractor classes. The expected
// set is the chosen SDK ids (and the SDKs whose package prefixes, per the
// catalog data, claim a distractor). A detection of an ancestor or
// descendant (Entry.Parent) of an expected SDK is counted as "related":
// a false positive in the strict score, a hit in the lenient one.
//
// It then scans the real APKs in ../shared/fixtures/apks (Google and
// open-source samples): no Chinese SDK is expected there, so every Chinese
// SDK detected is listed as a false positive.
//
// Output is Markdown, deterministic for a given -seed except the timings.
//
//	go run ./bench/sdkrecall -n 20 -seed 1
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sdk"
	"github.com/appinspect/appinspect/inspect/synth"
)

func main() {
	n := flag.Int("n", 20, "synthetic APKs to build")
	seed := flag.Uint64("seed", 1, "random seed")
	maxSDKs := flag.Int("max-sdks", 8, "most SDKs per synthetic APK")
	fixtures := flag.String("fixtures", filepath.Join("..", "shared", "fixtures", "apks"), "directory of real APKs ('' to skip)")
	large := flag.Int("large", 20000, "classes in the large APK of the timing run (0 to skip)")
	reps := flag.Int("reps", 9, "timing repetitions of each kind (minimum and median are reported)")
	truthDir := flag.String("truth", filepath.Join("..", "shared", "fixtures", "apks-sdk"), "directory of real APKs with truth.json ('' to skip)")
	truthOnly := flag.Bool("truth-only", false, "score only the truth set")
	showHeld := flag.Bool("show-held-out", false, "also list the errors on the held-out APKs (never while tuning rules)")
	home, _ := os.UserHomeDir()
	npmDir := flag.String("npm", "", "directory of npm SDK tarballs to score (scripts/npm-sdk-fetch.sh fills "+filepath.Join(home, ".cache", "appinspect", "npm-sdk")+")")
	npmTruth := flag.String("npm-truth", filepath.Join("bench", "sdkrecall", "testdata", "npm-truth.json"), "truth of the -npm set")
	npmCheck := flag.Bool("npm-build-only", false, "with -npm: only rebuild and scan each tarball, printing sizes (no detections)")
	npmFresh := flag.Bool("npm-fresh", false, "with -npm: score the whole -npm-truth set as held out (a set never used for tuning)")
	npmKeep := flag.String("npm-keep", "", "with -npm-build-only: keep the rebuilt APKs in this directory")
	flag.Parse()
	if *npmDir != "" {
		det, err := inspect.DefaultDetector()
		if err == nil && *npmCheck {
			err = npmBuildOnly(os.Stdout, *npmDir, *npmTruth, *npmKeep, det)
		} else if err == nil {
			err = npmRun(os.Stdout, *npmDir, *npmTruth, det, *showHeld, *npmFresh)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "sdkrecall:", err)
			os.Exit(1)
		}
		return
	}
	if *truthDir != "" {
		det, err := inspect.DefaultDetector()
		if err == nil {
			err = truthRun(os.Stdout, *truthDir, det, *showHeld)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "sdkrecall:", err)
			os.Exit(1)
		}
		if *truthOnly {
			return
		}
	}
	if err := run(os.Stdout, *n, *seed, *maxSDKs, *fixtures, *large, *reps); err != nil {
		fmt.Fprintln(os.Stderr, "sdkrecall:", err)
		os.Exit(1)
	}
}

// candidate is a catalog SDK the synthetic APKs can carry.
type candidate struct {
	id       string
	packages []string
	classes  []string
}

// score accumulates detection outcomes.
type score struct {
	apks, expected, detected, tp, related, fp, fn, fnLenient int
	fpIDs, fnIDs                                             map[string]int
}

func newScore() *score { return &score{fpIDs: map[string]int{}, fnIDs: map[string]int{}} }

func run(w io.Writer, n int, seed uint64, maxSDKs int, fixtures string, large, reps int) error {
	cat, err := sdk.Embedded()
	if err != nil {
		return err
	}
	entries := cat.Entries()
	var cands []candidate
	for _, e := range entries {
		if len(e.Signatures.Packages) > 0 || len(e.Signatures.Classes) > 0 {
			cands = append(cands, candidate{id: e.ID, packages: e.Signatures.Packages, classes: e.Signatures.Classes})
		}
	}
	parent := map[string]string{}
	for _, e := range entries {
		if e.Parent != "" {
			parent[e.ID] = e.Parent
		}
	}
	claims := newPrefixTable(entries)
	det, err := inspect.DefaultDetector()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sdkrecall")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	sc := newScore()
	distractors, claimedDistractors := 0, 0
	var scanMS int64
	for i := range n {
		spec, expected, nd, nc := synthSpec(rng, i, cands, claims, maxSDKs)
		distractors += nd
		claimedDistractors += nc
		path := filepath.Join(dir, fmt.Sprintf("synth%02d.apk", i))
		if err := buildTo(path, spec); err != nil {
			return fmt.Errorf("apk %d: %w", i, err)
		}
		r, err := inspect.Scan(context.Background(), path, inspect.Options{Detector: det})
		if err != nil {
			return fmt.Errorf("apk %d: %w", i, err)
		}
		scanMS += r.Stats.TotalMS
		var got []string
		for _, s := range r.SDKs {
			got = append(got, s.ID)
		}
		sc.add(expected, got, parent)
	}

	fmt.Fprintf(w, "## SDK detection: recall and precision\n\n")
	fmt.Fprintf(w, "Catalog: %d entries, %d with class signatures (package prefixes or class names). Seed %d.\n\n", len(entries), len(cands), seed)
	fmt.Fprintf(w, "Synthetic set: %d APKs built by `inspect/synth`, 1–%d random SDKs each, 3–10 classes per SDK, "+
		"5 app classes and %d framework-like distractor classes in all (%d of which a catalog prefix claims, so they are expected too).\n\n",
		n, maxSDKs, distractors+claimedDistractors, claimedDistractors)
	fmt.Fprintln(w, "| set | APKs | expected | detected | TP | related (parent/child) | FP | FN | recall | precision | recall (lenient) | precision (lenient) |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	sc.row(w, "synthetic")
	fmt.Fprintln(w)
	if len(sc.fnIDs) > 0 {
		fmt.Fprintf(w, "Missed (FN): %s\n\n", list(sc.fnIDs))
	}
	if len(sc.fpIDs) > 0 {
		fmt.Fprintf(w, "False positives: %s\n\n", list(sc.fpIDs))
	}

	if fixtures != "" {
		if err := fixtureRun(w, fixtures, det, cat); err != nil {
			return err
		}
	}
	if large > 0 {
		big := ""
		if fixtures != "" {
			big = largestAPK(fixtures)
		}
		if err := timing(w, dir, big, large, reps, cands, det, rng); err != nil {
			return err
		}
	}
	return nil
}

// add scores one APK.
func (s *score) add(expected, got []string, parent map[string]string) {
	s.apks++
	s.expected += len(expected)
	s.detected += len(got)
	related := func(a, b string) bool { return isAncestor(a, b, parent) || isAncestor(b, a, parent) }
	for _, d := range got {
		switch {
		case slices.Contains(expected, d):
			s.tp++
		case slices.ContainsFunc(expected, func(e string) bool { return related(d, e) }):
			s.related++
		default:
			s.fp++
			s.fpIDs[d]++
		}
	}
	for _, e := range expected {
		if slices.Contains(got, e) {
			continue
		}
		s.fn++
		s.fnIDs[e]++
		if !slices.ContainsFunc(got, func(d string) bool { return related(d, e) }) {
			s.fnLenient++
		}
	}
}

func (s *score) row(w io.Writer, name string) {
	pct := func(a, b int) string {
		if b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
	}
	fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s |\n", name, s.apks, s.expected, s.detected,
		s.tp, s.related, s.fp, s.fn,
		pct(s.tp, s.expected), pct(s.tp, s.detected),
		pct(s.expected-s.fnLenient, s.expected), pct(s.tp+s.related, s.detected))
}

// isAncestor reports whether a is an ancestor of b by Entry.Parent.
func isAncestor(a, b string, parent map[string]string) bool {
	for range 32 {
		p, ok := parent[b]
		if !ok {
			return false
		}
		if p == a {
			return true
		}
		b = p
	}
	return false
}

func list(m map[string]int) string {
	var out []string
	for _, k := range sortedKeys(m) {
		out = append(out, fmt.Sprintf("`%s` ×%d", k, m[k]))
	}
	return strings.Join(out, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// prefixTable answers which catalog entry's package prefix claims a class,
// from the catalog data alone (longest prefix on segment boundaries), as an
// independent ground truth for the distractors.
type prefixTable map[string]string

func newPrefixTable(entries []sdk.Entry) prefixTable {
	t := prefixTable{}
	for _, e := range entries {
		for _, p := range e.Signatures.Packages {
			t[p] = e.ID
		}
		for _, c := range e.Signatures.Classes {
			t[c] = e.ID
		}
	}
	return t
}

func (t prefixTable) owner(class string) string {
	for s := class; s != ""; {
		if id, ok := t[s]; ok {
			return id
		}
		i := strings.LastIndexAny(s, ".$")
		if i < 0 {
			break
		}
		s = s[:i]
	}
	return ""
}

var distractorPool = []string{
	"androidx.core.app.NotificationCompat", "androidx.appcompat.app.AppCompatActivity", "androidx.recyclerview.widget.RecyclerView",
	"androidx.lifecycle.ViewModel", "androidx.fragment.app.Fragment", "com.google.android.material.button.MaterialButton",
	"com.google.gson.Gson", "kotlin.collections.CollectionsKt", "kotlinx.coroutines.BuildersKt", "okhttp3.OkHttpClient",
	"okio.Buffer", "retrofit2.Retrofit", "com.google.common.collect.ImmutableList", "org.json.simple.JSONObject",
	"com.squareup.moshi.Moshi", "javax.inject.Inject", "org.intellij.lang.annotations.Language", "com.google.protobuf.MessageLite",
	"android.support.v4.app.ActivityCompat", "com.google.android.gms.common.GoogleApiAvailability",
}

const letters = "abcdefghijklmnopqrstuvwxyz"

func seg(rng *rand.Rand) string {
	b := make([]byte, 2+rng.IntN(6))
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return string(b)
}

func className(rng *rand.Rand) string {
	s := seg(rng)
	return strings.ToUpper(s[:1]) + s[1:] + fmt.Sprint(rng.IntN(100))
}

// sdkClasses returns 3–10 class names of the candidate.
func sdkClasses(rng *rand.Rand, c candidate) []string {
	k := 3 + rng.IntN(8)
	var out []string
	for i := range k {
		if len(c.packages) == 0 {
			base := c.classes[rng.IntN(len(c.classes))]
			if i == 0 {
				out = append(out, base)
			} else {
				out = append(out, base+"$"+className(rng))
			}
			continue
		}
		p := c.packages[rng.IntN(len(c.packages))]
		out = append(out, p+"."+seg(rng)+"."+className(rng))
	}
	return out
}

// synthSpec builds the spec of synthetic APK i and its expected SDK ids.
func synthSpec(rng *rand.Rand, i int, cands []candidate, claims prefixTable, maxSDKs int) (synth.Spec, []string, int, int) {
	pkg := fmt.Sprintf("com.synthbench.app%02d", i)
	spec := synth.Spec{Package: pkg, VersionName: "1.0", VersionCode: 1, MinSDK: 21, TargetSDK: 30, LabelEN: "Bench", LabelZH: "基准"}
	k := 1 + rng.IntN(maxSDKs)
	perm := rng.Perm(len(cands))[:k]
	var expected []string
	names := map[string]bool{}
	addClass := func(name string) {
		if !names[name] {
			names[name] = true
			spec.Classes = append(spec.Classes, synth.Class{Name: name})
		}
	}
	for _, j := range perm {
		c := cands[j]
		expected = append(expected, c.id)
		for _, n := range sdkClasses(rng, c) {
			addClass(n)
		}
	}
	for range 5 {
		addClass(pkg + "." + className(rng))
	}
	nd, nc := 0, 0
	for range 3 + rng.IntN(4) {
		d := distractorPool[rng.IntN(len(distractorPool))]
		if names[d] {
			continue
		}
		addClass(d)
		if id := claims.owner(d); id != "" {
			nc++
			if !slices.Contains(expected, id) {
				expected = append(expected, id)
			}
		} else {
			nd++
		}
	}
	slices.Sort(expected)
	return spec, expected, nd, nc
}

func buildTo(path string, s synth.Spec) error {
	b, err := synth.Build(s)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// fixtureRun scans the real APKs and lists what is detected.
func fixtureRun(w io.Writer, dir string, det *inspect.Detector, cat *sdk.Catalog) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.apk"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "### Real fixtures (%s)\n\n", dir)
	if len(paths) == 0 {
		fmt.Fprintf(w, "No fixtures found; skipped.\n\n")
		return nil
	}
	sort.Strings(paths)
	fmt.Fprintln(w, "Google and open-source sample apps: no Chinese SDK is expected, so a Chinese SDK detected is a false positive. "+
		"Other SDKs detected (Google, Jetpack …) are listed for review, not scored.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| fixture | classes | SDKs detected | Chinese SDKs (FP) |")
	fmt.Fprintln(w, "| --- | ---: | --- | --- |")
	scanned, failed, total, chinese := 0, 0, 0, 0
	for _, p := range paths {
		r, err := inspect.Scan(context.Background(), p, inspect.Options{Detector: det})
		name := filepath.Base(p)
		if err != nil && r.Package == "" {
			failed++
			fmt.Fprintf(w, "| %s | – | scan failed: %s | – |\n", name, oneLine(err.Error()))
			continue
		}
		scanned++
		var ids, zh []string
		for _, s := range r.SDKs {
			ids = append(ids, s.ID)
			if e, ok := cat.Get(s.ID); ok && (e.NameZH != "" || e.Vendor.ZH != "") {
				zh = append(zh, s.ID)
			}
		}
		total += len(ids)
		chinese += len(zh)
		fmt.Fprintf(w, "| %s | %d | %s | %s |\n", name, r.Dex.Classes, orDash(ids), orDash(zh))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%d fixtures scanned (%d could not be read), %d SDK detections in all, %d of them Chinese SDKs (false positives).\n\n",
		scanned, failed, total, chinese)
	return nil
}

func orDash(s []string) string {
	if len(s) == 0 {
		return "–"
	}
	return "`" + strings.Join(s, "`, `") + "`"
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "|", "/")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

// timing scans a large synthetic APK with and without detection.
func timing(w io.Writer, dir, fixture string, classes, reps int, cands []candidate, det *inspect.Detector, rng *rand.Rand) error {
	spec := synth.Spec{Package: "com.synthbench.large", VersionName: "1.0", VersionCode: 1, MinSDK: 21, TargetSDK: 30, LabelEN: "Large"}
	// Call targets: sensitive APIs and ordinary framework methods.
	targets := []synth.Call{
		{Class: "android.telephony.TelephonyManager", Name: "getDeviceId", Proto: "()Ljava/lang/String;"},
		{Class: "android.content.pm.PackageManager", Name: "getInstalledPackages", Proto: "(I)Ljava/util/List;"},
		{Class: "android.location.LocationManager", Name: "getLastKnownLocation", Proto: "(Ljava/lang/String;)Landroid/location/Location;"},
		{Class: "android.content.ClipboardManager", Name: "getPrimaryClip", Proto: "()Landroid/content/ClipData;"},
	}
	for i := range 60 {
		targets = append(targets, synth.Call{Class: "android.widget.TextView", Name: fmt.Sprintf("helper%d", i), Proto: "(Ljava/lang/String;)V"})
	}
	// Half the classes belong to 40 SDKs (a large Chinese app carries
	// 30–60), the rest to the app.
	var chosen []candidate
	for _, j := range rng.Perm(len(cands))[:min(40, len(cands))] {
		chosen = append(chosen, cands[j])
	}
	names := map[string]bool{}
	for len(spec.Classes) < classes {
		var name string
		if rng.IntN(2) == 0 {
			name = sdkClasses(rng, chosen[rng.IntN(len(chosen))])[0]
		} else {
			name = "com.synthbench.large." + seg(rng) + "." + className(rng)
		}
		if names[name] {
			continue
		}
		names[name] = true
		m := synth.Method{Name: "run", Proto: "()V", ConstStrings: []string{"key-" + seg(rng)}}
		for range 3 {
			m.Calls = append(m.Calls, targets[rng.IntN(len(targets))])
		}
		spec.Classes = append(spec.Classes, synth.Class{Name: name, Methods: []synth.Method{m}})
	}
	path := filepath.Join(dir, "large.apk")
	if err := buildTo(path, spec); err != nil {
		return err
	}
	targetsAPKs := []string{path}
	if fixture != "" {
		targetsAPKs = append(targetsAPKs, fixture)
	}
	fmt.Fprintf(w, "### Scan time with and without detection\n\n")
	fmt.Fprintf(w, "%d scans of each kind, alternating, after one warm-up, %d CPU cores (shared: the load average was %s when this ran, so the times are noisy). "+
		"The large synthetic APK has %d classes, half of them under 40 catalog SDKs, each with one method making three calls.\n\n",
		reps, numCPU(), loadAvg(), classes)
	fmt.Fprintln(w, "| APK | size | classes | without detection (`NoDetect`), min / median | with detection, min / median | SDKs | sensitive APIs | detection adds, min / median |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	worst := 0.0
	for _, p := range targetsAPKs {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		without, with, r0, r1, err := measure(p, det, reps)
		if err != nil {
			return err
		}
		over := 100 * (float64(with[0]) - float64(without[0])) / float64(without[0])
		overMed := 100 * (float64(with[1]) - float64(without[1])) / float64(without[1])
		worst = max(worst, over)
		fmt.Fprintf(w, "| %s | %.1f MB | %d | %s / %s | %s / %s | %d | %d | %+.1f%% / %+.1f%% |\n", filepath.Base(p), float64(fi.Size())/(1<<20),
			r0.Dex.Classes, ms(without[0]), ms(without[1]), ms(with[0]), ms(with[1]), len(r1.SDKs), len(r1.APIs), over, overMed)
	}
	verdict := "meets"
	if worst >= 25 {
		verdict = "does NOT meet"
	}
	fmt.Fprintf(w, "\nWorst case (on the minimum times, the least disturbed by other load): detection adds %.1f%% to the scan time; this %s the < 25%% target.\n", worst, verdict)
	return nil
}

// measure scans path reps times with and reps times without detection,
// alternating so that both see the same background load, after one warm-up
// of each. It returns {min, median} of each and the last results.
func measure(path string, det *inspect.Detector, reps int) (without, with [2]time.Duration, r0, r1 *inspect.Result, err error) {
	var dw, dd []time.Duration
	for i := range reps + 1 {
		for _, noDetect := range []bool{true, false} {
			t := time.Now()
			r, err := inspect.Scan(context.Background(), path, inspect.Options{Detector: det, NoDetect: noDetect})
			if err != nil {
				return without, with, nil, nil, err
			}
			d := time.Since(t)
			if noDetect {
				r0 = r
				if i > 0 {
					dw = append(dw, d)
				}
			} else {
				r1 = r
				if i > 0 {
					dd = append(dd, d)
				}
			}
		}
	}
	slices.Sort(dw)
	slices.Sort(dd)
	return [2]time.Duration{dw[0], dw[len(dw)/2]}, [2]time.Duration{dd[0], dd[len(dd)/2]}, r0, r1, nil
}

// loadAvg returns the 1-minute load average on Linux, or "unknown".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// largestAPK returns the largest readable *.apk in dir, or "".
func largestAPK(dir string) string {
	paths, _ := filepath.Glob(filepath.Join(dir, "*.apk"))
	best, size := "", int64(0)
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.Size() > size {
			if r, err := inspect.Scan(context.Background(), p, inspect.Options{NoDetect: true}); err == nil && r.Dex.Classes > 0 {
				best, size = p, fi.Size()
			}
		}
	}
	return best
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func numCPU() int { return runtime.NumCPU() }
