-- AppInspect case store, schema 1. Never edit: add a new numbered file instead.
-- Timestamps are UTC RFC 3339 with nanoseconds (fixed width, sortable); civil dates are YYYY-MM-DD.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE subjects (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL,
	name        TEXT NOT NULL,
	credit_code TEXT NOT NULL DEFAULT '',
	contact     TEXT NOT NULL DEFAULT '',
	address     TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
) STRICT;
CREATE INDEX subjects_credit_code ON subjects(credit_code) WHERE credit_code <> '';

-- Last sequence number allocated per year.
CREATE TABLE case_numbers (
	year INTEGER PRIMARY KEY,
	last INTEGER NOT NULL
) STRICT;

CREATE TABLE cases (
	id                 INTEGER PRIMARY KEY,
	uid                TEXT NOT NULL UNIQUE,
	number             TEXT NOT NULL UNIQUE,
	source             TEXT NOT NULL,
	subject_id         INTEGER NOT NULL REFERENCES subjects(id),
	inspectors         TEXT NOT NULL DEFAULT '[]',
	app_package        TEXT NOT NULL DEFAULT '',
	app_name           TEXT NOT NULL DEFAULT '',
	app_type_id        TEXT NOT NULL DEFAULT '',
	status             TEXT NOT NULL,
	notes              TEXT NOT NULL DEFAULT '',
	rectification_days INTEGER NOT NULL,
	created            TEXT NOT NULL,
	updated            TEXT NOT NULL,
	notice_issued      TEXT NOT NULL DEFAULT '',
	deadline           TEXT NOT NULL DEFAULT '',
	closed             TEXT NOT NULL DEFAULT '',
	rerelease_until    TEXT NOT NULL DEFAULT '',
	dates_estimated    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX cases_status_deadline ON cases(status, deadline);
CREATE INDEX cases_subject ON cases(subject_id);
CREATE INDEX cases_created ON cases(created DESC, id DESC);

CREATE TABLE evidence (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	sha256      TEXT NOT NULL,
	kind        TEXT NOT NULL,
	name        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	media_type  TEXT NOT NULL DEFAULT '',
	added       TEXT NOT NULL,
	source      TEXT NOT NULL DEFAULT '',
	device_time TEXT NOT NULL DEFAULT '',
	actor       TEXT NOT NULL DEFAULT '',
	UNIQUE (case_id, sha256)
) STRICT;
CREATE INDEX evidence_sha256 ON evidence(sha256);

CREATE TABLE case_versions (
	id              INTEGER PRIMARY KEY,
	case_id         INTEGER NOT NULL REFERENCES cases(id),
	version_name    TEXT NOT NULL DEFAULT '',
	version_code    INTEGER NOT NULL DEFAULT 0,
	apk_sha256      TEXT NOT NULL DEFAULT '',
	scan_json       BLOB,
	policy_json     BLOB,
	candidates_json BLOB,
	policy_text     TEXT NOT NULL DEFAULT '',
	created         TEXT NOT NULL
) STRICT;
CREATE INDEX case_versions_case ON case_versions(case_id, id);

CREATE TABLE marks (
	id              INTEGER PRIMARY KEY,
	case_id         INTEGER NOT NULL REFERENCES cases(id),
	version_id      INTEGER NOT NULL DEFAULT 0,
	item_id         TEXT NOT NULL,
	verdict         TEXT NOT NULL DEFAULT '',
	severity        TEXT NOT NULL DEFAULT '',
	note            TEXT NOT NULL DEFAULT '',
	evidence        TEXT NOT NULL DEFAULT '[]',
	candidate_rules TEXT NOT NULL DEFAULT '[]',
	citation        BLOB,
	rectification   TEXT NOT NULL DEFAULT '',
	inspector       TEXT NOT NULL DEFAULT '',
	updated         TEXT NOT NULL,
	suggested       INTEGER NOT NULL DEFAULT 0,
	needs_review    INTEGER NOT NULL DEFAULT 0,
	UNIQUE (case_id, version_id, item_id)
) STRICT;

CREATE TABLE case_events (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id),
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	created     TEXT NOT NULL
) STRICT;
CREATE INDEX case_events_case ON case_events(case_id, id);

-- Append-only hash chain. hash = SHA-256 over the canonical encoding of
-- (id, at, actor, action, entity, entity_key, row_hash, details, prev_hash); row_hash is the
-- SHA-256 of the audited row as it was after the change ('' after a deletion).
CREATE TABLE audit_log (
	id         INTEGER PRIMARY KEY,
	at         TEXT NOT NULL,
	actor      TEXT NOT NULL,
	action     TEXT NOT NULL,
	entity     TEXT NOT NULL,
	entity_key TEXT NOT NULL,
	row_hash   TEXT NOT NULL,
	details    TEXT NOT NULL,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log(entity, entity_key, id);

-- Full-text index (trigram: substring search that works for Chinese without a word segmenter).
-- rowid = cases.id. Derived data, rebuilt by the store; not audited.
CREATE VIRTUAL TABLE cases_fts USING fts5(
	number, app, subject, notes, policy,
	tokenize = 'trigram'
);
