/// While composing, notes are MIDI key numbers (`Int`, middle C = 60) searched inside ranges (a voice's, an
/// instrument's register); a finished note keeps a `Pitch`, which clamps to 0...127. These operations move key
/// numbers by intervals and fold them onto pitch classes, so octave arithmetic is written here once.
extension Interval {
    public static func + (key: Int, interval: Interval) -> Int { key + interval.semitones }
    public static func - (key: Int, interval: Interval) -> Int { key - interval.semitones }
    public static func += (key: inout Int, interval: Interval) { key += interval.semitones }
    public static func -= (key: inout Int, interval: Interval) { key -= interval.semitones }

    /// The interval `count` times over (`.octave * 2` is two octaves).
    public static func * (interval: Interval, count: Int) -> Interval { Interval(interval.semitones * count) }

    /// The whole number of octaves nearest this interval (half an octave rounds away from zero).
    public var nearestOctaveCount: Int { Int((Double(semitones) / Double(Interval.octave.semitones)).rounded()) }
}

extension PitchClass {
    /// The lowest key number of this pitch class at or above `key`.
    public func key(atOrAbove key: Int) -> Int { key + (self - PitchClass(key)).semitones }

    /// The highest key number of this pitch class at or below `key`.
    public func key(atOrBelow key: Int) -> Int { key - (PitchClass(key) - self).semitones }
}

extension Set where Element == PitchClass {
    /// The key number in `range` nearest `target` whose pitch class is in the set and that `accept` takes; of two
    /// equally near, the lower. nil when there is none.
    public func nearestKey(
        to target: Int, in range: ClosedRange<Int>, where accept: (Int) -> Bool = { _ in true }
    ) -> Int? {
        var best: Int?
        for candidate in range where contains(PitchClass(candidate)) && accept(candidate) {
            if best == nil || abs(candidate - target) < abs((best ?? candidate) - target) { best = candidate }
        }
        return best
    }

    /// Moves `steps` members of the set up (positive) or down (negative) from `key`, the way a melody steps
    /// through a scale. With 0 steps: the nearest member within a tritone (the lower on a tie), else `key`.
    /// An empty set moves four octaves at most.
    public func key(_ steps: Int, stepsFrom key: Int) -> Int {
        var current = key
        if steps == 0 {
            for distance in 0...Interval.tritone.semitones {
                if contains(PitchClass(current - distance)) { return current - distance }
                if contains(PitchClass(current + distance)) { return current + distance }
            }
            return current
        }
        let direction = steps > 0 ? 1 : -1
        var remaining = abs(steps)
        var moved = 0
        while remaining > 0, moved < (Interval.octave * 4).semitones {
            current += direction
            moved += 1
            if contains(PitchClass(current)) { remaining -= 1 }
        }
        return current
    }
}
