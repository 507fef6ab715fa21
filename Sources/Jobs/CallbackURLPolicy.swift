import Foundation
import NIOPosix
import TunesmithCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which `replyUrl`s Tunesmith may POST to. Checked at create (400) and again before every delivery, since a
/// name can resolve elsewhere later. Unless private targets are allowed, every address the host resolves to
/// must be public, so a client cannot make the server call into its own network or a cloud metadata service.
///
/// Names are resolved with `getaddrinfo`, which blocks for as long as DNS takes; it runs on NIO's blocking-I/O
/// thread pool, never on the Swift concurrency pool, so a slow DNS server cannot stall every request.
public struct CallbackURLPolicy: Sendable {
    public static let maxLength = 1024

    public var allowPrivate: Bool
    /// Name -> addresses (the system resolver; tests inject one).
    let resolver: @Sendable (String) throws(ResolveError) -> [IPAddress]
    /// Whether an address may be called when private targets are not allowed (tests widen it).
    let permits: @Sendable (IPAddress) -> Bool
    /// Where the blocking `getaddrinfo` runs: never on the Swift concurrency pool, whose few threads serve every
    /// request, so slow DNS cannot stall the server (tests pass a stopped pool to prove the routing).
    let lookupPool: NIOThreadPool

    /// `allowPrivate` is set by `TUNESMITH_ALLOW_PRIVATE_CALLBACKS=1` (e.g. receivers on the same machine).
    public init(allowPrivate: Bool) {
        self.init(allowPrivate: allowPrivate, resolver: { host throws(ResolveError) in try Self.resolve(host) })
    }

    init(
        allowPrivate: Bool, resolver: @escaping @Sendable (String) throws(ResolveError) -> [IPAddress],
        permits: @escaping @Sendable (IPAddress) -> Bool = { $0.isPublic }, lookupPool: NIOThreadPool = .singleton
    ) {
        self.allowPrivate = allowPrivate
        self.resolver = resolver
        self.permits = permits
        self.lookupPool = lookupPool
    }

    /// A `replyUrl` that passed the policy, with the addresses its host resolved to when it was checked.
    struct Vetted: Sendable {
        var url: URL
        /// The host as written in the URL, without IPv6 brackets.
        var host: String
        var hostIsAddress: Bool
        /// Every address the check resolved the host to (all of them passed).
        var addresses: [IPAddress]

        /// Where delivery must connect when the host is a name and private targets are refused: one of the
        /// checked addresses (the `attempt`-th, so retries also try the others), not whatever the name resolves
        /// to a moment later (DNS rebinding). Nil when the client may resolve the name itself.
        func pinnedAddress(attempt: Int, allowPrivate: Bool) -> IPAddress? {
            guard !allowPrivate, !hostIsAddress, !addresses.isEmpty else { return nil }
            return addresses[max(0, attempt) % addresses.count]
        }
    }

    public func validate(_ url: String) async throws(APIError) -> URL {
        try await vet(url).url
    }

    /// The check of `validate`, keeping the resolved addresses for the delivery to connect to.
    func vet(_ url: String) async throws(APIError) -> Vetted {
        guard url.count <= Self.maxLength else {
            throw .badRequest("replyUrl must be at most \(Self.maxLength) characters")
        }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            throw .badRequest("replyUrl must be an absolute http or https URL")
        }
        guard let rawHost = parsed.host(percentEncoded: false), !rawHost.isEmpty else {
            throw .badRequest("replyUrl must name a host")
        }
        let host = rawHost.hasPrefix("[") && rawHost.hasSuffix("]") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let addresses: [IPAddress]
        do {
            let resolver = self.resolver
            addresses = try await lookupPool.runIfActive { try resolver(host) }
        } catch let error as ResolveError {
            throw .badRequest("replyUrl host \(host) does not resolve (\(error.message))")
        } catch {
            throw .badRequest("replyUrl host \(host) could not be resolved now (\(error))")
        }
        guard !addresses.isEmpty else {
            throw .badRequest("replyUrl host \(host) does not resolve")
        }
        if !allowPrivate, let refused = addresses.first(where: { !permits($0) }) {
            throw .badRequest(
                "replyUrl host \(host) resolves to \(refused), a loopback, private, link-local or otherwise "
                    + "non-public address; callbacks to it are not allowed")
        }
        return Vetted(url: parsed, host: host, hostIsAddress: IPAddress(literal: host) != nil, addresses: addresses)
    }

    struct ResolveError: Error {
        var message: String
    }

    /// getaddrinfo: a literal address answers at once, a name asks the system resolver (/etc/hosts, DNS).
    static func resolve(_ host: String) throws(ResolveError) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            throw ResolveError(message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let info = entry?.pointee {
            if let address = info.ai_addr, let ip = IPAddress(address) {
                addresses.append(ip)
            }
            entry = info.ai_next
        }
        return addresses
    }
}

/// An IPv4 or IPv6 address as raw bytes, classified by the IANA special-purpose registries.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    enum Bytes: Sendable, Hashable {
        case v4([UInt8])
        case v6([UInt8])
    }

    var bytes: Bytes

    init(v4 bytes: [UInt8]) { self.bytes = .v4(bytes) }
    init(v6 bytes: [UInt8]) { self.bytes = .v6(bytes) }

    /// A numeric IPv4 or IPv6 address written as text; nil for names.
    init?(literal text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(v4: withUnsafeBytes(of: v4) { Array($0) })
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.init(v6: withUnsafeBytes(of: v6) { Array($0) })
            return
        }
        return nil
    }

    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let value = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            self.init(v4: withUnsafeBytes(of: value) { Array($0) })
        case AF_INET6:
            let value = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            self.init(v6: withUnsafeBytes(of: value) { Array($0) })
        default:
            return nil
        }
    }

    var description: String {
        let (family, raw): (Int32, [UInt8]) =
            switch bytes {
            case .v4(let b): (AF_INET, b)
            case .v6(let b): (AF_INET6, b)
            }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written = raw.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
        guard written != nil else { return raw.map(String.init).joined(separator: ".") }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// False for every range a server should not be made to call on a client's behalf.
    var isPublic: Bool {
        switch bytes {
        case .v4(let b):
            return Self.isPublicV4(b)
        case .v6(let b):
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach the IPv4 host.
            if b[0..<10].allSatisfy({ $0 == 0 }) && (b[10] == 0xff && b[11] == 0xff || b[10] == 0 && b[11] == 0) {
                return Self.isPublicV4(Array(b[12..<16]))
            }
            return Self.isPublicV6(b)
        }
    }

    private static func isPublicV4(_ b: [UInt8]) -> Bool {
        let refused: [(prefix: [UInt8], bits: Int)] = [
            ([0, 0, 0, 0], 8),  // "this network"
            ([10, 0, 0, 0], 8),  // private
            ([100, 64, 0, 0], 10),  // carrier-grade NAT
            ([127, 0, 0, 0], 8),  // loopback
            ([169, 254, 0, 0], 16),  // link-local, incl. the 169.254.169.254 metadata service
            ([172, 16, 0, 0], 12),  // private
            ([192, 0, 0, 0], 24),  // IETF protocol assignments
            ([192, 0, 2, 0], 24),  // documentation
            ([192, 168, 0, 0], 16),  // private
            ([198, 18, 0, 0], 15),  // benchmarking
            ([198, 51, 100, 0], 24),  // documentation
            ([203, 0, 113, 0], 24),  // documentation
            ([224, 0, 0, 0], 4),  // multicast
            ([240, 0, 0, 0], 4),  // reserved, incl. broadcast
        ]
        return !refused.contains { matches(b, prefix: $0.prefix, bits: $0.bits) }
    }

    private static func isPublicV6(_ b: [UInt8]) -> Bool {
        let refused: [(prefix: [UInt8], bits: Int)] = [
            ([0x00], 8),  // unspecified, loopback, NAT64 and other reserved forms
            ([0x01, 0x00, 0, 0, 0, 0, 0, 0], 64),  // discard-only
            ([0x20, 0x01, 0x0d, 0xb8], 32),  // documentation
            ([0x20, 0x01, 0x00, 0x00], 32),  // Teredo tunnels (embed arbitrary IPv4)
            ([0x20, 0x02], 16),  // 6to4 (embeds arbitrary IPv4)
            ([0xfc], 7),  // unique local, incl. the fd00:ec2::254 metadata service
            ([0xfe, 0x80], 10),  // link-local
            ([0xfe, 0xc0], 10),  // site-local (deprecated, still private)
            ([0xff], 8),  // multicast
        ]
        return !refused.contains { matches(b, prefix: $0.prefix, bits: $0.bits) }
    }

    private static func matches(_ address: [UInt8], prefix: [UInt8], bits: Int) -> Bool {
        var remaining = bits
        for (index, byte) in prefix.enumerated() where remaining > 0 {
            let maskBits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - maskBits))
            guard address[index] & mask == byte & mask else { return false }
            remaining -= maskBits
        }
        return true
    }
}
