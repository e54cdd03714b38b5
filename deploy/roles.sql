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
--
-- No passwords here: set them with `\password <role>` in psql, or use peer or
-- certificate authentication in pg_hba.conf.

SELECT 'CREATE ROLE ' || r || ' LOGIN'
FROM unnest(ARRAY['jobmatch_owner', 'jobmatch_app', 'jobmatch_report']) AS r
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec

SELECT 'CREATE DATABASE jobmatch OWNER jobmatch_owner ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'jobmatch') \gexec

REVOKE ALL ON DATABASE jobmatch FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE jobmatch TO jobmatch_app;
GRANT CONNECT ON DATABASE jobmatch TO jobmatch_report;
GRANT CONNECT ON DATABASE jobmatch TO jobmatch_owner;

\connect jobmatch

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
