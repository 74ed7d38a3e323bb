package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// The apks-sdk truth set (../shared/fixtures/apks-sdk/truth.json): real
// APKs with the SDKs proved by class names, native libraries and
// components, and the app's own namespaces.

// truthAPK is one APK of truth.json.
type truthAPK struct {
	Package       string     `json:"package"`
	AppNamespaces []string   `json:"app_namespaces"`
	SDKs          []truthSDK `json:"sdks"`
	// Group is the product family of an -npm truth entry: the held-out
	// split keeps a family on one side (see splitGroups).
	Group string `json:"group,omitempty"`
}

type truthSDK struct {
	Vendor      string `json:"vendor"`
	Name        string `json:"name"`
	CalledByApp *bool  `json:"called_by_app"`
	Proof       struct {
		Packages   []string `json:"packages"`
		Classes    []string `json:"classes"`
		NativeLibs []string `json:"native_libs"`
		Components []string `json:"components"`
	} `json:"proof"`
}

// heldOutCount APKs are held out from tuning: the ones whose file name has
// the smallest SHA-256 (hex). The rule was fixed before any result on the
// set was looked at; their errors are never printed unless -show-held-out.
const heldOutCount = 5

// split returns the file names of the tuning and held-out sets.
func split(names []string) (tune, held []string) {
	type h struct{ name, sum string }
	var hs []h
	for _, n := range names {
		s := sha256.Sum256([]byte(n))
		hs = append(hs, h{n, hex.EncodeToString(s[:])})
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].sum < hs[j].sum })
	for i, x := range hs {
		if i < heldOutCount {
			held = append(held, x.name)
		} else {
			tune = append(tune, x.name)
		}
	}
	sort.Strings(tune)
	sort.Strings(held)
	return tune, held
}

// truthScore accumulates the figures of one set.
type truthScore struct {
	apks, truthSDKs, recalled, present, precise, stringOnly              int
	thirdSites, thirdAsApp, thirdAsOther, appSites, appAsSDK, appAsThird int
	usedKnown, usedRight                                                 int
	scanWith, scanWithout                                                time.Duration
	errors                                                               []string
}

// sdkMatches reports whether a detection carries the truth SDK's proof: a
// class prefix related to one of its packages or classes, one of its
// native libraries or one of its components.
func sdkMatches(t truthSDK, s inspect.SDK) bool {
	under := func(a, b string) bool { // a equals b or is inside it
		return a == b || strings.HasPrefix(a, b+".") || strings.HasPrefix(a, b+"$")
	}
	var pkgs []string
	for _, p := range t.Proof.Packages {
		pkgs = append(pkgs, strings.Fields(p)[0])
	}
	pkgs = append(pkgs, t.Proof.Classes...)
	libs := map[string]bool{}
	for _, l := range t.Proof.NativeLibs {
		libs[path.Base(l)] = true
	}
	for _, ev := range s.Evidence {
		switch ev.Kind {
		case sdk.KindClass:
			for _, p := range pkgs {
				if under(p, ev.Value) || under(ev.Value, p) {
					return true
				}
			}
		case sdk.KindNativeLib:
			if libs[ev.Value] {
				return true
			}
			for _, x := range ev.Examples {
				if libs[x] {
					return true
				}
			}
		case sdk.KindComponent:
			if slices.Contains(t.Proof.Components, ev.Value) {
				return true
			}
		}
	}
	return false
}

// scoreAPK scans one APK and adds its figures; errors are collected.
func (sc *truthScore) scoreAPK(file string, t truthAPK, det *inspect.Detector) error {
	start := time.Now()
	r, err := inspect.Scan(context.Background(), file, inspect.Options{Detector: det, MaxCallers: 1 << 20})
	sc.scanWith += time.Since(start)
	if err != nil {
		return err
	}
	start = time.Now()
	if _, err := inspect.Scan(context.Background(), file, inspect.Options{NoDetect: true}); err != nil {
		return err
	}
	sc.scanWithout += time.Since(start)
	name := filepath.Base(file)
	sc.apks++
	sc.truthSDKs += len(t.SDKs)
	for _, ts := range t.SDKs {
		if i := slices.IndexFunc(r.SDKs, func(s inspect.SDK) bool { return sdkMatches(ts, s) }); i >= 0 {
			sc.recalled++
			if ts.CalledByApp != nil && len(r.SDKs[i].Evidence) > 0 {
				sc.usedKnown++
				if r.SDKs[i].Used == *ts.CalledByApp {
					sc.usedRight++
				} else {
					sc.errors = append(sc.errors, fmt.Sprintf("%s: %s used=%v, truth called_by_app=%v", name, r.SDKs[i].ID, r.SDKs[i].Used, *ts.CalledByApp))
				}
			}
		} else {
			sc.errors = append(sc.errors, fmt.Sprintf("%s: missed %s %s", name, ts.Vendor, ts.Name))
		}
	}
	if !slices.Equal(r.AppNamespaces, t.AppNamespaces) {
		sc.errors = append(sc.errors, fmt.Sprintf("%s: app namespaces %v (truth %v)", name, r.AppNamespaces, t.AppNamespaces))
	}
	for _, s := range r.SDKs {
		if !privacySDK(s) {
			continue
		}
		sc.present++
		if slices.ContainsFunc(t.SDKs, func(ts truthSDK) bool { return sdkMatches(ts, s) }) {
			sc.precise++
		} else {
			sc.errors = append(sc.errors, fmt.Sprintf("%s: false SDK %s (%s)", name, s.ID, evidenceLine(s)))
		}
		if !slices.ContainsFunc(s.Evidence, func(e sdk.Evidence) bool {
			return e.Kind == sdk.KindClass || e.Kind == sdk.KindComponent || e.Kind == sdk.KindNativeLib
		}) {
			sc.stringOnly++
		}
	}
	inApp := func(c string) bool {
		return slices.ContainsFunc(t.AppNamespaces, func(ns string) bool { return strings.HasPrefix(c, ns+".") })
	}
	seen := map[string]bool{}
	for _, a := range r.APIs {
		for _, c := range a.Callers {
			k := a.ID + " " + c.Class + "." + c.Method
			if seen[k] {
				continue
			}
			seen[k] = true
			if inApp(c.Class) {
				sc.appSites++
				switch c.OwnerKind {
				case inspect.OwnerKindSDK:
					sc.appAsSDK++
					sc.errors = append(sc.errors, fmt.Sprintf("%s: app site %s.%s given to SDK %s", name, c.Class, c.Method, c.Owner))
				case inspect.OwnerKindThirdParty:
					sc.appAsThird++
					sc.errors = append(sc.errors, fmt.Sprintf("%s: app site %s.%s given to unidentified third party %s", name, c.Class, c.Method, c.Owner))
				}
				continue
			}
			sc.thirdSites++
			if c.OwnerKind == inspect.OwnerKindApp {
				sc.thirdAsApp++
				sc.errors = append(sc.errors, fmt.Sprintf("%s: third-party site %s.%s (%s) given to the app", name, c.Class, c.Method, a.ID))
			} else if c.OwnerKind == inspect.OwnerKindThirdParty {
				sc.thirdAsOther++
				sc.errors = append(sc.errors, fmt.Sprintf("%s: third-party site %s.%s left to unidentified third party %s", name, c.Class, c.Method, c.Owner))
			}
		}
	}
	return nil
}

// privacyCategories are the catalog categories of SDKs that process
// personal information (the list cases/rules uses for 涉及主体 and
// candidates); utility, UI, image, network and platform libraries are not
// scored, the truth set does not list them.
var privacyCategories = map[string]bool{
	"push": true, "analytics": true, "crash": true, "ads": true, "maps": true, "location": true, "social": true,
	"payment": true, "login": true, "oaid": true, "security": true, "im": true, "rtc": true, "identity": true,
	"voice": true, "ai": true, "cloud": true, "customer_service": true,
}

func privacySDK(s inspect.SDK) bool {
	for _, p := range []string{"jetpack-", "android-support", "support-library", "androidx", "kotlin"} {
		if strings.HasPrefix(s.ID, p) {
			return false
		}
	}
	return privacyCategories[s.Category]
}

func evidenceLine(s inspect.SDK) string {
	var out []string
	for _, e := range s.Evidence {
		out = append(out, e.Kind+":"+e.Value)
	}
	if len(out) > 3 {
		out = append(out[:3], "…")
	}
	return strings.Join(out, ", ")
}

// truthRun scores the truth set in dir: the tuning and held-out figures,
// and the errors of the tuning set only (of both with showHeld).
func truthRun(w io.Writer, dir string, det *inspect.Detector, showHeld bool) error {
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		if os.IsNotExist(err) {
			fmt.Fprintf(w, "## SDKs and call-site ownership on real APKs\n\n%s has no truth.json; skipped.\n\n", dir)
			return nil
		}
		return err
	}
	var truth map[string]truthAPK
	if err := json.Unmarshal(b, &truth); err != nil {
		return fmt.Errorf("%s: decode truth.json: %w", dir, err)
	}
	var names []string
	for n := range truth {
		names = append(names, n)
	}
	tune, held := split(names)
	fmt.Fprintf(w, "## SDKs and call-site ownership on real APKs (%s)\n\n", dir)
	fmt.Fprintf(w, "%d APKs with truth.json. Held out from tuning (the %d file names with the smallest SHA-256): %s.\n\n",
		len(names), heldOutCount, strings.Join(held, ", "))
	return scoreSets(w, tune, held, truth, det, showHeld, func(n string) (string, error) { return filepath.Join(dir, n), nil })
}

// scoreSets scores the tuning and held-out sets and writes the table and
// the errors (of the held-out set only with showHeld); file gives the APK
// to scan for a truth key.
func scoreSets(w io.Writer, tune, held []string, truth map[string]truthAPK, det *inspect.Detector, showHeld bool, file func(string) (string, error)) error {
	fmt.Fprintln(w, "| set | APKs | truth SDKs | recalled | reported present | correct | recall | precision | present from strings/hosts only | third-party call sites | … given to the app | … to unidentified third party | app call sites | … given to an SDK | … to third party | `used` agrees with called_by_app | scan time with / without detection |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, set := range []struct {
		name  string
		files []string
		show  bool
	}{{"tuning", tune, true}, {"held out", held, showHeld}} {
		if len(set.files) == 0 {
			continue
		}
		sc := &truthScore{}
		for _, n := range set.files {
			f, err := file(n)
			if err == nil {
				err = sc.scoreAPK(f, truth[n], det)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %s | %s | %d | %d | %d (%s) | %d | %d | %d | %d | %d/%d | %s / %s (%+.0f%%) |\n",
			set.name, sc.apks, sc.truthSDKs, sc.recalled, sc.present, sc.precise,
			ratio(sc.recalled, sc.truthSDKs), ratio(sc.precise, sc.present), sc.stringOnly,
			sc.thirdSites, sc.thirdAsApp, pctOf(sc.thirdAsApp, sc.thirdSites), sc.thirdAsOther,
			sc.appSites, sc.appAsSDK, sc.appAsThird, sc.usedRight, sc.usedKnown, ms(sc.scanWith), ms(sc.scanWithout),
			100*(float64(sc.scanWith)-float64(sc.scanWithout))/float64(max(sc.scanWithout, 1)))
		defer func(set string, show bool, errs []string) {
			if !show || len(errs) == 0 {
				return
			}
			fmt.Fprintf(w, "\nErrors on the %s set:\n\n", set)
			for _, e := range errs {
				fmt.Fprintf(w, "- %s\n", e)
			}
		}(set.name, set.show, sc.errors)
	}
	fmt.Fprintln(w)
	return nil
}

func ratio(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}

func pctOf(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}
