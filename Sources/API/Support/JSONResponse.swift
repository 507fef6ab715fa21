import Foundation
import Hummingbird

/// JSON bodies with stable key order (so identical values give identical bytes, like `TrackJSON.encoded()`).
enum JSONResponse {
    static let contentType = "application/json; charset=utf-8"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        // Encoding the API's own value types (strings, numbers, arrays of them) cannot fail.
        let data = (try? encoder().encode(value)) ?? Data("{}".utf8)
        return make(data: data, status: status)
    }

    static func make(data: Data, status: HTTPResponse.Status = .ok) -> Response {
        let buffer = ByteBuffer(bytes: data)
        return Response(
            status: status,
            headers: [.contentType: contentType, .contentLength: String(buffer.readableBytes)],
            body: .init(byteBuffer: buffer)
        )
    }
}
