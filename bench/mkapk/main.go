// Command mkapk builds a large synthetic APK for the speed and memory
// benchmarks: it copies a real APK (manifest, resources, signature files and
// dex files) and adds further copies of its dex files (classes4.dex, …) and
// incompressible assets until the archive reaches the requested size.
//
//	go run ./bench/mkapk -from base.apk -size 150 -out big.apk
package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
)

func main() {
	from := flag.String("from", "", "the APK to start from")
	out := flag.String("out", "big.apk", "the APK to write")
	sizeMB := flag.Int("size", 150, "target size in MB")
	dexMB := flag.Int("dex", 60, "approximate total uncompressed dex size in MB")
	flag.Parse()
	if err := run(*from, *out, int64(*sizeMB)<<20, int64(*dexMB)<<20); err != nil {
		fmt.Fprintln(os.Stderr, "mkapk:", err)
		os.Exit(1)
	}
}

func run(from, out string, size, dexTotal int64) error {
	zr, err := zip.OpenReader(from)
	if err != nil {
		return err
	}
	defer zr.Close()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	var dexes [][]byte
	var dexBytes int64
	for _, e := range zr.File {
		if strings.HasPrefix(e.Name, "META-INF/") {
			continue // the result is unsigned: the copy would not verify anyway
		}
		rc, err := e.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if strings.HasPrefix(e.Name, "classes") && strings.HasSuffix(e.Name, ".dex") {
			dexes = append(dexes, b)
			dexBytes += int64(len(b))
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: e.Method})
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if len(dexes) == 0 {
		return fmt.Errorf("%s has no classes.dex", from)
	}
	n := len(dexes)
	for i := 0; dexBytes < dexTotal; i++ {
		n++
		b := dexes[i%len(dexes)]
		w, err := zw.Create(fmt.Sprintf("classes%d.dex", n))
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		dexBytes += int64(len(b))
	}
	zw.Flush()
	pos, _ := f.Seek(0, io.SeekCurrent)
	rng := rand.NewChaCha8([32]byte{1})
	buf := make([]byte, 1<<20)
	for i := 0; pos < size; i++ {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("assets/blob%03d.bin", i), Method: zip.Store})
		if err != nil {
			return err
		}
		for j := 0; j < 8 && pos < size; j++ {
			_, _ = rng.Read(buf)
			if _, err := w.Write(buf); err != nil {
				return err
			}
			pos += int64(len(buf))
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fi, _ := f.Stat()
	fmt.Printf("%s: %d bytes, %d dex files, %d MB of dex\n", out, fi.Size(), n, dexBytes>>20)
	return nil
}
