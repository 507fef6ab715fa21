import MusicTheory

/// Voices chords in a register so that each chord moves as little as possible from the one before
/// (smooth voice leading), the way a keyboard player or a string section would.
struct VoiceLeader {
    let range: ClosedRange<Int>
    /// How many notes a voicing may hold (extensions beyond it drop the fifth first).
    let maxVoices: Int
    private(set) var previous: [Int] = []

    init(range: ClosedRange<Int>, maxVoices: Int = 4) {
        self.range = range
        self.maxVoices = maxVoices
    }

    /// The tones worth voicing: all of a triad; for richer chords root, third, seventh and one colour tone.
    static func voicedPitchClasses(_ chord: Chord, maxVoices: Int) -> [PitchClass] {
        var tones = chord.pitchClasses
        if tones.count > maxVoices, let fifth = tones.firstIndex(of: chord.root + .perfectFifth), fifth != 0 {
            tones.remove(at: fifth)
        }
        return Array(tones.prefix(maxVoices))
    }

    mutating func voice(_ chord: Chord) -> [Int] {
        let tones = Self.voicedPitchClasses(chord, maxVoices: maxVoices)
        var candidates: [[Int]] = []
        for rotation in 0..<tones.count {
            let ordered = Array(tones[rotation...] + tones[..<rotation])
            for octaveStart in stride(from: range.lowerBound, through: range.upperBound, by: Interval.octave.semitones) {
                var voicing: [Int] = []
                var last = octaveStart - 1
                for pitchClass in ordered {
                    last = pitchClass.key(atOrAbove: last + 1)
                    voicing.append(last)
                }
                if let low = voicing.first, let high = voicing.last, low >= range.lowerBound, high <= range.upperBound {
                    candidates.append(voicing)
                }
            }
        }
        if candidates.isEmpty {
            let base = range.lowerBound
            candidates = [tones.map { $0.key(atOrAbove: base) }.sorted()]
        }
        let middle = (range.lowerBound + range.upperBound) / 2
        let chosen = candidates.min { cost($0, middle: middle) < cost($1, middle: middle) } ?? candidates[0]
        previous = chosen
        return chosen
    }

    /// Total movement from the previous voicing (or distance from the middle of the range for the first).
    private func cost(_ voicing: [Int], middle: Int) -> Int {
        let centre = voicing.reduce(0, +) / max(voicing.count, 1)
        guard !previous.isEmpty else { return abs(centre - middle) }
        let movement = voicing.map { pitch in previous.map { abs($0 - pitch) }.min() ?? 0 }.reduce(0, +)
        // A gentle pull towards the middle keeps long progressions from drifting to an edge of the range.
        return movement * 4 + abs(centre - middle)
    }
}
