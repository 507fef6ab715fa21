import Composer
import Foundation

/// The form's section levels (`Score.dynamics`) as a gain on the finished mix, before mastering. Mastering
/// moves the whole song by one gain (and limits only the peaks), so a level set here is what the listener
/// hears: verses below choruses, a bridge that drops, a pre-chorus that climbs, an outro that settles.
enum SectionLevels {
    /// A change of level at a section's downbeat ramps over this long, so it never clicks.
    static let rampSeconds = 0.08

    /// One linear gain per frame: each section moves from its start to its end level (in dB, linearly over
    /// its length), reached from the previous section's end level by a short ramp after the downbeat. After
    /// the last bar (the final chord ringing out) the last level holds.
    static func gains(for score: Score, frames: Int, sampleRate: Int) -> [Float] {
        var gains = [Float](repeating: 1, count: frames)
        let dynamics = score.dynamics
        let rate = Double(sampleRate)
        let rampFrames = max(rampSeconds * rate, 1)
        func frame(atBar bar: Int) -> Int { Int((score.seconds(at: score.start(ofBar: bar)) * rate).rounded()) }
        for (index, section) in score.sections.enumerated() {
            let plan = dynamics[index]
            let start = min(frame(atBar: section.startBar), frames)
            let sectionEnd = frame(atBar: section.startBar + section.bars)
            let end = index == score.sections.count - 1 ? frames : min(sectionEnd, frames)
            let length = Double(max(sectionEnd - start, 1))
            let previous = index > 0 ? dynamics[index - 1].endLevelDB : plan.startLevelDB
            for frame in start..<max(end, start) {
                let elapsed = Double(frame - start)
                var decibels = plan.startLevelDB + (plan.endLevelDB - plan.startLevelDB) * min(elapsed / length, 1)
                if elapsed < rampFrames { decibels = previous + (decibels - previous) * elapsed / rampFrames }
                gains[frame] = Float(amplitude(decibels: decibels))
            }
        }
        return gains
    }

    /// Multiplies every frame of a channel by its gain.
    static func apply(_ gains: [Float], to channel: inout [Float]) {
        for frame in 0..<min(gains.count, channel.count) { channel[frame] *= gains[frame] }
    }
}
