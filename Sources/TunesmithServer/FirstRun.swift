import Foundation
import PostgresStorage
import TunesmithCore

/// The first start on an empty database makes the server usable at once: a user, a token, an account, and a
/// command to try it.
public enum FirstRun {
    public static let adminName = "admin"
    /// The reference page's example prompt.
    public static let examplePrompt = "An upbeat synthwave track with a clear female vocal"

    /// Creates the admin user when the database has no users, and prints the banner. Done under the backend's
    /// exclusive lock, so of several nodes starting together on an empty PostgreSQL database exactly one does it.
    static func createAdminIfEmpty(_ data: OperatorStore, configuration: ServerConfiguration) async throws {
        let created = try await data.backend.exclusively { () -> (User, String)? in
            guard try await data.store.users().isEmpty else { return nil }
            return try await data.createUser(name: adminName)
        }
        guard let (user, token) = created else { return }
        // Unbuffered: the operator (or a script) sees it before the server starts answering.
        FileHandle.standardOutput.write(Data((banner(user: user, token: token, configuration: configuration) + "\n").utf8))
    }

    static func banner(user: User, token: String, configuration: ServerConfiguration) -> String {
        // The URL without its password: the banner may end up in logs.
        let database =
            configuration.database.flatMap { try? DatabaseURL($0) }.map { "--database '\($0)'" }
            ?? "--data-dir \(configuration.dataDirectory)"
        return """
            Created user "\(user.name)" (id \(user.id)) with account \(OperatorStore.defaultAccountEmail) \
            (maxJobs \(OperatorStore.defaultMaxJobs()), unlimited credits).
            Open the studio in your browser (this link signs you in; keep it private):
            \(studioLink(token: token, configuration: configuration))
            API token (shown only now; only its hash is stored):
            \(token)
            Webhook signing secret: tunesmith token secret \(database) --name \(user.name)
            Try it:
            curl -H "Accept: application/json" -H "Content-Type: application/json" -H "Authorization: Bearer \(token)" \
            -X POST "\(configuration.baseURL)/v2/pixverse/music/create" -d '{"prompt": "\(examplePrompt)"}'
            """
    }

    /// The studio page with the token in the fragment: browsers never send a fragment to the server, and the
    /// page stores the token and removes it from the address bar.
    static func studioLink(token: String, configuration: ServerConfiguration) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
        let encoded = token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token
        return "\(configuration.baseURL)/#token=\(encoded)"
    }
}
