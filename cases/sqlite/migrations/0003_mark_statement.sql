-- The plain-language statement of a finding, as the inspector approved it
-- for the notice (drafted from the rule and the evidence, then edited).
ALTER TABLE marks ADD COLUMN statement TEXT NOT NULL DEFAULT '';
