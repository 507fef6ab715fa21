import Foundation

/// Writes a zip archive of files stored as they are (method 0, no compression): stems are PCM audio, which
/// deflate would shrink by a few percent at the cost of seconds of CPU per song, and a zip is what every
/// system opens without extra software. Entries carry a fixed timestamp (1980-01-01 00:00), so the same files
/// always give the same archive. Sizes and offsets are 32-bit (no Zip64): an archive is at most 4 GiB, far more
/// than the stems of a song at the longest length the models allow.
public enum ZipWriter {
    public struct Entry: Sendable, Hashable {
        /// Path inside the archive (`vocals.wav`), UTF-8.
        public var name: String
        public var data: Data

        public init(name: String, data: Data) {
            self.name = name
            self.data = data
        }
    }

    public struct TooLarge: Error, Sendable, Hashable, CustomStringConvertible {
        public var bytes: Int
        public var description: String { "the zip would be \(bytes) bytes; a zip without Zip64 holds at most 4 GiB" }
    }

    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1  // 1980-01-01
    private static let utf8Names: UInt16 = 1 << 11
    private static let versionNeeded: UInt16 = 10  // 1.0: stored entries
    private static let versionMadeBy: UInt16 = (3 << 8) | 20  // Unix, 2.0: external attributes are Unix modes
    private static let unixMode: UInt32 = 0o100644 << 16  // a regular file, rw-r--r--

    /// The archive's bytes, entries in the order given.
    public static func archive(_ entries: [Entry]) throws(TooLarge) -> Data {
        let headers = entries.reduce(22) { $0 + 30 + 46 + 2 * $1.name.utf8.count }
        let total = entries.reduce(headers) { $0 + $1.data.count }
        guard total < Int(UInt32.max), entries.count < Int(UInt16.max) else { throw TooLarge(bytes: total) }
        var zip = Data(capacity: total)
        var directory = Data(capacity: headers)
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = CRC32.checksum(entry.data)
            let size = UInt32(entry.data.count)
            let offset = UInt32(zip.count)
            zip.appendLittleEndian(UInt32(0x0403_4b50))  // local file header
            zip.appendLittleEndian(versionNeeded)
            zip.appendLittleEndian(utf8Names)
            zip.appendLittleEndian(UInt16(0))  // stored
            zip.appendLittleEndian(dosTime)
            zip.appendLittleEndian(dosDate)
            zip.appendLittleEndian(crc)
            zip.appendLittleEndian(size)  // compressed
            zip.appendLittleEndian(size)  // uncompressed
            zip.appendLittleEndian(UInt16(name.count))
            zip.appendLittleEndian(UInt16(0))  // extra field
            zip.append(contentsOf: name)
            zip.append(entry.data)

            directory.appendLittleEndian(UInt32(0x0201_4b50))  // central directory header
            directory.appendLittleEndian(versionMadeBy)
            directory.appendLittleEndian(versionNeeded)
            directory.appendLittleEndian(utf8Names)
            directory.appendLittleEndian(UInt16(0))
            directory.appendLittleEndian(dosTime)
            directory.appendLittleEndian(dosDate)
            directory.appendLittleEndian(crc)
            directory.appendLittleEndian(size)
            directory.appendLittleEndian(size)
            directory.appendLittleEndian(UInt16(name.count))
            directory.appendLittleEndian(UInt16(0))  // extra field
            directory.appendLittleEndian(UInt16(0))  // comment
            directory.appendLittleEndian(UInt16(0))  // disk number
            directory.appendLittleEndian(UInt16(0))  // internal attributes
            directory.appendLittleEndian(unixMode)
            directory.appendLittleEndian(offset)
            directory.append(contentsOf: name)
        }
        let directoryOffset = UInt32(zip.count)
        zip.append(directory)
        zip.appendLittleEndian(UInt32(0x0605_4b50))  // end of central directory
        zip.appendLittleEndian(UInt16(0))  // this disk
        zip.appendLittleEndian(UInt16(0))  // disk with the directory
        zip.appendLittleEndian(UInt16(entries.count))
        zip.appendLittleEndian(UInt16(entries.count))
        zip.appendLittleEndian(UInt32(directory.count))
        zip.appendLittleEndian(directoryOffset)
        zip.appendLittleEndian(UInt16(0))  // comment
        return zip
    }
}

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip and PNG use it.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    public static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            data.withUnsafeBytes { bytes in
                for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
