import ArgumentParser

/// The one executable: the server, its operator commands, and the offline song generator.
@main
struct Tunesmith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunesmith",
        abstract: "Self-hosted music generation: a text prompt in, a finished song (MP3) out.",
        subcommands: [
            ServeCommand.self, WorkerCommand.self, GenerateCommand.self, TokenCommand.self, AccountCommand.self,
            MigrateCommand.self,
        ]
    )
}
