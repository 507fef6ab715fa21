import Crypto
import Foundation
import Hummingbird
import ImageAnalysis
import Storage
import TunesmithCore

/// `POST /files?email=`: a reference image as the raw body. The bytes must really be the declared format (the
/// header is read, then every pixel decoded), within the size and dimension limits; the same bytes uploaded
/// twice by one user give the same upload.
struct FilesController {
    let dependencies: APIDependencies

    func addRoutes(to group: some RouterMethods<AuthenticatedContext>) {
        group.post("files", use: upload)
    }

    struct UploadResultJSON: Encodable {
        struct Item: Encodable {
            var id: Int64
            var url: String
            var path: String
            var size: Int
            var name: String
            var category = 0
            var err_msg = ""
        }

        var result: [Item]
    }

    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let userID = context.user.id
        if let email = request.uri.queryParameters["email"].map(String.init), !email.isEmpty {
            guard try await dependencies.store.account(userID: userID, email: email) != nil else {
                throw APIError.accountNotFound(email)
            }
        }
        let declared = request.headers[.contentType].flatMap { ContentType($0) }?.mimeType ?? ""
        guard let format = ImageFileFormat(mimeType: declared) else {
            throw APIError(
                415,
                "Unsupported Content-Type '\(declared.prefix(100))'; use image/png, image/jpeg, image/gif or image/webp")
        }
        let limit = dependencies.limits.maxUploadBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(413, "File is larger than the limit of \(limit) bytes")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError(413, "File is larger than the limit of \(limit) bytes")
        }
        let bytes = Data(body.readableBytesView)
        guard !bytes.isEmpty else { throw APIError.badRequest("file: the body is empty; send the image bytes") }
        let maxSide = dependencies.limits.maxImageSide
        let image = try await dependencies.blockingWork.runIfActive {
            try Self.checkImage(bytes, declared: format, maxSide: maxSide)
        }

        let sha256 = Hex.encode(SHA256.hash(data: bytes))
        let path = MediaPaths.newUpload(fileExtension: image.format.fileExtension)
        let media = dependencies.media
        try await media.write(bytes, to: path)
        let candidate = Upload(
            id: 0, userID: userID, path: path, sha256: sha256, size: bytes.count,
            name: Self.fileName(request.headers[.contentDisposition], fallback: String(path.dropFirst("upload/".count))),
            contentType: image.format.mimeType, createdAt: dependencies.now())
        let saved: Upload
        do {
            saved = try await dependencies.store.saveUpload(candidate)
        } catch {
            try? await media.remove(path)
            throw error
        }
        // The user already had these bytes: keep the first copy only (an orphan would waste space, nothing more).
        if saved.path != path { try? await media.remove(path) }

        let item = UploadResultJSON.Item(
            id: saved.id, url: dependencies.signer.link(to: saved.path, now: dependencies.now()), path: saved.path,
            size: saved.size, name: saved.name)
        return JSONResponse.make(UploadResultJSON(result: [item]))
    }

    /// The image's header as the decoders read it, once the bytes are the declared format, within `maxSide` a
    /// side, and decode to the last pixel.
    static func checkImage(_ data: Data, declared: ImageFileFormat, maxSide: Int) throws(APIError) -> ImageHeader {
        let bytes = Array(data)
        guard let claimed = ImageFileFormat(magic: bytes) else {
            throw APIError.badRequest("file: the bytes are not a \(declared.displayName) image")
        }
        guard claimed == declared else {
            throw APIError(
                415, "file: Content-Type says \(declared.mimeType) but the bytes are a \(claimed.displayName) image")
        }
        let decoder = ImageDecoder(maxPixels: maxSide * maxSide)
        // The size is checked on the header first, so an oversized image costs no pixel memory.
        let header: ImageHeader
        do {
            header = try decoder.header(of: bytes)
        } catch {
            throw APIError.badRequest("file: \(error.description)")
        }
        guard header.width <= maxSide, header.height <= maxSide else {
            throw APIError.badRequest("file: the image is \(header.width)x\(header.height) px; at most \(maxSide) px a side")
        }
        // A well-formed header proves little: decode every pixel now, so a forged or truncated file is refused
        // here rather than failing the song it is used for later.
        do {
            _ = try decoder.decode(bytes)
        } catch {
            throw APIError.badRequest("file: \(error.description)")
        }
        return header
    }

    /// The client's file name from `Content-Disposition: ...; filename="..."`, reduced to a safe last component.
    static func fileName(_ disposition: String?, fallback: String) -> String {
        guard let disposition, let range = disposition.range(of: "filename=") else { return fallback }
        var name = disposition[range.upperBound...].split(separator: ";").first.map(String.init) ?? ""
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        name = String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
        name = String(name.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.prefix(255))
        return name.isEmpty || name == "." || name == ".." ? fallback : name
    }
}
