import Foundation
import TunesmithCore

/// A `POST /music/create` body checked against every rule of API.md that needs no I/O (types, lengths,
/// model features, image path order). What needs the store or the network (uploads belong to the user,
/// `replyUrl` is permitted) is checked by the controller afterwards.
struct CreateMusicInput: Sendable, Hashable {
    var model: MusicModel
    var prompt: String
    var instrumental: Bool
    var lyrics: String?
    var imagePaths: [String]
    var options: JobOptions

    static let highestImageIndex = 10

    init(_ fields: RequestFields) throws(APIError) {
        // Types first, so a wrongly typed field is reported as such rather than as a rule it then breaks.
        let modelName = try fields.string("model")
        let prompt = try fields.string("prompt")
        let instrumental = try fields.bool("instrumental")
        let lyrics = try fields.string("lyrics")
        let given = try JobOptions.Given(fields)
        let images = try Self.imagePaths(fields)

        if let modelName, !modelName.isEmpty {
            guard let model = MusicModel(rawValue: modelName) else {
                let known = MusicModel.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("model: unknown model '\(modelName.prefix(60))'; use one of \(known)")
            }
            self.model = model
        } else {
            self.model = .default
        }
        let spec = model.spec

        guard let prompt, !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("prompt: is required and must not be blank")
        }
        guard prompt.count <= spec.promptMax else {
            throw APIError.badRequest(
                "prompt: at most \(spec.promptMax) characters for \(model.rawValue), got \(prompt.count)")
        }
        self.prompt = prompt

        self.instrumental = instrumental ?? false
        self.lyrics = try Self.lyrics(lyrics, for: model, instrumental: self.instrumental)

        if !images.isEmpty, spec.maxImages == 0 {
            throw APIError.badRequest("image_path_\(images.first?.index ?? 1): \(model.rawValue) takes no reference images")
        }
        for (position, image) in images.enumerated() where image.index != position + 1 {
            throw APIError.badRequest(
                "image_path_\(image.index): image paths must be sequential; image_path_\(position + 1) is missing")
        }
        guard images.count <= spec.maxImages else {
            throw APIError.badRequest("image_path_\(images.count): \(model.rawValue) takes at most \(spec.maxImages) images")
        }
        self.imagePaths = images.map(\.path)

        self.options = try JobOptions(given)
    }

    /// The lyrics to sing, checked against the model and the output mode; nil when absent or blank (what many
    /// form clients send for "none"). `music/extend` applies the same rules, with the original's instrumental.
    static func lyrics(_ text: String?, for model: MusicModel, instrumental: Bool) throws(APIError) -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        guard let lyricsMax = model.spec.lyricsMax else {
            throw APIError.badRequest("lyrics: \(model.rawValue) does not take custom lyrics")
        }
        guard !instrumental else {
            throw APIError.badRequest("lyrics: cannot be combined with instrumental: true")
        }
        guard text.count <= lyricsMax else {
            throw APIError.badRequest("lyrics: at most \(lyricsMax) characters, got \(text.count)")
        }
        return text
    }

    /// `image_path_<N>` fields sorted by N; empty values count as absent.
    private static func imagePaths(_ fields: RequestFields) throws(APIError) -> [(index: Int, path: String)] {
        var found: [(index: Int, path: String)] = []
        for name in fields.names where name.hasPrefix("image_path_") {
            let suffix = name.dropFirst("image_path_".count)
            guard let index = Int(suffix), String(index) == suffix, index >= 1 else {
                throw APIError.badRequest("\(name.prefix(60)): image fields are image_path_1 to image_path_10")
            }
            guard index <= highestImageIndex else {
                throw APIError.badRequest("\(name): at most \(highestImageIndex) reference images")
            }
            guard let path = try fields.string(name), !path.isEmpty else { continue }
            guard path.count <= 1_024 else { throw APIError.badRequest("\(name): path too long") }
            found.append((index, path))
        }
        return found.sorted { $0.index < $1.index }
    }

    func trackRequest(seed: UInt64) -> TrackRequest {
        var request = TrackRequest(
            model: model, prompt: prompt, instrumental: instrumental, lyrics: lyrics, imagePaths: imagePaths,
            seed: seed, replyURL: nil, replyRef: nil, maxJobs: nil)
        options.apply(to: &request)
        return request
    }
}
