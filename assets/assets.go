// Package assets holds the files AppInspect embeds: the application icon, the
// bundled CJK font and the UI translations. It only embeds; it has no logic
// beyond exposing the bytes.
package assets

import (
	"embed"
	_ "embed"
)

// Icon is the application icon (PNG, 512×512).
//
//go:embed icon.png
var Icon []byte

// FontRegular is LXGW WenKai Regular, a TrueType font with Latin and CJK
// glyphs, licensed under the SIL Open Font License 1.1 (fonts/OFL.txt). The
// UI theme and the PDF reports both use it.
//
//go:embed fonts/LXGWWenKai-Regular.ttf
var FontRegular []byte

// FontLicense is the licence text of FontRegular.
//
//go:embed fonts/OFL.txt
var FontLicense string

// FontName is the file name of FontRegular, for APIs that want one.
const FontName = "LXGWWenKai-Regular.ttf"

// Translations holds translations/<lang>.json, flat key → text maps.
//
//go:embed translations/*.json
var Translations embed.FS

// Demo holds demo/: the fictitious demo case (demo.json, a synth.Spec for
// the 示例天气 app, and policy.txt, its privacy policy); see demo/README.md.
//
//go:embed demo
var Demo embed.FS
