import Testing

@Test func placeholder_APITests() { #expect(Bool(true)) }
