package policy

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// buildPDF lays out objects (bodies without "n 0 obj") with a classic xref
// table; trailer is the trailer dictionary's content. prevSelf makes the
// trailer's /Prev point at its own xref table.
func buildPDF(objs []string, trailer string, prevSelf bool) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	if prevSelf {
		trailer += fmt.Sprintf(" /Prev %d", xref)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return b.Bytes()
}

func stream(data []byte, deflate bool) string {
	if deflate {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(data)
		w.Close()
		return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes())
	}
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data)
}

const font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

func hostilePDFs() map[string][]byte {
	text := []byte("BT /F1 12 Tf 72 700 Td (Privacy policy) Tj ET")
	page := func(parent string, content string) string {
		return "<< /Type /Page /Parent " + parent + " /Resources << /Font << /F1 5 0 R >> >> /Contents " + content + " >>"
	}
	return map[string][]byte{
		"kids_self": buildPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
			page("2 0 R", "4 0 R"), stream(text, false), font,
		}, "/Root 1 0 R", false),
		"parent_self": buildPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>", stream(text, false), font,
		}, "/Root 1 0 R", false),
		"prev_loop": buildPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			page("2 0 R", "4 0 R"), stream(text, false), font,
		}, "/Root 1 0 R", true),
		"q_bomb": buildPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			page("2 0 R", "4 0 R"), stream(bytes.Repeat([]byte("q "), 8<<20), true), font,
		}, "/Root 1 0 R", false),
		"q_nest": buildPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			page("2 0 R", "4 0 R"), stream(bytes.Repeat([]byte("q\n"), 8<<10), false), font,
		}, "/Root 1 0 R", false),
	}
}

func TestHostilePDFs(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns PDF reader processes")
	}
	for _, inProcess := range []bool{false, true} {
		for name, b := range hostilePDFs() {
			t.Run(fmt.Sprintf("%s/inprocess=%v", name, inProcess), func(t *testing.T) {
				old := pdfInProcess
				pdfInProcess = inProcess
				defer func() { pdfInProcess = old }()
				start := time.Now()
				done := make(chan error, 1)
				go func() {
					_, err := LoadBytes(name+".pdf", b, KindPDF)
					done <- err
				}()
				select {
				case err := <-done:
					if err == nil {
						t.Fatal("hostile PDF accepted")
					}
					if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
						t.Errorf("error %v is neither ErrMalformed nor ErrTooLarge", err)
					}
					if !strings.Contains(err.Error(), name+".pdf") {
						t.Errorf("error %q does not name the file", err)
					}
					t.Logf("%v after %s", err, time.Since(start).Round(time.Millisecond))
				case <-time.After(PDFTimeout + 10*time.Second):
					t.Fatalf("still reading after %s", PDFTimeout+10*time.Second)
				}
			})
		}
	}
}

// TestPDFWorkerReadsText: a plain PDF reads the same through the worker as
// in-process.
func TestPDFWorkerReadsText(t *testing.T) {
	b := buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream([]byte("BT /F1 12 Tf 72 700 Td (We collect your location.) Tj ET"), false), font,
	}, "/Root 1 0 R", false)
	var texts [2]string
	for i, inProcess := range []bool{false, true} {
		pdfInProcess = inProcess
		doc, err := LoadBytes("ok.pdf", b, KindPDF)
		pdfInProcess = false
		if err != nil {
			t.Fatalf("inprocess=%v: %v", inProcess, err)
		}
		texts[i] = doc.Text
	}
	if texts[0] != texts[1] || !strings.Contains(texts[0], "We collect your location.") {
		t.Errorf("worker %q, in-process %q", texts[0], texts[1])
	}
}

// TestPDFWorkerTimeout: a reader that runs out of time is stopped and the
// document fails with an error, not a hang.
func TestPDFWorkerTimeout(t *testing.T) {
	old := PDFTimeout
	PDFTimeout = time.Millisecond
	defer func() { PDFTimeout = old }()
	b := hostilePDFs()["q_nest"]
	_, err := LoadBytes("slow.pdf", b, KindPDF)
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("err = %v, want a time-limit error", err)
	}
}

// FuzzPDF runs the PDF reading as products run it (the guards, then the
// bounded worker process) over mutated PDFs, hostile ones among the seeds:
// every input must come back, within the time limit plus start-up slack,
// and the parent must stay small whatever the worker does.
func FuzzPDF(f *testing.F) {
	for _, b := range hostilePDFs() {
		f.Add(b)
	}
	f.Add(buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream([]byte("BT /F1 12 Tf 72 700 Td (We collect your location.) Tj ET"), true), font,
	}, "/Root 1 0 R", false))
	old := PDFTimeout
	PDFTimeout = 5 * time.Second
	f.Cleanup(func() { PDFTimeout = old })
	f.Fuzz(func(t *testing.T, b []byte) {
		var a, z runtime.MemStats
		runtime.ReadMemStats(&a)
		start := time.Now()
		_, _ = fromPDF(b)
		if d := time.Since(start); d > PDFTimeout+5*time.Second {
			t.Fatalf("a %d-byte PDF took %s (limit %s)", len(b), d, PDFTimeout)
		}
		runtime.ReadMemStats(&z)
		if used := z.TotalAlloc - a.TotalAlloc; used > 256<<20 {
			t.Fatalf("a %d-byte PDF allocated %d bytes in the parent", len(b), used)
		}
	})
}
