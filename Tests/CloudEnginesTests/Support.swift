import AsyncHTTPClient
import CloudEngines
import Foundation
import NIOConcurrencyHelpers
import ProviderFakes
import TunesmithCore

/// Records the waits between attempts instead of sleeping; `hold()` makes the next wait block until `resume()`,
/// so a test can look at a job while it is backing off.
final class RecordingPause: Sendable {
    private struct State {
        var waits: [Duration] = []
        var holdNext = false
        var held: CheckedContinuation<Void, Never>?
        var resumed = false
    }

    private let state = NIOLockedValueBox(State())

    var waits: [Duration] { state.withLockedValue { $0.waits } }
    var isHolding: Bool { state.withLockedValue { $0.held != nil } }

    func hold() { state.withLockedValue { $0.holdNext = true } }

    func resume() {
        let held = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            state.resumed = true
            defer { state.held = nil }
            return state.held
        }
        held?.resume()
    }

    var function: @Sendable (Duration) async throws -> Void {
        { duration in
            let mustHold = self.state.withLockedValue { state -> Bool in
                state.waits.append(duration)
                defer { state.holdNext = false }
                return state.holdNext && !state.resumed
            }
            if mustHold {
                await withCheckedContinuation { continuation in
                    let resumeNow = self.state.withLockedValue { state -> Bool in
                        if state.resumed { return true }
                        state.held = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
            try Task.checkCancellation()
        }
    }
}

extension FakeProviders.Provider {
    var cloud: CloudProvider { CloudProvider(rawValue: rawValue)! }
    var model: MusicModel { cloud.model }
}

/// Settings pointing one provider at the fakes, with test-sized timeouts.
func fakeSettings(
    _ provider: FakeProviders.Provider, fakes: FakeProviders, key: String? = nil,
    requestTimeout: Duration = .seconds(30), retry: RetryPolicy = RetryPolicy()
) -> ProviderSettings {
    ProviderSettings(
        provider: provider.cloud, apiKey: APIKey(key ?? FakeProviders.keys[provider])!, baseURL: fakes.baseURL,
        requestTimeout: requestTimeout, downloadTimeout: .seconds(30), retry: retry)
}

/// Routing of every model to the fakes (optionally with other settings for some providers).
func fakeRouting(
    _ fakes: FakeProviders, overriding settings: [ProviderSettings] = [], fallbackToLocal: Bool = false
) -> ProviderRouting {
    var routing = ProviderRouting()
    for provider in FakeProviders.Provider.allCases {
        routing.providers[provider.cloud] = fakeSettings(provider, fakes: fakes)
        routing.routes[provider.model] = ModelRoute(backend: .cloud(provider.cloud), fallbackToLocal: fallbackToLocal)
    }
    for setting in settings { routing.providers[setting.provider] = setting }
    return routing
}

func request(
    _ model: MusicModel, prompt: String = "An upbeat synthwave track with a clear female vocal",
    instrumental: Bool = false, lyrics: String? = nil, images: [URL] = []
) -> GenerationRequest {
    GenerationRequest(
        model: model, prompt: prompt, instrumental: instrumental, lyrics: lyrics, images: images, seed: 7,
        maxSeconds: model.spec.maxSeconds)
}

/// Runs `body` with fresh fakes and the providers' HTTP client (shut down afterwards).
func withFakes(
    answerDelay: Duration = .zero, _ body: (FakeProviders, HTTPClient) async throws -> Void
) async throws {
    let fakes = try await FakeProviders.start(answerDelay: answerDelay)
    let client = ProviderHTTPClient()
    do {
        try await body(fakes, client.client)
    } catch {
        fakes.release()
        try await client.client.shutdown()
        throw error
    }
    fakes.release()
    try await client.client.shutdown()
}
