import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import TunesmithServer

@Suite("Log handler")
struct DeferredMetadataLogHandlerTests {
    /// Collects what the stream handler writes.
    final class Lines: TextOutputStream, Sendable {
        private let text = NIOLockedValueBox("")

        func write(_ string: String) { text.withLockedValue { $0 += string } }

        var written: String { text.withLockedValue { $0 } }
    }

    @Test func metadataIsWrittenWithTheMessageAndTheMessagesOwnWins() {
        let lines = Lines()
        var logger = Logger(label: "tunesmith.http") { label in
            DeferredMetadataLogHandler(StreamLogHandler(label: label, stream: lines), level: .info)
        }
        logger[metadataKey: "hb.request.id"] = "7"
        logger[metadataKey: "path"] = "/healthz"
        logger.debug("below the level")
        logger.error("request failed", metadata: ["path": "/v2/pixverse/music/x", "error": "boom"])

        let written = lines.written
        #expect(!written.contains("below the level"))
        #expect(written.contains("error tunesmith.http: error=boom hb.request.id=7 path=/v2/pixverse/music/x"))
        #expect(written.contains("request failed"))
        #expect(!written.contains("/healthz"))
    }

    @Test func theLevelIsTheHandlers() {
        var handler = DeferredMetadataLogHandler(StreamLogHandler(label: "x", stream: Lines()), level: .warning)
        #expect(handler.logLevel == .warning)
        handler.logLevel = .trace
        #expect(handler.logLevel == .trace)
        handler[metadataKey: "k"] = "v"
        #expect(handler.metadata == ["k": "v"])
    }
}
