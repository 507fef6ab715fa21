import ArgumentParser

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "account", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'account' is not built yet") }
}
