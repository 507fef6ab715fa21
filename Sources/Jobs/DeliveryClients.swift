import AsyncHTTPClient
import NIOConcurrencyHelpers

/// The HTTP clients callbacks are sent with, kept for the dispatcher's lifetime so deliveries reuse connections.
///
/// One shared client serves every delivery that may resolve the receiver's name itself. A delivery pinned to an
/// address the URL policy checked (against DNS rebinding) must connect there while still sending the name in
/// `Host`, TLS SNI and certificate checks; AsyncHTTPClient offers that only per client (`dnsOverride`), so such
/// deliveries share one client per (name, address), of which the `capacity` most recently used are kept. A
/// client is shut down only once no delivery is using it.
final class DeliveryClients: Sendable {
    private struct Pinned: Hashable {
        var host: String
        var address: String
    }

    private struct Entry {
        var client: HTTPClient
        var users = 0
        var lastUsed: UInt64
    }

    private struct State {
        var pinned: [Pinned: Entry] = [:]
        var uses: UInt64 = 0
        var closed = false
    }

    private let shared = DeliveryClients.makeClient()
    private let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
    }

    /// Redirects are not followed: the policy checked this URL, not wherever a receiver might point us.
    /// `dnsOverride` maps a host name to the address to connect to instead of resolving it.
    private static func makeClient(dnsOverride: [String: String] = [:]) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.dnsOverride = dnsOverride
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Runs `body` with the shared client, or, when `address` is given, with the client connecting `host` to it.
    func withClient<Result: Sendable>(
        host: String, pinnedTo address: IPAddress?, _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        guard let address else { return try await body(shared) }
        let key = Pinned(host: host, address: address.description)
        let client = try acquire(key)
        let result: Result
        do {
            result = try await body(client)
        } catch {
            try? await shutdown(release(key))
            throw error
        }
        try? await shutdown(release(key))
        return result
    }

    /// Shuts every client down (the dispatcher is stopping); pinned clients still in use close when released.
    func shutdown() async throws {
        let idle = state.withLockedValue { state -> [HTTPClient] in
            state.closed = true
            let idle = state.pinned.filter { $0.value.users == 0 }
            for key in idle.keys { state.pinned[key] = nil }
            return idle.values.map(\.client)
        }
        try? await shutdown(idle)
        try await shared.shutdown()
    }

    private func acquire(_ key: Pinned) throws -> HTTPClient {
        try state.withLockedValue { state in
            guard !state.closed else { throw HTTPClientError.alreadyShutdown }
            state.uses += 1
            var entry =
                state.pinned[key]
                ?? Entry(client: Self.makeClient(dnsOverride: [key.host: key.address]), lastUsed: state.uses)
            entry.users += 1
            entry.lastUsed = state.uses
            state.pinned[key] = entry
            return entry.client
        }
    }

    /// Ends one use of `key`'s client; returns the clients to shut down: idle ones beyond `capacity` (least
    /// recently used first), or all idle ones once the dispatcher is stopping.
    private func release(_ key: Pinned) -> [HTTPClient] {
        state.withLockedValue { state in
            state.pinned[key]?.users -= 1
            let idle = state.pinned.filter { $0.value.users == 0 }.sorted { $0.value.lastUsed < $1.value.lastUsed }
            let surplus = state.closed ? idle.count : max(0, state.pinned.count - capacity)
            let evicted = idle.prefix(surplus)
            for (key, _) in evicted { state.pinned[key] = nil }
            return evicted.map(\.value.client)
        }
    }

    private func shutdown(_ clients: [HTTPClient]) async throws {
        for client in clients { try await client.shutdown() }
    }
}
