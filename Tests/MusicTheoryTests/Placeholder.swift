import Testing

@Test func placeholder_MusicTheoryTests() { #expect(Bool(true)) }
