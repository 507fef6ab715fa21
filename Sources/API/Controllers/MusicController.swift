import Foundation
import Hummingbird
import TunesmithCore

/// `POST /music/create`, `GET /music/<audio_id>`, `GET /music`.
struct MusicController {
    let dependencies: APIDependencies

    func addRoutes(to group: some RouterMethods<AuthenticatedContext>) {
        group.post("music/create", use: create)
        group.get("music/:id", use: track)
        group.get("music", use: list)
    }

    /// The `200` body of a create (API.md), exactly these fields.
    struct CreatedJSON: Encodable {
        var audio_id: String
        var asset_id: Int64
        var asset_type = 2
        var asset_source = 1
        var create_mode = "music"
        var status: String
        var audio_status: Int
        var credits: Int
        var audio_status_name: String
        var audio_status_final: Bool

        init(_ track: Track) {
            audio_id = track.audioID
            asset_id = track.assetID
            status = track.status.coarse
            audio_status = track.status.rawValue
            credits = track.credits
            audio_status_name = track.status.name
            audio_status_final = track.status.isFinal
        }
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let fields = try await RequestFields.read(from: request, maxBytes: dependencies.limits.maxBodyBytes)
        let input = try CreateMusicInput(fields)
        let userID = context.user.id

        for (offset, path) in input.imagePaths.enumerated() {
            guard try await dependencies.store.upload(userID: userID, path: path) != nil else {
                throw APIError.badRequest(
                    "image_path_\(offset + 1): '\(path.prefix(100))' is not one of your uploads (POST /files first)")
            }
        }
        if let replyURL = input.replyURL {
            do {
                _ = try await dependencies.replyURLValidator.validate(replyURL)
            } catch {
                throw error.message.hasPrefix("replyUrl") ? error : APIError.badRequest("replyUrl: \(error.message)")
            }
        }

        var random = SystemRandomNumberGenerator()
        let trackRequest = input.trackRequest(seed: input.seed ?? random.next())
        let track = try await dependencies.store.createTrack(
            userID: userID, choice: input.email.map(AccountChoice.named) ?? .any, request: trackRequest,
            cost: input.model.spec.credits, assetID: Self.newAssetID(using: &random), now: dependencies.now())
        dependencies.wakeWorkers()
        return JSONResponse.make(CreatedJSON(track))
    }

    /// A random positive 15-digit asset id, like the hosted service's.
    static func newAssetID(using random: inout some RandomNumberGenerator) -> Int64 {
        Int64.random(in: 100_000_000_000_000...999_999_999_999_999, using: &random)
    }

    @Sendable func track(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let track = try await ownedTrack(rawID: id, user: context.user, store: dependencies.store)
        return JSONResponse.make(data: TrackJSON(track, links: dependencies.signer.links(for: track, now: dependencies.now())).encoded())
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let query = request.uri.queryParameters
        let email = query["email"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let limit = try QueryInteger.read(query["limit"], name: "limit", range: 1...100) ?? 50
        let offset = try QueryInteger.read(query["offset"], name: "offset", range: 0...Int(Int32.max)) ?? 0
        // One extra row tells whether another page exists.
        var tracks = try await dependencies.store.tracks(
            userID: context.user.id, email: email, limit: limit + 1, offset: offset)
        let hasMore = tracks.count > limit
        tracks = Array(tracks.prefix(limit))
        let now = dependencies.now()
        // `{"data": [tracks], "has_more": ..., "next_offset": ...}` (keys sorted, like every body), written with
        // the tracks' own JSON writer so each element is byte for byte the GET body of that track.
        var writer = JSONWriter(capacity: 1_024 * (tracks.count + 1))
        writer.beginObject()
        writer.beginArray("data")
        for track in tracks {
            TrackJSON(track, links: dependencies.signer.links(for: track, now: now)).write(to: &writer)
        }
        writer.endArray()
        writer.field("has_more", hasMore)
        writer.field("next_offset", offset + tracks.count)
        writer.endObject()
        return JSONResponse.make(data: Data(writer.bytes))
    }
}

/// The user's track named by an audio id from a path (raw or percent-encoded); `notFound(the decoded id)` for
/// anything else, including another user's id (never reveal that it exists).
func ownedTrack(
    rawID: String, user: User, store: any TunesmithStore,
    notFound: (String) -> APIError = { APIError.musicNotFound(String($0.prefix(300))) }
) async throws -> Track {
    let text = AudioIDPath.decode(rawID)
    guard let audioID = AudioID(text), audioID.userID == user.id,
        let track = try await store.track(userID: user.id, assetID: audioID.assetID), track.email == audioID.email
    else { throw notFound(text) }
    return track
}

/// An audio id as a path gives it: raw (`user:1-pixverse:a@b.c-music:2`) or percent-encoded.
enum AudioIDPath {
    /// Only a path holding `%` is decoded: Foundation's `removingPercentEncoding` costs more on Linux than the
    /// rest of the id check, and raw ids (what clients send) hold none.
    static func decode(_ raw: String) -> String {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        return raw.removingPercentEncoding ?? raw
    }
}

/// An integer query parameter within a range; nil when absent.
enum QueryInteger {
    static func read(_ value: Substring?, name: String, range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let value, !value.isEmpty else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw APIError.badRequest(
                "\(name): must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(value.prefix(40))'")
        }
        return number
    }
}
