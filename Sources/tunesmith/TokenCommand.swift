import ArgumentParser
import Foundation
import TunesmithServer

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

        @OptionGroup var location: DatabaseOptions

        @Option(help: "User name (or, for an existing user, its id).")
        var name: String

        func run() async throws {
            let token = try await location.withStore { data in
                if let existing = try await data.user(named: name) {
                    printToStandardError(
                        "Issued another token for existing user \"\(existing.name)\" (id \(existing.id)).")
                    return try await data.issueToken(for: existing)
                }
                let created = try await data.createUser(name: name)
                printToStandardError(
                    "Created user \"\(created.user.name)\" (id \(created.user.id)) with account "
                        + "\(OperatorStore.defaultAccountEmail) (maxJobs \(OperatorStore.defaultMaxJobs()), unlimited credits).")
                return created.token
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

        @OptionGroup var location: DatabaseOptions

        @Option(help: "User name or id.")
        var name: String

        func run() async throws {
            let user = try await location.withStore { try await $0.requireUser(named: name) }
            print(user.webhookSecret)
        }
    }
}
