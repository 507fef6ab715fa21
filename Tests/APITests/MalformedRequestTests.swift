import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TunesmithCore

/// A catalogue of hostile or broken requests: each must get a 4xx JSON error whose `code` matches the
/// status, never a 5xx, and the server must still be healthy afterwards.
@Suite("Malformed requests")
struct MalformedRequestTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var method: HTTPRequest.Method = .post
        var path = "/v2/pixverse/music/create"
        var contentType: String? = "application/json"
        var body: [UInt8]?
        var authorized = true
        var headers: HTTPFields = [:]
        var status: Int

        var description: String { name }
    }

    static func json(_ name: String, _ body: String, _ status: Int = 400) -> Case {
        Case(name: name, body: Array(body.utf8), status: status)
    }

    static func multipart(_ name: String, boundary: String = "b0und", _ body: String, _ status: Int = 400) -> Case {
        Case(name: name, contentType: "multipart/form-data; boundary=\(boundary)", body: Array(body.utf8), status: status)
    }

    static func get(_ name: String, _ path: String, _ status: Int, authorized: Bool = true) -> Case {
        Case(name: name, method: .get, path: path, contentType: nil, body: nil, authorized: authorized, status: status)
    }

    static let deepArray = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)

    static let cases: [Case] = {
        var cases: [Case] = []
        // Broken JSON.
        cases += [
            json("unterminated object", "{"),
            json("trailing comma", #"{"prompt": "x",}"#),
            json("single quotes", "{'prompt': 'x'}"),
            json("form text sent as JSON", "prompt=x"),
            json("empty body", ""),
            json("whitespace body", "   \n"),
            json("null document", "null"),
            json("array document", #"[{"prompt": "x"}]"#),
            json("string document", #""prompt""#),
            json("number document", "42"),
            json("boolean document", "true"),
            json("trailing garbage", #"{"prompt": "x"} trailing"#),
            json("two documents", #"{"prompt": "x"}{"prompt": "y"}"#),
            json("unquoted key", #"{prompt: "x"}"#),
            json("NaN literal", #"{"prompt": "x", "seed": NaN}"#),
            json("comment", #"{"prompt": "x" /* hi */}"#),
            json("deeply nested arrays", deepArray),
            json("deeply nested in a field", #"{"prompt": \#(deepArray)}"#),
            json("duplicated key", #"{"prompt": "x", "prompt": "y"}"#),
            json("duplicated key spelled with an escape", #"{"prompt": "x", "\u0070rompt": "y"}"#),
            json("duplicated key after nesting", #"{"replyRef": "a", "x": {"replyRef": 1}, "replyRef": "b", "prompt": "p"}"#),
            json("unterminated string", #"{"prompt": "x}"#),
            json("bad escape", #"{"prompt": "\q"}"#),
            json("control character in string", "{\"prompt\": \"a\u{01}b\"}"),
            json("hex number", #"{"prompt": "x", "maxJobs": 0x10}"#),
            json("leading zeros", #"{"prompt": "x", "maxJobs": 007}"#),
            json("plus sign number", #"{"prompt": "x", "maxJobs": +3}"#),
            Case(name: "invalid UTF-8 bytes", body: Array(#"{"prompt": ""#.utf8) + [0xFF, 0xFE, 0xC0] + Array(#""}"#.utf8), status: 400),
            Case(name: "UTF-16 body", body: Array(#"{"prompt": "x"}"#.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, status: 400),
        ]
        // Wrong types.
        cases += [
            json("prompt number", #"{"prompt": 1}"#),
            json("prompt boolean", #"{"prompt": true}"#),
            json("prompt object", #"{"prompt": {"text": "x"}}"#),
            json("prompt array", #"{"prompt": ["x"]}"#),
            json("prompt null", #"{"prompt": null}"#),
            json("model number", #"{"prompt": "x", "model": 2.6}"#),
            json("model array", #"{"prompt": "x", "model": ["music-2.6"]}"#),
            json("model wrong case", #"{"prompt": "x", "model": "MUSIC-2.6"}"#),
            json("instrumental string", #"{"prompt": "x", "instrumental": "true"}"#),
            json("instrumental number", #"{"prompt": "x", "instrumental": 0}"#),
            json("instrumental object", #"{"prompt": "x", "instrumental": {}}"#),
            json("lyrics number", #"{"prompt": "x", "lyrics": 5}"#),
            json("lyrics array", #"{"prompt": "x", "lyrics": ["la"]}"#),
            json("email number", #"{"prompt": "x", "email": 5}"#),
            json("email object", #"{"prompt": "x", "email": {"a": 1}}"#),
            json("replyUrl number", #"{"prompt": "x", "replyUrl": 80}"#),
            json("replyUrl not a URL", #"{"prompt": "x", "replyUrl": "not a url"}"#),
            json("replyUrl javascript", #"{"prompt": "x", "replyUrl": "javascript:alert(1)"}"#),
            json("replyUrl file", #"{"prompt": "x", "replyUrl": "file:///etc/passwd"}"#),
            json("replyRef object", #"{"prompt": "x", "replyRef": {"id": 1}}"#),
            json("maxJobs string", #"{"prompt": "x", "maxJobs": "3"}"#),
            json("maxJobs boolean", #"{"prompt": "x", "maxJobs": true}"#),
            json("maxJobs array", #"{"prompt": "x", "maxJobs": [3]}"#),
            json("seed string", #"{"prompt": "x", "seed": "seven"}"#),
            json("seed fraction", #"{"prompt": "x", "seed": 1.5}"#),
            json("seed negative", #"{"prompt": "x", "seed": -5}"#),
            json("seed boolean", #"{"prompt": "x", "seed": false}"#),
            json("image path number", #"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_1": 1}"#),
            json("image path zero index", #"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_0": "upload/a.png"}"#),
            json("image path padded index", #"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_01": "upload/a.png"}"#),
            json("image path traversal", #"{"prompt": "x", "model": "lyria-3-pro-preview", "image_path_1": "../../etc/passwd"}"#),
        ]
        // Absurd numbers.
        cases += [
            json("maxJobs huge", #"{"prompt": "x", "maxJobs": 1e308}"#),
            json("maxJobs beyond double", #"{"prompt": "x", "maxJobs": 1e400}"#),
            json("maxJobs beyond Int64", #"{"prompt": "x", "maxJobs": 9223372036854775808}"#),
            json("maxJobs beyond UInt64", #"{"prompt": "x", "maxJobs": 99999999999999999999999999}"#),
            json("maxJobs negative", #"{"prompt": "x", "maxJobs": -1}"#),
            json("maxJobs Int64.min", #"{"prompt": "x", "maxJobs": -9223372036854775808}"#),
            json("seed beyond UInt64", #"{"prompt": "x", "seed": 18446744073709551616}"#),
            json("seed exponent", #"{"prompt": "x", "seed": 1e30}"#),
        ]
        // Huge fields.
        cases += [
            json("prompt over the model limit", #"{"prompt": "\#(String(repeating: "é", count: 2_001))"}"#),
            json("emoji prompt over the limit", #"{"prompt": "\#(String(repeating: "🎸", count: 2_001))"}"#),
            json("lyrics far over the limit", #"{"prompt": "x", "lyrics": "\#(String(repeating: "la ", count: 5_000))"}"#),
            json("replyRef over the limit", #"{"prompt": "x", "replyRef": "\#(String(repeating: "r", count: 5_000))"}"#),
            json("huge image field index", #"{"prompt": "x", "image_path_\#(String(repeating: "9", count: 500))": "upload/a.png"}"#),
            json("body over 1 MB", #"{"prompt": "\#(String(repeating: "a", count: 1_100_000))"}"#, 413),
        ]
        // Unicode and NUL.
        cases += [
            json("NUL in prompt", #"{"prompt": "a\u0000b"}"#),
            json("NUL-only prompt", #"{"prompt": "\u0000"}"#),
            json("blank unicode prompt", #"{"prompt": "\u2003\u00a0\n"}"#),
            json("NUL in email", #"{"prompt": "x", "email": "a\u0000@example.com"}"#, 400),
            json("unknown unicode model", #"{"prompt": "x", "model": "músic-2.6"}"#),
        ]
        // Content types.
        let body = Array(#"{"prompt": "x"}"#.utf8)
        cases += [
            Case(name: "text/plain", contentType: "text/plain", body: body, status: 415),
            Case(name: "application/xml", contentType: "application/xml", body: Array("<prompt>x</prompt>".utf8), status: 415),
            Case(name: "image/png on create", contentType: "image/png", body: body, status: 415),
            Case(name: "garbage content type", contentType: "garbage", body: body, status: 415),
            Case(name: "empty content type", contentType: "", body: body, status: 415),
            Case(name: "content type with bad parameter", contentType: "application/json; charset", body: body, status: 415),
            Case(name: "multipart without boundary", contentType: "multipart/form-data", body: body, status: 400),
            Case(name: "multipart with empty boundary", contentType: "multipart/form-data; boundary=", body: body, status: 400),
            Case(name: "multipart/mixed", contentType: "multipart/mixed; boundary=x", body: body, status: 415),
        ]
        // Broken multipart and forms.
        cases += [
            multipart("JSON body under multipart", #"{"prompt": "x"}"#),
            multipart("truncated multipart", "--b0und\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nhello"),
            multipart("part without name", "--b0und\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b0und--\r\n"),
            multipart(
                "duplicated multipart field",
                "--b0und\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b0und\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\ny\r\n--b0und--\r\n"),
            multipart("wrong boundary", boundary: "other", "--b0und\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b0und--\r\n"),
            multipart("multipart boolean not true/false", "--b0und\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b0und\r\nContent-Disposition: form-data; name=\"instrumental\"\r\n\r\nyes\r\n--b0und--\r\n"),
            multipart("multipart maxJobs not a number", "--b0und\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b0und\r\nContent-Disposition: form-data; name=\"maxJobs\"\r\n\r\nthree\r\n--b0und--\r\n"),
            multipart("multipart without prompt", "--b0und\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nmusic-v1\r\n--b0und--\r\n"),
            multipart("multipart empty", "--b0und--\r\n"),
            Case(
                name: "multipart non-UTF-8 field", contentType: "multipart/form-data; boundary=b0und",
                body: Array("--b0und\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n".utf8) + [0xFF, 0xFE]
                    + Array("\r\n--b0und--\r\n".utf8), status: 400),
            Case(name: "form duplicated field", contentType: "application/x-www-form-urlencoded", body: Array("prompt=a&prompt=b".utf8), status: 400),
            Case(name: "form bad percent escape", contentType: "application/x-www-form-urlencoded", body: Array("prompt=%zz".utf8), status: 400),
            Case(name: "form missing prompt", contentType: "application/x-www-form-urlencoded", body: Array("model=music-v1".utf8), status: 400),
        ]
        // Authorization.
        cases += [
            Case(name: "no token", body: body, authorized: false, status: 401),
            Case(name: "empty bearer", body: body, authorized: false, headers: [.authorization: "Bearer "], status: 401),
            Case(name: "basic auth", body: body, authorized: false, headers: [.authorization: "Basic YTpi"], status: 401),
            Case(name: "token without scheme", body: body, authorized: false, headers: [.authorization: "user:abc-def"], status: 401),
            Case(name: "huge token", body: body, authorized: false, headers: [.authorization: "Bearer " + String(repeating: "t", count: 10_000)], status: 401),
            Case(name: "unicode token", body: body, authorized: false, headers: [.authorization: "Bearer 🎵🎵🎵"], status: 401),
        ]
        // Paths.
        cases += [
            get("dot-dot in id", "/v2/pixverse/music/..", 404),
            get("encoded dot-dot in id", "/v2/pixverse/music/%2e%2e", 404),
            get("encoded slash traversal", "/v2/pixverse/music/..%2F..%2Fetc%2Fpasswd", 404),
            get("NUL in id", "/v2/pixverse/music/user:a-pixverse:a@example.com-music:1%00", 404),
            get("negative asset id", "/v2/pixverse/music/user:a-pixverse:a@example.com-music:-1", 404),
            get("asset id beyond Int64", "/v2/pixverse/music/user:a-pixverse:a@example.com-music:99999999999999999999", 404),
            get("very long id", "/v2/pixverse/music/" + String(repeating: "x", count: 20_000), 404),
            get("bad percent escape in id", "/v2/pixverse/music/%zz%", 404),
            get("traversal above the base path", "/v2/pixverse/../../etc/passwd", 404),
            get("media traversal without signature", "/media/../tunesmith.sqlite", 403, authorized: false),
            get("media encoded traversal", "/media/%2e%2e/secret.key?expires=99999999999&sig=00", 403, authorized: false),
            get("media with absurd expiry", "/media/a.mp3?expires=99999999999999999999999&sig=00", 403, authorized: false),
            get("account path traversal", "/v2/pixverse/accounts/..%2F..%2Fetc", 400),
            get("account NUL email", "/v2/pixverse/accounts/a%00@example.com", 400),
            get("account with spaces", "/v2/pixverse/accounts/a%20b@example.com", 400),
            get("account unicode email", "/v2/pixverse/accounts/m%C3%BCller@example.com", 400),
            get("unknown route", "/v2/pixverse/musics", 404),
            get("unknown root", "/wp-admin/install.php", 404, authorized: false),
            get("list limit negative", "/v2/pixverse/music?limit=-1", 400),
            get("list limit exponent", "/v2/pixverse/music?limit=1e2", 400),
            get("list limit huge", "/v2/pixverse/music?limit=99999999999999999999", 400),
            get("list offset text", "/v2/pixverse/music?offset=abc", 400),
            Case(name: "delete traversal", method: .delete, path: "/v2/pixverse/scheduler/..%2F..", contentType: nil, status: 404),
            Case(name: "delete unknown id", method: .delete, path: "/v2/pixverse/scheduler/user:x-pixverse:y-music:1", contentType: nil, status: 404),
        ]
        // Methods.
        cases += [
            Case(name: "GET create", method: .get, contentType: nil, status: 405),
            Case(name: "PUT create", method: .put, body: body, status: 405),
            Case(name: "DELETE music list", method: .delete, path: "/v2/pixverse/music", contentType: nil, status: 405),
            Case(name: "POST healthz", method: .post, path: "/healthz", body: body, authorized: false, status: 405),
            Case(name: "PATCH account", method: .patch, path: "/v2/pixverse/accounts/a@example.com", body: body, status: 405),
            Case(name: "POST media", method: .post, path: "/media/a.mp3", body: body, authorized: false, status: 405),
        ]
        // Uploads.
        let png = TestImages.png(width: 2, height: 2)
        cases += [
            Case(name: "upload as JSON", path: "/v2/pixverse/files", body: body, status: 415),
            Case(name: "upload svg", path: "/v2/pixverse/files", contentType: "image/svg+xml", body: Array("<svg/>".utf8), status: 415),
            Case(name: "upload forged PNG", path: "/v2/pixverse/files", contentType: "image/png", body: TestImages.gif(width: 1, height: 1), status: 415),
            Case(name: "upload HTML as PNG", path: "/v2/pixverse/files", contentType: "image/png", body: Array("<html></html>".utf8), status: 400),
            Case(name: "upload truncated PNG", path: "/v2/pixverse/files", contentType: "image/png", body: Array(png.prefix(20)), status: 400),
            Case(name: "upload empty", path: "/v2/pixverse/files", contentType: "image/png", body: [], status: 400),
            Case(name: "upload too many pixels", path: "/v2/pixverse/files", contentType: "image/png", body: TestImages.png(width: 100_000, height: 1), status: 400),
            Case(name: "upload unknown account", path: "/v2/pixverse/files?email=nobody@example.com", contentType: "image/png", body: png, status: 404),
        ]
        // Accounts.
        cases += [
            Case(name: "account body array", path: "/v2/pixverse/accounts/a@example.com", body: Array("[]".utf8), status: 400),
            Case(name: "account maxJobs string", path: "/v2/pixverse/accounts/a@example.com", body: Array(#"{"maxJobs": "1"}"#.utf8), status: 400),
            Case(name: "account credits fraction", path: "/v2/pixverse/accounts/a@example.com", body: Array(#"{"maxJobs": 1, "credits": 0.5}"#.utf8), status: 400),
            Case(name: "account credits absurd", path: "/v2/pixverse/accounts/a@example.com", body: Array(#"{"maxJobs": 1, "credits": 1e300}"#.utf8), status: 400),
            Case(name: "account email mismatch", path: "/v2/pixverse/accounts/a@example.com", body: Array(#"{"email": "b@example.com", "maxJobs": 1}"#.utf8), status: 400),
            Case(name: "account bad email", path: "/v2/pixverse/accounts/@example.com", body: Array(#"{"maxJobs": 1}"#.utf8), status: 400),
        ]
        return cases
    }()

    @Test("every malformed request gets a 4xx JSON error with a matching code, and the server stays healthy")
    func catalogue() async throws {
        #expect(Self.cases.count >= 100)
        try await withAPI { client, fixture in
            let (user, token) = try await fixture.makeUser()
            try await fixture.makeAccount(user, "a@example.com")
            for testCase in Self.cases {
                var headers = testCase.headers
                if testCase.authorized { headers[.authorization] = "Bearer \(token)" }
                if let type = testCase.contentType { headers[.contentType] = type }
                let response = try await client.execute(
                    uri: testCase.path, method: testCase.method, headers: headers,
                    body: testCase.body.map { ByteBuffer(bytes: $0) })
                let code = response.status.code
                #expect(code == testCase.status, "\(testCase.name): \(code) \(response.text.prefix(300))")
                #expect((400..<500).contains(code), "\(testCase.name)")
                #expect(response.json["code"] as? Int == code, "\(testCase.name): \(response.text.prefix(300))")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, "\(testCase.name)")
            }
            // Nothing was queued by any of them, and the server still answers.
            #expect(fixture.wakes.value == 0)
            let health = try await client.send(.get, "/healthz", bytes: nil)
            #expect(health.status == .ok)
        }
    }
}
