package app

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
)

// writeAPKS packs a base APK and its splits into an .apks bundle (stored,
// not compressed): the first file is the base.
func writeAPKS(dst string, files []string) error {
	return writeVia(dst, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		for i, f := range files {
			name := filepath.Base(f)
			if i == 0 {
				name = "base-master.apk"
			} else {
				name = "splits/" + name
			}
			hw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
			if err != nil {
				return err
			}
			in, err := os.Open(f)
			if err != nil {
				return err
			}
			_, err = io.Copy(hw, in)
			in.Close()
			if err != nil {
				return err
			}
		}
		return zw.Close()
	})
}
