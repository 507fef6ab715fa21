import GRDB

extension SQLiteStore {
    /// The schema, as a list of frozen migrations: once a migration has shipped it is never edited; a change
    /// is a new migration ("v2", ...). The rules of the state machine live here as constraints, so a bug in
    /// the Swift code fails loudly instead of storing an impossible row.
    ///
    /// Timestamps are GRDB's UTC text form (`yyyy-MM-dd HH:mm:ss.SSS`), which sorts and compares in time order.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        webhook_secret TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    ) STRICT;

                    -- Only the SHA-256 of a token is stored; the token itself is shown once and forgotten.
                    CREATE TABLE tokens (
                        token_hash TEXT PRIMARY KEY NOT NULL,
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        created_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX tokens_by_user ON tokens(user_id);

                    CREATE TABLE accounts (
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        email TEXT NOT NULL,
                        max_jobs INTEGER NOT NULL CHECK (max_jobs BETWEEN 1 AND 8),
                        credits INTEGER CHECK (credits IS NULL OR credits >= 0), -- NULL = unlimited
                        password_hash TEXT,
                        error TEXT, -- set = pending-error state
                        consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (user_id, email)
                    ) STRICT;

                    -- A track and its job: one row, one state machine.
                    -- status: 5 QUEUED, 10 GENERATING, 1 COMPLETED, 8 FAILED.
                    -- No foreign key to accounts: deleting an account keeps its tracks.
                    CREATE TABLE tracks (
                        asset_id INTEGER PRIMARY KEY NOT NULL CHECK (asset_id > 0),
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        email TEXT NOT NULL,
                        request TEXT NOT NULL, -- JSON of TrackRequest
                        credits INTEGER NOT NULL CHECK (credits >= 0),
                        status INTEGER NOT NULL CHECK (status IN (5, 10, 1, 8)),
                        progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
                        result TEXT, -- JSON of TrackResult
                        fail_code TEXT,
                        fail_reason TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        started_at TEXT,
                        lease_owner TEXT,
                        lease_expires_at TEXT,
                        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        -- Exactly the GENERATING tracks hold a lease.
                        CHECK ((status = 10) = (lease_expires_at IS NOT NULL)),
                        CHECK (status <> 10 OR lease_owner IS NOT NULL),
                        CHECK (status <> 1 OR (result IS NOT NULL AND progress = 100)),
                        CHECK (status <> 8 OR fail_code IS NOT NULL),
                        CHECK ((status IN (1, 8)) = (fail_code IS NOT NULL OR result IS NOT NULL))
                    ) STRICT;
                    -- The claim scans only non-final tracks, oldest first.
                    CREATE INDEX tracks_claimable ON tracks(created_at, asset_id) WHERE status IN (5, 10);
                    -- Slots: non-final tracks per account.
                    CREATE INDEX tracks_executing ON tracks(user_id, email) WHERE status IN (5, 10);
                    -- Listing, newest first, optionally per account.
                    CREATE INDEX tracks_by_user ON tracks(user_id, created_at, asset_id);
                    CREATE INDEX tracks_by_account ON tracks(user_id, email, created_at, asset_id);

                    -- The callback outbox: written in the same transaction as the state change it reports.
                    CREATE TABLE callbacks (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        webhook_id TEXT NOT NULL UNIQUE,
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        asset_id INTEGER NOT NULL REFERENCES tracks(asset_id) ON DELETE CASCADE,
                        url TEXT NOT NULL,
                        snapshot TEXT NOT NULL, -- JSON of Track after the change
                        is_final INTEGER NOT NULL CHECK (is_final IN (0, 1)),
                        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                        next_attempt_at TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        delivered_at TEXT,
                        abandoned_at TEXT,
                        last_error TEXT,
                        CHECK (delivered_at IS NULL OR abandoned_at IS NULL)
                    ) STRICT;
                    CREATE INDEX callbacks_due ON callbacks(next_attempt_at)
                        WHERE delivered_at IS NULL AND abandoned_at IS NULL;
                    CREATE INDEX callbacks_by_track ON callbacks(asset_id);

                    CREATE TABLE uploads (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        path TEXT NOT NULL UNIQUE,
                        sha256 TEXT NOT NULL,
                        size INTEGER NOT NULL CHECK (size >= 0),
                        name TEXT NOT NULL,
                        content_type TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        UNIQUE (user_id, sha256)
                    ) STRICT;
                    """)
        }
        // Callbacks are claimed with a lease before they are sent, so several dispatchers can share the outbox.
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE callbacks ADD COLUMN lease_owner TEXT;
                    ALTER TABLE callbacks ADD COLUMN lease_expires_at TEXT;
                    -- The claim's "no earlier pending message of this track" check.
                    CREATE INDEX callbacks_pending_by_track ON callbacks(asset_id, id)
                        WHERE delivered_at IS NULL AND abandoned_at IS NULL;
                    """)
        }
        return migrator
    }()
}
