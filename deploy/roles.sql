-- roles.sql — least-privilege roles for jobmatch. Idempotent: run it as a
-- superuser at install, and again after every `jobmatch migrate` (it grants
-- on the tables that exist and re-applies the audit log's restrictions):
--
--     psql -v ON_ERROR_STOP=1 -d postgres -f deploy/roles.sql
--
--   jobmatch_owner   owns the database, the schema and every table; runs
--                    `jobmatch migrate` (DDL). Used by the operator during
--                    upgrades, never by the daemon.
--   jobmatch_app     the daemon and staff commands: read and write data, no DDL;
--                    the audit log is append-only (SELECT and INSERT only; no
--                    UPDATE, DELETE or TRUNCATE, and a trigger refuses them too).
--   jobmatch_report  read-only, for reporting tools and analysts.
--   jobmatch_web     the web application's sessions (issue 14): jobmatch_app's
--                    rights, and row-level security by region (migration 0013)
--                    shows it no seeker until it names the user's regions.
--
-- No passwords here: set them with `\password <role>` in psql, or use peer or
-- certificate authentication in pg_hba.conf.
--
-- The database is `jobmatch` unless psql is given another name (the privacy
-- tests apply this file to a throwaway database):
--
--     psql -v ON_ERROR_STOP=1 -v jobmatch_db=NAME -d postgres -f deploy/roles.sql

\if :{?jobmatch_db}
\else
\set jobmatch_db jobmatch
\endif

SELECT 'CREATE ROLE ' || r || ' LOGIN'
FROM unnest(ARRAY['jobmatch_owner', 'jobmatch_app', 'jobmatch_report', 'jobmatch_web']) AS r
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec

SELECT format('CREATE DATABASE %I OWNER jobmatch_owner ENCODING ''UTF8'' TEMPLATE template0', :'jobmatch_db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'jobmatch_db') \gexec

-- A database created before this file ran (by hand, or by a test harness) gets the same owner.
ALTER DATABASE :"jobmatch_db" OWNER TO jobmatch_owner;
REVOKE ALL ON DATABASE :"jobmatch_db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"jobmatch_db" TO jobmatch_app;
GRANT CONNECT ON DATABASE :"jobmatch_db" TO jobmatch_report;
GRANT CONNECT, TEMPORARY ON DATABASE :"jobmatch_db" TO jobmatch_web;
GRANT jobmatch_app TO jobmatch_web;
GRANT CONNECT ON DATABASE :"jobmatch_db" TO jobmatch_owner;

-- The server log must not collect personal data either (issue 7). An error's
-- DETAIL and CONTEXT quote row values (`Key (certificate_no)=(…) already
-- exists`, `COPY import_stage, line 3: "…"`): terse drops them. Statements are
-- not logged with their errors (the SQL holds no values, but COPY data and a
-- hand-typed psql statement may). Superuser-only settings, so they are set here.
ALTER DATABASE :"jobmatch_db" SET log_error_verbosity = 'terse';
ALTER DATABASE :"jobmatch_db" SET log_min_error_statement = 'panic';

\connect :"jobmatch_db"

-- Only the owner creates objects.
ALTER SCHEMA public OWNER TO jobmatch_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO jobmatch_app, jobmatch_report;

-- Tables and sequences the owner creates later (each migration) get these at once.
ALTER DEFAULT PRIVILEGES FOR ROLE jobmatch_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO jobmatch_app;
ALTER DEFAULT PRIVILEGES FOR ROLE jobmatch_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO jobmatch_app;
ALTER DEFAULT PRIVILEGES FOR ROLE jobmatch_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO jobmatch_report;

-- The tables that exist now.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO jobmatch_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO jobmatch_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO jobmatch_report;

-- Exceptions, re-applied after each migration (default privileges granted them
-- when the tables were created):
-- the audit log is append-only for the application;
SELECT 'REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_log FROM jobmatch_app'
WHERE to_regclass('public.audit_log') IS NOT NULL \gexec
-- the migration record is the owner's alone.
SELECT 'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.schema_migration FROM jobmatch_app'
WHERE to_regclass('public.schema_migration') IS NOT NULL \gexec
-- Audit retention goes through prune_audit_log (migration 0007: SECURITY
-- DEFINER, never younger than 183 days): the application may call it, no one else.
SELECT 'REVOKE ALL ON FUNCTION public.prune_audit_log(integer) FROM PUBLIC'
WHERE to_regprocedure('public.prune_audit_log(integer)') IS NOT NULL \gexec
SELECT 'GRANT EXECUTE ON FUNCTION public.prune_audit_log(integer) TO jobmatch_app'
WHERE to_regprocedure('public.prune_audit_log(integer)') IS NOT NULL \gexec
-- Bulk loads suspend and restore a table's foreign keys and plain indexes
-- through two functions (migration 0008: SECURITY DEFINER, import tables only);
-- the record of what is suspended is theirs alone.
SELECT 'REVOKE ALL ON public.bulk_load_suspended FROM jobmatch_app'
WHERE to_regclass('public.bulk_load_suspended') IS NOT NULL \gexec
SELECT 'GRANT EXECUTE ON FUNCTION public.bulk_load_suspend(text), public.bulk_load_restore(text) TO jobmatch_app'
WHERE to_regprocedure('public.bulk_load_suspend(text)') IS NOT NULL \gexec
-- Reporting reads, and nothing else: no sequence may be advanced by it either.
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM jobmatch_report;
-- Advisory locks (issue 17): a region's run, a year's review and the migrator
-- serialise on them. The functions live in pg_catalog and are granted to
-- PUBLIC, so any login — the reporting role too — could take a region's lock
-- and stall every run. Revoked from PUBLIC in this database (a per-database
-- catalog: other databases keep them) and granted to the two roles that use them.
SELECT format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', p.oid::regprocedure)
FROM pg_catalog.pg_proc p
WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname ~ '^pg_(try_)?advisory_' \gexec
SELECT format('GRANT EXECUTE ON FUNCTION %s TO jobmatch_app, jobmatch_owner', p.oid::regprocedure)
FROM pg_catalog.pg_proc p
WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname ~ '^pg_(try_)?advisory_' \gexec
