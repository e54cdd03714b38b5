-- 0007 — one person, one record; a harder audit trail (issue 7).
--
-- One person, one record: a resident ID is one person, whatever certificate
-- number (category, grade) they hold. A reassessment brings a new certificate
-- number for the same resident ID; the import renames the seeker's key to the
-- newer number, and the references follow in the same statement (ON UPDATE
-- CASCADE on training and placement; the import updates the run tables, which
-- keep no foreign key to seeker). The old number is kept in
-- seeker_certificate_history, so a stale file that still carries it cannot
-- bring it back. Records that may be one person under two resident IDs (same
-- name, same birth date) are never merged: they are listed in
-- possible_duplicate for staff to check.
--
-- Audit trail: the application role cannot UPDATE, DELETE or TRUNCATE it
-- (privileges, deploy/roles.sql; the row trigger of 0004). Added here: a
-- TRUNCATE trigger (row triggers do not see TRUNCATE, even the owner's), the
-- time of a record is the database's for anyone but the table's owner (a
-- back-dated record could otherwise be pruned early), and retention goes
-- through one function that never removes a record younger than 183 days and
-- 6 calendar months.

-- One person, one record.
CREATE UNIQUE INDEX IF NOT EXISTS seeker_resident_id_unique ON seeker (resident_id);
DROP INDEX IF EXISTS seeker_resident_id_idx;
-- Backs the possible-duplicate check of each seekers import (name, birth date).
CREATE INDEX IF NOT EXISTS seeker_name_birth_idx ON seeker (name, substr(resident_id, 7, 8));

ALTER TABLE training DROP CONSTRAINT training_seeker_fk;
ALTER TABLE training ADD CONSTRAINT training_seeker_fk FOREIGN KEY (certificate_no)
    REFERENCES seeker (certificate_no) ON UPDATE CASCADE;
ALTER TABLE placement DROP CONSTRAINT placement_seeker_fk;
ALTER TABLE placement ADD CONSTRAINT placement_seeker_fk FOREIGN KEY (certificate_no)
    REFERENCES seeker (certificate_no) ON UPDATE CASCADE;

CREATE TABLE IF NOT EXISTS seeker_certificate_history (
    history_id           bigserial PRIMARY KEY,
    resident_id          text NOT NULL,
    old_certificate_no   text NOT NULL,
    new_certificate_no   text NOT NULL,
    changed_at           timestamptz NOT NULL DEFAULT now(),
    changed_by           text NOT NULL,
    source_file          text NOT NULL DEFAULT '',
    CONSTRAINT seeker_certificate_history_differs CHECK (old_certificate_no <> new_certificate_no),
    CONSTRAINT seeker_certificate_history_same_person CHECK (
        left(old_certificate_no, 18) = resident_id AND left(new_certificate_no, 18) = resident_id)
);
CREATE INDEX IF NOT EXISTS seeker_certificate_history_old_idx ON seeker_certificate_history (old_certificate_no);

CREATE TABLE IF NOT EXISTS possible_duplicate (
    certificate_no_a  text NOT NULL,
    certificate_no_b  text NOT NULL,
    reason            text NOT NULL,
    detected_at       timestamptz NOT NULL DEFAULT now(),
    resolved_at       timestamptz,
    resolved_by       text,
    CONSTRAINT possible_duplicate_pk PRIMARY KEY (certificate_no_a, certificate_no_b),
    CONSTRAINT possible_duplicate_ordered CHECK (certificate_no_a < certificate_no_b),
    CONSTRAINT possible_duplicate_reason_valid CHECK (reason IN ('same_name_and_birth_date')),
    CONSTRAINT possible_duplicate_a_fk FOREIGN KEY (certificate_no_a) REFERENCES seeker (certificate_no)
        ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT possible_duplicate_b_fk FOREIGN KEY (certificate_no_b) REFERENCES seeker (certificate_no)
        ON UPDATE CASCADE ON DELETE CASCADE
);

-- The audit trail.
CREATE OR REPLACE FUNCTION audit_log_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only the owner (migrations, tests of retention) may write a time of its own.
    IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        NEW.at := now();
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER audit_log_stamp_trigger BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_stamp();

CREATE OR REPLACE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_truncate_trigger BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate();

-- Removes audit records older than `min_days` days (at least 183) and older
-- than 6 calendar months (the 0004 trigger's test), and returns how many.
-- SECURITY DEFINER: runs with the owner's DELETE right, which the application
-- role lacks; deploy/roles.sql grants EXECUTE to jobmatch_app only.
CREATE OR REPLACE FUNCTION prune_audit_log(min_days integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    removed bigint;
BEGIN
    IF min_days IS NULL OR min_days < 183 THEN
        RAISE EXCEPTION 'audit records are kept at least 183 days' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM public.audit_log
    WHERE at < least(now() - make_interval(days => min_days), now() - interval '6 months');
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;
REVOKE ALL ON FUNCTION prune_audit_log(integer) FROM PUBLIC;

-- The application role, where deploy/roles.sql made one: default privileges
-- granted it UPDATE and DELETE on tables created by the owner; take them back
-- on the audit trail at once rather than wait for roles.sql to be re-run.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobmatch_app') THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM jobmatch_app;
        GRANT EXECUTE ON FUNCTION prune_audit_log(integer) TO jobmatch_app;
    END IF;
END $$;
