import Dispatch
import Checksum
import Domain
import HummingbirdBcrypt

/// Secrets: bcrypt for passwords, random tokens, and the SHA-256 under which a
/// session id or an API token is stored (never the value itself).
public enum Secrets {
    /// bcrypt's cost: 2^cost rounds (at least 10, issue 14).
    public static let bcryptCost: UInt8 = 10

    /// A bcrypt hash of `password` with a fresh salt (blocking: ~50–100 ms).
    public static func hashPassword(_ password: String) -> String {
        Bcrypt.hash(password, cost: bcryptCost)
    }

    /// Compares off the cooperative thread pool: bcrypt is slow on purpose.
    static func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { done in
            DispatchQueue.global().async { done.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
    }

    /// A hash to compare against when the user does not exist, so that a sign-in
    /// for an unknown name takes as long as one with a wrong password.
    static let decoyHash = Bcrypt.hash("decoy password, never valid", cost: bcryptCost)

    /// 32 random bytes as 64 hex digits (the system's CSPRNG).
    public static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }.joined()
    }

    /// The hex SHA-256 of a token: what the database keeps.
    public static func digest(_ token: String) -> String {
        SHA256.hex(Array(token.utf8))
    }

    /// Constant-time comparison of two strings (CSRF tokens).
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in x.indices { d |= x[i] ^ y[i] }
        return d == 0
    }
}
