/// Colour families a pixel is sorted into: eight hue sectors, brown (dark orange/yellow), and the neutrals.
public enum HueFamily: String, Sendable, Hashable, Codable, CaseIterable {
    case red, orange, yellow, green, cyan, blue, purple, magenta, brown
    case black, grey, white

    public var isNeutral: Bool { self == .black || self == .grey || self == .white }
}

/// A family's share of an image's pixels (0...1).
public struct HueShare: Sendable, Hashable, Codable {
    public var family: HueFamily
    public var weight: Double

    public init(_ family: HueFamily, _ weight: Double) {
        self.family = family
        self.weight = weight
    }
}

/// What an image looks like, in numbers the music mapping reads. All values are rounded to 3 decimals so the
/// JSON reads cleanly and the same image always gives the same report.
public struct ImageFeatures: Sendable, Hashable, Codable {
    /// Mean luma Y' (Rec. 709 weights on the sRGB values): 0 black ... 1 white.
    public var brightness: Double
    /// Standard deviation of luma: 0 flat ... 0.5 half black, half white.
    public var contrast: Double
    /// Mean chroma (max - min of R, G, B): 0 grey ... 1 pure hues.
    public var saturation: Double
    /// Colour temperature from CIELAB: mean (b* + a*/2) / 100, clamped to -1 (cool, blue) ... +1 (warm, red/orange).
    public var warmth: Double
    /// Share of pixels on an edge (Sobel gradient magnitude of luma >= 0.5, i.e. a step of at least 1/8):
    /// 0 smooth ... ~0.5 and more for busy, detailed pictures.
    public var edgeDensity: Double
    /// Families with at least 2 % of the pixels, largest first.
    public var hues: [HueShare]

    public init(
        brightness: Double, contrast: Double, saturation: Double, warmth: Double, edgeDensity: Double,
        hues: [HueShare]
    ) {
        self.brightness = Self.rounded(brightness)
        self.contrast = Self.rounded(contrast)
        self.saturation = Self.rounded(saturation)
        self.warmth = Self.rounded(min(1, max(-1, warmth)))
        self.edgeDensity = Self.rounded(edgeDensity)
        self.hues = Self.normalised(hues)
    }

    /// The share of one family (0 when it is not among `hues`).
    public func share(of family: HueFamily) -> Double {
        hues.first { $0.family == family }?.weight ?? 0
    }

    /// The largest families, at most `count`.
    public func dominantHues(_ count: Int = 3) -> [HueShare] { Array(hues.prefix(count)) }

    /// The features of several images seen together: each image counts equally (a thumbnail is as much a
    /// reference as a poster); scalars are averaged and hue shares merged and re-normalised.
    public static func combined(_ images: [ImageFeatures]) -> ImageFeatures? {
        guard !images.isEmpty else { return nil }
        if images.count == 1 { return images[0] }
        let count = Double(images.count)
        func mean(_ value: (ImageFeatures) -> Double) -> Double { images.reduce(0) { $0 + value($1) } / count }
        var merged: [HueFamily: Double] = [:]
        for image in images {
            for share in image.hues { merged[share.family, default: 0] += share.weight / count }
        }
        return ImageFeatures(
            brightness: mean(\.brightness), contrast: mean(\.contrast), saturation: mean(\.saturation),
            warmth: mean(\.warmth), edgeDensity: mean(\.edgeDensity),
            hues: merged.map { HueShare($0.key, $0.value) })
    }

    static let minimumShare = 0.02

    /// Drops families under 2 %, renormalises the rest to sum to 1, sorts largest first (ties by family order,
    /// so the order never depends on dictionary iteration).
    static func normalised(_ shares: [HueShare]) -> [HueShare] {
        let total = shares.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return [] }
        let kept = shares.filter { $0.weight / total >= minimumShare }
        let keptTotal = kept.reduce(0) { $0 + $1.weight }
        let order = Dictionary(uniqueKeysWithValues: HueFamily.allCases.enumerated().map { ($1, $0) })
        return kept.map { HueShare($0.family, rounded($0.weight / keptTotal)) }
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : order[$0.family]! < order[$1.family]! }
    }

    static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
