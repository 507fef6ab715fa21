import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

@testable import API

/// While the database is out of reach (restarting, network down), requests answer 503 with the contract's JSON
/// error, never a 500 carrying the driver's message.
@Suite("Database unavailable")
struct StoreUnavailableTests {
    @Test func aStoreThatCannotReachItsDatabaseAnswers503() async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.get("tracks") { _, _ -> Response in
            throw StoreUnavailable("serverClosedConnection(underlying: PSQLError(code: connection closed))")
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/tracks", method: .get)
            expectError(response, 503, "try again")
            #expect(!response.text.contains("PSQL") && !response.text.contains("serverClosedConnection"))
        }
    }
}
