package apk

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// NativeLib is a native library shipped under lib/<abi>/.
type NativeLib struct {
	ABI   string `json:"abi"`
	Name  string `json:"name"` // file name, e.g. "libjpush.so"
	Path  string `json:"path"` // entry name
	Split string `json:"split"`
	Size  int64  `json:"size"`
}

// NativeLibs lists lib/<abi>/*.so of the base and the splits, sorted by ABI,
// name and split.
func NativeLibs(a *Archive) []NativeLib {
	out := []NativeLib{}
	for _, e := range a.Entries() {
		abi, rest, ok := libPath(e.Name)
		if !ok || !strings.HasSuffix(rest, ".so") {
			continue
		}
		out = append(out, NativeLib{ABI: abi, Name: path.Base(rest), Path: e.Name, Split: e.Split, Size: e.Size})
	}
	slices.SortFunc(out, func(x, y NativeLib) int {
		return cmp.Or(strings.Compare(x.ABI, y.ABI), strings.Compare(x.Name, y.Name),
			strings.Compare(x.Split, y.Split), strings.Compare(x.Path, y.Path))
	})
	return out
}

// libPath splits "lib/<abi>/<rest>" entries.
func libPath(name string) (abi, rest string, ok bool) {
	r, found := strings.CutPrefix(name, "lib/")
	if !found {
		return "", "", false
	}
	abi, rest, found = strings.Cut(r, "/")
	if !found || abi == "" || rest == "" || strings.HasSuffix(rest, "/") {
		return "", "", false
	}
	return abi, rest, true
}

// ABIs returns the sorted unique ABIs that have files under lib/<abi>/, the
// way aapt's native-code line does.
func ABIs(a *Archive) []string {
	out := []string{}
	for _, e := range a.Entries() {
		if abi, _, ok := libPath(e.Name); ok {
			out = append(out, abi)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ResourceStrings returns every string of the global value pools of the
// resources.arsc files of the base and the splits, deduplicated and sorted
// (for endpoint and key extraction). An APK without resources.arsc yields an
// empty list; a corrupt one an error naming it.
func ResourceStrings(a *Archive) ([]string, error) {
	out := []string{}
	for _, p := range a.parts {
		if _, ok := p.files["resources.arsc"]; !ok {
			continue
		}
		data, err := a.ReadFile(p.split.Name, "resources.arsc")
		if err != nil {
			return nil, err
		}
		t, err := parseResTable(data)
		if err != nil {
			return nil, fmt.Errorf("apk: %s: %w", a.where(p), err)
		}
		strs, err := t.pool.all()
		if err != nil {
			return nil, fmt.Errorf("apk: %s: resources.arsc: %w", a.where(p), err)
		}
		for _, s := range strs {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// PolicyDoc is a privacy policy, user agreement or similar document bundled
// in the APK.
type PolicyDoc struct {
	Path      string `json:"path"`
	Split     string `json:"split"`
	Size      int64  `json:"size"`
	Title     string `json:"title"`
	Kind      string `json:"kind"` // "privacy", "terms" or "other"
	MediaType string `json:"media_type"`
}

var (
	privacyTerms = []string{"privacy", "隐私", "yinsi", "personal_info", "个人信息"}
	termsTerms   = []string{"agreement", "协议", "xieyi", "terms", "eula", "license", "licence", "条款", "protocol"}
	otherTerms   = []string{"policy", "政策"}
	// contentMarkers are phrases in a title or first lines that identify a
	// policy document.
	privacyMarkers = []string{"隐私政策", "隐私协议", "隐私权政策", "隐私保护", "个人信息保护", "privacy policy", "privacy notice"}
	termsMarkers   = []string{"用户协议", "服务协议", "使用协议", "用户服务协议", "许可协议", "terms of service", "terms of use", "user agreement", "end user license"}

	titleRe = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// docMediaTypes are the extensions of documents we consider.
var docMediaTypes = map[string]string{
	".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
	".txt": "text/plain", ".md": "text/markdown", ".pdf": "application/pdf", ".rtf": "application/rtf",
	"": "application/octet-stream",
}

const (
	policySniffBytes = 64 << 10 // read this much of a candidate's head
	policyMaxSniff   = 400      // sniff at most this many files per archive
	policyMaxSize    = 8 << 20  // ignore larger documents
)

// FindPolicyDocs finds bundled privacy policies and agreements: files under
// assets/ or res/raw/ whose names contain a policy term (privacy, 隐私,
// policy, agreement, 协议, yinsi, license …), and HTML/text files whose
// <title> or first lines mention one (隐私政策, 用户协议, privacy policy …).
// Other HTML assets are not reported. Sorted by split and path.
func FindPolicyDocs(a *Archive) []PolicyDoc {
	out := []PolicyDoc{}
	sniffed := 0
	for _, e := range a.Entries() {
		if !(strings.HasPrefix(e.Name, "assets/") || strings.HasPrefix(e.Name, "res/raw/")) ||
			strings.HasSuffix(e.Name, "/") || e.Size > policyMaxSize {
			continue
		}
		ext := strings.ToLower(path.Ext(e.Name))
		mt, ok := docMediaTypes[ext]
		if !ok {
			continue
		}
		base := strings.ToLower(path.Base(e.Name))
		kind := classify(base, privacyTerms, termsTerms)
		if kind == "" && containsAny(base, otherTerms) {
			kind = "other"
		}
		textual := strings.HasPrefix(mt, "text/") || mt == "application/xhtml+xml"
		if kind == "" && !textual {
			continue
		}
		if ext == "" && kind == "" {
			continue
		}
		doc := PolicyDoc{Path: e.Name, Split: e.Split, Size: e.Size, Kind: kind, MediaType: mt}
		if textual && sniffed < policyMaxSniff {
			sniffed++
			head := readHead(a, e)
			title, lead := docTitle(head, mt == "text/html" || mt == "application/xhtml+xml")
			doc.Title = title
			ck := classify(strings.ToLower(title+"\n"+lead), privacyMarkers, termsMarkers)
			switch {
			case ck != "" && (doc.Kind == "" || doc.Kind == "other"):
				doc.Kind = ck
			case doc.Kind == "":
				continue // an ordinary HTML/text asset
			}
		} else if kind == "" {
			continue
		}
		out = append(out, doc)
	}
	slices.SortFunc(out, func(x, y PolicyDoc) int {
		return cmp.Or(strings.Compare(x.Split, y.Split), strings.Compare(x.Path, y.Path))
	})
	return out
}

func containsAny(s string, terms []string) bool {
	for _, t := range terms {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// classify returns "privacy", "terms" or "".
func classify(s string, privacy, terms []string) string {
	switch {
	case containsAny(s, privacy):
		return "privacy"
	case containsAny(s, terms):
		return "terms"
	}
	return ""
}

// readHead reads at most policySniffBytes of an entry, "" on error.
func readHead(a *Archive, e Entry) []byte {
	rc, err := a.Open(e.Split, e.Name)
	if err != nil {
		return nil
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, policySniffBytes))
	return b
}

// docTitle returns the <title> (HTML) or first non-empty line, and the first
// lines of text, decoded from UTF-8 or GB18030.
func docTitle(head []byte, html bool) (title, lead string) {
	if !utf8.Valid(head) {
		// A cut in the middle of a UTF-8 sequence is fine; otherwise try GB18030.
		if cut := trimIncompleteUTF8(head); !utf8.Valid(cut) {
			if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(head); err == nil {
				head = d
			}
		} else {
			head = cut
		}
	}
	s := string(bytes.ToValidUTF8(head, nil))
	if html {
		if m := titleRe.FindStringSubmatch(s); m != nil {
			title = clean(m[1])
		}
		s = tagRe.ReplaceAllString(s, "\n")
	}
	var lines []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = clean(l); l != "" {
			lines = append(lines, l)
			if len(lines) == 5 {
				break
			}
		}
	}
	if title == "" && len(lines) > 0 {
		title = lines[0]
		if title == "---" { // Markdown front matter
			for _, l := range lines[1:] {
				if t, ok := strings.CutPrefix(l, "title:"); ok {
					title = strings.Trim(strings.TrimSpace(t), `"'`)
					break
				}
			}
		}
	}
	if r := []rune(title); len(r) > 200 {
		title = string(r[:200])
	}
	return title, strings.Join(lines, "\n")
}

func trimIncompleteUTF8(b []byte) []byte {
	for i := 0; i < 3 && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
}

func clean(s string) string {
	s = strings.NewReplacer("&nbsp;", " ", "&amp;", "&", "&lt;", "<", "&gt;", ">", "\r", " ", "\t", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
