import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Storage
import TunesmithCore
import _ConnectionPoolModule

/// The PostgreSQL backend of `TunesmithStore`, for many API and worker processes on many machines sharing one
/// database. Same rules as `SQLiteStore` (the contract suite runs against both): one statement per state change
/// where the change is one, owner-checked updates, the outbox row written in the same statement or transaction.
///
/// - The claim is one statement: `SELECT ... FOR UPDATE SKIP LOCKED` in a CTE that also takes the lease and
///   writes the outbox row, so concurrent claimers on any machine skip each other's rows instead of waiting.
/// - `createTrack` locks the user's account rows (`SELECT ... FOR UPDATE`, in email order so two creates never
///   deadlock), then counts the running tracks and debits: exact under concurrent creates from many API nodes,
///   with no serialization failures to retry.
/// - Triggers (schema v1) `NOTIFY` other processes: a queued track (`tunesmith_jobs`), a running track cancelled
///   (`tunesmith_cancel`), an outbox message (`tunesmith_callbacks`), a changed user or token (`tunesmith_auth`).
///   `PostgresNotifier` listens for them.
///
/// `client` is the connection pool, a `Service`: it must run (in the `ServiceGroup`, or `withRunningClient`)
/// while the store is used. A lost database surfaces as `StoreUnavailable`; the pool reconnects by itself.
public final class PostgresStore: Sendable {
    public let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger = Logger(label: "tunesmith.postgres")) {
        self.client = client
        self.logger = logger
    }

    public convenience init(url: DatabaseURL, logger: Logger = Logger(label: "tunesmith.postgres")) {
        self.init(client: PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger), logger: logger)
    }

    /// Runs `body` while the connection pool runs; for commands that use the store briefly (operator commands,
    /// tests). Long-lived processes run `client` in their `ServiceGroup` instead.
    public func withRunningClient<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    // MARK: Running statements

    /// The rows of one statement (autocommit: a statement is its own transaction).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await Self.mappingUnavailable {
            try await client.withConnection { try await $0.run(query, logger: logger) }
        }
    }

    /// Runs `body` in a transaction on one connection: committed when it returns, rolled back when it throws.
    /// The error `body` threw is rethrown as it is (a `CreateRejection` stays one).
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await Self.mappingUnavailable {
            try await client.withConnection { connection in
                _ = try await connection.run("BEGIN", logger: logger)
                do {
                    let result = try await body(connection)
                    _ = try await connection.run("COMMIT", logger: logger)
                    return result
                } catch {
                    // A broken connection is dropped by the pool, taking the open transaction with it.
                    _ = try? await connection.run("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Errors that only say the database cannot be reached right now become `StoreUnavailable`; others (a
    /// constraint, a bug) pass through.
    static func mappingUnavailable<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError {
            if let reason = unavailableReason(error) { throw StoreUnavailable(reason) }
            throw error
        } catch let error as ConnectionPoolError where error == .connectionCreationCircuitBreakerTripped {
            throw StoreUnavailable("no connection could be made for a while")
        }
    }

    private static func unavailableReason(_ error: PSQLError) -> String? {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler:
            return error.code.description
        case .server:
            // SQLSTATE class 08: connection exceptions; 57P01-57P03: the server is shutting down, crashed or is
            // starting; 53300: too many connections.
            guard let state = error.serverInfo?[.sqlState] else { return nil }
            let unavailable = state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
            return unavailable ? "\(state) \(error.serverInfo?[.message] ?? "")" : nil
        default:
            return nil
        }
    }
}

extension PostgresRowSequence {
    /// The first row, reading the rest (there should be none) so the connection is free again.
    func first() async throws -> PostgresRow? {
        try await collect().first
    }
}

extension PostgresStore {
    /// Key of the advisory lock `exclusively` holds ("tunesmfr": first run).
    static let exclusiveLock: Int64 = 0x7475_6E65_736D_6672

    /// Runs `body` while this process holds a session advisory lock that every other process calling this waits
    /// for: one-time work at start (the first user on an empty database) done by exactly one node.
    public func exclusively<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await Self.mappingUnavailable {
            try await client.withConnection { connection in
                _ = try await connection.run("SELECT pg_advisory_lock(\(Self.exclusiveLock))", logger: logger)
                do {
                    let result = try await body()
                    _ = try await connection.run("SELECT pg_advisory_unlock(\(Self.exclusiveLock))", logger: logger)
                    return result
                } catch {
                    _ = try? await connection.run("SELECT pg_advisory_unlock(\(Self.exclusiveLock))", logger: logger)
                    throw error
                }
            }
        }
    }
}

extension PostgresConnection {
    /// Runs one statement and returns its rows, handing it to the connection on the connection's own event loop
    /// and only while the connection is open.
    ///
    /// Why: PostgresNIO (1.33.2) sends a statement with `channel.write(..., promise: nil)`. Written to a connection
    /// the server has just closed (a restart, a failover), after NIO removed its handler, that write fails only
    /// its own nil promise and the statement's result is never completed: the request waits for ever and keeps its
    /// pool lease (found by the PostgreSQL-restart drill). On the event loop the open check and the write happen
    /// with no close in between; a close after the write fails the statement as usual.
    ///
    /// A statement that still gets no answer within `deadline` (the same race seen from the read side: a
    /// connection the server terminated while the statement was in flight) fails with `StoreUnavailable`, so the
    /// caller answers 503 or retries instead of waiting for ever.
    func run(_ query: PostgresQuery, logger: Logger, deadline: TimeAmount = .seconds(30)) async throws
        -> [PostgresRow]
    {
        let rows = eventLoop.flatSubmit { () -> EventLoopFuture<[PostgresRow]> in
            guard !self.isClosed else {
                return self.eventLoop.makeFailedFuture(StoreUnavailable("the database connection was closed"))
            }
            return self.query(query, logger: logger).map(\.rows)
        }
        return try await withCheckedThrowingContinuation { continuation in
            // Whichever comes first resumes the continuation; the other finds it taken.
            let pending = NIOLockedValueBox<CheckedContinuation<[PostgresRow], any Error>?>(continuation)
            let take: @Sendable () -> CheckedContinuation<[PostgresRow], any Error>? = {
                pending.withLockedValue { waiting in defer { waiting = nil }; return waiting }
            }
            let timeout = eventLoop.scheduleTask(in: deadline) {
                take()?.resume(throwing: StoreUnavailable("the database did not answer within \(deadline.nanoseconds / 1_000_000_000) s"))
            }
            rows.whenComplete { result in
                timeout.cancel()
                take()?.resume(with: result)
            }
        }
    }
}
