import Foundation
import NIOConcurrencyHelpers
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scale-out failure drills (issue 12): API nodes (`serve --no-workers`) and worker processes on one
/// PostgreSQL database, over real sockets. The workers are DrillNode processes (the real server wiring with an
/// engine that sleeps), except for the one real render. Serialized: each drill runs several processes on a
/// 2-core machine. Only with a test database (TUNESMITH_TEST_DATABASE_URL; scripts/test.sh starts one).
@Suite("Scale-out drills", .serialized, .enabled(if: TestDatabase.isEnabled), .timeLimit(.minutes(3)))
struct ScaleOutDrills {
    static let email = "drill@tunesmith.local"
    /// The default model's price (music-2.6).
    static let cost = 40

    /// Adds the metered account the drills create songs on.
    static func addAccount(_ client: DrillClient, maxJobs: Int, credits: Int) async throws {
        let account = try await client.send(
            .POST, "/v2/pixverse/accounts/\(email)", json: ["email": email, "maxJobs": maxJobs, "credits": credits])
        #expect(account.status == 201, "\(account.text)")
    }

    static func song(_ hook: String?) -> [String: any Sendable] {
        var fields: [String: any Sendable] = [
            "prompt": "A 30 second calm piano piece", "instrumental": true, "email": email,
        ]
        if let hook { fields["replyUrl"] = hook }
        return fields
    }

    /// Creates a song, retrying while the account's slots are full (429): clients of a busy account do that.
    static func createRetrying(_ client: DrillClient, _ fields: [String: any Sendable]) async throws -> DrillResponse {
        while true {
            let response = try await client.create(fields)
            if response.status != 429 { return response }
            try await Task.sleep(for: .milliseconds(15))
        }
    }

    // MARK: 200 creates over 2 API nodes, 3 workers, random cancels

    @Test func twoHundredCreatesOverTwoAPINodesAndThreeWorkersEndExactlyOnce() async throws {
        try await TestDatabase.withDatabase { url in
            let cluster = try DrillCluster(database: url)
            let apiA = try await cluster.apiNode("api-a")
            let token = try await DrillCluster.bannerToken(apiA)
            let apiB = try await cluster.apiNode("api-b")
            var workers: [NodeProcess] = []
            for index in 0..<3 {
                workers.append(try await cluster.sleepingWorker("worker-\(index)", loops: 2, sleep: .milliseconds(150)))
            }
            let clients = [DrillClient(baseURL: apiA.baseURL, token: token), DrillClient(baseURL: apiB.baseURL, token: token)]
            let total = 200
            let maxJobs = 8
            // An odd starting balance: a debit or refund off by any amount shows in the last digits.
            let credits = total * Self.cost + 7
            try await Self.addAccount(clients[0], maxJobs: maxJobs, credits: credits)

            // Samples the account's slots and the running jobs while the load runs.
            let peaks = NIOLockedValueBox((pending: 0, generating: 0))
            let sampling = NIOLockedValueBox(true)
            let database = cluster.database
            let sampler = Task {
                while sampling.withLockedValue({ $0 }) {
                    if let pending = try? await database.count(
                        "SELECT count(*) FROM tracks WHERE email = '\(Self.email)' AND status IN (5, 10)"),
                        let generating = try? await database.count("SELECT count(*) FROM tracks WHERE status = 10")
                    {
                        peaks.withLockedValue { $0 = (max($0.pending, pending), max($0.generating, generating)) }
                    }
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }

            let receiver = CallbackReceiver()
            try await receiver.serve { hook in
                let started = ContinuousClock.now
                // 20 clients, 10 songs each, alternating API nodes; a quarter of the songs are cancelled on the
                // other node after a random moment (queued, generating or already finished).
                let outcomes = try await withThrowingTaskGroup(of: [(String, Bool)].self) { group in
                    for clientIndex in 0..<20 {
                        group.addTask {
                            var mine: [(String, Bool)] = []
                            for song in 0..<(total / 20) {
                                let node = (clientIndex + song) % 2
                                let created = try await Self.createRetrying(clients[node], Self.song(hook))
                                #expect(created.status == 200, "\(created.text)")
                                guard let audioID = created.json.string("audio_id") else { continue }
                                var cancelled = false
                                if Int.random(in: 0..<4) == 0 {
                                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
                                    let deleted = try await clients[1 - node].send(
                                        .DELETE, "/v2/pixverse/scheduler/\(audioID)")
                                    #expect([204, 404].contains(deleted.status), "\(deleted.status) \(deleted.text)")
                                    cancelled = deleted.status == 204
                                }
                                mine.append((audioID, cancelled))
                            }
                            return mine
                        }
                    }
                    var all: [(String, Bool)] = []
                    for try await part in group { all += part }
                    return all
                }
                #expect(outcomes.count == total)

                try await waitUntil("every track final", timeout: .seconds(90), every: .milliseconds(100)) {
                    (try? await database.count(
                        "SELECT count(*) FROM tracks WHERE status IN (5, 10)")) == 0
                }
                let elapsed = ContinuousClock.now - started
                sampling.withLockedValue { $0 = false }
                await sampler.value

                // Every track ended exactly once: final in the API, failed only when cancelled.
                var completed = 0
                for (audioID, cancelled) in outcomes {
                    let track = try await clients[0].track(audioID)
                    let status = track.string("audio_status_name")
                    if status == "COMPLETED" {
                        completed += 1
                        #expect(!cancelled, "\(audioID): DELETE answered 204 but it completed")
                    } else {
                        #expect(status == "FAILED", "\(audioID) ended \(status ?? "?")")
                        #expect(track.string("fail_code") == "cancelled", "\(audioID): \(track)")
                    }
                }
                #expect(try await database.count("SELECT count(*) FROM tracks") == total)
                // Credits exact to the unit: only completed songs are paid for, cancelled ones refunded.
                let account = try await clients[1].send(.GET, "/v2/pixverse/accounts/\(Self.email)")
                #expect(account.json.int("credits") == credits - completed * Self.cost, "\(account.text)")
                let peak = peaks.withLockedValue { $0 }
                #expect(peak.pending <= maxJobs, "slots exceeded: \(peak.pending) > \(maxJobs)")
                #expect(peak.generating <= 6, "more jobs ran than there are worker loops: \(peak.generating)")

                // Every callback row delivered once; none received twice; one final callback per track, and no
                // state reported twice for a track.
                try await waitUntil("every callback delivered", timeout: .seconds(60), every: .milliseconds(100)) {
                    (try? await database.count(
                        "SELECT count(*) FROM callbacks WHERE delivered_at IS NULL AND abandoned_at IS NULL")) == 0
                }
                let rows = try await database.count("SELECT count(*) FROM callbacks")
                let received = try await receiver.waitFor(timeout: .seconds(10)) { $0.count >= rows }
                #expect(received.count == rows, "received \(received.count) callbacks for \(rows) outbox rows")
                let ledger = CallbackLedger(received)
                #expect(ledger.duplicates.isEmpty, "webhook-ids received twice: \(ledger.duplicates)")
                for (audioID, _) in outcomes {
                    let statuses = ledger.statusesByTrack[audioID] ?? []
                    #expect(ledger.finals(audioID) == 1, "\(audioID) final callbacks: \(statuses)")
                    #expect(Set(statuses).count == statuses.count, "\(audioID) reported a state twice: \(statuses)")
                }
                print("drill: \(total) songs (\(completed) completed) over 2 API nodes and 3 workers in \(elapsed)")
            }
            for node in [apiA, apiB] + workers { #expect(try await node.stop() == 0, "\(node.name): \(node.stderr)") }
        }
    }

    // MARK: one real render: tunesmith worker, media in the database, MP3 through an API node's signed link

    @Test func realWorkerRendersAndAnAPINodeStreamsTheMP3FromTheDatabase() async throws {
        try await TestDatabase.withDatabase { url in
            let cluster = try DrillCluster(database: url)
            let api = try await cluster.apiNode("api")
            let client = DrillClient(baseURL: api.baseURL, token: try await DrillCluster.bannerToken(api))
            let worker = try await cluster.realWorker("tunesmith-worker")
            let created = try await client.create(["prompt": "A 30 second calm piano piece", "instrumental": true])
            #expect(created.status == 200, "\(created.text)")
            let audioID = try #require(created.json.string("audio_id"))
            let final = try await client.waitForTrack(audioID, timeout: .seconds(120), "to finish") {
                $0["audio_status_final"] as? Bool == true
            }
            #expect(final.string("audio_status_name") == "COMPLETED", "\(final)\n\(worker.stderr)")

            let mp3 = try await client.send(.GET, try #require(final.string("url")), authorized: false)
            #expect(mp3.status == 200)
            #expect(mp3.headers.first(name: "Content-Type") == "audio/mpeg")
            #expect(mp3.body.count > 10_000)
            let head = [UInt8](mp3.body.prefix(3))
            #expect(head == Array("ID3".utf8) || (head.count == 3 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0))
            // The worker shares no disk with the API node: the bytes came out of the database.
            let stored = try await cluster.database.count(
                "SELECT count(*) FROM media_files WHERE path LIKE '%.mp3' AND size = \(mp3.body.count)")
            #expect(stored == 1)
            let localMP3s = FileManager.default.enumerator(atPath: cluster.folder.url.path)?
                .compactMap { $0 as? String }.filter { $0.hasSuffix(".mp3") } ?? []
            #expect(localMP3s.isEmpty, "media written to disk: \(localMP3s)")
            for node in [api, worker] { #expect(try await node.stop() == 0, "\(node.name): \(node.stderr)") }
        }
    }

    // MARK: kill -9 a worker mid-render

    /// Waits until the song is generating and returns the lease owner the database names.
    static func waitUntilGenerating(
        _ client: DrillClient, _ audioID: String, database: DrillDatabase, by worker: NodeProcess
    ) async throws {
        _ = try await client.waitForTrack(audioID, "to start generating") {
            $0.string("audio_status_name") == "GENERATING"
        }
        let owners = try await database.rows("SELECT lease_owner FROM tracks WHERE status = 10") { try $0.decode(String.self) }
        #expect(owners.count == 1 && owners[0].contains(":\(worker.pid):"), "owners \(owners), worker \(worker.pid)")
    }

    @Test func killDashNineMidRenderAnotherWorkerFinishesAfterTheLease() async throws {
        try await TestDatabase.withDatabase { url in
            let cluster = try DrillCluster(database: url, leaseSeconds: 2)
            let api = try await cluster.apiNode("api")
            let client = DrillClient(baseURL: api.baseURL, token: try await DrillCluster.bannerToken(api))
            try await Self.addAccount(client, maxJobs: 2, credits: 100)
            // The victim renders "forever"; the survivor starts only once the victim holds the job.
            let victim = try await cluster.sleepingWorker("victim", loops: 1, sleep: .seconds(60))
            let created = try await client.create(Self.song(nil))
            let audioID = try #require(created.json.string("audio_id"))
            try await Self.waitUntilGenerating(client, audioID, database: cluster.database, by: victim)
            let survivor = try await cluster.sleepingWorker("survivor", loops: 1, sleep: .milliseconds(300))

            try await victim.stop(signal: SIGKILL)

            let final = try await client.waitForTrack(audioID, timeout: .seconds(30), "to finish") {
                $0["audio_status_final"] as? Bool == true
            }
            #expect(final.string("audio_status_name") == "COMPLETED", "\(final)\n\(survivor.stderr)")
            #expect(try await cluster.database.count("SELECT attempts FROM tracks") == 2)
            let mp3 = try await client.send(.GET, try #require(final.string("url")), authorized: false)
            #expect(mp3.status == 200)
            #expect(mp3.text.hasPrefix("ID3drill-pid=\(survivor.pid);"), "\(mp3.text.prefix(40))")
            #expect(mp3.body.count == mp3.text.utf8.count && mp3.body.count > 4_096)
            // Paid once.
            let account = try await client.send(.GET, "/v2/pixverse/accounts/\(Self.email)")
            #expect(account.json.int("credits") == 100 - Self.cost)
            for node in [api, survivor] { #expect(try await node.stop() == 0, "\(node.name): \(node.stderr)") }
        }
    }

    // MARK: a worker partitioned from the database past its lease

    @Test func partitionedWorkerPastItsLeaseIsDiscardedAndTheWinnersFilesStay() async throws {
        try await TestDatabase.withDatabase { url in
            let cluster = try DrillCluster(database: url, leaseSeconds: 2)
            let api = try await cluster.apiNode("api")
            let client = DrillClient(baseURL: api.baseURL, token: try await DrillCluster.bannerToken(api))
            // Long enough that the stopped worker's render is still "running" when the winner has finished.
            let stale = try await cluster.sleepingWorker("stale", loops: 1, sleep: .seconds(5))
            let created = try await client.create(["prompt": "A 30 second calm piano piece", "instrumental": true])
            let audioID = try #require(created.json.string("audio_id"))
            try await Self.waitUntilGenerating(client, audioID, database: cluster.database, by: stale)

            stale.signal(SIGSTOP)
            let winner = try await cluster.sleepingWorker("winner", loops: 1, sleep: .milliseconds(300))
            let final = try await client.waitForTrack(audioID, timeout: .seconds(30), "to finish") {
                $0["audio_status_final"] as? Bool == true
            }
            #expect(final.string("audio_status_name") == "COMPLETED", "\(final)\n\(winner.stderr)")
            let link = try #require(final.string("url"))
            let before = try await client.send(.GET, link, authorized: false)
            #expect(before.text.hasPrefix("ID3drill-pid=\(winner.pid);"))
            let filesBefore = try await cluster.database.rows(
                "SELECT path, size FROM media_files ORDER BY path") { try $0.decode((String, Int).self) }

            stale.signal(SIGCONT)
            // The stale worker notices on its own: its clock says the lease ran out, its heartbeat is refused, or
            // (if its render finished first) the owner-checked completion is refused.
            try await waitUntil("the stale worker to give up:\n\(stale.stderr)", timeout: .seconds(20), every: .milliseconds(50)) {
                let log = stale.stderr
                return log.contains("lease ran out") || log.contains("lost the lease")
                    || log.contains("no longer owned the job")
            }
            let after = try await client.send(.GET, link, authorized: false)
            #expect(after.status == 200)
            #expect(after.body == before.body, "the winner's MP3 changed")
            let filesAfter = try await cluster.database.rows(
                "SELECT path, size FROM media_files ORDER BY path") { try $0.decode((String, Int).self) }
            #expect(filesAfter.map(\.0) == filesBefore.map(\.0) && filesAfter.map(\.1) == filesBefore.map(\.1))
            let again = try await client.track(audioID)
            #expect(again.string("audio_status_name") == "COMPLETED" && again.string("url") != nil)
            #expect(try await cluster.database.count("SELECT attempts FROM tracks") == 2)
            for node in [api, stale, winner] { #expect(try await node.stop() == 0, "\(node.name): \(node.stderr)") }
        }
    }

    // MARK: PostgreSQL restarted under load

    /// The folder of the cluster scripts/test.sh started (scripts/test-postgres.sh restarts it).
    static var postgresFolder: String? {
        ProcessInfo.processInfo.environment["TUNESMITH_TEST_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// This drill found a product bug: a request whose PostgreSQL connection the restart terminated now and then
    /// never got an answer, and its API node then could not stop on SIGTERM. The cause was PostgresNIO's query write
    /// path (see `PostgresConnection.run` in PostgresStorage); statements now go through `run`.
    @Test(.enabled(if: postgresFolder != nil))
    func postgresRestartUnderLoadNodesReconnectNothingLostNoDriverErrors() async throws {
        try await TestDatabase.withDatabase { url in
            // A short lease: a job whose hand-back could not reach the database is claimed again soon.
            let cluster = try DrillCluster(database: url, leaseSeconds: 4)
            let api = try await cluster.apiNode("api")
            let client = DrillClient(baseURL: api.baseURL, token: try await DrillCluster.bannerToken(api))
            let workers = [
                try await cluster.sleepingWorker("worker-0", loops: 2, sleep: .milliseconds(200)),
                try await cluster.sleepingWorker("worker-1", loops: 2, sleep: .milliseconds(200)),
            ]
            let credits = 10_000 * Self.cost + 3
            try await Self.addAccount(client, maxJobs: 6, credits: credits)
            let restarts = NIOLockedValueBox(0)
            let badAnswers = NIOLockedValueBox<[String]>([])
            let created = NIOLockedValueBox<[String]>([])
            let createdAfterRestart = NIOLockedValueBox(0)

            let receiver = CallbackReceiver()
            try await receiver.serve { hook in
                // 4 clients create (and now and then cancel) songs until well after the restart.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            var afterRestart = 0
                            while afterRestart < 15 {
                                try Task.checkCancellation()
                                // Until well after the second restart.
                                if restarts.withLockedValue({ $0 }) == 2 { afterRestart += 1 }
                                let response: DrillResponse
                                do {
                                    response = try await client.create(Self.song(hook))
                                } catch {
                                    badAnswers.withLockedValue { $0.append("no answer: \(error)") }
                                    try await Task.sleep(for: .milliseconds(20))
                                    continue
                                }
                                Self.check(response, into: badAnswers)
                                if response.status == 200, let audioID = response.json.string("audio_id") {
                                    created.withLockedValue { $0.append(audioID) }
                                    if afterRestart > 0 { createdAfterRestart.withLockedValue { $0 += 1 } }
                                    if Int.random(in: 0..<5) == 0 {
                                        let deleted = try await client.send(.DELETE, "/v2/pixverse/scheduler/\(audioID)")
                                        Self.check(deleted, into: badAnswers)
                                    }
                                } else if response.status == 429 || response.status == 503 {
                                    try await Task.sleep(for: .milliseconds(20))
                                }
                            }
                        }
                    }
                    group.addTask {
                        // Twice, each after more songs were accepted: more requests meet a connection being cut.
                        for round in 1...2 {
                            try await waitUntil("some songs before the restart", timeout: .seconds(30)) {
                                created.withLockedValue { $0.count } >= 10 * round
                            }
                            let folder = try #require(Self.postgresFolder)
                            // The script's exit status goes to a file: Foundation's `Process` never sees this child end
                            // (pg_ctl leaves the restarted server running in the background with the child's session).
                            let status = cluster.folder.url.appendingPathComponent("restart-\(round).status")
                            let script = DrillBinary.packageRoot.appendingPathComponent("scripts/test-postgres.sh").path
                            let restart = Process()
                            restart.executableURL = URL(fileURLWithPath: "/bin/bash")
                            restart.arguments = [
                                "-c", "bash \"$0\" restart \"$1\" >/dev/null 2>&1; echo $? > \"$2\"", script, folder,
                                status.path,
                            ]
                            restart.standardOutput = FileHandle.nullDevice
                            restart.standardError = FileHandle.nullDevice
                            try restart.run()
                            var exitStatus: String?
                            try await waitUntil("the restart to finish", timeout: .seconds(60), every: .milliseconds(20)) {
                                exitStatus = try? String(contentsOf: status, encoding: .utf8)
                                return exitStatus?.hasSuffix("\n") == true
                            }
                            #expect(exitStatus == "0\n")
                            restarts.withLockedValue { $0 += 1 }
                            print("drill: PostgreSQL restarted after \(created.withLockedValue { $0.count }) songs")
                        }
                    }
                    try await group.waitForAll()
                }
                print("drill: load done, \(created.withLockedValue { $0.count }) songs")
                // The API node reconnected by itself: creates succeed again after the restart.
                #expect(createdAfterRestart.withLockedValue { $0 } > 0, "no create succeeded after the restart")
                #expect(badAnswers.withLockedValue { $0 }.isEmpty, "\(badAnswers.withLockedValue { $0 })")

                // Nothing lost: every song the API accepted ends, once, with one final callback.
                let audioIDs = created.withLockedValue { $0 }
                try await waitUntil("every track final after the restart", timeout: .seconds(60), every: .milliseconds(100)) {
                    (try? await cluster.database.count("SELECT count(*) FROM tracks WHERE status IN (5, 10)")) == 0
                }
                print("drill: all final")
                var completed = 0
                for audioID in audioIDs {
                    let track = try await client.track(audioID)
                    if track.string("audio_status_name") == "COMPLETED" {
                        completed += 1
                    } else {
                        #expect(track.string("fail_code") == "cancelled", "\(audioID): \(track)")
                    }
                }
                // A create whose answer was lost in the restart may still have committed: count the database's.
                let rowsCompleted = try await cluster.database.count("SELECT count(*) FROM tracks WHERE status = 1")
                #expect(rowsCompleted >= completed)
                let account = try await client.send(.GET, "/v2/pixverse/accounts/\(Self.email)")
                #expect(account.json.int("credits") == credits - rowsCompleted * Self.cost, "\(account.text)")
                let received = try await receiver.waitFor(timeout: .seconds(60)) { received in
                    let ledger = CallbackLedger(received)
                    return audioIDs.allSatisfy { ledger.finals($0) >= 1 }
                }
                // A delivery whose success could not be recorded while the database was down is sent again after
                // its lease, with the same `webhook-id` (receivers deduplicate by it, as Standard Webhooks says):
                // across an outage a message may arrive twice, but each state is one message.
                let ledger = CallbackLedger(received)
                for audioID in audioIDs {
                    #expect(ledger.finalMessagesByTrack[audioID]?.count == 1, "\(audioID): \(ledger.statusesByTrack[audioID] ?? [])")
                }
                print("drill: \(audioIDs.count) songs across a PostgreSQL restart, \(completed) completed")
            }
            for node in [api] + workers { #expect(try await node.stop() == 0, "\(node.name): \(node.stderr)") }
        }
    }

    /// While the database is down an API node may answer 503 with the JSON error shape, never a 500 or a driver's
    /// words.
    static func check(_ response: DrillResponse, into bad: NIOLockedValueBox<[String]>) {
        let text = response.text
        let leaks = ["PSQL", "PostgresNIO", "SQLSTATE", "sqlState", "serverClosedConnection", "connectionError"].filter { text.contains($0) }
        if response.status >= 500 && (response.status != 503 || response.json.isEmpty) || !leaks.isEmpty {
            bad.withLockedValue { $0.append("\(response.status): \(text)") }
        }
    }
}
