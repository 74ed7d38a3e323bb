package netcap

import (
	"encoding/json"
	"fmt"
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

// fieldKinds maps a field name, lower-cased without "_" and "-", to what
// its value would be.
var fieldKinds = map[string]string{
	"imei": PIIMEI, "imei1": PIIMEI, "imei2": PIIMEI, "meid": PIIMEI, "deviceimei": PIIMEI,
	"androidid": PIAndroidID, "aid": PIAndroidID, "ssaid": PIAndroidID,
	"mac": PIMAC, "macaddr": PIMAC, "macaddress": PIMAC, "wifimac": PIMAC, "bssid": PIMAC,
	"phone": PIPhoneNumber, "mobile": PIPhoneNumber, "tel": PIPhoneNumber, "phonenum": PIPhoneNumber,
	"phonenumber": PIPhoneNumber, "msisdn": PIPhoneNumber, "line1number": PIPhoneNumber,
	"lat": "lat", "latitude": "lat", "lng": "lng", "lon": "lng", "long": "lng", "longitude": "lng",
}

var keyCleaner = strings.NewReplacer("_", "", "-", "")

func fieldKind(key string) string {
	if len(key) > 24 {
		return ""
	}
	if k, ok := fieldKinds[key]; ok { // the common case: already plain lower case
		return k
	}
	return fieldKinds[strings.ToLower(keyCleaner.Replace(key))]
}

var (
	digits15RE = regexp.MustCompile(`^\d{15}$`)
	hex16RE    = regexp.MustCompile(`^[0-9a-fA-F]{16}$`)
	macRE      = regexp.MustCompile(`^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$`)
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
	if t := strings.TrimSpace(body); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		// JSON, possibly cut at the cap: stream its tokens up to the first error.
		jsonFields(t, func(k, v string) { fs = append(fs, field{"body", k, v}) })
	} else {
		for _, m := range jsonPairRE.FindAllStringSubmatch(body, -1) { // JSON-like pairs inside other text; the body is capped (MaxBody)
			fs = append(fs, field{"body", m[1], strings.TrimSpace(m[2])})
		}
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
		kind := fieldKind(f.key)
		if kind == "" {
			continue
		}
		switch {
		case kind == PIIMEI && digits15RE.MatchString(v) && luhn(v):
			add(PIHit{Kind: PIIMEI, Category: pi.DeviceID, Where: f.where, Field: f.key, Value: v, Why: "15 digits with a valid IMEI check digit under field " + f.key})
		case kind == PIAndroidID && hex16RE.MatchString(v):
			add(PIHit{Kind: PIAndroidID, Category: pi.DeviceID, Where: f.where, Field: f.key, Value: v, Why: "16 hex digits under field " + f.key})
		case kind == PIMAC && macRE.MatchString(v):
			add(PIHit{Kind: PIMAC, Category: pi.DeviceID, Where: f.where, Field: f.key, Value: v, Why: "a MAC address under field " + f.key})
		case kind == PIPhoneNumber && phoneRE.MatchString(v):
			add(PIHit{Kind: PIPhoneNumber, Category: pi.PhoneNumber, Where: f.where, Field: f.key, Value: v, Why: "a mainland mobile number under field " + f.key})
		case kind == "lat" && coordRE.MatchString(v):
			lat = &fs[i]
		case kind == "lng" && coordRE.MatchString(v):
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
	for _, m := range macsIn(all, 20) {
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

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func isWord(c byte) bool { return isHex(c) || c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z' || c == '_' }

// macsIn returns up to max colon-separated MAC addresses ("AC:DE:48:00:11:22")
// standing alone in s (not inside a longer word or colon chain).
func macsIn(s string, max int) []string {
	var out []string
	for i := 0; i+17 <= len(s) && len(out) < max; i++ {
		if s[i+2] != ':' || !isHex(s[i]) {
			continue
		}
		ok := true
		for j := 0; j < 17 && ok; j++ {
			if j%3 == 2 {
				ok = s[i+j] == ':'
			} else {
				ok = isHex(s[i+j])
			}
		}
		if !ok || i > 0 && (isWord(s[i-1]) || s[i-1] == ':') || i+17 < len(s) && (isWord(s[i+17]) || s[i+17] == ':') {
			continue
		}
		out = append(out, s[i:i+17])
		i += 16
	}
	return out
}

// jsonFields calls add for every scalar member of every object in the JSON
// text, at any depth, until the text ends or stops being valid JSON (a body
// cut at the cap yields the members before the cut).
func jsonFields(text string, add func(key, value string)) {
	var doc any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if dec.Decode(&doc) == nil {
		walkJSON(doc, "", add)
		return
	}
	dec = json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	type frame struct {
		obj       bool
		expectKey bool
		key       string
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		n := len(stack)
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if n > 0 && stack[n-1].obj {
					stack[n-1].expectKey = true // the container was this member's value
				}
				stack = append(stack, frame{obj: v == '{', expectKey: v == '{'})
			default:
				if n > 0 {
					stack = stack[:n-1]
				}
			}
		default:
			if n == 0 || !stack[n-1].obj {
				continue
			}
			if stack[n-1].expectKey {
				stack[n-1].key, _ = v.(string)
				stack[n-1].expectKey = false
				continue
			}
			add(stack[n-1].key, fmt.Sprint(v))
			stack[n-1].expectKey = true
		}
	}
}

func walkJSON(v any, key string, add func(key, value string)) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // one order, so the same body always gives the same hits
		for _, k := range keys {
			walkJSON(x[k], k, add)
		}
	case []any:
		for _, e := range x {
			walkJSON(e, key, add)
		}
	default:
		if key != "" {
			add(key, fmt.Sprint(x))
		}
	}
}
