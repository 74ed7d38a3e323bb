package policy

// Bounding the PDF reader. github.com/ledongthuc/pdf follows references
// without cycle checks (a page tree whose /Kids holds itself, a page whose
// /Parent is itself, an xref /Prev chain that loops: each hangs it forever),
// inflates content streams without a limit (16 KB of deflated `q`
// operators are gigabytes of graphics states) and can overflow the stack,
// which no recover catches. So:
//
//   - fromPDF walks the page tree itself, with limits on depth, on nodes and
//     on /Parent chains, and checks each page's content streams (size, `q`
//     nesting) and fonts' ToUnicode maps (size) before the library reads
//     them; a pre-pass follows the xref /Prev chain and refuses a loop;
//   - and the whole reading runs in a child process (the running executable
//     re-executed with APPINSPECT_PDF_WORKER set, see init) with a time
//     limit, a CPU-time limit and a resident-memory limit the parent
//     watches, killed with its process group when it exceeds them. A bad PDF then costs at most
//     PDFTimeout and PDFMemory, and becomes an error of this document only.
//
// When the executable cannot be re-executed the reading runs in-process,
// with the same structural guards.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/appinspect/appinspect/inspect/internal/proctree"
)

// Limits of the PDF reader.
var (
	// PDFTimeout bounds the wall time of reading one PDF.
	PDFTimeout = 20 * time.Second
	// PDFMemory bounds the resident memory of the reading process.
	PDFMemory int64 = 1 << 30
)

const (
	pdfWorkerEnv   = "APPINSPECT_PDF_WORKER"
	pdfWorkerMagic = "appinspect-pdf-v1"
	// maxPDFTreeDepth bounds the page tree's depth and /Parent chains.
	maxPDFTreeDepth = 64
	// maxPDFTreeNodes bounds the page tree nodes visited.
	maxPDFTreeNodes = 100_000
	// maxPDFContent bounds the inflated content streams of one page.
	maxPDFContent = 8 << 20
	// maxPDFNesting bounds the nesting of q (save graphics state).
	maxPDFNesting = 1000
	// maxPDFCMap bounds a font's inflated ToUnicode map.
	maxPDFCMap = 1 << 20
	// maxPDFXrefs bounds the xref sections of the /Prev chain.
	maxPDFXrefs = 10_000
)

// pdfInProcess forces in-process reading (tests of the guards).
var pdfInProcess = false

func init() {
	if os.Getenv(pdfWorkerEnv) == pdfWorkerMagic {
		os.Exit(pdfWorker(os.Stdin, os.Stdout))
	}
}

// pdfReply is the worker's answer.
type pdfReply struct {
	Paras []string `json:"paras"`
	Kind  string   `json:"kind,omitempty"` // "malformed", "notext", "toolarge" when Err is set
	Err   string   `json:"err,omitempty"`
}

// pdfWorker reads a PDF from in and writes a pdfReply to out.
func pdfWorker(in io.Reader, out io.Writer) int {
	limitCPU(PDFTimeout)
	debug.SetMemoryLimit(PDFMemory / 2)
	b, err := io.ReadAll(io.LimitReader(in, MaxInputBytes+1))
	var rep pdfReply
	if err == nil {
		var bld *builder
		bld, err = readPDF(b)
		if err == nil {
			text := []rune(bld.sb.String())
			for _, bl := range bld.blocks {
				rep.Paras = append(rep.Paras, string(text[bl.start:bl.end]))
			}
		}
	}
	if err != nil {
		rep.Err = err.Error()
		switch {
		case errors.Is(err, ErrNoText):
			rep.Kind = "notext"
		case errors.Is(err, ErrTooLarge):
			rep.Kind = "toolarge"
		default:
			rep.Kind = "malformed"
		}
	}
	if json.NewEncoder(out).Encode(rep) != nil {
		return 1
	}
	return 0
}

// fromPDF reads the text layer of a PDF in a bounded child process (see the
// top of this file), or in-process when that is not possible.
func fromPDF(b []byte) (*builder, error) {
	if err := checkXrefChain(b); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if pdfInProcess || err != nil {
		return readPDF(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), PDFTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), pdfWorkerEnv+"="+pdfWorkerMagic)
	cmd.Stdin = bytes.NewReader(b)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &limitedBuffer{buf: &stdout, max: 2*MaxTextRunes*4 + 1<<20}
	cmd.Stderr = &limitedBuffer{buf: &stderr, max: 64 << 10}
	proctree.Setup(cmd)
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		return readPDF(b)
	}
	// The Go runtime does not run under an address-space limit of the size
	// we want, so the parent watches the child's resident set instead.
	overMem := make(chan bool, 1)
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				overMem <- false
				return
			case <-t.C:
				if proctree.RSS(cmd.Process.Pid) > PDFMemory {
					proctree.Kill(cmd)
					overMem <- true
					return
				}
			}
		}
	}()
	werr := cmd.Wait()
	close(stop)
	if <-overMem {
		return nil, fmt.Errorf("pdf: reading needed more than %d MiB of memory (stopped): %w", PDFMemory>>20, ErrTooLarge)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("pdf: reading took longer than %s (stopped): %w", PDFTimeout, ErrMalformed)
	}
	var rep pdfReply
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		msg := firstLineOf(stderr.String())
		if werr != nil {
			return nil, fmt.Errorf("pdf: reader stopped (%v; limits %s, %d MiB)%s: %w", werr, PDFTimeout, PDFMemory>>20, msg, ErrMalformed)
		}
		return nil, fmt.Errorf("pdf: reader answer unreadable: %v: %w", err, ErrMalformed)
	}
	if rep.Err != "" {
		sentinel := ErrMalformed
		switch rep.Kind {
		case "notext":
			sentinel = ErrNoText
		case "toolarge":
			sentinel = ErrTooLarge
		}
		return nil, fmt.Errorf("%s%w", rep.Err, errorKind{sentinel})
	}
	bld := &builder{}
	for _, p := range rep.Paras {
		bld.para(p)
	}
	return bld, bld.err
}

// errorKind carries a sentinel without repeating its text (the worker's
// message already contains it).
type errorKind struct{ err error }

func (e errorKind) Error() string { return "" }
func (e errorKind) Unwrap() error { return e.err }

func firstLineOf(s string) string {
	if s == "" {
		return ""
	}
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		s = s[:i]
	}
	return ": " + s
}

// limitedBuffer keeps at most max bytes and drops the rest.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

var (
	startxrefRe = regexp.MustCompile(`startxref\s+(\d+)`)
	prevRe      = regexp.MustCompile(`/Prev\s+(\d+)`)
	trailerRe   = regexp.MustCompile(`trailer\s*<<`)
)

// checkXrefChain follows the chain of cross-reference sections from the
// last startxref through /Prev, as the PDF library does, and refuses a
// chain that loops (the library would follow it forever) or is implausibly
// long. Sections it cannot make out end the pre-pass; the library then
// reports them.
func checkXrefChain(b []byte) error {
	m := startxrefRe.FindAllSubmatchIndex(b, -1)
	if m == nil {
		return nil
	}
	last := m[len(m)-1]
	off, err := strconv.ParseInt(string(b[last[2]:last[3]]), 10, 64)
	if err != nil {
		return nil
	}
	seen := map[int64]bool{}
	for range maxPDFXrefs {
		if off <= 0 || off >= int64(len(b)) {
			return nil
		}
		if seen[off] {
			return fmt.Errorf("pdf: cross-reference /Prev chain loops back to offset %d: %w", off, ErrMalformed)
		}
		seen[off] = true
		sec := b[off:]
		// The section's dictionary: the trailer after an xref table, or
		// the xref stream's own dictionary (up to "stream").
		var dict []byte
		if bytes.HasPrefix(bytes.TrimLeft(sec, " \t\r\n"), []byte("xref")) {
			loc := trailerRe.FindIndex(sec)
			if loc == nil {
				return nil
			}
			dict = sec[loc[0]:]
			if e := bytes.Index(dict, []byte("startxref")); e >= 0 {
				dict = dict[:e]
			}
		} else {
			e := bytes.Index(sec, []byte("stream"))
			if e < 0 {
				return nil
			}
			dict = sec[:e]
		}
		pm := prevRe.FindSubmatch(dict)
		if pm == nil {
			return nil
		}
		if off, err = strconv.ParseInt(string(pm[1]), 10, 64); err != nil {
			return nil
		}
	}
	return fmt.Errorf("pdf: more than %d cross-reference sections: %w", maxPDFXrefs, ErrTooLarge)
}

// pdfPages lists the pages of the document by walking the page tree, with
// limits on depth and on nodes (a /Kids array holding its own node would
// otherwise recurse forever).
func pdfPages(r *pdf.Reader, max int) ([]pdf.Page, error) {
	var pages []pdf.Page
	nodes := 0
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		if depth > maxPDFTreeDepth {
			return fmt.Errorf("pdf: page tree deeper than %d (a cycle?): %w", maxPDFTreeDepth, ErrMalformed)
		}
		if nodes++; nodes > maxPDFTreeNodes {
			return fmt.Errorf("pdf: page tree of more than %d nodes: %w", maxPDFTreeNodes, ErrTooLarge)
		}
		switch v.Key("Type").Name() {
		case "Page":
			if len(pages) < max {
				pages = append(pages, pdf.Page{V: v})
			}
			return nil
		case "Pages":
			kids := v.Key("Kids")
			for i := 0; i < kids.Len() && len(pages) < max; i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(r.Trailer().Key("Root").Key("Pages"), 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// checkPage refuses a page whose /Parent chain does not end (the library
// follows it for inherited resources), whose content streams inflate beyond
// maxPDFContent or nest q beyond maxPDFNesting, or whose fonts carry a
// ToUnicode map beyond maxPDFCMap.
func checkPage(p pdf.Page, num int) error {
	depth := 0
	for v := p.V; !v.IsNull(); v = v.Key("Parent") {
		if depth++; depth > maxPDFTreeDepth {
			return fmt.Errorf("pdf: page %d: /Parent chain longer than %d (a cycle?): %w", num, maxPDFTreeDepth, ErrMalformed)
		}
	}
	c := p.V.Key("Contents")
	var streams []pdf.Value
	if c.Kind() == pdf.Array {
		for i := 0; i < c.Len() && i < 10_000; i++ {
			streams = append(streams, c.Index(i))
		}
	} else {
		streams = append(streams, c)
	}
	total, nest := 0, 0
	buf := make([]byte, 32<<10)
	prev := byte(' ')
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		rd := s.Reader()
		for {
			n, err := rd.Read(buf)
			total += n
			if total > maxPDFContent {
				rd.Close()
				return fmt.Errorf("pdf: page %d: content streams inflate beyond %d bytes: %w", num, maxPDFContent, ErrTooLarge)
			}
			// Count q/Q operators: a lone letter between delimiters.
			for i := range n {
				ch := buf[i]
				if isPDFDelim(prev) && (ch == 'q' || ch == 'Q') {
					var next byte = ' '
					if i+1 < n {
						next = buf[i+1]
					}
					if isPDFDelim(next) {
						if ch == 'q' {
							nest++
						} else if nest > 0 {
							nest--
						}
						if nest > maxPDFNesting {
							rd.Close()
							return fmt.Errorf("pdf: page %d: graphics states nested deeper than %d: %w", num, maxPDFNesting, ErrTooLarge)
						}
					}
				}
				prev = ch
			}
			if err != nil {
				break
			}
		}
		rd.Close()
	}
	for _, name := range p.Fonts() {
		tu := p.Font(name).V.Key("ToUnicode")
		if tu.Kind() != pdf.Stream {
			continue
		}
		rd := tu.Reader()
		n, _ := io.Copy(io.Discard, io.LimitReader(rd, maxPDFCMap+1))
		rd.Close()
		if n > maxPDFCMap {
			return fmt.Errorf("pdf: page %d: font %s: ToUnicode map beyond %d bytes: %w", num, name, maxPDFCMap, ErrTooLarge)
		}
	}
	return nil
}

func isPDFDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
