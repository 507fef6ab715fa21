import CAubio

// Each aubio object lives in a final class that owns its C pointer and frees it in deinit, so a thrown error or
// early return can never leak or double-free. They are used inside one analysis call and never shared.

/// Why an analysis could not run.
public enum AudioAnalysisError: Error, Equatable, CustomStringConvertible {
    case emptyAudio
    case invalidFormat(String)
    case libraryFailure(String)

    public var description: String {
        switch self {
        case .emptyAudio: "the audio buffer holds no samples"
        case .invalidFormat(let reason): "unusable audio format: \(reason)"
        case .libraryFailure(let reason): reason
        }
    }
}

/// An aubio `fvec_t`: a block of float samples handed to aubio.
final class AubioVector {
    let pointer: UnsafeMutablePointer<fvec_t>
    let length: Int

    init(length: Int) throws {
        guard length > 0, let pointer = new_fvec(UInt32(length)) else {
            throw AudioAnalysisError.libraryFailure("aubio could not allocate a vector of \(length) samples")
        }
        self.pointer = pointer
        self.length = length
    }

    deinit { del_fvec(pointer) }

    var data: UnsafeMutablePointer<Float> { pointer.pointee.data }

    subscript(index: Int) -> Float { data[index] }

    /// Copies `count` samples starting at `start` into the vector, zero-padding past the end of `source`.
    func load(from source: UnsafeBufferPointer<Float>, start: Int) {
        let available = max(0, min(length, source.count - start))
        if available > 0, let base = source.baseAddress {
            data.update(from: base + start, count: available)
        }
        if available < length {
            (data + available).update(repeating: 0, count: length - available)
        }
    }

    /// Loads `samples` into the vector one hop (`length` samples) after another, zero-padding the last, and calls
    /// `body` with each hop's first sample index.
    func forEachHop(of samples: [Float], _ body: (_ start: Int) -> Void) {
        samples.withUnsafeBufferPointer { samples in
            var start = 0
            while start < samples.count {
                load(from: samples, start: start)
                body(start)
                start += length
            }
        }
    }
}

/// An aubio `cvec_t`: magnitude and phase of one spectral frame.
final class AubioSpectrum {
    let pointer: UnsafeMutablePointer<cvec_t>
    /// Number of bins (fftSize / 2 + 1).
    let binCount: Int

    init(fftSize: Int) throws {
        guard fftSize > 0, let pointer = new_cvec(UInt32(fftSize)) else {
            throw AudioAnalysisError.libraryFailure("aubio could not allocate a spectrum of size \(fftSize)")
        }
        self.pointer = pointer
        self.binCount = Int(pointer.pointee.length)
    }

    deinit { del_cvec(pointer) }

    var magnitudes: UnsafeMutablePointer<Float> { pointer.pointee.norm }

    /// Replaces each magnitude m with log(1 + lambda * m).
    func compressLogarithmically(_ lambda: Float) { cvec_logmag(pointer, lambda) }
}

/// Windowed FFT (aubio_pvoc) producing one magnitude spectrum per hop.
final class AubioPhaseVocoder {
    let pointer: OpaquePointer

    init(windowSize: Int, hopSize: Int) throws {
        guard let pointer = new_aubio_pvoc(UInt32(windowSize), UInt32(hopSize)) else {
            throw AudioAnalysisError.libraryFailure("aubio rejected a phase vocoder of \(windowSize)/\(hopSize)")
        }
        self.pointer = pointer
    }

    deinit { del_aubio_pvoc(pointer) }

    func process(_ hop: AubioVector, into spectrum: AubioSpectrum) {
        aubio_pvoc_do(pointer, hop.pointer, spectrum.pointer)
    }
}

/// A plain FFT over a whole (already windowed) frame.
final class AubioFFT {
    let pointer: OpaquePointer

    init(size: Int) throws {
        guard let pointer = new_aubio_fft(UInt32(size)) else {
            throw AudioAnalysisError.libraryFailure("aubio rejected an FFT of size \(size)")
        }
        self.pointer = pointer
    }

    deinit { del_aubio_fft(pointer) }

    func process(_ frame: AubioVector, into spectrum: AubioSpectrum) {
        aubio_fft_do(pointer, frame.pointer, spectrum.pointer)
    }
}

/// A named aubio window (e.g. "hanningz") of a given size.
final class AubioWindow {
    let vector: AubioVector

    init(kind: String, size: Int) throws {
        vector = try AubioVector(length: size)
        let status = kind.withCString { fvec_set_window(vector.pointer, UnsafeMutablePointer(mutating: $0)) }
        guard status == 0 else {
            throw AudioAnalysisError.libraryFailure("aubio does not know window '\(kind)'")
        }
    }

    func apply(to frame: AubioVector) { fvec_weight(frame.pointer, vector.pointer) }
}

/// A spectral onset-detection function (aubio_specdesc), one value per spectral frame.
final class AubioSpectralDescriptor {
    let pointer: OpaquePointer
    private let output: AubioVector

    init(method: String, fftSize: Int) throws {
        guard let pointer = new_aubio_specdesc(method, UInt32(fftSize)) else {
            throw AudioAnalysisError.libraryFailure("aubio does not know onset function '\(method)'")
        }
        self.pointer = pointer
        do { output = try AubioVector(length: 1) } catch { del_aubio_specdesc(pointer); throw error }
    }

    deinit { del_aubio_specdesc(pointer) }

    func value(of spectrum: AubioSpectrum) -> Float {
        aubio_specdesc_do(pointer, spectrum.pointer, output.pointer)
        return output[0]
    }
}

/// aubio's beat tracker; fed one hop at a time.
final class AubioTempo {
    let pointer: OpaquePointer
    private let output: AubioVector

    init(windowSize: Int, hopSize: Int, sampleRate: Int) throws {
        guard let pointer = new_aubio_tempo("default", UInt32(windowSize), UInt32(hopSize), UInt32(sampleRate)) else {
            throw AudioAnalysisError.libraryFailure("aubio rejected a tempo tracker at \(sampleRate) Hz")
        }
        self.pointer = pointer
        do { output = try AubioVector(length: 1) } catch { del_aubio_tempo(pointer); throw error }
    }

    deinit { del_aubio_tempo(pointer) }

    /// Processes one hop; returns true when a beat falls inside it.
    func process(_ hop: AubioVector) -> Bool {
        aubio_tempo_do(pointer, hop.pointer, output.pointer)
        return output[0] != 0
    }

    var bpm: Double { Double(aubio_tempo_get_bpm(pointer)) }
    var confidence: Double { Double(aubio_tempo_get_confidence(pointer)) }
    var lastBeatSeconds: Double { Double(aubio_tempo_get_last_s(pointer)) }
}

/// aubio's monophonic pitch detector, reporting Hz.
final class AubioPitch {
    let pointer: OpaquePointer
    private let output: AubioVector

    init(method: String, windowSize: Int, hopSize: Int, sampleRate: Int, silenceDB: Double) throws {
        guard let pointer = new_aubio_pitch(method, UInt32(windowSize), UInt32(hopSize), UInt32(sampleRate)) else {
            throw AudioAnalysisError.libraryFailure("aubio rejected pitch method '\(method)'")
        }
        self.pointer = pointer
        do { output = try AubioVector(length: 1) } catch { del_aubio_pitch(pointer); throw error }
        aubio_pitch_set_unit(pointer, "Hz")
        aubio_pitch_set_silence(pointer, Float(silenceDB))
    }

    deinit { del_aubio_pitch(pointer) }

    func process(_ hop: AubioVector) -> (hz: Double, confidence: Double) {
        aubio_pitch_do(pointer, hop.pointer, output.pointer)
        return (Double(output[0]), Double(aubio_pitch_get_confidence(pointer)))
    }
}

extension AubioFFT {
    /// Inverse transform of a magnitude/phase spectrum back to `size` real samples.
    func inverse(_ spectrum: AubioSpectrum, into output: AubioVector) {
        aubio_fft_rdo(pointer, spectrum.pointer, output.pointer)
    }
}
