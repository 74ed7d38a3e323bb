package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

// SettingsFile is the name of the workstation settings file in the data
// directory.
const SettingsFile = "settings.json"

// DefaultSettings are the settings of a new installation.
func DefaultSettings() workspace.Settings {
	return workspace.Settings{
		RectificationDays: cases.DefaultRectificationDays,
		Authority:         workspace.Authority{Kind: "regulator"},
		NoticeTemplate:    "regulator",
	}
}

// LoadSettings reads settings.json from dir; a missing file gives the
// defaults. A broken file is an error naming it, so nothing is silently
// reset.
func LoadSettings(dir string) (workspace.Settings, error) {
	s := DefaultSettings()
	b, err := os.ReadFile(filepath.Join(dir, SettingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("settings: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return DefaultSettings(), fmt.Errorf("settings: %s: %w", filepath.Join(dir, SettingsFile), err)
	}
	if s.RectificationDays <= 0 {
		s.RectificationDays = cases.DefaultRectificationDays
	}
	return s, nil
}

// SaveSettings writes settings.json atomically (temp file, sync, rename).
func SaveSettings(dir string, s workspace.Settings) error {
	if s.RectificationDays <= 0 || s.RectificationDays > 365 {
		return fmt.Errorf("settings: rectification days must be between 1 and 365, not %d: %w", s.RectificationDays, cases.ErrInvalid)
	}
	if s.Timezone != "" {
		if _, err := LoadZone(s.Timezone); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
	}
	switch s.Authority.Kind {
	case "", "regulator", "agency", "association":
	default:
		return fmt.Errorf("settings: authority kind %q: %w", s.Authority.Kind, cases.ErrInvalid)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, SettingsFile), b)
}

// writeFileAtomic writes b to path through a temp file in the same
// directory, so a crash leaves either the old or the new content.
func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
