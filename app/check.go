package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/appinspect/appinspect/cases/law"
	"github.com/appinspect/appinspect/cases/rules"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/policy"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// ErrUnknownAppType is wrapped when an app type is not in the 39-type table.
var ErrUnknownAppType = errors.New("app type not in the 39-type table")

// CheckRequest is one `check`: an APK, its policy and app type.
type CheckRequest struct {
	APK     string
	Policy  string // a policy file; "" = the one bundled in the APK
	AppType string // number, id or name in the 39-type table; "" = none
	Lang    string // zh or en: titles and explanations
	// Location is the zone explanations write times in; nil is
	// Asia/Shanghai (北京时间). A check has no device evidence, so its
	// explanations carry no times today.
	Location *time.Location
}

// CheckResult is what the rules find in one APK and its policy.
type CheckResult struct {
	Evaluation rules.Evaluation
	PolicyName string   // the policy read; "" when there was none
	Warnings   []string // problems with the policy bundled in the APK
}

// Check scans an APK, reads its policy (the file given, else the one
// bundled) and evaluates the rules, without a case or a data directory
// beyond cfg's SDK catalog extension.
func Check(ctx context.Context, cfg Config, req CheckRequest) (*CheckResult, error) {
	det, err := NewDetector(cfg)
	if err != nil {
		return nil, err
	}
	cat, err := law.Embedded()
	if err != nil {
		return nil, err
	}
	var t *law.AppType
	if req.AppType != "" {
		x, ok := cat.AppType(req.AppType)
		if !ok {
			return nil, fmt.Errorf("check: app type %q: %w", req.AppType, ErrUnknownAppType)
		}
		t = &x
	}
	r, err := inspect.Scan(ctx, req.APK, inspect.Options{Detector: det})
	if err != nil {
		return nil, err
	}
	p, err := readPolicy(req.Policy, "", r)
	if err != nil {
		return nil, err
	}
	out := &CheckResult{}
	for _, w := range r.Warnings {
		if strings.HasPrefix(w, "policy: bundled") {
			out.Warnings = append(out.Warnings, w)
		}
	}
	f := &rules.Facts{Scan: r, AppType: t}
	if p != nil {
		res := det.Catalog().Resolver()
		f.Policy = policy.Extract(p.doc, policy.Options{ResolveSDK: res.Resolve})
		f.PolicyText = p.doc.Text
		out.PolicyName = p.name
	}
	out.Evaluation = rules.Evaluate(f, rules.Options{Lang: req.Lang, Location: req.Location})
	return out, nil
}

// ReadPolicy loads a privacy policy file and extracts what it declares, SDK
// names resolved against the embedded catalog.
func ReadPolicy(path string) (*policy.Document, *policy.Extraction, error) {
	doc, err := policy.Load(path)
	if err != nil {
		return nil, nil, err
	}
	cat, err := sdk.Embedded()
	if err != nil {
		return nil, nil, err
	}
	res := cat.Resolver()
	return doc, policy.Extract(doc, policy.Options{ResolveSDK: res.Resolve}), nil
}

// OpenLaw opens the regulation catalog of cfg's data directory (the
// embedded catalog with the user's imports and filled gaps).
func OpenLaw(cfg Config) (*law.Catalog, error) {
	dir, err := DataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	return law.Open(filepath.Join(dir, "law"))
}
