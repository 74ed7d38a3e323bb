package cases

import (
	"fmt"
	"strings"
	"time"
)

// SubjectKind is the role of the inspected organisation under the draft Interim Provisions
// (App operators, distribution platforms, third-party SDK providers, terminal makers and network
// access providers each have their own duties).
type SubjectKind string

// The subject kinds.
const (
	AppOperator           SubjectKind = "app_operator"
	DistributionPlatform  SubjectKind = "distribution_platform"
	SDKProvider           SubjectKind = "sdk_provider"
	TerminalMaker         SubjectKind = "terminal_maker"
	NetworkAccessProvider SubjectKind = "network_access_provider"
)

// SubjectKinds lists every subject kind in display order.
var SubjectKinds = []SubjectKind{AppOperator, DistributionPlatform, SDKProvider, TerminalMaker, NetworkAccessProvider}

var subjectKindNames = map[SubjectKind][2]string{
	AppOperator:           {"应用运营者", "App operator"},
	DistributionPlatform:  {"应用分发平台", "App distribution platform"},
	SDKProvider:           {"第三方SDK提供者", "Third-party SDK provider"},
	TerminalMaker:         {"终端生产企业", "Terminal manufacturer"},
	NetworkAccessProvider: {"网络接入服务提供者", "Network access service provider"},
}

// Valid reports whether k is one of SubjectKinds.
func (k SubjectKind) Valid() bool { _, ok := subjectKindNames[k]; return ok }

// ZH returns the Chinese name of the kind, or the raw value when unknown.
func (k SubjectKind) ZH() string { return nameOr(subjectKindNames, k, 0) }

// EN returns the English name of the kind, or the raw value when unknown.
func (k SubjectKind) EN() string { return nameOr(subjectKindNames, k, 1) }

func nameOr[K ~string](m map[K][2]string, k K, i int) string {
	if n, ok := m[k]; ok {
		return n[i]
	}
	return string(k)
}

// Subject is the organisation inspected.
type Subject struct {
	ID   int64
	Kind SubjectKind
	Name string
	// CreditCode is the 18-character unified social credit code (统一社会信用代码, GB 32100-2015);
	// empty when unknown.
	CreditCode string
	Contact    string
	Address    string
	Created    time.Time
	Updated    time.Time
}

// Validate checks the kind, the name and the credit code. It normalises the credit code to upper
// case without surrounding spaces. Errors wrap ErrInvalid.
func (s *Subject) Validate() error {
	if !s.Kind.Valid() {
		return fmt.Errorf("cases: subject kind %q: %w", s.Kind, ErrInvalid)
	}
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		return fmt.Errorf("cases: subject name is empty: %w", ErrInvalid)
	}
	s.CreditCode = strings.ToUpper(strings.TrimSpace(s.CreditCode))
	if s.CreditCode != "" {
		if err := ValidateCreditCode(s.CreditCode); err != nil {
			return err
		}
	}
	return nil
}

// creditCharset is the 31-character alphabet of GB 32100-2015 (no I, O, Z, S, V).
const creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// ValidateCreditCode checks an 18-character unified social credit code: its alphabet, the
// six-digit administrative division code in positions 3–8 and the check character (position 18)
// computed per GB 32100-2015 (weights 3^i mod 31, check = 31 − sum mod 31). Errors wrap ErrInvalid.
func ValidateCreditCode(code string) error {
	if len(code) != 18 {
		return fmt.Errorf("cases: credit code %q: length %d, want 18: %w", code, len(code), ErrInvalid)
	}
	sum, w := 0, 1
	for i := 0; i < 18; i++ {
		v := strings.IndexByte(creditCharset, code[i])
		if v < 0 {
			return fmt.Errorf("cases: credit code %q: character %q at position %d not allowed: %w", code, code[i], i+1, ErrInvalid)
		}
		if i >= 2 && i < 8 && v > 9 {
			return fmt.Errorf("cases: credit code %q: division code (positions 3-8) must be digits: %w", code, ErrInvalid)
		}
		if i < 17 {
			sum += v * w
			w = w * 3 % 31
		} else if want := (31 - sum%31) % 31; v != want {
			return fmt.Errorf("cases: credit code %q: check character %q, want %q: %w", code, code[17], creditCharset[want], ErrInvalid)
		}
	}
	return nil
}
