import Foundation
import TunesmithCore

extension UserStore {
    /// A new user and a fresh bearer token for them.
    public func makeUserWithToken(name: String = "alice", now: Date) async throws -> (user: User, token: String) {
        let user = try await createUser(name: name, now: now)
        let token = Token.make(userID: user.id)
        try await addToken(userID: user.id, tokenHash: Token.hash(token), now: now)
        return (user, token)
    }
}

extension AccountStore where Self: UserStore {
    /// A new user with one account, as most store and job tests start.
    public func makeUser(
        name: String = "tester", email: String, maxJobs: Int = 8, credits: Int? = nil, now: Date
    ) async throws -> User {
        let user = try await createUser(name: name, now: now)
        _ = try await upsertAccount(
            userID: user.id, email: email, maxJobs: maxJobs, credits: credits, passwordHash: nil, now: now)
        return user
    }
}

extension TrackRequest {
    /// A request as the tests make them: the `music26` model and no images, the rest as given.
    public static func test(
        prompt: String = "a calm piano song", instrumental: Bool = false, lyrics: String? = nil, seed: UInt64 = 42,
        replyURL: String? = nil, replyRef: String? = nil, maxJobs: Int? = nil
    ) -> TrackRequest {
        TrackRequest(
            model: .music26, prompt: prompt, instrumental: instrumental, lyrics: lyrics, imagePaths: [], seed: seed,
            replyURL: replyURL, replyRef: replyRef, maxJobs: maxJobs)
    }
}
