import Foundation
import Testing
import TunesmithCore

/// The hand-written track JSON must be exactly what `JSONEncoder` (sorted keys, unescaped slashes) makes of the
/// same `TrackJSON` value, which is how the body was written before and what callbacks were signed over.
@Suite("Track JSON")
struct TrackJSONTests {
    static let t0 = Date(timeIntervalSince1970: 1_764_019_948.123)

    static func reference(_ json: TrackJSON) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(json)
    }

    static let awkward: String = {
        var text = ""
        for code in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(code))) }
        return text + "\"quotes\" \\back\\slash /slash/ \u{7f} \u{80} \u{2028}\u{2029} é 😀 \u{FEFF} <>&' 日本語"
    }()

    static func track(
        status: AudioStatus, prompt: String = "A calm piano piece", lyrics: String? = nil, replyRef: String? = nil,
        result: TrackResult? = nil, failCode: String? = nil, failReason: String? = nil, seed: UInt64 = 7,
        progress: Int = 0
    ) -> Track {
        Track(
            assetID: 123_456_789_012_345, userID: "abc123defg", email: "me@example.com",
            request: TrackRequest(
                model: .music26, prompt: prompt, instrumental: lyrics == nil, lyrics: lyrics, imagePaths: [],
                seed: seed, replyURL: nil, replyRef: replyRef, maxJobs: nil),
            credits: 40, status: status, progress: progress, result: result, failCode: failCode,
            failReason: failReason, createdAt: t0, updatedAt: t0 + 61.5, startedAt: nil, leaseOwner: nil,
            leaseExpiresAt: nil, attempts: 0)
    }

    static let finished = TrackResult(
        title: "Night / Drive", lyrics: "[Verse]\nla \"la\"", durationSeconds: 29.6, bpm: 92, key: "F# minor",
        genre: "lofi", provider: "local",
        media: [.mp3: "tracks/1/track.mp3", .midi: "tracks/1/track.mid", .sheet: "tracks/1/track.json",
                .lrc: "tracks/1/track.lrc"])

    static let cases: [(String, Track, [MediaKind: String])] = [
        ("queued", track(status: .queued), [:]),
        ("generating with a reply ref", track(status: .generating, replyRef: "ref-1", progress: 42), [:]),
        (
            "completed with every link",
            track(status: .completed, lyrics: "[Verse]\nhello", result: finished, progress: 100),
            [.mp3: "http://h/media/a.mp3?expires=1&sig=ab", .midi: "http://h/m", .sheet: "http://h/s", .lrc: "http://h/l"]
        ),
        ("completed, mp3 only", track(status: .completed, result: finished), [.mp3: "https://x.io/media/t.mp3?e=1&s=2"]),
        ("failed", track(status: .failed, failCode: "cancelled", failReason: "Cancelled by the user"), [:]),
        (
            "awkward text everywhere",
            track(
                status: .failed, prompt: awkward, lyrics: awkward, replyRef: awkward, failCode: awkward,
                failReason: awkward, seed: .max),
            [.mp3: awkward]
        ),
        ("empty strings", track(status: .queued, prompt: "", replyRef: ""), [:]),
        ("with the images' influence", track(status: .completed, result: influenced), [.mp3: "http://h/a.mp3"]),
    ]

    /// A nested report, as reference images leave it (numbers, strings, arrays, nested objects, unsorted keys).
    static let influenced: TrackResult = {
        var result = finished
        result.imageInfluence = .object([
            "mode": .string("major"), "brightness": .number(0.8215), "tempo_shift": .number(12),
            "hues": .array([.object(["family": .string("orange"), "weight": .number(0.81)])]),
            "prompt_wins": .array([.string("genre")]), "note": .string(awkward), "none": .null, "flag": .bool(true),
        ])
        return result
    }()

    @Test(arguments: cases.indices)
    func handWrittenJSONIsByteForByteJSONEncoders(index: Int) throws {
        let (name, track, links) = Self.cases[index]
        let json = TrackJSON(track, links: links)
        let expected = try Self.reference(json)
        #expect(json.encoded() == expected, "\(name): \(String(decoding: json.encoded(), as: UTF8.self))")
    }

    @Test func aPageOfTracksIsValidJSONWithEachTrackAsItsOwnBody() throws {
        var writer = JSONWriter()
        let tracks = Self.cases.map { TrackJSON($0.1, links: $0.2) }
        writer.beginObject()
        writer.beginArray("data")
        for track in tracks { track.write(to: &writer) }
        writer.endArray()
        writer.field("has_more", true)
        writer.field("next_offset", 7)
        writer.endObject()
        let page = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
        #expect(page["has_more"] as? Bool == true && page["next_offset"] as? Int == 7)
        #expect((page["data"] as? [Any])?.count == tracks.count)
        // Element by element the same text as the GET body of that track: the page is exactly the bodies joined.
        let bodies = tracks.map { String(decoding: $0.encoded(), as: UTF8.self) }
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == "{\"data\":[" + bodies.joined(separator: ",") + "],\"has_more\":true,\"next_offset\":7}")
        // An empty page (a list past the last track) is valid JSON too: the fields after the empty array are
        // separated from it, and nothing stands inside it.
        var empty = JSONWriter()
        empty.beginObject()
        empty.beginArray("data")
        empty.endArray()
        empty.field("has_more", false)
        empty.field("next_offset", 0)
        empty.endObject()
        #expect(String(decoding: empty.bytes, as: UTF8.self) == "{\"data\":[],\"has_more\":false,\"next_offset\":0}")
        #expect(try JSONSerialization.jsonObject(with: Data(empty.bytes)) is [String: Any])
    }

    @Test func signedLinksMatchAnIndependentHMACAndAreTheSameFromManyTasks() async throws {
        let secret = Data((0..<32).map { UInt8($0) })
        let signer = MediaLinkSigner(baseURL: "http://h:8080/", secret: secret)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let link = signer.link(to: "tracks/1/track.mp3", now: now)
        // Python: hmac.new(bytes(range(32)), b"tracks/1/track.mp3|1800604800", hashlib.sha256).hexdigest()
        let signature = "5a049d42b43aa68d026d264e75a190af54d75737ccc08bef91f6f02339948ada"
        #expect(link == "http://h:8080/media/tracks/1/track.mp3?expires=1800604800&sig=\(signature)")
        #expect(signer.verify(path: "tracks/1/track.mp3", expires: 1_800_604_800, signature: signature, now: now))
        #expect(!signer.verify(path: "tracks/1/track.mp4", expires: 1_800_604_800, signature: signature, now: now))
        let links = await withTaskGroup(of: String.self) { group in
            for _ in 0..<64 { group.addTask { signer.link(to: "tracks/1/track.mp3", now: now) } }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(links == [link])
    }
}
