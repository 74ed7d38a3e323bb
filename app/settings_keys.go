package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone data for the timezone setting on systems without it

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
)

// DefaultTimezone is the zone of every displayed and printed time unless the
// timezone setting says otherwise.
const DefaultTimezone = "Asia/Shanghai"

// settingKey is one key of "appinspect settings set".
type settingKey struct {
	name string
	help string
	get  func(workspace.Settings) string
	set  func(*workspace.Settings, string) error
}

// settingKeys lists the keys in display order.
var settingKeys = []settingKey{
	{"issuer", "issuing authority printed on notices (发文单位)",
		func(s workspace.Settings) string { return s.Authority.Name },
		func(s *workspace.Settings, v string) error { s.Authority.Name = v; return nil }},
	{"issuer_address", "address of the issuing authority",
		func(s workspace.Settings) string { return s.Authority.Address },
		func(s *workspace.Settings, v string) error { s.Authority.Address = v; return nil }},
	{"issuer_contact", "contact person of the issuing authority (联系人)",
		func(s workspace.Settings) string { return s.Authority.Contact },
		func(s *workspace.Settings, v string) error { s.Authority.Contact = v; return nil }},
	{"issuer_phone", "telephone of the issuing authority",
		func(s workspace.Settings) string { return s.Authority.Phone },
		func(s *workspace.Settings, v string) error { s.Authority.Phone = v; return nil }},
	{"issuer_kind", "regulator, agency or association (picks the notice template)",
		func(s workspace.Settings) string { return s.Authority.Kind },
		func(s *workspace.Settings, v string) error {
			if !slices.Contains([]string{"regulator", "agency", "association"}, v) {
				return fmt.Errorf("issuer_kind %q: use regulator, agency or association: %w", v, cases.ErrInvalid)
			}
			s.Authority.Kind = v
			return nil
		}},
	{"issuer_seal", "path of a PNG or JPEG seal image printed over the signature",
		func(s workspace.Settings) string { return s.Authority.Seal },
		func(s *workspace.Settings, v string) error { s.Authority.Seal = v; return nil }},
	legalBasisKey("regulator"), legalBasisKey("agency"), legalBasisKey("association"),
	{"inspector", "the inspector's name, recorded on new cases and marks (检测人员)",
		func(s workspace.Settings) string { return s.Inspector },
		func(s *workspace.Settings, v string) error { s.Inspector = v; return nil }},
	{"timezone", "IANA time zone of every displayed and printed time (default " + DefaultTimezone + ")",
		func(s workspace.Settings) string { return firstNonEmpty(s.Timezone, DefaultTimezone) },
		func(s *workspace.Settings, v string) error {
			if _, err := LoadZone(v); err != nil {
				return err
			}
			s.Timezone = v
			return nil
		}},
	{"rectification_days", "working days given for rectification on new notices",
		func(s workspace.Settings) string { return strconv.Itoa(s.RectificationDays) },
		func(s *workspace.Settings, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("rectification_days %q: not a number: %w", v, cases.ErrInvalid)
			}
			s.RectificationDays = n
			return nil
		}},
	{"notice_template", "default notice template: regulator, agency or association",
		func(s workspace.Settings) string { return s.NoticeTemplate },
		func(s *workspace.Settings, v string) error {
			if !slices.Contains([]string{"", "regulator", "agency", "association"}, v) {
				return fmt.Errorf("notice_template %q: use regulator, agency or association: %w", v, cases.ErrInvalid)
			}
			s.NoticeTemplate = v
			return nil
		}},
	{"language", "zh, en or empty (the system's)",
		func(s workspace.Settings) string { return s.Language },
		func(s *workspace.Settings, v string) error {
			if v != "" && v != "zh" && v != "en" {
				return fmt.Errorf("language %q: use zh or en: %w", v, cases.ErrInvalid)
			}
			s.Language = v
			return nil
		}},
	{"adb", "path of the adb binary (empty: search)",
		func(s workspace.Settings) string { return s.ADB },
		func(s *workspace.Settings, v string) error { s.ADB = v; return nil }},
	{"holiday_file", "a holiday calendar JSON merged over the embedded one",
		func(s workspace.Settings) string { return s.HolidayFile },
		func(s *workspace.Settings, v string) error { s.HolidayFile = v; return nil }},
}

// legalBasisKey is the setting legal_basis_<template>: the issuer's own
// sentence stating its power, replacing the template's default.
func legalBasisKey(tmpl string) settingKey {
	return settingKey{"legal_basis_" + tmpl, "legal basis sentence of the " + tmpl + " template (empty: the default)",
		func(s workspace.Settings) string { return s.Authority.LegalBasis[tmpl] },
		func(s *workspace.Settings, v string) error {
			m := map[string]string{}
			for k, x := range s.Authority.LegalBasis {
				m[k] = x
			}
			if v == "" {
				delete(m, tmpl)
			} else {
				m[tmpl] = v
			}
			s.Authority.LegalBasis = m
			return nil
		}}
}

// LoadZone loads an IANA time zone; "" is DefaultTimezone.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = DefaultTimezone
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, fmt.Errorf("timezone %q: not an IANA zone name such as Asia/Shanghai: %w", name, cases.ErrInvalid)
	}
	return loc, nil
}

// Location is the zone of every displayed and printed time, from the
// timezone setting (Asia/Shanghai when unset or unknown).
func (s *Service) Location() *time.Location {
	loc, err := LoadZone(s.Settings().Timezone)
	if err != nil {
		loc, _ = LoadZone("")
	}
	return loc
}

// SetSetting sets one settings key (see "appinspect settings") and saves.
func (s *Service) SetSetting(key, value string) error {
	i := slices.IndexFunc(settingKeys, func(k settingKey) bool { return k.name == key })
	if i < 0 {
		var names []string
		for _, k := range settingKeys {
			names = append(names, k.name)
		}
		return fmt.Errorf("settings: unknown key %q: use one of %s: %w", key, strings.Join(names, ", "), cases.ErrInvalid)
	}
	st := s.Settings()
	if err := settingKeys[i].set(&st, strings.TrimSpace(value)); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	return s.SaveSettings(st)
}

// SettingsMap returns every settings key with its current value.
func (s *Service) SettingsMap() map[string]string {
	st := s.Settings()
	out := map[string]string{}
	for _, k := range settingKeys {
		out[k.name] = k.get(st)
	}
	return out
}

// SettingKey describes one key of the settings ("appinspect settings set").
type SettingKey struct {
	Name string
	Help string
}

// SettingKeys lists the settings keys in display order.
func SettingKeys() []SettingKey {
	out := make([]SettingKey, 0, len(settingKeys))
	for _, k := range settingKeys {
		out = append(out, SettingKey{Name: k.name, Help: k.help})
	}
	return out
}
