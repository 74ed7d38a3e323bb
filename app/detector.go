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
		path = userCatalog(env)
	}
	if path == "" {
		return inspect.DefaultDetector()
	}
	return inspect.NewDetector(path)
}

// userCatalog returns the path of sdk-catalog.json in the data directory,
// or "" when there is none.
func userCatalog(env *Env) string {
	dir, err := DataDir(env.DataDir)
	if err != nil {
		return ""
	}
	p := filepath.Join(dir, "sdk-catalog.json")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}
