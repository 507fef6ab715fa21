/// What a prompt says about the singer.
enum VoiceStatement: Sendable, Hashable {
    case voice(VoiceType)
    /// "instrumental", "no vocals", "without singing".
    case instrumental
}

extension PromptFacts {
    private static let singingNouns: Set<String> = [
        "vocal", "vocals", "vocalist", "vocalists", "singer", "singers", "voice", "voices", "singing", "vox", "sung",
        "sings", "crooner", "diva", "rapper", "rappers", "mc",
    ]
    private static let femaleWords: Set<String> = ["female", "woman", "women", "womans", "girl", "girls", "feminine", "lady"]
    private static let maleWords: Set<String> = ["male", "man", "men", "mans", "guy", "boy", "boys", "masculine"]
    /// Words that on their own say there is no singer.
    private static let instrumentalWords: Set<String> = ["instrumental", "instrumentals", "karaoke", "vocalless"]
    private static let negators: Set<String> = ["no", "without", "not", "zero", "minus", "non"]

    /// "female vocals", "a male singer", "woman singing", "sung by a girl" -> that voice; "instrumental",
    /// "no vocals", "without singing" -> no voice. A voice word wins over "instrumental" only when it comes
    /// later in the prompt ("instrumental intro, then a female vocal"); nil when the prompt says nothing.
    static func voice(in tokens: [PromptToken]) -> VoiceStatement? {
        var statement: VoiceStatement?
        for (index, token) in tokens.enumerated() {
            if instrumentalWords.contains(token.text) {
                statement = .instrumental
                continue
            }
            guard singingNouns.contains(token.text) else { continue }
            // "no vocals", "without any vocals", "no female vocals": a negator shortly before, same clause.
            var look = index - 1
            var negated = false
            while look >= 0, look >= index - 3, tokens[look].clause == token.clause {
                if negators.contains(tokens[look].text) { negated = true }
                look -= 1
            }
            if negated {
                statement = .instrumental
                continue
            }
            if let gender = gender(near: index, in: tokens) { statement = .voice(gender) }
        }
        return statement
    }

    /// The gender word next to a singing noun: before it ("female lead vocal") or after "by" ("sung by a man").
    private static func gender(near index: Int, in tokens: [PromptToken]) -> VoiceType? {
        let clause = tokens[index].clause
        for look in stride(from: index - 1, through: max(index - 3, 0), by: -1) where tokens[look].clause == clause {
            if femaleWords.contains(tokens[look].text) { return .female }
            if maleWords.contains(tokens[look].text) { return .male }
        }
        for look in (index + 1)..<min(index + 5, tokens.count) where tokens[look].clause == clause {
            if femaleWords.contains(tokens[look].text) { return .female }
            if maleWords.contains(tokens[look].text) { return .male }
        }
        return nil
    }
}

extension Genre {
    /// Who usually sings the genre when the prompt does not say: the voice its best-known records have
    /// (pop, R&B, house and disco divas; rock, country, hip hop and metal men). Only a default: the prompt's
    /// "female vocal" / "male vocal" always wins.
    public var defaultVoice: VoiceType {
        switch self {
        case .pop, .rnb, .house, .disco, .synthwave, .indie, .folk, .gospel, .lofi, .ambient, .latin, .jazz,
             .orchestral, .chiptune, .techno, .drumAndBass:
            .female
        case .rock, .metal, .country, .hipHop, .trap, .blues, .funk, .reggae, .afrobeat, .dubstep:
            .male
        }
    }
}
