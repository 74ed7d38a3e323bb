package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/policy"
)

// storedPolicy is the policy JSON kept with a case version.
type storedPolicy struct {
	Name       string             `json:"name"`   // file name, "pasted", "bundled: assets/…", "device: consent dialog"
	Kind       string             `json:"kind"`   // policy.Source kind
	SHA256     string             `json:"sha256"` // of the original bytes (an evidence file of the case)
	Text       string             `json:"text"`   // the normalised text the spans index
	Extraction *policy.Extraction `json:"extraction"`
}

// loadedPolicy is a policy read for analysis, with its original bytes.
type loadedPolicy struct {
	doc      *policy.Document
	name     string
	original []byte
	kind     string // the stored source kind, for a policy read back from a version
	sha256   string // the stored original's evidence hash, for a policy read back from a version
}

// readPolicy loads the policy from a file, pasted text or, when both are
// empty, the first privacy policy bundled in the APK. It returns nil (and no
// error) when there is no policy at all.
func readPolicy(path, text string, scan *inspect.Result) (*loadedPolicy, error) {
	switch {
	case path != "":
		if err := inspect.RegularFile(path, nil); err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		doc, err := policy.LoadBytes(filepath.Base(path), b, "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &loadedPolicy{doc: doc, name: filepath.Base(path), original: b}, nil
	case strings.TrimSpace(text) != "":
		doc, err := policy.LoadBytes("pasted", []byte(text), "paste")
		if err != nil {
			return nil, err
		}
		return &loadedPolicy{doc: doc, name: "pasted", original: []byte(text)}, nil
	}
	if scan == nil {
		return nil, nil
	}
	for _, d := range scan.PolicyDocs {
		if d.Kind != "privacy" {
			continue
		}
		b, err := readFromAPK(scan.File, d.Split, d.Path)
		if err == nil {
			var doc *policy.Document
			if doc, err = policy.LoadBytes(d.Path, b, "apk"); err == nil {
				return &loadedPolicy{doc: doc, name: "bundled: " + d.Path, original: b}, nil
			}
		}
		// A bundled policy that cannot be read (malformed, hostile, too
		// large) is a warning of the scan, not a failure of the analysis.
		scan.Warnings = append(scan.Warnings, fmt.Sprintf("policy: bundled %s could not be read / 内置隐私政策无法读取: %v", d.Path, err))
	}
	return nil, nil
}

func readFromAPK(file, split, name string) ([]byte, error) {
	a, err := apk.Open(file, apk.DefaultLimits())
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return a.ReadFile(split, name)
}

// analysis is the result of the pipeline for one version.
type analysis struct {
	scan       *inspect.Result
	policy     *loadedPolicy
	extraction *policy.Extraction
	eval       storedEvaluation
}

// extract runs the policy extractor with SDK names resolved against the
// detector's catalog.
func (s *Service) extract(p *loadedPolicy) *policy.Extraction {
	if p == nil {
		return nil
	}
	return policy.Extract(p.doc, policy.Options{ResolveSDK: s.det.Catalog().Resolver().Resolve})
}

// appType looks up the 39-type table entry of a case's app type.
func (s *Service) appType(id string) *law.AppType {
	if id == "" {
		return nil
	}
	if t, ok := s.law.AppType(id); ok {
		return &t
	}
	return nil
}

// storedEvaluation is the candidates document kept with a version: the
// rules' Evaluation ({"rules_version", "candidates", "disclosures"}) and the
// device facts the device rules saw. cases.ParseCandidates reads its
// candidates for version diffs and suggested marks.
type storedEvaluation struct {
	rules.Evaluation
	DeviceEvidence string     `json:"device_evidence,omitempty"` // sha256 of the device evidence file used
	ConsentAt      *time.Time `json:"consent_at,omitempty"`      // the consent moment used
}

// decodeEvaluation reads a version's candidates document. A document stored
// before rules versions were recorded has candidates only.
func decodeEvaluation(raw json.RawMessage) (storedEvaluation, error) {
	var ev storedEvaluation
	if len(bytes.TrimSpace(raw)) == 0 {
		return ev, nil
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		return ev, fmt.Errorf("stored candidates: %w", err)
	}
	return ev, nil
}
