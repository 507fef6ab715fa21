import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

@testable import API

/// The OpenAPI document against the code it describes: every route of the router is documented and nothing
/// else is, every `$ref` resolves, and each documented object lists exactly the fields its encoder writes.
/// (scripts/schemathesis.sh checks a live server's answers against it, and openapi-spec-validator the document.)
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// `/music/:id`, `/music/{audio_id}` and `/media/**` all become `/music/{}` / `/media/{}`.
    static func normalised(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") || part.hasPrefix("{") || part == "**" ? "{}" : String(part)
        }.joined(separator: "/")
    }

    static func members(_ value: JSONValue?) -> [String: JSONValue] {
        if case .object(let members)? = value { return members }
        return [:]
    }

    @Test("every route the router serves is in the document, and every documented route is served")
    func routerAndDocumentAgree() async throws {
        try await withAPI { _, fixture in
            // HEAD is generated for every GET and left implicit in the document.
            let served = Set(buildRoutes(fixture.dependencies).routes.filter { $0.method != .head }.map {
                "\($0.method.rawValue) \(Self.normalised($0.path))"
            })
            var documented: Set<String> = []
            for (path, item) in OpenAPIDocument.paths {
                for method in Self.members(item).keys { documented.insert("\(method.uppercased()) \(Self.normalised(path))") }
            }
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            #expect(served.contains("POST /v2/pixverse/music/extend"))
            #expect(served.contains("GET /openapi.json"))
        }
    }

    @Test("GET /openapi.json needs no token and is an OpenAPI 3.1 document whose references all resolve")
    func servedAndSelfConsistent() async throws {
        try await withAPI { client, _ in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView))
            #expect(document == OpenAPIDocument.document)
            #expect(document["openapi"] == "3.1.0")
            var references: [String] = []
            func walk(_ value: JSONValue) {
                switch value {
                case .object(let members):
                    if case .string(let target)? = members["$ref"] { references.append(target) }
                    members.values.forEach(walk)
                case .array(let items): items.forEach(walk)
                default: break
                }
            }
            walk(document)
            #expect(references.count > 50)
            for reference in Set(references) {
                let parts = reference.split(separator: "/").map(String.init)
                #expect(parts.first == "#", "\(reference)")
                var target: JSONValue? = document
                for part in parts.dropFirst() { target = target?[part] }
                #expect(target != nil, "\(reference) does not resolve")
            }
            // Operation ids are unique (code generators need them so).
            var ids: [String] = []
            for item in Self.members(document["paths"]).values {
                for operation in Self.members(item).values {
                    if case .string(let id)? = operation["operationId"] { ids.append(id) }
                }
            }
            #expect(Set(ids).count == ids.count)
        }
    }

    static func keys(of value: some Encodable) throws -> Set<String> {
        let encoder = JSONEncoder()
        let object = try JSONSerialization.jsonObject(with: try encoder.encode(value)) as? [String: Any]
        return Set((object ?? [:]).keys)
    }

    static func schema(_ name: String) -> (properties: Set<String>, required: Set<String>) {
        let schema = Self.members(OpenAPISchemas.schemas)[name]
        var required: Set<String> = []
        if case .array(let names)? = schema?["required"] {
            for case .string(let name) in names { required.insert(name) }
        }
        return (Set(Self.members(schema?["properties"]).keys), required)
    }

    static func track(full: Bool) -> Track {
        var request = TrackRequest(
            model: .music26, prompt: "p", instrumental: false, lyrics: full ? "la" : nil,
            imagePaths: full ? ["upload/a.png"] : [], seed: 1, replyURL: nil, replyRef: full ? "r" : nil, maxJobs: nil)
        if full {
            request.extending = SongExtension(
                originalAudioID: "user:u-pixverse:a@b.c-music:1", originalAssetID: 1,
                base: BaseSong(prompt: "p", instrumental: false, lyrics: nil, imagePaths: [], seed: 1), continuations: [])
        }
        var result = TrackResult(
            title: "t", lyrics: "la", durationSeconds: 1, bpm: 1, key: "C major", genre: "Pop", provider: "local",
            media: [:])
        result.imageInfluence = ["mode": "major"]
        result.fallbackFrom = "minimax"
        return Track(
            assetID: 1, userID: "u", email: "a@b.c", request: request, credits: 40, status: full ? .failed : .queued,
            progress: 0, result: full ? result : nil, failCode: full ? "x" : nil, failReason: full ? "y" : nil,
            createdAt: Date(), updatedAt: Date(), startedAt: full ? Date() : nil, leaseOwner: nil, leaseExpiresAt: nil, attempts: 0)
    }

    @Test("the track schema lists every field TrackJSON writes, and requires the ones it always writes")
    func trackSchema() throws {
        let links = Dictionary(uniqueKeysWithValues: MediaKind.allCases.map { ($0, "http://h/\($0.rawValue)") })
        let everything = try Self.keys(of: TrackJSON(Self.track(full: true), links: links))
        let always = try Self.keys(of: TrackJSON(Self.track(full: false), links: [:]))
        let schema = Self.schema("Track")
        #expect(schema.properties == everything, "\(schema.properties.symmetricDifference(everything).sorted())")
        #expect(schema.required == always, "\(schema.required.symmetricDifference(always).sorted())")
    }

    @Test("the other answers' schemas list exactly the fields their encoders write")
    func otherSchemas() throws {
        let track = Self.track(full: true)
        #expect(Self.schema("Created").properties == (try Self.keys(of: MusicController.CreatedJSON(track))))
        #expect(Self.schema("Created").required == (try Self.keys(of: MusicController.CreatedJSON(track))))
        var running = track
        running.request.replyURL = "https://example.com/hook"
        let job = try Self.keys(of: SchedulerController.JobJSON(running, now: Date()))
        #expect(Self.schema("Job").properties == job)
        var account = Account(
            userID: "u", email: "a@b.c", maxJobs: 1, credits: nil, error: "bad", consecutiveFailures: 5, executing: 0,
            createdAt: Date())
        #expect(Self.schema("Account").properties == (try Self.keys(of: AccountsController.AccountJSON(account, passwordGiven: true))))
        account.error = nil
        #expect(Self.schema("Account").required == (try Self.keys(of: AccountsController.AccountJSON(account))))
        let model = ModelsController.ModelJSON(
            model: "m", default: true, prompt_max: 1, custom_lyrics: true, lyrics_max: 1, max_images: 0, credits: 1,
            max_seconds: 1, backend: "local")
        let modelSchema = Self.members(Self.members(Self.members(OpenAPISchemas.schemas)["Models"]?["properties"])["models"]?["items"]?["properties"])
        #expect(Set(modelSchema.keys) == (try Self.keys(of: model)))
        let item = FilesController.UploadResultJSON.Item(id: 1, url: "u", path: "p", size: 1, name: "n")
        let itemSchema = Self.members(Self.members(Self.members(OpenAPISchemas.schemas)["Upload"]?["properties"])["result"]?["items"]?["properties"])
        #expect(Set(itemSchema.keys) == (try Self.keys(of: item)))
    }

    @Test("the request schemas name the model limits the validation uses")
    func limits() throws {
        let create = Self.members(Self.members(OpenAPISchemas.schemas)["CreateRequest"]?["properties"])
        #expect(create["prompt"]?["maxLength"] == .number(Double(MusicModel.lyria3ProPreview.spec.promptMax)))
        #expect(create["lyrics"]?["maxLength"] == 3_500)
        #expect(create["maxJobs"]?["maximum"] == 8)
        #expect((1...10).allSatisfy { create["image_path_\($0)"] != nil } && create["image_path_11"] == nil)
        #expect(create["stems"] != nil)
        let extend = Self.schema("ExtendRequest")
        #expect(extend.required == ["audio_id"])
        #expect(extend.properties.isSuperset(of: ["audio_id", "prompt", "lyrics", "email", "replyUrl", "replyRef", "maxJobs", "seed", "stems"]))
    }
}
