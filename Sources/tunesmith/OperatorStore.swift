import Foundation
import Storage
import TunesmithCore

/// The data dir as operator commands and `serve` see it: the store, plus the bookkeeping of users, tokens and
/// default accounts they share.
struct OperatorStore {
    static let defaultAccountEmail = "default@tunesmith.local"

    let directory: DataDirectory
    let store: SQLiteStore

    /// Opens (creating and migrating if needed) the data dir at `path`.
    init(path: String) throws {
        guard !path.isEmpty else { throw OperatorError("--data-dir must not be empty") }
        directory = DataDirectory(root: URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL)
        store = try SQLiteStore(dataDirectory: directory)
    }

    /// The default account's concurrency: one job per core, within the contract's 1...8.
    static func defaultMaxJobs(processorCount: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        min(8, max(1, processorCount))
    }

    /// A new user with one token and a default account (one slot per core, unlimited credits). The token is
    /// returned in clear exactly once; only its hash is stored.
    func createUser(name: String, now: Date = Date()) async throws -> (user: User, token: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw OperatorError("--name must not be empty") }
        let user = try await store.createUser(name: name, now: now)
        let token = try await issueToken(for: user, now: now)
        _ = try await store.upsertAccount(
            userID: user.id, email: Self.defaultAccountEmail, maxJobs: Self.defaultMaxJobs(), credits: nil,
            passwordHash: nil, now: now)
        return (user, token)
    }

    func issueToken(for user: User, now: Date = Date()) async throws -> String {
        let token = Token.make(userID: user.id)
        try await store.addToken(userID: user.id, tokenHash: Token.hash(token), now: now)
        return token
    }

    /// The user with this name (or id); nil when there is none, an error when the name is ambiguous.
    func user(named name: String) async throws -> User? {
        let users = try await store.users()
        if let byID = users.first(where: { $0.id == name }) { return byID }
        let matches = users.filter { $0.name == name }
        guard matches.count <= 1 else {
            let ids = matches.map(\.id).joined(separator: ", ")
            throw OperatorError("several users are named \"\(name)\" (ids \(ids)); give the id instead")
        }
        return matches.first
    }

    func requireUser(named name: String) async throws -> User {
        guard let user = try await user(named: name) else {
            throw OperatorError("no user named \"\(name)\"; create one with: tunesmith token create --name \(name)")
        }
        return user
    }
}

/// A mistake in an operator command, reported as one line on stderr.
struct OperatorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Messages for the operator go to stderr, so stdout carries only the requested value (a token, a table).
func printToStandardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Left-aligned columns separated by two spaces, header first.
func formatTable(header: [String], rows: [[String]]) -> String {
    let all = [header] + rows
    let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
    return all.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
