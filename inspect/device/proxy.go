package device

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrProxyValue means the device's current global HTTP proxy is a value
// AppInspect would not be able to put back safely (it contains characters
// other than a host:port), so no session proxy is set.
var ErrProxyValue = errors.New("device: http_proxy value cannot be restored safely")

// proxyValueRE is what `settings put global http_proxy VALUE` may receive:
// host:port (names, IPv4, bracketed IPv6), ":0", or "null" (unset).
var proxyValueRE = regexp.MustCompile(`^[A-Za-z0-9._\-\[\]:]{1,255}$`)

// ProxyMarker is written to the data directory while a session proxy is
// set on a device, and removed once the previous value is back. A marker
// found at the next start means a session ended without restoring (crash,
// power loss, unplugged device); RecoverProxies restores from it.
type ProxyMarker struct {
	Serial string `json:"serial"`
	Port   int    `json:"port"`
	// Set is the value AppInspect put ("127.0.0.1:PORT").
	Set string `json:"set"`
	// Previous is the value found before ("null" when unset).
	Previous string    `json:"previous"`
	Started  time.Time `json:"started"`
	PID      int       `json:"pid"`
}

func markerPath(dir, serial string) string {
	return filepath.Join(dir, "proxy-session-"+serial+".json")
}

// ProxyGuard holds a session proxy set on a device; Restore puts the
// previous setting back.
type ProxyGuard struct {
	a       *ADB
	dir     string
	m       ProxyMarker
	mu      sync.Mutex
	done    bool
	reverse bool
}

// Previous is the device's http_proxy before the session ("null" when unset).
func (g *ProxyGuard) Previous() string { return g.m.Previous }

// Marker is the record kept in the data directory while the proxy is set.
func (g *ProxyGuard) Marker() ProxyMarker { return g.m }

// getProxy reads `settings get global http_proxy`.
func (a *ADB) getProxy(ctx context.Context, serial string) (string, error) {
	out, err := a.shell(ctx, nil, serial, "settings", "get", "global", "http_proxy")
	if err != nil {
		return "", err
	}
	v := strings.TrimSpace(string(out))
	if v == "" {
		v = "null"
	}
	return v, nil
}

// putProxy sets http_proxy to v, or deletes the setting when v is "null".
func (a *ADB) putProxy(ctx context.Context, serial, v string) error {
	if !proxyValueRE.MatchString(v) {
		return fmt.Errorf("%q: %w", v, ErrProxyValue)
	}
	var err error
	if v == "null" {
		// ":0" first: some Android versions apply a deleted setting only at
		// the next reboot, ":0" (no proxy) at once; then delete, to leave
		// the setting exactly as found.
		if _, err = a.shell(ctx, nil, serial, "settings", "put", "global", "http_proxy", ":0"); err != nil {
			return err
		}
		_, err = a.shell(ctx, nil, serial, "settings", "delete", "global", "http_proxy")
	} else {
		_, err = a.shell(ctx, nil, serial, "settings", "put", "global", "http_proxy", v)
	}
	return err
}

// SetSessionProxy points the device's global HTTP proxy at a proxy the
// computer runs on 127.0.0.1:port: `adb reverse tcp:PORT tcp:PORT`, then
// `settings put global http_proxy 127.0.0.1:PORT`. The previous value is
// read first and written, with the serial and port, to a marker file in
// dir before anything changes, so a session that dies is restored at the
// next start (RecoverProxies). Call Restore on every exit path.
func (a *ADB) SetSessionProxy(ctx context.Context, serial string, port int, dir string) (*ProxyGuard, error) {
	if port <= 0 || port > 65535 {
		return nil, fmt.Errorf("device: session proxy: port %d out of range", port)
	}
	if !ValidSerial(serial) {
		return nil, fmt.Errorf("device: session proxy %q: %w", serial, ErrInvalidSerial)
	}
	prev, err := a.getProxy(ctx, serial)
	if err != nil {
		return nil, fmt.Errorf("device: session proxy: read http_proxy: %w", err)
	}
	if !proxyValueRE.MatchString(prev) {
		return nil, fmt.Errorf("device: session proxy: current http_proxy %q: %w; clear it on the device first", prev, ErrProxyValue)
	}
	set := "127.0.0.1:" + strconv.Itoa(port)
	if prev == set {
		// A previous session's value left behind without a marker: the
		// value before it is unknown; treat it as unset.
		prev = "null"
	}
	g := &ProxyGuard{a: a, dir: dir, m: ProxyMarker{Serial: serial, Port: port, Set: set, Previous: prev, Started: a.now().UTC(), PID: os.Getpid()}}
	if err := writeMarker(dir, g.m); err != nil {
		return nil, fmt.Errorf("device: session proxy: %w", err)
	}
	if _, err := a.run(ctx, call{serial: serial, args: []string{"reverse", "tcp:" + strconv.Itoa(port), "tcp:" + strconv.Itoa(port)}}); err != nil {
		_ = os.Remove(markerPath(dir, serial))
		return nil, fmt.Errorf("device: session proxy: adb reverse: %w", err)
	}
	g.reverse = true
	if err := a.putProxy(ctx, serial, set); err != nil {
		rerr := g.Restore(ctx)
		return nil, errors.Join(fmt.Errorf("device: session proxy: set http_proxy: %w", err), rerr)
	}
	return g, nil
}

func writeMarker(dir string, m ProxyMarker) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("marker dir: %w", err)
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	p := markerPath(dir, m.Serial)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("write marker: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("write marker: %w", err)
	}
	return nil
}

// restoreTimeout bounds Restore, which runs even after ctx was cancelled.
const restoreTimeout = 30 * time.Second

// Restore puts the previous http_proxy back (deleting the setting when it
// was unset), removes the adb reverse, and deletes the marker. It runs
// even when ctx is already cancelled (Ctrl-C), with its own timeout. When
// the device is gone the marker stays and the error says so; the next
// session on that device restores it. Calling Restore again after success
// does nothing.
func (g *ProxyGuard) Restore(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.done {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
	defer cancel()
	if err := restore(ctx, g.a, g.dir, g.m, g.reverse); err != nil {
		return err
	}
	g.done = true
	return nil
}

func restore(ctx context.Context, a *ADB, dir string, m ProxyMarker, reverse bool) error {
	cur, err := a.getProxy(ctx, m.Serial)
	if err != nil {
		return fmt.Errorf("device: restore http_proxy on %s (still %s; it is restored at the next session, or run `adb -s %s shell settings put global http_proxy %s`): %w",
			m.Serial, m.Set, m.Serial, m.Previous, err)
	}
	if cur == m.Set {
		if err := a.putProxy(ctx, m.Serial, m.Previous); err != nil {
			return fmt.Errorf("device: restore http_proxy %s on %s: %w", m.Previous, m.Serial, err)
		}
	}
	// cur != m.Set: someone changed the setting since; leave their value.
	if reverse {
		if _, err := a.run(ctx, call{serial: m.Serial, args: []string{"reverse", "--remove", "tcp:" + strconv.Itoa(m.Port)}}); err != nil && fatal(err) {
			return fmt.Errorf("device: remove adb reverse on %s: %w", m.Serial, err)
		}
	}
	if err := os.Remove(markerPath(dir, m.Serial)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("device: remove proxy marker: %w", err)
	}
	return nil
}

// RecoveredProxy is one device whose proxy a previous session left set.
type RecoveredProxy struct {
	Marker ProxyMarker `json:"marker"`
	// Restored is true when the previous value is back; Err says why not
	// (usually: the device is not connected).
	Restored bool   `json:"restored"`
	Err      string `json:"error,omitempty"`
}

// RecoverProxies looks for markers of sessions that ended without
// restoring the device's proxy and restores those on connected devices
// (only serial's when serial is not ""). A device whose setting was changed
// by someone since is left alone and its marker removed.
func (a *ADB) RecoverProxies(ctx context.Context, dir, serial string) ([]RecoveredProxy, error) {
	files, err := filepath.Glob(filepath.Join(dir, "proxy-session-*.json"))
	if err != nil {
		return nil, fmt.Errorf("device: recover proxies: %w", err)
	}
	var out []RecoveredProxy
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return out, fmt.Errorf("device: recover proxies: %w", err)
		}
		var m ProxyMarker
		if err := json.Unmarshal(b, &m); err != nil || !ValidSerial(m.Serial) || !proxyValueRE.MatchString(m.Previous) {
			return out, fmt.Errorf("device: recover proxies: %s: not a proxy marker (delete it after checking the device's proxy by hand)", f)
		}
		if serial != "" && m.Serial != serial {
			continue
		}
		r := RecoveredProxy{Marker: m}
		if err := restore(ctx, a, dir, m, true); err != nil {
			r.Err = err.Error()
		} else {
			r.Restored = true
		}
		out = append(out, r)
	}
	return out, nil
}
