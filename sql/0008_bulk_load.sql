-- 0008 — bulk loads (issue 3): a large import suspends the table's foreign keys
-- and secondary indexes and builds them again at the end, in the same transaction.
--
-- Why: loading 200,000 seekers row by row costs the server ~10 µs a row for each
-- foreign-key check (a trigger and a lookup per row) and ~2 µs a row for each
-- secondary index, several times the cost of the insert itself. Re-adding a foreign
-- key checks every row with one anti-join, and CREATE INDEX sorts once: the
-- PostgreSQL manual's advice for populating a database ("Remove Indexes",
-- "Remove Foreign Key Constraints"). The primary key and the unique constraints
-- stay (other tables' foreign keys and the merge rely on them); a unique index
-- that is no constraint is rebuilt like the others and checked as it is built.
--
-- Safety: the definitions are read from the catalog and kept in
-- bulk_load_suspended, written only by these functions. Everything happens in
-- the import's transaction: a failed import rolls the drops back with the rows,
-- and a deferred trigger refuses to commit a transaction that suspended a table
-- and did not restore it. While suspended, the table is locked (ACCESS
-- EXCLUSIVE) until the import commits: readers wait for a bulk load, not for an
-- ordinary one. The application role has no DDL rights: the functions run as
-- the owner (SECURITY DEFINER) and accept only the import tables.

CREATE TABLE IF NOT EXISTS bulk_load_suspended (
    table_name   text NOT NULL,
    object_name  text NOT NULL,
    object_kind  text NOT NULL,
    definition   text NOT NULL,
    CONSTRAINT bulk_load_suspended_pk PRIMARY KEY (table_name, object_name),
    CONSTRAINT bulk_load_suspended_kind_valid CHECK (object_kind IN ('index', 'foreign_key'))
);

-- Drops `target`'s foreign keys and the indexes no constraint owns, keeping
-- their definitions; returns how many. A unique index among them (one person,
-- one record) is checked again as it is rebuilt, so it keeps holding.
CREATE OR REPLACE FUNCTION bulk_load_suspend(target text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
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
    rel := format('public.%I', target)::regclass;
    FOR r IN SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
             WHERE conrelid = rel AND contype = 'f' ORDER BY conname LOOP
        INSERT INTO public.bulk_load_suspended VALUES (target, r.conname, 'foreign_key', r.def);
        EXECUTE format('ALTER TABLE public.%I DROP CONSTRAINT %I', target, r.conname);
        n := n + 1;
    END LOOP;
    FOR r IN SELECT c.relname, pg_get_indexdef(i.indexrelid) AS def
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             WHERE i.indrelid = rel AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
             ORDER BY c.relname LOOP
        INSERT INTO public.bulk_load_suspended VALUES (target, r.relname, 'index', r.def);
        EXECUTE format('DROP INDEX public.%I', r.relname);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

-- Builds again what bulk_load_suspend dropped: indexes first, then foreign
-- keys (each re-added one checks every row); returns how many.
CREATE OR REPLACE FUNCTION bulk_load_restore(target text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    r record;
    n integer := 0;
BEGIN
    FOR r IN SELECT object_name, object_kind, definition FROM public.bulk_load_suspended
             WHERE table_name = target ORDER BY object_kind DESC, object_name LOOP
        IF r.object_kind = 'index' THEN
            EXECUTE r.definition;
        ELSE
            EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT %I %s', target, r.object_name, r.definition);
        END IF;
        n := n + 1;
    END LOOP;
    DELETE FROM public.bulk_load_suspended WHERE table_name = target;
    RETURN n;
END $$;

-- At commit: nothing may stay suspended.
CREATE OR REPLACE FUNCTION bulk_load_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.bulk_load_suspended
               WHERE table_name = NEW.table_name AND object_name = NEW.object_name) THEN
        RAISE EXCEPTION '% of % was suspended for a bulk load and not restored', NEW.object_name, NEW.table_name
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS bulk_load_guard_trigger ON bulk_load_suspended;
CREATE CONSTRAINT TRIGGER bulk_load_guard_trigger AFTER INSERT ON bulk_load_suspended
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bulk_load_guard();

REVOKE ALL ON bulk_load_suspended FROM PUBLIC;
REVOKE ALL ON FUNCTION bulk_load_suspend(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION bulk_load_restore(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION bulk_load_guard() FROM PUBLIC;

-- Where deploy/roles.sql made the roles: default privileges granted the
-- application rights on every new table; this one only the functions write
-- (reporting may read it, like every table).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobmatch_app') THEN
        REVOKE ALL ON bulk_load_suspended FROM jobmatch_app;
        GRANT EXECUTE ON FUNCTION bulk_load_suspend(text), bulk_load_restore(text) TO jobmatch_app;
    END IF;
END $$;
