package rules

import (
	"testing"

	"github.com/appinspect/appinspect/inspect/sdk"
)

// An SDK only mentioned (strings or hosts, as in scans stored before
// sdk_mentions) is never a third party of the app (issue 16).
func TestMentionedSDKIsNotThirdParty(t *testing.T) {
	s := sdkOf("getui", "Getui", "push")
	s.Evidence = []sdk.Evidence{{Kind: sdk.KindString, Value: "com.igexin.sdk", Count: 1}}
	if isThirdParty(s) {
		t.Error("a string-only SDK counted as a third party")
	}
	s.Evidence = append(s.Evidence, sdk.Evidence{Kind: sdk.KindClass, Value: "com.igexin.sdk", Count: 40})
	if !isThirdParty(s) {
		t.Error("an SDK with its classes is a third party")
	}
}
