import ArgumentParser

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'generate' is not built yet") }
}
