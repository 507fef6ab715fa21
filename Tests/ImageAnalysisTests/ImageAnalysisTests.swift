import Foundation
import ImageAnalysis
import ImageFeatureValues
import Testing

@Suite("Image decoders")
struct ImageDecoderTests {
    static let picture = RGBAImage(width: 24, height: 16) { x, y in
        (UInt8(x * 10), UInt8(y * 15), UInt8(200 - x * 5), 255)
    }

    @Test("PNG, GIF and lossless WebP decode to exactly the pixels that were written")
    func losslessRoundTrips() throws {
        let decoder = ImageDecoder()
        let png = StbImage.encodePNG(Self.picture)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try decoder.decode(png) == Self.picture)
        let webp = WebPCodec.encodeLossless(Self.picture)
        #expect(ImageFileFormat(magic: webp) == .webp)
        #expect(try decoder.decode(webp) == Self.picture)
        let gifPicture = TestPictures.checkerboard(side: 40, cell: 5)
        let gif = TestPictures.gif(gifPicture)
        #expect(ImageFileFormat(magic: gif) == .gif)
        #expect(try decoder.decode(gif) == gifPicture)
    }

    @Test("JPEG and lossy WebP decode to the right size and nearly the same colours")
    func lossyRoundTrips() throws {
        let solid = TestPictures.solid(200, 80, 40, side: 32)
        for bytes in [StbImage.encodeJPEG(solid, quality: 95), WebPCodec.encodeLossy(solid, quality: 95)] {
            let decoded = try ImageDecoder().decode(bytes)
            #expect(decoded.width == 32 && decoded.height == 32)
            let centre = (16 * 32 + 16) * 4
            #expect(abs(Int(decoded.pixels[centre]) - 200) <= 6)
            #expect(abs(Int(decoded.pixels[centre + 1]) - 80) <= 6)
            #expect(abs(Int(decoded.pixels[centre + 2]) - 40) <= 6)
            #expect(decoded.pixels[centre + 3] == 255)
        }
    }

    @Test("forged, truncated and unknown bytes are Swift errors, never a crash")
    func refusesBadBytes() {
        let decoder = ImageDecoder()
        let png = StbImage.encodePNG(Self.picture)
        let jpeg = StbImage.encodeJPEG(Self.picture)
        let webp = WebPCodec.encodeLossy(Self.picture)
        let gif = TestPictures.gif(TestPictures.checkerboard(side: 16, cell: 4))
        var corruptPNG = png
        for i in 40..<min(corruptPNG.count, 80) { corruptPNG[i] ^= 0x5A }
        // A real header followed by noise: what a forged upload looks like.
        let forgedJPEG = Array(jpeg.prefix(20)) + (0..<400).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("text", Array("hello, this is not a picture".utf8)),
            ("png signature only", Array(png.prefix(8))),
            ("truncated png", Array(png.prefix(png.count / 2))),
            ("corrupt png", corruptPNG),
            ("forged jpeg", forgedJPEG),
            ("truncated jpeg", Array(jpeg.prefix(30))),
            ("truncated webp", Array(webp.prefix(20))),
            ("webp with a broken bitstream", Array(webp.prefix(30)) + [UInt8](repeating: 0xFF, count: 64)),
            ("gif header only", Array(gif.prefix(13))),
            ("bmp", [0x42, 0x4D] + [UInt8](repeating: 0, count: 60)),
        ]
        for (name, bytes) in cases {
            #expect(throws: ImageDecodingError.self, "\(name)") { try decoder.decode(bytes) }
        }
        #expect(throws: ImageDecodingError.unsupportedFormat) { try decoder.decode(Array("GIF8".utf8)) }
    }

    @Test("an image with more pixels than allowed is refused from its header, before decoding")
    func pixelLimit() {
        let decoder = ImageDecoder(maxPixels: 100)
        let big = StbImage.encodePNG(TestPictures.solid(1, 2, 3, side: 11))
        #expect(throws: ImageDecodingError.tooManyPixels(width: 11, height: 11, limit: 100)) { try decoder.decode(big) }
        let bigWebP = WebPCodec.encodeLossless(TestPictures.solid(1, 2, 3, side: 11))
        #expect(throws: ImageDecodingError.tooManyPixels(width: 11, height: 11, limit: 100)) {
            try decoder.decode(bigWebP)
        }
    }

    @Test("downscaling keeps the aspect ratio, at most the given side, and averages colours")
    func downscale() {
        let wide = RGBAImage(width: 1024, height: 512) { x, _ in x % 2 == 0 ? (0, 0, 0, 255) : (255, 255, 255, 255) }
        let small = wide.downscaled(maxSide: 256)
        #expect(small.width == 256 && small.height == 128)
        let odd = RGBAImage(width: 1000, height: 333, red: 9, green: 9, blue: 9).downscaled(maxSide: 256)
        #expect(odd.width == 256 && odd.height == 85 && odd.pixels[0] == 9)
        // Fine black/white stripes average to mid grey (no aliasing into a false pattern).
        for value in small.pixels.enumerated() where value.offset % 4 != 3 {
            #expect(abs(Int(value.element) - 128) <= 30)
        }
        #expect(TestPictures.solid(1, 2, 3, side: 40).downscaled(maxSide: 256).width == 40)
    }
}

@Suite("Image features")
struct ImageFeatureTests {
    let extractor = ImageFeatureExtractor()

    @Test("all black: no brightness, no contrast, no colour, all black family")
    func black() {
        let f = extractor.features(of: TestPictures.solid(0, 0, 0))
        #expect(f.brightness == 0 && f.contrast == 0 && f.saturation == 0 && f.warmth == 0 && f.edgeDensity == 0)
        #expect(f.hues == [HueShare(.black, 1)])
    }

    @Test("all white: full brightness, no contrast, white family")
    func white() {
        let f = extractor.features(of: TestPictures.solid(255, 255, 255))
        #expect(f.brightness == 1 && f.contrast == 0 && f.saturation == 0 && abs(f.warmth) <= 0.01)
        #expect(f.hues == [HueShare(.white, 1)])
    }

    @Test("a black-to-white gradient: mid brightness, high contrast, but no edges")
    func gradient() {
        let f = extractor.features(of: TestPictures.gradient())
        #expect(abs(f.brightness - 0.5) < 0.01)
        #expect(abs(f.contrast - 0.29) < 0.02)  // std dev of a uniform 0...1 ramp is 1/sqrt(12)
        #expect(f.edgeDensity == 0)
        #expect(Set(f.hues.map(\.family)) == [.black, .grey, .white])
    }

    @Test("checkerboards: edge density follows the square size; a flat image has none")
    func checkerboard() {
        // Each step marks 2 pixel columns and 2 rows: 1 - (1 - 2/cell)^2 of the pixels.
        let eight = extractor.features(of: TestPictures.checkerboard(cell: 8))
        let four = extractor.features(of: TestPictures.checkerboard(cell: 4))
        print("ImageFeatures checkerboard 8 px \(eight.edgeDensity), 4 px \(four.edgeDensity)")
        #expect(abs(eight.edgeDensity - 0.4375) < 0.05)
        #expect(abs(four.edgeDensity - 0.75) < 0.05)
        #expect(abs(eight.contrast - 0.5) < 0.01)
        #expect(extractor.features(of: TestPictures.solid(90, 90, 90)).edgeDensity == 0)
    }

    @Test("pure hues land in their family; warm ones are warm and cool ones cool", arguments: [
        (255, 0, 0, HueFamily.red, true), (255, 140, 0, .orange, true), (255, 230, 0, .yellow, true),
        (0, 200, 0, .green, nil), (0, 230, 230, .cyan, false), (0, 0, 255, .blue, false),
        (140, 0, 255, .purple, false), (255, 0, 200, .magenta, nil), (120, 70, 20, .brown, true),
    ] as [(Int, Int, Int, HueFamily, Bool?)])
    func pureHues(_ r: Int, _ g: Int, _ b: Int, _ family: HueFamily, _ warm: Bool?) {
        let f = extractor.features(of: TestPictures.solid(UInt8(r), UInt8(g), UInt8(b)))
        #expect(f.hues == [HueShare(family, 1)], "\(f)")
        #expect(f.saturation > 0.3)
        if let warm {
            #expect(warm ? f.warmth > 0.3 : f.warmth < -0.15, "warmth \(f.warmth)")
        }
    }

    @Test("the bright warm test picture and the dark cool one measure as such")
    func testPictures() {
        let bright = extractor.features(of: TestPictures.warmBright())
        let dark = extractor.features(of: TestPictures.darkCool())
        print("ImageFeatures warmBright \(bright)")
        print("ImageFeatures darkCool \(dark)")
        #expect(bright.brightness > 0.6 && bright.saturation > 0.6 && bright.warmth > 0.5)
        #expect(dark.brightness < 0.15 && dark.saturation < 0.15 && dark.warmth < -0.1)
    }

    @Test("transparent pixels do not count")
    func alpha() {
        let half = RGBAImage(width: 20, height: 20) { x, _ in x < 10 ? (255, 0, 0, 255) : (0, 0, 255, 0) }
        #expect(extractor.features(of: half).hues == [HueShare(.red, 1)])
    }

    @Test("several images combine: each counts equally, hue shares merge")
    func combined() throws {
        let black = extractor.features(of: TestPictures.solid(0, 0, 0))
        let white = extractor.features(of: TestPictures.solid(255, 255, 255))
        let red = extractor.features(of: TestPictures.solid(255, 0, 0))
        let all = try #require(ImageFeatures.combined([black, white, red]))
        #expect(abs(all.brightness - (0 + 1 + red.brightness) / 3) < 0.002)
        #expect(Set(all.hues.map(\.family)) == [.black, .white, .red])
        #expect(all.hues.allSatisfy { abs($0.weight - 0.333) < 0.001 })
        #expect(ImageFeatures.combined([]) == nil)
        #expect(ImageFeatures.combined([red]) == red)
    }

    @Test("a large photo is measured from its 256 px version, the same as a small copy")
    func analysisSize() throws {
        let large = TestPictures.warmBright(side: 1024)
        let f = try extractor.features(ofBytes: StbImage.encodePNG(large))
        let small = extractor.features(of: large.downscaled(maxSide: 256))
        #expect(f == small)
    }
}
