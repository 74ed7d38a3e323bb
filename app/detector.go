package app

import (
	"os"
	"path/filepath"

	"github.com/appinspect/appinspect/inspect"
)

// NewDetector returns the scan detector: the embedded catalogs merged with
// the catalog extension cfg.CatalogFile, or else the one in the data
// directory (sdk-catalog.json) when it exists.
func NewDetector(cfg Config) (*inspect.Detector, error) {
	path := cfg.CatalogFile
	if path == "" {
		path = userCatalog(cfg.DataDir)
	}
	if path == "" {
		return inspect.DefaultDetector()
	}
	return inspect.NewDetector(path)
}

// HasCatalogExtension reports whether a detector for cfg merges an extension
// over the embedded catalog (cfg.CatalogFile, or sdk-catalog.json in the
// data directory).
func HasCatalogExtension(cfg Config) bool {
	return cfg.CatalogFile != "" || userCatalog(cfg.DataDir) != ""
}

// userCatalog returns the path of sdk-catalog.json in the data directory,
// or "" when there is none.
func userCatalog(dataDir string) string {
	dir, err := DataDir(dataDir)
	if err != nil {
		return ""
	}
	p := filepath.Join(dir, "sdk-catalog.json")
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}
