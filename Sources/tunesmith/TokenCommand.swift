import ArgumentParser
import Foundation

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create API users and tokens, show webhook signing secrets.",
        subcommands: [Create.self, Secret.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new API token (alone on stdout).",
            discussion: """
                Creates the user NAME with a default account (default@tunesmith.local, one job per core, \
                unlimited credits) and prints its token. If NAME already exists it gets an additional token. \
                The token is shown only now: only its hash is stored.
                """
        )

        @Option(name: .customLong("data-dir"), help: "The server's data folder.")
        var dataDirectory: String = ServerConfiguration.defaultDataDirectory

        @Option(help: "User name (or, for an existing user, its id).")
        var name: String

        func run() async throws {
            let data = try OperatorStore(path: dataDirectory)
            let token: String
            if let existing = try await data.user(named: name) {
                token = try await data.issueToken(for: existing)
                printToStandardError("Issued another token for existing user \"\(existing.name)\" (id \(existing.id)).")
            } else {
                let created = try await data.createUser(name: name)
                token = created.token
                printToStandardError(
                    "Created user \"\(created.user.name)\" (id \(created.user.id)) with account "
                        + "\(OperatorStore.defaultAccountEmail) (maxJobs \(OperatorStore.defaultMaxJobs()), unlimited credits).")
            }
            print(token)
        }
    }

    struct Secret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a user's webhook signing secret (alone on stdout).",
            discussion: """
                Callbacks to replyUrl are signed with it (Standard Webhooks: webhook-id, webhook-timestamp, \
                webhook-signature = v1,base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), key = the base64 \
                after "whsec_").
                """
        )

        @Option(name: .customLong("data-dir"), help: "The server's data folder.")
        var dataDirectory: String = ServerConfiguration.defaultDataDirectory

        @Option(help: "User name or id.")
        var name: String

        func run() async throws {
            let user = try await OperatorStore(path: dataDirectory).requireUser(named: name)
            print(user.webhookSecret)
        }
    }
}
