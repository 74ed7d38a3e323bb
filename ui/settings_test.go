package ui

import (
	"testing"

	"fyne.io/fyne/v2/theme"

	"github.com/appinspect/appinspect/cases/workspace"
)

func TestSettingsSaveAppliesLanguageAndTheme(t *testing.T) {
	b := newFake(t)
	var saved workspace.Settings
	b.SaveSettingsFn = func(s workspace.Settings) error { saved = s; return nil }
	m := newTestMain(t, b, "zh")
	if T("home.newcase") != "新建案件…" {
		t.Fatalf("language not applied: %q", T("home.newcase"))
	}
	f := showSettings(m)
	f.inspector.SetText(" 李四 ")
	f.authName.SetText("某省通信管理局")
	f.seal.SetText("/data/seal.png")
	f.days.SetText("15")
	f.adb.SetText("/opt/adb")
	f.lang.SetSelectedIndex(2)  // English
	f.theme.SetSelectedIndex(2) // dark
	f.days.SetText("abc")
	f.save()
	if saved.Inspector != "" {
		t.Fatal("saved with invalid days")
	}
	if !f.daysMsg.Visible() || f.daysMsg.Text == "" {
		t.Error("no message next to the days field")
	}
	f.days.SetText("15")
	f.save()
	if saved.Inspector != "李四" || saved.Authority.Name != "某省通信管理局" || saved.Authority.Seal != "/data/seal.png" ||
		saved.RectificationDays != 15 || saved.ADB != "/opt/adb" || saved.Language != "en" || saved.Authority.Kind != "regulator" {
		t.Errorf("saved = %+v", saved)
	}
	if p := m.a.Preferences(); p.String(prefTheme) != "dark" || p.String(prefLanguage) != "en" {
		t.Errorf("prefs theme %q language %q", p.String(prefTheme), p.String(prefLanguage))
	}
	if th, ok := m.a.Settings().Theme().(*appTheme); !ok || th.variant == nil || *th.variant != theme.VariantDark {
		t.Errorf("dark theme not applied: %#v", m.a.Settings().Theme())
	}
	// The window was rebuilt in English.
	wait(t, m.home.loads)
	if T("home.newcase") != "New case…" || m.home.count.Text != "Cases · 4 shown" {
		t.Errorf("not rebuilt in English: %q", m.home.count.Text)
	}
}

func TestRebuildKeepsWorkspaceTab(t *testing.T) {
	m := newTestMain(t, newFake(t), "en")
	ws := openTestCase(t, m)
	ws.tabs.SelectIndex(3)
	SetLanguage("zh")
	m.rebuild()
	wait(t, m.ws.loaded)
	if m.ws == ws || m.ws.tabs.SelectedIndex() != 3 || m.ws.tabs.Items[0].Text != "审阅" {
		t.Errorf("rebuilt tab %d %q", m.ws.tabs.SelectedIndex(), m.ws.tabs.Items[0].Text)
	}
}
