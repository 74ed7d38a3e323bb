package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect/device"
)

// adb returns the adb runner: the flag path when given, else the settings'
// path, else APPINSPECT_ADB, ANDROID_HOME and PATH.
func (s *Service) adb(flagPath string) (*device.ADB, error) {
	if flagPath == "" {
		flagPath = s.adbFlag
	}
	p, err := device.FindADB(flagPath, s.Settings().ADB)
	if err != nil {
		return nil, err
	}
	return device.New(p), nil
}

// Devices lists the devices adb sees.
func (s *Service) Devices(ctx context.Context) ([]device.Device, error) {
	a, err := s.adb("")
	if err != nil {
		return nil, err
	}
	return a.Devices(ctx)
}

// DeviceApps lists the third-party apps of a device.
func (s *Service) DeviceApps(ctx context.Context, serial string) ([]device.App, error) {
	a, err := s.adb("")
	if err != nil {
		return nil, err
	}
	return a.Apps(ctx, serial, true)
}

// PullToCase pulls an app's APKs from the device and scans them into a case:
// caseID 0 creates a new case, otherwise a new version is added. Split APKs
// are scanned as one bundle (the base APK with its splits).
func (s *Service) PullToCase(ctx context.Context, serial, pkg string, caseID int64, progress func(done, total int64)) (int64, error) {
	a, err := s.adb("")
	if err != nil {
		return 0, err
	}
	dev, err := a.Pick(ctx, serial)
	if err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "appinspect-pull-*")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	files, err := a.Pull(ctx, dev.Serial, pkg, tmp, progress)
	if err != nil {
		return 0, err
	}
	apkPath, err := bundleSplits(files, filepath.Join(tmp, pkg+".apks"))
	if err != nil {
		return 0, err
	}
	if caseID == 0 {
		c, err := s.NewCase(ctx, workspace.NewCaseRequest{APK: apkPath, Notes: fmt.Sprintf("pulled from %s %s (%s), Android %s", dev.Brand, dev.Model, dev.Serial, dev.AndroidVersion)}, nil)
		if err != nil {
			return 0, err
		}
		return c.ID, nil
	}
	if _, err := s.Reinspect(ctx, workspace.ReinspectRequest{CaseID: caseID, APK: apkPath}, nil); err != nil {
		return 0, err
	}
	return caseID, nil
}

// bundleSplits returns the single APK, or packs base plus splits into an
// .apks bundle at dst so they are scanned together.
func bundleSplits(files []string, dst string) (string, error) {
	if len(files) == 1 {
		return files[0], nil
	}
	if err := writeAPKS(dst, files); err != nil {
		return "", err
	}
	return dst, nil
}

// CollectEvidence gathers runtime evidence of the case's app from the
// device and stores it with the case: the parsed evidence as JSON and every
// raw command output as its own file. Nothing is stored when collection
// fails (for example when the device is unplugged).
func (s *Service) CollectEvidence(ctx context.Context, caseID int64, serial string) (*device.Evidence, error) {
	c, err := s.db.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	a, err := s.adb("")
	if err != nil {
		return nil, err
	}
	ev, err := a.Evidence(ctx, serial, c.App.Package)
	if err != nil {
		return nil, err
	}
	if err := s.storeDeviceEvidence(ctx, caseID, ev, s.currentAPK(ctx, caseID)); err != nil {
		return nil, err
	}
	return ev, nil
}

// storeDeviceEvidence stores a device snapshot with a case: every raw
// command output as its own file and the parsed evidence as JSON, with the
// hash of the APK of the case version it was recorded against (apk, "" when
// the case has no version): only versions of that build are judged on it.
func (s *Service) storeDeviceEvidence(ctx context.Context, caseID int64, ev *device.Evidence, apk string) error {
	actor := s.inspector("")
	cmds := make([]string, 0, len(ev.Raw))
	for k := range ev.Raw {
		cmds = append(cmds, k)
	}
	slices.Sort(cmds)
	for i, cmd := range cmds {
		name := fmt.Sprintf("device-%02d-%s.txt", i+1, safeName(cmd))
		if _, err := s.db.PutEvidence(ctx, caseID, cases.EvidenceDeviceDump, name, bytes.NewReader(ev.Raw[cmd]),
			cases.EvidenceMeta{MediaType: "text/plain", Source: cmd, DeviceTime: ev.DeviceTime, Actor: actor}); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(storedDevice{Evidence: *ev, APKSHA256: apk}, "", "  ")
	if err != nil {
		return err
	}
	if _, err := s.db.PutEvidence(ctx, caseID, cases.EvidenceDeviceDump, deviceEvidenceName, bytes.NewReader(b),
		cases.EvidenceMeta{MediaType: "application/json", Source: ev.Device.Serial, DeviceTime: ev.DeviceTime, Actor: actor}); err != nil {
		return err
	}
	return nil
}

// safeName turns a command line into a short file-name part.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.Trim(b.String(), "_")
}

// Screenshot captures the device screen into the case's evidence.
func (s *Service) Screenshot(ctx context.Context, caseID int64, serial string) (cases.Evidence, error) {
	a, err := s.adb("")
	if err != nil {
		return cases.Evidence{}, err
	}
	dev, err := a.Pick(ctx, serial)
	if err != nil {
		return cases.Evidence{}, err
	}
	png, at, err := a.Screenshot(ctx, dev.Serial)
	if err != nil {
		return cases.Evidence{}, err
	}
	name := "screenshot-" + at.Format("20060102-150405") + ".png"
	if at.IsZero() {
		// The device clock could not be read: name it by the computer's clock, and say so.
		name = "screenshot-" + s.now().Format("20060102-150405") + "-laptop-clock.png"
	}
	return s.db.PutEvidence(ctx, caseID, cases.EvidenceScreenshot, name, bytes.NewReader(png),
		cases.EvidenceMeta{MediaType: "image/png", Source: dev.Serial, DeviceTime: at, Actor: s.inspector("")})
}

// CaptureConsentDialog dumps the on-screen UI and makes its text the case's
// policy source (the consent dialog as shown), keeping the XML as evidence.
func (s *Service) CaptureConsentDialog(ctx context.Context, caseID int64, serial string) error {
	a, err := s.adb("")
	if err != nil {
		return err
	}
	dev, err := a.Pick(ctx, serial)
	if err != nil {
		return err
	}
	xml, err := a.UIDump(ctx, dev.Serial)
	if err != nil {
		return err
	}
	if _, err := s.db.PutEvidence(ctx, caseID, cases.EvidenceDeviceDump, "uiautomator-dump.xml", bytes.NewReader(xml),
		cases.EvidenceMeta{MediaType: "application/xml", Source: dev.Serial, Actor: s.inspector("")}); err != nil {
		return err
	}
	text, err := device.UIText(xml)
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("the screen of %s shows no text: open the consent dialog first: %w", dev.Serial, cases.ErrInvalid)
	}
	return s.SetPolicy(ctx, caseID, 0, "", text)
}

// MarkConsent records the consent moment of the case's newest version (its
// build); a zero time means now on the device's clock as last collected (or
// the host clock when there is no device evidence).
func (s *Service) MarkConsent(ctx context.Context, caseID int64, at time.Time) error {
	if _, err := s.db.Case(ctx, caseID); err != nil {
		return err
	}
	return s.markConsent(ctx, caseID, at, s.currentAPK(ctx, caseID))
}

// markConsent records the consent moment of the build with the APK hash apk.
func (s *Service) markConsent(ctx context.Context, caseID int64, at time.Time, apk string) error {
	if at.IsZero() {
		at = s.now()
	}
	b, err := json.Marshal(consentRecord{At: at, Inspector: s.inspector(""), Marked: s.now(), APKSHA256: apk})
	if err != nil {
		return err
	}
	_, err = s.db.PutEvidence(ctx, caseID, cases.EvidenceOther, consentName, bytes.NewReader(b),
		cases.EvidenceMeta{MediaType: "application/json", Source: "inspector", Actor: s.inspector("")})
	if err != nil {
		return err
	}
	// Propose marks for what the device rules now find: the newest version
	// is evaluated again with this consent moment (stored as a new version
	// recording the rules version; see Reevaluate).
	if _, err := s.version(ctx, caseID, 0); errors.Is(err, cases.ErrNotFound) {
		return nil // no APK version yet
	} else if err != nil {
		return err
	}
	_, err = s.Reevaluate(ctx, caseID, 0)
	return err
}

// ListDeviceApps lists the apps installed on a device: third-party apps, or
// with system also the system apps.
func (s *Service) ListDeviceApps(ctx context.Context, serial string, system bool) ([]device.App, error) {
	a, err := s.adb("")
	if err != nil {
		return nil, err
	}
	return a.Apps(ctx, serial, !system)
}

// PullAPKs pulls an app's base and split APKs from a device into dir
// (created when missing), without making a case, and returns the files.
func (s *Service) PullAPKs(ctx context.Context, serial, pkg, dir string, progress func(done, total int64)) ([]string, error) {
	a, err := s.adb("")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return a.Pull(ctx, serial, pkg, dir, progress)
}

// DeviceEvidence collects an app's runtime evidence from a device without
// storing it in a case (CollectEvidence stores it).
func (s *Service) DeviceEvidence(ctx context.Context, serial, pkg string) (*device.Evidence, error) {
	a, err := s.adb("")
	if err != nil {
		return nil, err
	}
	return a.Evidence(ctx, serial, pkg)
}

// ScreenshotToFile takes a screenshot of a device and writes the PNG to
// path ("" = screenshot-<device time>.png in the working directory). It
// returns the absolute path, the device time and the size.
// The time is the device's clock ("device"), or this computer's ("laptop")
// when the device's clock cannot be read.
func (s *Service) ScreenshotToFile(ctx context.Context, serial, path string) (abs string, t time.Time, clock string, size int, err error) {
	a, err := s.adb("")
	if err != nil {
		return "", time.Time{}, "", 0, err
	}
	png, t, err := a.Screenshot(ctx, serial)
	if err != nil {
		return "", time.Time{}, "", 0, err
	}
	clock = "device"
	if t.IsZero() { // the device clock could not be read
		t, clock = s.now(), "laptop"
	}
	if path == "" {
		path = "screenshot-" + t.Format("20060102-150405") + ".png"
	}
	if err := writeFileAtomic(path, png); err != nil {
		return "", time.Time{}, "", 0, err
	}
	abs, _ = filepath.Abs(path)
	return abs, t, clock, len(png), nil
}
