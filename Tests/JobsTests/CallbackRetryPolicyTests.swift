import Foundation
import Testing

@testable import Jobs

@Suite struct CallbackRetryPolicyTests {
    let created = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func backoffGrowsThenStaysHourly() {
        let policy = CallbackRetryPolicy()
        let delays = (1...8).map { attempts in
            policy.nextAttempt(after: attempts, isFinal: true, createdAt: created, retryAfter: nil, now: created)
                .map { $0.timeIntervalSince(created) }
        }
        #expect(delays == [5, 30, 120, 600, 1800, 3600, 3600, 3600])
    }

    @Test func finalMessagesAreAbandonedAfterTheirLifetime() {
        let policy = CallbackRetryPolicy()
        let late = created.addingTimeInterval(23.5 * 3600)
        #expect(policy.nextAttempt(after: 9, isFinal: true, createdAt: created, retryAfter: nil, now: late) == nil)
        let earlier = created.addingTimeInterval(22 * 3600)
        #expect(policy.nextAttempt(after: 9, isFinal: true, createdAt: created, retryAfter: nil, now: earlier) != nil)
    }

    @Test func progressMessagesAreAbandonedAfterAFewTries() {
        let policy = CallbackRetryPolicy(progressAttempts: 3)
        #expect(policy.nextAttempt(after: 2, isFinal: false, createdAt: created, retryAfter: nil, now: created) != nil)
        #expect(policy.nextAttempt(after: 3, isFinal: false, createdAt: created, retryAfter: nil, now: created) == nil)
    }

    @Test func retryAfterSecondsAndDatesAreHonouredAndCapped() {
        let policy = CallbackRetryPolicy(maxRetryAfter: .seconds(3600))
        func delay(_ header: String) -> TimeInterval? {
            policy.nextAttempt(after: 1, isFinal: true, createdAt: created, retryAfter: header, now: created)
                .map { $0.timeIntervalSince(created) }
        }
        #expect(delay("120") == 120)
        #expect(delay("999999") == 3600)
        // 1_800_000_000 is Fri, 15 Jan 2027 08:00:00 GMT.
        #expect(delay("Fri, 15 Jan 2027 08:01:30 GMT") == 90)
        #expect(delay("garbage") == 5)
    }
}
