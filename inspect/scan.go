package inspect

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/pi"
	"github.com/appinspect/appinspect/inspect/sign"
)

// Options tune a scan. The zero value scans with default limits, the
// embedded catalogs and no progress reports.
type Options struct {
	Limits     apk.Limits     // zero → apk.DefaultLimits()
	Progress   func(Progress) // called from the scanning goroutine; may be nil
	NoDetect   bool           // skip SDK, API and packer detection (for benchmarks)
	MaxCallers int            // call sites kept per sensitive API; 0 → 100
	Detector   *Detector      // nil → the embedded catalogs

	// detector returns the detector to use, waiting for it to be built;
	// set by Scan so the catalogs load while the archive is read.
	detector func() (*Detector, error)
	// digests collects dex digests for the v1 signature check; set by Scan.
	digests *digestCache
}

// isBase reports whether a split name is the base APK's.
func isBase(split string) bool { return split == "" || split == "base" }

// detectorFunc returns a function giving the detector (nil when detection is
// off).
func (o *Options) detectorFunc() func() (*Detector, error) {
	switch {
	case o.NoDetect:
		return func() (*Detector, error) { return nil, nil }
	case o.Detector != nil:
		d := o.Detector
		return func() (*Detector, error) { return d, nil }
	case o.detector != nil:
		return o.detector
	}
	return DefaultDetector
}

// ErrCanceled is returned when the context is cancelled during a scan.
var ErrCanceled = errors.New("scan canceled")

// Scan reads the APK, APKS or XAPK at path and returns what it found. The
// returned Result is never nil: when err is non-nil its Error field holds the
// same message and the facts gathered before the failure are kept. Errors
// name the file and the part that is broken.
func Scan(ctx context.Context, path string, opt Options) (*Result, error) {
	start := time.Now()
	r := &Result{Schema: SchemaVersion, File: path}
	err := scan(ctx, path, opt, r)
	r.Stats.TotalMS = time.Since(start).Milliseconds()
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%s: %w", path, ErrCanceled)
		} else if !strings.Contains(err.Error(), filepath.Base(path)) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		r.Error = err.Error()
	}
	r.normalize()
	return r, err
}

func (o *Options) progress(p Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

func scan(ctx context.Context, path string, opt Options, r *Result) error {
	lim := opt.Limits
	if lim == (apk.Limits{}) {
		lim = apk.DefaultLimits()
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := RegularFile(path, fi); err != nil {
		return err
	}
	r.Size = fi.Size()

	// Build the default catalogs (once per process) while the archive is read.
	if !opt.NoDetect && opt.Detector == nil {
		done := make(chan struct{})
		var d *Detector
		var derr error
		go func() { d, derr = DefaultDetector(); close(done) }()
		opt.detector = func() (*Detector, error) { <-done; return d, derr }
	}

	// Hash the file while the rest of the scan runs.
	var hashErr error
	var wg sync.WaitGroup
	var md5Err error
	wg.Go(func() { r.SHA256, hashErr = hashFile(path, sha256.New()) })
	wg.Go(func() { r.MD5, md5Err = hashFile(path, md5.New()) })
	defer wg.Wait()

	opt.progress(Progress{Stage: "open", File: path})
	a, err := apk.Open(path, lim)
	if err != nil {
		var re *apk.RefusedError
		if errors.As(err, &re) {
			r.ArchiveProblems = re.Problems
		}
		return err
	}
	defer a.Close()
	r.ArchiveProblems = a.Problems()
	if len(r.ArchiveProblems) > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("archive: %d zip container problems Android checks / zip 容器存在 %d 个 Android 会检查的问题 (see archive_problems)", len(r.ArchiveProblems), len(r.ArchiveProblems)))
	}
	r.Format = a.Format()
	if r.Format != "apk" {
		r.Splits = a.Splits()
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	opt.progress(Progress{Stage: "manifest", File: path})
	m, err := apk.ParseManifest(a)
	if err != nil {
		return err
	}
	r.fromManifest(m)

	// The signature is verified concurrently with the code analysis. For a
	// v1 (JAR) signature the dex digests come from the analysis, which
	// inflates those entries anyway.
	var sigOpt sign.Options
	if a.Has("", "META-INF/MANIFEST.MF") {
		var dexNames []string
		for _, e := range a.Entries() {
			if isBase(e.Split) && isTopDex(e.Name) {
				dexNames = append(dexNames, e.Name)
			}
		}
		opt.digests = newDigestCache(dexNames)
		sigOpt.EntryDigests = opt.digests.digests
	}
	var sigErr error
	wg.Go(func() {
		t := time.Now()
		ra, size := a.BaseReaderAt()
		r.Signature, sigErr = sign.VerifyWith(ra, size, sigOpt)
		r.Stats.SignatureMS = time.Since(t).Milliseconds()
	})

	r.NativeLibs = apk.NativeLibs(a)
	r.NativeABIs = apk.ABIs(a)
	r.PolicyDocs = apk.FindPolicyDocs(a)

	eps := endpoint.New()
	for _, c := range m.Components {
		for _, f := range c.IntentFilters {
			for _, d := range f.Data {
				eps.Add(d, "manifest")
			}
		}
	}
	for _, md := range m.MetaData {
		eps.Add(md.Value, "manifest")
	}
	if strs, err := apk.ResourceStrings(a); err != nil {
		r.Warnings = append(r.Warnings, "resources: "+err.Error())
	} else {
		for _, s := range strs {
			eps.Add(s, "resources")
		}
	}

	code, err := analyzeCode(ctx, a, &opt, r, eps)
	opt.digests.abandon()
	if err != nil {
		return err
	}
	r.Endpoints = eps.Endpoints()

	if !opt.NoDetect {
		opt.progress(Progress{Stage: "detect", File: path})
		t := time.Now()
		det, err := opt.detectorFunc()()
		if err != nil {
			return err
		}
		det.detect(a, m, code, r, opt.MaxCallers)
		r.Stats.DetectMS = time.Since(t).Milliseconds()
	}
	r.categories()

	wg.Wait()
	if hashErr == nil {
		hashErr = md5Err
	}
	if hashErr != nil {
		return fmt.Errorf("%s: hash: %w", path, hashErr)
	}
	if r.Signature != nil {
		r.Signature.ApplyMinSDK(r.MinSDK)
	}
	if sigErr != nil {
		// The zip was readable enough for the rest of the scan; record the
		// signature problem without failing the scan.
		r.Warnings = append(r.Warnings, "signature: "+sigErr.Error())
	}
	opt.progress(Progress{Stage: "done", File: path, Done: 1, Total: 1})
	return ctx.Err()
}

// hashFile hashes the file with h. SHA-256 and MD5 run in goroutines of
// their own, each reading the file (from the page cache), so they use two
// cores rather than one.
func hashFile(path string, h hash.Hash) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (r *Result) fromManifest(m *apk.Manifest) {
	r.ManifestTricks = m.Tricks
	r.Warnings = append(r.Warnings, m.Warnings...)
	r.Package = m.Package
	r.VersionCode = m.VersionCode
	r.VersionName = m.VersionName
	r.MinSDK, r.TargetSDK, r.MaxSDK, r.CompileSDK = m.MinSDK, m.TargetSDK, m.MaxSDK, m.CompileSDK
	r.Label = m.Label
	r.Labels = m.Labels
	r.LabelZH = firstNonEmpty(m.Labels["zh-CN"], m.Labels["zh-rCN"], m.Labels["zh"], m.Labels["zh-Hans"], m.Labels["zh-Hans-CN"])
	r.Icon = m.Icon
	for _, p := range m.Permissions {
		r.Permissions = append(r.Permissions, permission(p.Name, p.MaxSDK, p.SDK23))
	}
	for _, p := range m.ImpliedPermissions {
		ip := permission(p.Name, p.MaxSDK, false)
		ip.Implied = p.Reason
		r.Permissions = append(r.Permissions, ip)
	}
	r.CustomPermissions = m.CustomPermissions
	r.Application = m.Application
	r.Components = m.Components
	r.MetaData = m.MetaData
	r.Queries = m.Queries
	r.Features = m.Features
}

// categories records the personal-information categories reachable through
// requested permissions and sensitive API calls.
func (r *Result) categories() {
	set := map[pi.Category]bool{}
	for _, p := range r.Permissions {
		for _, c := range p.Categories {
			set[c] = true
		}
	}
	for _, a := range r.APIs {
		if !a.Weak {
			set[a.Category] = true
		}
	}
	r.Categories = make([]pi.Category, 0, len(set))
	for c := range set {
		r.Categories = append(r.Categories, c)
	}
	slices.Sort(r.Categories)
}

// normalize makes every list non-nil and sorted, so the JSON encoding does
// not depend on map order or on which goroutine finished first.
func (r *Result) normalize() {
	r.Permissions = nonNil(r.Permissions)
	slices.SortFunc(r.Permissions, func(a, b Permission) int { return strings.Compare(a.Name, b.Name) })
	r.CustomPermissions = nonNil(r.CustomPermissions)
	r.Components = nonNil(r.Components)
	r.MetaData = nonNil(r.MetaData)
	r.NativeABIs = nonNil(r.NativeABIs)
	r.NativeLibs = nonNil(r.NativeLibs)
	r.Endpoints = nonNil(r.Endpoints)
	r.PolicyDocs = nonNil(r.PolicyDocs)
	r.SDKs = nonNil(r.SDKs)
	r.SDKMentions = nonNil(r.SDKMentions)
	r.AppNamespaces = nonNil(r.AppNamespaces)
	r.ThirdParty = nonNil(r.ThirdParty)
	r.APIs = nonNil(r.APIs)
	r.Packers = nonNil(r.Packers)
	r.Categories = nonNil(r.Categories)
	r.Dex.Files = nonNil(r.Dex.Files)
	r.ManifestTricks = nonNil(r.ManifestTricks)
	r.ArchiveProblems = nonNil(r.ArchiveProblems)
	if r.Signature == nil {
		r.Signature = &sign.Result{Schemes: []int{}, Present: []int{}, Certificates: []sign.Certificate{}}
	}
	slices.Sort(r.Warnings)
}

func nonNil[S ~[]E, E any](s S) S {
	if s == nil {
		return S{}
	}
	return s
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// workers is how many dex files are analysed at once.
func workers() int { return max(1, min(runtime.GOMAXPROCS(0), 4)) }
