import App
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Matching
import Postgres
import Render
import Store

// MARK: - Middleware

/// Security headers on every response, and every failure as the contract's JSON
/// error (API) or a short page (pages).
struct SecurityMiddleware: RouterMiddleware {
    typealias Context = WebContext

    static let csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = WebLanguage(acceptLanguage: request.headers[.acceptLanguage])
        let lang = context.language
        var response: Response
        do {
            // Text PostgreSQL cannot hold: a NUL character in a query parameter is refused here,
            // once for every route (schemathesis sent one in a cursor).
            if request.uri.queryParameters.contains(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) }) {
                throw WebError.badRequest
            }
            response = try await next(request, context)
        } catch let e as WebError {
            response = Self.failure(e, request: request, lang: lang)
        } catch let e as HTTPError {
            let w: WebError = switch e.status {
            case .notFound: .notFound
            case .unauthorized: .unauthenticated
            case .forbidden: .forbidden
            case .contentTooLarge: .tooLarge
            case .badRequest: .badRequest
            default: WebError(status: e.status, code: "http_\(e.status.code)", text: WebText(zh: e.status.reasonPhrase, en: e.status.reasonPhrase))
            }
            response = Self.failure(w, request: request, lang: lang)
        } catch {
            context.logger.error("request failed: \(String(describing: type(of: error)))")
            response = Self.failure(.internalError, request: request, lang: lang)
        }
        response.headers[.contentSecurityPolicy] = Self.csp
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    static func failure(_ e: WebError, request: Request, lang: WebLanguage) -> Response {
        if request.uri.path.hasPrefix("/api/") { return Respond.error(e, lang) }
        if e.status == .unauthorized { return Respond.redirect("/login") }
        return Respond.html(Pages.errorPage(e, lang: lang), status: e.status)
    }
}

/// Finds the principal (a bearer token, or the session cookie) and refuses a
/// state-changing cookie request without the session's CSRF token.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let server: WebServer

    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]
    /// Sign-in has no session yet (SameSite=Strict and the Sec-Fetch-Site check cover it).
    static let signInPaths: Set<String> = ["/api/v1/session", "/login"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let changing = !Self.safeMethods.contains(request.method)
        if changing, let site = request.headers[.secFetchSite], site == "cross-site" { throw WebError.csrf }
        // A request with credentials holds one session for its principal's lookup and its
        // handler; sign-in (slowed on purpose) and requests without credentials do not.
        let credentials = request.headers[.authorization] != nil || request.cookies[webSessionCookie].map { !$0.value.isEmpty } == true
        guard credentials, !(request.method == .post && Self.signInPaths.contains(request.uri.path)) else {
            return try await authenticated(request, context: context, next: next)
        }
        let lease: SessionPool.Lease
        do { lease = try await server.pool.lease() } catch let e as SessionPoolError {
            server.logger.warning("database pool: \(e)")
            throw WebError.busy
        }
        let response: Response
        do {
            response = try await WebServer.$requestSession.withValue(lease) {
                try await authenticated(request, context: context, next: next)
            }
        } catch {
            await lease.end()
            throw error
        }
        await lease.end()
        return response
    }

    private func authenticated(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response {
        var context = context
        var request = request
        let changing = !Self.safeMethods.contains(request.method)
        if let auth = request.headers[.authorization] {
            guard auth.hasPrefix("Bearer ") else { throw WebError.unauthenticated }
            let hash = Secrets.digest(String(auth.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces))
            guard let p = try await server.unscoped({ c in try AccountStore.principal(c, tokenHash: hash) }) else {
                throw WebError.unauthenticated
            }
            context.principal = p
        } else if let cookie = request.cookies[webSessionCookie]?.value, !cookie.isEmpty {
            let hash = Secrets.digest(cookie)
            let idle = server.configuration.idleTimeoutSeconds
            if let p = try await server.unscoped({ c in try AccountStore.principal(c, sessionHash: hash, idleSeconds: idle) }) {
                context.principal = p
                context.sessionHash = hash
                if changing && !(request.method == .post && Self.signInPaths.contains(request.uri.path)) {
                    var given = request.headers[.csrfToken]
                    if given == nil, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
                        if !WebServer.small(request) { WebServer.requestSession?.release() }
                        let buffer = try await request.collectBody(upTo: server.configuration.maxBodyBytes)
                        given = Form(buffer)["csrf_token"]
                    }
                    // A file form (multipart) carries it as a field of the body, never in the URL.
                    if given == nil, let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") {
                        WebServer.requestSession?.release()
                        let buffer: ByteBuffer
                        do { buffer = try await request.collectBody(upTo: server.configuration.maxBodyBytes) } catch { throw WebError.tooLarge }
                        given = Multipart(buffer, contentType: type)?.fields["csrf_token"]
                    }
                    guard let given, let expected = p.csrfToken, Secrets.equal(given, expected) else { throw WebError.csrf }
                }
            } else {
                WebServer.requestSession?.release()  // signed out: the handler has nothing to read for it
            }
        }
        return try await next(request, context)
    }
}
