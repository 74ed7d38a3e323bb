package app

import "github.com/appinspect/appinspect/cases"

// DataDir resolves the data directory: flag (--data-dir), then the
// APPINSPECT_DATA variable, then the OS convention.
func DataDir(flag string) (string, error) { return cases.DataDir(flag) }
