import Foundation
import ImageFeatureValues

/// Measures an image's `ImageFeatures`. Images are first reduced to at most `analysisSide` pixels a side: the
/// features describe the picture as a whole, and a 256 px version measures the same in a fraction of the time.
public struct ImageFeatureExtractor: Sendable {
    public var analysisSide: Int
    public var decoder: ImageDecoder

    public init(analysisSide: Int = 256, decoder: ImageDecoder = ImageDecoder()) {
        self.analysisSide = analysisSide
        self.decoder = decoder
    }

    /// Decodes and measures an image file.
    public func features(ofFile url: URL) throws(ImageDecodingError) -> ImageFeatures {
        features(of: try decoder.decode(contentsOf: url))
    }

    public func features(ofBytes bytes: [UInt8]) throws(ImageDecodingError) -> ImageFeatures {
        features(of: try decoder.decode(bytes))
    }

    /// Pixels are weighted by their alpha: transparent areas say nothing about the picture.
    public func features(of image: RGBAImage) -> ImageFeatures {
        let small = image.downscaled(maxSide: analysisSide)
        let count = small.width * small.height
        var luma = [Double](repeating: 0, count: count)
        var weights = [Double](repeating: 0, count: count)
        var familyWeights = [Double](repeating: 0, count: HueFamily.allCases.count)
        var totalWeight = 0.0, lumaSum = 0.0, chromaSum = 0.0, warmthSum = 0.0

        small.pixels.withUnsafeBufferPointer { pixels in
            for index in 0..<count {
                let r = Double(pixels[index * 4]) / 255
                let g = Double(pixels[index * 4 + 1]) / 255
                let b = Double(pixels[index * 4 + 2]) / 255
                let weight = Double(pixels[index * 4 + 3]) / 255
                let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
                luma[index] = y
                weights[index] = weight
                guard weight > 0 else { continue }
                totalWeight += weight
                lumaSum += weight * y
                let high = max(r, g, b), low = min(r, g, b)
                chromaSum += weight * (high - low)
                let lab = Self.lab(r, g, b)
                warmthSum += weight * (lab.b + 0.5 * lab.a) / 100
                familyWeights[Self.family(r, g, b, luma: y).index] += weight
            }
        }
        guard totalWeight > 0 else {
            // Fully transparent: nothing to see, a neutral mid-grey picture.
            return ImageFeatures(brightness: 0.5, contrast: 0, saturation: 0, warmth: 0, edgeDensity: 0, hues: [])
        }
        let brightness = lumaSum / totalWeight
        var variance = 0.0
        for index in 0..<count where weights[index] > 0 {
            let deviation = luma[index] - brightness
            variance += weights[index] * deviation * deviation
        }
        return ImageFeatures(
            brightness: brightness,
            contrast: (variance / totalWeight).squareRoot(),
            saturation: chromaSum / totalWeight,
            warmth: warmthSum / totalWeight,
            edgeDensity: Self.edgeDensity(luma: luma, width: small.width, height: small.height),
            hues: zip(HueFamily.allCases, familyWeights).map { HueShare($0, $1 / totalWeight) })
    }

    /// Sobel magnitude >= 0.5 over the interior pixels (a clean step between two flat areas marks the two
    /// pixel columns either side of it; a smooth gradient marks none).
    static let edgeThreshold = 0.5

    static func edgeDensity(luma: [Double], width: Int, height: Int) -> Double {
        guard width >= 3, height >= 3 else { return 0 }
        var edges = 0
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                func at(_ dx: Int, _ dy: Int) -> Double { luma[(y + dy) * width + x + dx] }
                let gx = (at(1, -1) + 2 * at(1, 0) + at(1, 1)) - (at(-1, -1) + 2 * at(-1, 0) + at(-1, 1))
                let gy = (at(-1, 1) + 2 * at(0, 1) + at(1, 1)) - (at(-1, -1) + 2 * at(0, -1) + at(1, -1))
                if gx * gx + gy * gy >= edgeThreshold * edgeThreshold { edges += 1 }
            }
        }
        return Double(edges) / Double((width - 2) * (height - 2))
    }

    /// Below this chroma a pixel is a neutral (black, grey, white), whatever its nominal hue.
    static let neutralChroma = 0.12

    static func family(_ r: Double, _ g: Double, _ b: Double, luma: Double) -> HueFamily {
        let high = max(r, g, b), low = min(r, g, b), chroma = high - low
        guard chroma >= neutralChroma else {
            return luma < 0.25 ? .black : luma > 0.8 ? .white : .grey
        }
        var hue: Double
        if high == r {
            hue = 60 * ((g - b) / chroma).truncatingRemainder(dividingBy: 6)
        } else if high == g {
            hue = 60 * ((b - r) / chroma + 2)
        } else {
            hue = 60 * ((r - g) / chroma + 4)
        }
        if hue < 0 { hue += 360 }
        switch hue {
        case 15..<50 where high < 0.6: return .brown
        case 345..., ..<15: return .red
        case 15..<45: return .orange
        case 45..<70: return .yellow
        case 70..<165: return .green
        case 165..<200: return .cyan
        case 200..<255: return .blue
        case 255..<290: return .purple
        default: return .magenta
        }
    }

    /// sRGB (0...1) to CIELAB (D65): the a* (green-red) and b* (blue-yellow) axes are perceptually even, so
    /// warm and cool are judged the way a viewer sees them, not by raw channel values.
    static func lab(_ r: Double, _ g: Double, _ b: Double) -> (l: Double, a: Double, b: Double) {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        let (lr, lg, lb) = (linear(r), linear(g), linear(b))
        let x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.95047
        let y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb
        let z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.08883
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116 }
        let (fx, fy, fz) = (f(x), f(y), f(z))
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }
}

extension HueFamily {
    var index: Int { HueFamily.allCases.firstIndex(of: self)! }
}
