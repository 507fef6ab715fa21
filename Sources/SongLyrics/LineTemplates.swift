/// What a section's lines do in the song's story: verse 1 sets the scene in the present, verse 2 remembers,
/// the pre-chorus builds towards the hook, the chorus states it, the bridge turns ("but", "maybe").
enum LineRole: Sendable, Hashable, CaseIterable {
    case scene, memory, build, chorus, turn
}

/// The kind of word that ends a line (and carries its rhyme), which decides the grammar before it.
enum LineEnding: Sendable, Hashable, CaseIterable {
    /// "... in the {END}": a place.
    case place
    /// "... I can see the {END}": a thing as an object.
    case thing
    /// "... I watch the {a} {END}": a verb the line's actor does, base form.
    case actorVerb
    /// "... we {END}" / "... born to {END}": what we do, base form.
    case doing
    /// "... I feel so {END}": an adjective about people.
    case feeling
}

/// The grammar of one line: fixed words and typed slots; `{END}` is the rhyme word and comes last.
/// Slots: `{p}` place, `{t}` thing, `{a}` actor (a thing that can act), `{ag}` / `{a3}` one of that actor's
/// verbs as "-ing" / "-s", `{m}` modifier, `{d}` / `{dg}` a doing as base / "-ing". Feelings only end lines.
struct LineTemplate: Sendable, Hashable {
    var role: LineRole
    var ending: LineEnding
    var pattern: String

    private static func group(_ role: LineRole, _ table: [LineEnding: [String]]) -> [LineTemplate] {
        LineEnding.allCases.flatMap { ending in
            (table[ending] ?? []).map { LineTemplate(role: role, ending: ending, pattern: $0) }
        }
    }

    static let all: [LineTemplate] =
        group(
            .scene,
            [
                .place: [
                    "I'm {dg} through the {m} {END}", "there's a {m} {t} in the {END}", "the {a} is {ag} in the {END}",
                    "all alone inside the {END}", "I can see you in the {END}", "we are {dg} through the {END}",
                    "tonight I'm out here in the {END}", "I walk alone across the {END}",
                ],
                .thing: [
                    "I can see the {m} {END}", "in the {p} I find the {END}", "I keep looking at the {END}",
                    "I'm holding on to the {END}", "I'm {dg} past the {m} {END}",
                ],
                .actorVerb: [
                    "in the {p} I watch the {a} {END}", "and I hear the {m} {a} {END}",
                    "I stand and watch the {a} {END}", "I see the {m} {a} {END}",
                ],
                .doing: [
                    "in the {m} {p} we {END}", "this is where we come to {END}", "out here in the {p} we {END}",
                    "every night I want to {END}",
                ],
                .feeling: [
                    "in the {p} I feel so {END}", "the {a} {a3} and I'm {END}", "I'm {dg} and I feel {END}",
                    "by the {m} {t} I feel {END}",
                ],
            ])
        + group(
            .memory,
            [
                .place: [
                    "you were {dg} through the {END}", "I remember you in the {END}", "we were younger in the {END}",
                    "we left the {t} in the {END}", "I can still see you in the {END}",
                ],
                .thing: [
                    "you gave me the {m} {END}", "I still remember the {m} {END}", "you left behind the {END}",
                    "we were holding on to the {END}",
                ],
                .actorVerb: [
                    "we would watch the {a} {END}", "you used to watch the {a} {END}", "back then we let the {a} {END}",
                ],
                .doing: [
                    "back then we would always {END}", "you were the one who taught me to {END}",
                    "in the {p} we used to {END}",
                ],
                .feeling: [
                    "in the {p} we were {END}", "you were {dg} and we were {END}", "back then we were {END}",
                    "I remember feeling {END}",
                ],
            ])
        + group(
            .build,
            [
                .place: [
                    "and I can feel it in the {END}", "something's waiting in the {END}", "now I'm running to the {END}",
                ],
                .thing: ["I keep reaching for the {END}", "now I'm reaching for the {m} {END}"],
                .actorVerb: [
                    "can you hear the {a} {END}", "hold on, let the {a} {END}", "now I watch the {m} {a} {END}",
                ],
                .doing: ["now it's time for us to {END}", "and I know we have to {END}", "now I'm ready to {END}"],
                .feeling: [
                    "and tonight we're {END}", "now I know we're {END}", "can you feel that we're {END}",
                    "and I know that soon we'll be {END}", "something tells me we'll be {END}",
                    "I can feel that we are {END}",
                ],
            ])
        + group(
            .chorus,
            [
                .place: ["you and I against the {END}", "we're on fire in the {END}", "we're alive out in the {END}"],
                .thing: ["never letting go of the {END}", "we're holding on to the {END}"],
                .actorVerb: ["let the {m} {a} {END}", "we will watch the {a} {END}"],
                .doing: [
                    "we were born to {END}", "all we want is just to {END}", "so tonight we {END}",
                    "you and I were meant to {END}",
                ],
                .feeling: ["with you I'm {END}", "hold on, we're {END}", "tonight we're young and {END}",
                           "in your arms I feel {END}"],
            ])
        + group(
            .turn,
            [
                .place: [
                    "but if I lose you in the {END}", "and when it's over in the {END}",
                    "but maybe there's a light in the {END}", "but I won't go back to the {END}",
                    "so I'm leaving the {m} {END}",
                ],
                .thing: [
                    "but nothing lasts, not even the {END}", "maybe I was wrong about the {END}",
                    "and I let go of the {m} {END}", "but I still keep the {m} {END}",
                ],
                .actorVerb: [
                    "and even if the {a} should {END}", "so let the {m} {a} {END}", "but I won't let the {a} {END}",
                ],
                .doing: ["but I was never meant to {END}", "so maybe it's our time to {END}"],
                .feeling: ["but maybe we were never {END}", "and even now I'm {END}", "and I don't have to be {END}"],
            ])

    /// Lines that state the title; a place title and a thing title take different prepositions.
    static let hookPatterns: [LineEnding: [String]] = [
        .place: [
            "take me to the {T}", "meet me in the {T}", "we come alive in the {T}", "lost forever in the {T}",
            "all night long in the {T}", "run away into the {T}", "follow me into the {T}", "we belong to the {T}",
            "I'll be waiting in the {T}",
        ],
        .thing: [
            "I'm still dreaming of the {T}", "nothing but the {T}", "we were made for the {T}", "hold on to the {T}",
            "all I want is the {T}", "I keep coming back to the {T}", "don't let go of the {T}",
        ],
    ]

    /// Short words a line may start with to reach its syllable count.
    static let leadIns = ["oh,", "and", "so", "now", "and now", "oh, and"]
}
