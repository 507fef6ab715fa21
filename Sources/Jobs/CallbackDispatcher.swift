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
    /// How long a claimed message stays this dispatcher's; if it dies mid-delivery, another dispatcher sends the
    /// message again after this. Well above `requestTimeout`, so a slow receiver never gets a second copy.
    public var leaseDuration: Duration

    public init(
        retry: CallbackRetryPolicy = .init(),
        requestTimeout: Duration = .seconds(15),
        maxIdle: Duration = .seconds(1),
        maxConcurrentTracks: Int = 16,
        leaseDuration: Duration = .seconds(60)
    ) {
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.maxIdle = maxIdle
        self.maxConcurrentTracks = max(1, maxConcurrentTracks)
        self.leaseDuration = max(leaseDuration, requestTimeout + .seconds(1))
    }
}

/// Delivers the callback outbox: POSTs each message's track JSON to its `replyUrl`, signed the Standard
/// Webhooks way, and retries with backoff. All state lives in the store, so deliveries survive restarts; each
/// message is claimed with a lease before it is sent, so any number of dispatchers (processes) can share the
/// outbox and every attempt is made by one of them only.
public final class CallbackDispatcher: Service {
    private let store: any CallbackStore & UserStore
    private let signer: MediaLinkSigner
    private let policy: CallbackURLPolicy
    private let configuration: CallbackDispatcherConfiguration
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let clients: DeliveryClients
    private let clientShutDown = NIOLockedValueBox(false)
    /// Names this process in message leases (see `WorkerPool.processID`).
    private let dispatcherID = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):"
        + Token.randomString(length: 6)
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
        clients = DeliveryClients()
    }

    /// Tells the dispatcher a message was written, so it is sent now rather than at the next look.
    public func wake() {
        workAvailable.signal()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !isShuttingDown.withLockedValue({ $0 }) && !Task.isCancelled {
                _ = await passLogged()
                await sleepUntilWoken()
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
        if !alreadyDone { try await clients.shutdown() }
    }

    /// One pass over the outbox: every message that is due and next in line for its track is claimed and
    /// attempted once; a delivered or abandoned message lets the next one of its track follow in the same pass.
    /// Returns how many delivery attempts were made.
    @discardableResult
    public func runOnce() async throws -> Int {
        try await pass().attempts
    }

    // MARK: - Delivery

    private struct Pass: Sendable {
        var attempts = 0
        /// A message was delivered or given up, which may unblock the next one of its track.
        var progressed = false

        mutating func add(_ outcome: JobMetrics.DeliveryOutcome?) {
            guard let outcome else { return }
            attempts += 1
            progressed = progressed || outcome != .retry
        }
    }

    /// Claims the messages due by the pass's start and delivers them, tracks in parallel, until nothing more is
    /// claimable. It ends: a failed attempt is rescheduled after the pass's start (the backoff is at least a
    /// second) and a message whose outcome could not be recorded keeps its lease, so neither is claimed again.
    private func pass() async throws -> Pass {
        let date = now()
        var total = Pass()
        while !Task.isCancelled {
            let claimed = try await store.claimCallbacks(
                owner: dispatcherID, leaseUntil: date.adding(configuration.leaseDuration), now: date,
                limit: configuration.maxConcurrentTracks)
            guard !claimed.isEmpty else { break }
            // At most one message per track: every claimed message can go out at once.
            await withTaskGroup(of: JobMetrics.DeliveryOutcome?.self) { group in
                for message in claimed {
                    group.addTask { Task.isCancelled ? nil : await self.attempt(message) }
                }
                for await outcome in group {
                    if let outcome { JobMetrics.countDelivery(outcome: outcome) }
                    total.add(outcome)
                }
            }
        }
        return total
    }

    private func passLogged() async -> Pass {
        do {
            return try await pass()
        } catch {
            logger.error("reading the callback outbox failed", metadata: ["error": "\(error)"])
            return Pass()
        }
    }

    /// Sleeps `maxIdle` (other processes' messages and retries fall due meanwhile), or until woken.
    private func sleepUntilWoken() async {
        guard !isShuttingDown.withLockedValue({ $0 }) else { return }
        await workAvailable.wait(timeout: configuration.maxIdle, clock: clock)
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
                guard try await store.markDelivered(id: message.id, owner: dispatcherID, now: now()) else {
                    return lostLease(logger)
                }
                logger.debug("callback delivered")
                return .delivered
            } catch let error as AttemptError {
                switch error {
                case .permanent(let reason):
                    logger.error("callback abandoned", metadata: ["reason": "\(reason)"])
                    guard try await store.abandon(id: message.id, owner: dispatcherID, error: reason, now: now())
                    else { return lostLease(logger) }
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
                        guard try await store.abandon(id: message.id, owner: dispatcherID, error: reason, now: now())
                        else { return lostLease(logger) }
                        return .abandoned
                    }
                    logger.info(
                        "callback failed; will retry",
                        metadata: ["reason": "\(reason)", "attempts": "\(attempts)", "next": "\(next)"])
                    guard
                        try await store.reschedule(
                            id: message.id, owner: dispatcherID, attempts: attempts, nextAttemptAt: next, error: reason)
                    else { return lostLease(logger) }
                    return .retry
                }
            }
        } catch {
            // The store itself failed: the message keeps its lease and is tried again once that expires.
            logger.error("recording a callback attempt failed", metadata: ["error": "\(error)"])
            return .retry
        }
    }

    /// The attempt was made, but the lease had run out and another dispatcher took the message over (this one
    /// was stopped or cut off from the database for longer than the lease): that one records the outcome.
    private func lostLease(_ logger: Logger) -> JobMetrics.DeliveryOutcome {
        logger.warning("callback lease expired during the attempt; another dispatcher has the message")
        return .retry
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
            vetted = try await policy.vet(message.url)
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
        // and certificate checks still use the name (see `DeliveryClients`).
        let pinned = vetted.pinnedAddress(attempt: message.attempts, allowPrivate: policy.allowPrivate)
        do {
            (status, retryAfter) = try await clients.withClient(host: vetted.host, pinnedTo: pinned) { client in
                let response = try await client.execute(
                    request, timeout: .nanoseconds(configuration.requestTimeout.nanoseconds), logger: logger)
                // Read (and drop) a short body so the connection can be reused; receivers have nothing to tell us.
                _ = try? await response.body.collect(upTo: 64 * 1024)
                return (response.status.code, response.headers.first(name: "Retry-After"))
            }
        } catch {
            throw .failed("POST failed: \(error)", retryAfter: nil)
        }
        guard (200..<300).contains(status) else {
            throw .failed("receiver answered HTTP \(status)", retryAfter: retryAfter)
        }
    }
}
