import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

/// `image_path_N` on `POST /music/create` with real uploads (issue 5): the model's limits, order, ownership.
@Suite("Reference images on music/create")
struct ReferenceImageRequestTests {
    /// Distinct real PNGs (different sizes give different bytes, so none is deduplicated into another).
    static func uploads(_ count: Int, client: any TestClientProtocol, token: String) async throws -> [String] {
        var paths: [String] = []
        for index in 0..<count {
            paths.append(try await upload(
                RealTestImages.png(width: 8 + index, height: 8), "image/png", client: client, token: token))
        }
        return paths
    }

    static func body(_ paths: [String], indices: [Int]? = nil, extra: String = "") -> String {
        let fields = zip(indices ?? Array(1...max(1, paths.count)), paths).map { #""image_path_\#($0)": "\#($1)""# }
        return #"{"prompt": "a song", "model": "lyria-3-pro-preview"\#(extra)\#(fields.isEmpty ? "" : ", ")\#(fields.joined(separator: ", "))}"#
    }

    @Test("ten images are accepted and kept in order; an eleventh is a 400")
    func tenNotEleven() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let paths = try await Self.uploads(10, client: client, token: token)
            #expect(Set(paths).count == 10)
            let ok = try await client.create(Self.body(paths), token: token)
            #expect(ok.status == .ok, "\(ok.text)")
            let assetID = try #require(ok.json["asset_id"] as? Int64)
            #expect(try await fixture.store.track(userID: user.id, assetID: assetID)?.request.imagePaths == paths)

            let eleventh = try await upload(RealTestImages.png(width: 30, height: 30), "image/png", client: client, token: token)
            expectError(try await client.create(Self.body(paths + [eleventh]), token: token), 400, "image_path_11")
        }
    }

    @Test("paths must be sequential from image_path_1")
    func sequential() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let paths = try await Self.uploads(3, client: client, token: token)
            expectError(try await client.create(Self.body(paths, indices: [1, 2, 4]), token: token), 400, "sequential")
            expectError(try await client.create(Self.body([paths[0]], indices: [2]), token: token), 400, "image_path_1 is missing")
            #expect(try await client.create(Self.body(paths), token: token).status == .ok)
        }
    }

    @Test("an unknown path or another user's upload is a 400 naming the field")
    func ownership() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let (_, bobToken) = try await fixture.makeUser("bob")
            let mine = try await Self.uploads(1, client: client, token: token)[0]
            let bobs = try await upload(RealTestImages.jpeg(width: 20, height: 20), "image/jpeg", client: client, token: bobToken)
            expectError(try await client.create(Self.body([mine, bobs]), token: token), 400, "image_path_2")
            expectError(
                try await client.create(Self.body(["upload/00000000-0000-0000-0000-000000000000.png"]), token: token),
                400, "not one of your uploads")
            #expect(try await fixture.store.tracks(userID: user.id, email: nil, limit: 10, offset: 0).isEmpty)
        }
    }

    @Test("lyria takes no custom lyrics; other models take no images, even real ones")
    func modelRules() async throws {
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user)
            let mine = try await Self.uploads(1, client: client, token: token)
            expectError(
                try await client.create(Self.body(mine, extra: #", "lyrics": "[Verse]\nla la la""#), token: token),
                400, "lyrics: lyria-3-pro-preview does not take custom lyrics")
            expectError(
                try await client.create(#"{"prompt": "a song", "image_path_1": "\#(mine[0])"}"#, token: token),
                400, "music-2.6 takes no reference images")
            // Instrumental is allowed (the output mode is still the caller's choice).
            #expect(try await client.create(Self.body(mine, extra: #", "instrumental": true"#), token: token).status == .ok)
        }
    }
}
