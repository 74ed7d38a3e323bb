package cases

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// DataDirEnv is the environment variable that overrides the data directory.
const DataDirEnv = "APPINSPECT_DATA"

// DataDir returns the directory holding the case database, the evidence files and the user's
// holiday file. The first that is set wins: flagValue (the --data-dir flag), $APPINSPECT_DATA, then
// the OS convention: $XDG_DATA_HOME/appinspect or ~/.local/share/appinspect on Linux and other
// Unix systems, %AppData%\appinspect on Windows, ~/Library/Application Support/appinspect on
// macOS. The result is absolute; the directory is not created.
func DataDir(flagValue string) (string, error) {
	dir := flagValue
	if dir == "" {
		dir = os.Getenv(DataDirEnv)
	}
	if dir == "" {
		base, err := osDataHome()
		if err != nil {
			return "", fmt.Errorf("cases: data dir: %w", err)
		}
		dir = filepath.Join(base, "appinspect")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("cases: data dir: %w", err)
	}
	return abs, nil
}

func osDataHome() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		return os.UserConfigDir() // %AppData%, ~/Library/Application Support, $home/lib
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return x, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share"), nil
}
