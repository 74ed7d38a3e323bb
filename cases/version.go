package cases

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Version is one APK version examined in a case, with the scan result, the policy extraction and
// the candidate findings as the inspect and rules packages produced them. The store treats the
// three JSON documents as opaque, except that it reads candidate keys (see ParseCandidates).
type Version struct {
	ID          int64
	CaseID      int64
	VersionName string
	VersionCode int64
	// APKSHA256 is the evidence hash of the APK file, or empty.
	APKSHA256  string
	Scan       json.RawMessage
	Policy     json.RawMessage
	Candidates json.RawMessage
	// PolicyText is the plain privacy-policy text, indexed for full-text search.
	PolicyText string
	Created    time.Time
}

// VersionInput is the input to add a version to a case.
type VersionInput struct {
	VersionName string
	VersionCode int64
	APKSHA256   string
	Scan        json.RawMessage
	Policy      json.RawMessage
	Candidates  json.RawMessage
	PolicyText  string
	// Actor is the inspector adding the version, recorded in the audit log.
	Actor string
}

// Validate checks that the JSON documents are valid JSON (or empty) and that candidates parse.
// Errors wrap ErrInvalid.
func (v *VersionInput) Validate() error {
	for name, doc := range map[string]json.RawMessage{"scan": v.Scan, "policy": v.Policy, "candidates": v.Candidates} {
		if len(doc) > 0 && !json.Valid(doc) {
			return fmt.Errorf("cases: version %s: %s is not JSON: %w", v.VersionName, name, ErrInvalid)
		}
	}
	if v.APKSHA256 != "" && !IsSHA256(v.APKSHA256) {
		return fmt.Errorf("cases: version %s: apk hash %q: %w", v.VersionName, v.APKSHA256, ErrInvalid)
	}
	_, err := ParseCandidates(v.Candidates)
	return err
}

// Candidate is the minimal view of one candidate finding that the store needs: the rule that
// fired, the articles it cites and the evidence keys behind it. It is a key view, not a second
// candidate type: the one type is cases/rules.Candidate, which the application passes from the
// rules to the store to every view; cases/rules imports this package, so the store's diff and
// suggested marks read only these fields of the stored document
// ({"rules_version", "candidates", "disclosures"}, see rules.Evaluation). Expected shape:
//
//	{"candidates":[{"rule":"sdk.collect_before_consent","articles":["pipl/13","rd2019/3.1"],"evidence":["com.foo.Sdk#init"]}]}
//
// An evidence element may also be an object with a "key" field, as cases/rules
// writes it: {"key":"sdk:jpush","kind":"sdk",…}. Other fields are ignored.
type Candidate struct {
	Rule     string       `json:"rule"`
	Articles []string     `json:"articles"`
	Evidence EvidenceKeys `json:"evidence"`
}

// EvidenceKeys are the stable keys of a candidate's evidence. In JSON each
// element is either a string or an object whose "key" field is the key.
type EvidenceKeys []string

// UnmarshalJSON accepts strings and objects with a "key" field.
func (k *EvidenceKeys) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(EvidenceKeys, 0, len(raw))
	for i, r := range raw {
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			out = append(out, s)
			continue
		}
		var o struct {
			Key string `json:"key"`
		}
		if err := json.Unmarshal(r, &o); err != nil || o.Key == "" {
			return fmt.Errorf("evidence %d: want a string or an object with a key", i)
		}
		out = append(out, o.Key)
	}
	*k = out
	return nil
}

// ParseCandidates reads the candidate keys from a candidates document. An empty document has no
// candidates. Errors wrap ErrInvalid.
func ParseCandidates(doc json.RawMessage) ([]Candidate, error) {
	if len(strings.TrimSpace(string(doc))) == 0 {
		return nil, nil
	}
	var d struct {
		Candidates []Candidate `json:"candidates"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("cases: parse candidates: %v: %w", err, ErrInvalid)
	}
	for i, c := range d.Candidates {
		if strings.TrimSpace(c.Rule) == "" {
			return nil, fmt.Errorf("cases: parse candidates: candidate %d has no rule: %w", i, ErrInvalid)
		}
	}
	return d.Candidates, nil
}

// Finding is one (rule, article) pair of a candidate, the unit compared between versions.
type Finding struct {
	Rule    string
	Article string
	// Evidence is the union of the evidence keys of the candidates with this rule and article,
	// sorted.
	Evidence []string
}

// Key returns "rule@article".
func (f Finding) Key() string { return f.Rule + "@" + f.Article }

// Findings flattens candidates into (rule, article) findings, sorted by rule then article. A
// candidate with no article yields one finding with an empty article.
func Findings(cands []Candidate) []Finding {
	byKey := map[string]*Finding{}
	for _, c := range cands {
		arts := c.Articles
		if len(arts) == 0 {
			arts = []string{""}
		}
		for _, a := range arts {
			f := Finding{Rule: c.Rule, Article: a}
			p, ok := byKey[f.Key()]
			if !ok {
				p = &f
				byKey[f.Key()] = p
			}
			p.Evidence = append(p.Evidence, c.Evidence...)
		}
	}
	out := make([]Finding, 0, len(byKey))
	for _, f := range byKey {
		f.Evidence = sortedUnique(f.Evidence)
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rule != out[j].Rule {
			return out[i].Rule < out[j].Rule
		}
		return out[i].Article < out[j].Article
	})
	return out
}

// Diff compares the candidate findings of two versions of a case.
type Diff struct {
	FromVersion, ToVersion int64
	// Fixed findings are in the old version only, New in the new version only, Remaining in both
	// (with the new version's evidence).
	Fixed, New, Remaining []Finding
	// Unchecked findings are in the old version only, but come from runtime
	// evidence (a recorded device session) the new version was not tested
	// with: neither fixed nor remaining until it is. Filled by the caller
	// that knows which evidence each version has (DiffCandidates leaves it
	// empty).
	Unchecked []Finding
}

// DiffCandidates compares two candidate lists by (rule, article).
func DiffCandidates(from, to []Candidate) Diff {
	a, b := Findings(from), Findings(to)
	inA := map[string]bool{}
	for _, f := range a {
		inA[f.Key()] = true
	}
	inB := map[string]bool{}
	var d Diff
	for _, f := range b {
		inB[f.Key()] = true
		if inA[f.Key()] {
			d.Remaining = append(d.Remaining, f)
		} else {
			d.New = append(d.New, f)
		}
	}
	for _, f := range a {
		if !inB[f.Key()] {
			d.Fixed = append(d.Fixed, f)
		}
	}
	return d
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	s = append([]string(nil), s...)
	sort.Strings(s)
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// SortedUnique returns a sorted copy of s without duplicates and empty strings.
func SortedUnique(s []string) []string {
	var t []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			t = append(t, v)
		}
	}
	return sortedUnique(t)
}
