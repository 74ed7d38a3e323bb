package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/appinspect/appinspect/app"
)

func init() {
	register(command{name: "verify", summary: "check the audit chain, evidence files and signed anchor (or --doc FILE, --head SEQ:HASH); exit 2 when tampered",
		usage: "verify [--json] [--doc FILE] [--head SEQ:HASH]", run: runVerify})
}

func runVerify(ctx context.Context, env *Env, args []string) int {
	c := command{name: "verify", summary: "Check the audit hash chain, every audited row against the log, every evidence file's hash, and\nthe chain against the signed anchor file kept outside the database; --doc checks a generated\ndocument against its .sig; --head checks a chain head printed on a document.\nExit status 2 when anything was tampered with, naming exactly what.",
		usage: "verify [--json] [--doc FILE] [--head SEQ:HASH]"}
	fs := c.flags(env)
	jsonOut := fs.Bool("json", false, "print JSON")
	doc := fs.String("doc", "", "check a generated document (PDF/XLSX) against its detached signature FILE.sig")
	head := fs.String("head", "", "check a chain head printed in a document footer (SEQ:HASH) against the database")
	return withService(env, fs, args, 0, func(s *app.Service, _ []string) int {
		if *doc != "" {
			chk, err := s.VerifyDocument(ctx, *doc)
			if err != nil {
				return Fail(env.IO, err)
			}
			if *jsonOut {
				writeJSON(env.Out, chk)
			} else {
				writeDocCheck(env.Out, chk)
			}
			if !chk.OK() {
				return ExitPartial
			}
			return ExitOK
		}
		if *head != "" {
			err := s.CheckHead(ctx, *head)
			switch {
			case errors.Is(err, app.ErrHeadMismatch):
				fmt.Fprintf(env.Out, "MISMATCH %s\n", strings.TrimPrefix(err.Error(), "cases/sqlite: "))
				return ExitPartial
			case err != nil:
				return Fail(env.IO, err)
			}
			fmt.Fprintf(env.Out, "ok: the database holds audit entry %s as printed (the document was made from this record)\n", *head)
			return ExitOK
		}
		rep, err := s.VerifyStore(ctx)
		if err != nil {
			return Fail(env.IO, err)
		}
		if *jsonOut {
			writeJSON(env.Out, rep.JSON())
		} else {
			writeVerify(env.Out, s.DBPath(), rep)
		}
		if !rep.OK() {
			return ExitPartial
		}
		return ExitOK
	})
}

func writeVerify(w io.Writer, db string, r *app.StoreCheck) {
	fmt.Fprintf(w, "%s: %d audit entries, %d rows, %d evidence files checked; integrity %s\n", db, r.AuditEntries, r.RowsChecked, r.FilesChecked, r.IntegrityText)
	if r.Head.Seq > 0 {
		fmt.Fprintf(w, "chain head %s (entry %d)\n", r.Head.Short(), r.Head.Seq)
	}
	if r.Anchor.Present {
		fmt.Fprintf(w, "anchor file %s: %d lines, last anchored entry %d", r.Anchor.File, r.Anchor.Lines, r.Anchor.LastSeq)
		if !r.Anchor.LastAt.IsZero() {
			fmt.Fprintf(w, " at %s", r.Anchor.LastAt.Format(time.RFC3339))
		}
		fmt.Fprintln(w)
		if r.Anchor.Torn {
			fmt.Fprintln(w, "  it holds an incomplete line (an append cut short by a crash), ignored")
		}
	}
	fmt.Fprintf(w, "signing key %s\n", r.KeyFingerprint)
	for _, k := range r.PreviousKeys {
		fmt.Fprintf(w, "previous key %s (replaced %s: its private key was missing — a restored backup, or the key lost or deleted)\n", k.Fingerprint, k.Added.Format(time.RFC3339))
	}
	for _, p := range r.Chain {
		fmt.Fprintf(w, "TAMPERED audit entry %d: %s (expected %s, found %s)\n", p.ID, p.Problem, p.Expected, p.Actual)
	}
	for _, p := range r.Rows {
		fmt.Fprintf(w, "TAMPERED %s %s: %s (audit entry %d; expected %s, found %s)\n", p.Table, p.Key, p.Problem, p.AuditID, p.Expected, p.Actual)
	}
	for _, p := range r.Evidence {
		fmt.Fprintf(w, "TAMPERED evidence %s at %s: %s %s\n", p.SHA256, p.Path, p.Problem, p.Actual)
	}
	for _, p := range r.Anchor.Problems {
		at := ""
		if p.Line > 0 {
			at = fmt.Sprintf(" (anchor line %d, entry %d", p.Line, p.Seq)
			if p.Expected != "" {
				at += "; anchored " + p.Expected
			}
			if p.Actual != "" {
				at += "; found " + p.Actual
			}
			at += ")"
		}
		fmt.Fprintf(w, "TAMPERED anchor: %s: %s%s\n", p.Problem, app.AnchorMeaning(p.Problem), at)
	}
	if n := len(r.Unreferenced); n > 0 {
		fmt.Fprintf(w, "TAMPERED %d evidence files in the data directory are not named by any record (rows deleted, the database rolled back or replaced — or left by an import that failed in an AppInspect before this check existed), e.g. %s\n", n, r.Unreferenced[0])
	}
	if r.OK() {
		fmt.Fprintf(w, "ok: the database matches its audit chain, the evidence files and the signed anchor (up to entry %d)\n", r.Anchor.LastSeq)
	}
	fmt.Fprintln(w, "This check cannot prove:")
	for _, l := range r.Limits() {
		fmt.Fprintf(w, "  - %s\n", l)
	}
}

func writeDocCheck(w io.Writer, c *app.DocumentCheck) {
	d := c.Signature
	fmt.Fprintf(w, "%s: %s of case %s, signed %s by %s with key %s (%s)\n", c.File, d.Kind, d.CaseNumber, d.SignedAt.Format(time.RFC3339), d.Signer, d.KeyFingerprint, c.Key)
	fmt.Fprintf(w, "  sha256 %s, chain head %s\n", d.SHA256, d.ChainHead.Short())
	for _, p := range c.Problems {
		fmt.Fprintf(w, "PROBLEM %s\n", p)
	}
	if c.OK() {
		if c.HeadChecked {
			fmt.Fprintln(w, "ok: the document is as signed, by this workstation, and the case database still holds the record it was made from")
		} else {
			fmt.Fprintln(w, "ok: the document is as signed, by a trusted key (its chain head belongs to the signer's database and was not checked here)")
		}
	}
}
