import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// End-to-end: the real `tunesmith` binary, real sockets, real SQLite files, real rendering (small SoundFont,
/// short songs). Serialized: each test runs a server that renders on one core.
@Suite("Live server", .serialized, .timeLimit(.minutes(5)))
struct LiveServerTests {
    static var tokenPattern: Regex<Substring> { /user:[a-z0-9]+-[A-Za-z0-9]{32}/ }

    /// The token printed by the first start on an empty data dir.
    static func bannerToken(_ server: ServerProcess) async throws -> String {
        let banner = try await server.waitForOutput(containing: "curl ")
        return String(try #require(banner.firstMatch(of: tokenPattern)).output)
    }

    /// Waits until the track is GENERATING (the window tests use to interrupt it).
    static func waitUntilGenerating(_ client: LiveClient, _ audioID: String) async throws {
        let seen = try await client.waitForTrack(audioID, timeout: .seconds(60), every: .milliseconds(20)) {
            $0.string("audio_status_name") != "QUEUED"
        }
        #expect(seen.string("audio_status_name") == "GENERATING", "the job finished before it could be interrupted")
    }

    /// The media link plays for anyone holding it: no token, audio/mpeg, byte ranges.
    static func expectPlayable(_ url: String?, client: LiveClient) async throws {
        let url = try #require(url)
        let whole = try await client.send(.GET, url, authorized: false)
        #expect(whole.status == 200)
        #expect(whole.headers.first(name: "Content-Type") == "audio/mpeg")
        #expect(whole.body.count > 10_000)
        // An MP3 starts with an ID3 tag or an MPEG frame sync.
        let head = [UInt8](whole.body.prefix(3))
        #expect(head == Array("ID3".utf8) || (head.count == 3 && head[0] == 0xFF && head[1] & 0xE0 == 0xE0))

        let range = try await client.send(.GET, url, headers: [("Range", "bytes=100-199")], authorized: false)
        #expect(range.status == 206)
        #expect(range.body == whole.body.subdata(in: 100..<200))
        #expect(range.headers.first(name: "Content-Range") == "bytes 100-199/\(whole.body.count)")

        let tampered = url.replacingOccurrences(of: "sig=", with: "sig=0")
        #expect(try await client.send(.GET, tampered, authorized: false).status != 200)
    }

    // MARK: (a) first run, the reference curl example, polling, playback

    @Test func firstRunPrintsATokenAndACurlLineThatCreatesASong() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let server = try await ServerProcess.start(dataDirectory: folder.url.appendingPathComponent("data"))
        let banner = try await server.waitForOutput(containing: "curl ")
        let token = String(try #require(banner.firstMatch(of: Self.tokenPattern)).output)
        let curlLine = try #require(banner.split(separator: "\n").first { $0.hasPrefix("curl ") })
        #expect(curlLine.contains("\"http://127.0.0.1:\(server.port)/v2/pixverse/music/create\""))
        #expect(curlLine.contains("Bearer \(token)"))

        // Paste the printed line into a shell, as the operator would.
        let pasted = try runShell(String(curlLine))
        #expect(pasted.status == 0, "curl failed: \(pasted.stderr)")
        let queued = try #require(
            try JSONSerialization.jsonObject(with: Data(pasted.stdout.utf8)) as? [String: any Sendable])
        #expect(
            Set(queued.keys) == [
                "audio_id", "asset_id", "asset_type", "asset_source", "create_mode", "status", "audio_status",
                "credits", "audio_status_name", "audio_status_final",
            ])
        let assetID = try #require(queued.int("asset_id"))
        let userID = String(token.dropFirst("user:".count).prefix { $0 != "-" })
        #expect(queued.string("audio_id") == "user:\(userID)-pixverse:default@tunesmith.local-music:\(assetID)")
        #expect(queued.int("asset_type") == 2 && queued.int("asset_source") == 1)
        #expect(queued.string("create_mode") == "music" && queued.string("status") == "making")
        #expect(queued.int("audio_status") == 5 && queued.string("audio_status_name") == "QUEUED")
        #expect(queued["audio_status_final"] as? Bool == false)
        #expect(queued.int("credits") == 40)

        // The reference prompt makes a full-length song; cancel it and poll a short one to the end instead.
        let client = LiveClient(baseURL: server.baseURL, token: token)
        let longID = try #require(queued.string("audio_id"))
        #expect(try await client.send(.DELETE, "/v2/pixverse/scheduler/\(longID)").status == 204)

        let created = try await client.create(["prompt": "A 30 second upbeat synthwave track with a clear female vocal"])
        #expect(created.status == 200, "\(created.text)")
        let audioID = try #require(created.json.string("audio_id"))
        var statuses: [String] = []
        let final = try await client.waitForTrack(audioID, every: .milliseconds(100)) { track in
            if let name = track.string("audio_status_name"), statuses.last != name { statuses.append(name) }
            return track["audio_status_final"] as? Bool == true
        }
        #expect(final.string("audio_status_name") == "COMPLETED", "\(final)")
        #expect(final.string("status") == "finish" && final.int("progress") == 100)
        #expect(final.string("provider") == "local")
        #expect(final["auto_lyrics"] as? Bool == true)
        #expect((final.int("duration") ?? 0) >= 15)
        #expect(statuses.first == "QUEUED" || statuses.first == "GENERATING")
        #expect(statuses.allSatisfy { ["QUEUED", "GENERATING", "COMPLETED"].contains($0) })
        try await Self.expectPlayable(final.string("url"), client: client)

        // Raw and percent-encoded ids name the same track; without a token nothing is revealed.
        let encoded = audioID.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: "@", with: "%40")
        #expect(try await client.track(encoded).json.string("audio_id") == audioID)
        #expect(try await client.send(.GET, "/v2/pixverse/music/\(audioID)", authorized: false).status == 401)

        #expect(try await server.stop() == 0)
    }

    // MARK: (b) signed callbacks in order, same shape as GET

    @Test func callbacksAreSignedOrderedAndShapedLikeGet() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let data = folder.url.appendingPathComponent("data")
        let receiver = CallbackReceiver()
        try await receiver.serve { hook in
            let server = try await ServerProcess.start(dataDirectory: data)
            let client = LiveClient(baseURL: server.baseURL, token: try await Self.bannerToken(server))
            let secretRun = try runTunesmith(["token", "secret", "--data-dir", data.path, "--name", "admin"])
            #expect(secretRun.status == 0, "\(secretRun.stderr)")
            let secret = secretRun.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(secret.hasPrefix("whsec_"))

            let created = try await client.create([
                "prompt": "A 30 second calm piano piece", "instrumental": true, "replyUrl": hook,
                "replyRef": "order-42",
            ])
            #expect(created.status == 200, "\(created.text)")
            let audioID = try #require(created.json.string("audio_id"))
            let final = try await client.waitUntilFinal(audioID)
            #expect(final.string("audio_status_name") == "COMPLETED")

            let callbacks = try await receiver.waitFor { received in
                received.contains { $0.json["audio_status_final"] as? Bool == true }
            }
            for callback in callbacks {
                #expect(
                    StandardWebhooks.verify(secret: secret, headers: callback.headers, body: callback.body),
                    "bad signature on \(String(decoding: callback.body, as: UTF8.self))")
                #expect(callback.json.string("audio_id") == audioID)
                #expect(callback.json.string("replyRef") == "order-42")
            }
            let rank = ["QUEUED": 0, "GENERATING": 1, "COMPLETED": 2]
            let names = callbacks.compactMap { $0.json.string("audio_status_name") }
            #expect(names.count == callbacks.count)
            #expect(zip(names, names.dropFirst()).allSatisfy { (rank[$0] ?? 9) <= (rank[$1] ?? -1) }, "order: \(names)")
            #expect(names.last == "COMPLETED")
            #expect(names.contains("GENERATING"), "no callback when generation started: \(names)")
            // A tampered body must not verify with the same headers.
            let last = try #require(callbacks.last)
            #expect(!StandardWebhooks.verify(secret: secret, headers: last.headers, body: last.body + Data(" ".utf8)))

            // Same JSON shape (keys) and content as GET, apart from the freshly signed link.
            let fromGet = try await client.track(audioID).json
            #expect(Set(last.json.keys) == Set(fromGet.keys))
            for key in ["audio_id", "asset_id", "status", "audio_status", "title", "duration", "model", "prompt"] {
                #expect("\(last.json[key] ?? "nil")" == "\(fromGet[key] ?? "nil")", "\(key) differs")
            }
            try await Self.expectPlayable(last.json.string("url"), client: client)
            #expect(try await server.stop() == 0)
        }
    }

    // MARK: (c) graceful stop and restart mid-job

    @Test func sigtermMidJobThenRestartCompletesTheJob() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let data = folder.url.appendingPathComponent("data")
        let first = try await ServerProcess.start(dataDirectory: data)
        let token = try await Self.bannerToken(first)
        var client = LiveClient(baseURL: first.baseURL, token: token)
        let created = try await client.create(["prompt": "A 60 second funky bass groove", "instrumental": true])
        let audioID = try #require(created.json.string("audio_id"))
        try await Self.waitUntilGenerating(client, audioID)

        #expect(try await first.stop(signal: SIGTERM, timeout: .seconds(45)) == 0, "\(first.stderr)")

        let second = try await ServerProcess.start(dataDirectory: data)
        client.baseURL = second.baseURL
        let final = try await client.waitUntilFinal(audioID)
        #expect(final.string("audio_status_name") == "COMPLETED", "\(final)\n\(second.stderr)")
        try await Self.expectPlayable(final.string("url"), client: client)
        // The data dir already has users: no new admin, no banner.
        #expect(!second.stdout.contains("curl "))
        #expect(try await second.stop() == 0)
    }

    // MARK: (d) crash during generation: rescued after the lease, credits debited once

    @Test func killDashNineMidJobThenRestartCompletesAndDebitsOnce() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let data = folder.url.appendingPathComponent("data")
        // A short lease so the restarted server may take over the dead process's job within seconds.
        let environment = childEnvironment(["TUNESMITH_LEASE_SECONDS": "3"])
        let first = try await ServerProcess.start(dataDirectory: data, environment: environment)
        var client = LiveClient(baseURL: first.baseURL, token: try await Self.bannerToken(first))
        let added = try runTunesmith([
            "account", "add", "--data-dir", data.path, "--user", "admin", "--email", "metered@tunesmith.local",
            "--max-jobs", "2", "--credits", "100",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("metered@tunesmith.local") && added.stdout.contains("100"))

        let created = try await client.create([
            "prompt": "A 60 second energetic rock instrumental", "instrumental": true,
            "email": "metered@tunesmith.local",
        ])
        #expect(created.status == 200, "\(created.text)")
        #expect(created.json.int("credits") == 40)
        let audioID = try #require(created.json.string("audio_id"))
        #expect(try await client.credits(of: "metered@tunesmith.local") == 60)
        try await Self.waitUntilGenerating(client, audioID)

        try await first.stop(signal: SIGKILL)

        let second = try await ServerProcess.start(dataDirectory: data, environment: environment)
        client.baseURL = second.baseURL
        let final = try await client.waitUntilFinal(audioID)
        #expect(final.string("audio_status_name") == "COMPLETED", "\(final)\n\(second.stderr)")
        #expect(try await client.credits(of: "metered@tunesmith.local") == 60)
        try await Self.expectPlayable(final.string("url"), client: client)
        #expect(try await second.stop() == 0)
    }

    // MARK: (e) cancel during generation

    @Test func deleteSchedulerDuringGenerationFailsAsCancelledAndRefunds() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let server = try await ServerProcess.start(dataDirectory: folder.url.appendingPathComponent("data"))
        let client = LiveClient(baseURL: server.baseURL, token: try await Self.bannerToken(server))
        let email = "cancel@tunesmith.local"
        let account = try await client.send(
            .POST, "/v2/pixverse/accounts/\(email)", json: ["email": email, "maxJobs": 1, "credits": 100])
        #expect(account.status == 201, "\(account.text)")

        let created = try await client.create([
            "prompt": "A 90 second slow ambient pad", "instrumental": true, "email": email,
        ])
        let audioID = try #require(created.json.string("audio_id"))
        #expect(try await client.credits(of: email) == 60)
        try await Self.waitUntilGenerating(client, audioID)
        let running = try await client.send(.GET, "/v2/pixverse/scheduler")
        #expect(running.text.contains(audioID))

        #expect(try await client.send(.DELETE, "/v2/pixverse/scheduler/\(audioID)").status == 204)

        let final = try await client.waitUntilFinal(audioID, timeout: .seconds(10))
        #expect(final.string("audio_status_name") == "FAILED")
        #expect(final.int("audio_status") == 8 && final.string("status") == "failed")
        #expect(final.string("fail_code") == "cancelled")
        #expect(try await client.credits(of: email) == 100)
        #expect(!(try await client.send(.GET, "/v2/pixverse/scheduler").text.contains(audioID)))
        #expect(try await client.send(.DELETE, "/v2/pixverse/scheduler/\(audioID)").status == 404)
        // The slot is free again: the account (maxJobs 1) takes a new job at once.
        let again = try await client.create(["prompt": "A 30 second piano", "instrumental": true, "email": email])
        #expect(again.status == 200, "\(again.text)")
        #expect(try await server.stop() == 0)
    }

    // MARK: operator commands

    @Test func tokenAndAccountCommandsForOperators() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let data = folder.url.appendingPathComponent("data")
        let created = try runTunesmith(["token", "create", "--data-dir", data.path, "--name", "alice"])
        #expect(created.status == 0, "\(created.stderr)")
        let token = created.stdout.trimmingCharacters(in: .newlines)
        #expect(created.stdout == token + "\n", "stdout must hold the token alone")
        #expect(token.wholeMatch(of: Self.tokenPattern) != nil)
        #expect(created.stderr.contains("alice"))

        let secret = try runTunesmith(["token", "secret", "--data-dir", data.path, "--name", "alice"])
        #expect(secret.stdout.hasPrefix("whsec_") && secret.stdout.split(separator: "\n").count == 1)
        #expect(try runTunesmith(["token", "secret", "--data-dir", data.path, "--name", "nobody"]).status != 0)

        let added = try runTunesmith([
            "account", "add", "--data-dir", data.path, "--user", "alice", "--email", "alice@example.com",
            "--max-jobs", "3", "--credits", "500",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let refused = try runTunesmith([
            "account", "add", "--data-dir", data.path, "--user", "alice", "--email", "x@example.com",
            "--max-jobs", "9",
        ])
        #expect(refused.status != 0 && refused.stderr.contains("max-jobs"))

        let listed = try runTunesmith(["account", "list", "--data-dir", data.path, "--user", "alice"])
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == 3, "header + 2 accounts: \(listed.stdout)")
        #expect(lines.first?.contains("EMAIL") == true)
        #expect(lines.contains { $0.contains("alice@example.com") && $0.contains("500") })
        #expect(lines.contains { $0.contains("default@tunesmith.local") && $0.contains("unlimited") })

        // The server starts on this data dir without a first-run banner and knows alice's token.
        let server = try await ServerProcess.start(dataDirectory: data)
        let client = LiveClient(baseURL: server.baseURL, token: token)
        let accounts = try await client.send(.GET, "/v2/pixverse/accounts")
        #expect(accounts.status == 200)
        #expect(Set(accounts.json.keys) == ["alice@example.com", "default@tunesmith.local"])
        #expect(try await client.credits(of: "alice@example.com") == 500)
        #expect(!server.stdout.contains("curl "))
        #expect(try await server.stop() == 0)
    }
}

/// Runs a command line with /bin/sh (to run the printed curl line exactly as pasted).
func runShell(_ line: String) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", line]
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
        stderr: String(decoding: err, as: UTF8.self))
}
