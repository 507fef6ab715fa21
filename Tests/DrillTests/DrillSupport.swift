import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import PostgresStorage
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct DrillFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The executables the drills start: beside the test bundle (all live in the build's products folder), else
/// under `.build/debug` of the package.
enum DrillBinary {
    static func url(_ name: String) -> URL {
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent(name))
            folder.deleteLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/\(name)"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    static var drillNode: URL { url("DrillNode") }
    static var tunesmith: URL { url("tunesmith") }
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}

/// The small SoundFont the real render uses.
let drillSoundFont = ProcessInfo.processInfo.environment["TUNESMITH_TEST_SOUNDFONT"]
    ?? "/usr/share/sounds/sf2/TimGM6mb.sf2"

/// A loopback port nobody listens on right now (the kernel picks it; we release it for the child).
func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw DrillFailure("socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw DrillFailure("bind() failed") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw DrillFailure("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

func canConnect(port: Int) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    } == 0
}

/// One node of a drill cluster: a child process (DrillNode or `tunesmith`) listening on `port` (the API port, or
/// a worker's admin port). Output goes to files in `logs`. SIGKILLed when released, so a failing drill never
/// leaves processes behind.
final class NodeProcess: Sendable {
    let name: String
    let port: Int
    private let process: Process
    private let stdoutURL: URL
    private let stderrURL: URL
    private let handles: [FileHandle]

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Starts `executable arguments` with `environment` and waits until `port` accepts connections.
    static func start(
        _ name: String, executable: URL, arguments: [String], environment: [String: String], port: Int, logs: URL
    ) async throws -> NodeProcess {
        let node = try NodeProcess(
            name: name, executable: executable, arguments: arguments, environment: environment, port: port, logs: logs)
        let deadline = ContinuousClock.now + .seconds(60)
        while !canConnect(port: port) {
            guard node.isRunning else {
                throw DrillFailure("\(name) exited with \(node.process.terminationStatus):\n\(node.stderr)")
            }
            guard ContinuousClock.now < deadline else { throw DrillFailure("\(name) never listened:\n\(node.stderr)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return node
    }

    private init(
        name: String, executable: URL, arguments: [String], environment: [String: String], port: Int, logs: URL
    ) throws {
        self.name = name
        self.port = port
        stdoutURL = logs.appendingPathComponent("\(name).stdout")
        stderrURL = logs.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdoutURL)
        let err = try FileHandle(forWritingTo: stderrURL)
        handles = [out, err]
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGCONT)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        for handle in handles { try? handle.close() }
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Sends `signal` and waits for the process to exit.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(30)) async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw DrillFailure("\(name) did not exit within \(timeout) of signal \(signal):\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// A real HTTP response, body read in full.
struct DrillResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var json: [String: any Sendable] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: any Sendable]) ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Talks to an API node over loopback, like any client.
struct DrillClient: Sendable {
    var baseURL: String
    var token: String

    func send(
        _ method: HTTPMethod, _ path: String, json: [String: any Sendable]? = nil, authorized: Bool = true
    ) async throws -> DrillResponse {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : baseURL + path)
        request.method = method
        if authorized { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "application/json")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        return DrillResponse(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
    }

    func create(_ fields: [String: any Sendable]) async throws -> DrillResponse {
        try await send(.POST, "/v2/pixverse/music/create", json: fields)
    }

    func track(_ audioID: String) async throws -> [String: any Sendable] {
        let response = try await send(.GET, "/v2/pixverse/music/\(audioID)")
        guard response.status == 200 else { throw DrillFailure("GET music/\(audioID): \(response.status) \(response.text)") }
        return response.json
    }

    /// Polls the track until `condition` holds.
    func waitForTrack(
        _ audioID: String, timeout: Duration = .seconds(60), _ what: String,
        until condition: @escaping ([String: any Sendable]) -> Bool
    ) async throws -> [String: any Sendable] {
        var last: [String: any Sendable] = [:]
        try await waitUntil("track \(audioID) \(what); last \(last)", timeout: timeout, every: .milliseconds(50)) {
            last = (try? await track(audioID)) ?? last
            return condition(last)
        }
        return last
    }
}

extension Dictionary where Key == String, Value == any Sendable {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { self[key] as? Int }
}

/// Reads the drill's database directly (what no API shows: every row, leases, the outbox, the media table).
/// A connection per question, so a database restart only fails the questions asked while it is down.
struct DrillDatabase: Sendable {
    var url: DatabaseURL

    /// The URL a child process is given (the test server trusts loopback; no password).
    var childURL: String {
        "postgres://\(url.username)@\(url.host):\(url.port)/\(url.database)?sslmode=disable"
    }

    func rows<Row: Sendable>(_ sql: String, _ read: @Sendable (PostgresRow) throws -> Row) async throws -> [Row] {
        let connection = try await PostgresConnection.connect(
            configuration: url.connectionConfiguration(), id: 1, logger: TestDatabase.logger)
        do {
            let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
            var result: [Row] = []
            for try await row in sequence { result.append(try read(row)) }
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    func count(_ sql: String) async throws -> Int {
        try await rows(sql) { try $0.decode(Int.self) }.first ?? 0
    }
}

/// What every child gets: nothing of the developer's TUNESMITH_* settings, private callbacks allowed.
func drillEnvironment(_ extra: [String: String]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    for key in environment.keys where key.hasPrefix("TUNESMITH_") { environment[key] = nil }
    environment["TUNESMITH_ALLOW_PRIVATE_CALLBACKS"] = "1"
    environment["TUNESMITH_LOG_LEVEL"] = "info"
    environment["TUNESMITH_SOUNDFONT"] = drillSoundFont
    return environment.merging(extra) { $1 }
}

/// A drill's processes on one database: API nodes and workers (DrillNode with the sleeping engine, or the real
/// `tunesmith worker`). Owns a folder for data dirs and logs.
final class DrillCluster: Sendable {
    let database: DrillDatabase
    let folder: TemporaryFolder
    let leaseSeconds: Int

    init(database: DatabaseURL, leaseSeconds: Int = 30) throws {
        self.database = DrillDatabase(url: database)
        self.folder = try TemporaryFolder("tunesmith-drill")
        self.leaseSeconds = leaseSeconds
    }

    deinit { folder.remove() }

    private func environment(_ name: String, _ extra: [String: String]) throws -> [String: String] {
        let data = folder.url.appendingPathComponent("data-\(name)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        return drillEnvironment(
            [
                "TUNESMITH_DATABASE_URL": database.childURL, "TUNESMITH_DATA_DIR": data.path,
                "TUNESMITH_LEASE_SECONDS": "\(leaseSeconds)",
            ].merging(extra) { $1 })
    }

    /// `DrillNode serve` with no workers (`serve --no-workers`).
    func apiNode(_ name: String) async throws -> NodeProcess {
        let port = try freePort()
        return try await NodeProcess.start(
            name, executable: DrillBinary.drillNode, arguments: ["serve"],
            environment: try environment(name, ["TUNESMITH_PORT": "\(port)", "TUNESMITH_WORKERS": "0"]),
            port: port, logs: folder.url)
    }

    /// `DrillNode worker` whose engine sleeps `sleep` per song, `loops` songs at a time.
    func sleepingWorker(_ name: String, loops: Int, sleep: Duration) async throws -> NodeProcess {
        let port = try freePort()
        let milliseconds = sleep.components.seconds * 1_000 + sleep.components.attoseconds / 1_000_000_000_000_000
        return try await NodeProcess.start(
            name, executable: DrillBinary.drillNode, arguments: ["worker"],
            environment: try environment(
                name,
                [
                    "TUNESMITH_ADMIN_PORT": "\(port)", "TUNESMITH_WORKERS": "\(loops)",
                    "TUNESMITH_DRILL_SLEEP_MS": "\(milliseconds)",
                ]),
            port: port, logs: folder.url)
    }

    /// The real `tunesmith worker`, rendering with the test SoundFont.
    func realWorker(_ name: String) async throws -> NodeProcess {
        let port = try freePort()
        return try await NodeProcess.start(
            name, executable: DrillBinary.tunesmith, arguments: ["worker", "--workers", "1", "--admin-port", "\(port)"],
            environment: try environment(name, [:]), port: port, logs: folder.url)
    }

    /// The admin token the first API node printed on the empty database.
    static func bannerToken(_ node: NodeProcess) async throws -> String {
        var token: String?
        try await waitUntil("the first-run banner of \(node.name):\n\(node.stdout)\n\(node.stderr)", timeout: .seconds(20), every: .milliseconds(20)) {
            token = node.stdout.firstMatch(of: /user:[a-z0-9]+-[A-Za-z0-9]{32}/).map { String($0.output) }
            return token != nil
        }
        return token!
    }
}

/// `webhook-id`s and bodies per track, from what a `CallbackReceiver` got.
struct CallbackLedger {
    var duplicates: [String] = []
    var statusesByTrack: [String: [String]] = [:]
    /// The distinct `webhook-id`s of each track's final callbacks.
    var finalMessagesByTrack: [String: Set<String>] = [:]

    init(_ received: [ReceivedCallback]) {
        var seen: Set<String> = []
        for callback in received {
            let id = callback.headers["webhook-id"] ?? "missing"
            if !seen.insert(id).inserted { duplicates.append(id) }
            if let audioID = callback.json["audio_id"] as? String {
                let status = callback.json["audio_status_name"] as? String ?? "?"
                statusesByTrack[audioID, default: []].append(status)
                if status == "COMPLETED" || status == "FAILED" { finalMessagesByTrack[audioID, default: []].insert(id) }
            }
        }
    }

    func finals(_ audioID: String) -> Int {
        (statusesByTrack[audioID] ?? []).filter { $0 == "COMPLETED" || $0 == "FAILED" }.count
    }
}
