import PostgresNIO

/// A piece of SQL with its values bound, to be spliced into a `PostgresQuery` (or another fragment) with
/// `\(fragment)`: the values keep being parameters (`$n`), numbered where the fragment lands. Lets the store
/// write the parts its statements share (the outbox CTE, an owner-checked update) once.
struct SQLFragment: ExpressibleByStringInterpolation {
    fileprivate var parts: [(inout PostgresQuery.StringInterpolation) -> Void] = []

    init(stringLiteral value: String) {
        parts = [{ $0.appendLiteral(value) }]
    }

    init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var parts: [(inout PostgresQuery.StringInterpolation) -> Void] = []

        init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func appendLiteral(_ literal: String) {
            parts.append { $0.appendLiteral(literal) }
        }

        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable>(_ value: Value) {
            parts.append { $0.appendInterpolation(value) }
        }

        mutating func appendInterpolation<Value: PostgresDynamicTypeEncodable>(_ value: Value?) {
            parts.append { $0.appendInterpolation(value) }
        }

        mutating func appendInterpolation(_ fragment: SQLFragment) {
            parts += fragment.parts
        }
    }
}

extension PostgresQuery.StringInterpolation {
    mutating func appendInterpolation(_ fragment: SQLFragment) {
        for part in fragment.parts { part(&self) }
    }
}
