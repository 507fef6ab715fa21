import Foundation
import Logging
import Storage
import TunesmithCore

@testable import Jobs

/// Wall-clock time the tests move by hand.
final class ManualNow: Sendable {
    private let date: Locked<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        date = Locked(start)
    }

    var current: Date { date.current }

    func advance(seconds: TimeInterval) {
        date.withValue { $0 = $0.addingTimeInterval(seconds) }
    }

    var provider: @Sendable () -> Date { { self.current } }
}

/// A real SQLite store and media folder in a fresh temporary directory, with one user and one account.
struct Fixture {
    static let email = "singer@example.com"
    static let cost = MusicModel.music26.spec.credits
    static let startingCredits = 1_000

    let folder: URL
    let store: SQLiteStore
    let media: MediaFiles
    let user: User
    let now: ManualNow

    init(maxJobs: Int = 8) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("jobs-tests-\(UUID().uuidString)")
        let data = DataDirectory(root: folder)
        store = try SQLiteStore(dataDirectory: data)
        media = data.media
        now = ManualNow()
        user = try await store.createUser(name: "tester", now: now.current)
        _ = try await store.upsertAccount(
            userID: user.id, email: Self.email, maxJobs: maxJobs, credits: Self.startingCredits, passwordHash: nil,
            now: now.current)
    }

    func createTrack(
        replyURL: String? = nil, seed: UInt64 = 7, _ configure: (inout TrackRequest) -> Void = { _ in }
    ) async throws -> Track {
        var request = TrackRequest(
            model: .music26, prompt: "a calm lofi tune", instrumental: false, lyrics: nil, imagePaths: [],
            seed: seed, replyURL: replyURL, replyRef: "ref-\(seed)", maxJobs: nil)
        configure(&request)
        return try await store.createTrack(
            userID: user.id, choice: .named(Self.email), request: request, cost: Self.cost,
            assetID: Int64.random(in: 1...Int64(Int32.max)), now: now.current)
    }

    func track(_ assetID: Int64) async throws -> Track? {
        try await store.track(userID: user.id, assetID: assetID)
    }

    func account() async throws -> Account? {
        try await store.account(userID: user.id, email: Self.email)
    }

    func pool(
        engine: FakeEngine, _ configure: (inout WorkerPoolConfiguration) -> Void = { _ in },
        wakeCallbacks: @escaping @Sendable () -> Void = {}
    ) -> WorkerPool {
        var configuration = WorkerPoolConfiguration(
            concurrency: 1, heartbeatInterval: .milliseconds(20), pollInterval: .milliseconds(50))
        configure(&configuration)
        return WorkerPool(
            store: store, engine: engine, media: media, configuration: configuration, now: now.provider,
            logger: quietLogger, wakeCallbacks: wakeCallbacks)
    }

    func removeFolder() {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Logs only errors, so test output stays readable.
let quietLogger: Logger = {
    var logger = Logger(label: "jobs-tests")
    logger.logLevel = .error
    return logger
}()

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` until it holds; for state another task changes (a real condition, not a fixed sleep).
func waitUntil(
    _ what: String, timeout: Duration = .seconds(5), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(5))
    }
}
