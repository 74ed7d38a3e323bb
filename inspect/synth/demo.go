package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"strings"

	"github.com/appinspect/appinspect/assets"
)

// DemoPolicyAsset is the entry under which BuildDemo bundles the demo
// privacy policy, as HTML, in the demo APK.
const DemoPolicyAsset = "assets/privacy_policy.html"

// DemoSpec returns the Spec of the fictitious demo app (assets/demo/demo.json).
func DemoSpec() (Spec, error) {
	b, err := assets.Demo.ReadFile("demo/demo.json")
	if err != nil {
		return Spec{}, fmt.Errorf("synth: demo spec: %w", err)
	}
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("synth: demo spec: %w", err)
	}
	return s, nil
}

// DemoPolicy returns the demo app's privacy policy (assets/demo/policy.txt),
// UTF-8 text.
func DemoPolicy() ([]byte, error) {
	b, err := assets.Demo.ReadFile("demo/policy.txt")
	if err != nil {
		return nil, fmt.Errorf("synth: demo policy: %w", err)
	}
	return b, nil
}

// BuildDemo builds the demo APK from DemoSpec, with the policy bundled as
// DemoPolicyAsset, and returns it with the policy text.
func BuildDemo() (apk []byte, policy []byte, err error) {
	s, err := DemoSpec()
	if err != nil {
		return nil, nil, err
	}
	policy, err = DemoPolicy()
	if err != nil {
		return nil, nil, err
	}
	s.Assets = maps.Clone(s.Assets)
	if s.Assets == nil {
		s.Assets = map[string][]byte{}
	}
	s.Assets[DemoPolicyAsset] = policyHTML(string(policy))
	apk, err = Build(s)
	if err != nil {
		return nil, nil, err
	}
	return apk, policy, nil
}

// policyHTML renders a plain-text policy as an HTML page: the first
// non-empty line after the fictitious-text notice is the title, and each
// line a paragraph.
func policyHTML(text string) []byte {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	title := "隐私政策"
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" {
			title = l
			break
		}
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</title></head><body>\n")
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
		}
	}
	b.WriteString("</body></html>\n")
	return []byte(b.String())
}
