import Foundation
import Testing
import TunesmithCore

@testable import API

/// The byte-level parsers on every request's path: they must accept and refuse exactly what the readable
/// versions (split/trim, `range(of:)`, `removingPercentEncoding`) did.
@Suite("Request parsing on hot paths")
struct RequestParsingTests {
    @Test(
        "bearer tokens",
        arguments: [
            ("Bearer abc", "abc"),
            ("bearer abc", "abc"),
            ("BEARER user:1-xyz", "user:1-xyz"),
            ("  Bearer   abc  ", "abc"),
            ("Bearer \tabc\t", "abc"),
            ("Bearer a b", "a b"),
            ("Bearer 🎵", "🎵"),
        ])
    func acceptedTokens(header: String, token: String) {
        #expect(BearerToken.parse(header) == token)
    }

    @Test(
        "refused authorization headers",
        arguments: [
            "", "Bearer", "Bearer ", "Bearer  \t ", "Basic abc", "Bearerabc", "Bearer\tabc", "Token abc", "Beare abc",
            "Bearer " + String(repeating: "t", count: BearerToken.maxBytes + 1),
        ])
    func refusedHeaders(header: String) {
        #expect(BearerToken.parse(header) == nil)
    }

    @Test func theLongestTokenIsAccepted() {
        let token = String(repeating: "t", count: BearerToken.maxBytes)
        #expect(BearerToken.parse("Bearer " + token) == token)
    }

    @Test func audioIDsRoundTrip() throws {
        for id in [
            AudioID(userID: "ab12", email: "a@x.io", assetID: 123_456_789_012_345),
            // Emails may hold the separators' own words; the email runs to the last "-music:".
            AudioID(userID: "u", email: "x-pixverse:y-music:z@x.io", assetID: 7),
            AudioID(userID: "u", email: "é😀@x.io", assetID: 1),
        ] {
            #expect(AudioID(id.description) == id)
        }
    }

    @Test(
        "malformed audio ids",
        arguments: [
            "", "user:", "user:u-pixverse:a@x.io", "user:u-music:1", "user:u-pixverse:a@x.io-music:",
            "user:u-pixverse:a@x.io-music:0", "user:u-pixverse:a@x.io-music:-5", "user:u-pixverse:a@x.io-music:1x",
            "u:u-pixverse:a@x.io-music:1", "user:u-music:1-pixverse:a@x.io", "user:u-pixverse-music:1",
        ])
    func malformedAudioIDs(text: String) {
        #expect(AudioID(text) == nil)
    }

    @Test func pathIDsAreDecodedOnlyWhenPercentEncoded() {
        #expect(AudioIDPath.decode("user:u-pixverse:a@x.io-music:1") == "user:u-pixverse:a@x.io-music:1")
        #expect(AudioIDPath.decode("user%3Au-pixverse%3Aa%40x.io-music%3A1") == "user:u-pixverse:a@x.io-music:1")
        // A stray `%` that decodes to nothing valid is kept as sent (and then refused as an id).
        #expect(AudioIDPath.decode("user:u%zz") == "user:u%zz")
    }
}
