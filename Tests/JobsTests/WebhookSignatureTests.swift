import Foundation
import Testing

@testable import Jobs

@Suite struct WebhookSignatureTests {
    /// The example of the Standard Webhooks specification.
    @Test func matchesTheSpecificationExample() throws {
        let signer = try #require(WebhookSignature(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let header = signer.header(
            webhookID: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
            body: Data(#"{"test": 2432232314}"#.utf8))
        #expect(header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func refusesSecretsThatAreNotBase64() {
        #expect(WebhookSignature(secret: "whsec_not base64!") == nil)
        #expect(WebhookSignature(secret: "whsec_") == nil)
    }
}
