package sign

import (
	"fmt"
	"slices"
)

// Android platform levels at which signature schemes start to count.
const (
	sdkV2 = 24 // Android 7.0 checks APK Signature Scheme v2
	sdkV3 = 28 // Android 9 checks APK Signature Scheme v3
)

// Verdict is the platform's decision about an APK once its minSdkVersion is
// known, as `apksigner verify` reports it.
type Verdict struct {
	Verifies bool   `json:"verifies"`         // apksigner would print no "DOES NOT VERIFY"
	Schemes  []int  `json:"schemes"`          // schemes apksigner would list as verified
	Reason   string `json:"reason,omitempty"` // why not, when Verifies is false
}

// ForMinSDK applies apksigner's platform rules to the cryptographic facts in
// r for an APK with the given minSdkVersion (1 when the manifest has none)
// and no maxSdkVersion:
//   - the JAR signature is only checked, and only reported, when minSDK < 24;
//   - every checked scheme that is present must verify;
//   - API levels below 24 need a verified JAR signature, levels 24–27 a JAR
//     or v2 signature, levels from 28 any verified scheme.
//
// It does not re-check that v3 signers' SDK ranges cover every level.
func (r *Result) ForMinSDK(minSDK int) Verdict {
	checkV1 := minSDK < sdkV2
	v := Verdict{Schemes: []int{}}
	for _, s := range r.Schemes {
		if s == SchemeV1 && !checkV1 {
			continue
		}
		v.Schemes = append(v.Schemes, s)
	}
	for _, p := range r.Problems {
		if p.Scheme == SchemeV1 && !checkV1 {
			continue
		}
		v.Reason = p.String()
		return v
	}
	has := func(s int) bool { return slices.Contains(v.Schemes, s) }
	switch {
	case len(v.Schemes) == 0:
		v.Reason = "no verified signature"
		if len(r.Present) > 0 && !checkV1 {
			v.Reason = fmt.Sprintf("no verified v2/v3 signature, and the JAR signature does not count from API %d (minSdkVersion %d)", sdkV2, minSDK)
		}
	case minSDK < sdkV2 && !has(SchemeV1):
		v.Reason = fmt.Sprintf("API levels %d-%d need a JAR (v1) signature, which is missing", minSDK, sdkV2-1)
	case minSDK < sdkV3 && !has(SchemeV1) && !has(SchemeV2):
		v.Reason = fmt.Sprintf("API levels %d-%d need a v1 or v2 signature; v3 counts only from API %d", max(minSDK, sdkV2), sdkV3-1, sdkV3)
	default:
		v.Verifies = true
	}
	return v
}

// ApplyMinSDK records the platform's decision for an APK whose
// minSdkVersion is minSDK: Valid keeps the cryptographically verified
// schemes, Verdict the decision, and Schemes becomes the list apksigner
// reports (empty when it would not verify).
func (r *Result) ApplyMinSDK(minSDK int) {
	v := r.ForMinSDK(minSDK)
	r.Valid = slices.Clone(r.Schemes)
	r.Verdict = &v
	r.Schemes = []int{}
	if v.Verifies {
		r.Schemes = slices.Clone(v.Schemes)
	}
}
