// Issue 17, case 1: the application role may create temporary objects, and
// PostgreSQL searches the session's temporary schema for tables before the
// path unless the path names pg_temp. Two attacks from the application role,
// each proven to change nothing: a temp `pg_constraint` that makes the
// bulk-load definer re-add a CHECK calling the attacker's function as the
// owner, and a temp `pg_class` that makes the audit trigger take the caller for
// the owner (a back-dated record). Part of PrivacyRolesTests (serialized: the
// roles are cluster-wide).

import Foundation
import Postgres
import Store
import Testing
import TestSupport

extension PrivacyRolesTests {
    /// What an attack could change, read as the owner.
    struct Guarded: Equatable {
        var appPrivilegesOnAuditLog: [String]
        var disabledTriggers: [String]
        var seekerConstraints: [String]
        var auditRecords: Int
        var backdated: Int

        static func read(_ owner: Connection) throws -> Guarded {
            let privileges = try ["UPDATE", "DELETE", "TRUNCATE"].filter { p in
                try owner.query(Query(unsafeSQL: "SELECT has_table_privilege('jobmatch_app', 'public.audit_log', '\(p)') AS b"))[0].bool("b")
            }
            let disabled = try owner.query("""
                SELECT t.tgname::text AS n FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
                WHERE s.nspname = 'public' AND t.tgenabled <> 'O' ORDER BY 1
                """).map { try $0.string("n") }
            let constraints = try owner.query("""
                SELECT conname::text AS n FROM pg_catalog.pg_constraint WHERE conrelid = 'public.seeker'::regclass ORDER BY 1
                """).map { try $0.string("n") }
            let audit = try owner.query("SELECT count(*) AS n FROM public.audit_log")[0].int("n")
            let old = try owner.query("SELECT count(*) AS n FROM public.audit_log WHERE at < now() - interval '1 day'")[0].int("n")
            return Guarded(appPrivilegesOnAuditLog: privileges, disabledTriggers: disabled, seekerConstraints: constraints,
                           auditRecords: audit, backdated: old)
        }
    }

    @Test func whenTheApplicationRoleShadowsPgConstraintTheBulkLoadFunctionsIgnoreIt() throws {
        let d = try Deployed.make()
        let owner = try d.connect(as: "jobmatch_owner")
        defer { owner.close() }
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        do {
            let loader = try d.connect(as: "jobmatch_app")
            defer { loader.close() }
            try importExampleDistrict(loader, actor: "clerk")
        }
        let before = try Guarded.read(owner)
        #expect(before.appPrivilegesOnAuditLog == [] && before.disabledTriggers == [] && before.backdated == 0)

        // A fresh session (a session that ran the functions before keeps their plans).
        // The attack (issue 17): a CHECK on a temp table calls the attacker's
        // function; a temp pg_constraint presents that CHECK as a foreign key of
        // seeker; suspend keeps its definition and restore re-adds it on seeker,
        // as the owner, which runs the function for every seeker.
        let attack = """
            CREATE FUNCTION pg_temp.evil(text) RETURNS boolean LANGUAGE plpgsql AS $f$
            BEGIN
                EXECUTE 'GRANT UPDATE, DELETE, TRUNCATE ON public.audit_log TO jobmatch_app';
                EXECUTE 'ALTER TABLE public.audit_log DISABLE TRIGGER USER';
                RETURN true;
            END $f$;
            CREATE TEMP TABLE bait (certificate_no text CONSTRAINT seeker_evil_check CHECK (pg_temp.evil(certificate_no)));
            CREATE TEMP TABLE pg_constraint AS
                SELECT 'seeker_household_fk'::name AS conname, oid, 'public.seeker'::regclass AS conrelid,
                       'f'::"char" AS contype, conindid
                FROM pg_catalog.pg_constraint WHERE conname = 'seeker_evil_check';
            CREATE TEMP TABLE pg_index AS SELECT * FROM pg_catalog.pg_index WHERE false;
            GRANT SELECT ON pg_temp.pg_constraint, pg_temp.pg_index TO PUBLIC;
            SET search_path = pg_temp, public, pg_catalog;
            BEGIN;
            SELECT public.bulk_load_suspend('seeker');
            SELECT public.bulk_load_restore('seeker');
            COMMIT;
            """
        _ = sqlState { try app.execute(unsafeSQL: attack) }
        _ = sqlState { try app.execute(unsafeSQL: "ROLLBACK") }
        // Whatever it gained, it would use now.
        _ = sqlState { try app.execute(unsafeSQL: "DELETE FROM public.audit_log") }
        let after = try Guarded.read(owner)
        #expect(after.appPrivilegesOnAuditLog == [], "the application role gained a privilege")
        #expect(after.disabledTriggers == [], "a trigger was disabled")
        #expect(after.seekerConstraints == before.seekerConstraints, "seeker's constraints changed")
        #expect(after.auditRecords >= before.auditRecords, "audit records were deleted")
        // The bulk load itself still works as the application role (a session without the temp tables).
        let app2 = try d.connect(as: "jobmatch_app")
        defer { app2.close() }
        try importExampleDistrict(app2, actor: "clerk")
        #expect(try Guarded.read(owner).seekerConstraints == before.seekerConstraints)
    }

    @Test func whenTheApplicationRoleShadowsPgClassTheAuditTriggerStillStampsTheTime() throws {
        let d = try Deployed.make()
        let owner = try d.connect(as: "jobmatch_owner")
        defer { owner.close() }
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        let before = try Guarded.read(owner)
        let attack = """
            CREATE TEMP TABLE pg_class AS
                SELECT 'public.audit_log'::regclass::oid AS oid, r.oid AS relowner, 'audit_log'::name AS relname
                FROM pg_catalog.pg_roles r WHERE r.rolname = 'jobmatch_app';
            SET search_path = pg_temp, public, pg_catalog;
            INSERT INTO public.audit_log (actor, action, at) VALUES ('clerk', 'backdated', now() - interval '3 years');
            """
        _ = sqlState { try app.execute(unsafeSQL: attack) }
        _ = sqlState { try app.execute(unsafeSQL: "SELECT public.prune_audit_log(183)") }
        let after = try Guarded.read(owner)
        // Stored with the database's time, so the prune that followed could not take it.
        #expect(try owner.query("SELECT count(*) AS n FROM audit_log WHERE action = 'backdated' AND at > now() - interval '1 hour'")[0].int("n") == 1)
        #expect(after.backdated == 0, "a back-dated audit record was stored")
        #expect(after.auditRecords == before.auditRecords + 1)
        #expect(after.disabledTriggers == [] && after.appPrivilegesOnAuditLog == [])
    }

    @Test func everySecurityDefinerFunctionSearchesTheTemporarySchemaLast() throws {
        let d = try Deployed.make()
        let owner = try d.connect(as: "jobmatch_owner")
        defer { owner.close() }
        let rows = try owner.query("""
            SELECT p.oid::regprocedure::text AS f, p.prosecdef AS definer,
                   coalesce((SELECT c FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=%'), '') AS path
            FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' ORDER BY 1
            """)
        let definers = try rows.filter { try $0.bool("definer") }.map { try $0.string("f") }
        #expect(definers.count >= 4, "\(definers)")
        for row in rows {
            let f = try row.string("f"), path = try row.string("path")
            // Every function of the schema (definers and the triggers that run as the caller).
            #expect(path.hasSuffix(", pg_temp") && path.hasPrefix("search_path=pg_catalog"), "\(f): \(path)")
        }
    }

    @Test func whenTheReportingRoleTriesToTakeAnAdvisoryLockItIsRefused() throws {
        let d = try Deployed.make()
        let report = try d.connect(as: "jobmatch_report")
        defer { report.close() }
        for sql in ["SELECT pg_advisory_lock(1)", "SELECT pg_try_advisory_lock(1, 2)", "SELECT pg_advisory_xact_lock(1)",
                    "SELECT pg_advisory_lock_shared(1)"] {
            #expect(sqlState { try report.execute(unsafeSQL: sql) } == Self.insufficientPrivilege, "\(sql)")
        }
        let app = try d.connect(as: "jobmatch_app")
        defer { app.close() }
        #expect(try app.query("SELECT pg_try_advisory_lock(1) AS b")[0].bool("b"))
    }
}
