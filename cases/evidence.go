package cases

import "time"

// EvidenceKind classifies an evidence file.
type EvidenceKind string

// The evidence kinds.
const (
	EvidenceAPK        EvidenceKind = "apk"
	EvidencePolicy     EvidenceKind = "policy"
	EvidenceScreenshot EvidenceKind = "screenshot"
	EvidenceDeviceDump EvidenceKind = "device_dump"
	EvidenceLog        EvidenceKind = "log"
	EvidenceOther      EvidenceKind = "other"
)

// EvidenceKinds lists every evidence kind.
var EvidenceKinds = []EvidenceKind{EvidenceAPK, EvidencePolicy, EvidenceScreenshot, EvidenceDeviceDump, EvidenceLog, EvidenceOther}

// Valid reports whether k is one of EvidenceKinds.
func (k EvidenceKind) Valid() bool {
	for _, v := range EvidenceKinds {
		if v == k {
			return true
		}
	}
	return false
}

// Evidence is the metadata of one content-addressed evidence file attached to a case. The file
// itself lives under the data directory at evidence/<first two hex digits>/<sha256>.bin.
type Evidence struct {
	ID        int64
	CaseID    int64
	SHA256    string
	Kind      EvidenceKind
	Name      string
	Size      int64
	MediaType string
	Added     time.Time
	// Source says where the file came from (device serial, URL, "upload" …).
	Source string
	// DeviceTime is the clock of the device the file was taken from, when known.
	DeviceTime time.Time
	Actor      string
}

// EvidenceMeta is the optional metadata given with a new evidence file.
type EvidenceMeta struct {
	MediaType  string
	Source     string
	DeviceTime time.Time
	// Actor is the inspector adding the file, recorded in the audit log.
	Actor string
}
