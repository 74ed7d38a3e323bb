-- Checklist results: the inspector's result for one checklist item of a case (cases/checklist).
-- Results proposed by the rules are computed from the case's candidates and are not stored
-- until an inspector records them.
CREATE TABLE checklist_results (
	id              INTEGER PRIMARY KEY,
	case_id         INTEGER NOT NULL REFERENCES cases(id),
	item_id         TEXT NOT NULL,
	result          TEXT NOT NULL,
	note            TEXT NOT NULL DEFAULT '',
	evidence        TEXT NOT NULL DEFAULT '[]',
	inspector       TEXT NOT NULL,
	catalog_version TEXT NOT NULL DEFAULT '',
	updated         TEXT NOT NULL,
	UNIQUE (case_id, item_id)
) STRICT;
