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

/// Settings of the front desk (`[web]` in the config, `--web-listen`).
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `Secure` on the session cookie; false only for loopback tests.
    public var secureCookies: Bool
    /// A session idle longer than this ends.
    public var idleTimeoutSeconds: Int
    /// Failed sign-ins in a row that lock an account, and for how long.
    public var maxFailedLogins: Int
    public var lockSeconds: Int
    /// The largest request body read (JSON, forms).
    public var maxBodyBytes: Int
    /// The policy book's jurisdiction for confirmations (`JOBMATCH_JURISDICTION` in the commands).
    public var jurisdiction: String

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = true, idleTimeoutSeconds: Int = 30 * 60,
                maxFailedLogins: Int = 5, lockSeconds: Int = 15 * 60, maxBodyBytes: Int = 1 << 20,
                jurisdiction: String = "CN-41-4103-410307") {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxFailedLogins = maxFailedLogins
        self.lockSeconds = lockSeconds
        self.maxBodyBytes = maxBodyBytes
        self.jurisdiction = jurisdiction
    }

    /// `HOST:PORT` as `--web-listen` takes it (`127.0.0.1:8080`, `[::1]:8080`); nil if malformed.
    public init?(listen: String, secureCookies: Bool = true) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.init(host: host, port: port, secureCookies: secureCookies)
    }
}

/// What every handler knows about its request.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user or the API token, if any.
    var principal: AccountStore.Principal?
    /// The session cookie's hash (a cookie request), for sign-out.
    var sessionHash: String?
    var language: WebLanguage = .zh

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// An HTTP failure with its JSON code and its message in both languages.
struct WebError: Error {
    var status: HTTPResponse.Status
    var code: String
    var text: WebText

    static let unauthenticated = WebError(status: .unauthorized, code: "unauthenticated", text: WebMessages.unauthenticated)
    static let forbidden = WebError(status: .forbidden, code: "forbidden", text: WebMessages.forbidden)
    static let csrf = WebError(status: .forbidden, code: "csrf", text: WebMessages.csrf)
    static let notFound = WebError(status: .notFound, code: "not_found", text: WebMessages.notFound)
    static let badRequest = WebError(status: .badRequest, code: "bad_request", text: WebMessages.badRequest)
    static let badLogin = WebError(status: .unauthorized, code: "bad_login", text: WebMessages.badLogin)
    static let locked = WebError(status: .tooManyRequests, code: "locked", text: WebMessages.locked)
    static let busy = WebError(status: .serviceUnavailable, code: "busy", text: WebMessages.busy)
    static let databaseAway = WebError(status: .serviceUnavailable, code: "database_unavailable", text: WebMessages.databaseAway)
    static let tooLarge = WebError(status: .contentTooLarge, code: "too_large", text: WebMessages.tooLarge)
    static let unknownRegion = WebError(status: .unprocessableContent, code: "unknown_region", text: WebMessages.unknownRegion)
    static let badDate = WebError(status: .unprocessableContent, code: "bad_date", text: WebMessages.badDate)
    static let searchNeedsField = WebError(status: .unprocessableContent, code: "bad_request", text: WebMessages.searchNeedsField)
    static func noLongerHolds(_ refusals: [(proposal: Int64, reason: ConfirmRefusalReason)]) -> WebError {
        WebError(status: .conflict, code: "conflict", text: WebMessages.noLongerHolds(refusals))
    }
    static let internalError = WebError(status: .internalServerError, code: "internal", text: WebMessages.internalError)
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}

/// The name of the session cookie (CONTRACT.md §7).
public let webSessionCookie = "jobmatch_session"

/// The front desk's router: pages, `/api/v1`, middleware for security headers,
/// errors, authentication and CSRF. Mount it in a ServiceGroup through `makeWebApplication`.
public func makeWebRouter(pool: SessionPool, configuration: WebConfiguration, logger: Logger = Logger(label: "jobmatch.web"))
    -> Router<WebContext> {
    let server = WebServer(pool: pool, configuration: configuration, logger: logger)
    let router = Router(context: WebContext.self)
    router.add(middleware: SecurityMiddleware())
    router.add(middleware: AuthMiddleware(server: server))
    server.addAPIRoutes(router)
    server.addPages(router)
    server.addWorkPages(router)
    return router
}

/// The front desk as a Hummingbird application (itself a swift-service-lifecycle
/// `Service`): `jobmatch serve --web-listen ADDR` adds it to its ServiceGroup.
/// The pool's sessions should log in as the web's database role (`jobmatch_web`)
/// so that row-level security applies.
public func makeWebApplication(pool: SessionPool, configuration: WebConfiguration, logger: Logger = Logger(label: "jobmatch.web"))
    -> Application<RouterResponder<WebContext>> {
    Application(
        router: makeWebRouter(pool: pool, configuration: configuration, logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        logger: logger
    )
}

/// The handlers' shared state.
struct WebServer: Sendable {
    let pool: SessionPool
    let configuration: WebConfiguration
    let logger: Logger

    /// Runs `body` on a pooled session whose `jobmatch.regions` is the principal's
    /// (row-level security), mapping a full pool to 503.
    /// The setting goes to the server only when it differs from what this session was last
    /// set to (`setSessionSetting`): every query of the web goes through here or `unscoped`,
    /// and neither changes it otherwise.
    func db<T: Sendable>(_ p: AccountStore.Principal?, _ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await unscoped { c in
            try c.setSessionSetting("jobmatch.regions", p?.regionSetting ?? "")
            return try body(c)
        }
    }

    /// The session the request's principal was looked up on (`AuthMiddleware`), which its
    /// handler's `db` and `unscoped` use too: one wait for a session per request.
    @TaskLocal static var requestSession: SessionPool.Lease?

    /// Runs `body` on a pooled session as it is (the request's own, if it holds one): for
    /// the account tables only (no row-level security on them), whatever `jobmatch.regions`
    /// the session's last user left. The principal's own lookup, one round trip per request.
    func unscoped<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        do {
            if let lease = Self.requestSession { return try await lease.run(body) }
            return try await pool.withSession(body)
        } catch let e as SessionPoolError {
            logger.warning("database pool: \(e)")
            throw WebError.busy
        } catch where isDatabaseAway(error) {
            // A failover or a restart: every pooled session reopens, and the caller may retry.
            logger.warning("database unavailable; reopening the pool's sessions")
            pool.reopenAll()
            throw WebError.databaseAway
        } catch let e as UseCaseError {
            switch e {
            case .notFound: throw WebError.notFound
            case .unknownRegion: throw WebError.unknownRegion
            case .badDate: throw WebError.badDate
            case .badInput: throw WebError.badRequest
            }
        }
    }

    // MARK: - Sign-in

    struct SignedIn: Sendable {
        var sessionToken: String
        var csrfToken: String
        var role: AccountStore.Role
    }

    /// Checks a password: an unknown or disabled user takes as long as a wrong password;
    /// each failure is audited, slowed (more with each in a row) and the `maxFailedLogins`-th locks the account.
    func signIn(username: String, password: String) async throws -> SignedIn {
        // A name PostgreSQL cannot hold (a NUL character) names no account: refused like an
        // unknown one, in as long, with nothing to record (found by schemathesis).
        if (try? UseCases.plainText(username)) == nil {
            _ = await Secrets.verify(password, hash: Secrets.decoyHash)
            throw WebError.badLogin
        }
        let record = try await db(nil) { c in try AccountStore.loginRecord(c, username: username) }
        let cfg = configuration
        guard let record, !record.disabled else {
            _ = await Secrets.verify(password, hash: Secrets.decoyHash)
            _ = try await db(nil) { c in
                try AccountStore.recordFailedLogin(c, username: username, reason: record == nil ? "unknown" : "disabled",
                                                   maxFailures: cfg.maxFailedLogins, lockSeconds: cfg.lockSeconds)
            }
            throw WebError.badLogin
        }
        if record.lockedSeconds > 0 {
            _ = try await db(nil) { c in
                try AccountStore.recordFailedLogin(c, username: username, reason: "locked",
                                                   maxFailures: cfg.maxFailedLogins, lockSeconds: cfg.lockSeconds)
            }
            throw WebError.locked
        }
        guard await Secrets.verify(password, hash: record.passwordHash) else {
            let failures = try await db(nil) { c in
                try AccountStore.recordFailedLogin(c, username: username, reason: "password",
                                                   maxFailures: cfg.maxFailedLogins, lockSeconds: cfg.lockSeconds)
            }
            // Slowed: 200 ms more for each failure in a row, at most 2 s.
            try await Task.sleep(for: .milliseconds(min(2000, 200 * failures)))
            throw failures >= cfg.maxFailedLogins ? WebError.locked : WebError.badLogin
        }
        let token = Secrets.randomToken(), csrf = Secrets.randomToken()
        try await db(nil) { c in
            try AccountStore.recordLogin(c, username: username, sessionHash: Secrets.digest(token), csrfToken: csrf)
        }
        return SignedIn(sessionToken: token, csrfToken: csrf, role: record.role)
    }

    func sessionCookie(_ value: String, expire: Bool = false) -> Cookie {
        Cookie(name: webSessionCookie, value: value, maxAge: expire ? 0 : nil, path: "/",
               secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    // MARK: - Bodies

    func body(_ request: Request) async throws -> ByteBuffer {
        // A large body (a file) may come slowly: no session is held while it does.
        if !Self.small(request) { Self.requestSession?.release() }
        var r = request
        do {
            return try await r.collectBody(upTo: configuration.maxBodyBytes)
        } catch {
            throw WebError.tooLarge
        }
    }

    /// A body declared (Content-Length) at most 64 KiB.
    static func small(_ request: Request) -> Bool {
        request.headers[.contentLength].flatMap { Int($0) }.map { $0 <= 64 << 10 } ?? false
    }

    func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        let buffer = try await body(request)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw WebError.badRequest
        }
    }
}

// MARK: - Responses

enum Respond {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let buffer = if let body = value as? any JSONBody { ByteBuffer(bytes: body.jsonBytes) } else { ByteBuffer(bytes: try encoder.encode(value)) }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: buffer))
    }

    static func error(_ e: WebError, _ lang: WebLanguage) -> Response {
        struct Body: Encodable {
            struct Inner: Encodable { var code: String; var message: String }
            var error: Inner
        }
        let data = (try? encoder.encode(Body(error: .init(code: e.code, message: e.text(lang))))) ?? Data()
        return Response(status: e.status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// An `application/x-www-form-urlencoded` body.
struct Form: Sendable {
    var fields: [String: String] = [:]

    init(_ buffer: ByteBuffer) {
        let text = String(buffer: buffer)
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let k = kv.first else { continue }
            fields[decode(k)] = kv.count > 1 ? decode(kv[1]) : ""
        }
    }

    subscript(_ key: String) -> String? { fields[key] }
}

extension WebContext {
    /// The principal, or 401.
    func signedIn() throws -> AccountStore.Principal {
        guard let principal else { throw WebError.unauthenticated }
        return principal
    }

    /// The principal if its role is one of `roles`; 401 without one, 403 for another role.
    func require(_ roles: Set<AccountStore.Role>) throws -> AccountStore.Principal {
        let p = try signedIn()
        guard roles.contains(p.role) else { throw WebError.forbidden }
        return p
    }
}
