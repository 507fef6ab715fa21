import Foundation
import TestSupport
import Testing
import TunesmithCore

/// The image influence travels inside the result's JSON: every backend must give it back exactly, and a result
/// without it (every track made before images existed) must still read.
@Suite("Store contract: image influence")
struct ImageInfluenceStoreTests {
    static let influence: JSONValue = .object([
        "brightness": .number(0.82), "mode": .string("major"), "tempo_shift": .number(12),
        "hues": .array([.object(["family": .string("orange"), "weight": .number(0.6)])]),
        "genre": .null, "prompt_wins": .array([]),
    ])

    @Test(arguments: StoreBackends.all)
    func resultKeepsImageInfluence(backend: any StoreBackend) async throws {
        try await withStore(backend) { store in
            let user = try await StoreContractTests.user(store)
            _ = try await StoreContractTests.create(store, user, 1)
            _ = try await StoreContractTests.create(store, user, 2)
            var withImages = StoreContractTests.result
            withImages.imageInfluence = Self.influence
            for (assetID, result) in [(Int64(1), withImages), (2, StoreContractTests.result)] {
                _ = try #require(try await store.claimNext(
                    workerID: "w", leaseUntil: StoreContractTests.t0 + 60, now: StoreContractTests.t0))
                #expect(try await store.complete(
                    assetID: assetID, workerID: "w", result: result, now: StoreContractTests.t0 + 1))
            }
            let first = try #require(try await store.track(userID: user.id, assetID: 1))
            #expect(first.result?.imageInfluence == Self.influence)
            #expect(first.result == withImages)
            let second = try #require(try await store.track(userID: user.id, assetID: 2))
            #expect(second.result?.imageInfluence == nil)
            #expect(TrackJSON(second, links: [:]).image_influence == nil)
            #expect(TrackJSON(first, links: [:]).image_influence?["mode"] == .string("major"))
        }
    }

    @Test("a result stored before image influence existed still decodes")
    func olderResultDecodes() throws {
        // Without an influence the key is left out, which is exactly what rows written before it look like.
        let old = try JSONEncoder().encode(StoreContractTests.result)
        #expect(!String(decoding: old, as: UTF8.self).contains("imageInfluence"))
        let result = try JSONDecoder().decode(TrackResult.self, from: old)
        #expect(result == StoreContractTests.result && result.imageInfluence == nil)
    }
}
