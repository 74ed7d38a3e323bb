package sdk

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// Resolver maps SDK names written in policies ("极光推送SDK", "友盟+",
// "高德地图 SDK") to catalog ids: exact match on the normalised zh or en
// name first, then the longest catalog name the policy name contains.
type Resolver struct {
	exact map[string]string
	names []nameID // longest first
}

type nameID struct{ name, id string }

// NewResolver indexes the names of every entry of c.
func NewResolver(c *Catalog) *Resolver {
	r := &Resolver{exact: map[string]string{}}
	for _, e := range c.Entries() {
		for _, n := range []string{e.NameZH, e.NameEN} {
			for _, k := range nameVariants(n) {
				if _, dup := r.exact[k]; !dup {
					r.exact[k] = e.ID
				}
				if len([]rune(k)) >= 3 {
					r.names = append(r.names, nameID{k, e.ID})
				}
			}
		}
	}
	// catalog ids last (the policy lexicon's keys are often catalog ids:
	// "amap", "jpush")
	for _, e := range c.Entries() {
		if k := resolverName(e.ID); k != "" {
			if _, dup := r.exact[k]; !dup {
				r.exact[k] = e.ID
			}
		}
	}
	// Longest names first, so "高德定位" wins over "高德".
	slices.SortFunc(r.names, func(a, b nameID) int {
		if c := cmp.Compare(len(b.name), len(a.name)); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	return r
}

// nameVariants are the normalised forms of a catalog name: the whole name
// and, for a name mixing Chinese and Latin ("友盟统计 U-App"), each part.
func nameVariants(n string) []string {
	k := resolverName(n)
	if k == "" {
		return nil
	}
	out := []string{k}
	var han, latin strings.Builder
	for _, r := range k {
		if r < 0x80 {
			latin.WriteRune(r)
		} else {
			han.WriteRune(r)
		}
	}
	if han.Len() > 0 && latin.Len() > 0 {
		if len([]rune(han.String())) >= 2 {
			out = append(out, han.String())
		}
		if latin.Len() >= 4 {
			out = append(out, latin.String())
		}
	}
	return out
}

// Resolve returns the id of the catalog SDK a policy names, and whether one
// was found.
func (r *Resolver) Resolve(name string) (string, bool) {
	k := resolverName(name)
	if k == "" {
		return "", false
	}
	if id, ok := r.exact[k]; ok {
		return id, true
	}
	for _, n := range r.names {
		if i := strings.Index(k, n.name); i >= 0 && !gluedLatin(k, i, i+len(n.name)) {
			return n.id, true
		}
	}
	return "", false
}

// gluedLatin reports whether k[i:j] starts or ends inside a Latin word of
// k ("share" inside "ushare" is not the name ShareSDK).
func gluedLatin(k string, i, j int) bool {
	isL := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
	return i > 0 && isL(k[i-1]) && isL(k[i]) || j < len(k) && isL(k[j]) && isL(k[j-1])
}

// resolverName lower-cases a name and drops spaces, punctuation and the words
// "sdk" and "android".
func resolverName(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("sdk", "", "android", "", "安卓", "").Replace(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Resolver returns the catalog's name resolver, built on first use.
func (c *Catalog) Resolver() *Resolver {
	c.resolverOnce.Do(func() { c.resolver = NewResolver(c) })
	return c.resolver
}
