import Foundation
import PostgresNIO
import Storage

/// One frozen step of the PostgreSQL schema: once shipped it is never edited; a change is a new version.
struct PostgresMigration: Sendable {
    var version: Int
    var name: String
    /// Run in order, in the migration's transaction (PostgreSQL's DDL is transactional).
    var statements: [String]
}

/// The database's schema is newer than this program knows (a newer tunesmith migrated it): refuse to run rather
/// than write rows the newer schema does not expect.
public struct SchemaTooNew: Error, Sendable, CustomStringConvertible {
    public var found: Int
    public var known: Int
    public var description: String {
        "the database has schema version \(found), this tunesmith knows up to \(known): upgrade tunesmith"
    }
}

extension PostgresStore {
    /// Key of the advisory lock held while migrating ("tunesmit" in ASCII), so nodes starting at once take turns.
    static let migrationLock: Int64 = 0x7475_6E65_736D_6974

    /// Brings the schema up to date, in one transaction under an advisory lock: the first of several processes
    /// starting together migrates, the others wait and then find nothing left to do. Returns the versions it
    /// applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let known = Self.migrations.map(\.version).max() ?? 0
        return try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS tunesmith_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query(
                "SELECT version FROM tunesmith_migrations", logger: logger
            ).decode(Int.self) {
                applied.insert(version)
            }
            if let newest = applied.max(), newest > known { throw SchemaTooNew(found: newest, known: known) }
            var done: [Int] = []
            for migration in Self.migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO tunesmith_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                done.append(migration.version)
            }
            return done
        }
    }

    /// The schema versions recorded in the database (for `tunesmith migrate --status` and tests).
    public func appliedMigrations() async throws -> [Int] {
        try await rows("SELECT version FROM tunesmith_migrations ORDER BY version").map { try $0.decode(Int.self) }
    }

    /// The rules of the state machine live here as constraints, as in SQLite's schema, so a bug fails loudly
    /// instead of storing an impossible row. Timestamps are `timestamptz` (microseconds); JSON is `jsonb`.
    static let migrations: [PostgresMigration] = [
        PostgresMigration(
            version: 1, name: "tables, notifications, media",
            statements: [
                """
                CREATE TABLE users (
                    id text PRIMARY KEY,
                    name text NOT NULL,
                    webhook_secret text NOT NULL,
                    created_at timestamptz NOT NULL)
                """,
                // Only the SHA-256 of a token is stored; the token itself is shown once and forgotten.
                """
                CREATE TABLE tokens (
                    token_hash text PRIMARY KEY,
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    created_at timestamptz NOT NULL)
                """,
                "CREATE INDEX tokens_by_user ON tokens(user_id)",
                """
                CREATE TABLE accounts (
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    email text NOT NULL,
                    max_jobs integer NOT NULL CHECK (max_jobs BETWEEN 1 AND 8),
                    credits bigint CHECK (credits IS NULL OR credits >= 0),
                    password_hash text,
                    error text,
                    consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (user_id, email))
                """,
                // status: 5 QUEUED, 10 GENERATING, 1 COMPLETED, 8 FAILED. No foreign key to accounts: deleting an
                // account keeps its tracks.
                """
                CREATE TABLE tracks (
                    asset_id bigint PRIMARY KEY CHECK (asset_id > 0),
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    email text NOT NULL,
                    request jsonb NOT NULL,
                    credits integer NOT NULL CHECK (credits >= 0),
                    status smallint NOT NULL CHECK (status IN (5, 10, 1, 8)),
                    progress smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
                    result jsonb,
                    fail_code text,
                    fail_reason text,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    started_at timestamptz,
                    lease_owner text,
                    lease_expires_at timestamptz,
                    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    CHECK ((status = 10) = (lease_expires_at IS NOT NULL)),
                    CHECK (status <> 10 OR lease_owner IS NOT NULL),
                    CHECK (status <> 1 OR (result IS NOT NULL AND progress = 100)),
                    CHECK (status <> 8 OR fail_code IS NOT NULL),
                    CHECK ((status IN (1, 8)) = (fail_code IS NOT NULL OR result IS NOT NULL)))
                """,
                "CREATE INDEX tracks_claimable ON tracks(created_at, asset_id) WHERE status IN (5, 10)",
                "CREATE INDEX tracks_executing ON tracks(user_id, email) WHERE status IN (5, 10)",
                "CREATE INDEX tracks_by_user ON tracks(user_id, created_at, asset_id)",
                "CREATE INDEX tracks_by_account ON tracks(user_id, email, created_at, asset_id)",
                // The outbox, written in the same statement as the state change it reports; claimed with a lease.
                """
                CREATE TABLE callbacks (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    webhook_id text NOT NULL UNIQUE,
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    asset_id bigint NOT NULL REFERENCES tracks(asset_id) ON DELETE CASCADE,
                    url text NOT NULL,
                    snapshot jsonb NOT NULL,
                    is_final boolean NOT NULL,
                    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    next_attempt_at timestamptz NOT NULL,
                    created_at timestamptz NOT NULL,
                    delivered_at timestamptz,
                    abandoned_at timestamptz,
                    last_error text,
                    lease_owner text,
                    lease_expires_at timestamptz,
                    CHECK (delivered_at IS NULL OR abandoned_at IS NULL))
                """,
                "CREATE INDEX callbacks_pending ON callbacks(id) WHERE delivered_at IS NULL AND abandoned_at IS NULL",
                """
                CREATE INDEX callbacks_pending_by_track ON callbacks(asset_id, id)
                    WHERE delivered_at IS NULL AND abandoned_at IS NULL
                """,
                """
                CREATE TABLE uploads (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    path text NOT NULL UNIQUE,
                    sha256 text NOT NULL,
                    size bigint NOT NULL CHECK (size >= 0),
                    name text NOT NULL,
                    content_type text NOT NULL,
                    created_at timestamptz NOT NULL,
                    UNIQUE (user_id, sha256))
                """,
                // Values every node must agree on (the media-link signing key).
                "CREATE TABLE settings (name text PRIMARY KEY, value bytea NOT NULL)",
                // Media files in the database, in chunks, so a worker on one machine writes what an API node on
                // another serves. MP3 does not compress: store the chunks without trying.
                """
                CREATE TABLE media_files (
                    path text PRIMARY KEY,
                    size bigint NOT NULL CHECK (size >= 0),
                    chunk_size integer NOT NULL CHECK (chunk_size > 0),
                    created_at timestamptz NOT NULL DEFAULT now())
                """,
                """
                CREATE TABLE media_chunks (
                    path text NOT NULL REFERENCES media_files(path) ON DELETE CASCADE,
                    seq integer NOT NULL CHECK (seq >= 0),
                    data bytea NOT NULL,
                    PRIMARY KEY (path, seq))
                """,
                "ALTER TABLE media_chunks ALTER COLUMN data SET STORAGE EXTERNAL",
                // A track as the callback snapshot: timestamps as integer microseconds since 2000-01-01 (the
                // wire format's own unit), so a snapshot decodes to exactly the dates a row read gives.
                """
                CREATE FUNCTION tunesmith_micros(moment timestamptz) RETURNS bigint
                LANGUAGE sql IMMUTABLE AS $$ SELECT ((extract(epoch FROM moment) - 946684800) * 1000000)::bigint $$
                """,
                """
                CREATE FUNCTION tunesmith_track_snapshot(track tracks) RETURNS jsonb
                LANGUAGE sql STABLE AS $$
                    SELECT jsonb_build_object(
                        'asset_id', track.asset_id, 'user_id', track.user_id, 'email', track.email,
                        'request', track.request, 'credits', track.credits, 'status', track.status,
                        'progress', track.progress, 'result', track.result, 'fail_code', track.fail_code,
                        'fail_reason', track.fail_reason, 'created_at', tunesmith_micros(track.created_at),
                        'updated_at', tunesmith_micros(track.updated_at),
                        'started_at', tunesmith_micros(track.started_at), 'lease_owner', track.lease_owner,
                        'lease_expires_at', tunesmith_micros(track.lease_expires_at), 'attempts', track.attempts)
                $$
                """,
                // Wake-ups for other processes (see PostgresNotifier). NOTIFY is sent at commit, and repeats within
                // one transaction are sent once.
                """
                CREATE FUNCTION tunesmith_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify(TG_ARGV[0], '');
                    RETURN NULL;
                END $$
                """,
                // The cancelled track's id, so only the worker running it stops.
                """
                CREATE FUNCTION tunesmith_notify_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('tunesmith_cancel', NEW.asset_id::text);
                    RETURN NULL;
                END $$
                """,
                // Which track changed and whose it is, for the studio's live event streams on every API node
                // (payload "<user id> <asset id>").
                """
                CREATE FUNCTION tunesmith_notify_track() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('tunesmith_tracks', NEW.user_id || ' ' || NEW.asset_id::text);
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER tracks_created AFTER INSERT ON tracks
                    FOR EACH ROW EXECUTE FUNCTION tunesmith_notify_track()
                """,
                // A heartbeat that only moves the lease is not a change anyone watches.
                """
                CREATE TRIGGER tracks_changed AFTER UPDATE OF status, progress ON tracks
                    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.progress IS DISTINCT FROM NEW.progress)
                    EXECUTE FUNCTION tunesmith_notify_track()
                """,
                """
                CREATE TRIGGER tracks_queued AFTER INSERT OR UPDATE OF status ON tracks
                    FOR EACH ROW WHEN (NEW.status = 5) EXECUTE FUNCTION tunesmith_notify('tunesmith_jobs')
                """,
                """
                CREATE TRIGGER tracks_cancelled AFTER UPDATE OF status ON tracks
                    FOR EACH ROW WHEN (OLD.status = 10 AND NEW.status = 8 AND NEW.fail_code = 'cancelled')
                    EXECUTE FUNCTION tunesmith_notify_cancel()
                """,
                """
                CREATE TRIGGER callbacks_written AFTER INSERT ON callbacks
                    FOR EACH ROW EXECUTE FUNCTION tunesmith_notify('tunesmith_callbacks')
                """,
                // Any change to who a token belongs to (also by hand, e.g. deleting a token row to revoke it).
                """
                CREATE TRIGGER tokens_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tokens
                    FOR EACH STATEMENT EXECUTE FUNCTION tunesmith_notify('tunesmith_auth')
                """,
                """
                CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
                    FOR EACH STATEMENT EXECUTE FUNCTION tunesmith_notify('tunesmith_auth')
                """,
            ]),
    ]
}
