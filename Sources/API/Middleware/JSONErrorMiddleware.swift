import Foundation
import Hummingbird
import Logging
import TunesmithCore

/// Turns every error into the contract's `{"error": "...", "code": N}` body: the client never sees an HTML
/// page, an empty error body or a stack trace. Unexpected errors are logged and answered 500.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, request: request)
            if error is StoreUnavailable {
                context.logger.warning("database unavailable", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            } else if apiError.status == 500 {
                context.logger.error(
                    "request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            var headers: HTTPFields = [:]
            if let httpError = error as? HTTPError { headers = httpError.headers }
            return ErrorResponse.make(apiError, extraHeaders: headers)
        }
    }

    static func apiError(for error: any Error, request: Request) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let rejection as CreateRejection:
            return APIError(rejection)
        case is StoreUnavailable:
            // Retrying works once the database is back; the driver's own words stay in the log.
            return APIError(503, "The database is unavailable; try again shortly")
        case is CancellationError:
            // The request's work was stopped: the server is shutting down (its thread pools no longer run).
            return APIError(503, "The server is stopping; try again shortly")
        case let error as HTTPError:
            return APIError(error.status.code, error.body ?? Self.defaultMessage(error.status, request: request))
        case let error as any HTTPResponseError:
            return APIError(error.status.code, Self.defaultMessage(error.status, request: request))
        case is DecodingError:
            return APIError.badRequest("Request body could not be decoded")
        default:
            return APIError(500, "Internal server error")
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status, request: Request) -> String {
        switch status {
        case .notFound: "No route for \(request.method) \(request.uri.path)"
        case .methodNotAllowed: "Method \(request.method) is not allowed on \(request.uri.path)"
        case .contentTooLarge: "Request body is larger than the configured limit"
        default: status.reasonPhrase
        }
    }
}

extension APIError {
    /// The API error a store's create refusal maps to (API.md status table).
    init(_ rejection: CreateRejection) {
        switch rejection {
        case .accountNotFound(let email?):
            self = APIError(404, "Account \(email) not found")
        case .accountNotFound(nil):
            self = .configurationNotFound
        case .accountInError(let email):
            self = .accountPendingError(email)
        case .accountBusy(let email, let maxJobs):
            self = .accountBusy(email, maxJobs: maxJobs)
        case .allAccountsBusy:
            self = .allAccountsBusy
        case .insufficientCredits:
            self = .creditsUsedUp
        }
    }

    static let configurationNotFound = APIError(
        404, "Configuration not found. To create configuration use POST /accounts/email.")
    static func accountNotFound(_ email: String) -> APIError { APIError(404, "Account \(email) not found") }
}

/// The JSON error body.
enum ErrorResponse {
    private struct Body: Encodable {
        var error: String
        var code: Int
    }

    static func make(_ error: APIError, extraHeaders: HTTPFields = [:]) -> Response {
        let status = HTTPResponse.Status(code: error.status)
        var response = JSONResponse.make(Body(error: error.message, code: error.status), status: status)
        for field in extraHeaders where field.name != .contentType && field.name != .contentLength {
            response.headers.append(field)
        }
        return response
    }
}
