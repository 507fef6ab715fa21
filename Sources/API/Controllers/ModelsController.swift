import Hummingbird
import TunesmithCore

/// `GET /models` (Tunesmith extension): each model's contract and the backend that renders it.
struct ModelsController {
    let dependencies: APIDependencies

    func addRoutes(to group: some RouterMethods<AuthenticatedContext>) {
        group.get("models", use: list)
    }

    struct ModelJSON: Encodable {
        var model: String
        var `default`: Bool
        var prompt_max: Int
        var custom_lyrics: Bool
        var lyrics_max: Int?
        var max_images: Int
        var credits: Int
        var max_seconds: Int
        var backend: String
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let models = MusicModel.allCases.map { model in
            let spec = model.spec
            return ModelJSON(
                model: model.rawValue, default: model == .default, prompt_max: spec.promptMax,
                custom_lyrics: spec.lyricsMax != nil, lyrics_max: spec.lyricsMax, max_images: spec.maxImages,
                credits: spec.credits, max_seconds: spec.maxSeconds, backend: dependencies.backend(for: model))
        }
        return JSONResponse.make(["models": models])
    }
}
