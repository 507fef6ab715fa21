/// Words of a prompt that describe how the track is made rather than what it is about: instruments,
/// drum sounds, production and tempo vocabulary, genres. A prompt says "banjo and claps at 90 bpm" to choose the
/// band, not to be sung about, so lyric writers and title makers leave these words out.
public enum MusicTermWords {
    /// Whether the lower-cased word names an instrument, a drum or production sound, a tempo or form term, or a
    /// genre. Words of multi-word instrument names count only when they are an instrument alone ("piano" in
    /// "grand piano", not "grand"), so image words like "wave" ("square wave") or "line" ("bass line") stay.
    public static func contains(_ word: String) -> Bool {
        terms.contains(word.lowercased())
    }

    private static let terms: Set<String> = {
        var words = Set(InstrumentWords.phrases.map(\.0).filter { !$0.contains(" ") })
        words.formUnion(production)
        for genre in Genre.allCases {
            words.insert(genre.rawValue.lowercased())
            // "drum and bass", "R&B/soul": the names, not the joining words and letters.
            for part in genre.displayName.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            where part.count > 2 && part != "and" {
                words.insert(String(part))
            }
        }
        return words
    }()

    /// Drum sounds, production, arrangement, tempo and format words that are not instruments of their own.
    /// Words that are as often plain English ("ride", "echo", "fade", "drop", "swing") are left out.
    private static let production: Set<String> = [
        "clap", "claps", "handclap", "handclaps", "snap", "snaps", "kick", "kicks", "snare", "snares", "hat", "hats",
        "hihat", "hihats", "cymbal", "cymbals", "tom", "toms", "percussion", "shaker", "shakers",
        "tambourine", "conga", "congas", "bongo", "bongos", "cowbell", "rimshot", "breakbeat", "breakbeats",
        "beat", "beats", "groove", "grooves", "loop", "loops", "sample", "samples", "sampled", "chop", "chops",
        "bpm", "tempo", "halftime", "doubletime", "swung", "shuffle", "groovebox", "sequencer",
        "reverb", "reverbs", "delay", "chorus", "flanger", "phaser", "distortion", "overdrive", "fuzz",
        "sidechain", "sidechained", "compressor", "compression", "compressed", "eq", "filter", "filtered",
        "lowpass", "highpass", "cutoff", "resonance", "saturation", "tape", "vinyl", "crackle", "bitcrushed",
        "mix", "mixed", "mixing", "master", "mastered", "mastering", "stereo", "mono", "panning", "wet", "dry",
        "vocal", "vocals", "vox", "singer", "singing", "rap", "rapper", "rapping", "acapella", "harmonies",
        "instrumental", "track", "tracks", "song", "songs", "tune", "music", "musical", "melody", "melodies",
        "chord", "chords", "riff", "riffs", "lick", "licks", "arpeggio", "arpeggios", "arpeggiated", "bassline",
        "basslines", "buildup", "intro", "outro", "verse", "prechorus", "hook", "bridge",
        "breakdown", "solo", "solos", "key", "major", "minor", "meter", "bar", "bars", "measure", "measures",
        "minute", "minutes", "min", "mins", "second", "seconds", "sec", "secs", "khz", "hz", "db", "midi",
        "daw", "vst", "plugin", "preset", "patch", "oscillator", "lfo", "wobble", "sub", "subs", "analog",
        "digital", "lofi", "hifi", "edm", "dnb", "rnb", "bpms", "producer", "production", "produced",
        "drummer", "guitarist", "pianist", "bassist", "band", "orchestra", "orchestral", "ensemble", "quartet",
        "trio", "beatbox", "turntable", "turntables", "scratch", "scratches", "dj", "mic", "microphone",
        "amp", "amplifier", "pedal", "pedals", "fret", "frets", "strum", "strummed", "strumming", "plucked",
        "picked", "fingerpicked", "fingerpicking", "staccato", "legato", "crescendo", "fadeout",
    ]
}
