import Composer
import Foundation

/// The notes of one sung word: its syllables, each a first note plus the melisma notes that continue its vowel.
struct SungWordGroup {
    var word: String
    var syllables: [[SungNote]]

    /// Consecutive notes belong to one word while they continue its syllables in order (index 1, 2, ...) under
    /// the same word; continuation notes join the syllable before them.
    static func group(_ notes: [SungNote]) -> [SungWordGroup] {
        var groups: [SungWordGroup] = []
        for note in notes {
            if note.isContinuation, var last = groups.last, !last.syllables.isEmpty {
                last.syllables[last.syllables.count - 1].append(note)
                groups[groups.count - 1] = last
                continue
            }
            if var last = groups.last, let previous = last.syllables.last?.first, previous.word == note.word,
               note.syllableIndex == previous.syllableIndex + 1, note.syllableIndex > 0
            {
                last.syllables.append([note])
                groups[groups.count - 1] = last
            } else {
                groups.append(SungWordGroup(word: note.word, syllables: [[note]]))
            }
        }
        return groups
    }
}

/// One syllable of a sung word: its notes (the first, then melisma continuations), when it is sung, and which
/// of the word's renders each note takes its sound from.
struct SpokenSyllable {
    /// First note's start (the vowel's onset) and last note's end, seconds.
    var start: Double
    var end: Double
    var velocity: Int
    var notes: [SungNote]
    /// Per note, the index of the render (in `SpokenWord.renders`) spoken nearest that note's pitch.
    var renders: [Int]
}

/// A word as sung: one espeak render per distinct pitch of its notes (so PSOLA never shifts by more than a
/// few cents plus vibrato and glides), and its syllables.
struct SpokenWord {
    var renders: [SpokenRender]
    var syllables: [SpokenSyllable]

    init(_ group: SungWordGroup, voice: SpeakerVoice, speaker: EspeakSpeaker, cache: inout [String: SpokenRender]) throws {
        let text = SungPhonemes.espeakInput(syllables: group.syllables.compactMap { $0.first?.syllable }, word: group.word)
        var renders: [SpokenRender] = []
        var renderIndex: [Int: Int] = [:]
        var syllables: [SpokenSyllable] = []
        for notes in group.syllables {
            var indices: [Int] = []
            for note in notes {
                let parameter = speaker.pitchParameter(for: 440 * exp2((Double(note.key) - 69) / 12), voice: voice)
                if let index = renderIndex[parameter] {
                    indices.append(index)
                    continue
                }
                let key = "\(voice.rawValue)|\(parameter)|\(group.syllables.count)|\(text)"
                let render: SpokenRender
                if let cached = cache[key] {
                    render = cached
                } else {
                    render = try SpokenRender(
                        text: text, syllableCount: group.syllables.count, parameter: parameter, voice: voice, speaker: speaker)
                    cache[key] = render
                }
                renderIndex[parameter] = renders.count
                indices.append(renders.count)
                renders.append(render)
            }
            let first = notes.first!, last = notes.last!
            syllables.append(SpokenSyllable(
                start: first.start, end: max(first.start + 0.01, last.end), velocity: first.velocity, notes: notes,
                renders: indices))
        }
        self.renders = renders
        self.syllables = syllables
    }
}

/// A word spoken once by espeak-ng at one flat pitch, at 44.1 kHz: pitch marks, phoneme voicing, and each
/// syllable's onset, nucleus and (last syllable only) coda.
struct SpokenRender {
    var samples: [Float]
    var marks: [Int]
    /// Source pitch period in samples (espeak's flat pitch, refined by autocorrelation).
    var period: Double
    var onsets: [Range<Int>]
    var nuclei: [Range<Int>]
    /// Only the last syllable has one: consonants between vowels are sung as the next syllable's onset.
    var codas: [Range<Int>]
    /// Phoneme segments in order: start sample and whether they are voiced.
    private var segmentStarts: [Int]
    private var segmentVoiced: [Bool]

    init(text: String, syllableCount: Int, parameter: Int, voice: SpeakerVoice, speaker: EspeakSpeaker) throws {
        let utterance = try speaker.speak(text: text, voice: voice, pitch: parameter)
        guard utterance.sampleRate * 2 == SingingVoice.sampleRate else {
            throw RenderError.voiceUnavailable("espeak-ng speaks at \(utterance.sampleRate) Hz, expected 22050 Hz")
        }
        samples = Resampler.upsampleByTwo(utterance.samples)
        let count = samples.count

        // Phoneme segments at 44.1 kHz, pauses dropped.
        struct Segment {
            var name: String
            var range: Range<Int>
        }
        var segments: [Segment] = []
        let phonemes = utterance.phonemes
        for (index, phoneme) in phonemes.enumerated() {
            let start = min(count, max(0, phoneme.sample * 2))
            let end = index + 1 < phonemes.count ? min(count, max(start, phonemes[index + 1].sample * 2)) : count
            guard !SungPhonemes.isPause(phoneme.name), end > start else { continue }
            segments.append(Segment(name: phoneme.name, range: start..<end))
        }
        segmentStarts = segments.map(\.range.lowerBound)
        segmentVoiced = segments.map { SungPhonemes.isVoiced($0.name) }

        // Nuclei: runs of consecutive vowel segments.
        var nuclei: [Range<Int>] = []
        var previousWasVowel = false
        for segment in segments {
            let vowel = SungPhonemes.isVowel(segment.name)
            if vowel, previousWasVowel, let last = nuclei.last {
                nuclei[nuclei.count - 1] = last.lowerBound..<segment.range.upperBound
            } else if vowel {
                nuclei.append(segment.range)
            }
            previousWasVowel = vowel
        }
        let contentStart = segments.first?.range.lowerBound ?? 0
        let contentEnd = segments.last?.range.upperBound ?? count
        if nuclei.isEmpty { nuclei = [contentStart..<max(contentStart, contentEnd)] }

        // The source pitch: autocorrelation in the longest vowel, near espeak's calibrated flat pitch.
        let expected = speaker.flatPitch(parameter: parameter, voice: voice)
        let longest = nuclei.max { $0.count < $1.count } ?? 0..<0
        let middle = (longest.lowerBound + longest.upperBound) / 2
        let span = max(0, middle - 2_205)..<min(count, middle + 2_205)
        var f0 = expected > 0
            ? PitchMarks.fundamental(
                of: samples, in: span, sampleRate: SingingVoice.sampleRate, range: (expected / 1.25)...(expected * 1.25))
            : 0
        if !(f0 > 0) { f0 = expected > 0 ? expected : 200 }
        period = Double(SingingVoice.sampleRate) / f0
        marks = PitchMarks.marks(in: samples, period: period)

        // Nuclei to syllables: one each when espeak agrees with the dictionary; otherwise merge or split evenly.
        let syllableCount = max(1, syllableCount)
        var syllableNuclei: [Range<Int>] = []
        var sharesPrevious: [Bool] = []
        if nuclei.count >= syllableCount {
            for index in 0..<syllableCount {
                let first = index * nuclei.count / syllableCount
                let last = max(first, (index + 1) * nuclei.count / syllableCount - 1)
                syllableNuclei.append(nuclei[first].lowerBound..<nuclei[last].upperBound)
                sharesPrevious.append(false)
            }
        } else {
            for index in 0..<syllableCount {
                let nucleus = index * nuclei.count / syllableCount
                let sharing = (0..<syllableCount).filter { $0 * nuclei.count / syllableCount == nucleus }
                let position = sharing.firstIndex(of: index) ?? 0
                let range = nuclei[nucleus]
                let low = range.lowerBound + range.count * position / sharing.count
                let high = range.lowerBound + range.count * (position + 1) / sharing.count
                syllableNuclei.append(low..<max(low, high))
                sharesPrevious.append(position > 0)
            }
        }
        var onsets: [Range<Int>] = [], codas: [Range<Int>] = []
        var previousEnd = contentStart
        for index in 0..<syllableCount {
            let nucleus = syllableNuclei[index]
            let onsetStart = min(previousEnd, nucleus.lowerBound)
            onsets.append(sharesPrevious[index] ? nucleus.lowerBound..<nucleus.lowerBound : onsetStart..<nucleus.lowerBound)
            let isLast = index == syllableCount - 1
            codas.append(isLast ? nucleus.upperBound..<max(nucleus.upperBound, contentEnd) : nucleus.upperBound..<nucleus.upperBound)
            previousEnd = nucleus.upperBound
        }
        self.nuclei = syllableNuclei
        self.onsets = onsets
        self.codas = codas
    }

    /// Whether the phoneme sounding at `sample` is voiced (vowels, nasals, liquids, voiced obstruents).
    func isVoiced(at sample: Int) -> Bool {
        var low = 0, high = segmentStarts.count
        while low < high {
            let mid = (low + high) / 2
            if segmentStarts[mid] <= sample { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? segmentVoiced[low - 1] : (segmentVoiced.first ?? true)
    }

    /// The pitch mark nearest to `position`.
    func nearestMark(to position: Double) -> Int? {
        guard !marks.isEmpty else { return nil }
        let target = Int(position.rounded())
        var low = 0, high = marks.count
        while low < high {
            let mid = (low + high) / 2
            if marks[mid] < target { low = mid + 1 } else { high = mid }
        }
        if low == 0 { return marks[0] }
        if low == marks.count { return marks[marks.count - 1] }
        return target - marks[low - 1] <= marks[low] - target ? marks[low - 1] : marks[low]
    }
}

/// The sung pitch over time: the notes' keys, a glide between adjacent notes, vibrato on long notes.
struct PitchContour {
    let notes: [SungNote]
    private let starts: [Double]

    init(notes: [SungNote]) {
        self.notes = notes
        starts = notes.map(\.start)
    }

    func frequency(at time: Double) -> Double { 440 * exp2((midi(at: time) - 69) / 12) }

    func midi(at time: Double) -> Double {
        guard !notes.isEmpty else { return 69 }
        let halfGlide = SingingVoice.glide / 2
        var low = 0, high = starts.count
        while low < high {
            let mid = (low + high) / 2
            if starts[mid] <= time + halfGlide { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return Double(notes[0].key) }
        let index = low - 1
        let note = notes[index]
        // Past a note's end (a rest, then the next onset consonant): already on the coming note's pitch.
        if time > note.end, index + 1 < notes.count { return Double(notes[index + 1].key) }
        var key = Double(note.key)
        if index > 0, notes[index - 1].end >= note.start - 0.12, time < note.start + halfGlide {
            let previous = Double(notes[index - 1].key)
            let position = min(1, max(0, (time - (note.start - halfGlide)) / SingingVoice.glide))
            key = previous + (key - previous) * (0.5 - 0.5 * cos(Double.pi * position))
        }
        if note.duration >= SingingVoice.vibratoMinimumDuration, time > note.start + SingingVoice.vibratoDelay {
            let since = time - note.start - SingingVoice.vibratoDelay
            let depth = SingingVoice.vibratoDepthSemitones * min(1, since / SingingVoice.vibratoFadeIn)
            key += depth * sin(2 * Double.pi * SingingVoice.vibratoRate * since)
        }
        return key
    }
}

/// TD-PSOLA synthesis of one word along its spans.
enum PSOLA {
    static func sing(_ word: SpokenWord, spans: [SungSpan], contour: PitchContour, into output: UnsafeMutableBufferPointer<Float>) {
        let sampleRate = Double(SingingVoice.sampleRate)
        // Hann windows over two source periods (grains spaced one period apart sum to one), one per render.
        let windows: [[Float]] = word.renders.map { render in
            let half = max(1, Int(render.period.rounded()))
            return (0...(2 * half)).map { index in Float(0.5 - 0.5 * cos(Double.pi * Double(index) / Double(half))) }
        }
        let ordered = spans.filter { $0.activeEnd > $0.activeStart && !$0.source.isEmpty }.sorted { $0.activeStart < $1.activeStart }
        guard !ordered.isEmpty else { return }
        // Chains of touching spans sound as one; each chain fades in and out.
        var chainEnds: [Double] = []
        var chainStarts: [Double] = []
        for span in ordered {
            if let end = chainEnds.last, span.activeStart <= end + 0.001 {
                chainEnds[chainEnds.count - 1] = max(end, span.activeEnd)
            } else {
                chainStarts.append(span.activeStart)
                chainEnds.append(span.activeEnd)
            }
        }
        let velocityOf: (Double) -> Float = { time in
            let syllable = word.syllables.last { $0.start - SingingVoice.longestOnset <= time } ?? word.syllables.first
            return Float(0.55 + 0.45 * Double(syllable?.velocity ?? 100) / 127)
        }
        var chain = 0
        var time = ordered[0].activeStart
        for span in ordered {
            // Grain times run on continuously within a chain (pitch periods do not restart at span edges).
            while chain + 1 < chainStarts.count, span.activeStart >= chainStarts[chain + 1] - 1e-9 {
                chain += 1
                time = max(time, chainStarts[chain])
            }
            if time < span.activeStart - 0.001 { time = span.activeStart }
            let render = word.renders[span.render]
            let window = windows[span.render]
            let half = (window.count - 1) / 2
            let chainStart = chainStarts[chain], chainEnd = chainEnds[chain]
            render.samples.withUnsafeBufferPointer { source in
                while time < span.activeEnd {
                    let position = span.sourcePosition(at: time, sampleRate: sampleRate)
                    guard let mark = render.nearestMark(to: position) else { return }
                    let voiced = render.isVoiced(at: Int(position))
                    let fade = min(1, (time - chainStart) / SingingVoice.fadeIn, (chainEnd - time) / SingingVoice.fadeOut)
                    let gain = Float(max(0, fade)) * velocityOf(time)
                    let centre = Int((time * sampleRate).rounded())
                    let first = max(-half, -centre, -mark)
                    let last = min(half, output.count - 1 - centre, source.count - 1 - mark)
                    if first <= last, gain > 0 {
                        for offset in first...last {
                            output[centre + offset] += source[mark + offset] * window[offset + half] * gain
                        }
                    }
                    let step = voiced ? sampleRate / contour.frequency(at: time) : render.period
                    time += max(8, step) / sampleRate
                }
            }
        }
    }
}
