import Crypto
import Foundation
import Hummingbird
import TunesmithCore

/// `POST/GET/DELETE /accounts/<email>`, `GET /accounts`.
struct AccountsController {
    let dependencies: APIDependencies

    func addRoutes(to group: some RouterMethods<AuthenticatedContext>) {
        group.get("accounts", use: list)
        group.post("accounts/:email", use: upsert)
        group.get("accounts/:email", use: account)
        group.delete("accounts/:email", use: delete)
    }

    struct AccountJSON: Encodable {
        var email: String
        var maxJobs: Int
        var credits: Int?
        var executing: Int
        var error: String?
        var created_at: String
        /// Only on the answer to a POST that set a password: it is stored hashed and never shown.
        var password: String?

        init(_ account: Account, passwordGiven: Bool = false) {
            email = account.email
            maxJobs = account.maxJobs
            credits = account.credits
            executing = account.executing
            error = account.error
            created_at = ISO8601.string(account.createdAt)
            password = passwordGiven ? "…secured…" : nil
        }

        // `credits: null` means unlimited, so it is written even when nil; `error` only when set.
        enum CodingKeys: String, CodingKey { case email, maxJobs, credits, executing, error, created_at, password }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(email, forKey: .email)
            try container.encode(maxJobs, forKey: .maxJobs)
            try container.encode(credits, forKey: .credits)
            try container.encode(executing, forKey: .executing)
            try container.encodeIfPresent(error, forKey: .error)
            try container.encode(created_at, forKey: .created_at)
            try container.encodeIfPresent(password, forKey: .password)
        }
    }

    @Sendable func upsert(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let email = try Self.pathEmail(context)
        let fields = try await RequestFields.read(from: request, maxBytes: dependencies.limits.maxBodyBytes)
        let bodyEmail = try fields.string("email")
        let password = try fields.string("password")
        let maxJobs = try fields.integer("maxJobs")
        let credits = try fields.integer("credits")
        if let bodyEmail, bodyEmail != email {
            throw APIError.badRequest("email: must equal the email in the path (\(email))")
        }
        guard let maxJobs else { throw APIError.badRequest("maxJobs: is required, an integer from 1 to 8") }
        guard CreateMusicInput.maxJobsRange.contains(maxJobs) else {
            throw APIError.badRequest("maxJobs: must be an integer from 1 to 8, got \(maxJobs)")
        }
        if let credits, credits < 0 || credits > Int64(Int32.max) {
            throw APIError.badRequest("credits: must be an integer from 0 to \(Int32.max), or omitted for unlimited")
        }
        if let password, password.count > 1_024 { throw APIError.badRequest("password: at most 1024 characters") }
        let account = try await dependencies.store.upsertAccount(
            userID: context.user.id, email: email, maxJobs: Int(maxJobs), credits: credits.map { Int($0) },
            passwordHash: password.map(Self.hashPassword), now: dependencies.now())
        return JSONResponse.make(AccountJSON(account, passwordGiven: password != nil), status: .created)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let accounts = try await dependencies.store.accounts(userID: context.user.id)
        guard !accounts.isEmpty else { throw APIError.configurationNotFound }
        return JSONResponse.make(Dictionary(accounts.map { ($0.email, AccountJSON($0)) }, uniquingKeysWith: { a, _ in a }))
    }

    @Sendable func account(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let email = try Self.pathEmail(context)
        guard let account = try await dependencies.store.account(userID: context.user.id, email: email) else {
            throw APIError.accountNotFound(email)
        }
        return JSONResponse.make(AccountJSON(account))
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let email = try Self.pathEmail(context)
        guard try await dependencies.store.deleteAccount(userID: context.user.id, email: email) else {
            throw APIError.accountNotFound(email)
        }
        return Response(status: .noContent)
    }

    static func pathEmail(_ context: AuthenticatedContext) throws -> String {
        let raw = try context.parameters.require("email")
        let email = raw.removingPercentEncoding ?? raw
        guard EmailAddress.isValid(email) else {
            throw APIError.badRequest("email: '\(email.prefix(100))' is not a valid email address")
        }
        return email
    }

    /// Salted SHA-256 (`sha256$<salt>$<hash>`): the password is only kept for compatibility, never used to
    /// log in anywhere, so a slow KDF buys nothing here, but the clear text must never be stored.
    static func hashPassword(_ password: String) -> String {
        let salt = Token.randomString(length: 16)
        let digest = Hex.encode(SHA256.hash(data: Data((salt + password).utf8)))
        return "sha256$\(salt)$\(digest)"
    }
}

/// A pragmatic email syntax check: one `@`, a dot-atom local part, a domain of at least two DNS labels.
/// Emails also appear inside audio ids and paths, so `/`, `:`, whitespace and controls are refused.
enum EmailAddress {
    static func isValid(_ email: String) -> Bool {
        guard email.utf8.count <= 254 else { return false }
        let halves = email.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return false }
        let local = halves[0]
        let domain = halves[1]
        let localAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".!#$%&'*+-=?^_`{|}~"))
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."),
            !local.contains(".."), local.unicodeScalars.allSatisfy({ $0.isASCII && localAllowed.contains($0) })
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
            }
    }
}
