import Foundation
import PostgresNIO

/// A PostgreSQL connection URL as libpq writes it:
/// `postgres://user[:password]@host[:port]/database[?sslmode=...]` (`postgresql://` too). A `host=/path` query
/// parameter connects through the Unix socket in that folder instead. `sslmode` is `disable`, `prefer` (the
/// default: TLS when the server offers it), `require` (TLS, certificate not checked), `verify-ca` (certificate
/// checked, not its name) or `verify-full` (both).
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    /// The folder of the server's Unix socket; when set, `host` is not used.
    public var socketFolder: String?
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Whether `text` is meant as a PostgreSQL URL (as opposed to a SQLite file in the data dir).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws(Invalid) {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw Invalid(description: "expected postgres://user[:password]@host[:port]/database, got '\(Self.redacted(text))'")
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw Invalid(description: "port \(port) is out of range") }
        guard let user = components.user, !user.isEmpty else {
            throw Invalid(description: "the URL must name a user (postgres://user@host/database)")
        }
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let name = String(components.path.drop { $0 == "/" })
        database = name.isEmpty ? username : (name.removingPercentEncoding ?? name)
        guard let mode = TLSMode(rawValue: query["sslmode"] ?? TLSMode.prefer.rawValue) else {
            let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
            throw Invalid(description: "sslmode must be one of \(modes)")
        }
        tls = mode
    }

    /// The URL without its password, for logs and error messages.
    public var description: String {
        let credentials = password == nil ? username : "\(username):***"
        let location = socketFolder.map { "/\(database)?host=\($0)" } ?? "\(host):\(port)/\(database)"
        return "postgres://\(credentials)@\(location)"
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }

    /// The pool's configuration: at most `maximumConnections` connections to the server from this process.
    public func clientConfiguration(maximumConnections: Int = 20) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketFolder {
            configuration = PostgresClient.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: username, password: password,
                database: database)
        } else {
            configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database,
                tls: clientTLS)
        }
        configuration.options.maximumConnections = max(2, maximumConnections)
        return configuration
    }

    public var clientConfiguration: PostgresClient.Configuration { clientConfiguration() }

    /// One connection's configuration (the notifier's LISTEN connection, administrative commands).
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketFolder {
            return PostgresConnection.Configuration(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: username, password: password,
                database: database)
        }
        return PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database,
            tls: try connectionTLS())
    }

    private var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        return configuration
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch tls {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration)
        case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
        }
    }

    private func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        switch tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
        }
    }
}
