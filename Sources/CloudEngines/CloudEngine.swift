import AsyncHTTPClient
import Foundation
import Logging
import MediaFormats
import NIOHTTP1
import TunesmithCore

/// What one provider call made, before Tunesmith checks and measures it.
struct ProviderSong: Sendable {
    var audio: Data
    /// The MIME type the provider declared for the audio, when it did.
    var declaredType: String?
    var title: String?
    /// What is sung, as tagged text; nil when the provider did not say.
    var lyrics: String?
    /// The sung lines with times, for the LRC file.
    var timedLines: [LRC.Line] = []
    var genre: String?
}

/// One provider's HTTP API: the only code that knows its paths, fields and error codes.
protocol ProviderAPI: Sendable {
    func makeSong(_ request: GenerationRequest, call: ProviderCall) async throws -> ProviderSong
}

/// What a `ProviderAPI` uses to talk to its provider.
struct ProviderCall: Sendable {
    let settings: ProviderSettings
    let transport: ProviderTransport

    var provider: CloudProvider { settings.provider }
    var redactor: Redactor { transport.redactor }

    /// POSTs a JSON body to `path` (after the base URL) with the given headers.
    func postJSON(_ path: String, body: Data, headers: [(String, String)]) async throws -> ProviderReply {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "tunesmith")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(body)
        return try await transport.send(request, timeout: settings.requestTimeout)
    }

    func download(_ link: String) async throws -> Data {
        try await transport.download(link, timeout: settings.downloadTimeout)
    }

    /// The classification shared by the providers for HTTP statuses they give no more detail for.
    func failure(status: Int, headers: HTTPHeaders, detail: String?) -> ProviderFailure {
        let name = provider.displayName
        let said = detail.map { ": \(redactor.clean($0))" } ?? ""
        switch status {
        case 401, 403:
            return ProviderFailure(provider, .credentialsRejected, "\(name) rejected the API key (HTTP \(status))\(said)")
        case 402:
            return ProviderFailure(provider, .accountLimit, "\(name) requires payment for this request (HTTP 402)\(said)")
        case 429:
            return ProviderFailure(
                provider, .rateLimited(retryAfter: RetryAfter.parse(headers.first(name: "Retry-After"))),
                "\(name) kept answering \"too many requests\" (HTTP 429)\(said)")
        case 408, 500..<600:
            return ProviderFailure(provider, .unavailable, "\(name) failed with HTTP \(status)\(said)")
        default:
            return ProviderFailure(provider, .invalid, "\(name) refused the request (HTTP \(status))\(said)")
        }
    }
}

/// A cloud provider as a `MusicEngine`: calls its API, retries inside the job what may pass (rate limits with
/// the provider's `Retry-After`, then timeouts and server errors a few times), reports an estimated progress
/// while the provider works (none of them reports any), and returns the song as the local engine does, with
/// the duration measured from the MP3 itself.
///
/// A rejected key surfaces as `CredentialsRejected` (the account goes to the pending-error state); every other
/// failure as a `ProviderFailure` whose message is the track's `fail_reason`.
public struct CloudEngine: MusicEngine {
    public var provider: String { settings.provider.rawValue }
    let settings: ProviderSettings
    let api: any ProviderAPI
    let transport: ProviderTransport
    let pause: @Sendable (Duration) async throws -> Void
    let progressClock: any Clock<Duration>
    let logger: Logger

    /// `redacting` lists every key the process holds (not only this provider's) so none leaks through another
    /// provider's echo. `pause` waits between attempts (tests pass one that records instead of sleeping).
    public init(
        settings: ProviderSettings, client: HTTPClient, redacting keys: [APIKey] = [],
        logger: Logger = Logger(label: "tunesmith.cloud"),
        pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        progressClock: any Clock<Duration> = ContinuousClock()
    ) {
        self.settings = settings
        self.api = Self.api(for: settings.provider)
        self.transport = ProviderTransport(
            client: client, provider: settings.provider, redactor: Redactor([settings.apiKey] + keys))
        self.pause = pause
        self.progressClock = progressClock
        var logger = logger
        logger[metadataKey: "provider"] = "\(settings.provider.rawValue)"
        self.logger = logger
    }

    static func api(for provider: CloudProvider) -> any ProviderAPI {
        switch provider {
        case .minimax: MiniMaxAPI()
        case .elevenlabs: ElevenLabsAPI()
        case .google: GoogleLyriaAPI()
        }
    }

    public func generate(
        _ request: GenerationRequest, progress: @escaping @Sendable (Double) -> Void
    ) async throws -> GeneratedSong {
        progress(0.02)
        return try await withThrowingTaskGroup(of: GeneratedSong?.self) { group in
            group.addTask {
                await self.estimateProgress(progress)
                return nil
            }
            group.addTask { try await self.generateWithRetries(request) }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let song = next {
                    progress(0.99)
                    return song
                }
            }
            throw CancellationError()
        }
    }

    /// Counts up towards 90 % while the provider works: 57 % after the expected time, 86 % after three times
    /// it. Only an estimate, but it moves, so clients see the job alive.
    private func estimateProgress(_ progress: @escaping @Sendable (Double) -> Void) async {
        let expected = Double(settings.expectedSeconds)
        var elapsed = 0.0
        while true {
            do {
                try await progressClock.sleep(for: .seconds(1))
            } catch {
                return
            }
            elapsed += 1
            progress(0.9 * (1 - exp(-elapsed / expected)))
        }
    }

    private func generateWithRetries(_ request: GenerationRequest) async throws -> GeneratedSong {
        let call = ProviderCall(settings: settings, transport: transport)
        var failuresInARow = 0
        while true {
            do {
                let made = try await api.makeSong(request, call: call)
                return try finish(made, for: request)
            } catch let failure as ProviderFailure {
                try Task.checkCancellation()
                failuresInARow += 1
                guard settings.retry.allowsAnotherAttempt(after: failure, attempts: failuresInARow) else {
                    throw Self.final(failure, attempts: failuresInARow)
                }
                let delay = settings.retry.delay(after: failure, attempts: failuresInARow)
                logger.notice(
                    "provider call failed; retrying",
                    metadata: [
                        "attempt": "\(failuresInARow)", "retry_in_seconds": "\(ProviderTransport.seconds(delay))",
                        "reason": "\(failure.message)",
                    ])
                try await pause(delay)
            }
        }
    }

    /// What the job records: a rejected key as `CredentialsRejected`; otherwise the failure, saying how often it
    /// was tried.
    static func final(_ failure: ProviderFailure, attempts: Int) -> any Error {
        if failure.kind == .credentialsRejected { return CredentialsRejected(failure.message) }
        guard attempts > 1 else { return failure }
        var final = failure
        final.message += " (tried \(attempts) times)"
        return final
    }

    /// Checks the audio is MP3, measures it, and fills in what the provider left out.
    func finish(_ made: ProviderSong, for request: GenerationRequest) throws -> GeneratedSong {
        let name = settings.provider.displayName
        let format = AudioFormat(sniffing: made.audio)
        guard format == .mp3 else {
            let declared = made.declaredType.map { " (\(transport.redactor.clean($0)))" } ?? ""
            throw ProviderFailure(
                settings.provider, .invalid,
                "\(name) returned \(format.name) audio\(declared), not MP3; Tunesmith serves MP3 and does not convert")
        }
        let info: MP3Info
        do {
            info = try MP3Info(measuring: made.audio)
        } catch {
            throw ProviderFailure(settings.provider, .invalid, "\(name) returned audio that is not a readable MP3: \(error)")
        }
        let title = made.title ?? Self.title(fromPrompt: request.prompt)
        var media: [MediaKind: Data] = [.mp3: made.audio]
        if !request.instrumental, !made.timedLines.isEmpty {
            media[.lrc] = Data(LRC.text(title: title, lengthSeconds: info.durationSeconds, lines: made.timedLines).utf8)
        }
        var song = GeneratedSong(
            title: title, lyrics: request.instrumental ? nil : (made.lyrics ?? request.lyrics),
            durationSeconds: info.durationSeconds, bpm: nil, key: nil, genre: made.genre, media: media)
        song.provider = provider
        return song
    }

    /// A title when the provider gives none: the prompt's first line, cut at a word before 60 characters.
    static func title(fromPrompt prompt: String) -> String {
        let line = prompt.split(whereSeparator: \.isNewline).first.map(String.init) ?? prompt
        let words = line.split(whereSeparator: \.isWhitespace)
        var title = ""
        for word in words {
            guard title.count + word.count + 1 <= 60 else { break }
            title += title.isEmpty ? String(word) : " " + word
        }
        if title.isEmpty { title = String(line.prefix(60)) }
        title = title.trimmingCharacters(in: CharacterSet.punctuationCharacters.union(.whitespaces))
        guard let first = title.first else { return "Untitled" }
        return first.uppercased() + title.dropFirst()
    }
}
