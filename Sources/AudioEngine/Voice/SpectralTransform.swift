import CAubio

/// A real FFT of one size (aubio's, over FFTW), with its buffers: magnitudes and phases in, samples out, and
/// back. aubio serialises FFTW's planner itself; each instance is used by one thread at a time.
final class SpectralTransform {
    let size: Int
    /// size / 2 + 1 bins.
    var binCount: Int { size / 2 + 1 }
    private let fft: OpaquePointer
    private let samples: UnsafeMutablePointer<fvec_t>
    private let spectrum: UnsafeMutablePointer<cvec_t>

    init(size: Int) throws {
        guard let fft = new_aubio_fft(UInt32(size)), let samples = new_fvec(UInt32(size)),
              let spectrum = new_cvec(UInt32(size))
        else { throw RenderError.voiceUnavailable("aubio could not set up an FFT of size \(size)") }
        self.size = size
        self.fft = fft
        self.samples = samples
        self.spectrum = spectrum
    }

    deinit {
        del_aubio_fft(fft)
        del_fvec(samples)
        del_cvec(spectrum)
    }

    /// Fills the magnitudes and phases (each `binCount` long), then returns the real signal they describe
    /// (scaled so that `forward` then `inverse` gives back the input).
    func inverse(
        _ fill: (_ magnitude: UnsafeMutablePointer<Float>, _ phase: UnsafeMutablePointer<Float>) -> Void
    ) -> UnsafeMutableBufferPointer<Float> {
        fill(spectrum.pointee.norm, spectrum.pointee.phas)
        aubio_fft_rdo(fft, spectrum, samples)
        return UnsafeMutableBufferPointer(start: samples.pointee.data, count: size)
    }

    /// Transforms `input` (the first `size` samples written by `fill`) into magnitudes and phases, lets `modify`
    /// change them, and transforms back.
    func filter(
        _ fill: (UnsafeMutablePointer<Float>) -> Void,
        modify: (_ magnitude: UnsafeMutablePointer<Float>, _ phase: UnsafeMutablePointer<Float>) -> Void
    ) -> UnsafeMutableBufferPointer<Float> {
        fill(samples.pointee.data)
        aubio_fft_do(fft, samples, spectrum)
        modify(spectrum.pointee.norm, spectrum.pointee.phas)
        aubio_fft_rdo(fft, spectrum, samples)
        return UnsafeMutableBufferPointer(start: samples.pointee.data, count: size)
    }
}
