package inspect

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/dex"
	"github.com/appinspect/appinspect/inspect/endpoint"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// codeFacts is what the code analysis hands to the detectors.
type codeFacts struct {
	classes  []string // classes defined in every dex (top-level and nested), dotted
	strs     []string // string constants that look like Java package or class names (SDK evidence in obfuscated apps)
	hits     []callHit
	dexSizes []int64
	// sdkCalls are calls from classes of no SDK into an SDK's classes: the
	// candidates for "the app uses the SDK", settled once ownership is known.
	sdkCalls []sdkCall
	// edges are calls between a class in a renamed package and a class
	// outside one, for attributing renamed code by its neighbours.
	edges []classEdge
	// supers maps the app's SDK callback classes (pkg.wxapi.WXEntryActivity)
	// to their superclass, which names the SDK that provides the callback.
	supers map[string]string
}

// callHit is one call site of interest: a sensitive API (api >= 0) or an SDK
// entry point (entry != "").
type callHit struct {
	callerClass, callerMethod string
	api                       int    // index into Detector.apis, or -1
	weak                      bool   // string evidence, not an invoke
	entry                     string // SDK id whose entry point is called
}

// dexJob is one dex file to analyse.
type dexJob struct {
	name   string // display name: "classes.dex", "split:config.x/classes2.dex", "assets/a.jar!classes.dex"
	entry  string // the zip entry, for top-level dex files of the base APK
	data   []byte
	nested string // the nested container's path, for NestedDex; "" for top-level
}

func isTopDex(name string) bool {
	if !strings.HasPrefix(name, "classes") || !strings.HasSuffix(name, ".dex") {
		return false
	}
	mid := strings.TrimSuffix(strings.TrimPrefix(name, "classes"), ".dex")
	return strings.Trim(mid, "0123456789") == ""
}

// instantRunZip is where an Instant Run build (Android Studio 2.0–3.4) keeps
// the app's code: slice dex files the bootstrap classes.dex loads at start.
const instantRunZip = "instant-run.zip"

func isNestedCode(name string) bool {
	if name == instantRunZip {
		return true
	}
	if !strings.HasPrefix(name, "assets/") && !strings.HasPrefix(name, "res/raw/") {
		return false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".dex", ".jar", ".apk", ".zip":
		return true
	}
	return false
}

// analyzeCode parses every dex file of the APK, in parallel, collecting
// classes, strings, endpoints and call sites.
func analyzeCode(ctx context.Context, a *apk.Archive, opt *Options, r *Result, eps *endpoint.Collector) (*codeFacts, error) {
	t := time.Now()
	defer func() { r.Stats.DexMS = time.Since(t).Milliseconds() }()

	var entries []apk.Entry
	for _, e := range a.Entries() {
		if isTopDex(e.Name) || isNestedCode(e.Name) {
			entries = append(entries, e)
		}
	}
	// The detector may still be loading (see Options.detector): workers
	// wait for it only when they have a dex file in hand, so inflating
	// overlaps with building the catalogs.
	getDet := opt.detectorFunc()
	var detErr error
	var detMu sync.Mutex

	type out struct {
		job     dexJob
		size    int64
		classes []string
		strs    []string
		hits    []callHit
		supers  map[string]string
		edges   []classEdge
		calls   []sdkCall
		eps     []string
		nstr    int
		nmeth   int
		err     error
	}
	// Each worker inflates an entry and analyses it, so inflation — the
	// largest cost — runs on every core, not in one reader.
	work := make(chan apk.Entry)
	results := make(chan out)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var readErr error
	var dexBytes atomic.Int64
	analyze := func(j dexJob) {
		o := out{job: j, size: int64(len(j.data))}
		if j.entry != "" {
			opt.digests.put(j.entry, j.data)
		}
		det, err := getDet()
		if err != nil {
			detMu.Lock()
			detErr = err
			detMu.Unlock()
		}
		var dx dexFacts
		dx, o.err = analyzeDex(ctx, j.data, det)
		o.classes, o.strs, o.hits, o.edges, o.calls, o.eps, o.nstr, o.nmeth = dx.classes, dx.pkgStrs, dx.hits, dx.edges, dx.calls, dx.epStrs, dx.nstr, dx.nmeth
		if o.err == nil {
			o.supers = callbackSupers(j.data, o.classes)
		}
		o.job.data = nil
		results <- o
	}
	for range workers() {
		wg.Go(func() {
			for e := range work {
				if ctx.Err() != nil {
					continue
				}
				b, err := a.ReadFile(e.Split, e.Name)
				if err != nil {
					errMu.Lock()
					if readErr == nil {
						readErr = err
					}
					errMu.Unlock()
					continue
				}
				name := e.Name
				if !isBase(e.Split) {
					name = "split:" + e.Split + "/" + e.Name
				}
				if isTopDex(e.Name) {
					dexBytes.Add(int64(len(b)))
					j := dexJob{name: name, data: b}
					if isBase(e.Split) {
						j.entry = e.Name
					}
					analyze(j)
					continue
				}
				for _, j := range nestedDex(name, b) {
					analyze(j)
				}
			}
		})
	}
	go func() {
		defer close(work)
		// Largest first, so the last worker to finish is not the one that
		// drew the biggest dex.
		sorted := slices.Clone(entries)
		slices.SortStableFunc(sorted, func(x, y apk.Entry) int { return cmp.Compare(y.Size, x.Size) })
		for _, e := range sorted {
			if ctx.Err() != nil {
				return
			}
			work <- e
		}
	}()
	go func() { wg.Wait(); close(results) }()
	defer func() { r.Stats.DexBytes = dexBytes.Load() }()

	code := &codeFacts{}
	nested := map[string]*NestedDex{}
	total, done := len(entries), 0
	for o := range results {
		done++
		opt.progress(Progress{Stage: "dex", File: o.job.name, Done: done, Total: max(total, done)})
		if o.job.nested != "" {
			n := nested[o.job.nested]
			if n == nil {
				n = &NestedDex{Path: o.job.nested}
				nested[o.job.nested] = n
			}
			if o.err != nil {
				n.Error = o.err.Error()
				continue
			}
			n.Classes += len(o.classes)
		} else {
			if o.err != nil {
				r.Dex.Errors = append(r.Dex.Errors, fmt.Sprintf("%s: %v", o.job.name, o.err))
				continue
			}
			r.Dex.Files = append(r.Dex.Files, o.job.name)
			r.Dex.Classes += len(o.classes)
			r.Dex.Methods += o.nmeth
			r.Dex.Strings += o.nstr
			code.dexSizes = append(code.dexSizes, o.size)
		}
		code.classes = append(code.classes, o.classes...)
		code.strs = append(code.strs, o.strs...)
		code.hits = append(code.hits, o.hits...)
		code.edges = append(code.edges, o.edges...)
		code.sdkCalls = append(code.sdkCalls, o.calls...)
		for k, v := range o.supers {
			if code.supers == nil {
				code.supers = map[string]string{}
			}
			code.supers[k] = v
		}
		for _, s := range o.eps {
			eps.Add(s, "dex")
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if readErr != nil {
		return nil, readErr
	}
	if detErr != nil {
		return nil, detErr
	}
	slices.SortFunc(r.Dex.Files, compareDexNames)
	slices.Sort(r.Dex.Errors)
	for _, n := range nested {
		r.Dex.Nested = append(r.Dex.Nested, *n)
	}
	slices.SortFunc(r.Dex.Nested, func(x, y NestedDex) int { return strings.Compare(x.Path, y.Path) })
	slices.Sort(code.classes)
	code.classes = slices.Compact(code.classes)
	slices.Sort(code.strs)
	code.strs = slices.Compact(code.strs)
	return code, nil
}

// compareDexNames orders classes.dex, classes2.dex, …, classes10.dex.
func compareDexNames(x, y string) int {
	if len(x) != len(y) {
		return len(x) - len(y)
	}
	return strings.Compare(x, y)
}

// nestedDex opens a dex, jar or apk found under assets/ and returns the dex
// files inside. Containers that are not code give nothing.
func nestedDex(name string, b []byte) []dexJob {
	if bytes.HasPrefix(b, []byte("dex\n")) {
		return []dexJob{{name: name, data: b, nested: name}}
	}
	if !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return nil
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return []dexJob{{name: name, nested: name, data: b}} // reported as a parse error
	}
	var out []dexJob
	var budget int64 = int64(len(b))*20 + 64<<20
	// The slices of an Instant Run build are the app's own code, read as
	// top-level dex files ("instant-run.zip!instant-run/slice_0-classes.dex").
	instantRun := path.Base(name) == instantRunZip
	for _, f := range zr.File {
		isCode := isTopDex(path.Base(f.Name)) || instantRun && strings.HasSuffix(f.Name, ".dex")
		if !isCode || f.UncompressedSize64 > uint64(budget) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		_, err = buf.ReadFrom(limitReader(rc, budget))
		rc.Close()
		if err != nil || int64(buf.Len()) >= budget {
			continue
		}
		budget -= int64(buf.Len())
		j := dexJob{name: name + "!" + f.Name, data: buf.Bytes(), nested: name}
		if instantRun {
			j.nested = ""
		}
		out = append(out, j)
	}
	return out
}

// dexFacts is what the analysis of one dex file gives.
type dexFacts struct {
	classes, pkgStrs []string // defined classes; strings that look like package names
	hits             []callHit
	edges            []classEdge
	calls            []sdkCall
	epStrs           []string // strings that contain endpoints
	nstr, nmeth      int
}

// classEdge is a call between a class in a renamed package and one outside:
// Renamed calls Other (Out) or Other calls Renamed (!Out).
type classEdge struct {
	Renamed, Other string
	Out            bool
}

// sdkCall is a method of a class no SDK owns calling into an SDK's code.
type sdkCall struct {
	class, method string // the caller
	sdk           string // the SDK id of the callee's class
}

// analyzeDex parses one dex file (or a container of several).
func analyzeDex(ctx context.Context, b []byte, det *Detector) (dexFacts, error) {
	var out dexFacts
	files, err := dex.ParseAll(b, dex.DefaultLimits())
	if err != nil {
		return out, err
	}
	for _, f := range files {
		if err := analyzeOne(ctx, f, det, &out); err != nil {
			return dexFacts{}, err
		}
		out.nstr += f.NumStrings()
		out.nmeth += f.NumMethods()
	}
	return out, nil
}

// analyzeOne collects the facts of one dex (one member of a container).
func analyzeOne(ctx context.Context, f *dex.File, det *Detector, out *dexFacts) error {
	classes, pkgStrs, hits, epStrs := &out.classes, &out.pkgStrs, &out.hits, &out.epStrs
	first := len(*classes)
	*classes = append(*classes, f.Classes()...)
	nstr, nmeth := f.NumStrings(), f.NumMethods()
	var strAPI map[uint32][]int
	sorted, prev := true, ""
	for i := range uint32(nstr) {
		if i&0xfff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		s, err := f.String(i)
		if err != nil {
			sorted = false
			continue
		}
		if s < prev {
			sorted = false
		}
		prev = s
		if mayBeEndpoint(s) {
			*epStrs = append(*epStrs, s)
		}
		if det == nil {
			continue
		}
		if looksLikePackage(s) {
			*pkgStrs = append(*pkgStrs, s)
		}
		if ids := det.matchString(s); len(ids) > 0 {
			if strAPI == nil {
				strAPI = map[uint32][]int{}
			}
			strAPI[i] = ids
		}
	}
	if det == nil {
		return nil
	}

	// Mark the method references that are sensitive APIs or SDK entry points.
	// Most references point at classes no catalog names, so the class is
	// checked first. With the sorted string table the format requires, the
	// few catalog classes are looked up by binary search; otherwise every
	// referenced type is decoded once.
	var isInteresting func(t uint32) bool
	if sorted {
		set := make(map[uint32]bool, 64)
		for c := range det.classes {
			if t, ok := f.FindType(c); ok {
				set[t] = true
			}
		}
		isInteresting = func(t uint32) bool { return set[t] }
	} else {
		cache := make(map[uint32]bool)
		isInteresting = func(t uint32) bool {
			v, ok := cache[t]
			if !ok {
				name, err := f.TypeName(t)
				v = err == nil && det.classes[name]
				cache[t] = v
			}
			return v
		}
	}
	marks := map[uint32]mark{}
	for i := range uint32(nmeth) {
		t, err := f.MethodClass(i)
		if err != nil || !isInteresting(t) {
			continue
		}
		m, err := f.Method(i)
		if err != nil {
			continue
		}
		api, entry := det.matchInvoke(m.Class, m.Name, m.Proto)
		if api >= 0 || entry != "" {
			marks[i] = mark{api, entry}
		}
	}
	// Static fields such as Build.SERIAL are read, not invoked.
	fieldMarks := map[uint32]int{}
	for i := range uint32(f.NumFields()) {
		if t, err := f.FieldClass(i); err != nil || !isInteresting(t) {
			continue // most fields are of classes no catalog names: no name is decoded
		}
		fr, err := f.Field(i)
		if err != nil || !det.classes[fr.Class] {
			continue
		}
		if api, _ := det.matchInvoke(fr.Class, fr.Name, ""); api >= 0 && det.apis[api].Kind == "field" {
			fieldMarks[i] = api
		}
	}
	// Classes in renamed packages: their calls to and from named classes
	// are kept, so the ownership can attribute them by their neighbours.
	var renamed []bool // by type index; nil when no class is in a renamed package
	if sorted {
		for _, c := range (*classes)[first:] {
			if sdk.RenamedPackage(c) {
				if t, ok := f.FindType(c); ok && int(t) < f.NumTypes() {
					if renamed == nil {
						renamed = make([]bool, f.NumTypes())
					}
					renamed[t] = true
				}
			}
		}
	}
	// Marks by method index, read once per invoke: a slice, not a map.
	markIdx := make([]int32, nmeth)
	var markList []mark
	for i, mk := range marks {
		markList = append(markList, mk)
		markIdx[i] = int32(len(markList))
	}
	v := &hitVisitor{f: f, det: det, markIdx: markIdx, markList: markList, strAPI: strAPI, fields: fieldMarks, renamed: renamed,
		typeSDK: make([]int32, f.NumTypes()), methodSDK: make([]int32, nmeth)}
	err := f.Walk(v)
	v.flush()
	*hits = append(*hits, v.hits...)
	out.edges = append(out.edges, v.edgeList()...)
	out.calls = append(out.calls, v.callList()...)
	if err != nil && len(v.hits) == 0 {
		// A broken code item does not invalidate the classes and strings
		// already collected; it is an error only when nothing was walked.
		return fmt.Errorf("code: %w", err)
	}
	return nil
}

// isCallbackClass reports whether a class is one an SDK makes the app
// define under its own package by name (the WeChat and Alipay callbacks).
func isCallbackClass(c string) bool {
	return strings.Contains(c, ".wxapi.") || strings.Contains(c, ".apshare.") || strings.Contains(c, ".yxapi.")
}

// callbackSupers returns the superclass of each callback class defined in
// the dex (rare: the dex is re-parsed only when there is one).
func callbackSupers(b []byte, classes []string) map[string]string {
	if !slices.ContainsFunc(classes, isCallbackClass) {
		return nil
	}
	files, err := dex.ParseAll(b, dex.DefaultLimits())
	if err != nil {
		return nil
	}
	out := map[string]string{}
	for _, f := range files {
		for i := range f.NumClasses() {
			c, err := f.Class(i)
			if err != nil || !isCallbackClass(c) {
				continue
			}
			if sup, err := f.Superclass(i); err == nil && sup != "" {
				out[c] = sup
			}
		}
	}
	return out
}

// mark says what a method reference is: a sensitive API (index into the
// detector's list, or -1) and/or an SDK entry point (the SDK id).
type mark struct {
	api   int
	entry string
}

// hitVisitor records call sites of interest during dex.File.Walk.
type hitVisitor struct {
	f        *dex.File
	det      *Detector
	markIdx  []int32 // method index → 0, or 1 + index into markList
	markList []mark
	strAPI   map[uint32][]int
	fields   map[uint32]int // field index → API index (static field reads)
	hits     []callHit
	cur      []callHit // hits of the method being walked, settled by flush

	renamed []bool            // by type index: classes in renamed packages (nil: none)
	edges   map[[2]uint32]int // (renamed type, other type) → 1 out, 2 in, 3 both
	names   map[uint32]string // decoded type names

	typeSDK   []int32               // type index → 0 unknown, -1 no SDK, else 1 + index into sdkIDs
	methodSDK []int32               // method index → the same for the method's class
	sdkIDs    []string              // SDKs whose classes are called
	calls     map[sdkCallKey]uint32 // first calling method of each (caller class, SDK)
}

type sdkCallKey struct {
	caller uint32 // type index of the calling class
	sdk    int32  // 1 + index into sdkIDs
}

// sdkOf returns 1 + the index into v.sdkIDs of the SDK owning type t, or -1.
func (v *hitVisitor) sdkOf(t uint32) int32 {
	if int(t) >= len(v.typeSDK) {
		return -1
	}
	if x := v.typeSDK[t]; x != 0 {
		return x
	}
	x := int32(-1)
	if name, err := v.f.TypeName(t); err == nil {
		if id := v.det.sdks.OwnerOf(name); id != "" {
			i := slices.Index(v.sdkIDs, id)
			if i < 0 {
				i = len(v.sdkIDs)
				v.sdkIDs = append(v.sdkIDs, id)
			}
			x = int32(i + 1)
		}
	}
	v.typeSDK[t] = x
	return x
}

// methodSDKOf is sdkOf for the class of method m, cached by method index.
func (v *hitVisitor) methodSDKOf(m uint32) int32 {
	if int(m) >= len(v.methodSDK) {
		return -1
	}
	if x := v.methodSDK[m]; x != 0 {
		return x
	}
	x := int32(-1)
	if t, err := v.f.MethodClass(m); err == nil {
		x = v.sdkOf(t)
	}
	v.methodSDK[m] = x
	return x
}

// sdkCall records a call from a class of no SDK into an SDK's class.
func (v *hitVisitor) sdkCall(caller, callee uint32) {
	sd := v.methodSDKOf(callee)
	if sd < 0 || v.methodSDKOf(caller) >= 0 {
		return
	}
	ct, err := v.f.MethodClass(caller)
	if err != nil {
		return
	}
	k := sdkCallKey{ct, sd}
	if _, ok := v.calls[k]; ok {
		return
	}
	if v.calls == nil {
		v.calls = map[sdkCallKey]uint32{}
	}
	v.calls[k] = caller
}

// callList returns the recorded calls into SDKs with names.
func (v *hitVisitor) callList() []sdkCall {
	var out []sdkCall
	for k, m := range v.calls {
		mr, err := v.f.Method(m)
		if err != nil {
			continue
		}
		out = append(out, sdkCall{class: mr.Class, method: mr.Name, sdk: v.sdkIDs[k.sdk-1]})
	}
	return out
}

// edge records a call between the classes of two methods when exactly one
// of them is in a renamed package.
func (v *hitVisitor) edge(caller, callee uint32) {
	ct, err1 := v.f.MethodClass(caller)
	et, err2 := v.f.MethodClass(callee)
	if err1 != nil || err2 != nil || int(ct) >= len(v.renamed) || int(et) >= len(v.renamed) || v.renamed[ct] == v.renamed[et] {
		return
	}
	if v.edges == nil {
		v.edges = map[[2]uint32]int{}
	}
	if v.renamed[ct] {
		v.edges[[2]uint32{ct, et}] |= 1
	} else {
		v.edges[[2]uint32{et, ct}] |= 2
	}
}

// edgeList returns the recorded edges with class names.
func (v *hitVisitor) edgeList() []classEdge {
	name := func(t uint32) string {
		n, ok := v.names[t]
		if !ok {
			n, _ = v.f.TypeName(t)
			if v.names == nil {
				v.names = map[uint32]string{}
			}
			v.names[t] = n
		}
		return n
	}
	var out []classEdge
	for k, dir := range v.edges {
		r, o := name(k[0]), name(k[1])
		if r == "" || o == "" {
			continue
		}
		if dir&1 != 0 {
			out = append(out, classEdge{Renamed: r, Other: o, Out: true})
		}
		if dir&2 != 0 {
			out = append(out, classEdge{Renamed: r, Other: o})
		}
	}
	return out
}

// FieldAccess records reads of sensitive static fields (sget*).
func (v *hitVisitor) FieldAccess(caller, field uint32, op uint8) {
	api, ok := v.fields[field]
	if !ok || op < 0x60 || op > 0x66 {
		return
	}
	c, err := v.f.Method(caller)
	if err != nil {
		return
	}
	v.cur = append(v.cur, callHit{callerClass: c.Class, callerMethod: c.Name, api: api})
}

func (v *hitVisitor) Method(uint32) bool {
	v.flush()
	return true
}

// flush settles the hits of one method. A setting read such as
// Settings.Secure.getString(resolver, "android_id") shows as an invoke of the
// generic getString plus the constant "android_id" in the same method: the
// pair is strong evidence of the specific setting, and the generic invoke
// alone says nothing about which setting was read, so it is dropped.
func (v *hitVisitor) flush() {
	if len(v.cur) == 0 {
		return
	}
	invoked := map[string]bool{}
	for _, h := range v.cur {
		if !h.weak && h.api >= 0 {
			a := v.det.apis[h.api]
			invoked[a.Class+"."+a.Method] = true
		}
	}
	for _, h := range v.cur {
		if h.api >= 0 {
			a := v.det.apis[h.api]
			switch {
			case !h.weak && v.det.generic[h.api]:
				if h.entry == "" {
					continue
				}
				h.api = -1
			case h.weak && a.Kind == "setting" && invoked[a.Class+"."+a.Method]:
				h.weak = false
			}
		}
		v.hits = append(v.hits, h)
	}
	v.cur = v.cur[:0]
}

func (v *hitVisitor) Invoke(caller, callee uint32) {
	if v.renamed != nil {
		v.edge(caller, callee)
	}
	v.sdkCall(caller, callee)
	if int(callee) >= len(v.markIdx) || v.markIdx[callee] == 0 {
		return
	}
	mk := v.markList[v.markIdx[callee]-1]
	c, err := v.f.Method(caller)
	if err != nil {
		return
	}
	v.cur = append(v.cur, callHit{callerClass: c.Class, callerMethod: c.Name, api: mk.api, entry: mk.entry})
}

func (v *hitVisitor) ConstString(caller, str uint32) {
	ids, ok := v.strAPI[str]
	if !ok {
		return
	}
	c, err := v.f.Method(caller)
	if err != nil {
		return
	}
	for _, id := range ids {
		v.cur = append(v.cur, callHit{callerClass: c.Class, callerMethod: c.Name, api: id, weak: true})
	}
}

// mayBeEndpoint is a cheap pre-filter before the endpoint collector.
func mayBeEndpoint(s string) bool {
	if len(s) < 4 || len(s) > 4096 {
		return false
	}
	return strings.IndexByte(s, '.') >= 0
}

// looksLikePackage reports whether s is a dotted Java name such as
// "cn.jpush.android.service.PushService" (used as SDK evidence when classes
// are renamed but names survive in reflection or manifest-like strings).
func looksLikePackage(s string) bool {
	if len(s) < 6 || len(s) > 200 || strings.Count(s, ".") < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '$') {
			return false
		}
	}
	return s[0] != '.' && s[len(s)-1] != '.' && !strings.Contains(s, "..")
}

func limitReader(r interface{ Read([]byte) (int, error) }, n int64) *limitedReader {
	return &limitedReader{r: r, n: n}
}

type limitedReader struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("nested code: larger than the limit")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
