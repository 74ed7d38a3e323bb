// Command policyeval measures the privacy-policy extractor against the
// annotated corpora in the shared fixtures and prints per-document and
// per-class precision, recall and F1.
//
//	go run ./inspect/policy/cmd/policyeval [-shared DIR] [-v]
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/appinspect/appinspect/inspect/policy/internal/evalfix"
)

func main() {
	shared := flag.String("shared", "", "the shared directory (default: ../shared or /work/shared)")
	verbose := flag.Bool("v", false, "list missed and wrong spans")
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
	appch, err := evalfix.APPCH(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "policyeval:", err)
		os.Exit(1)
	}
	data, sdk, err := evalfix.CA4P(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "policyeval:", err)
		os.Exit(1)
	}
	lists, err := evalfix.SDKLists(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "policyeval:", err)
		os.Exit(1)
	}
	for _, r := range []*evalfix.Report{appch, data, sdk, lists} {
		print(r, *verbose)
	}
}

func print(r *evalfix.Report, verbose bool) {
	fmt.Printf("\n== %s\n", r.Corpus)
	fmt.Printf("%-34s %6s %6s %6s %6s %6s\n", "document", "pred", "gold", "P", "R", "F1")
	for _, d := range r.Docs {
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
	if p := r.Practice; p.Pred > 0 {
		fmt.Printf("%-34s %6d %6d %6.3f %6.3f %6.3f (predictions in annotated practice sentences)\n", "ALL/practice", p.Pred, p.Gold, p.P(), p.R(), p.F1())
		if verbose {
			fmt.Printf("   wrong: %v\n", r.PracticeWrong)
		}
	}
	if p := r.Declared; p.Pred > 0 {
		fmt.Printf("%-34s %6d %6d %6.3f %6.3f %6.3f (predictions the extractor marks as declared practice)\n", "ALL/declared", p.Pred, p.Gold, p.P(), p.R(), p.F1())
	}
}
