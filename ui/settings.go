package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

var (
	langValues  = []string{"", "zh", "en"}
	themeValues = []string{"", "light", "dark"}
	authKinds   = []string{"regulator", "agency", "association"}
)

// settingsForm edits the workstation settings (through the backend) and
// the visual preferences (language and theme, in Fyne preferences).
type settingsForm struct {
	m *MainWindow
	s workspace.Settings

	inspector *widget.Entry
	authKind  *widget.Select
	authName  *widget.Entry
	address   *widget.Entry
	contact   *widget.Entry
	phone     *widget.Entry
	seal      *widget.Entry
	days      *widget.Entry
	holidays  *widget.Entry
	adb       *widget.Entry
	dataDir   *widget.Entry
	timezone  *widget.Entry
	lang      *widget.Select
	theme     *widget.Select
	keyFP     *widget.Label // read-only: the signing key's fingerprint
	dlg       *dialog.CustomDialog
	daysMsg   *widget.Label // the days' validation message, next to the field
}

// showSettings opens the settings dialog.
func showSettings(m *MainWindow) *settingsForm {
	f := newSettingsForm(m)
	// Own buttons: an invalid entry keeps the dialog open with everything
	// typed, its message next to the field.
	f.dlg = dialog.NewCustomWithoutButtons(T("set.title"), f.content(), m.w)
	save := widget.NewButton(T("common.save"), func() {
		if f.save() {
			f.dlg.Hide()
		}
	})
	save.Importance = widget.HighImportance
	f.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(T("common.cancel"), f.dlg.Hide), save})
	f.dlg.Resize(fyne.NewSize(760, 640))
	f.dlg.Show()
	return f
}

func newSettingsForm(m *MainWindow) *settingsForm {
	s := m.b.Settings()
	f := &settingsForm{m: m, s: s}
	entry := func(v string) *widget.Entry { e := widget.NewEntry(); e.SetText(v); return e }
	f.inspector = entry(s.Inspector)
	f.keyFP = widget.NewLabel(m.b.KeyFingerprint())
	f.keyFP.Selectable = true
	var kinds []string
	for _, k := range authKinds {
		kinds = append(kinds, T("exp.tpl."+k))
	}
	f.authKind = widget.NewSelect(kinds, nil)
	for i, k := range authKinds {
		if k == s.Authority.Kind {
			f.authKind.SetSelectedIndex(i)
		}
	}
	f.authName = entry(s.Authority.Name)
	f.address = entry(s.Authority.Address)
	f.contact = entry(s.Authority.Contact)
	f.phone = entry(s.Authority.Phone)
	f.seal = entry(s.Authority.Seal)
	days := s.RectificationDays
	if days <= 0 {
		days = cases.DefaultRectificationDays
	}
	f.days = entry(strconv.Itoa(days))
	f.daysMsg = widget.NewLabel("")
	f.daysMsg.Importance = widget.DangerImportance
	f.daysMsg.Hide()
	f.days.OnChanged = func(string) { f.daysMsg.Hide() }
	f.holidays = entry(s.HolidayFile)
	f.dataDir = entry(m.b.DataDir())
	f.adb = entry(s.ADB)
	f.timezone = entry(s.Timezone)
	f.timezone.SetPlaceHolder(defaultZone)
	f.adb.SetPlaceHolder(T("set.adbsearch"))
	f.lang = widget.NewSelect([]string{T("set.system"), "中文", "English"}, nil)
	f.lang.SetSelectedIndex(max(indexOf(langValues, m.a.Preferences().String(prefLanguage)), 0))
	f.theme = widget.NewSelect([]string{T("set.system"), T("set.light"), T("set.dark")}, nil)
	f.theme.SetSelectedIndex(max(indexOf(themeValues, m.a.Preferences().String(prefTheme)), 0))
	return f
}

func (f *settingsForm) content() fyne.CanvasObject {
	pick := func(e *widget.Entry, exts []string) fyne.CanvasObject {
		b := widget.NewButton("…", func() { openFile(f.m.w, exts, func(p string) { e.SetText(p) }) })
		return container.NewBorder(nil, nil, nil, b, e)
	}
	form := widget.NewForm(
		widget.NewFormItem(T("set.inspector"), f.inspector),
		widget.NewFormItem(T("set.authkind"), f.authKind),
		widget.NewFormItem(T("set.authname"), f.authName),
		widget.NewFormItem(T("set.address"), f.address),
		widget.NewFormItem(T("set.contact"), f.contact),
		widget.NewFormItem(T("set.phone"), f.phone),
		widget.NewFormItem(T("set.seal"), pick(f.seal, []string{".png"})),
		widget.NewFormItem(T("set.days"), container.NewVBox(f.days, f.daysMsg)),
		widget.NewFormItem(T("set.holidays"), pick(f.holidays, []string{".json"})),
		widget.NewFormItem(T("set.timezone"), f.timezone),
		widget.NewFormItem(T("set.language"), f.lang),
		widget.NewFormItem(T("set.theme"), f.theme),
		widget.NewFormItem(T("set.datadir"), container.NewBorder(nil, nil, nil,
			widget.NewButton("…", func() { openFolder(f.m.w, func(p string) { f.dataDir.SetText(p) }) }), f.dataDir)),
		widget.NewFormItem(T("set.adb"), pick(f.adb, nil)),
		widget.NewFormItem(T("set.keyfp"), f.keyFP),
	)
	return container.NewVScroll(form)
}

// invalid shows msg next to field and focuses it.
func (f *settingsForm) invalid(field *widget.Entry, label *widget.Label, msg string) bool {
	label.SetText(msg)
	label.Show()
	f.m.w.Canvas().Focus(field)
	return false
}

// save stores the settings and applies theme and language at once.
// save stores the settings; it reports false (and saves nothing) when a
// field is invalid or storing failed.
func (f *settingsForm) save() bool {
	s := f.s
	s.Inspector = strings.TrimSpace(f.inspector.Text)
	if i := f.authKind.SelectedIndex(); i >= 0 {
		s.Authority.Kind = authKinds[i]
	}
	s.Authority.Name = strings.TrimSpace(f.authName.Text)
	s.Authority.Address = strings.TrimSpace(f.address.Text)
	s.Authority.Contact = strings.TrimSpace(f.contact.Text)
	s.Authority.Phone = strings.TrimSpace(f.phone.Text)
	s.Authority.Seal = strings.TrimSpace(f.seal.Text)
	days, err := strconv.Atoi(strings.TrimSpace(f.days.Text))
	if err != nil || days <= 0 || days > 365 {
		return f.invalid(f.days, f.daysMsg, T("set.baddays"))
	}
	s.RectificationDays = days
	s.HolidayFile = strings.TrimSpace(f.holidays.Text)
	s.ADB = strings.TrimSpace(f.adb.Text)
	s.Timezone = strings.TrimSpace(f.timezone.Text)
	lang := langValues[max(f.lang.SelectedIndex(), 0)]
	s.Language = lang
	if err := f.m.b.SaveSettings(s); err != nil {
		showError(f.m.w, err)
		return false
	}
	setDisplayZone(s.Timezone)
	p := f.m.a.Preferences()
	if dd := strings.TrimSpace(f.dataDir.Text); dd != "" && dd != f.m.b.DataDir() {
		p.SetString(PrefDataDir, dd)
		dialog.ShowInformation(T("set.title"), T("set.datadirrestart", dd), f.m.w)
	}
	th := themeValues[max(f.theme.SelectedIndex(), 0)]
	p.SetString(prefTheme, th)
	f.m.a.Settings().SetTheme(newTheme(th))
	old := Language()
	p.SetString(prefLanguage, lang)
	SetLanguage(lang)
	if Language() != old {
		f.m.rebuild()
	}
	return true
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
