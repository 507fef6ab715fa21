import Foundation
import ProviderFakes
import TestSupport
import Testing

// In the live suite (serialized: one rendering server at a time).
extension LiveServerTests {
    /// Python's own zipfile and wave modules read the stems zip: each entry's name, and each WAV's seconds.
    static func readZipWithPython(_ path: String) throws -> [String: Double] {
        let script = """
            import sys, zipfile, wave, io
            archive = zipfile.ZipFile(sys.argv[1])
            bad = archive.testzip()
            assert bad is None, "CRC error in " + str(bad)
            for name in archive.namelist():
                seconds = -1.0
                if name.endswith(".wav"):
                    with wave.open(io.BytesIO(archive.read(name))) as audio:
                        seconds = audio.getnframes() / audio.getframerate()
                print(name, seconds)
            """
        let run = try runShell("python3 -c '\(script)' '\(path)'")
        #expect(run.status == 0, "python: \(run.stderr)")
        var entries: [String: Double] = [:]
        for line in run.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let seconds = Double(parts[1]) { entries[String(parts[0])] = seconds }
        }
        return entries
    }

    // Stems and extensions are the local engine's; with every model routed to a provider the API refuses them
    // (tested in APITests), so this end-to-end run needs the local engine.
    @Test(.disabled(if: TestEngines.isCloud, "stems and extend need the local engine"))
    func stemsDownloadAsAZipAndAnExtensionContinuesTheSongOverHTTPAndOnTheCommandLine() async throws {
        let folder = try TemporaryFolder("tunesmith-live")
        defer { folder.remove() }
        let server = try await ServerProcess.start(dataDirectory: folder.url.appendingPathComponent("data"))
        let client = LiveClient(baseURL: server.baseURL, token: try await Self.bannerToken(server))

        // A short sung song with stems.
        let created = try await client.create([
            "prompt": "a 20 second dreamy pop song with a female vocal", "stems": true, "seed": 4,
            "lyrics": "[Verse]\nHold on to the light tonight\nHold on till the morning comes",
        ])
        #expect(created.status == 200, "\(created.text)")
        let originalID = try #require(created.json.string("audio_id"))
        let original = try await client.waitUntilFinal(originalID)
        #expect(original.string("audio_status_name") == "COMPLETED", "\(original)")
        let duration = Double(try #require(original.int("duration")))

        let zip = try await client.send(.GET, try #require(original.string("stems_url")), authorized: false)
        #expect(zip.status == 200)
        #expect(zip.headers.first(name: "Content-Type") == "application/zip")
        let zipPath = folder.url.appendingPathComponent("stems.zip").path
        try zip.body.write(to: URL(fileURLWithPath: zipPath))
        let entries = try Self.readZipWithPython(zipPath)
        #expect(entries.keys.contains("vocals.wav") && entries.keys.contains("vocals.mid") && entries.keys.contains("drums.wav"))
        for (name, seconds) in entries where name.hasSuffix(".wav") {
            #expect(abs(seconds - duration) <= 1, "\(name): \(seconds) s, the song \(duration) s")
        }

        // Extend it over HTTP: a new track, the whole longer song.
        let extended = try await client.send(
            .POST, "/v2/pixverse/music/extend", json: ["audio_id": originalID, "seed": 2])
        #expect(extended.status == 200, "\(extended.text)")
        let extensionID = try #require(extended.json.string("audio_id"))
        #expect(extensionID != originalID)
        let longer = try await client.waitUntilFinal(extensionID, timeout: .seconds(180))
        #expect(longer.string("audio_status_name") == "COMPLETED", "\(longer)")
        #expect(longer.string("extended_from") == originalID)
        #expect(longer.string("title") == original.string("title"))
        #expect(longer.int("bpm") == original.int("bpm") && longer.string("key") == original.string("key"))
        #expect(Double(longer.int("duration") ?? 0) >= duration + 10)
        let words = try #require(longer.string("lyrics")), before = try #require(original.string("lyrics"))
        #expect(words.hasPrefix(before) && words.count > before.count)
        #expect(longer.string("stems_url") == nil)
        try await Self.expectPlayable(longer.string("url"), client: client)

        // The command line continues the same song from the original's song sheet.
        let sheet = try await client.send(.GET, try #require(original.string("sheet_url")), authorized: false)
        let sheetPath = folder.url.appendingPathComponent("original.json").path
        try sheet.body.write(to: URL(fileURLWithPath: sheetPath))
        let cliSheet = folder.url.appendingPathComponent("extended.json").path
        let run = try runTunesmith([
            "generate", "--extend", sheetPath, "--seed", "2", "--out", folder.url.appendingPathComponent("x.mp3").path,
            "--sheet", cliSheet,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Continues"))
        let serverSheet = try await client.send(.GET, try #require(longer.string("sheet_url")), authorized: false)
        func sections(_ data: Data) throws -> [String] {
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            return (json["sections"] as? [[String: Any]] ?? []).compactMap { $0["label"] as? String }
        }
        let cliSections = try sections(try Data(contentsOf: URL(fileURLWithPath: cliSheet)))
        #expect(!cliSections.isEmpty)
        #expect(cliSections == (try sections(serverSheet.body)))

        #expect(try await server.stop() == 0)
    }
}
