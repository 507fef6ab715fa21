import Logging

/// swift-log's `StreamLogHandler`, with metadata formatted only when a message is written.
///
/// `StreamLogHandler` re-renders its metadata string on every metadata change, and Hummingbird gives every
/// request's logger a request id: that rendering showed in the profile of a GET load (docs/modules/api.md), for
/// messages that are almost never written (the default level is `info`, and requests log nothing below
/// `error`). Here the metadata stays a dictionary and is handed to the stream handler with the message.
public struct DeferredMetadataLogHandler: LogHandler {
    private var stream: StreamLogHandler
    public var metadata: Logger.Metadata = [:]

    /// Writes through `stream` (the serve command passes `StreamLogHandler.standardError`).
    public init(_ stream: StreamLogHandler, level: Logger.Level) {
        self.stream = stream
        self.stream.logLevel = level
    }

    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        // The message's own metadata wins over the logger's, as in `StreamLogHandler`.
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        stream.log(event: event)
    }
}
