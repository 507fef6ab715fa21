import Foundation
import TestSupport
import Testing
import TunesmithCore

@testable import Storage

@Suite("Token -> user cache")
struct TokenUserCacheTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Two stores on one file, like the server and an operator command in another process; the first caches.
    struct TwoStores {
        let folder: TemporaryFolder
        let clock = TestClock()
        let server: CachedStore
        let other: SQLiteStore

        init(capacity: Int = 16) throws {
            folder = try TemporaryFolder()
            let path = folder.url.appendingPathComponent("tunesmith.sqlite").path
            let clock = self.clock
            server = CachedStore(
                try SQLiteStore(path: path),
                tokenCache: TokenUserCache(capacity: capacity, lifetime: .seconds(5), now: { clock.now }))
            other = try SQLiteStore(path: path)
        }

        /// What a revoke command in another process would do (there is none yet): delete the token row.
        func revokeElsewhere(_ tokenHash: String) async throws {
            try await other.dbPool.write { db in
                try db.execute(sql: "DELETE FROM tokens WHERE token_hash = ?", arguments: [tokenHash])
            }
        }
    }

    @Test func aKnownTokenIsAnsweredFromTheCacheForItsLifetimeOnly() async throws {
        let stores = try TwoStores()
        defer { stores.folder.remove() }
        let user = try await stores.other.createUser(name: "alice", now: Self.t0)
        try await stores.other.addToken(userID: user.id, tokenHash: "h1", now: Self.t0)

        #expect(try await stores.server.user(tokenHash: "h1") == user)
        try await stores.revokeElsewhere("h1")
        // Revoked in another process: still answered from the cache until the entry expires...
        #expect(try await stores.server.user(tokenHash: "h1") == user)
        stores.clock.advance(by: .seconds(4))
        #expect(try await stores.server.user(tokenHash: "h1") == user)
        // ...and not one moment longer.
        stores.clock.advance(by: .seconds(1))
        #expect(try await stores.server.user(tokenHash: "h1") == nil)
    }

    @Test func unknownTokensAreNotCachedSoNewTokensWorkAtOnce() async throws {
        let stores = try TwoStores()
        defer { stores.folder.remove() }
        let user = try await stores.other.createUser(name: "alice", now: Self.t0)
        #expect(try await stores.server.user(tokenHash: "new") == nil)
        try await stores.other.addToken(userID: user.id, tokenHash: "new", now: Self.t0)
        #expect(try await stores.server.user(tokenHash: "new") == user)
        #expect(stores.server.tokenUsers.count == 1)
    }

    @Test func writesToUsersOrTokensInThisProcessClearTheCache() async throws {
        let stores = try TwoStores()
        defer { stores.folder.remove() }
        let user = try await stores.server.createUser(name: "alice", now: Self.t0)
        try await stores.server.addToken(userID: user.id, tokenHash: "h1", now: Self.t0)
        #expect(try await stores.server.user(tokenHash: "h1") == user)
        try await stores.revokeElsewhere("h1")

        try await stores.server.addToken(userID: user.id, tokenHash: "h2", now: Self.t0)
        #expect(try await stores.server.user(tokenHash: "h1") == nil)

        #expect(try await stores.server.user(tokenHash: "h2") == user)
        try await stores.revokeElsewhere("h2")
        stores.server.invalidateTokenCache()
        #expect(try await stores.server.user(tokenHash: "h2") == nil)
    }

    @Test func anAnswerReadBeforeAnInvalidationIsNotStored() {
        let cache = TokenUserCache()
        let user = User(id: "u", name: "n", webhookSecret: "whsec_AA==", createdAt: Self.t0)
        let (cached, ticket) = cache.lookup("h")
        #expect(cached == nil)
        cache.invalidateAll()  // e.g. a revoke committed while the read was in flight
        cache.store(user, for: "h", ticket: ticket)
        #expect(cache.lookup("h").user == nil)
        cache.store(user, for: "h", ticket: cache.lookup("h").ticket)
        #expect(cache.lookup("h").user == user)
    }

    @Test func theCacheHoldsAtMostItsCapacity() {
        let clock = TestClock()
        let cache = TokenUserCache(capacity: 3, lifetime: .seconds(5), now: { clock.now })
        for index in 0..<10 {
            let user = User(id: "u\(index)", name: "n", webhookSecret: "whsec_AA==", createdAt: Self.t0)
            cache.store(user, for: "h\(index)", ticket: cache.lookup("h\(index)").ticket)
            #expect(cache.count <= 3)
        }
        // The newest is always kept.
        #expect(cache.lookup("h9").user?.id == "u9")
    }

    @Test func aZeroLifetimeDisablesTheCache() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = CachedStore(
            try SQLiteStore(path: folder.url.appendingPathComponent("tunesmith.sqlite").path),
            tokenCache: TokenUserCache(lifetime: .zero))
        let user = try await store.createUser(name: "alice", now: Self.t0)
        try await store.addToken(userID: user.id, tokenHash: "h1", now: Self.t0)
        #expect(try await store.user(tokenHash: "h1") == user)
        #expect(store.tokenUsers.count == 0)
    }
}
