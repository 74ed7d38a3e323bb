package cases

import (
	"errors"
	"fmt"
	"time"
)

// ErrUntrustedSigner means a case bundle is signed with a valid signature by a key this
// workstation does not know. The concrete error is a *SignerError; import it again with the
// user's explicit trust in that fingerprint. Nothing is imported.
var ErrUntrustedSigner = errors.New("case bundle is signed by an unknown key")

// ErrUnsigned means a case bundle carries no signature (made by an older AppInspect, or its
// signature removed). Nothing is imported unless the user explicitly accepts unsigned bundles.
var ErrUnsigned = errors.New("case bundle is not signed")

// SignerError names the signer of a bundle whose key is not trusted.
type SignerError struct {
	Fingerprint string    // the key's fingerprint, to compare with the sender by another channel
	Signer      string    // the name the sender's workstation signed with (not proven)
	SignedAt    time.Time // when the sender says it signed
}

func (e *SignerError) Error() string {
	return fmt.Sprintf("case bundle is signed by an unknown key %s (signer %q, %s); compare the fingerprint with the sender and trust it explicitly",
		e.Fingerprint, e.Signer, e.SignedAt.Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrUntrustedSigner) true.
func (e *SignerError) Unwrap() error { return ErrUntrustedSigner }
