package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/appinspect/appinspect/cases"
	"github.com/appinspect/appinspect/cases/workspace"
	"github.com/appinspect/appinspect/inspect"
	"github.com/appinspect/appinspect/inspect/sdk"
)

// ConfirmSDK records the inspector's judgement that an SDK the scan found
// only mentioned (strings, hosts, meta-data keys, a callback class: never a
// finding on their own) is in the app all the same — seen in run-time
// traffic, a file the app loads, the company's own SDK list. The note says
// how; it is required and is kept, with the inspector's name, as the SDK's
// evidence of kind "confirmed" in the scan of a new version, which the
// current rules then evaluate: from then on the SDK is present, and — when
// it is a third-party SDK that handles personal information — a 涉及主体
// that can be a candidate and a notice line, each naming the confirmation.
//
// With withdraw the confirmation is taken back (the note is not needed):
// the SDK is a mention again in a new version. Only the newest version is
// changed; a later re-inspection starts from its own scan, so a new build
// is confirmed anew.
func (s *Service) ConfirmSDK(ctx context.Context, caseID int64, sdkID, note string, withdraw bool) (*workspace.Reinspection, error) {
	c, v, scan, err := s.newestScan(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if withdraw {
		err = unconfirmSDK(scan, sdkID)
	} else {
		err = confirmSDK(scan, sdkID, s.inspector(""), note)
	}
	if err != nil {
		return nil, fmt.Errorf("case %s, version %d: %w", c.Number, v.ID, err)
	}
	return s.reevaluateScan(ctx, c, v, scan)
}

// confirmSDK moves the mentioned SDK id into the present SDKs with the
// inspector's confirmation as evidence.
func confirmSDK(r *inspect.Result, id, who, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return fmt.Errorf("confirming SDK %s needs a note saying how it was seen in the app (run-time traffic, a loaded file, the company's SDK list …): %w", id, cases.ErrInvalid)
	}
	confirm := func(x *inspect.SDK) {
		x.Evidence = append(x.Evidence, sdk.Evidence{Kind: sdk.KindConfirmed, Value: who, Count: 1, Examples: []string{note}})
		x.Present = true
		x.Confidence = sdk.High // the inspector saw it at work
	}
	i := slices.IndexFunc(r.SDKMentions, func(x inspect.SDK) bool { return x.ID == id })
	if i < 0 {
		j := slices.IndexFunc(r.SDKs, func(x inspect.SDK) bool { return x.ID == id })
		switch {
		case j >= 0 && r.SDKs[j].Mentioned():
			// a scan stored before sdk_mentions existed keeps mentions here
			confirm(&r.SDKs[j])
			return nil
		case j >= 0:
			if _, _, ok := r.SDKs[j].Confirmation(); ok {
				return fmt.Errorf("SDK %s is already confirmed: %w", id, cases.ErrInvalid)
			}
			return fmt.Errorf("SDK %s is already present (its code, a component or a native library is in the APK): only a mentioned SDK is confirmed: %w", id, cases.ErrInvalid)
		}
		return fmt.Errorf("SDK %s is not among the SDKs this version only mentions (%s): %w", id, mentionIDs(r), cases.ErrNotFound)
	}
	x := r.SDKMentions[i]
	r.SDKMentions = slices.Delete(r.SDKMentions, i, i+1)
	confirm(&x)
	r.SDKs = append(r.SDKs, x)
	slices.SortFunc(r.SDKs, func(a, b inspect.SDK) int { return strings.Compare(a.ID, b.ID) })
	return nil
}

// mentionConfidence grades a mention's evidence as the matcher does: a
// meta-data key or a referenced type is medium, strings and hosts low.
func mentionConfidence(x inspect.SDK) string {
	for _, e := range x.Evidence {
		if e.Kind == sdk.KindMetaData || e.Kind == sdk.KindReference {
			return sdk.Medium
		}
	}
	return sdk.Low
}

// unconfirmSDK takes back a confirmation: the SDK's confirmed evidence is
// dropped and, with nothing else showing its code, it is a mention again.
func unconfirmSDK(r *inspect.Result, id string) error {
	i := slices.IndexFunc(r.SDKs, func(x inspect.SDK) bool {
		_, _, ok := x.Confirmation()
		return x.ID == id && ok
	})
	if i < 0 {
		return fmt.Errorf("SDK %s has no confirmation to withdraw: %w", id, cases.ErrNotFound)
	}
	x := r.SDKs[i]
	x.Evidence = slices.DeleteFunc(slices.Clone(x.Evidence), func(e sdk.Evidence) bool { return e.Kind == sdk.KindConfirmed })
	if !x.Mentioned() {
		r.SDKs[i] = x // its code is in the APK after all
		return nil
	}
	x.Present = false
	x.Confidence = mentionConfidence(x)
	r.SDKs = slices.Delete(r.SDKs, i, i+1)
	r.SDKMentions = append(r.SDKMentions, x)
	slices.SortFunc(r.SDKMentions, func(a, b inspect.SDK) int { return strings.Compare(a.ID, b.ID) })
	return nil
}

func mentionIDs(r *inspect.Result) string {
	if len(r.SDKMentions) == 0 {
		return "none"
	}
	var ids []string
	for _, x := range r.SDKMentions {
		ids = append(ids, x.ID)
	}
	return strings.Join(ids, ", ")
}
