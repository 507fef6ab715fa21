import Foundation
import TunesmithCore

/// The HTTP contract (API.md) as an OpenAPI 3.1 document, served at `GET /openapi.json`.
///
/// Built in Swift rather than kept as a JSON resource: it is compiled into the binary (no resource bundle to
/// find at run time, which on Linux `Bundle.module` turns into a crash when the folder is not beside the
/// binary), and the numbers clients rely on (model limits, credits, `maxJobs`, the image fields) come from
/// the same values the validation uses. `OpenAPIDocumentTests` fails when a route of the router is missing here
/// or the other way round, and when a documented object lacks a field its encoder writes; schemathesis checks
/// every answer of a live server against it (`scripts/schemathesis.sh`).
enum OpenAPIDocument {
    /// The document as served: keys sorted, built once.
    static let data: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }()

    static var document: JSONValue {
        [
            "openapi": "3.1.0",
            "info": [
                "title": "Tunesmith",
                "version": "1.0.0",
                "description": "Self-hosted music generation, drop-in compatible with the hosted `/v2/pixverse/music` API: generate music from a text prompt (an instrumental, a vocal track with model-written lyrics, or a vocal track with your own lyrics). Generation is asynchronous: create returns an `audio_id` at once, then poll GET music/{audio_id} until `audio_status_final` is true, or pass a `replyUrl` to receive the result by callback. Tunesmith extensions (off unless asked for, so the reference shapes stay unchanged): `seed`, `stems`, `music/extend`, `models`, `provider` and the extra track fields.",
            ],
            "servers": [["url": "/"]],
            "security": [["bearerAuth": []]],
            "tags": [
                ["name": "music"], ["name": "scheduler"], ["name": "files"], ["name": "accounts"], ["name": "models"],
                ["name": "studio", "description": "The web page and its live updates."],
                ["name": "service", "description": "No token: health, metrics, this document, signed media links."],
            ],
            "paths": .object(paths),
            "components": OpenAPISchemas.components,
        ]
    }

    /// Every route the router serves (HEAD, generated for every GET, is left implicit).
    static var paths: [String: JSONValue] {
        let api = apiBasePath
        var paths: [String: JSONValue] = [
            "\(api)/music/create": ["post": createOperation],
            "\(api)/music/extend": ["post": extendOperation],
            "\(api)/music/{audio_id}": ["get": trackOperation],
            "\(api)/music": ["get": listOperation],
            "\(api)/scheduler": [
                "get": operation(
                    "scheduler", "Your running jobs", "The jobs of your accounts that hold a slot (queued or generating).",
                    ok: json("Running jobs.", ["type": "array", "items": OpenAPISchemas.ref("Job")]), errors: [401])
            ],
            "\(api)/scheduler/available": [
                "get": operation(
                    "scheduler", "Jobs and free slots", "Your running jobs and each account's free slots.",
                    ok: json("Jobs and slots.", OpenAPISchemas.ref("Available")), errors: [401])
            ],
            "\(api)/scheduler/{id}": [
                "delete": operation(
                    "scheduler", "Cancel a track that is still generating",
                    "Stops the generation for real: the track becomes FAILED with `fail_code: cancelled`, its credits are refunded and its slot freed.",
                    parameters: [pathParameter("id", "The track's `audio_id` (raw `:`/`@` or percent-encoded).")],
                    responses: ["204": ["description": "Cancelled."]], errors: [401, 404])
            ],
            "\(api)/files": ["post": filesOperation],
            "\(api)/accounts": [
                "get": operation(
                    "accounts", "Your accounts", "All your accounts keyed by email; 404 `Configuration not found. To create configuration use POST /accounts/email.` when you have none.",
                    ok: json("Accounts.", OpenAPISchemas.ref("Accounts")), errors: [401, 404])
            ],
            "\(api)/accounts/{email}": accountOperations,
            "\(api)/models": [
                "get": operation(
                    "models", "Models, their limits and cost",
                    "Tunesmith extension: each model with its limits, cost and the backend that renders it here.",
                    ok: json("Models.", OpenAPISchemas.ref("Models")), errors: [401])
            ],
            "/healthz": [
                "get": operation(
                    "service", "Liveness", "Answers while the server runs.", auth: false,
                    ok: json("Alive.", OpenAPISchemas.ref("Health")), errors: [])
            ],
            "/metrics": [
                "get": operation(
                    "service", "Prometheus metrics", "Requests by route and status, jobs by state, generation time, callback deliveries.",
                    auth: false,
                    responses: ["200": ["description": "Prometheus text format.", "content": ["text/plain": ["schema": ["type": "string"]]]]],
                    errors: [])
            ],
            "/openapi.json": [
                "get": operation(
                    "service", "This document", "The contract as an OpenAPI 3.1 document.", auth: false,
                    ok: json("The OpenAPI document.", ["type": "object"]), errors: [])
            ],
            "/media/{path}": ["get": mediaOperation],
        ]
        for (path, item) in studioPaths { paths[path] = item }
        return paths
    }

    /// The studio page (`GET /`, its static files) and the live-updates stream it listens to (docs/studio.md).
    static var studioPaths: [String: JSONValue] {
        let notModified: [String: JSONValue] = ["304": ["description": "Your copy (`If-None-Match`) is current."]]
        return [
            "/": [
                "get": operation(
                    "studio", "The studio page", "The web page for making songs in a browser; it signs in with a token the user gives it.",
                    auth: false,
                    responses: notModified.merging(["200": ["description": "The page.", "content": ["text/html": ["schema": ["type": "string"]]]]]) { $1 },
                    errors: [])
            ],
            "/studio/{file}": [
                "get": operation(
                    "studio", "A file of the studio page", "Its script, styles and icon; immutable when asked for with the `v` the page names.",
                    auth: false,
                    parameters: [
                        pathParameter("file", "`studio.js`, `studio.css` or `icon.svg`."),
                        queryParameter("v", "The file's version, as the page links it.", ["type": "string"]),
                    ],
                    responses: notModified.merging([
                        "200": [
                            "description": "The file.",
                            "content": [
                                "text/javascript": ["schema": ["type": "string"]], "text/css": ["schema": ["type": "string"]],
                                "image/svg+xml": ["schema": ["type": "string"]],
                            ],
                        ]
                    ]) { $1 },
                    errors: [])
            ],
            "\(apiBasePath)/events": [
                "get": operation(
                    "studio", "Live changes of your tracks",
                    "Server-Sent Events, open until the client closes it: `retry: 3000`, then an `event: track` (the track's JSON on one `data:` line) for each of your tracks not final yet and for every later change of any of your tracks; a comment line every 15 s keeps idle connections open.",
                    responses: ["200": ["description": "The event stream.", "content": ["text/event-stream": ["schema": ["type": "string"]]]]],
                    errors: [])
            ],
        ]
    }

    // MARK: Operations

    static var createOperation: JSONValue {
        operation(
            "music", "Generate music from a text prompt",
            "Use a local account to generate music. A prompt describes the track, and you can produce three kinds of output: an instrumental, a vocal track with model-written lyrics, or a vocal track with your own lyrics. Generation is asynchronous: the call returns an audio_id immediately, then poll GET music/{audio_id} until audio_status_final is true, or pass a replyUrl to receive the result by callback. \(modelTable)",
            body: OpenAPISchemas.ref("CreateRequest"),
            ok: json("Queued.", OpenAPISchemas.ref("Created")), errors: [400, 401, 404, 412, 413, 415, 429, 596])
    }

    static var extendOperation: JSONValue {
        operation(
            "music", "Extend a song",
            "Tunesmith extension: a new track (its own audio_id) that continues one of your finished tracks and is the whole longer song: same key, tempo, meter, instruments and motifs; the music starts where the original ends. Credits (the original model's), slots, callbacks and errors as for create. 404 for an unknown track or another user's; 400 when it is not COMPLETED, was made by a cloud provider, has no room left within the model's longest song, or for `lyrics` on `lyria-3-pro-preview` or on an instrumental.",
            body: OpenAPISchemas.ref("ExtendRequest"),
            ok: json("Queued.", OpenAPISchemas.ref("Created")), errors: [400, 401, 404, 412, 413, 415, 429, 596])
    }

    static var trackOperation: JSONValue {
        operation(
            "music", "A track: status and results",
            "Poll until `audio_status_final` is true. When COMPLETED, `url` is a signed, expiring link to the MP3 (plays without the token; Range supported).",
            parameters: [pathParameter("audio_id", "The `audio_id` from create (raw `:`/`@` or percent-encoded).")],
            ok: json("The track.", OpenAPISchemas.ref("Track")), errors: [401, 404])
    }

    static var listOperation: JSONValue {
        operation(
            "music", "List your tracks", "Newest first.",
            parameters: [
                queryParameter("email", "Only this account's tracks.", ["type": "string"]),
                queryParameter("limit", "Page size, default 50.", ["type": "integer", "minimum": 1, "maximum": 100]),
                queryParameter("offset", "Tracks to skip, default 0.", ["type": "integer", "minimum": 0, "maximum": .number(Double(Int32.max))]),
            ],
            ok: json("A page of tracks.", OpenAPISchemas.ref("TrackPage")), errors: [400, 401])
    }

    static var filesOperation: JSONValue {
        let image: JSONValue = ["schema": ["type": "string", "format": "binary"]]
        return operation(
            "files", "Upload a reference image",
            "The raw image as the body (PNG, JPEG, GIF or WebP; the bytes must really be that format and decode completely), within the size and dimension limits. `result[0].path` is what `image_path_N` takes. The same bytes uploaded twice give the same upload.",
            parameters: [
                queryParameter("email", "Optional: an account of yours the upload is for (404 if you have none by that email).", ["type": "string"]),
                ["name": "Content-Disposition", "in": "header", "required": false, "schema": ["type": "string"],
                 "description": "Optional `attachment; filename=\"name.png\"`: the name shown."],
            ],
            body: ["required": true, "content": ["image/png": image, "image/jpeg": image, "image/gif": image, "image/webp": image]],
            ok: json("Stored.", OpenAPISchemas.ref("Upload")), errors: [400, 401, 404, 413, 415])
    }

    static var accountOperations: JSONValue {
        let email = pathParameter("email", "The account's email.", format: "email")
        return [
            "post": operation(
                "accounts", "Create or replace an account",
                "Creates or replaces the account (keeping its created_at) and clears a pending error.",
                parameters: [email], body: OpenAPISchemas.ref("AccountRequest"),
                responses: ["201": json("The account.", OpenAPISchemas.ref("Account"))], errors: [400, 401, 413, 415]),
            "get": operation(
                "accounts", "One account", "", parameters: [email],
                ok: json("The account.", OpenAPISchemas.ref("Account")), errors: [400, 401, 404]),
            "delete": operation(
                "accounts", "Delete an account", "Its tracks are kept.", parameters: [email],
                responses: ["204": ["description": "Deleted."]], errors: [400, 401, 404]),
        ]
    }

    static var mediaOperation: JSONValue {
        let file: JSONValue = ["schema": ["type": "string", "format": "binary"]]
        let types = [
            "audio/mpeg", "audio/midi", "audio/wav", "application/json", "text/plain", "application/zip", "image/png",
            "image/jpeg", "image/gif", "image/webp", "application/octet-stream",
        ]
        let content = JSONValue.object(Dictionary(uniqueKeysWithValues: types.map { ($0, file) }))
        return operation(
            "service", "A media file by its signed link",
            "The links in track and upload answers (`url`, `midi_url`, `stems_url` ...): no token, so browsers' `<audio>` and curl can use them. One byte range (`Range: bytes=a-b`, `a-`, `-n`) answers 206.",
            auth: false,
            parameters: [
                pathParameter("path", "The file's path below the media folder, e.g. `tracks/<asset_id>/track.mp3` (may hold `/`)."),
                ["name": "expires", "in": "query", "required": true, "schema": ["type": "integer"], "description": "Unix time the link expires."],
                ["name": "sig", "in": "query", "required": true, "schema": ["type": "string"], "description": "The link's signature."],
                ["name": "Range", "in": "header", "required": false, "schema": ["type": "string"], "description": "One byte range."],
            ],
            responses: [
                "200": ["description": "The whole file.", "content": content],
                "206": ["description": "The requested range.", "content": content],
            ],
            errors: [403, 404, 416])
    }

    /// The model comparison table of the reference page, from the models' own limits.
    static var modelTable: String {
        let rows = MusicModel.allCases.map { model in
            let spec = model.spec
            let lyrics = spec.lyricsMax.map { "yes, up to \($0) chars" } ?? "no"
            let images = spec.maxImages > 0 ? "1-\(spec.maxImages) via image_path_1…\(spec.maxImages)" : "no"
            return "| `\(model.rawValue)`\(model == .default ? " (default)" : "") | \(spec.promptMax) | \(lyrics) | \(images) | \(spec.credits) | up to \(spec.maxSeconds / 60) min |"
        }
        return (["\n\n| Model | Prompt max | Custom lyrics | Reference images | Credits | Length |", "|---|---|---|---|---|---|"] + rows)
            .joined(separator: "\n")
    }

    // MARK: Building blocks

    static func operation(
        _ tag: String, _ summary: String, _ description: String, auth: Bool = true, parameters: [JSONValue] = [],
        body: JSONValue? = nil, ok: JSONValue? = nil, responses: [String: JSONValue] = [:], errors: [Int]
    ) -> JSONValue {
        var all = responses
        if let ok { all["200"] = ok }
        // Every route answers an unknown id or path part with a JSON 404 (the router's own included).
        for status in Set(errors + [404]) { all[String(status)] = OpenAPISchemas.ref(response: "E\(status)") }
        if auth { all["401"] = OpenAPISchemas.ref(response: "E401") }
        var operation: [String: JSONValue] = [
            "tags": [.string(tag)], "summary": .string(summary), "responses": .object(all),
            "operationId": .string(operationID(summary)),
        ]
        if !description.isEmpty { operation["description"] = .string(description) }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if !auth { operation["security"] = [] }
        if let body {
            if case .object(let members) = body, members["content"] != nil {
                operation["requestBody"] = body
            } else {
                // The contract takes the same fields as JSON, multipart/form-data or a URL-encoded form.
                operation["requestBody"] = [
                    "required": true,
                    "content": ["application/json": ["schema": body], "multipart/form-data": ["schema": body],
                                "application/x-www-form-urlencoded": ["schema": body]],
                ]
            }
        }
        return .object(operation)
    }

    static func json(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    static func pathParameter(_ name: String, _ description: String, format: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = ["type": "string", "minLength": 1]
        if let format { schema["format"] = .string(format) }
        return ["name": .string(name), "in": "path", "required": true, "schema": .object(schema), "description": .string(description)]
    }

    static func queryParameter(_ name: String, _ description: String, _ schema: JSONValue) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "schema": schema, "description": .string(description)]
    }

    /// "Generate music from a text prompt" -> "generateMusicFromATextPrompt".
    static func operationID(_ summary: String) -> String {
        let words = summary.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return words.enumerated().map { $0.offset == 0 ? $0.element.lowercased() : $0.element.capitalized }.joined()
    }
}

extension OpenAPISchemas {
    static func ref(response: String) -> JSONValue { ["$ref": .string("#/components/responses/\(response)")] }
}
