import Foundation
import Storage
import TestSupport
import Testing
import TunesmithCore

@testable import Jobs

@Suite struct CallbackDispatcherTests {
    static let signer = MediaLinkSigner(baseURL: "http://tunesmith.test", secret: Data(repeating: 7, count: 32))

    /// A dispatcher driven by `runOnce()` and the fixture's hand-moved time; its HTTP client is closed after.
    func withDispatcher(
        _ fixture: Fixture, allowPrivate: Bool = true, retry: CallbackRetryPolicy = .init(),
        _ body: (CallbackDispatcher) async throws -> Void
    ) async throws {
        let dispatcher = CallbackDispatcher(
            store: fixture.store, signer: Self.signer, policy: CallbackURLPolicy(allowPrivate: allowPrivate),
            configuration: .init(retry: retry, requestTimeout: .seconds(5)), now: fixture.clock.wallClock,
            logger: quietLogger)
        do {
            try await body(dispatcher)
        } catch {
            try await dispatcher.shutdown()
            throw error
        }
        try await dispatcher.shutdown()
    }

    /// Pending (not delivered, not abandoned) outbox messages, oldest first.
    func pending(_ fixture: Fixture) async throws -> [CallbackMessage] {
        try await fixture.store.dueCallbacks(now: .distantFuture, limit: 100)
    }

    @Test func deliversSignedTrackJSONInOrder() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver()
            try await receiver.serve { url in
                let track = try await fixture.createTrack(replyURL: url)
                try await fixture.pool(engine: FakeEngine()).runOnce()
                try await withDispatcher(fixture) { dispatcher in
                    let attempts = try await dispatcher.runOnce()
                    #expect(attempts == 2)
                }

                let received = receiver.received
                #expect(received.map { $0.json["audio_status_name"] as? String } == ["GENERATING", "COMPLETED"])
                let timestamp = Int64(fixture.clock.date.timeIntervalSince1970)
                let verifier = try #require(WebhookSignature(secret: fixture.user.webhookSecret))
                for callback in received {
                    #expect(callback.headers["content-type"] == "application/json")
                    #expect(callback.headers["webhook-timestamp"] == String(timestamp))
                    let id = try #require(callback.headers["webhook-id"])
                    // Recompute the signature as a receiver does, from the raw body.
                    #expect(
                        callback.headers["webhook-signature"]
                            == verifier.header(webhookID: id, timestamp: timestamp, body: callback.body))
                }
                #expect(Set(received.compactMap { $0.headers["webhook-id"] }).count == 2)
                // The final callback is byte for byte the public JSON of the finished track.
                let done = try #require(try await fixture.track(track.assetID))
                let expected = TrackJSON(done, links: Self.signer.links(for: done, now: fixture.clock.date)).encoded()
                #expect(received.last?.body == expected)
                let final = try #require(received.last?.json)
                #expect(final["progress"] as? Int == 100)
                #expect((final["url"] as? String)?.hasPrefix("http://tunesmith.test/media/") == true)
                #expect(final["replyRef"] as? String == "ref-7")
                #expect(try await pending(fixture).isEmpty)
            }
        }
    }

    @Test func retriesHonouringRetryAfterAndKeepsTheOrder() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver(failures: 2, failureStatus: 503, retryAfter: "7")
            try await receiver.serve { url in
                _ = try await fixture.createTrack(replyURL: url)
                try await fixture.pool(engine: FakeEngine()).runOnce()
                try await withDispatcher(fixture) { dispatcher in
                    // GENERATING fails; COMPLETED must wait behind it.
                    var attempts = try await dispatcher.runOnce()
                    #expect(attempts == 1)
                    let first = try await pending(fixture)
                    #expect(first.count == 2)
                    #expect(first[0].attempts == 1)
                    #expect(first[0].nextAttemptAt == fixture.clock.date.addingTimeInterval(7))
                    #expect(first[0].lastError == "receiver answered HTTP 503")

                    // Not due yet: nothing is sent, not even the COMPLETED behind it.
                    fixture.clock.advance(by: .seconds(6))
                    attempts = try await dispatcher.runOnce()
                    #expect(attempts == 0)

                    fixture.clock.advance(by: .seconds(1))
                    attempts = try await dispatcher.runOnce()
                    #expect(attempts == 1)
                    fixture.clock.advance(by: .seconds(7))
                    attempts = try await dispatcher.runOnce()
                    #expect(attempts == 2)
                }

                let received = receiver.received
                #expect(
                    received.map { $0.json["audio_status_name"] as? String }
                        == ["GENERATING", "GENERATING", "GENERATING", "COMPLETED"])
                // Retries carry the same webhook id.
                #expect(Set(received.prefix(3).compactMap { $0.headers["webhook-id"] }).count == 1)
                #expect(try await pending(fixture).isEmpty)
            }
        }
    }

    @Test func finalCallbackIsRetriedWithBackoffAndDeliveredLate() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver(failures: 4)
            try await receiver.serve { url in
                let track = try await fixture.createTrack(replyURL: url)
                let claimed = try await fixture.store.claimNext(
                    workerID: "w", leaseUntil: fixture.clock.date.addingTimeInterval(30), now: fixture.clock.date)
                #expect(claimed != nil)
                try await withDispatcher(fixture, retry: .init(progressAttempts: 1)) { dispatcher in
                    // The GENERATING callback is best effort: one failure and it is given up.
                    var attempts = try await dispatcher.runOnce()
                    #expect(attempts == 1)
                    #expect(try await pending(fixture).isEmpty)

                    _ = try await fixture.store.fail(
                        assetID: track.assetID, workerID: "w", code: "music_generation_failed", reason: "boom",
                        credentialsRejected: false, now: fixture.clock.date)
                    var delays: [TimeInterval] = []
                    for _ in 1...3 {
                        attempts = try await dispatcher.runOnce()
                        #expect(attempts == 1)
                        let message = try #require(try await pending(fixture).first)
                        delays.append(message.nextAttemptAt.timeIntervalSince(fixture.clock.date))
                        fixture.clock.advance(by: .seconds(delays.last ?? 0))
                    }
                    #expect(delays == [5, 30, 120])
                    attempts = try await dispatcher.runOnce()
                    #expect(attempts == 1)
                }

                let received = receiver.received
                #expect(received.count == 5)
                #expect(received.last?.json["fail_code"] as? String == "music_generation_failed")
                #expect(try await pending(fixture).isEmpty)
            }
        }
    }

    @Test func finalCallbackIsAbandonedAfterItsLifetime() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver(failures: .max)
            try await receiver.serve { url in
                let track = try await fixture.createTrack(replyURL: url)
                _ = try await fixture.store.cancel(
                    userID: fixture.user.id, assetID: track.assetID, now: fixture.clock.date)
                let retry = CallbackRetryPolicy(backoff: [.seconds(60)], finalLifetime: .seconds(150))
                try await withDispatcher(fixture, retry: retry) { dispatcher in
                    for _ in 1...3 {
                        let attempts = try await dispatcher.runOnce()
                        #expect(attempts == 1)
                        fixture.clock.advance(by: .seconds(60))
                    }
                    let attempts = try await dispatcher.runOnce()
                    #expect(attempts == 0)
                }
                // Attempts at 0, 60 and 120 s; a fourth at 180 s would be past the 150 s lifetime.
                #expect(receiver.received.count == 3)
                #expect(try await pending(fixture).isEmpty)
            }
        }
    }

    @Test func privateTargetsAreRefusedAtDeliveryUnlessAllowed() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver()
            try await receiver.serve { url in
                let track = try await fixture.createTrack(replyURL: url)
                _ = try await fixture.store.cancel(
                    userID: fixture.user.id, assetID: track.assetID, now: fixture.clock.date)
                try await withDispatcher(fixture, allowPrivate: false) { dispatcher in
                    let attempts = try await dispatcher.runOnce()
                    #expect(attempts == 1)
                }
                #expect(receiver.received.isEmpty)
                let message = try #require(try await pending(fixture).first)
                #expect(message.lastError?.contains("not allowed") == true)
            }
        }
    }

    /// Runs `body` while a dispatcher delivering to `receiver` runs on the fixture's test clock, which these
    /// tests never move. `body` starts once the dispatcher's first look found the outbox empty and it sleeps:
    /// from then on only a wake-up (or the shutdown after `body`) makes it look again.
    func withSleepingDispatcher(
        _ fixture: Fixture, _ receiver: CallbackReceiver,
        _ body: (CallbackDispatcher, _ url: String) async throws -> Void
    ) async throws {
        try await receiver.serve { url in
            let dispatcher = CallbackDispatcher(
                store: fixture.store, signer: Self.signer, policy: CallbackURLPolicy(allowPrivate: true),
                clock: fixture.clock, now: fixture.clock.wallClock, logger: quietLogger)
            try await withServiceGroup(dispatcher) { _ in
                try await fixture.clock.waitForSleepers()
                try await body(dispatcher, url)
            }
        }
    }

    @Test func runningDispatcherDeliversWhenWokenAndFlushesOnShutdown() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver()
            try await withSleepingDispatcher(fixture, receiver) { dispatcher, url in
                let first = try await fixture.createTrack(replyURL: url, seed: 1)
                _ = try await fixture.store.cancel(
                    userID: fixture.user.id, assetID: first.assetID, now: fixture.clock.date)
                dispatcher.wake()
                try await waitUntil("the woken dispatcher to deliver", timeout: .seconds(60)) {
                    receiver.received.count == 1
                }
                // Asleep again; a message written without a wake-up waits.
                try await fixture.clock.waitForSleepers()
                let second = try await fixture.createTrack(replyURL: url, seed: 2)
                _ = try await fixture.store.cancel(
                    userID: fixture.user.id, assetID: second.assetID, now: fixture.clock.date)
                #expect(receiver.received.count == 1)
            }
            // The graceful shutdown's last pass sent it.
            #expect(receiver.received.map { $0.json["replyRef"] as? String } == ["ref-1", "ref-2"])
            #expect(receiver.received.allSatisfy { $0.json["fail_code"] as? String == "cancelled" })
        }
    }

    @Test func workersWakeTheDispatcherSoCallbacksDoNotWaitForItsNextLook() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver()
            try await withSleepingDispatcher(fixture, receiver) { dispatcher, url in
                _ = try await fixture.createTrack(replyURL: url)
                try await fixture.pool(engine: FakeEngine(), wakeCallbacks: { dispatcher.wake() }).runOnce()
                try await waitUntil("GENERATING and COMPLETED to arrive", timeout: .seconds(60)) {
                    receiver.received.count == 2
                }
            }
            #expect(receiver.received.map { $0.json["audio_status_name"] as? String } == ["GENERATING", "COMPLETED"])
        }
    }

    @Test func deliveryConnectsToTheAddressThePolicyCheckedNotANewLookup() async throws {
        try await withFixture { fixture in
            let receiver = CallbackReceiver()
            try await receiver.serve { url in
                // "rebind.test" exists only in this policy's resolver: the HTTP client cannot resolve it itself, so
                // a delivery only arrives if it connects to the address the check saw (here the loopback receiver,
                // which the widened `permits` accepts as if it were public).
                let port = try #require(URL(string: url)?.port)
                let policy = CallbackURLPolicy(
                    allowPrivate: false,
                    resolver: { host throws(CallbackURLPolicy.ResolveError) in
                        guard host == "rebind.test" else { throw .init(message: "unknown host") }
                        return [IPAddress(v4: [127, 0, 0, 1])]
                    },
                    permits: { _ in true })
                let track = try await fixture.createTrack(replyURL: "http://rebind.test:\(port)/hook")
                _ = try await fixture.store.cancel(userID: fixture.user.id, assetID: track.assetID, now: fixture.clock.date)
                let dispatcher = CallbackDispatcher(
                    store: fixture.store, signer: Self.signer, policy: policy,
                    configuration: .init(requestTimeout: .seconds(5)), now: fixture.clock.wallClock, logger: quietLogger)
                let attempts = try await dispatcher.runOnce()
                try await dispatcher.shutdown()
                #expect(attempts == 1)
                let received = receiver.received
                #expect(received.count == 1)
                // The receiver still sees the name it was given.
                #expect(received.first?.authority == "rebind.test:\(port)")
                #expect(try await pending(fixture).isEmpty)
            }
        }
    }

    @Test func pinnedAddressRotatesThroughTheCheckedAddressesOnRetries() throws {
        let addresses = [IPAddress(v4: [93, 184, 216, 34]), IPAddress(v6: [0x26, 0x06, 0x28, 0] + Array(repeating: 0, count: 11) + [1])]
        let vetted = CallbackURLPolicy.Vetted(
            url: URL(string: "https://hooks.example/cb")!, host: "hooks.example", hostIsAddress: false,
            addresses: addresses)
        #expect(vetted.pinnedAddress(attempt: 0, allowPrivate: false) == addresses[0])
        #expect(vetted.pinnedAddress(attempt: 1, allowPrivate: false) == addresses[1])
        #expect(vetted.pinnedAddress(attempt: 2, allowPrivate: false) == addresses[0])
        // Private targets allowed: nothing to protect, the client resolves (and races IPv4/IPv6) itself.
        #expect(vetted.pinnedAddress(attempt: 0, allowPrivate: true) == nil)
        var literal = vetted
        literal.hostIsAddress = true
        #expect(literal.pinnedAddress(attempt: 0, allowPrivate: false) == nil)
    }
}
