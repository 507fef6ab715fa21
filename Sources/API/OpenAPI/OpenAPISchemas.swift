import TunesmithCore

/// The shapes of the OpenAPI document (`components`): request bodies, the track object and the other answers,
/// the error body and one reusable response per error status of API.md. Field lists mirror the encoders
/// (`TrackJSON`, `CreatedJSON`, `AccountJSON` ...); `OpenAPIDocumentTests` compares them key by key.
enum OpenAPISchemas {
    static var components: JSONValue {
        [
            "securitySchemes": [
                "bearerAuth": [
                    "type": "http", "scheme": "bearer",
                    "description": "API token, `Authorization: Bearer user:<userid>-<random>`. Created by the operator (`tunesmith token create --name NAME`); each token sees only its user's accounts, tracks, uploads and jobs.",
                ]
            ],
            "schemas": schemas,
            "responses": .object(Dictionary(uniqueKeysWithValues: errorStatuses.map { ("E\($0.status)", errorResponse($0.description)) })),
        ]
    }

    /// Every error status the contract uses, with the reference page's wording where it has one.
    static let errorStatuses: [(status: Int, description: String)] = [
        (400, "Returned when a parameter is invalid, for example a prompt longer than the model allows, `lyrics` on `lyria-3-pro-preview`, or `lyrics` combined with `instrumental`. The message names the parameter and the rule."),
        (401, "Unauthorized: no bearer token, or one this server does not know."),
        (403, "The media link's signature is missing, wrong or expired."),
        (404, "Not found: an unknown id, an id that belongs to another user (its existence is never revealed), an unknown account, or no route for the path."),
        (412, "Insufficient credits. All Credits have been used up. Please upgrade your membership or purchase credits."),
        (413, "The body is larger than the configured limit."),
        (415, "Unsupported Content-Type."),
        (416, "The requested byte range lies outside the file."),
        (429, "Wait in a loop for at least 10..30 seconds and retry again. The API query is full and can not accept new music/create requests. Size of the query is defined by the `maxJobs` optional parameter: `Account <email> is busy executing <maxJobs> tasks.` or `All configured accounts are running at maximum capacity.`"),
        (596, "Pending mod message. The account has a pending error (its credentials were rejected, or 5 generations failed in a row). Once the issue is resolved, update the account to clear the error by executing POST accounts/email before making any new API calls."),
    ]

    static func errorResponse(_ description: String) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": ref("Error")]]]
    }

    static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }

    /// A value that may also be sent as JSON `null`, which the server reads as "not given".
    static func nullable(_ type: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var schema = extra
        schema["type"] = [.string(type), "null"]
        return .object(schema)
    }

    static func string(_ description: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var schema = extra
        schema["type"] = "string"
        schema["description"] = .string(description)
        return .object(schema)
    }

    static func integer(_ description: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var schema = extra
        schema["type"] = "integer"
        schema["description"] = .string(description)
        return .object(schema)
    }

    static func boolean(_ description: String) -> JSONValue { ["type": "boolean", "description": .string(description)] }

    static func object(_ properties: [String: JSONValue], required: [String], description: String? = nil) -> JSONValue {
        var schema: [String: JSONValue] = [
            "type": "object", "properties": .object(properties), "required": .array(required.sorted().map { .string($0) }),
        ]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    static let models = MusicModel.allCases
    static var modelNames: JSONValue { .array(models.map { .string($0.rawValue) }) }
    static var longestPrompt: Int { models.map(\.spec.promptMax).max() ?? 0 }
    static var longestLyrics: Int { models.compactMap(\.spec.lyricsMax).max() ?? 0 }
    static var promptLimits: String {
        models.map { "`\($0.rawValue)` \($0.spec.promptMax.grouped)" }.joined(separator: ", ")
    }
    static var lyricModels: String {
        models.filter { $0.spec.lyricsMax != nil }.map { "`\($0.rawValue)`" }.joined(separator: " and ")
    }
    static var imageModels: String {
        models.filter { $0.spec.maxImages > 0 }.map { "`\($0.rawValue)`" }.joined(separator: ", ")
    }

    // MARK: Request bodies

    /// Fields of create and extend that choose the account, the callbacks, the slot limit, the seed and stems.
    static var jobOptions: [String: JSONValue] {
        [
            "email": nullable("string", ["description": "Optional account email (empty = not given); if not specified the API will randomly select an account of yours that is not in error, has a free slot and enough credits."]),
            "replyUrl": nullable("string", ["maxLength": 1_024, "description": "Optional callback URL (http/https; empty = none). The server POSTs the track object (the same JSON as `GET music/{audio_id}`) when the job starts generating, on progress (at most every 5 s) and when it is final, signed with Standard Webhooks headers. Maximum length 1024 characters. URLs resolving to loopback, private, link-local or metadata addresses are refused unless the operator allows them."]),
            "replyRef": nullable("string", ["maxLength": 1_024, "description": "Optional reference id, stored and returned along with this music response / result. Maximum length 1024 characters."]),
            "maxJobs": nullable("integer", ["minimum": 1, "maximum": 8, "description": "Optional; if not specified the value of the selected account is used. Valid range: 1…8."]),
            "seed": nullable("integer", ["minimum": 0, "description": "Tunesmith extension, 0 to 2^64-1: same request + same seed = same audio. Random when absent."]),
            "stems": nullable("boolean", ["description": "Tunesmith extension, default false: also make the stems; the finished track then carries `stems_url`, one zip with a WAV per part, the vocal alone (`vocals.wav`) and the sung melody (`vocals.mid`). Local engine only: 400 for a model the operator routed to a cloud provider."]),
        ]
    }

    static var createRequest: JSONValue {
        var properties = jobOptions
        properties["prompt"] = string(
            "Required, describe the track you want. Maximum length is model-specific: \(promptLimits) characters.",
            ["minLength": 1, "maxLength": .number(Double(longestPrompt))])
        properties["model"] = nullable("string", ["enum": .array(models.map { .string($0.rawValue) } + [.null]), "description": .string("Optional. Default: `\(MusicModel.default.rawValue)`.")])
        properties["instrumental"] = nullable("boolean", ["description": "Optional, default false. When true the track has no vocals. Cannot be combined with `lyrics`."])
        properties["lyrics"] = nullable("string", ["maxLength": .number(Double(longestLyrics)), "description": .string("Optional and supported by \(lyricModels) only; providing it on the others is rejected with 400. The vocals are sung from the text you supply (`[Verse]`, `[Chorus]` ... tags set the sections; `(parentheses)` are backing vocals). Cannot be combined with `instrumental`. Maximum length \(longestLyrics.grouped) characters.")])
        for index in 1...CreateMusicInput.highestImageIndex {
            properties["image_path_\(index)"] = nullable("string", ["maxLength": 1_024, "description": .string("Optional, supported by \(imageModels) only: the `path` of one of your uploads (POST files) that conditions the music. Reference images must be provided sequentially: `image_path_2` requires `image_path_1`, etc.")])
        }
        return object(properties, required: ["prompt"], description: "Output mode is derived: `instrumental: true` gives no vocals; `lyrics` given gives vocals sung from them; neither gives vocals with lyrics written by the engine.")
    }

    static var extendRequest: JSONValue {
        var properties = jobOptions
        properties["audio_id"] = string("Required: the `audio_id` of one of your COMPLETED tracks made by the local engine. The extension keeps its model, output mode and reference images.", ["minLength": 1, "maxLength": 1_024])
        properties["prompt"] = nullable("string", ["maxLength": .number(Double(longestPrompt)), "description": "Optional: how the continuation should feel (mood and density words move the band from where the song was; key, tempo, meter, instruments and motifs stay). Limited like the original model's prompt. Without it the track keeps the original's prompt."])
        properties["lyrics"] = nullable("string", ["maxLength": .number(Double(longestLyrics)), "description": .string("Optional words for the continuation to sing (\(lyricModels) only; 400 when the original is an instrumental). Without them the continuation sings the song's chorus again.")])
        return object(properties, required: ["audio_id"], description: "Tunesmith extension. The new track continues the same song (same key, tempo, meter, instruments and motifs): the music before the original's ending is the original, then a bridge or solo and the chorus (or the new lyrics) and a new outro. Its audio, title, lyrics and LRC are the whole longer song; the engine decides the continuation's length within the model's longest song.")
    }

    static var accountRequest: JSONValue {
        object(
            [
                "email": nullable("string", ["description": "Optional; must equal the email in the path."]),
                "password": nullable("string", ["maxLength": 1_024, "description": "Accepted for compatibility; stored only as a salted hash and never echoed."]),
                "maxJobs": integer("Jobs this account runs at once: 1…8.", ["minimum": 1, "maximum": 8]),
                "credits": nullable("integer", ["minimum": 0, "maximum": .number(Double(Int32.max)), "description": "Optional credit balance; omitted = unlimited."]),
            ], required: ["maxJobs"])
    }

    // MARK: Answers

    static var schemas: JSONValue {
        [
            "Error": object(
                ["error": string("Human readable message; for a 400 it names the parameter and the rule."), "code": integer("The HTTP status.")],
                required: ["error", "code"], description: "Every error of the API."),
            "CreateRequest": createRequest,
            "ExtendRequest": extendRequest,
            "AccountRequest": accountRequest,
            "Created": created,
            "Track": track,
            "TrackPage": object(
                ["data": ["type": "array", "items": ref("Track")], "next_offset": integer("Offset of the next page."), "has_more": boolean("Whether another page exists.")],
                required: ["data", "next_offset", "has_more"], description: "Tracks newest first."),
            "Job": job,
            "Available": object(
                [
                    "executing": ["type": "array", "items": ref("Job")],
                    "available": ["type": "array", "items": object(
                        ["email": string("Account email."), "maxJobs": integer("The account's limit."), "executing": integer("Jobs holding a slot."), "available": integer("Free slots (0 while the account is in error).")],
                        required: ["email", "maxJobs", "executing", "available"])],
                ], required: ["executing", "available"]),
            "Account": account,
            "Accounts": ["type": "object", "additionalProperties": ref("Account"), "description": "Your accounts keyed by email."],
            "Upload": object(
                ["result": ["type": "array", "minItems": 1, "maxItems": 1, "items": object(
                    [
                        "id": integer("Upload id."), "url": string("Signed, expiring link to the image.", ["format": "uri"]),
                        "path": string("What `image_path_N` takes: `upload/<uuid>.<ext>`."), "size": integer("Bytes."),
                        "name": string("File name (from Content-Disposition, else the stored name)."), "category": integer("Always 0."),
                        "err_msg": string("Always empty."),
                    ], required: ["id", "url", "path", "size", "name", "category", "err_msg"])]],
                required: ["result"]),
            "Models": object(
                ["models": ["type": "array", "items": object(
                    [
                        "model": ["type": "string", "enum": modelNames], "default": boolean("The model used when a create names none."),
                        "prompt_max": integer("Longest prompt, in characters."), "custom_lyrics": boolean("Whether `lyrics` are taken."),
                        "lyrics_max": integer("Longest lyrics, in characters (absent when the model takes none)."),
                        "max_images": integer("How many reference images (`image_path_N`)."), "credits": integer("Credits per track."),
                        "max_seconds": integer("Longest song, in seconds."), "backend": string("Which backend renders it here (`local` or a cloud provider)."),
                    ], required: ["model", "default", "prompt_max", "custom_lyrics", "max_images", "credits", "max_seconds", "backend"])]],
                required: ["models"]),
            "Health": object(["status": ["type": "string", "enum": ["ok"]]], required: ["status"]),
        ]
    }

    static var created: JSONValue {
        object(
            [
                "audio_id": string("`user:<userid>-pixverse:<email>-music:<asset_id>`: use it with GET music/{audio_id}."),
                "asset_id": integer("The track's number.", ["format": "int64"]),
                "asset_type": ["type": "integer", "enum": [2]], "asset_source": ["type": "integer", "enum": [1]],
                "create_mode": ["type": "string", "enum": ["music"]],
                "status": ["type": "string", "enum": ["making"]], "audio_status": ["type": "integer", "enum": [5]],
                "credits": integer("Credits debited (refunded if the job fails or is cancelled)."),
                "audio_status_name": ["type": "string", "enum": ["QUEUED"]], "audio_status_final": ["type": "boolean", "enum": [false]],
            ],
            required: ["audio_id", "asset_id", "asset_type", "asset_source", "create_mode", "status", "audio_status", "credits", "audio_status_name", "audio_status_final"],
            description: "Returned at once; generation is asynchronous. Use the returned audio_id to retrieve status and results using GET music/{audio_id}. Check audio_status_name for COMPLETED and url for the generated .mp3 link.")
    }

    static var track: JSONValue {
        let link = { (what: String) in string("Signed, expiring link (no token needed) to \(what).", ["format": "uri"]) }
        return object(
            [
                "audio_id": string("`user:<userid>-pixverse:<email>-music:<asset_id>`."),
                "asset_id": integer("The track's number.", ["format": "int64"]),
                "asset_type": ["type": "integer", "enum": [2]], "asset_source": ["type": "integer", "enum": [1]],
                "create_mode": ["type": "string", "enum": ["music"]],
                "status": ["type": "string", "enum": ["making", "finish", "failed"]],
                "audio_status": ["type": "integer", "enum": [5, 10, 1, 8], "description": "5 QUEUED, 10 GENERATING, 1 COMPLETED, 8 FAILED."],
                "audio_status_name": ["type": "string", "enum": ["QUEUED", "GENERATING", "COMPLETED", "FAILED"]],
                "audio_status_final": boolean("True once COMPLETED or FAILED."),
                "credits": integer("Credits debited for it."),
                "model": ["type": "string", "enum": modelNames],
                "provider": string("Tunesmith extension: the backend that made it (`local`, or a cloud provider such as `minimax`, `elevenlabs`, `google`)."),
                "prompt": string("The prompt (of an extension: its own, else the original's)."),
                "instrumental": boolean("No vocals."), "auto_lyrics": boolean("The engine wrote the sung words."),
                "title": string("The song's title."), "lyrics": string("What is sung, with section tags (absent for instrumentals); of an extension, the whole song's."),
                "url": link("the MP3 (`audio/mpeg`, Range supported)"), "name": string("`<title or audio_id>.mp3`."),
                "duration": integer("Length in whole seconds."), "progress": integer("0-100.", ["minimum": 0, "maximum": 100]),
                "created_at": string("ISO 8601 UTC.", ["format": "date-time"]), "updated_at": string("ISO 8601 UTC.", ["format": "date-time"]),
                "replyRef": string("The `replyRef` of the request."),
                "fail_code": string("On failure: `music_generation_failed` or `cancelled`."), "fail_reason": string("On failure: why."),
                "email": string("Tunesmith extension: the account that ran it."),
                "seed": integer("Tunesmith extension: the seed (of an extension: its continuation's).", ["minimum": 0]),
                "bpm": integer("Tunesmith extension: tempo."), "key": string("Tunesmith extension: key, e.g. `F# minor`."),
                "genre": string("Tunesmith extension: genre."),
                "midi_url": link("the score as a Standard MIDI File"), "sheet_url": link("the song sheet (JSON: form, chords, lyrics with times)"),
                "lrc_url": link("the sung lines with their times (LRC)"),
                "stems_url": link("the stems zip (`stems: true`): a WAV per part, `vocals.wav`, `vocals.mid`"),
                "extended_from": string("Tunesmith extension: the `audio_id` this track continues (`music/extend`)."),
                "image_influence": ["type": "object", "description": "Tunesmith extension: what the reference images changed in the music (see docs/images.md)."],
                "image_paths": ["type": "array", "items": ["type": "string"], "description": "Tunesmith extension: the request's `image_path_N` values, in order (absent without images)."],
                "started_at": string("Tunesmith extension: when a worker began generating it (absent while queued), ISO 8601 UTC.", ["format": "date-time"]),
                "fallback_from": string("Tunesmith extension: the cloud provider that failed before the local engine made the track (operator-enabled fallback)."),
            ],
            required: ["audio_id", "asset_id", "asset_type", "asset_source", "create_mode", "status", "audio_status", "audio_status_name", "audio_status_final", "credits", "model", "prompt", "instrumental", "auto_lyrics", "name", "progress", "created_at", "updated_at", "email", "seed"],
            description: "A track: the body of GET music/{audio_id}, of each element of GET music, and of every callback.")
    }

    static var job: JSONValue {
        object(
            [
                "id": string("The track's `audio_id`."), "type": ["type": "string", "enum": ["music"]],
                "status": ["type": "string", "enum": ["QUEUED", "GENERATING"]],
                "started": string("When it started generating (or was queued), ISO 8601 UTC.", ["format": "date-time"]),
                "elapsed": string("Time since then, `mm:ss`."), "replyUrl": string("The request's callback URL."),
                "replyRef": string("The request's reference id."),
            ], required: ["id", "type", "status", "started", "elapsed"], description: "A job holding a slot (queued or generating).")
    }

    static var account: JSONValue {
        object(
            [
                "email": string("Account email."), "maxJobs": integer("Jobs it runs at once."),
                "credits": nullable("integer", ["description": "Remaining credits; null = unlimited."]),
                "executing": integer("Jobs holding a slot."), "error": string("Set while the account is in the pending-error state (creates using it answer 596)."),
                "created_at": string("ISO 8601 UTC.", ["format": "date-time"]),
                "password": ["type": "string", "enum": ["…secured…"], "description": "Only on the answer to a POST that set a password."],
            ], required: ["email", "maxJobs", "credits", "executing", "created_at"])
    }
}

extension Int {
    /// `2000` -> `2,000`, as the reference page writes limits.
    fileprivate var grouped: String {
        let digits = Array(String(self))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }
}
