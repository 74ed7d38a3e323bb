// Package cases holds the inspection record of AppInspect: the subject inspected, the case and its
// number, the inspector's marks per article, evidence metadata, APK versions, the disposal
// workflow and the working-day calendar used for deadlines.
//
// The package defines types and pure logic only; cases/sqlite implements storage. It imports
// neither Fyne nor database/sql.
package cases

import "errors"

// Sentinel errors returned by the store and by validation in this package. Callers test them with
// errors.Is; the wrapped message names the operation and the object.
var (
	// ErrNotFound means the requested subject, case, version, mark or evidence does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means an input failed validation (unknown enum value, malformed code, empty name…).
	ErrInvalid = errors.New("invalid input")
	// ErrInvalidTransition means a workflow transition is not in the table of allowed transitions.
	// The concrete error is a *TransitionError naming from and to.
	ErrInvalidTransition = errors.New("invalid status transition")
	// ErrNewerSchema means the database was written by a newer AppInspect: its schema_migrations
	// table records a migration this binary does not know. Nothing is written.
	ErrNewerSchema = errors.New("database schema is newer than this program")
	// ErrBundleCorrupt means a case bundle failed a size, name, structure or hash check.
	// Nothing is imported.
	ErrBundleCorrupt = errors.New("case bundle is corrupt")
	// ErrExists means an import would duplicate a case already in the store (same case UID).
	ErrExists = errors.New("already exists")
	// ErrCalendar means a holiday calendar file failed validation.
	ErrCalendar = errors.New("invalid holiday calendar")
)
