import Postgres

/// A database that is there but not writable, as a standby is to its sessions (issue 18):
/// `default_transaction_read_only` for every new session of the connection's database.
/// Sessions already open (the test's own) stay writable.
public enum ReadOnlyDatabase {
    public static func set(_ c: Connection, _ on: Bool) throws {
        try c.query(on ? """
            DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', current_database()); END $$
            """ : """
            DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', current_database()); END $$
            """)
    }
}
