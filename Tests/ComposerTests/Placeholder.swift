import Testing

@Test func placeholder_ComposerTests() { #expect(Bool(true)) }
