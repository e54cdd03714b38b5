import App
import Domain
import Foundation
import Hummingbird
import Postgres
import Quota
import Render
import Store

// /reviews, /reviews/{year}/{credit_code} (the printable worksheet) and /exports,
// scoped to the account's regions: an employer by its town, a placement by its
// seeker's town, a run by its region. The indicators are the district's sums and
// only an every-region account has them.

extension UseCases {
    static func latestReviewYear(_ c: Connection) throws -> Int? {
        try c.query("SELECT max(year) AS y FROM employer_year")[0].optionalInt("y")
    }

    /// The towns a scoped principal's exports and reviews are limited to (nil: every region).
    static func towns(_ p: AccountStore.Principal) -> [String]? { p.allRegions ? nil : p.scope }

    /// The year's reviews (computed, not stored) of the employers of the principal's
    /// regions (all employers are reviewed together, so a person claimed twice is
    /// found across regions); one employer's when `employer` is given (404 outside).
    static func reviews(_ c: Connection, _ p: AccountStore.Principal, year: Int, jurisdiction: String,
                        employer: String? = nil) throws -> [EmployerReview] {
        try plainText(employer)
        var list: [EmployerReview]
        do { list = try Review.compute(c, year: year, jurisdiction: jurisdiction, employer: employer) } catch is StoreError {
            throw UseCaseError.notFound
        }
        if let towns = towns(p) {
            let mine = Set(try c.query("SELECT credit_code FROM employer WHERE town_code = ANY (\(towns)::text[])")
                .map { try $0.string("credit_code") })
            list = list.filter { mine.contains($0.creditCode.value) }
            if employer != nil && list.isEmpty { throw UseCaseError.notFound }
        }
        return list
    }

    /// An export's table, limited to the principal's regions; audited.
    static func export(_ c: Connection, _ p: AccountStore.Principal, _ what: ExportStore.What, run: Int64?, year: Int?,
                       format: String) throws -> ExportTable {
        let table: ExportTable
        do { table = try Export.table(c, what, run: run, year: year, towns: towns(p)).table } catch is StoreError {
            throw UseCaseError.notFound
        }
        try Audit.record(c, actor: p.actor, action: "export", subject: what.rawValue,
                         detail: ["format": format, "run": run.map(String.init) ?? "", "year": year.map(String.init) ?? ""])
        return table
    }
}

extension Pages {
    static func reviews(_ list: [EmployerReview], year: Int?, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        var body = """
            <form method="get" action="/reviews"><label for="year">\(esc(WebMessages.year(lang)))</label>
            <input id="year" name="year" inputmode="numeric" value="\(year.map(String.init) ?? "")" size="6">
            <button type="submit">\(esc(WebMessages.show(lang)))</button></form>
            """
        guard let year else {
            return layout(title: WebMessages.reviewsTitle(lang), lang: lang, principal: p, body: body + "<p>\(esc(WebMessages.noReviewYear(lang)))</p>")
        }
        if !p.allRegions { body += "<p>\(esc(WebMessages.scopedReviews(lang)))</p>" }
        body += tableHead([WebMessages.creditCode, WebMessages.employerName, WebMessages.reviewStatus, WebMessages.worksheet].map { $0(lang) },
                          caption: WebMessages.reviewsOfYear(year, lang))
        for r in list {
            let code = r.creditCode.value
            body += "<tr><td>\(esc(code))</td><td>\(esc(r.employerName))</td><td>\(esc(lang == .zh ? r.status.label : r.status.rawValue))</td>"
                + "<td><a href=\"/reviews/\(year)/\(esc(code))\" aria-label=\"\(esc(WebMessages.worksheetOf(r.employerName, lang)))\">\(esc(WebMessages.worksheet(lang)))</a></td></tr>"
        }
        body += "</tbody></table>"
        return layout(title: WebMessages.reviewsTitle(lang), lang: lang, principal: p, body: body)
    }

    static func worksheet(_ r: EmployerReview, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        let body = """
            <p class="noprint"><a href="/reviews?year=\(r.year)">\(esc(WebMessages.backToReviews(lang)))</a>\(esc(WebMessages.printHint(lang)))</p>
            <pre class="worksheet">\(esc(QuotaWorksheet.render(r, unmasked: false)))</pre>
            """
        return layout(title: WebMessages.worksheetTitle(r.employerName, r.year, lang), lang: lang, principal: p, body: body)
    }

    static func exports(year: Int?, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        var body = "<p>\(esc(WebMessages.exportsMasked(lang)))</p>"
        if !p.allRegions { body += "<p>\(esc(WebMessages.exportsScoped(lang)))</p>" }
        body += tableHead([WebMessages.contents(lang), "CSV", "XLSX"], caption: WebMessages.downloadable(lang))
        for what in ExportStore.What.allCases where p.allRegions || what != .indicators {
            let label = WebMessages.exportLabel(what.rawValue, lang)
            let q = what.isPerRun || what == .placements ? "" : "?year=\(year ?? 0)"
            body += "<tr><td>\(esc(label))</td><td><a href=\"/exports/\(what.rawValue).csv\(q)\" aria-label=\"\(esc(label)) CSV\">CSV</a></td>"
                + "<td><a href=\"/exports/\(what.rawValue).xlsx\(q)\" aria-label=\"\(esc(label)) XLSX\">XLSX</a></td></tr>"
        }
        body += "</tbody></table>"
        return layout(title: WebMessages.exportsTitle(lang), lang: lang, principal: p, body: body)
    }
}

extension WebError {
    static let districtOnly = WebError(status: .forbidden, code: "district_only", text: WebMessages.districtOnly)
    static let reviewStoreDistrictOnly = WebError(status: .forbidden, code: "district_only", text: WebMessages.reviewStoreDistrictOnly)
    static let importDistrictOnly = WebError(status: .forbidden, code: "district_only", text: WebMessages.importDistrictOnly)
    static let unsupportedMediaType = WebError(status: .unsupportedMediaType, code: "unsupported_media_type", text: WebMessages.unsupportedMediaType)
    static let badYear = WebError(status: .unprocessableContent, code: "bad_year", text: WebMessages.badYear)
}

extension WebServer {
    /// A `year` parameter: nil when absent, 422 when not a year.
    static func year(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard text.count == 4, let y = Int(text), (1900...2999).contains(y) else { throw WebError.badYear }
        return y
    }

    /// An export's bytes in `format` (csv, xlsx, json) with its content type; the
    /// district-wide indicators are 403 to a scoped account.
    func exportBytes(_ p: AccountStore.Principal, _ what: ExportStore.What, format: String, run: Int64?, year: Int?)
        async throws -> (bytes: [UInt8], type: String) {
        if year == nil, what == .reviews || what == .indicators { throw WebError.badYear }
        do {
            return try await db(p) { c in
                let table = try UseCases.export(c, p, what, run: run, year: year, format: format)
                switch format {
                case "xlsx": return (table.xlsx(sheetName: what.rawValue, headers: .zh, unmasked: false),
                                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                case "json": return (Array(try table.json(unmasked: false).utf8), "application/json; charset=utf-8")
                default: return (table.csv(headers: .zh, unmasked: false), "text/csv; charset=utf-8")
                }
            }
        } catch is DistrictOnly {
            throw WebError.districtOnly
        } catch let e as TransactionError where e.body is DistrictOnly {
            throw WebError.districtOnly
        }
    }

    func addReviewPages(_ router: Router<WebContext>) {
        router.get("reviews") { request, context -> Response in
            let p = try context.require(Self.readers)
            let asked = try Self.year(request.uri.queryParameters.get("year"))
            let j = configuration.jurisdiction
            let (year, list) = try await reviewing(p) { c -> (Int?, [EmployerReview]) in
                guard let y = try asked ?? UseCases.latestReviewYear(c) else { return (nil, []) }
                return (y, try UseCases.reviews(c, p, year: y, jurisdiction: j))
            }
            return Respond.html(Pages.reviews(list, year: year, lang: context.language, principal: p))
        }

        router.get("reviews/:year/:code") { _, context -> Response in
            let p = try context.require(Self.readers)
            guard let year = Int(try context.parameters.require("year")) else { throw WebError.notFound }
            let code = try context.parameters.require("code")
            let j = configuration.jurisdiction
            let r = try await reviewing(p) { c in try UseCases.reviews(c, p, year: year, jurisdiction: j, employer: code)[0] }
            return Respond.html(Pages.worksheet(r, lang: context.language, principal: p))
        }

        router.get("exports") { _, context -> Response in
            let p = try context.require(Self.readers)
            let year = try await db(p) { c in try UseCases.latestReviewYear(c) }
            return Respond.html(Pages.exports(year: year, lang: context.language, principal: p))
        }

        router.get("exports/:file") { request, context -> Response in
            let p = try context.require(Self.readers)
            let file = try context.parameters.require("file")
            let parts = file.split(separator: ".")
            guard parts.count == 2, let what = ExportStore.What(rawValue: String(parts[0])), ["csv", "xlsx"].contains(parts[1]) else {
                throw WebError.notFound
            }
            let year = request.uri.queryParameters["year"].flatMap { Int(String($0)) }
            let out = try await exportBytes(p, what, format: String(parts[1]), run: nil, year: year)
            return Response(status: .ok, headers: [.contentType: out.type, .contentDisposition: "attachment; filename=\"\(file)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
        }
    }
}
