package reports

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // screenshots and seals are PNG
	"runtime"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/draw"
)

const (
	// thumbMaxW and thumbMaxH bound a screenshot thumbnail in pixels: at the
	// 34 mm printed width this is about 200 dpi, enough to read a dialog.
	thumbMaxW    = 270
	thumbMaxH    = 600
	thumbQuality = 72
	// maxImagePixels refuses decompression bombs.
	maxImagePixels = 40_000_000
)

// thumb is a re-encoded image ready for the PDF.
type thumb struct {
	jpeg []byte
	w, h int // pixels
	err  error
}

// fitWidth returns the width in pixels of a w×h image scaled to fit
// maxW×maxH (never up).
func fitWidth(w, h, maxW, maxH int) int {
	scale := min(float64(maxW)/float64(w), float64(maxH)/float64(h), 1)
	return max(1, int(float64(w)*scale+0.5))
}

// makeThumb decodes a PNG or JPEG, scales it to exactly tw pixels wide (never
// up; the height follows the aspect ratio), and re-encodes it as JPEG on a
// white background.
func makeThumb(data []byte, tw int) thumb {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return thumb{err: fmt.Errorf("reports: decode image: %w", err)}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		return thumb{err: fmt.Errorf("reports: image %dx%d: %w", cfg.Width, cfg.Height, ErrInvalid)}
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return thumb{err: fmt.Errorf("reports: decode image: %w", err)}
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	tw = min(max(tw, 1), w)
	th := max(1, int(float64(h)*float64(tw)/float64(w)+0.5))
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	if tw < w {
		small := boxShrink(src, w/tw)
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), small, small.Bounds(), draw.Over, nil)
	} else {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Over)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return thumb{err: fmt.Errorf("reports: encode thumbnail: %w", err)}
	}
	return thumb{jpeg: buf.Bytes(), w: tw, h: th}
}

// boxShrink averages f×f pixel blocks (f ≥ 2) so the bilinear pass that
// follows does not alias: a cheap area filter for large downscales.
func boxShrink(src image.Image, f int) image.Image {
	if f < 2 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx()/f, b.Dy()/f
	if w < 1 || h < 1 {
		return src
	}
	rgba, ok := src.(*image.RGBA)
	if !ok {
		rgba = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Src)
	}
	mx, my := rgba.Bounds().Min.X, rgba.Bounds().Min.Y
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	n := uint32(f * f)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r, g, bl, a uint32
			for dy := 0; dy < f; dy++ {
				off := rgba.PixOffset(mx+x*f, my+y*f+dy)
				row := rgba.Pix[off : off+4*f]
				for dx := 0; dx < f; dx++ {
					r += uint32(row[4*dx])
					g += uint32(row[4*dx+1])
					bl += uint32(row[4*dx+2])
					a += uint32(row[4*dx+3])
				}
			}
			o := out.PixOffset(x, y)
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(bl/n), uint8(a/n)
		}
	}
	return out
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// prepareImages thumbnails every distinct image concurrently (bounded by the
// number of CPUs). Results are keyed by the SHA-256 of the original bytes, so
// the layout that follows is independent of completion order.
//
// Every thumbnail gets a pixel width no other image of the document has:
// fpdf's catalog sort orders image objects by width alone, over a map, so
// two images of equal width would be written in random order and the PDF
// would not be byte-stable. Widths are assigned in input order, which is
// layout order; a screenshot one or two pixels narrower is invisible.
func (w *writer) prepareImages(imgs [][]byte, maxW, maxH int) {
	type job struct {
		key  string
		data []byte
		tw   int
	}
	var jobs []job
	seen := map[string]bool{}
	for _, b := range imgs {
		if len(b) == 0 {
			continue
		}
		k := hashHex(b)
		if seen[k] || w.thumbs[k].jpeg != nil {
			continue
		}
		seen[k] = true
		tw := 1
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(b)); err == nil && cfg.Width > 0 && cfg.Height > 0 {
			tw = fitWidth(cfg.Width, cfg.Height, maxW, maxH)
		}
		for tw > 1 && w.usedW[tw] {
			tw--
		}
		w.usedW[tw] = true
		jobs = append(jobs, job{k, b, tw})
	}
	res := make([]thumb, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res[i] = makeThumb(j.data, j.tw)
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		w.thumbs[j.key] = res[i]
	}
}

// registerImage registers the thumbnail of data with the PDF and returns its
// name and pixel size; prepareImages must have seen data.
func (w *writer) registerImage(data []byte) (string, thumb, error) {
	k := hashHex(data)
	t, ok := w.thumbs[k]
	if !ok {
		w.prepareImages([][]byte{data}, thumbMaxW, thumbMaxH)
		t = w.thumbs[k]
	}
	if t.err != nil {
		return "", t, t.err
	}
	if name, ok := w.images[k]; ok {
		return name, t, nil
	}
	name := "img" + k[:16]
	w.pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(t.jpeg))
	if err := w.pdf.Error(); err != nil {
		return "", t, fmt.Errorf("reports: register image: %w", err)
	}
	w.images[k] = name
	return name, t, nil
}

// thumbnails lays out images in a row-wrapping grid of cells cellW wide,
// each at most maxH tall, with captions under them.
func (w *writer) thumbnails(imgs [][]byte, captions []string, cellW, maxH float64) error {
	gap := 3.0
	perRow := max(1, int((w.width+gap)/(cellW+gap)))
	w.setFont(sizeFoot)
	capH := w.lineH()
	for start := 0; start < len(imgs); start += perRow {
		end := min(start+perRow, len(imgs))
		type placed struct {
			name string
			w, h float64
		}
		var row []placed
		rowH := 0.0
		for _, data := range imgs[start:end] {
			name, t, err := w.registerImage(data)
			if err != nil {
				return err
			}
			iw := cellW
			ih := iw * float64(t.h) / float64(t.w)
			if ih > maxH {
				ih = maxH
				iw = ih * float64(t.w) / float64(t.h)
			}
			row = append(row, placed{name, iw, ih})
			rowH = max(rowH, ih)
		}
		w.ensure(rowH + capH + 2)
		y := w.y()
		for i, p := range row {
			x := marginLeft + float64(i)*(cellW+gap)
			w.pdf.ImageOptions(p.name, x+(cellW-p.w)/2, y, p.w, p.h, false, fpdf.ImageOptions{ImageType: "JPG"}, 0, "")
			w.drawColor(colRule)
			w.pdf.SetLineWidth(0.2)
			w.pdf.Rect(x+(cellW-p.w)/2, y, p.w, p.h, "D")
			if c := captions[start+i]; c != "" {
				w.pdf.SetXY(x, y+rowH+0.5)
				w.color(colGrey)
				w.pdf.CellFormat(cellW, capH, w.fit(c, cellW), "", 0, "C", false, 0, "")
				w.color(colText)
			}
		}
		w.pdf.SetXY(marginLeft, y+rowH+capH+2)
	}
	w.setFont(sizeBody)
	return nil
}

var imageJPG = fpdf.ImageOptions{ImageType: "JPG"}
