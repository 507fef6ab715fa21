import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import TunesmithCore

/// A provider's answer, body read in full.
struct ProviderReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var contentType: String? { headers.first(name: "Content-Type") }
    var json: JSONValue? { JSONValue(parsing: body) }
}

/// The HTTP exchanges of one provider over the shared client: a whole-call deadline (answer body included),
/// a size cap, task cancellation passed on to AsyncHTTPClient (a DELETE stops the call), and transport errors
/// turned into `ProviderFailure`s that name the provider but never the key.
struct ProviderTransport: Sendable {
    let client: HTTPClient
    let provider: CloudProvider
    let redactor: Redactor

    /// The largest answer accepted: five minutes of 320 kbit/s audio, hex-encoded, with room to spare.
    static let maxAnswerBytes = 256 << 20
    /// Redirects followed when downloading audio from a URL the provider gave.
    static let maxDownloadRedirects = 5

    /// Sends `request` and reads the answer, all within `timeout`.
    func send(_ request: HTTPClientRequest, timeout: Duration) async throws -> ProviderReply {
        let client = self.client
        let call: @Sendable () async throws -> ProviderReply = {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: Self.maxAnswerBytes)
            return ProviderReply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
        }
        do {
            return try await withThrowingTaskGroup(of: ProviderReply?.self) { group in
                group.addTask { try await call() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let reply = try await group.next() ?? nil else { throw timedOut(timeout) }
                return reply
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            // The client's own deadline is the same `timeout`; on a busy machine it can win the race with the timer.
            throw timedOut(timeout)
        } catch {
            throw translate(error)
        }
    }

    private func timedOut(_ timeout: Duration) -> ProviderFailure {
        ProviderFailure(provider, .unavailable, "\(provider.displayName) did not answer within \(Self.seconds(timeout)) s")
    }

    /// Downloads audio the provider answered with a link. The link is the provider's, so no key is sent with it;
    /// redirects (CDNs use them) are followed by hand for the same reason, http(s) only.
    func download(_ link: String, timeout: Duration) async throws -> Data {
        var url = link
        for _ in 0...Self.maxDownloadRedirects {
            guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
                scheme == "http" || scheme == "https", parsed.host != nil
            else {
                throw ProviderFailure(provider, .invalid, "\(provider.displayName) answered with an audio link that is not http(s)")
            }
            var request = HTTPClientRequest(url: url)
            request.method = .GET
            let reply = try await send(request, timeout: timeout)
            switch reply.status {
            case 200..<300:
                return reply.body
            case 301, 302, 303, 307, 308:
                guard let location = reply.headers.first(name: "Location"),
                    let next = URL(string: location, relativeTo: parsed)?.absoluteString
                else { break }
                url = next
                continue
            case 500..<600, 408, 429:
                throw ProviderFailure(
                    provider, .unavailable, "Downloading the audio from \(provider.displayName) failed with HTTP \(reply.status)")
            default:
                break
            }
            throw ProviderFailure(
                provider, .invalid, "Downloading the audio from \(provider.displayName) failed with HTTP \(reply.status)")
        }
        throw ProviderFailure(provider, .invalid, "The audio link of \(provider.displayName) redirected too often")
    }

    /// Cancellation stays cancellation; everything else is the provider being unreachable (or too big).
    private func translate(_ error: any Error) -> any Error {
        if Task.isCancelled || error is CancellationError { return CancellationError() }
        if let failure = error as? ProviderFailure { return failure }
        if error is NIOTooManyBytesError {
            return ProviderFailure(
                provider, .invalid, "\(provider.displayName) answered with more than \(Self.maxAnswerBytes >> 20) MB")
        }
        let reason = redactor.clean(String(describing: error))
        return ProviderFailure(provider, .unavailable, "Could not reach \(provider.displayName): \(reason)")
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
