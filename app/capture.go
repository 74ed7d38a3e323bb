package app

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/appinspect/appinspect/cases"
)

// StoreDeviceFile stores bytes taken from a device as evidence of a case.
func (s *Service) StoreDeviceFile(ctx context.Context, caseID int64, kind cases.EvidenceKind, name, mediaType, serial string, b []byte) (*EvidenceJSON, error) {
	e, err := s.db.PutEvidence(ctx, caseID, kind, name, bytes.NewReader(b),
		cases.EvidenceMeta{MediaType: mediaType, Source: serial, Actor: s.inspector("")})
	if err != nil {
		return nil, err
	}
	return &EvidenceJSON{SHA256: e.SHA256, Kind: string(e.Kind), Name: e.Name, Size: e.Size, MediaType: e.MediaType, Added: e.Added,
		Source: e.Source, DeviceTime: optTime(e.DeviceTime), Path: s.EvidenceFile(e.SHA256)}, nil
}

// DeviceLogcat reads the log lines of pkg's processes (and lines naming
// it) since from (zero: the whole buffer), at most maxLines, from the device
// serial ("" = the only one). It returns the lines, the device's serial and
// a file name for them.
func (s *Service) DeviceLogcat(ctx context.Context, serial, pkg string, from time.Time, maxLines int) (b []byte, usedSerial, name string, err error) {
	a, err := s.adb("")
	if err != nil {
		return nil, "", "", err
	}
	d, err := a.Pick(ctx, serial)
	if err != nil {
		return nil, "", "", err
	}
	if b, err = a.Logcat(ctx, d.Serial, pkg, from, maxLines); err != nil {
		return nil, "", "", err
	}
	return b, d.Serial, fmt.Sprintf("logcat-%s-%s.txt", pkg, s.now().Format("20060102-150405")), nil
}

// DeviceRecord records the device's screen for seconds (1-180) as MP4.
func (s *Service) DeviceRecord(ctx context.Context, serial string, seconds int) (b []byte, usedSerial, name string, err error) {
	a, err := s.adb("")
	if err != nil {
		return nil, "", "", err
	}
	d, err := a.Pick(ctx, serial)
	if err != nil {
		return nil, "", "", err
	}
	if b, err = a.Record(ctx, d.Serial, seconds); err != nil {
		return nil, "", "", err
	}
	return b, d.Serial, fmt.Sprintf("screenrecord-%s.mp4", s.now().Format("20060102-150405")), nil
}

// SaveFile writes b to path atomically (a partial file never stands under
// the name) and returns the absolute path.
func SaveFile(path string, b []byte) (string, error) {
	if err := writeFileAtomic(path, b); err != nil {
		return "", err
	}
	abs, _ := filepath.Abs(path)
	return abs, nil
}
