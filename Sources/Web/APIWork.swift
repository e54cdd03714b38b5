import App
import Checksum
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Intake
import Postgres
import Quota
import Render
import Store

// The API's working routes (CONTRACT.md §7): imports, reviews, exports, and
// `ETag`/`If-None-Match` on the large reads.

extension Respond {
    /// A strong ETag of the bytes (their SHA-256), and 304 without a body when
    /// `If-None-Match` names it (or is `*`).
    static func tagged(_ request: Request, _ bytes: [UInt8], type: String, headers extra: HTTPFields = [:]) -> Response {
        let tag = "\"" + SHA256.hex(bytes) + "\""
        var headers = extra
        headers[.eTag] = tag
        if let asked = request.headers[.ifNoneMatch] {
            let tags = asked.split(separator: ",").map { t -> String in
                let s = t.trimmingCharacters(in: .whitespaces)
                return s.hasPrefix("W/") ? String(s.dropFirst(2)) : s
            }
            if tags.contains(tag) || tags.contains("*") { return Response(status: .notModified, headers: headers) }
        }
        headers[.contentType] = type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func taggedJSON(_ request: Request, _ value: some Encodable) throws -> Response {
        tagged(request, Array(try encoder.encode(value)), type: "application/json; charset=utf-8")
    }
}

extension WebError {
    /// A review the policy book cannot give (a parameter not in force, or unusable), in Render's words.
    static func policy(_ e: PolicyError) -> WebError {
        switch e {
        case .missing(let key, let jurisdiction, let date):
            WebError(status: .unprocessableContent, code: "policy_missing",
                     text: WebText(zh: Messages.missingParameter(key: key, jurisdiction: jurisdiction, date: date, .zh),
                                   en: Messages.missingParameter(key: key, jurisdiction: jurisdiction, date: date, .en)))
        case .malformed(let key, let value, let expected):
            WebError(status: .unprocessableContent, code: "policy_malformed",
                     text: WebText(zh: Messages.malformedParameter(key: key, value: value, expected: expected, .zh),
                                   en: Messages.malformedParameter(key: key, value: value, expected: expected, .en)))
        }
    }
}

extension WebServer {
    struct ImportCounts: Encodable {
        var kind: String
        var file: String
        var accepted: Int
        var rejected: Int
        var inserted: Int
        var updated: Int
        var unchanged: Int
        var errors: [ImportIssue]
    }
    /// 422: the error, and every problem; nothing was written.
    struct ImportRefusal: Encodable {
        struct Inner: Encodable { var code: String; var message: String }
        var error: Inner
        var errors: [ImportIssue]
    }
    struct ReviewRequest: Decodable { var year: Int }
    struct ReviewsStored: Encodable { var year: Int; var reviewed: Int }
    struct ConfirmMany: Decodable { var proposal_ids: [Int64]? }

    static let xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// Runs `body`, a review's computation, mapping the policy book's refusals to 422.
    func reviewing<T: Sendable>(_ p: AccountStore.Principal, _ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        do {
            return try await db(p, body)
        } catch {
            if let e = ((error as? TransactionError)?.body ?? error) as? PolicyError { throw WebError.policy(e) }
            throw error
        }
    }

    func addWorkAPIRoutes(_ router: Router<WebContext>) {
        let api = router.group("api/v1")

        api.post("imports/:kind") { request, context -> Response in
            let p = try context.require(Self.writers)
            guard p.allRegions else { throw WebError.importDistrictOnly }
            guard let kind = ImportKind(rawValue: try context.parameters.require("kind")) else { throw WebError.notFound }
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let xlsx = type.hasPrefix(Self.xlsxType)
            guard xlsx || type.hasPrefix("text/csv") else { throw WebError.unsupportedMediaType }
            let q = request.uri.queryParameters
            let partial = q.get("partial") == "true"
            let name = q.get("file_name").flatMap { $0.isEmpty ? nil : $0 } ?? "\(kind.rawValue).\(xlsx ? "xlsx" : "csv")"
            try UseCases.plainText(name)
            let bytes = Array(try await body(request).readableBytesView)
            let lang = context.language
            let result = try await db(p) { c in try Self.importFile(c, p, kind: kind, fileName: name, bytes: bytes, partial: partial, lang: lang) }
            guard let o = result.outcome else {
                return try Respond.json(ImportRefusal(error: .init(code: "import_refused", message: result.summary(lang)), errors: result.issues),
                                        status: .unprocessableContent)
            }
            return try Respond.json(ImportCounts(kind: kind.rawValue, file: result.file, accepted: o.accepted, rejected: o.rejected,
                                                 inserted: o.inserted, updated: o.updated, unchanged: o.unchanged, errors: result.issues))
        }

        api.get("reviews") { request, context -> Response in
            let p = try context.require(Self.readers)
            let q = request.uri.queryParameters
            let asked = try Self.year(q.get("year"))
            let limit = try Self.limit(q.get("limit"))
            let code = q.get("credit_code"), cursor = q.get("cursor")
            try UseCases.plainText(cursor)
            let j = configuration.jurisdiction
            let (year, list) = try await reviewing(p) { c -> (Int?, [EmployerReview]) in
                guard let y = try asked ?? UseCases.latestReviewYear(c) else { return (nil, []) }
                return (y, try UseCases.reviews(c, p, year: y, jurisdiction: j, employer: code))
            }
            let page = list.sorted { $0.creditCode.value < $1.creditCode.value }.filter { cursor == nil || $0.creditCode.value > cursor! }
            let items = page.prefix(limit)
            let next = page.count > limit ? items.last?.creditCode.value : nil
            // The §5 review objects as `review --json` prints them (masked).
            let objects: [String] = items.map { ReviewJSONText.object($0) }
            let cursorText: String = next.map { JSONObjectText.quoted($0) } ?? "null"
            let yearText: String = year.map { String($0) } ?? "null"
            let text = "{\"items\":[\(objects.joined(separator: ","))],\"next_cursor\":\(cursorText),\"year\":\(yearText)}"
            return Respond.tagged(request, Array(text.utf8), type: "application/json; charset=utf-8")
        }

        api.post("reviews") { request, context -> Response in
            let p = try context.require(Self.writers)
            guard p.allRegions else { throw WebError.reviewStoreDistrictOnly }
            let body = try await decode(ReviewRequest.self, request)
            guard (1900...2999).contains(body.year) else { throw WebError.badYear }
            let j = configuration.jurisdiction, actor = p.actor
            let stored = try await reviewing(p) { c in try Review.review(c, year: body.year, jurisdiction: j, actor: actor) }
            return try Respond.json(ReviewsStored(year: body.year, reviewed: stored.count))
        }

        api.get("exports/:what") { request, context -> Response in
            let p = try context.require(Self.readers)
            guard let what = ExportStore.What(rawValue: try context.parameters.require("what")) else { throw WebError.notFound }
            let q = request.uri.queryParameters
            let format = q.get("format") ?? "csv"
            guard ["csv", "json", "xlsx"].contains(format) else { throw WebError.badRequest }
            var run: Int64?
            if let text = q.get("run") {
                guard let n = Int64(text) else { throw WebError.badRequest }
                run = n
            }
            let year = try Self.year(q.get("year"))
            let out = try await exportBytes(p, what, format: format, run: run, year: year)
            return Respond.tagged(request, out.bytes, type: out.type,
                                  headers: [.contentDisposition: "attachment; filename=\"\(what.rawValue).\(format)\""])
        }
    }
}
