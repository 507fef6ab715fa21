import Foundation
import TestSupport
import Testing
import TunesmithCore

/// The rules every `TunesmithStore` backend must keep, run against each backend in `StoreBackends.all`.
/// Time is passed explicitly: lease expiry is tested with a later `now`, never by waiting.
@Suite("Store contract")
struct StoreContractTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let cost = 40

    static func request(replyURL: String? = nil, maxJobs: Int? = nil, prompt: String = "a calm piano song")
        -> TrackRequest
    {
        .test(prompt: prompt, replyURL: replyURL, replyRef: "ref-1", maxJobs: maxJobs)
    }

    static let result = TrackResult(
        title: "Calm Piano", lyrics: "la la", durationSeconds: 151.4, bpm: 92, key: "F# minor", genre: "pop",
        provider: "local", media: [.mp3: "tracks/1/track.mp3"])

    /// A user with one account `a@x.io`.
    static func user(
        _ store: any TunesmithStore, maxJobs: Int = 8, credits: Int? = nil, email: String = "a@x.io"
    ) async throws -> User {
        try await store.makeUser(email: email, maxJobs: maxJobs, credits: credits, now: t0)
    }

    static func create(
        _ store: any TunesmithStore, _ user: User, _ assetID: Int64, choice: AccountChoice = .named("a@x.io"),
        replyURL: String? = nil, maxJobs: Int? = nil, at offset: TimeInterval = 0
    ) async throws -> Track {
        try await store.createTrack(
            userID: user.id, choice: choice, request: request(replyURL: replyURL, maxJobs: maxJobs), cost: cost,
            assetID: assetID, now: t0 + offset)
    }

    static func credits(_ store: any TunesmithStore, _ user: User, _ email: String = "a@x.io") async throws -> Int?
    {
        try #require(try await store.account(userID: user.id, email: email)).credits
    }

    // MARK: Users and tokens

    @Test(arguments: StoreBackends.all)
    func createUserMakesShortIDAndWebhookSecret(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(name: "alice", now: Self.t0)
            let bob = try await store.createUser(name: "bob", now: Self.t0 + 1)
            for user in [alice, bob] {
                #expect((8...10).contains(user.id.count))
                #expect(user.id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) })
                #expect(user.webhookSecret.hasPrefix("whsec_"))
                let secret = try #require(Data(base64Encoded: String(user.webhookSecret.dropFirst(6))))
                #expect(secret.count == 32)
            }
            #expect(alice.id != bob.id)
            #expect(alice.webhookSecret != bob.webhookSecret)
            #expect(try await store.user(id: alice.id) == alice)
            #expect(try await store.user(id: "nobody123") == nil)
            #expect(try await store.users().map(\.name) == ["alice", "bob"])
        }
    }

    @Test(arguments: StoreBackends.all)
    func tokenHashResolvesToItsUser(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(name: "alice", now: Self.t0)
            let bob = try await store.createUser(name: "bob", now: Self.t0)
            let token = Token.make(userID: alice.id)
            try await store.addToken(userID: alice.id, tokenHash: Token.hash(token), now: Self.t0)
            try await store.addToken(userID: bob.id, tokenHash: Token.hash("other"), now: Self.t0)
            #expect(try await store.user(tokenHash: Token.hash(token)) == alice)
            #expect(try await store.user(tokenHash: Token.hash("other")) == bob)
            #expect(try await store.user(tokenHash: Token.hash("unknown")) == nil)
            // A hash names one user only.
            await #expect(throws: (any Error).self) {
                try await store.addToken(userID: bob.id, tokenHash: Token.hash(token), now: Self.t0)
            }
        }
    }

    // MARK: Accounts

    @Test(arguments: StoreBackends.all)
    func accountsAreOrderedPerUserWithExecutingCounted(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 3, credits: 500)
            let other = try await store.createUser(name: "other", now: Self.t0)
            let b = try await store.upsertAccount(
                userID: user.id, email: "b@x.io", maxJobs: 2, credits: nil, passwordHash: "hash", now: Self.t0)
            #expect(b.maxJobs == 2 && b.credits == nil && b.error == nil && b.executing == 0)
            #expect(b.consecutiveFailures == 0 && b.createdAt == Self.t0)
            let first = try await Self.create(store, user, 1)
            _ = try await Self.create(store, user, 2)
            let accounts = try await store.accounts(userID: user.id)
            #expect(accounts.map(\.email) == ["a@x.io", "b@x.io"])
            #expect(accounts.map(\.executing) == [2, 0])
            #expect(accounts[0].credits == 500 - 2 * Self.cost)
            #expect(try await store.accounts(userID: other.id).isEmpty)
            #expect(try await store.account(userID: other.id, email: "a@x.io") == nil)

            // A final track no longer executes.
            let claimed = try #require(try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0))
            #expect(claimed.assetID == first.assetID)
            #expect(try await store.complete(assetID: 1, workerID: "w", result: Self.result, now: Self.t0))
            #expect(try await store.account(userID: user.id, email: "a@x.io")?.executing == 1)
        }
    }

    @Test(arguments: StoreBackends.all)
    func upsertReplacesButKeepsCreatedAtAndClearsError(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 3, credits: 100)
            try await store.markAccountError(userID: user.id, email: "a@x.io", message: "bad password")
            #expect(try await store.account(userID: user.id, email: "a@x.io")?.error == "bad password")
            let replaced = try await store.upsertAccount(
                userID: user.id, email: "a@x.io", maxJobs: 5, credits: nil, passwordHash: nil, now: Self.t0 + 500)
            #expect(replaced.maxJobs == 5)
            #expect(replaced.credits == nil)
            #expect(replaced.error == nil)
            #expect(replaced.consecutiveFailures == 0)
            #expect(replaced.createdAt == Self.t0)
            #expect(try await store.accounts(userID: user.id).count == 1)
        }
    }

    @Test(arguments: StoreBackends.all)
    func upsertRejectsSlotLimitOutsideOneToEight(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await store.createUser(name: "u", now: Self.t0)
            for maxJobs in [0, 9] {
                await #expect(throws: (any Error).self) {
                    _ = try await store.upsertAccount(
                        userID: user.id, email: "a@x.io", maxJobs: maxJobs, credits: nil, passwordHash: nil,
                        now: Self.t0)
                }
            }
            #expect(try await store.accounts(userID: user.id).isEmpty)
        }
    }

    @Test(arguments: StoreBackends.all)
    func deleteAccountKeepsItsTracks(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 100)
            _ = try await Self.create(store, user, 7)
            #expect(try await store.deleteAccount(userID: user.id, email: "a@x.io"))
            #expect(try await store.deleteAccount(userID: user.id, email: "a@x.io") == false)
            #expect(try await store.account(userID: user.id, email: "a@x.io") == nil)
            let track = try #require(try await store.track(userID: user.id, assetID: 7))
            #expect(track.email == "a@x.io")

            // Failing it afterwards has no account to refund: it must still work.
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
            #expect(
                try await store.fail(
                    assetID: 7, workerID: "w", code: "music_generation_failed", reason: "boom",
                    credentialsRejected: false, now: Self.t0))
            #expect(try await store.track(userID: user.id, assetID: 7)?.status == .failed)
        }
    }

    // MARK: Creating tracks

    @Test(arguments: StoreBackends.all)
    func createDebitsTheNamedAccountAndQueuesTheTrack(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 100)
            let stranger = try await store.createUser(name: "stranger", now: Self.t0)
            let track = try await Self.create(store, user, 11, replyURL: "https://example.com/hook")
            #expect(track.assetID == 11)
            #expect(track.userID == user.id && track.email == "a@x.io")
            #expect(track.status == .queued && track.progress == 0 && track.attempts == 0)
            #expect(track.credits == Self.cost)
            #expect(track.request == Self.request(replyURL: "https://example.com/hook"))
            #expect(track.createdAt == Self.t0 && track.updatedAt == Self.t0)
            #expect(track.startedAt == nil && track.leaseOwner == nil && track.leaseExpiresAt == nil)
            #expect(track.result == nil && track.failCode == nil)
            #expect(try await Self.credits(store, user) == 100 - Self.cost)
            #expect(try await store.track(userID: user.id, assetID: 11) == track)
            #expect(try await store.track(userID: stranger.id, assetID: 11) == nil)
            // Creating is not a state change worth a callback; the outbox starts with "generating".
            #expect(try await store.dueCallbacks(now: Self.t0 + 1, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackends.all)
    func unlimitedAccountsStayUnlimited(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: nil)
            _ = try await Self.create(store, user, 1)
            #expect(try await Self.credits(store, user) == nil)
        }
    }

    @Test(arguments: StoreBackends.all)
    func namedAccountIsCheckedForErrorThenSlotsThenCredits(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 1, credits: Self.cost + 10)
            await #expect(throws: CreateRejection.accountNotFound(email: "nobody@x.io")) {
                _ = try await Self.create(store, user, 1, choice: .named("nobody@x.io"))
            }
            _ = try await Self.create(store, user, 1)
            // Busy, and short of credits: busy wins.
            await #expect(throws: CreateRejection.accountBusy(email: "a@x.io", maxJobs: 1)) {
                _ = try await Self.create(store, user, 2)
            }
            // In error as well: the error wins.
            try await store.markAccountError(userID: user.id, email: "a@x.io", message: "rejected")
            await #expect(throws: CreateRejection.accountInError(email: "a@x.io")) {
                _ = try await Self.create(store, user, 2)
            }
            // A free slot (request override) but too few credits.
            _ = try await store.upsertAccount(
                userID: user.id, email: "a@x.io", maxJobs: 1, credits: 10, passwordHash: nil, now: Self.t0)
            await #expect(throws: CreateRejection.insufficientCredits) {
                _ = try await Self.create(store, user, 2, maxJobs: 2)
            }
            // Refusals change nothing.
            #expect(try await Self.credits(store, user) == 10)
            #expect(try await store.track(userID: user.id, assetID: 2) == nil)
        }
    }

    @Test(arguments: StoreBackends.all)
    func requestMaxJobsOverridesTheAccountLimit(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 1)
            _ = try await Self.create(store, user, 1)
            _ = try await Self.create(store, user, 2, maxJobs: 3)
            _ = try await Self.create(store, user, 3, maxJobs: 3)
            await #expect(throws: CreateRejection.accountBusy(email: "a@x.io", maxJobs: 3)) {
                _ = try await Self.create(store, user, 4, maxJobs: 3)
            }
            await #expect(throws: CreateRejection.accountBusy(email: "a@x.io", maxJobs: 1)) {
                _ = try await Self.create(store, user, 4)
            }
        }
    }

    @Test(arguments: StoreBackends.all)
    func anyChoosesOnlyEligibleAccounts(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 1, credits: nil, email: "busy@x.io")
            _ = try await Self.create(store, user, 1, choice: .named("busy@x.io"))
            _ = try await store.upsertAccount(
                userID: user.id, email: "broke@x.io", maxJobs: 8, credits: 5, passwordHash: nil, now: Self.t0)
            _ = try await store.upsertAccount(
                userID: user.id, email: "error@x.io", maxJobs: 8, credits: nil, passwordHash: nil, now: Self.t0)
            try await store.markAccountError(userID: user.id, email: "error@x.io", message: "rejected")
            _ = try await store.upsertAccount(
                userID: user.id, email: "good@x.io", maxJobs: 8, credits: nil, passwordHash: nil, now: Self.t0)
            for assetID in Int64(2)...6 {
                let track = try await Self.create(store, user, assetID, choice: .any)
                #expect(track.email == "good@x.io")
            }
        }
    }

    @Test(arguments: StoreBackends.all)
    func anyFillsEveryAccountsSlotsBeforeRefusing(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 2, credits: nil)
            _ = try await store.upsertAccount(
                userID: user.id, email: "b@x.io", maxJobs: 3, credits: nil, passwordHash: nil, now: Self.t0)
            var perAccount: [String: Int] = [:]
            for assetID in Int64(1)...5 {
                perAccount[try await Self.create(store, user, assetID, choice: .any).email, default: 0] += 1
            }
            #expect(perAccount == ["a@x.io": 2, "b@x.io": 3])
            await #expect(throws: CreateRejection.allAccountsBusy) {
                _ = try await Self.create(store, user, 6, choice: .any)
            }
        }
    }

    @Test(arguments: StoreBackends.all)
    func anyAnswersTheMostInformativeRejection(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await store.createUser(name: "u", now: Self.t0)
            await #expect(throws: CreateRejection.accountNotFound(email: nil)) {
                _ = try await Self.create(store, user, 1, choice: .any)
            }

            // Only accounts in error: 596 naming one of them.
            for email in ["e1@x.io", "e2@x.io"] {
                _ = try await store.upsertAccount(
                    userID: user.id, email: email, maxJobs: 1, credits: nil, passwordHash: nil, now: Self.t0)
                try await store.markAccountError(userID: user.id, email: email, message: "rejected")
            }
            do {
                _ = try await Self.create(store, user, 1, choice: .any)
                Issue.record("expected a rejection")
            } catch let rejection as CreateRejection {
                #expect(rejection == .accountInError(email: "e1@x.io") || rejection == .accountInError(email: "e2@x.io"))
            }

            // A usable account short of credits: 412.
            _ = try await store.upsertAccount(
                userID: user.id, email: "poor@x.io", maxJobs: 1, credits: 1, passwordHash: nil, now: Self.t0)
            await #expect(throws: CreateRejection.insufficientCredits) {
                _ = try await Self.create(store, user, 1, choice: .any)
            }

            // An account that could pay once a slot frees: 429 (retrying later works).
            _ = try await store.upsertAccount(
                userID: user.id, email: "rich@x.io", maxJobs: 1, credits: 1_000, passwordHash: nil, now: Self.t0)
            #expect(try await Self.create(store, user, 1, choice: .any).email == "rich@x.io")
            await #expect(throws: CreateRejection.allAccountsBusy) {
                _ = try await Self.create(store, user, 2, choice: .any)
            }
        }
    }

    @Test(arguments: StoreBackends.all)
    func concurrentCreatesNeverExceedTheSlotLimit(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 3, credits: nil)
            let outcomes = try await Self.createConcurrently(store, user, count: 20)
            #expect(outcomes.created == 3)
            #expect(outcomes.rejections == [.accountBusy(email: "a@x.io", maxJobs: 3)])
            #expect(try await store.account(userID: user.id, email: "a@x.io")?.executing == 3)
        }
    }

    @Test(arguments: StoreBackends.all)
    func concurrentCreatesNeverOverdrawCredits(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, maxJobs: 3, credits: 2 * Self.cost + Self.cost / 2)
            let outcomes = try await Self.createConcurrently(store, user, count: 20)
            #expect(outcomes.created == 2)
            #expect(outcomes.rejections == [.insufficientCredits])
            #expect(try await Self.credits(store, user) == Self.cost / 2)
            #expect(try await store.activeTracks(userID: user.id).count == 2)
        }
    }

    static func createConcurrently(_ store: any TunesmithStore, _ user: User, count: Int) async throws
        -> (created: Int, rejections: Set<CreateRejection>)
    {
        try await withThrowingTaskGroup(of: CreateRejection?.self) { group in
            for assetID in 1...Int64(count) {
                group.addTask {
                    do {
                        _ = try await Self.create(store, user, assetID)
                        return nil
                    } catch let rejection as CreateRejection {
                        return rejection
                    }
                }
            }
            var created = 0
            var rejections: Set<CreateRejection> = []
            for try await outcome in group {
                if let outcome { rejections.insert(outcome) } else { created += 1 }
            }
            return (created, rejections)
        }
    }

    // MARK: Claiming and leases

    @Test(arguments: StoreBackends.all)
    func claimTakesTheOldestQueuedTrack(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store)
            #expect(try await store.claimNext(workerID: "w1", leaseUntil: Self.t0 + 60, now: Self.t0) == nil)
            _ = try await Self.create(store, user, 30, at: 2)
            _ = try await Self.create(store, user, 20, at: 1)
            _ = try await Self.create(store, user, 10, at: 3)
            let now = Self.t0 + 10
            let claimed = try #require(try await store.claimNext(workerID: "w1", leaseUntil: now + 60, now: now))
            #expect(claimed.assetID == 20)
            #expect(claimed.status == .generating)
            #expect(claimed.leaseOwner == "w1" && claimed.leaseExpiresAt == now + 60)
            #expect(claimed.startedAt == now && claimed.updatedAt == now)
            #expect(claimed.attempts == 1)
            #expect(try await store.track(userID: user.id, assetID: 20) == claimed)
            #expect(try await store.claimNext(workerID: "w2", leaseUntil: now + 60, now: now)?.assetID == 30)
            #expect(try await store.claimNext(workerID: "w3", leaseUntil: now + 60, now: now)?.assetID == 10)
            #expect(try await store.claimNext(workerID: "w4", leaseUntil: now + 60, now: now) == nil)
        }
    }

    @Test(arguments: StoreBackends.all)
    func expiredLeaseIsReclaimedWithoutDebitingAgain(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 100)
            _ = try await Self.create(store, user, 1)
            let first = try #require(try await store.claimNext(workerID: "dead", leaseUntil: Self.t0 + 60, now: Self.t0))
            #expect(
                try await store.heartbeat(
                    assetID: 1, workerID: "dead", leaseUntil: Self.t0 + 60, progress: 50, notify: false, now: Self.t0))
            // Still leased: nobody else may take it.
            #expect(try await store.claimNext(workerID: "w2", leaseUntil: Self.t0 + 120, now: Self.t0 + 59) == nil)
            let later = Self.t0 + 61
            let second = try #require(try await store.claimNext(workerID: "w2", leaseUntil: later + 60, now: later))
            #expect(second.assetID == first.assetID)
            #expect(second.leaseOwner == "w2" && second.attempts == 2)
            #expect(second.startedAt == Self.t0)
            #expect(second.progress == 0)  // the new worker starts over
            #expect(try await Self.credits(store, user) == 100 - Self.cost)
            // The first worker lost it and must stop.
            #expect(
                try await store.heartbeat(
                    assetID: 1, workerID: "dead", leaseUntil: later + 120, progress: 50, notify: false, now: later)
                    == false)
            #expect(try await store.complete(assetID: 1, workerID: "dead", result: Self.result, now: later) == false)
            #expect(try await store.track(userID: user.id, assetID: 1) == second)
        }
    }

    @Test(arguments: StoreBackends.all)
    func concurrentClaimersNeverShareATrack(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store)
            for assetID in Int64(1)...8 {
                _ = try await Self.create(store, user, assetID, at: TimeInterval(assetID))
            }
            let claimed = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        try await store.claimNext(workerID: "w\(worker)", leaseUntil: Self.t0 + 600, now: Self.t0 + 10)?
                            .assetID
                    }
                }
                var claimed: [Int64] = []
                for try await assetID in group { if let assetID { claimed.append(assetID) } }
                return claimed
            }
            #expect(claimed.sorted() == Array(Int64(1)...8))
        }
    }

    @Test(arguments: StoreBackends.all)
    func heartbeatExtendsTheLeaseOnlyForItsOwner(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store)
            _ = try await Self.create(store, user, 1)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
            #expect(
                try await store.heartbeat(
                    assetID: 1, workerID: "w", leaseUntil: Self.t0 + 120, progress: 40, notify: false, now: Self.t0 + 50))
            #expect(
                try await store.heartbeat(
                    assetID: 1, workerID: "intruder", leaseUntil: Self.t0 + 900, progress: 90, notify: false,
                    now: Self.t0 + 50) == false)
            #expect(
                try await store.heartbeat(
                    assetID: 2, workerID: "w", leaseUntil: Self.t0 + 900, progress: 90, notify: false,
                    now: Self.t0 + 50) == false)
            let track = try #require(try await store.track(userID: user.id, assetID: 1))
            #expect(track.progress == 40 && track.leaseExpiresAt == Self.t0 + 120 && track.updatedAt == Self.t0 + 50)
            // Out-of-range progress is clamped, not stored.
            #expect(
                try await store.heartbeat(
                    assetID: 1, workerID: "w", leaseUntil: Self.t0 + 120, progress: 150, notify: false, now: Self.t0 + 50))
            #expect(try await store.track(userID: user.id, assetID: 1)?.progress == 100)
            // The extended lease holds past the first expiry.
            #expect(try await store.claimNext(workerID: "x", leaseUntil: Self.t0 + 200, now: Self.t0 + 100) == nil)
        }
    }

    @Test(arguments: StoreBackends.all)
    func completeStoresTheResultAndResetsFailures(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 1_000)
            for assetID in Int64(1)...3 {
                _ = try await Self.create(store, user, assetID, at: TimeInterval(assetID))
                _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 5)
            }
            for assetID in Int64(1)...2 {
                _ = try await store.fail(
                    assetID: assetID, workerID: "w", code: "music_generation_failed", reason: "boom",
                    credentialsRejected: false, now: Self.t0 + 6)
            }
            #expect(try await store.account(userID: user.id, email: "a@x.io")?.consecutiveFailures == 2)
            #expect(try await store.complete(assetID: 3, workerID: "other", result: Self.result, now: Self.t0 + 7) == false)
            #expect(try await store.complete(assetID: 3, workerID: "w", result: Self.result, now: Self.t0 + 7))
            let track = try #require(try await store.track(userID: user.id, assetID: 3))
            #expect(track.status == .completed && track.progress == 100 && track.result == Self.result)
            #expect(track.updatedAt == Self.t0 + 7 && track.leaseExpiresAt == nil)
            #expect(try await store.account(userID: user.id, email: "a@x.io")?.consecutiveFailures == 0)
            // Final is final.
            #expect(try await store.complete(assetID: 3, workerID: "w", result: Self.result, now: Self.t0 + 8) == false)
            #expect(
                try await store.fail(
                    assetID: 3, workerID: "w", code: "x", reason: "y", credentialsRejected: false, now: Self.t0 + 8)
                    == false)
            #expect(try await store.cancel(userID: user.id, assetID: 3, now: Self.t0 + 8) == nil)
            #expect(try await Self.credits(store, user) == 1_000 - Self.cost)
        }
    }

    @Test(arguments: StoreBackends.all)
    func failRefundsOnceAndFiveFailuresPutTheAccountInError(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 1_000)
            for assetID in Int64(1)...5 {
                _ = try await Self.create(store, user, assetID)
                _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
                #expect(try await Self.credits(store, user) == 1_000 - Self.cost)
                #expect(try await store.account(userID: user.id, email: "a@x.io")?.error == nil)
                #expect(
                    try await store.fail(
                        assetID: assetID, workerID: "w", code: "music_generation_failed", reason: "renderer crashed",
                        credentialsRejected: false, now: Self.t0 + 1))
                #expect(try await Self.credits(store, user) == 1_000)
                // A second fail of the same track changes nothing.
                #expect(
                    try await store.fail(
                        assetID: assetID, workerID: "w", code: "music_generation_failed", reason: "again",
                        credentialsRejected: false, now: Self.t0 + 2) == false)
                #expect(try await Self.credits(store, user) == 1_000)
            }
            let track = try #require(try await store.track(userID: user.id, assetID: 5))
            #expect(track.status == .failed && track.failCode == "music_generation_failed")
            #expect(track.failReason == "renderer crashed" && track.leaseExpiresAt == nil)
            let account = try #require(try await store.account(userID: user.id, email: "a@x.io"))
            #expect(account.consecutiveFailures == 5)
            #expect(account.error != nil)
            await #expect(throws: CreateRejection.accountInError(email: "a@x.io")) {
                _ = try await Self.create(store, user, 6)
            }
        }
    }

    @Test(arguments: StoreBackends.all)
    func rejectedCredentialsPutTheAccountInErrorAtOnce(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: nil)
            _ = try await Self.create(store, user, 1)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
            #expect(
                try await store.fail(
                    assetID: 1, workerID: "w", code: "music_generation_failed", reason: "401 from provider",
                    credentialsRejected: true, now: Self.t0 + 1))
            let account = try #require(try await store.account(userID: user.id, email: "a@x.io"))
            #expect(account.error != nil && account.consecutiveFailures == 1 && account.credits == nil)
        }
    }

    @Test(arguments: StoreBackends.all)
    func releaseHandsTheTrackBackToTheQueue(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 100)
            _ = try await Self.create(store, user, 1)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0)
            #expect(try await store.release(assetID: 1, workerID: "other", now: Self.t0 + 1) == false)
            #expect(try await store.release(assetID: 1, workerID: "w", now: Self.t0 + 1))
            let released = try #require(try await store.track(userID: user.id, assetID: 1))
            #expect(released.status == .queued && released.leaseOwner == nil && released.leaseExpiresAt == nil)
            #expect(try await store.release(assetID: 1, workerID: "w", now: Self.t0 + 2) == false)
            // The hand-back gave the attempt back: it is claimed for the first time again, as far as attempts go.
            #expect(released.attempts == 0)
            let again = try #require(try await store.claimNext(workerID: "w2", leaseUntil: Self.t0 + 90, now: Self.t0 + 2))
            #expect(again.assetID == 1 && again.attempts == 1 && again.startedAt == Self.t0)
            #expect(try await Self.credits(store, user) == 100 - Self.cost)
        }
    }

    @Test(arguments: StoreBackends.all)
    func cancelFailsTheTrackRefundsAndStopsTheWorker(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 200)
            let stranger = try await store.createUser(name: "stranger", now: Self.t0)
            _ = try await Self.create(store, user, 1, at: 1)
            _ = try await Self.create(store, user, 2, at: 2)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 3)
            #expect(try await Self.credits(store, user) == 200 - 2 * Self.cost)
            #expect(try await store.cancel(userID: stranger.id, assetID: 1, now: Self.t0 + 4) == nil)
            #expect(try await store.cancel(userID: user.id, assetID: 99, now: Self.t0 + 4) == nil)

            let running = try #require(try await store.cancel(userID: user.id, assetID: 1, now: Self.t0 + 4))
            #expect(running.status == .failed && running.failCode == "cancelled")
            #expect(running.failReason == "Cancelled by the user")
            #expect(running.leaseOwner == nil && running.leaseExpiresAt == nil && running.updatedAt == Self.t0 + 4)
            #expect(
                try await store.heartbeat(
                    assetID: 1, workerID: "w", leaseUntil: Self.t0 + 90, progress: 50, notify: false, now: Self.t0 + 5)
                    == false)

            let queued = try #require(try await store.cancel(userID: user.id, assetID: 2, now: Self.t0 + 5))
            #expect(queued.status == .failed && queued.failCode == "cancelled")
            #expect(try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 6) == nil)
            #expect(try await store.cancel(userID: user.id, assetID: 2, now: Self.t0 + 6) == nil)

            let account = try #require(try await store.account(userID: user.id, email: "a@x.io"))
            #expect(account.credits == 200 && account.executing == 0)
            #expect(account.consecutiveFailures == 0 && account.error == nil)
        }
    }

    @Test(arguments: StoreBackends.all)
    func countsTracksByStatus(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store)
            #expect(try await store.countByStatus() == [.queued: 0, .generating: 0, .completed: 0, .failed: 0])
            for assetID in Int64(1)...4 { _ = try await Self.create(store, user, assetID, at: TimeInterval(assetID)) }
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 5)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 5)
            _ = try await store.complete(assetID: 1, workerID: "w", result: Self.result, now: Self.t0 + 6)
            _ = try await store.cancel(userID: user.id, assetID: 4, now: Self.t0 + 6)
            #expect(try await store.countByStatus() == [.queued: 1, .generating: 1, .completed: 1, .failed: 1])
        }
    }

    @Test(arguments: StoreBackends.all)
    func listsTracksNewestFirstAndActiveOnesOldestFirst(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store)
            let other = try await Self.user(store)
            _ = try await store.upsertAccount(
                userID: user.id, email: "b@x.io", maxJobs: 8, credits: nil, passwordHash: nil, now: Self.t0)
            for assetID in Int64(1)...5 {
                _ = try await Self.create(
                    store, user, assetID, choice: .named(assetID.isMultiple(of: 2) ? "b@x.io" : "a@x.io"),
                    at: TimeInterval(assetID))
            }
            _ = try await Self.create(store, other, 100, at: 20)  // newer: the claim below takes track 1
            #expect(try await store.tracks(userID: user.id, email: nil, limit: 50, offset: 0).map(\.assetID) == [5, 4, 3, 2, 1])
            #expect(try await store.tracks(userID: user.id, email: nil, limit: 2, offset: 1).map(\.assetID) == [4, 3])
            #expect(try await store.tracks(userID: user.id, email: "b@x.io", limit: 50, offset: 0).map(\.assetID) == [4, 2])
            #expect(try await store.tracks(userID: user.id, email: nil, limit: 50, offset: 9).isEmpty)

            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 10)
            _ = try await store.complete(assetID: 1, workerID: "w", result: Self.result, now: Self.t0 + 11)
            _ = try await store.cancel(userID: user.id, assetID: 3, now: Self.t0 + 11)
            #expect(try await store.activeTracks(userID: user.id).map(\.assetID) == [2, 4, 5])
        }
    }

    // MARK: Callback outbox

    @Test(arguments: StoreBackends.all)
    func everyStateChangeOfACallbackTrackWritesOneMessage(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 1_000)
            let hook = "https://example.com/hook"
            _ = try await Self.create(store, user, 1, replyURL: hook, at: 1)
            _ = try await Self.create(store, user, 2, replyURL: hook, at: 2)
            _ = try await Self.create(store, user, 3, at: 3)  // no replyURL: no messages
            for _ in 1...3 { _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 5) }
            _ = try await store.heartbeat(
                assetID: 1, workerID: "w", leaseUntil: Self.t0 + 90, progress: 30, notify: false, now: Self.t0 + 6)
            _ = try await store.heartbeat(
                assetID: 1, workerID: "w", leaseUntil: Self.t0 + 90, progress: 60, notify: true, now: Self.t0 + 7)
            _ = try await store.heartbeat(
                assetID: 3, workerID: "w", leaseUntil: Self.t0 + 90, progress: 60, notify: true, now: Self.t0 + 7)
            _ = try await store.complete(assetID: 1, workerID: "w", result: Self.result, now: Self.t0 + 8)
            _ = try await store.fail(
                assetID: 2, workerID: "w", code: "music_generation_failed", reason: "boom", credentialsRejected: false,
                now: Self.t0 + 9)
            _ = try await store.complete(assetID: 3, workerID: "w", result: Self.result, now: Self.t0 + 9)

            let messages = try await store.dueCallbacks(now: Self.t0 + 100, limit: 100)
            #expect(messages.map(\.assetID) == [1, 2, 1, 1, 2])
            #expect(messages.map(\.snapshot.status) == [.generating, .generating, .generating, .completed, .failed])
            #expect(messages.map(\.isFinal) == [false, false, false, true, true])
            #expect(messages[2].snapshot.progress == 60)
            #expect(messages.allSatisfy { $0.url == hook && $0.userID == user.id && $0.attempts == 0 })
            #expect(Set(messages.map(\.webhookID)).count == messages.count)
            #expect(messages.map(\.id) == messages.map(\.id).sorted())
            #expect(messages[3].snapshot == (try await store.track(userID: user.id, assetID: 1)))
            #expect(messages[3].nextAttemptAt == Self.t0 + 8 && messages[3].createdAt == Self.t0 + 8)
        }
    }

    @Test(arguments: StoreBackends.all)
    func cancelAndReleaseWriteMessagesToo(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: 1_000)
            _ = try await Self.create(store, user, 1, replyURL: "https://example.com/a", at: 1)
            _ = try await Self.create(store, user, 2, replyURL: "https://example.com/b", at: 2)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 3)
            _ = try await store.release(assetID: 1, workerID: "w", now: Self.t0 + 4)
            _ = try await store.cancel(userID: user.id, assetID: 2, now: Self.t0 + 5)
            let messages = try await store.dueCallbacks(now: Self.t0 + 5, limit: 10)
            #expect(messages.map(\.snapshot.status) == [.generating, .queued, .failed])
            #expect(messages.map(\.isFinal) == [false, false, true])
            #expect(messages[2].snapshot.failCode == "cancelled" && messages[2].url == "https://example.com/b")
        }
    }

    @Test(arguments: StoreBackends.all)
    func outboxDeliversDueMessagesUntilDeliveredOrAbandoned(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: nil)
            #expect(try await store.dueCallbacks(now: .distantFuture, limit: 10).isEmpty)
            for assetID in Int64(1)...3 {
                _ = try await Self.create(store, user, assetID, replyURL: "https://example.com/hook", at: TimeInterval(assetID))
                _ = try await store.claimNext(
                    workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + TimeInterval(10 * assetID))
            }
            let all = try await store.dueCallbacks(now: Self.t0 + 30, limit: 10)
            #expect(all.map(\.assetID) == [1, 2, 3])
            #expect(try await store.dueCallbacks(now: Self.t0 + 20, limit: 10).map(\.assetID) == [1, 2])
            #expect(try await store.dueCallbacks(now: Self.t0 + 30, limit: 2).map(\.assetID) == [1, 2])
            // Nothing is due before the earliest message's time, which is due at once.
            #expect(try await store.dueCallbacks(now: Self.t0 + 9.999, limit: 10).isEmpty)
            #expect(try await store.dueCallbacks(now: Self.t0 + 10, limit: 10).map(\.assetID) == [1])

            let claimed = try await store.claimCallbacks(owner: "d1", leaseUntil: Self.t0 + 90, now: Self.t0 + 30, limit: 10)
            #expect(claimed.map(\.id) == all.map(\.id))
            #expect(try await store.markDelivered(id: all[0].id, owner: "d1", now: Self.t0 + 31))
            #expect(
                try await store.reschedule(
                    id: all[1].id, owner: "d1", attempts: 1, nextAttemptAt: Self.t0 + 100, error: "HTTP 503"))
            #expect(try await store.dueCallbacks(now: Self.t0 + 99, limit: 10).map(\.assetID) == [3])
            // Delivered and rescheduled messages are no longer due at their old times: next is the third, at 30.
            #expect(try await store.dueCallbacks(now: Self.t0 + 29.999, limit: 10).isEmpty)
            #expect(try await store.dueCallbacks(now: Self.t0 + 30, limit: 10).map(\.assetID) == [3])
            let retried = try #require(try await store.dueCallbacks(now: Self.t0 + 100, limit: 10).first)
            #expect(retried.id == all[1].id && retried.attempts == 1 && retried.lastError == "HTTP 503")
            #expect(retried.webhookID == all[1].webhookID)
            #expect(try await store.abandon(id: all[2].id, owner: "d1", error: "expired", now: Self.t0 + 32))

            // The rescheduled message is claimable again once due, by any dispatcher.
            #expect(try await store.claimCallbacks(owner: "d2", leaseUntil: Self.t0 + 150, now: Self.t0 + 99, limit: 10).isEmpty)
            let again = try await store.claimCallbacks(owner: "d2", leaseUntil: Self.t0 + 160, now: Self.t0 + 100, limit: 10)
            #expect(again.map(\.id) == [all[1].id])
            #expect(try await store.markDelivered(id: all[1].id, owner: "d2", now: Self.t0 + 101))
            #expect(try await store.dueCallbacks(now: Self.t0 + 10_000, limit: 10).isEmpty)
            #expect(try await store.dueCallbacks(now: .distantFuture, limit: 10).isEmpty)
            #expect(try await store.claimCallbacks(owner: "d1", leaseUntil: .distantFuture, now: Self.t0 + 10_000, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackends.all)
    func aClaimedMessageBelongsToOneDispatcherAndItsTrackGoesInOrder(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: nil)
            let hook = "https://example.com/hook"
            _ = try await Self.create(store, user, 1, replyURL: hook, at: 1)
            _ = try await Self.create(store, user, 2, replyURL: hook, at: 2)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 3)
            _ = try await store.complete(assetID: 1, workerID: "w", result: Self.result, now: Self.t0 + 4)
            _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 60, now: Self.t0 + 5)
            let messages = try await store.dueCallbacks(now: Self.t0 + 10, limit: 10)
            #expect(messages.map(\.snapshot.status) == [.generating, .completed, .generating])
            let (generating1, completed1, generating2) = (messages[0].id, messages[1].id, messages[2].id)
            let now = Self.t0 + 10

            // Track 1's COMPLETED waits behind its GENERATING; each track's head goes to the first dispatcher.
            let first = try await store.claimCallbacks(owner: "a", leaseUntil: now + 60, now: now, limit: 10)
            #expect(first.map(\.id) == [generating1, generating2])
            #expect(try await store.claimCallbacks(owner: "b", leaseUntil: now + 60, now: now, limit: 10).isEmpty)
            // Only the holder of the lease records the outcome.
            #expect(try await store.markDelivered(id: generating1, owner: "b", now: now) == false)
            #expect(try await store.markDelivered(id: generating1, owner: "a", now: now))
            #expect(try await store.markDelivered(id: generating1, owner: "a", now: now) == false)
            #expect(try await store.claimCallbacks(owner: "b", leaseUntil: now + 60, now: now, limit: 10).map(\.id) == [completed1])
            #expect(try await store.markDelivered(id: completed1, owner: "b", now: now))

            // Dispatcher a stops (or is cut off) past its lease: b takes the message over, a's late outcome is
            // refused.
            let late = now + 61
            #expect(try await store.claimCallbacks(owner: "b", leaseUntil: late + 60, now: late, limit: 10).map(\.id) == [generating2])
            #expect(try await store.markDelivered(id: generating2, owner: "a", now: late) == false)
            #expect(try await store.abandon(id: generating2, owner: "a", error: "late", now: late) == false)
            #expect(try await store.reschedule(id: generating2, owner: "b", attempts: 1, nextAttemptAt: late + 5, error: "HTTP 500"))
            #expect(try await store.claimCallbacks(owner: "a", leaseUntil: late + 60, now: late + 1, limit: 10).isEmpty)
            let retry = try await store.claimCallbacks(owner: "a", leaseUntil: late + 65, now: late + 5, limit: 10)
            #expect(retry.map(\.id) == [generating2] && retry.first?.attempts == 1)
        }
    }

    @Test(arguments: StoreBackends.all)
    func concurrentDispatchersNeverClaimTheSameMessage(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await Self.user(store, credits: nil)
            for assetID in Int64(1)...24 {
                _ = try await Self.create(store, user, assetID, replyURL: "https://example.com/hook", at: TimeInterval(assetID))
                _ = try await store.claimNext(workerID: "w", leaseUntil: Self.t0 + 600, now: Self.t0 + 30)
                // Completed (freeing the slot): its COMPLETED message waits behind the GENERATING one.
                _ = try await store.complete(assetID: assetID, workerID: "w", result: Self.result, now: Self.t0 + 30)
            }
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for dispatcher in 0..<8 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let claimed = try await store.claimCallbacks(
                                owner: "d\(dispatcher)", leaseUntil: Self.t0 + 600, now: Self.t0 + 40, limit: 3)
                            if claimed.isEmpty { return mine }
                            mine += claimed.map(\.id)
                        }
                    }
                }
                var all: [[Int64]] = []
                for try await claimed in group { all.append(claimed) }
                return all
            }
            let ids = claims.flatMap { $0 }
            #expect(ids.count == 24)
            #expect(Set(ids).count == 24)
        }
    }

    // MARK: Uploads

    @Test(arguments: StoreBackends.all)
    func uploadsAreDeduplicatedPerUserAndPrivate(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let alice = try await store.createUser(name: "alice", now: Self.t0)
            let bob = try await store.createUser(name: "bob", now: Self.t0)
            func upload(_ user: User, _ path: String, sha: String) -> Upload {
                Upload(
                    id: 0, userID: user.id, path: path, sha256: sha, size: 1_234, name: "cover.png",
                    contentType: "image/png", createdAt: Self.t0)
            }
            let first = try await store.saveUpload(upload(alice, "upload/one.png", sha: "aa"))
            #expect(first.id > 0 && first.path == "upload/one.png" && first.size == 1_234)
            let again = try await store.saveUpload(upload(alice, "upload/two.png", sha: "aa"))
            #expect(again == first)
            let bobs = try await store.saveUpload(upload(bob, "upload/three.png", sha: "aa"))
            #expect(bobs.id != first.id && bobs.userID == bob.id)
            #expect(try await store.upload(userID: alice.id, path: "upload/one.png") == first)
            #expect(try await store.upload(userID: bob.id, path: "upload/one.png") == nil)
            #expect(try await store.upload(userID: alice.id, path: "upload/two.png") == nil)
        }
    }
}
