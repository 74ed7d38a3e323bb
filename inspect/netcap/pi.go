package netcap

import (
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/appinspect/appinspect/inspect/pi"
)

// PI kinds FindPI reports.
const (
	PIIMEI        = "imei"
	PIAndroidID   = "android_id"
	PIMAC         = "mac"
	PIPhoneNumber = "phone_number"
	PILocation    = "location"
)

// PIHit is one piece of personal data found in a plain-HTTP request.
type PIHit struct {
	Kind     string      `json:"kind"`
	Category pi.Category `json:"category"`
	// Where is "url", "header:NAME" or "body".
	Where string `json:"where"`
	// Field is the parameter name the value was sent under, when there is one.
	Field string `json:"field,omitempty"`
	Value string `json:"value"`
	// Why says how it was recognised.
	Why string `json:"why"`
}

// Known are the device's own identifiers, when the session could read them;
// a request carrying one of these values is flagged whatever its field name.
type Known struct {
	IMEI      []string
	AndroidID string
	MAC       []string
	Phone     []string
}

var (
	imeiKeyRE  = regexp.MustCompile(`(?i)^(imei\d?|meid|device_?imei|imei_?md5)$`)
	aidKeyRE   = regexp.MustCompile(`(?i)^(android_?id|aid|androidid|ssaid)$`)
	macKeyRE   = regexp.MustCompile(`(?i)^(mac|mac_?addr(ess)?|wifi_?mac|bssid)$`)
	phoneKeyRE = regexp.MustCompile(`(?i)^(phone|mobile|tel|phone_?num(ber)?|msisdn|line1_?number)$`)
	latKeyRE   = regexp.MustCompile(`(?i)^(lat|latitude)$`)
	lngKeyRE   = regexp.MustCompile(`(?i)^(lng|lon|long|longitude)$`)

	digits15RE = regexp.MustCompile(`^\d{15}$`)
	hex16RE    = regexp.MustCompile(`^[0-9a-fA-F]{16}$`)
	macRE      = regexp.MustCompile(`^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$`)
	macAnyRE   = regexp.MustCompile(`(?i)\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b`)
	phoneRE    = regexp.MustCompile(`^(\+?86)?1[3-9]\d{9}$`)
	coordRE    = regexp.MustCompile(`^-?\d{1,3}\.\d{3,}$`)
	jsonPairRE = regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]{0,40})"\s*:\s*"?([^",{}\[\]]{1,64})"?`)
)

// luhn reports whether the digit string passes the Luhn check (the IMEI
// check digit).
func luhn(s string) bool {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

type field struct{ where, key, val string }

// fields lists the key=value pairs of a request: URL query, form or JSON
// body (flat pairs, at any depth), and headers.
func fields(c Contact) []field {
	var fs []field
	if u, err := url.Parse(c.URL); err == nil {
		for k, vs := range u.Query() {
			for _, v := range vs {
				fs = append(fs, field{"url", k, v})
			}
		}
	}
	for k, vs := range c.Header {
		for _, v := range vs {
			fs = append(fs, field{"header:" + k, strings.TrimPrefix(strings.ToLower(k), "x-"), v})
		}
	}
	body := string(c.Body)
	if q, err := url.ParseQuery(body); err == nil && strings.Contains(body, "=") && !strings.ContainsAny(body, "{\n") {
		for k, vs := range q {
			for _, v := range vs {
				fs = append(fs, field{"body", k, v})
			}
		}
	}
	for _, m := range jsonPairRE.FindAllStringSubmatch(body, 2000) {
		fs = append(fs, field{"body", m[1], strings.TrimSpace(m[2])})
	}
	return fs
}

// FindPI looks for personal data in a plain-HTTP contact: values under
// field names that mean an IMEI (15 digits passing the check digit), an
// Android ID (16 hex digits), a MAC address, a mainland mobile number, or a
// latitude/longitude pair; a MAC address anywhere; and any of the device's
// known identifiers anywhere in the URL, headers or body. CONNECT contacts
// carry no readable content and yield nothing.
func FindPI(c Contact, known Known) []PIHit {
	if c.Kind != KindHTTP {
		return nil
	}
	var hits []PIHit
	seen := map[string]bool{}
	add := func(h PIHit) {
		k := h.Kind + "\x00" + h.Value
		if seen[k] {
			return
		}
		seen[k] = true
		hits = append(hits, h)
	}
	var lat, lng *field
	fs := fields(c)
	for i := range fs {
		f := fs[i]
		v := strings.TrimSpace(f.val)
		switch {
		case imeiKeyRE.MatchString(f.key) && digits15RE.MatchString(v) && luhn(v):
			add(PIHit{Kind: PIIMEI, Category: pi.DeviceID, Where: f.where, Field: f.key, Value: v, Why: "15 digits with a valid IMEI check digit under field " + f.key})
		case aidKeyRE.MatchString(f.key) && hex16RE.MatchString(v):
			add(PIHit{Kind: PIAndroidID, Category: pi.DeviceID, Where: f.where, Field: f.key, Value: v, Why: "16 hex digits under field " + f.key})
		case macKeyRE.MatchString(f.key) && macRE.MatchString(v):
			add(PIHit{Kind: PIMAC, Category: pi.DeviceID, Where: f.where, Field: f.key, Value: v, Why: "a MAC address under field " + f.key})
		case phoneKeyRE.MatchString(f.key) && phoneRE.MatchString(v):
			add(PIHit{Kind: PIPhoneNumber, Category: pi.PhoneNumber, Where: f.where, Field: f.key, Value: v, Why: "a mainland mobile number under field " + f.key})
		case latKeyRE.MatchString(f.key) && coordRE.MatchString(v):
			lat = &fs[i]
		case lngKeyRE.MatchString(f.key) && coordRE.MatchString(v):
			lng = &fs[i]
		}
	}
	if lat != nil && lng != nil {
		add(PIHit{Kind: PILocation, Category: pi.Location, Where: lat.where, Field: lat.key + "," + lng.key,
			Value: lat.val + "," + lng.val, Why: "a latitude and longitude with at least three decimals"})
	}
	all := c.URL + "\n" + string(c.Body)
	for k, vs := range c.Header {
		all += "\n" + k + ": " + strings.Join(vs, ", ")
	}
	for _, m := range macAnyRE.FindAllString(all, 20) {
		if m != "00:00:00:00:00:00" && !strings.EqualFold(m, "02:00:00:00:00:00") {
			add(PIHit{Kind: PIMAC, Category: pi.DeviceID, Where: whereIn(c, m), Value: m, Why: "a MAC address in the request"})
		}
	}
	knownHit := func(kind string, cat pi.Category, vals ...string) {
		for _, v := range vals {
			if len(v) >= 6 && strings.Contains(strings.ToLower(all), strings.ToLower(v)) {
				add(PIHit{Kind: kind, Category: cat, Where: whereIn(c, v), Value: v, Why: "the device's own " + kind})
			}
		}
	}
	knownHit(PIIMEI, pi.DeviceID, known.IMEI...)
	knownHit(PIAndroidID, pi.DeviceID, known.AndroidID)
	knownHit(PIMAC, pi.DeviceID, known.MAC...)
	knownHit(PIPhoneNumber, pi.PhoneNumber, known.Phone...)
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Kind < hits[j].Kind })
	return hits
}

func whereIn(c Contact, v string) string {
	lv := strings.ToLower(v)
	switch {
	case strings.Contains(strings.ToLower(c.URL), lv):
		return "url"
	case strings.Contains(strings.ToLower(string(c.Body)), lv):
		return "body"
	}
	for k, vs := range c.Header {
		if strings.Contains(strings.ToLower(strings.Join(vs, " ")), lv) {
			return "header:" + k
		}
	}
	return "request"
}
