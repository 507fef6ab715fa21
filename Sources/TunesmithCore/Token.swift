import Crypto
import Foundation

/// API tokens: `user:<userid>-<random>`. Only the SHA-256 hash is stored.
public enum Token {
    public static func make(userID: String) -> String {
        "user:\(userID)-\(randomString(length: 32))"
    }

    public static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }

    /// Letters and digits from the system's secure generator.
    public static func randomString(length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
