import Foundation
import Storage
import TunesmithCore

/// The database as operator commands and the first start see it: the store, plus the bookkeeping of users,
/// tokens and default accounts they share.
public struct OperatorStore: Sendable {
    public static let defaultAccountEmail = "default@tunesmith.local"

    public let backend: Backend
    public var store: any TunesmithStore { backend.store }

    /// Opens the PostgreSQL database `database` (a URL), else the SQLite database in the data dir at `dataDirectory`
    /// (creating it if needed).
    public init(database: String?, dataDirectory: String) throws {
        backend = try Backend(database: database, dataDirectory: dataDirectory, mediaDirectory: nil)
    }

    /// Runs `body` with the database ready (PostgreSQL's pool running, the schema migrated).
    public func run<Result: Sendable>(_ body: (OperatorStore) async throws -> Result) async throws -> Result {
        try await backend.withReady { try await body(self) }
    }

    /// The default account's concurrency: one job per core, within the contract's 1...8.
    public static func defaultMaxJobs(processorCount: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        min(8, max(1, processorCount))
    }

    /// A new user with one token and a default account (one slot per core, unlimited credits). The token is
    /// returned in clear exactly once; only its hash is stored.
    public func createUser(name: String, now: Date = Date()) async throws -> (user: User, token: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw OperatorError("--name must not be empty") }
        let user = try await store.createUser(name: name, now: now)
        let token = try await issueToken(for: user, now: now)
        _ = try await store.upsertAccount(
            userID: user.id, email: Self.defaultAccountEmail, maxJobs: Self.defaultMaxJobs(), credits: nil,
            passwordHash: nil, now: now)
        return (user, token)
    }

    public func issueToken(for user: User, now: Date = Date()) async throws -> String {
        let token = Token.make(userID: user.id)
        try await store.addToken(userID: user.id, tokenHash: Token.hash(token), now: now)
        return token
    }

    /// The user with this name (or id); nil when there is none, an error when the name is ambiguous.
    public func user(named name: String) async throws -> User? {
        let users = try await store.users()
        if let byID = users.first(where: { $0.id == name }) { return byID }
        let matches = users.filter { $0.name == name }
        guard matches.count <= 1 else {
            let ids = matches.map(\.id).joined(separator: ", ")
            throw OperatorError("several users are named \"\(name)\" (ids \(ids)); give the id instead")
        }
        return matches.first
    }

    public func requireUser(named name: String) async throws -> User {
        guard let user = try await user(named: name) else {
            throw OperatorError("no user named \"\(name)\"; create one with: tunesmith token create --name \(name)")
        }
        return user
    }
}

/// A mistake in an operator command or a setting, reported as one line on stderr.
public struct OperatorError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
