import ArgumentParser
import Foundation
import TunesmithCore
import TunesmithServer

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Add or list generation accounts (slot pools with a job limit and credits) of users.",
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or replace an account of a user (clears its pending error).")

        @OptionGroup var location: DatabaseOptions

        @Option(help: "User name or id.")
        var user: String

        @Option(help: "Account email (the key clients name in requests).")
        var email: String

        @Option(name: .customLong("max-jobs"), help: "Songs this account generates at once (1...8).")
        var maxJobs: Int

        @Option(help: "Credit balance; omit for unlimited.")
        var credits: Int?

        func validate() throws {
            guard (1...8).contains(maxJobs) else { throw ValidationError("--max-jobs must be in 1...8") }
            if let credits, credits < 0 { throw ValidationError("--credits must not be negative") }
            let trimmed = email.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed == email, !email.contains("/") else {
                throw ValidationError("--email must be non-empty, without spaces or '/'")
            }
        }

        func run() async throws {
            let row = try await location.withStore { data in
                let owner = try await data.requireUser(named: user)
                let account = try await data.store.upsertAccount(
                    userID: owner.id, email: email, maxJobs: maxJobs, credits: credits, passwordHash: nil, now: Date())
                return (owner, account)
            }
            print(AccountTable.render([row]))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts, of one user or of everyone.")

        @OptionGroup var location: DatabaseOptions

        @Option(help: "Only this user's accounts (name or id).")
        var user: String?

        func run() async throws {
            let rows = try await location.withStore { data in
                let owners: [User]
                if let user {
                    owners = [try await data.requireUser(named: user)]
                } else {
                    owners = try await data.store.users()
                }
                var rows: [(User, Account)] = []
                for owner in owners {
                    for account in try await data.store.accounts(userID: owner.id) { rows.append((owner, account)) }
                }
                return rows
            }
            if rows.isEmpty { printToStandardError("No accounts.") }
            print(AccountTable.render(rows))
        }
    }
}

/// The operator's view of accounts: one line each.
enum AccountTable {
    static func render(_ rows: [(User, Account)]) -> String {
        formatTable(
            header: ["USER", "USER ID", "EMAIL", "MAX JOBS", "EXECUTING", "CREDITS", "STATE", "CREATED"],
            rows: rows.map { user, account in
                [
                    user.name, user.id, account.email, "\(account.maxJobs)", "\(account.executing)",
                    account.credits.map(String.init) ?? "unlimited", account.error.map { "error: \($0)" } ?? "ok",
                    ISO8601.string(account.createdAt),
                ]
            })
    }
}
