import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import TunesmithCore

/// How the dispatcher paces and bounds itself.
public struct CallbackDispatcherConfiguration: Sendable {
    public var retry: CallbackRetryPolicy
    /// Whole-request timeout of one POST.
    public var requestTimeout: Duration
    /// Longest sleep between two looks at the outbox when nobody calls `wake()`.
    public var maxIdle: Duration
    /// Tracks delivered to in parallel (one slow receiver must not hold up the others).
    public var maxConcurrentTracks: Int
    /// Pending messages examined per pass.
    public var scanLimit: Int

    public init(
        retry: CallbackRetryPolicy = .init(),
        requestTimeout: Duration = .seconds(15),
        maxIdle: Duration = .seconds(1),
        maxConcurrentTracks: Int = 16,
        scanLimit: Int = 500
    ) {
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.maxIdle = maxIdle
        self.maxConcurrentTracks = max(1, maxConcurrentTracks)
        self.scanLimit = max(1, scanLimit)
    }
}

/// Delivers the callback outbox: POSTs each message's track JSON to its `replyUrl`, signed the Standard
/// Webhooks way, and retries with backoff. All state lives in the store, so deliveries survive restarts and
/// several processes may share the outbox.
public final class CallbackDispatcher: Service {
    private let store: any CallbackStore & UserStore
    private let signer: MediaLinkSigner
    private let policy: CallbackURLPolicy
    private let configuration: CallbackDispatcherConfiguration
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let client: HTTPClient
    private let clientShutDown = NIOLockedValueBox(false)
    private let workAvailable = WakeSignal()
    private let isShuttingDown = NIOLockedValueBox(false)

    public init(
        store: any CallbackStore & UserStore,
        signer: MediaLinkSigner,
        policy: CallbackURLPolicy,
        configuration: CallbackDispatcherConfiguration = .init(),
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "tunesmith.callbacks")
    ) {
        self.store = store
        self.signer = signer
        self.policy = policy
        self.configuration = configuration
        self.clock = clock
        self.now = now
        self.logger = logger
        client = Self.makeClient()
    }

    /// Redirects are not followed: the policy checked this URL, not wherever a receiver might point us.
    /// `dnsOverride` maps a host name to the address to connect to instead of resolving it.
    static func makeClient(dnsOverride: [String: String] = [:]) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.dnsOverride = dnsOverride
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Tells the dispatcher a message was written, so it is sent now rather than at the next look.
    public func wake() {
        workAvailable.signal()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !isShuttingDown.withLockedValue({ $0 }) && !Task.isCancelled {
                let pass = await passLogged()
                // Something was sent or given up: more may be due right behind it.
                if pass.progressed { continue }
                await sleep(until: pass.nextDue)
            }
            // Flush what is due, so a clean stop does not delay final callbacks.
            if !Task.isCancelled { _ = await passLogged() }
        } onGracefulShutdown: {
            self.isShuttingDown.withLockedValue { $0 = true }
            self.workAvailable.signal()
        }
        try await shutdown()
    }

    /// Closes the HTTP client. `run()` does it when it ends; call it when using only `runOnce()`.
    public func shutdown() async throws {
        let alreadyDone = clientShutDown.withLockedValue { done in
            defer { done = true }
            return done
        }
        if !alreadyDone { try await client.shutdown() }
    }

    /// One pass over the outbox: every due message is attempted once, each track's messages in the order they
    /// were written. Returns how many delivery attempts were made.
    @discardableResult
    public func runOnce() async throws -> Int {
        try await pass().attempts
    }

    // MARK: - Delivery

    private struct Pass: Sendable {
        var attempts = 0
        /// A message was delivered or given up, which may unblock the next one of its track.
        var progressed = false
        /// When the earliest message that was not due yet becomes due.
        var nextDue: Date?

        mutating func add(_ other: Pass) {
            attempts += other.attempts
            progressed = progressed || other.progressed
            nextDue = [nextDue, other.nextDue].compactMap { $0 }.min()
        }
    }

    private func pass() async throws -> Pass {
        let date = now()
        // All pending messages, not only the due ones: a message may only go out once every earlier message of
        // its track is delivered or given up, even if the earlier one's retry is scheduled later.
        let pending = try await store.dueCallbacks(now: .distantFuture, limit: configuration.scanLimit)
        let chains = Dictionary(grouping: pending, by: \.assetID).values
            .map { $0.sorted { $0.id < $1.id } }
            .sorted { $0[0].id < $1[0].id }

        return await withTaskGroup(of: Pass.self) { group in
            var total = Pass()
            var started = 0
            for chain in chains {
                guard chain[0].nextAttemptAt <= date else {
                    total.add(Pass(nextDue: chain[0].nextAttemptAt))
                    continue
                }
                if started >= configuration.maxConcurrentTracks, let done = await group.next() {
                    total.add(done)
                }
                group.addTask { await self.deliver(chain, dueBy: date) }
                started += 1
            }
            for await done in group { total.add(done) }
            return total
        }
    }

    private func passLogged() async -> Pass {
        do {
            return try await pass()
        } catch {
            logger.error("reading the callback outbox failed", metadata: ["error": "\(error)"])
            return Pass()
        }
    }

    /// Sleeps until `due`, at most `maxIdle` (new messages or other processes' retries may come sooner), or
    /// until woken.
    private func sleep(until due: Date?) async {
        guard !isShuttingDown.withLockedValue({ $0 }) else { return }
        var wait = configuration.maxIdle
        if let due {
            wait = min(wait, .milliseconds(Int64(max(0, due.timeIntervalSince(now())) * 1000)))
        }
        guard wait > .zero else { return }
        await workAvailable.wait(timeout: wait, clock: clock)
    }

    /// Sends one track's messages in order, stopping at the first that is not due or not delivered.
    private func deliver(_ chain: [CallbackMessage], dueBy date: Date) async -> Pass {
        var pass = Pass()
        for message in chain {
            guard message.nextAttemptAt <= date else {
                pass.nextDue = message.nextAttemptAt
                break
            }
            guard !Task.isCancelled else { break }
            pass.attempts += 1
            let outcome = await attempt(message)
            JobMetrics.countDelivery(outcome: outcome)
            // An abandoned message no longer holds up the later ones; a retried one does.
            guard outcome != .retry else { break }
            pass.progressed = true
        }
        return pass
    }

    private enum AttemptError: Error {
        /// Not worth retrying (the user is gone, their secret is unusable).
        case permanent(String)
        case failed(String, retryAfter: String?)
    }

    private func attempt(_ message: CallbackMessage) async -> JobMetrics.DeliveryOutcome {
        var logger = self.logger
        logger[metadataKey: "asset_id"] = "\(message.assetID)"
        logger[metadataKey: "webhook_id"] = "\(message.webhookID)"
        do {
            do {
                try await post(message)
                try await store.markDelivered(id: message.id, now: now())
                logger.debug("callback delivered")
                return .delivered
            } catch let error as AttemptError {
                switch error {
                case .permanent(let reason):
                    logger.error("callback abandoned", metadata: ["reason": "\(reason)"])
                    try await store.abandon(id: message.id, error: reason)
                    return .abandoned
                case .failed(let reason, let retryAfter):
                    let attempts = message.attempts + 1
                    guard
                        let next = configuration.retry.nextAttempt(
                            after: attempts, isFinal: message.isFinal, createdAt: message.createdAt,
                            retryAfter: retryAfter, now: now())
                    else {
                        logger.warning(
                            "callback abandoned", metadata: ["reason": "\(reason)", "attempts": "\(attempts)"])
                        try await store.abandon(id: message.id, error: reason)
                        return .abandoned
                    }
                    logger.info(
                        "callback failed; will retry",
                        metadata: ["reason": "\(reason)", "attempts": "\(attempts)", "next": "\(next)"])
                    try await store.reschedule(id: message.id, attempts: attempts, nextAttemptAt: next, error: reason)
                    return .retry
                }
            }
        } catch {
            // The store itself failed: the message stays due and the next pass tries again.
            logger.error("recording a callback attempt failed", metadata: ["error": "\(error)"])
            return .retry
        }
    }

    private func post(_ message: CallbackMessage) async throws(AttemptError) {
        let user: User?
        do {
            user = try await store.user(id: message.userID)
        } catch {
            throw .failed("looking up the user failed: \(error)", retryAfter: nil)
        }
        guard let user else { throw .permanent("user \(message.userID) no longer exists") }
        guard let signature = WebhookSignature(secret: user.webhookSecret) else {
            throw .permanent("the webhook secret of user \(user.id) is not whsec_ + base64")
        }
        let vetted: CallbackURLPolicy.Vetted
        do {
            vetted = try policy.vet(message.url)
        } catch {
            // Re-checked at delivery since DNS may have changed; a temporary resolver failure is retried too.
            throw .failed(error.message, retryAfter: nil)
        }

        let sentAt = now()
        let body = TrackJSON(message.snapshot, links: signer.links(for: message.snapshot, now: sentAt)).encoded()
        let timestamp = Int64(sentAt.timeIntervalSince1970)
        var request = HTTPClientRequest(url: message.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Tunesmith-Webhooks")
        request.headers.add(name: "webhook-id", value: message.webhookID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: signature.header(webhookID: message.webhookID, timestamp: timestamp, body: body))
        request.body = .bytes(body)

        let status: UInt
        let retryAfter: String?
        // Against DNS rebinding: when private targets are refused, connect to an address the policy just checked
        // (the client would otherwise resolve the name again and could get a private one). Host header, TLS SNI
        // and certificate checks still use the name; that needs a client of its own for this one request.
        let pinned = vetted.pinnedAddress(attempt: message.attempts, allowPrivate: policy.allowPrivate)
        let client = pinned.map { Self.makeClient(dnsOverride: [vetted.host: $0.description]) } ?? self.client
        do {
            let response = try await client.execute(
                request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds), logger: logger)
            status = response.status.code
            retryAfter = response.headers.first(name: "Retry-After")
            // Read (and drop) a short body so the connection can be reused; receivers have nothing to tell us.
            _ = try? await response.body.collect(upTo: 64 * 1024)
        } catch {
            if pinned != nil { try? await client.shutdown() }
            throw .failed("POST failed: \(error)", retryAfter: nil)
        }
        if pinned != nil { try? await client.shutdown() }
        guard (200..<300).contains(status) else {
            throw .failed("receiver answered HTTP \(status)", retryAfter: retryAfter)
        }
    }
}
