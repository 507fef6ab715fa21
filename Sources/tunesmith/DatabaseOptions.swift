import ArgumentParser
import Foundation
import TunesmithServer

/// Where the operator commands find the database: `--database` (PostgreSQL), else `TUNESMITH_DATABASE_URL`, else
/// SQLite in `--data-dir` / `TUNESMITH_DATA_DIR` / `./data`. Resolved the way `serve` resolves them, so a
/// command run with the server's environment opens the server's database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The server's data folder (SQLite) [TUNESMITH_DATA_DIR] (default ./data).")
    var dataDirectory: String?

    @Option(help: "The PostgreSQL database, postgres://user[:password]@host[:port]/db [TUNESMITH_DATABASE_URL].")
    var database: String?

    /// The store, ready for `body` (PostgreSQL: the pool running and the schema migrated).
    func withStore<Result: Sendable>(_ body: (OperatorStore) async throws -> Result) async throws -> Result {
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration(
                flags: .init(dataDirectory: dataDirectory, database: database),
                environment: ProcessInfo.processInfo.environment, processorCount: 1)
        } catch {
            throw ValidationError(error.description)
        }
        return try await OperatorStore(database: configuration.database, dataDirectory: configuration.dataDirectory)
            .run(body)
    }
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
