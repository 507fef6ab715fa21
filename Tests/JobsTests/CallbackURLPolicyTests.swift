import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Testing
import TunesmithCore

@testable import Jobs

@Suite struct CallbackURLPolicyTests {
    static let refused = [
        "http://127.0.0.1/hook", "http://127.3.4.5:8080/x", "http://localhost:9000/cb", "http://[::1]/hook",
        "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.20/",
        "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/", "http://[fd00:ec2::254]/",
        "http://[fc00::5]/", "http://100.64.0.1/", "http://100.127.255.254/", "http://0.0.0.0/",
        "http://224.0.0.1/", "http://[ff02::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:169.254.169.254]/", "http://255.255.255.255/",
    ]
    static let malformed = [
        "ftp://93.184.216.34/file", "file:///etc/passwd", "not a url", "93.184.216.34/hook", "http:///nohost",
        "https://93.184.216.34/" + String(repeating: "a", count: 1024), "",
    ]
    static let accepted = [
        "http://93.184.216.34/hook", "https://93.184.216.34:8443/a/b?c=d", "http://8.8.8.8/", "http://172.32.0.1/",
        "http://100.128.0.1/", "http://[2606:2800:220:1:248:1893:25c8:1946]/cb", "HTTPS://1.1.1.1/",
    ]

    @Test(arguments: refused)
    func refusesNonPublicAddresses(url: String) async {
        let error = await #expect(throws: APIError.self) {
            try await CallbackURLPolicy(allowPrivate: false).validate(url)
        }
        #expect(error?.status == 400)
        #expect(error?.message.contains("not allowed") == true)
    }

    @Test(arguments: malformed)
    func refusesMalformedURLs(url: String) async {
        let error = await #expect(throws: APIError.self) {
            try await CallbackURLPolicy(allowPrivate: true).validate(url)
        }
        #expect(error?.status == 400)
        #expect(error?.message.contains("replyUrl") == true)
    }

    @Test(arguments: accepted)
    func acceptsPublicAddresses(url: String) async throws {
        let parsed = try await CallbackURLPolicy(allowPrivate: false).validate(url)
        #expect(parsed.absoluteString == url)
    }

    @Test(arguments: ["http://127.0.0.1:8080/hook", "http://localhost/cb", "http://[::1]/", "http://192.168.0.2/"])
    func allowPrivateLetsLocalReceiversThrough(url: String) async throws {
        _ = try await CallbackURLPolicy(allowPrivate: true).validate(url)
    }

    /// A slow resolver (a DNS server that does not answer) must not hold the Swift concurrency pool's threads,
    /// which serve every request: the lookup runs on a blocking-I/O thread pool. Proof by routing: with a pool
    /// that does not run, nothing is resolved and the check fails (it resolved inline before).
    @Test func nameResolutionRunsOnTheBlockingIOPoolNotOnTheConcurrencyPool() async throws {
        let lookups = NIOLockedValueBox(0)
        let policy = CallbackURLPolicy(
            allowPrivate: true,
            resolver: { _ throws(CallbackURLPolicy.ResolveError) in
                lookups.withLockedValue { $0 += 1 }
                return [IPAddress(v4: [93, 184, 216, 34])]
            },
            lookupPool: NIOThreadPool(numberOfThreads: 1))
        let error = await #expect(throws: APIError.self) { try await policy.validate("http://slow.example/hook") }
        #expect(error?.message.contains("could not be resolved now") == true)
        #expect(lookups.withLockedValue { $0 } == 0)
        // The same policy on a running pool resolves.
        let running = NIOThreadPool(numberOfThreads: 1)
        running.start()
        let working = CallbackURLPolicy(
            allowPrivate: true, resolver: { _ throws(CallbackURLPolicy.ResolveError) in [IPAddress(v4: [93, 184, 216, 34])] },
            lookupPool: running)
        #expect(try await working.validate("http://slow.example/hook").host == "slow.example")
        try await running.shutdownGracefully()
    }

    @Test func unresolvableNameIsRefusedWithItsName() async {
        let error = await #expect(throws: APIError.self) {
            try await CallbackURLPolicy(allowPrivate: true).validate("http://no-such-host.invalid/hook")
        }
        #expect(error?.message.contains("no-such-host.invalid") == true)
    }

    @Test func refusalNamesTheAddress() async {
        let error = await #expect(throws: APIError.self) {
            try await CallbackURLPolicy(allowPrivate: false).validate("http://[::ffff:192.168.1.1]:8080/x")
        }
        #expect(error?.message.contains("::ffff:192.168.1.1") == true)
    }

    @Test func classifiesAddressBytes() {
        #expect(IPAddress(v4: [93, 184, 216, 34]).isPublic)
        #expect(!IPAddress(v4: [172, 20, 1, 1]).isPublic)
        #expect(IPAddress(v4: [172, 15, 255, 255]).isPublic)
        #expect(!IPAddress(v4: [100, 100, 0, 1]).isPublic)
        // IPv4-compatible ::a.b.c.d of a private address
        #expect(!IPAddress(v6: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 168, 0, 1]).isPublic)
        #expect(!IPAddress(v6: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).isPublic)
    }
}
