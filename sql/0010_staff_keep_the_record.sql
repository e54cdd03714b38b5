-- 0010 — staff keep the record without SQL (issue 12).
--
-- Policy book: a correction is a new row, and the book keeps both. A correction
-- of a figure for the same period has the same valid_from as the row it
-- corrects, so (key, jurisdiction, valid_from) can no longer be unique; the row
-- added last wins (PolicyBook: ties on valid_from go to the later row), and
-- replaces_id names the row it replaced, for `policy show`.
ALTER TABLE policy_parameter DROP CONSTRAINT IF EXISTS policy_parameter_unique;
ALTER TABLE policy_parameter ADD COLUMN IF NOT EXISTS replaces_id bigint;
ALTER TABLE policy_parameter ADD COLUMN IF NOT EXISTS created_by text NOT NULL DEFAULT 'policy pack';
ALTER TABLE policy_parameter DROP CONSTRAINT IF EXISTS policy_parameter_replaces_fk;
ALTER TABLE policy_parameter ADD CONSTRAINT policy_parameter_replaces_fk
    FOREIGN KEY (replaces_id) REFERENCES policy_parameter (parameter_id);
CREATE INDEX IF NOT EXISTS policy_parameter_key_idx ON policy_parameter (key, jurisdiction, valid_from);

-- Job categories a center adds: the demands an opening of the category has by
-- default, and the opening kind it usually is (both optional).
ALTER TABLE job_category ADD COLUMN IF NOT EXISTS default_demands text[] NOT NULL DEFAULT '{}';
ALTER TABLE job_category ADD COLUMN IF NOT EXISTS default_kind text;
ALTER TABLE job_category DROP CONSTRAINT IF EXISTS job_category_default_kind_valid;
ALTER TABLE job_category ADD CONSTRAINT job_category_default_kind_valid
    CHECK (default_kind IS NULL OR default_kind IN ('public_welfare', 'quota', 'assisted', 'general'));

-- An ended placement keeps its end date and why it ended (`placement end`).
ALTER TABLE placement ADD COLUMN IF NOT EXISTS end_reason text;
ALTER TABLE placement DROP CONSTRAINT IF EXISTS placement_end_reason_valid;
ALTER TABLE placement ADD CONSTRAINT placement_end_reason_valid
    CHECK (end_reason IS NULL OR end_reason IN ('left', 'dismissed', 'contract_ended', 'retired', 'died', 'other'));

-- Staff's decision on a possible duplicate: the same person, or two people.
ALTER TABLE possible_duplicate ADD COLUMN IF NOT EXISTS decision text;
ALTER TABLE possible_duplicate DROP CONSTRAINT IF EXISTS possible_duplicate_decision_valid;
ALTER TABLE possible_duplicate ADD CONSTRAINT possible_duplicate_decision_valid
    CHECK (decision IS NULL OR (decision IN ('same', 'different') AND resolved_at IS NOT NULL));

-- A placement reopened (its end date cleared, e.g. by an import whose end_date
-- cell is empty) no longer carries the reason it had ended for.
CREATE OR REPLACE FUNCTION placement_end_reason_follows() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    NEW.end_reason := NULL;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS placement_end_reason_follows_trigger ON placement;
CREATE TRIGGER placement_end_reason_follows_trigger BEFORE UPDATE OF end_date ON placement
    FOR EACH ROW WHEN (OLD.end_reason IS NOT NULL AND NEW.end_date IS NULL)
    EXECUTE FUNCTION placement_end_reason_follows();
