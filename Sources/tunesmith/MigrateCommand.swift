import ArgumentParser
import Foundation
import TunesmithServer

/// `tunesmith migrate`: brings the database's schema up to date. Servers and operator commands do the same at
/// start (under an advisory lock with PostgreSQL); running it first, alone, is how an operator upgrades a
/// deployment of many nodes before starting the new version's processes.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the database's schema (also done by every start).")

    @OptionGroup var location: DatabaseOptions

    func run() async throws {
        let report = try await location.withStore { data in try await data.backend.schemaReport() }
        print(report)
    }
}
