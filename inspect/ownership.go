package inspect

import (
	"slices"
	"strings"

	"github.com/appinspect/appinspect/inspect/apk"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// Owner kinds of a class (Caller.OwnerKind).
const (
	OwnerKindApp        = "app"         // the app's own namespaces
	OwnerKindSDK        = "sdk"         // a catalog SDK (Owner is its id)
	OwnerKindThirdParty = "third_party" // code of no catalog SDK outside the app's namespaces (Owner is its package root)
)

// ownership attributes classes to the app, a catalog SDK or unidentified
// third-party code. Nothing is the app's by default: a class belongs to the
// app only under one of the app's namespaces, which come from the manifest
// package, the Application class, the launcher activity and the components
// no SDK claims.
type ownership struct {
	m   *sdk.Matcher
	app []string // app namespaces, dotted, sorted
	// tree maps a package prefix to the one SDK whose classes are under it
	// ("" when classes of several SDKs are): an unclaimed class in a tree
	// only one SDK's classes populate is that SDK's (com.xiaomi.channel
	// next to com.xiaomi.push).
	tree map[string]string
	// renamedOwner attributes renamed packages (a.b.c) by their calls.
	renamedOwner map[string]owner
	// generic tells SDKs whose code everyone calls (libraries of the
	// development, UI, image … categories): calls to them say nothing of
	// who owns the caller.
	generic func(id string) bool
}

// owner is who a class belongs to.
type owner struct{ id, kind string }

// newOwnership derives the app's namespaces and the SDK package trees from
// the classes defined in the APK and its manifest.
func newOwnership(m *sdk.Matcher, classes []string, man *apk.Manifest) *ownership {
	o := &ownership{m: m, tree: map[string]string{}}
	defined := make(map[string]bool, len(classes))
	for _, c := range classes {
		defined[c] = true
		id := m.OwnerOf(c)
		if id == "" {
			continue
		}
		for p := packageOf(c); p != ""; p = parentPackage(p) {
			if strings.IndexByte(p, '.') < 0 || sdk.GenericPrefix(p) {
				break
			}
			if cur, ok := o.tree[p]; !ok {
				o.tree[p] = id
			} else if cur != id {
				o.tree[p] = ""
			}
		}
	}
	ns := map[string]bool{}
	manRoot := ""
	if man != nil && man.Package != "" {
		manRoot = packageRoot(man.Package)
	}
	// add makes the package of a class the app's: widened to its root when
	// that is the manifest package's root, else the package itself (the
	// launcher of a vendor demo inside the vendor's namespace).
	add := func(class string, strong bool) {
		pkg := packageOf(class)
		if pkg == "" || sdk.RenamedPackage(class) {
			return
		}
		if m.OwnerOf(class) != "" || o.sdkTree(pkg) != "" {
			// Under an SDK's root: only the launcher or the Application
			// class make the class's own package the app's.
			if strong {
				ns[pkg] = true
			}
			return
		}
		if r := o.appRoot(pkg); r == manRoot {
			ns[r] = true
		} else {
			ns[pkg] = true
		}
	}
	if man != nil {
		if man.Package != "" {
			ns[o.appRoot(man.Package)] = true
			ns[man.Package] = true
		}
		if c := man.Application.ClassName; c != "" {
			add(c, true)
		}
		for _, c := range man.Components {
			name := c.Name
			if c.Kind == "activity-alias" && c.TargetActivity != "" {
				name = c.TargetActivity
			}
			if len(defined) > 0 && !defined[name] {
				continue // declared but not in the code: says nothing of the app's namespaces
			}
			// A component outside the manifest package's root, other than
			// the launcher, is as often an unknown SDK's (its login, pay or
			// player screens and services) as the app's: it does not name an
			// app namespace.
			if launcher := isLauncher(c); launcher || manRoot != "" && packageRoot(packageOf(name)) == manRoot {
				add(name, launcher)
			}
		}
	}
	for p := range ns {
		o.app = append(o.app, p)
	}
	slices.Sort(o.app)
	// Drop namespaces inside another one.
	o.app = slices.DeleteFunc(o.app, func(p string) bool {
		for q := parentPackage(p); q != ""; q = parentPackage(q) {
			if ns[q] {
				return true
			}
		}
		return false
	})
	return o
}

// attributeRenamed decides the owner of each renamed package from the
// named classes of the APK it calls and that call it, where that is
// decidable: one owner (the app or one SDK) on both sides, and no other.
// Calls to and from general-purpose libraries and unidentified code do not
// count; neither do renamed neighbours.
func (o *ownership) attributeRenamed(edges []classEdge, defined map[string]bool) {
	type sides struct {
		out, in map[owner]bool
	}
	by := map[string]*sides{}
	for _, e := range edges {
		if !defined[e.Other] || sdk.RenamedPackage(e.Other) {
			continue
		}
		w := o.of(e.Other)
		if w.kind == OwnerKindThirdParty || w.kind == OwnerKindSDK && o.generic != nil && o.generic(w.id) {
			continue
		}
		pkg := packageOf(e.Renamed)
		sd := by[pkg]
		if sd == nil {
			sd = &sides{out: map[owner]bool{}, in: map[owner]bool{}}
			by[pkg] = sd
		}
		if e.Out {
			sd.out[w] = true
		} else {
			sd.in[w] = true
		}
	}
	for pkg, sd := range by {
		if len(sd.out) != 1 || len(sd.in) != 1 {
			continue
		}
		for w := range sd.out {
			if sd.in[w] {
				if o.renamedOwner == nil {
					o.renamedOwner = map[string]owner{}
				}
				o.renamedOwner[pkg] = w
			}
		}
	}
}

// isLauncher reports whether a component is the MAIN/LAUNCHER activity.
func isLauncher(c apk.Component) bool {
	if c.Kind != "activity" && c.Kind != "activity-alias" {
		return false
	}
	for _, f := range c.IntentFilters {
		if slices.Contains(f.Actions, "android.intent.action.MAIN") && slices.Contains(f.Categories, "android.intent.category.LAUNCHER") {
			return true
		}
	}
	return false
}

// appRoot widens an app package to its root ("com.danmo.ithouse.ui" →
// "com.danmo"), unless that root equals or encloses an SDK's package, in
// which case the package itself is kept ("cn.jiguang.jmlinkdemo" stays, so
// the JIGUANG SDK keeps cn.jiguang).
func (o *ownership) appRoot(pkg string) string {
	r := packageRoot(pkg)
	if o.m.Claims(r) || o.m.OwnerOf(r+".X") != "" {
		return pkg
	}
	return r
}

// packageRoot is the first two segments of a package, one more while the
// prefix is too generic to name a vendor ("com.tencent.mm" for
// com.tencent.mm.opensdk, "androidx.core" for androidx.core.app).
func packageRoot(pkg string) string {
	segs := strings.Split(pkg, ".")
	n := min(2, len(segs))
	for n < len(segs) && sdk.GenericPrefix(strings.Join(segs[:n], ".")) {
		n++
	}
	return strings.Join(segs[:n], ".")
}

// sdkTree returns the SDK whose classes alone populate a tree enclosing pkg.
func (o *ownership) sdkTree(pkg string) string {
	for p := pkg; p != "" && strings.IndexByte(p, '.') >= 0 && !sdk.GenericPrefix(p); p = parentPackage(p) {
		if id, ok := o.tree[p]; ok {
			return id // "" when several SDKs share the tree
		}
	}
	return ""
}

// appNamespace returns the app namespace enclosing class, or "".
func (o *ownership) appNamespace(class string) string {
	best := ""
	for _, p := range o.app {
		if len(p) > len(best) && strings.HasPrefix(class, p) && len(class) > len(p) && class[len(p)] == '.' {
			best = p
		}
	}
	return best
}

// of returns the owner of a dotted class name.
func (o *ownership) of(class string) owner {
	id := o.m.OwnerOf(class)
	if ns := o.appNamespace(class); ns != "" {
		// A class under the app's own package never belongs to an SDK
		// with a shorter prefix.
		if id == "" || len(ns) >= len(o.m.PrefixOf(class)) {
			return owner{OwnerApp, OwnerKindApp}
		}
	}
	if id != "" {
		return owner{id, OwnerKindSDK}
	}
	pkg := packageOf(class)
	if sdk.RenamedPackage(class) {
		if w, ok := o.renamedOwner[pkg]; ok {
			return w
		}
		// Otherwise third-party code of unknown origin: nothing ties it to
		// the app or an SDK.
		if pkg == "" {
			return owner{"(default package)", OwnerKindThirdParty}
		}
		return owner{pkg, OwnerKindThirdParty}
	}
	if id := o.sdkTree(pkg); id != "" {
		return owner{id, OwnerKindSDK}
	}
	return owner{packageRoot(pkg), OwnerKindThirdParty}
}

// packageOf returns the package of a dotted class name ("" for the default
// package).
func packageOf(class string) string {
	if i := strings.IndexByte(class, '$'); i >= 0 {
		class = class[:i]
	}
	i := strings.LastIndexByte(class, '.')
	if i < 0 {
		return ""
	}
	return class[:i]
}

func parentPackage(p string) string {
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return ""
	}
	return p[:i]
}
