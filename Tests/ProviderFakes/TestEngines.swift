import Foundation

/// Which backends the API and live suites run against. `scripts/test.sh` runs them twice: with the local engine
/// (the default), then with `TUNESMITH_TEST_ENGINES=cloud`, where every model is routed to its fake provider as
/// `tunesmith serve` routes it when all three keys are set, so the same tests show the public API behaves the
/// same whichever backend makes the songs.
public enum TestEngines {
    public static let variable = "TUNESMITH_TEST_ENGINES"
    public static let isCloud = ProcessInfo.processInfo.environment[variable] == "cloud"

    /// The backend (and track `provider`) of a model in this run.
    public static func backend(for model: String) -> String {
        guard isCloud else { return "local" }
        switch model {
        case "music-v1": return "elevenlabs"
        case "lyria-3-pro-preview": return "google"
        default: return "minimax"
        }
    }

    /// `GET /models` backends of this run, keyed by model name.
    public static var backends: [String: String] {
        Dictionary(uniqueKeysWithValues: ["music-2.6", "music-v1", "lyria-3-pro-preview"].map { ($0, backend(for: $0)) })
    }
}
