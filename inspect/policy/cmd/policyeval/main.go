// Command policyeval measures the privacy-policy extractor against the
// annotated corpora in the shared fixtures and prints per-document and
// per-class precision, recall and F1.
//
//	go run ./inspect/policy/cmd/policyeval [-shared DIR] [-v] [-dev] [-audit FILE] [-sample N]
//
// Every corpus is split into a development part and a held-out part
// (evalfix.Split: the third of the documents with the smallest FNV-1a hash
// of their name). Both are scored; -v lists the errors of the development
// part only, so that tuning never reads a held-out error, and the held-out
// figures are the ones that stand for unseen policies.
//
// -sample N writes a seeded random sample of N declared data-type
// predictions that match no CA4P gold span, as JSON lines with their
// sentence, for a blind audit; -audit FILE reads the verdicts
// (evalfix.Verdict lines) and prints the precision they imply.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"

	"github.com/appinspect/appinspect/inspect/policy/internal/evalfix"
)

func main() {
	shared := flag.String("shared", "", "the shared directory (default: ../shared or /work/shared)")
	verbose := flag.Bool("v", false, "list missed and wrong spans (of the development part)")
	devOnly := flag.Bool("dev", false, "score the development part only (while tuning: not even the held-out figures)")
	audit := flag.String("audit", "", "JSON-lines verdicts of a blind audit (default: the recorded audit, evalfix/testdata/ca4p-audit.jsonl)")
	sample := flag.Int("sample", 0, "write a random sample of `N` unmatched data-type predictions (JSON lines) and exit")
	seed := flag.Int64("seed", 1, "seed for -sample")
	exclude := flag.String("exclude", "", "with -sample: leave out the predictions judged in this verdicts `FILE` (an earlier audit)")
	flag.Parse()
	cands := []string{"../shared", "/work/shared", "../../../shared", "../../../../shared"}
	if *shared != "" {
		cands = []string{*shared}
	}
	dir := evalfix.Dir(cands...)
	if dir == "" {
		fmt.Println("policyeval: shared fixtures not found; skipping")
		return
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "policyeval:", err)
		os.Exit(1)
	}
	data, _, err := evalfix.CA4P(dir, evalfix.All)
	if err != nil {
		fail(err)
	}
	if *sample > 0 {
		// N unmatched and N/4 matched predictions (the judge's calibration),
		// shuffled together
		rng := rand.New(rand.NewPCG(uint64(*seed), 0))
		pick := func(ps []evalfix.Pred, n int) []evalfix.Pred {
			ps = append([]evalfix.Pred(nil), ps...)
			rng.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
			return ps[:min(n, len(ps))]
		}
		if *exclude != "" {
			f, err := os.Open(*exclude)
			if err != nil {
				fmt.Fprintln(os.Stderr, "policyeval:", err)
				os.Exit(1)
			}
			vs, err := evalfix.ParseVerdicts(f)
			f.Close()
			if err != nil {
				fmt.Fprintln(os.Stderr, "policyeval:", err)
				os.Exit(1)
			}
			seen := map[string]bool{}
			for _, v := range vs {
				seen[v.Key()] = true
			}
			keep := func(ps []evalfix.Pred) []evalfix.Pred {
				var out []evalfix.Pred
				for _, p := range ps {
					if !seen[p.Key()] {
						out = append(out, p)
					}
				}
				return out
			}
			data.Unmatched, data.Matched = keep(data.Unmatched), keep(data.Matched)
		}
		out := append(pick(data.Unmatched, *sample), pick(data.Matched, *sample/4)...)
		rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		enc := json.NewEncoder(os.Stdout)
		enc.SetEscapeHTML(false)
		for _, p := range out {
			_ = enc.Encode(p)
		}
		return
	}
	type row struct {
		label    string
		dev, out float64
		n        [2]int
	}
	var summary []row
	parts := []evalfix.Part{evalfix.Dev, evalfix.HeldOut}
	if *devOnly {
		parts = parts[:1]
	}
	for _, part := range parts {
		appch, err := evalfix.APPCH(dir, part)
		if err != nil {
			fail(err)
		}
		pdata, psdk, err := evalfix.CA4P(dir, part)
		if err != nil {
			fail(err)
		}
		lists, err := evalfix.SDKLists(dir, part)
		if err != nil {
			fail(err)
		}
		// held-out errors are never listed, nor its documents one by one
		v := *verbose && part == evalfix.Dev
		for _, r := range []*evalfix.Report{appch, pdata, psdk, lists} {
			print(r, v, part == evalfix.Dev)
		}
		vals := []struct {
			label string
			v     float64
			n     int
		}{
			{"APPCH permission groups P", appch.Total.P(), len(appch.Docs)},
			{"APPCH permission groups R", appch.Total.R(), len(appch.Docs)},
			{"CA4P non-generic data-span R", pdata.Annotated.R(), len(pdata.Docs)},
			{"  … counting negated mentions as found", float64(pdata.Annotated.GoldFound+pdata.NegatedFound) / float64(max(pdata.Annotated.Gold, 1)), len(pdata.Docs)},
			{"CA4P data P, annotated sentences", pdata.Annotated.P(), len(pdata.Docs)},
			{"CA4P data P, whole segments (lower bound)", pdata.Declared.P(), len(pdata.Docs)},
			{"CA4P SDK names R", psdk.Total.R(), len(psdk.Docs)},
		}
		for i, x := range vals {
			if part == evalfix.Dev {
				summary = append(summary, row{label: x.label, dev: x.v, n: [2]int{x.n}})
			} else {
				summary[i].out, summary[i].n[1] = x.v, x.n
			}
		}
	}
	fmt.Printf("\n== summary (targets on unseen policies: CA4P non-generic R ≥ 0.85, annotated P ≥ 0.85; APPCH P, R ≥ 0.95)\n")
	fmt.Printf("%-42s %10s %10s\n", "", "dev", "held-out")
	for _, r := range summary {
		if *devOnly {
			fmt.Printf("%-42s %10.3f %10s   (%d documents)\n", r.label, r.dev, "-", r.n[0])
			continue
		}
		fmt.Printf("%-42s %10.3f %10.3f   (%d / %d documents)\n", r.label, r.dev, r.out, r.n[0], r.n[1])
	}
	if !*devOnly {
		src := "recorded audit"
		vs, err := evalfix.Verdicts()
		if *audit != "" {
			src = *audit
			var f *os.File
			if f, err = os.Open(*audit); err == nil {
				vs, err = evalfix.ParseVerdicts(f)
				f.Close()
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "policyeval:", err)
			os.Exit(1)
		}
		*audit = src
		a := evalfix.Audit(data, vs)
		d := data.Declared
		fmt.Printf("\n== blind audit of declared data-type predictions, all CA4P documents (%s, %d verdicts)\n", *audit, len(vs))
		fmt.Printf("calibration: %d predictions matching a CA4P span judged, %d (%.3f) judged declarations\n", a.CalJudged, a.CalAgree, float64(a.CalAgree)/float64(max(a.CalJudged, 1)))
		fmt.Printf("unmatched: %d of %d declared predictions match no CA4P span; %d judged, %d (%.3f) judged declarations\n",
			d.Pred-d.PredOK, d.Pred, a.Judged, a.Yes, float64(a.Yes)/float64(max(a.Judged, 1)))
		fmt.Printf("%-34s %6d %6d %6.3f (estimated: matched + unmatched × audited share; 95%% interval %.3f–%.3f)\n", "ALL/declared audited", d.Pred, d.Gold, a.Estimate, a.Low, a.High)
	}
}

func print(r *evalfix.Report, verbose, perDoc bool) {
	fmt.Printf("\n== %s — %s part, %d documents\n", r.Corpus, r.Part, len(r.Docs))
	fmt.Printf("%-34s %6s %6s %6s %6s %6s\n", "document", "pred", "gold", "P", "R", "F1")
	for _, d := range r.Docs {
		if !perDoc {
			break
		}
		c := d.Total
		fmt.Printf("%-34s %6d %6d %6.3f %6.3f %6.3f\n", d.Name, c.Pred, c.Gold, c.P(), c.R(), c.F1())
		if verbose {
			fmt.Printf("   missed: %v\n   wrong:  %v\n", d.Missed, d.Wrong)
		}
	}
	var ks []string
	for k := range r.Classes {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	fmt.Println("-- per class")
	for _, k := range ks {
		c := r.Classes[k]
		fmt.Printf("%-34s %6d %6d %6.3f %6.3f %6.3f\n", k, c.Pred, c.Gold, c.P(), c.R(), c.F1())
	}
	c := r.Total
	fmt.Printf("%-34s %6d %6d %6.3f %6.3f %6.3f (micro)\n", "ALL", c.Pred, c.Gold, c.P(), c.R(), c.F1())
	if p := r.Annotated; p.Pred > 0 {
		fmt.Printf("%-34s %6d %6d %6.3f %6.3f %6.3f (predictions in annotated sentences)\n", "ALL/annotated", p.Pred, p.Gold, p.P(), p.R(), p.F1())
		if verbose {
			for _, w := range r.AnnotatedWrong {
				fmt.Println("   wrong:", w)
			}
			for _, m := range r.AnnotatedMissed {
				fmt.Println("   missed:", m)
			}
		}
	}
	if p := r.Declared; p.Pred > 0 {
		fmt.Printf("%-34s %6d %6d %6.3f %6.3f %6.3f (predictions the extractor marks as declared practice)\n", "ALL/declared", p.Pred, p.Gold, p.P(), p.R(), p.F1())
	}
}
