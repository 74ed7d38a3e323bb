package workspace

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNoticeIdentity means a notice was refused because the issuer or the
// inspector is not known; the error (a *MissingIdentityError) names what to
// fill.
var ErrNoticeIdentity = errors.New("issuer or inspector not set")

// MissingIdentityError lists the settings ("issuer", "inspector") a notice
// needs before it can be issued. Its message is in English and Chinese; the
// GUI shows its own sentence naming the settings fields.
type MissingIdentityError struct{ Keys []string }

func (e *MissingIdentityError) Error() string {
	zh := map[string]string{"issuer": "发文单位", "inspector": "检测人员"}
	var cn, how []string
	for _, k := range e.Keys {
		cn = append(cn, zh[k])
		how = append(how, "appinspect settings set "+k+" NAME")
	}
	return fmt.Sprintf("notice refused: fill in %s first (%s, or Settings in the GUI) — 请先在设置中填写%s: %v",
		strings.Join(e.Keys, " and "), strings.Join(how, "; "), strings.Join(cn, "和"), ErrNoticeIdentity)
}

func (e *MissingIdentityError) Unwrap() error { return ErrNoticeIdentity }
