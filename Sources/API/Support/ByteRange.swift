/// A single `Range: bytes=...` request resolved against a file size (RFC 9110 §14). Several ranges, other
/// units or syntax errors are ignored (the whole file is sent), which the RFC allows.
enum ByteRangeRequest: Sendable, Hashable {
    /// Send these bytes (inclusive) with 206.
    case partial(ClosedRange<Int>)
    /// The range starts past the end: 416.
    case unsatisfiable
    /// No usable Range header: the whole file with 200.
    case whole

    init(header: String?, fileSize: Int) {
        guard let header, header.hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard !spec.contains(","), bounds.count == 2 else {
            self = .whole
            return
        }
        let first = bounds[0].trimmingCharacters(in: .whitespaces)
        let last = bounds[1].trimmingCharacters(in: .whitespaces)
        let isDigits = { (text: String) in !text.isEmpty && text.utf8.count <= 18 && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) }
        switch (first.isEmpty, last.isEmpty) {
        case (false, _):
            guard isDigits(first), let start = Int(first), last.isEmpty || isDigits(last) else {
                self = .whole
                return
            }
            let end = last.isEmpty ? fileSize - 1 : (Int(last) ?? fileSize - 1)
            guard end >= start else {
                self = .whole
                return
            }
            guard start < fileSize else {
                self = .unsatisfiable
                return
            }
            self = .partial(start...min(end, fileSize - 1))
        case (true, false):
            // Suffix range: the last N bytes.
            guard isDigits(last), let count = Int(last) else {
                self = .whole
                return
            }
            guard count > 0, fileSize > 0 else {
                self = .unsatisfiable
                return
            }
            self = .partial(max(0, fileSize - count)...(fileSize - 1))
        case (true, true):
            self = .whole
        }
    }
}
