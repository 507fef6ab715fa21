/// Decoded pixels: 8-bit sRGB red, green, blue, alpha, row by row from the top left (4 bytes a pixel).
public struct RGBAImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height * 4, "RGBA size mismatch")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// One colour everywhere.
    public init(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.init(width: width, height: height) { _, _ in (red, green, blue, alpha) }
    }

    /// Pixels from a function of (x, y).
    public init(width: Int, height: Int, pixel: (Int, Int) -> (UInt8, UInt8, UInt8, UInt8)) {
        var pixels = [UInt8](repeating: 0, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b, a) = pixel(x, y)
                let index = (y * width + x) * 4
                pixels[index] = r
                pixels[index + 1] = g
                pixels[index + 2] = b
                pixels[index + 3] = a
            }
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// At most `maxSide` pixels a side, each output pixel the average of the source pixels it covers (a box
    /// filter: no aliasing of fine patterns into false colours, and deterministic). Smaller images are
    /// returned as they are.
    public func downscaled(maxSide: Int) -> RGBAImage {
        let side = max(1, maxSide)
        guard width > side || height > side else { return self }
        let scale = Double(side) / Double(max(width, height))
        let newWidth = max(1, Int((Double(width) * scale).rounded()))
        let newHeight = max(1, Int((Double(height) * scale).rounded()))
        var output = [UInt8](repeating: 0, count: newWidth * newHeight * 4)
        for outY in 0..<newHeight {
            let y0 = outY * height / newHeight
            let y1 = max(y0 + 1, (outY + 1) * height / newHeight)
            for outX in 0..<newWidth {
                let x0 = outX * width / newWidth
                let x1 = max(x0 + 1, (outX + 1) * width / newWidth)
                var sums = (0, 0, 0, 0)
                for y in y0..<y1 {
                    var index = (y * width + x0) * 4
                    for _ in x0..<x1 {
                        sums.0 += Int(pixels[index])
                        sums.1 += Int(pixels[index + 1])
                        sums.2 += Int(pixels[index + 2])
                        sums.3 += Int(pixels[index + 3])
                        index += 4
                    }
                }
                let count = (y1 - y0) * (x1 - x0)
                let out = (outY * newWidth + outX) * 4
                output[out] = UInt8((sums.0 + count / 2) / count)
                output[out + 1] = UInt8((sums.1 + count / 2) / count)
                output[out + 2] = UInt8((sums.2 + count / 2) / count)
                output[out + 3] = UInt8((sums.3 + count / 2) / count)
            }
        }
        return RGBAImage(width: newWidth, height: newHeight, pixels: output)
    }
}
