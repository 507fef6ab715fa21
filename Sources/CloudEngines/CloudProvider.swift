import TunesmithCore

/// The three cloud providers behind the contract's models (API.md "Models"): each model name is, in the reference
/// service, one provider's model, so a model can only be routed to its own provider or to the local engine.
public enum CloudProvider: String, Sendable, Hashable, CaseIterable {
    case minimax
    case elevenlabs
    case google

    /// The contract's model this provider makes.
    public var model: MusicModel {
        switch self {
        case .minimax: .music26
        case .elevenlabs: .musicV1
        case .google: .lyria3ProPreview
        }
    }

    public init(model: MusicModel) {
        switch model {
        case .music26: self = .minimax
        case .musicV1: self = .elevenlabs
        case .lyria3ProPreview: self = .google
        }
    }

    /// How messages name it.
    public var displayName: String {
        switch self {
        case .minimax: "MiniMax"
        case .elevenlabs: "ElevenLabs"
        case .google: "Google"
        }
    }

    /// Setting it routes `model` to this provider.
    public var apiKeyVariable: String { "TUNESMITH_\(rawValue.uppercased())_API_KEY" }
    public var baseURLVariable: String { "TUNESMITH_\(rawValue.uppercased())_BASE_URL" }

    /// The documented public host.
    public var defaultBaseURL: String {
        switch self {
        case .minimax: "https://api.minimax.io"
        case .elevenlabs: "https://api.elevenlabs.io"
        case .google: "https://generativelanguage.googleapis.com"
        }
    }

    /// A typical generation time, for the progress estimate shown while the provider works (it reports none).
    var defaultExpectedSeconds: Int {
        switch self {
        case .minimax: 120
        case .elevenlabs: 90
        case .google: 60
        }
    }
}
