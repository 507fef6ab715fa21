import Crypto
import Foundation

/// Signed, expiring links to media files, playable without the bearer token (a browser `<audio>` element
/// cannot send one). A link is `<baseURL>/media/<path>?expires=<unix>&sig=<hex HMAC-SHA256(path|expires)>`.
public struct MediaLinkSigner: Sendable {
    public var baseURL: String
    public var lifetime: TimeInterval
    /// HMAC keyed once with the secret and copied for every link (a copy that is updated gets its own state):
    /// keying hashes the key's inner and outer pads, as much work again as signing a link (docs/modules/api.md).
    private let keyed: HMAC<SHA256>

    /// `secret` is the server's signing key (kept in the data dir so links survive restarts).
    public init(baseURL: String, secret: Data, lifetime: TimeInterval = 7 * 24 * 3600) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.lifetime = lifetime
        self.keyed = HMAC<SHA256>(key: SymmetricKey(data: secret))
    }

    /// A link to `path` (relative to the media folder) valid until `now + lifetime`.
    public func link(to path: String, now: Date) -> String {
        link(to: path, expires: expiry(now))
    }

    /// Links for every media file of a finished track (all with the same expiry).
    public func links(for track: Track, now: Date) -> [MediaKind: String] {
        guard let media = track.result?.media, !media.isEmpty else { return [:] }
        let expires = expiry(now)
        return media.mapValues { link(to: $0, expires: expires) }
    }

    private func expiry(_ now: Date) -> Int64 {
        Int64(now.timeIntervalSince1970 + lifetime)
    }

    private func link(to path: String, expires: Int64) -> String {
        let expiresText = String(expires)
        return "\(baseURL)/media/\(path)?expires=\(expiresText)&sig=\(signature(path: path, expires: expiresText))"
    }

    /// Whether a request for `path` with these query values is authentic and not expired.
    public func verify(path: String, expires: Int64, signature: String, now: Date) -> Bool {
        guard Double(expires) >= now.timeIntervalSince1970 else { return false }
        let expected = self.signature(path: path, expires: String(expires))
        // Constant-time comparison: the signature is a secret-derived value.
        guard expected.utf8.count == signature.utf8.count else { return false }
        return zip(expected.utf8, signature.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Hex HMAC-SHA256 of `path|expires`, hashed from one buffer (one `update` call per link).
    private func signature(path: String, expires: String) -> String {
        var mac = keyed
        var message: [UInt8] = []
        message.reserveCapacity(path.utf8.count + 1 + expires.utf8.count)
        message.append(contentsOf: path.utf8)
        message.append(UInt8(ascii: "|"))
        message.append(contentsOf: expires.utf8)
        mac.update(data: message)
        return Hex.encode(mac.finalize())
    }
}

/// Stops the in-process work of a job at once (the API calls it after the store marked the track cancelled;
/// other processes notice at their next heartbeat).
public protocol JobCanceller: Sendable {
    func cancelRunning(assetID: Int64) async
}
