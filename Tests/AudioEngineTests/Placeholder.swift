import Testing

@Test func placeholder_AudioEngineTests() { #expect(Bool(true)) }
