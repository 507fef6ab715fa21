import Foundation
import Testing
import TunesmithCore

@Suite("Formatting on hot paths")
struct FormattingTests {
    @Test(
        "timestamps are ISO 8601 UTC with milliseconds",
        arguments: [
            (1_764_019_948.123, "2025-11-24T21:32:28.123Z"),
            (0.5, "1970-01-01T00:00:00.500Z"),
            (951_782_400.999, "2000-02-29T00:00:00.999Z"),
            (-1.5, "1969-12-31T23:59:58.500Z"),
        ])
    func iso8601(seconds: Double, expected: String) {
        #expect(ISO8601.string(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("hex is lower-case, two digits a byte")
    func hex() {
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.encode([UInt8]()) == "")
    }
}
