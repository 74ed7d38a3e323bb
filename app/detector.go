package app

import (
	"os"
	"path/filepath"

	"github.com/appinspect/appinspect/inspect"
)

// DetectorFor returns the scan detector: the embedded catalogs merged with
// the catalog extension given by path, or else the one in the data
// directory (sdk-catalog.json) when it exists.
func DetectorFor(env *Env, path string) (*inspect.Detector, error) {
	if path == "" {
		if dir, err := DataDir(env.DataDir); err == nil {
			p := filepath.Join(dir, "sdk-catalog.json")
			if _, err := os.Stat(p); err == nil {
				path = p
			}
		}
	}
	if path == "" {
		return inspect.DefaultDetector()
	}
	return inspect.NewDetector(path)
}
