package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/appinspect/appinspect/assets"
)

// fontResource is the bundled CJK-capable font (LXGW WenKai, OFL-1.1).
var fontResource = fyne.NewStaticResource(assets.FontName, assets.FontRegular)

// appTheme wraps the default theme, replacing the fonts — Fyne's default
// font has no CJK glyphs — and optionally forcing a light or dark variant.
type appTheme struct {
	variant *fyne.ThemeVariant // nil = follow the system
}

var _ fyne.Theme = (*appTheme)(nil)

// newTheme returns the theme for a preference value: "light", "dark" or
// anything else for the system's choice.
func newTheme(pref string) *appTheme {
	t := &appTheme{}
	switch pref {
	case "light":
		v := theme.VariantLight
		t.variant = &v
	case "dark":
		v := theme.VariantDark
		t.variant = &v
	}
	return t
}

func (t *appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	return theme.DefaultTheme().Color(n, v)
}

func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Monospace || s.Symbol {
		return theme.DefaultTheme().Font(s)
	}
	return fontResource
}

func (t *appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

func (t *appTheme) Size(n fyne.ThemeSizeName) float32 { return theme.DefaultTheme().Size(n) }

// AppIcon returns the application icon.
func AppIcon() fyne.Resource { return fyne.NewStaticResource("icon.png", assets.Icon) }
