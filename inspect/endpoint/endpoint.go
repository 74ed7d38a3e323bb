// Package endpoint finds network endpoints — URLs, host names and IP
// literals — among the strings of an app (DEX string constants, resource
// strings), leaving out the noise every APK carries: XML namespaces, schema
// and licence URLs, example hosts, and Java package names that merely look
// like host names.
package endpoint

import (
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// Kind says what sort of endpoint was found.
type Kind string

// Kinds of endpoint.
const (
	URL  Kind = "url"  // a full URL with a scheme
	Host Kind = "host" // a bare host name, e.g. "api.example.cn"
	IP   Kind = "ip"   // an IP literal, bare or in a URL
)

// Endpoint is one distinct endpoint and where it was seen.
type Endpoint struct {
	Value   string   `json:"value"`             // the URL, host or IP as found (URLs trimmed of trailing punctuation)
	Kind    Kind     `json:"kind"`              // url, host or ip
	Host    string   `json:"host"`              // the host part, lower-case
	Sources []string `json:"sources"`           // where it was seen: "dex", "resources", "manifest", "assets/…"
	Count   int      `json:"count"`             // how many strings contained it
	Private bool     `json:"private,omitempty"` // a private, loopback or link-local IP address
	Policy  bool     `json:"policy,omitempty"`  // the URL looks like a privacy policy or user agreement
}

// Collector accumulates endpoints from many strings. The zero value is not
// usable; call New.
type Collector struct {
	m map[string]*Endpoint
}

// New returns an empty Collector.
func New() *Collector { return &Collector{m: map[string]*Endpoint{}} }

// Add scans s for endpoints and records them with the given source.
func (c *Collector) Add(s, source string) {
	if len(s) < 4 || len(s) > 4096 {
		return
	}
	if strings.Contains(s, "://") {
		c.addURLs(s, source)
		return
	}
	if strings.IndexByte(s, '.') < 0 || strings.ContainsAny(s, " \t\n/;") {
		return
	}
	if ip, ok := parseIP(s); ok {
		c.put(s, IP, ip.String(), source, isPrivate(ip))
		return
	}
	if h, ok := bareHost(s); ok {
		c.put(h, Host, h, source, false)
	}
}

// Endpoints returns what was collected, sorted by value.
func (c *Collector) Endpoints() []Endpoint {
	out := make([]Endpoint, 0, len(c.m))
	for _, e := range c.m {
		slices.Sort(e.Sources)
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b Endpoint) int { return strings.Compare(a.Value, b.Value) })
	return out
}

func (c *Collector) put(value string, kind Kind, host, source string, private bool) {
	e := c.m[value]
	if e == nil {
		e = &Endpoint{Value: value, Kind: kind, Host: host, Private: private}
		if kind == URL {
			e.Policy = looksLikePolicy(value)
		}
		c.m[value] = e
	}
	e.Count++
	if !slices.Contains(e.Sources, source) {
		e.Sources = append(e.Sources, source)
	}
}

// schemes whose URLs are network endpoints.
var schemes = []string{"https://", "http://", "wss://", "ws://", "ftp://", "rtmp://", "tcp://", "udp://"}

func (c *Collector) addURLs(s, source string) {
	lower := asciiLower(s) // same length as s, so indexes carry over
	for i := 0; i < len(s); {
		j, sch := -1, ""
		for _, p := range schemes {
			if k := strings.Index(lower[i:], p); k >= 0 && (j < 0 || i+k < j) {
				j, sch = i+k, p
			}
		}
		if j < 0 {
			return
		}
		end := j + len(sch)
		for end < len(s) && urlByte(s[end]) {
			end++
		}
		raw := strings.TrimRight(s[j:end], ".,;:!?)]}'\"")
		i = end
		if len(raw) <= len(sch) {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Hostname() == "" {
			continue
		}
		host := strings.ToLower(u.Hostname())
		if strings.ContainsAny(host, "%{}$<>") || noiseURL(host, u.Path) {
			continue
		}
		if ip, err := netip.ParseAddr(host); err == nil {
			c.put(raw, URL, host, source, isPrivate(ip))
			continue
		}
		if !validHostName(host) {
			continue
		}
		c.put(raw, URL, host, source, false)
	}
}

func urlByte(b byte) bool {
	if b <= ' ' || b >= 0x7f {
		return false
	}
	switch b {
	case '"', '\'', '<', '>', '`', '\\', '^', '|':
		return false
	}
	return true
}

func parseIP(s string) (netip.Addr, bool) {
	h := s
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), ap.Addr().Is4()
	}
	ip, err := netip.ParseAddr(h)
	if err != nil || !ip.Is4() {
		return netip.Addr{}, false
	}
	// "0.0.0.0" and version-like strings such as "1.0.0.0" or "2.12.9.2"
	// are not endpoints: a bare dotted quad whose parts are all small is far
	// more often a version than an address.
	if ip.IsUnspecified() || strings.HasSuffix(h, ".0.0") {
		return netip.Addr{}, false
	}
	small := true
	for _, b := range ip.As4() {
		small = small && b < 32
	}
	return ip, !small || ip.IsPrivate()
}

func isPrivate(ip netip.Addr) bool {
	return ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast()
}

// bareHost accepts strings such as "api.umeng.com" or "log.example.cn:8080"
// and rejects Java package names ("com.umeng.analytics"), file names
// ("config.json") and version strings.
func bareHost(s string) (string, bool) {
	h := strings.ToLower(s)
	if i := strings.LastIndexByte(h, ':'); i > 0 {
		port := h[i+1:]
		if port == "" || len(port) > 5 || strings.Trim(port, "0123456789") != "" {
			return "", false
		}
		h = h[:i]
	}
	if !validHostName(h) {
		return "", false
	}
	labels := strings.Split(h, ".")
	tld := labels[len(labels)-1]
	if !commonTLD[tld] {
		return "", false
	}
	// Reverse-DNS names start with a TLD: "cn.jpush.im", "com.tencent.mm".
	if commonTLD[labels[0]] || strictTLD[labels[0]] {
		return "", false
	}
	if len(labels) == 2 && ambiguousTLD[tld] {
		return "", false
	}
	if noiseHost(h) {
		return "", false
	}
	return h, true
}

func validHostName(h string) bool {
	if len(h) < 4 || len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			b := l[i]
			if !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b >= 'A' && b <= 'Z') {
				return false
			}
		}
	}
	tld := h[strings.LastIndexByte(h, '.')+1:]
	return strings.Trim(tld, "0123456789") != "" // not an IP-like dotted number
}

func noiseHost(h string) bool {
	for _, n := range noiseHosts {
		if h == n || strings.HasSuffix(h, "."+n) {
			return true
		}
	}
	return false
}

func noiseURL(host, path string) bool {
	if noiseHost(host) {
		return true
	}
	if host == "www.apache.org" && strings.HasPrefix(path, "/licenses") {
		return true
	}
	return false
}

func looksLikePolicy(u string) bool {
	l := strings.ToLower(u)
	for _, k := range []string{"privacy", "policy", "yinsi", "agreement", "protocol", "terms", "%e9%9a%90%e7%a7%81", "隐私", "协议"} {
		if strings.Contains(l, k) {
			return true
		}
	}
	return false
}

// noiseHosts are hosts that appear in nearly every APK and are not endpoints
// the app talks to: XML namespaces, schemas, licences, documentation
// examples.
var noiseHosts = []string{
	"schemas.android.com", "www.w3.org", "w3.org", "xmlpull.org", "ns.adobe.com", "purl.org",
	"xml.org", "xml.apache.org", "apache.org/xml", "schemas.xmlsoap.org", "schemas.microsoft.com",
	"example.com", "example.org", "example.net", "localhost", "opensource.org", "www.gnu.org", "gnu.org",
	"creativecommons.org", "json-schema.org", "javax.xml", "java.sun.com", "xmlns.jcp.org",
	"iptc.org", "www.iptc.org", "ns.useplus.org", "cipa.jp", "www.apple.com/DTDs",
}

// commonTLD are top-level domains accepted for bare host names. URLs with a
// scheme are accepted with any TLD; bare strings need a real, common one
// because DEX strings are full of dotted identifiers.
var commonTLD = setOf("com", "net", "org", "cn", "io", "co", "me", "info", "biz", "gov", "edu", "mobi", "tv", "cc",
	"top", "xyz", "vip", "site", "online", "tech", "cloud", "ai", "app", "dev", "hk", "tw", "jp", "kr", "uk", "de",
	"ru", "fr", "sg", "us", "in", "la", "im", "link", "club", "shop", "store", "work", "ltd", "group", "fun", "live",
	"pro", "asia", "wang", "ink", "red", "tk", "ml", "io", "so", "to", "ly", "gl", "gd", "mo", "au", "ca", "br", "id",
	"vn", "th", "my", "ph", "nl", "it", "es", "eu", "ch", "se", "no", "fi", "pl", "cz", "at", "be", "dk", "ie", "nz",
	"tr", "ua", "ir", "sa", "ae", "mx", "ar", "cl", "za", "ng", "eg")

// strictTLD are first labels of reverse-DNS package names in addition to
// commonTLD.
var strictTLD = setOf("android", "androidx", "java", "javax", "kotlin", "kotlinx", "dalvik", "sun", "okhttp3", "retrofit2")

// ambiguousTLD are TLDs that are also common file extensions or words; a
// two-label string with one of them ("main.app", "index.so") is not taken
// as a host name.
var ambiguousTLD = setOf("app", "so", "me", "io", "in", "to", "id", "it", "is", "live", "link", "work", "red", "ink",
	"pro", "fun", "im", "ml", "tk", "ly", "gl", "gd", "mo", "my", "no", "be", "at", "es", "co", "ai", "dev", "shop",
	"store", "group", "club", "site", "online", "cloud", "tech", "top", "vip", "wang", "xyz", "sh", "py")

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// asciiLower lower-cases ASCII letters only, keeping every other byte (and
// so the length and the byte offsets) as it is. strings.ToLower would turn
// an invalid UTF-8 byte into a three-byte replacement character.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
