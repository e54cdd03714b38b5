-- 0009 — functions that cannot be led astray by the caller's temporary schema (issue 17).
--
-- PostgreSQL searches the session's temporary schema (pg_temp) for tables
-- BEFORE the path's schemas unless the path names pg_temp itself. Any role with
-- TEMPORARY on the database (the application role has it) could create a temp
-- table named pg_constraint or pg_class and have a SECURITY DEFINER function
-- (running as the owner) read it: 0008's bulk_load_suspend/restore re-added a
-- "foreign key" whose definition the caller wrote, and 0007's audit trigger
-- took the caller for the table's owner (a back-dated record).
--
-- Every function here is redefined with `SET search_path = pg_catalog, public,
-- pg_temp` (pg_temp last: searched after the real catalogs and tables) and
-- every catalog named with its schema (pg_catalog.pg_constraint …), so neither
-- the path nor a temporary object decides what it reads. Functions are never
-- looked up in pg_temp unless qualified. A test (StoreTests) lists every
-- SECURITY DEFINER function in the schema and checks its path ends with pg_temp.

CREATE OR REPLACE FUNCTION bulk_load_suspend(target text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    rel regclass;
    r record;
    n integer := 0;
BEGIN
    IF target IS NULL OR target NOT IN ('region', 'household', 'seeker', 'training', 'employer', 'opening',
                                        'employer_year', 'roster', 'placement') THEN
        RAISE EXCEPTION 'bulk loads are for the import tables, not %', target USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM public.bulk_load_suspended WHERE table_name = target) THEN
        RAISE EXCEPTION '% is already suspended for a bulk load', target USING ERRCODE = 'object_in_use';
    END IF;
    rel := pg_catalog.format('public.%I', target)::pg_catalog.regclass;
    FOR r IN SELECT k.conname, pg_catalog.pg_get_constraintdef(k.oid) AS def FROM pg_catalog.pg_constraint k
             WHERE k.conrelid = rel AND k.contype = 'f' ORDER BY k.conname LOOP
        INSERT INTO public.bulk_load_suspended VALUES (target, r.conname, 'foreign_key', r.def);
        EXECUTE pg_catalog.format('ALTER TABLE public.%I DROP CONSTRAINT %I', target, r.conname);
        n := n + 1;
    END LOOP;
    FOR r IN SELECT c.relname, pg_catalog.pg_get_indexdef(i.indexrelid) AS def
             FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = rel AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY c.relname LOOP
        INSERT INTO public.bulk_load_suspended VALUES (target, r.relname, 'index', r.def);
        EXECUTE pg_catalog.format('DROP INDEX public.%I', r.relname);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

CREATE OR REPLACE FUNCTION bulk_load_restore(target text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN SELECT s.object_name, s.object_kind, s.definition FROM public.bulk_load_suspended s
             WHERE s.table_name = target ORDER BY s.object_kind DESC, s.object_name LOOP
        IF r.object_kind = 'index' THEN
            EXECUTE r.definition;
        ELSE
            EXECUTE pg_catalog.format('ALTER TABLE public.%I ADD CONSTRAINT %I %s', target, r.object_name, r.definition);
        END IF;
        n := n + 1;
    END LOOP;
    DELETE FROM public.bulk_load_suspended WHERE table_name = target;
    RETURN n;
END $$;

CREATE OR REPLACE FUNCTION bulk_load_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.bulk_load_suspended
               WHERE table_name = NEW.table_name AND object_name = NEW.object_name) THEN
        RAISE EXCEPTION '% of % was suspended for a bulk load and not restored', NEW.object_name, NEW.table_name
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION prune_audit_log(min_days integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    IF min_days IS NULL OR min_days < 183 THEN
        RAISE EXCEPTION 'audit records are kept at least 183 days' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM public.audit_log
    WHERE at < least(pg_catalog.now() - pg_catalog.make_interval(days => min_days),
                     pg_catalog.now() - interval '6 months');
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;

-- The audit trail's triggers run as the caller (not SECURITY DEFINER), so the
-- caller's temporary tables were in reach: "is the caller the owner?" read a
-- pg_class the caller could shadow. A fixed path and a qualified catalog.
CREATE OR REPLACE FUNCTION audit_log_stamp() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- Only the owner (migrations, tests of retention) may write a time of its own.
    IF NOT pg_catalog.pg_has_role(current_user,
            (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
        NEW.at := pg_catalog.now();
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- Retention may prune rows older than the legal minimum (6 months), nothing younger.
    IF TG_OP = 'DELETE' AND OLD.at < pg_catalog.now() - interval '6 months' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION audit_log_no_truncate() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION match_request_notify() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM pg_catalog.pg_notify('jobmatch_match_request', NEW.request_id::text);
    RETURN NEW;
END $$;
