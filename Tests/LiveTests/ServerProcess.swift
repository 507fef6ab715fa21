import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the real `tunesmith` binary is: `TUNESMITH_BINARY`, else beside the test bundle (both live in the
/// build's products folder), else `.build/debug/tunesmith` under the package root.
enum TunesmithBinary {
    static let url: URL = {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["TUNESMITH_BINARY"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On macOS the runner sits inside `<name>.xctest/Contents/MacOS/`.
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("tunesmith"))
            folder.deleteLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/tunesmith"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()
}

/// The small SoundFont the tests render with (fast to load, General MIDI complete).
let testSoundFont = ProcessInfo.processInfo.environment["TUNESMITH_TEST_SOUNDFONT"]
    ?? "/usr/share/sounds/sf2/TimGM6mb.sf2"

struct LiveTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A loopback port nobody listens on right now (the kernel picks it; we release it for the server).
func freeLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw LiveTestFailure("socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0 else { throw LiveTestFailure("bind() failed") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard named == 0 else { throw LiveTestFailure("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The environment every child gets: the test SoundFont, private callbacks allowed, quiet-ish logs.
func childEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    // Settings of the developer's shell must not leak into the children.
    for key in environment.keys where key.hasPrefix("TUNESMITH_") { environment[key] = nil }
    environment["TUNESMITH_SOUNDFONT"] = testSoundFont
    environment["TUNESMITH_ALLOW_PRIVATE_CALLBACKS"] = "1"
    environment["TUNESMITH_LOG_LEVEL"] = "debug"
    return environment.merging(extra) { $1 }
}

/// Output of a finished command.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `tunesmith <arguments>` to completion (operator commands: token, account).
func runTunesmith(_ arguments: [String], environment: [String: String] = childEnvironment()) throws -> CommandResult {
    let process = Process()
    process.executableURL = TunesmithBinary.url
    process.arguments = arguments
    process.environment = environment
    let folder = try TemporaryFolder("tunesmith-live")
    defer { folder.remove() }
    let stdoutURL = folder.url.appendingPathComponent("stdout")
    let stderrURL = folder.url.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
    let stderrHandle = try FileHandle(forWritingTo: stderrURL)
    defer {
        try? stdoutHandle.close()
        try? stderrHandle.close()
    }
    process.standardOutput = stdoutHandle
    process.standardError = stderrHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
        stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
    )
}

/// A `tunesmith serve` child process on a loopback port, its output captured to files in the data dir's
/// sibling folder. Killed (SIGKILL) when released, so a failing test never leaves a server behind.
final class ServerProcess: Sendable {
    let port: Int
    let dataDirectory: URL
    private let process: Process
    private let stdoutURL: URL
    private let stderrURL: URL
    private let handles: [FileHandle]

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Starts `serve` and waits until it answers HTTP.
    static func start(
        dataDirectory: URL, port: Int? = nil, arguments: [String] = ["--workers", "1"],
        environment: [String: String] = childEnvironment(), timeout: Duration = .seconds(60)
    ) async throws -> ServerProcess {
        let server = try ServerProcess(
            dataDirectory: dataDirectory, port: port ?? freeLoopbackPort(), arguments: arguments,
            environment: environment)
        try await server.waitUntilListening(timeout: timeout)
        return server
    }

    private init(dataDirectory: URL, port: Int, arguments: [String], environment: [String: String]) throws {
        self.port = port
        self.dataDirectory = dataDirectory
        let logs = dataDirectory.deletingLastPathComponent()
        let stamp = UUID().uuidString.prefix(8)
        stdoutURL = logs.appendingPathComponent("serve-\(stamp).stdout")
        stderrURL = logs.appendingPathComponent("serve-\(stamp).stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        handles = [stdoutHandle, stderrHandle]
        process = Process()
        process.executableURL = TunesmithBinary.url
        process.arguments =
            ["serve", "--host", "127.0.0.1", "--port", "\(port)", "--data-dir", dataDirectory.path] + arguments
        process.environment = environment
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        for handle in handles { try? handle.close() }
    }

    /// Polls until a TCP connection to the port succeeds (or the process died / the deadline passed).
    func waitUntilListening(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw LiveTestFailure("serve exited with \(process.terminationStatus) before listening:\n\(stderr)")
            }
            if canConnect() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LiveTestFailure("serve did not listen on \(port) within \(timeout):\n\(stderr)")
    }

    private func canConnect() -> Bool {
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

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(60)) async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw LiveTestFailure("serve did not exit within \(timeout) of signal \(signal):\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Waits until stdout contains `text` (first-run banner).
    func waitForOutput(containing text: String, timeout: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let output = stdout
            if output.contains(text) { return output }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LiveTestFailure("stdout never contained '\(text)'; it was:\n\(stdout)\nstderr:\n\(stderr)")
    }
}
