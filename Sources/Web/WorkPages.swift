import App
import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Intake
import Postgres
import Quota
import Render
import Sheets
import Store

// The front desk's working pages (issue 14, second part): imports, runs with
// proposals and confirmation, reviews with worksheets, the policy book, exports.
// Every value goes through `esc`; the words are Chinese (the staff's language).

/// An uploaded file's bytes, for `Workbook`.
struct UploadedBytes: ByteSource {
    let bytes: [UInt8]
    var size: Int { bytes.count }
    func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset < bytes.count else { return [] }
        return Array(bytes[offset..<min(bytes.count, offset + count)])
    }
}

/// A `multipart/form-data` body: text fields and one file per name.
struct Multipart: Sendable {
    var fields: [String: String] = [:]
    var files: [String: (name: String, bytes: [UInt8])] = [:]

    init?(_ buffer: ByteBuffer, contentType: String?) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let range = contentType.range(of: "boundary=") else { return nil }
        var boundary = String(contentType[range.upperBound...])
        if let semi = boundary.firstIndex(of: ";") { boundary = String(boundary[..<semi]) }
        boundary = boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let body = Array(buffer.readableBytesView)
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var positions: [Int] = []
        var i = 0
        while i + delimiter.count <= body.count {
            if body[i] == delimiter[0] && Array(body[i..<(i + delimiter.count)]) == delimiter {
                positions.append(i)
                i += delimiter.count
            } else {
                i += 1
            }
        }
        guard positions.count >= 2 else { return nil }
        for k in 0..<(positions.count - 1) {
            var start = positions[k] + delimiter.count
            var end = positions[k + 1]
            if start + 1 < end, body[start] == 13, body[start + 1] == 10 { start += 2 }
            if end - 2 >= start, body[end - 2] == 13, body[end - 1] == 10 { end -= 2 }
            parts.append(body[start..<end])
        }
        for part in parts {
            let sep: [UInt8] = [13, 10, 13, 10]
            var h = part.startIndex
            var headerEnd: Int?
            while h + 4 <= part.endIndex {
                if Array(part[h..<(h + 4)]) == sep { headerEnd = h; break }
                h += 1
            }
            guard let headerEnd else { continue }
            let headers = String(decoding: part[part.startIndex..<headerEnd], as: UTF8.self)
            let content = Array(part[(headerEnd + 4)...])
            guard let dispo = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition") }) else { continue }
            func attribute(_ key: String) -> String? {
                guard let r = dispo.range(of: "\(key)=\"") else { return nil }
                let rest = dispo[r.upperBound...]
                guard let q = rest.firstIndex(of: "\"") else { return nil }
                return String(rest[..<q])
            }
            guard let name = attribute("name") else { continue }
            if let file = attribute("filename") {
                files[name] = (file, content)
            } else {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
    }
}

/// Every value of `key` in a form body (check boxes repeat their name).
func formValues(_ buffer: ByteBuffer, _ key: String) -> [String] {
    String(buffer: buffer).split(separator: "&").compactMap { pair in
        let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard kv.count == 2, kv[0] == Substring(key) else { return nil }
        return String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

enum WorkTexts {
    static let kinds: [(ImportKind, String)] = [
        (.regions, "区域（regions）"), (.households, "家庭（households）"), (.seekers, "求职者（seekers）"),
        (.trainings, "培训（trainings）"), (.employers, "用人单位（employers）"), (.openings, "岗位（openings）"),
        (.employerYears, "单位年度数据（employer-years）"), (.rosters, "在职残疾职工名册（rosters）"), (.placements, "安置记录（placements）"),
    ]
    static func unmatchedReason(_ code: String) -> String {
        switch code {
        case "outcompeted": "符合条件的岗位已由他人取得"
        case "no_eligible_opening", "no_eligible": "没有符合条件的岗位"
        default: "未获推荐（\(code)）"
        }
    }
    static let exports: [(ExportStore.What, String)] = [
        (.proposals, "推荐名单（最近一次匹配）"), (.candidates, "候选名单（最近一次匹配）"), (.unmatched, "未匹配名单（最近一次匹配）"),
        (.placements, "安置记录"), (.reviews, "按比例审核结果（所选年度）"), (.indicators, "规划指标（所选年度）"),
    ]
}

struct RegionChoice: Sendable { var code: String; var name: String }
struct QueuedRequest: Sendable { var id: Int64; var region: String; var state: String; var runID: Int64? }

extension UseCases {
    static func regions(_ c: Connection, _ p: AccountStore.Principal) throws -> [RegionChoice] {
        let s = scoped(p)
        return try c.query("""
            SELECT code, name FROM region WHERE (\(s.all) OR code = ANY (\(s.scope)::text[])) ORDER BY (parent_code IS NOT NULL), code
            """).map { RegionChoice(code: try $0.string("code"), name: try $0.string("name")) }
    }

    static func requests(_ c: Connection, _ p: AccountStore.Principal) throws -> [QueuedRequest] {
        let s = scoped(p)
        return try c.query("""
            SELECT request_id, region_code, state, run_id FROM match_request
            WHERE (\(s.all) OR region_code = ANY (\(s.scope)::text[])) ORDER BY request_id DESC LIMIT 10
            """).map { QueuedRequest(id: try $0.int64("request_id"), region: try $0.string("region_code"),
                                     state: try $0.string("state"), runID: try $0.optionalInt64("run_id")) }
    }

    /// The Chinese explanation of the seeker's latest run (identities masked).
    static func explanation(_ c: Connection, _ p: AccountStore.Principal, id: String) throws -> String {
        try plainID(id)
        let s = scoped(p)
        guard let row = try c.query("""
            SELECT certificate_no FROM seeker WHERE seeker_id = \(id) AND (\(s.all) OR town_code = ANY (\(s.scope)::text[]))
            """).first else { throw UseCaseError.notFound }
        return try Explain.seeker(c, certificate: try row.string("certificate_no"), runID: nil).chinese(unmasked: false)
    }

    static func latestReviewYear(_ c: Connection) throws -> Int? {
        try c.query("SELECT max(year) AS y FROM employer_year")[0].optionalInt("y")
    }
}

extension Pages {
    static func csrfField(_ p: AccountStore.Principal) -> String {
        "<input type=\"hidden\" name=\"csrf_token\" value=\"\(esc(p.csrfToken ?? ""))\">"
    }

    static func runs(_ runs: [(id: Int64, region: String, date: String, placed: Int)], requests: [QueuedRequest], regions: [RegionChoice],
                     lang: WebLanguage, principal p: AccountStore.Principal, notice: String?) -> String {
        var body = ""
        if let notice { body += "<p role=\"status\" class=\"notice\">\(esc(notice))</p>" }
        if p.role != .viewer {
            body += """
                <h2>发起匹配</h2>
                <form method="post" action="/runs">\(csrfField(p))
                <label for="region">区域</label>
                <select id="region" name="region">
                """
            for r in regions { body += "<option value=\"\(esc(r.code))\">\(esc(r.name))（\(esc(r.code))）</option>" }
            body += """
                </select>
                <label for="date">运行日期（可空，默认今天）</label>
                <input id="date" name="date" type="date">
                <p><button type="submit">加入匹配队列</button></p></form>
                """
        }
        body += "<h2>匹配请求</h2>"
        if requests.isEmpty {
            body += "<p>暂无请求。</p>"
        } else {
            body += "<table><thead><tr><th scope=\"col\">请求编号</th><th scope=\"col\">区域</th><th scope=\"col\">状态</th><th scope=\"col\">匹配运行</th></tr></thead><tbody>"
            for r in requests {
                let state = ["queued": "排队中", "running": "运行中", "done": "已完成", "failed": "失败"][r.state] ?? r.state
                let run = r.runID.map { "<a href=\"/runs/\($0)\">第 \($0) 次</a>" } ?? ""
                body += "<tr><td>\(r.id)</td><td>\(esc(r.region))</td><td>\(esc(state))</td><td>\(run)</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "<h2>匹配运行</h2>"
        if runs.isEmpty {
            body += "<p>\(esc(WebMessages.noRuns(lang)))</p>"
        } else {
            body += "<table><thead><tr><th scope=\"col\">运行</th><th scope=\"col\">区域</th><th scope=\"col\">日期</th><th scope=\"col\">安置人数</th></tr></thead><tbody>"
            for r in runs {
                body += "<tr><td><a href=\"/runs/\(r.id)\">第 \(r.id) 次</a></td><td>\(esc(r.region))</td><td>\(esc(r.date))</td><td>\(r.placed)</td></tr>"
            }
            body += "</tbody></table>"
        }
        return layout(title: "匹配运行", lang: lang, principal: p, body: body)
    }

    static func run(_ r: RunSummary, proposals: [ProposalItem], unmatched: [UnmatchedItem], messages: [(ok: Bool, text: String)],
                    next: Int64? = nil, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        var body = ""
        for m in messages {
            body += m.ok ? "<p role=\"status\" class=\"notice\">\(esc(m.text))</p>" : "<p role=\"alert\" class=\"error\">\(esc(m.text))</p>"
        }
        body += """
            <dl><dt>区域</dt><dd>\(esc(r.region_code))</dd><dt>运行日期</dt><dd>\(esc(r.run_date))</dd>
            <dt>求职者</dt><dd>\(r.seekers)</dd><dt>岗位</dt><dd>\(r.openings)</dd><dt>安置人数</dt><dd>\(r.objective_placed)</dd></dl>
            <h2 id="proposals">推荐</h2>
            """
        let canConfirm = p.role != .viewer
        if proposals.isEmpty {
            body += "<p>本次匹配没有推荐。</p>"
        } else {
            if canConfirm { body += "<form method=\"post\" action=\"/runs/\(r.run_id)/confirm\">\(csrfField(p))<fieldset><legend>选择要确认的推荐</legend>" }
            body += "<table><caption>推荐与理由</caption><thead><tr>"
            if canConfirm { body += "<th scope=\"col\">选择</th>" }
            body += "<th scope=\"col\">推荐编号</th><th scope=\"col\">残疾人证号</th><th scope=\"col\">岗位</th><th scope=\"col\">匹配分</th><th scope=\"col\">理由</th><th scope=\"col\">状态</th></tr></thead><tbody>"
            for item in proposals {
                body += "<tr>"
                if canConfirm {
                    body += item.confirmed ? "<td></td>" : "<td><input type=\"checkbox\" id=\"p\(item.proposal_id)\" name=\"proposal\" value=\"\(item.proposal_id)\" aria-label=\"选择推荐 \(item.proposal_id)\"></td>"
                }
                let who = item.seeker_id.map { "<a href=\"/seekers/\(esc($0))\">\(esc(item.certificate_no))</a>" } ?? esc(item.certificate_no)
                let reasons = item.reasons.filter { !$0.code.hasPrefix("score_") }.map { "<li>\(esc($0.text))</li>" }.joined()
                body += "<td>\(item.proposal_id)</td><td>\(who)</td><td>\(esc(item.opening_id))</td><td>\(item.score)</td><td><ul>\(reasons)</ul></td>"
                body += "<td>\(item.confirmed ? "已确认" : "待确认")</td></tr>"
            }
            body += "</tbody></table>"
            if canConfirm { body += "</fieldset><p><button type=\"submit\">确认所选推荐</button></p></form>" }
        }
        if let next { body += "<p><a href=\"/runs/\(r.run_id)?after=\(next)#proposals\">下一页推荐</a></p>" }
        body += "<h2 id=\"unmatched\">未获推荐</h2>"
        if unmatched.count >= WebServer.pageSize { body += "<p>只列出前 \(WebServer.pageSize) 人；完整名单见 <a href=\"/exports\">导出</a>。</p>" }
        if !unmatched.isEmpty {
            body += "<table><caption>未获推荐的原因</caption><thead><tr><th scope=\"col\">残疾人证号</th><th scope=\"col\">原因</th></tr></thead><tbody>"
            for u in unmatched {
                let who = u.seeker_id.map { "<a href=\"/seekers/\(esc($0))\">\(esc(u.certificate_no))</a>" } ?? esc(u.certificate_no)
                body += "<tr><td>\(who)</td><td>\(esc(WorkTexts.unmatchedReason(u.reason)))</td></tr>"
            }
            body += "</tbody></table>"
        }
        return layout(title: "第 \(r.run_id) 次匹配", lang: lang, principal: p, body: body)
    }

    static func imports(lang: WebLanguage, principal p: AccountStore.Principal, result: String?, errors: [String], rejectsCSV: [UInt8]?) -> String {
        var body = ""
        let refused = !errors.isEmpty && rejectsCSV == nil
        if let result { body += "<p role=\"\(refused ? "alert" : "status")\" class=\"\(refused ? "error" : "notice")\" id=\"import-result\">\(esc(result))</p>" }
        if !errors.isEmpty {
            body += "<h2 id=\"row-errors\">错误（\(errors.count)）</h2><ul class=\"errors\">"
            for e in errors { body += "<li>\(esc(e))</li>" }
            body += "</ul>"
        }
        if let rejectsCSV {
            body += "<p><a download=\"rejects.csv\" href=\"data:text/csv;base64,\(Data(rejectsCSV).base64EncodedString())\">下载未导入的行（rejects.csv）</a></p>"
        }
        if p.role != .viewer {
            body += """
                <h2>上传文件</h2>
                <form method="post" action="/imports?csrf_token=\(esc(p.csrfToken ?? ""))" enctype="multipart/form-data">
                <label for="kind">数据类型</label>
                <select id="kind" name="kind">
                """
            for (k, label) in WorkTexts.kinds { body += "<option value=\"\(k.rawValue)\">\(esc(label))</option>" }
            body += """
                </select>
                <label for="file">CSV 或 XLSX 文件</label>
                <input id="file" name="file" type="file" accept=".csv,.xlsx" required>
                <p><input type="checkbox" id="partial" name="partial" value="1"> <label class="plain" for="partial">只导入无误的行（有错的行可下载）；不选则有任何错误都不导入</label></p>
                <p><button type="submit">导入</button></p></form>
                """
        } else {
            body += "<p>只读账户不能导入。</p>"
        }
        return layout(title: "导入数据", lang: lang, principal: p, body: body)
    }

    static func policy(_ items: [PolicyItem], date: String, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        var body = "<p>\(esc(date)) 有效的政策参数。</p>"
        body += "<table><caption>政策参数</caption><thead><tr><th scope=\"col\">参数</th><th scope=\"col\">值</th><th scope=\"col\">适用地区</th><th scope=\"col\">生效日期</th><th scope=\"col\">失效日期</th><th scope=\"col\">依据</th></tr></thead><tbody>"
        for i in items {
            body += "<tr><td>\(esc(i.key))</td><td>\(esc(i.value))</td><td>\(esc(i.jurisdiction))</td><td>\(esc(i.valid_from))</td><td>\(esc(i.valid_to ?? ""))</td><td>\(esc(i.source))</td></tr>"
        }
        body += "</tbody></table>"
        return layout(title: "政策参数", lang: lang, principal: p, body: body)
    }

    static func reviews(_ list: [EmployerReview], year: Int?, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        var body = """
            <form method="get" action="/reviews"><label for="year">年度</label>
            <input id="year" name="year" inputmode="numeric" value="\(year.map(String.init) ?? "")" size="6">
            <button type="submit">查看</button></form>
            """
        guard let year else {
            return layout(title: "按比例就业审核", lang: lang, principal: p, body: body + "<p>尚无单位年度数据。</p>")
        }
        body += "<table><caption>\(year) 年度审核</caption><thead><tr><th scope=\"col\">统一社会信用代码</th><th scope=\"col\">单位名称</th><th scope=\"col\">审核状态</th><th scope=\"col\">工作底稿</th></tr></thead><tbody>"
        for r in list {
            let code = r.creditCode.value
            body += "<tr><td>\(esc(code))</td><td>\(esc(r.employerName))</td><td>\(esc(r.status.rawValue))</td>"
                + "<td><a href=\"/reviews/\(year)/\(esc(code))\" aria-label=\"\(esc(r.employerName)) 的工作底稿\">工作底稿</a></td></tr>"
        }
        body += "</tbody></table>"
        return layout(title: "按比例就业审核", lang: lang, principal: p, body: body)
    }

    static func worksheet(_ r: EmployerReview, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        let body = """
            <p class="noprint"><a href="/reviews?year=\(r.year)">返回审核列表</a>（用浏览器的“打印”可打印本页）</p>
            <pre class="worksheet">\(esc(QuotaWorksheet.render(r, unmasked: false)))</pre>
            """
        return layout(title: "\(r.employerName) \(r.year) 年度审核工作底稿", lang: lang, principal: p, body: body)
    }

    static func exports(year: Int?, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        var body = "<p>下载的文件中个人身份信息已遮蔽。</p><table><caption>可下载的表</caption><thead><tr><th scope=\"col\">内容</th><th scope=\"col\">CSV</th><th scope=\"col\">XLSX</th></tr></thead><tbody>"
        for (what, label) in WorkTexts.exports {
            let q = what.isPerRun || what == .placements ? "" : "?year=\(year ?? 0)"
            body += "<tr><td>\(esc(label))</td><td><a href=\"/exports/\(what.rawValue).csv\(q)\" aria-label=\"\(esc(label)) CSV\">CSV</a></td>"
                + "<td><a href=\"/exports/\(what.rawValue).xlsx\(q)\" aria-label=\"\(esc(label)) XLSX\">XLSX</a></td></tr>"
        }
        body += "</tbody></table>"
        return layout(title: "导出", lang: lang, principal: p, body: body)
    }
}

extension WebServer {
    func addWorkPages(_ router: Router<WebContext>) {
        router.get("runs") { request, context -> Response in
            let p = try context.require(Self.readers)
            let queued = request.uri.queryParameters["queued"].map { "已加入匹配队列，请求编号 \($0)。后台处理完成后刷新本页即可看到结果。" }
            let (o, reqs, regions) = try await db(p) { c in (try UseCases.overview(c, p), try UseCases.requests(c, p), try UseCases.regions(c, p)) }
            return Respond.html(Pages.runs(o.recentRuns, requests: reqs, regions: regions, lang: context.language, principal: p, notice: queued))
        }

        router.post("runs") { request, context -> Response in
            let p = try context.require(Self.writers)
            let form = Form(try await body(request))
            let date = form["date"].flatMap { $0.isEmpty ? nil : $0 }
            let region = form["region"] ?? ""
            let id = try await db(p) { c in try UseCases.enqueueRun(c, p, region: region, date: date) }
            return Respond.redirect("/runs?queued=\(id)")
        }

        router.get("runs/:id") { request, context -> Response in
            let p = try context.require(Self.readers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let after = request.uri.queryParameters["after"].flatMap { Int64(String($0)) }
            let (r, page, un) = try await db(p) { c in
                (try UseCases.run(c, p, id: id), try UseCases.proposals(c, p, run: id, limit: Self.pageSize, after: after),
                 try UseCases.unmatched(c, p, run: id, limit: Self.pageSize))
            }
            return Respond.html(Pages.run(r, proposals: page.items, unmatched: un, messages: [], next: page.next, lang: context.language, principal: p))
        }

        router.post("runs/:id/confirm") { request, context -> Response in
            let p = try context.require(Self.writers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let chosen = formValues(try await body(request), "proposal").compactMap { Int64($0) }
            let jurisdiction = configuration.jurisdiction
            var messages: [(ok: Bool, text: String)] = []
            if chosen.isEmpty { messages.append((false, "请先选择要确认的推荐。")) }
            for pid in chosen {
                do {
                    _ = try await db(p) { c in try UseCases.confirm(c, p, proposal: pid, jurisdiction: jurisdiction) }
                    messages.append((true, "推荐 \(pid) 已确认安置。"))
                } catch let e as Confirm.Refused {
                    messages.append((false, "推荐 \(pid) 未确认：\(WebError.refusals(e, .zh))"))
                } catch let e as TransactionError {
                    messages.append((false, "推荐 \(pid) 未确认：\((e.body as? Confirm.Refused).map { WebError.refusals($0, .zh) } ?? String(describing: e.body))"))
                } catch let e as StoreError {
                    let why: String = if case .notFound(let what) = e { Messages.notFound(what, .zh) } else { e.description }
                    messages.append((false, "推荐 \(pid) 未确认：\(why)"))
                }
            }
            let (r, page, un) = try await db(p) { c in
                (try UseCases.run(c, p, id: id), try UseCases.proposals(c, p, run: id, limit: Self.pageSize, after: nil),
                 try UseCases.unmatched(c, p, run: id, limit: Self.pageSize))
            }
            let props = page.items
            let failed = messages.contains { !$0.ok }
            return Respond.html(Pages.run(r, proposals: props, unmatched: un, messages: messages, next: page.next, lang: context.language, principal: p),
                                status: failed ? .conflict : .ok)
        }

        router.get("imports") { _, context -> Response in
            let p = try context.require(Self.readers)
            return Respond.html(Pages.imports(lang: context.language, principal: p, result: nil, errors: [], rejectsCSV: nil))
        }

        router.post("imports") { request, context -> Response in
            let p = try context.require(Self.writers)
            let contentType = request.headers[.contentType]
            guard let form = Multipart(try await body(request), contentType: contentType),
                  let kind = form.fields["kind"].flatMap(ImportKind.init(rawValue:)),
                  let file = form.files["file"], !file.bytes.isEmpty else { throw WebError.badRequest }
            let partial = form.fields["partial"] != nil
            let lang = context.language
            let outcome: ImportPageResult = try await db(p) { c in try Self.importFile(c, p, kind: kind, file: file, partial: partial) }
            return Respond.html(Pages.imports(lang: lang, principal: p, result: outcome.summary, errors: outcome.errors, rejectsCSV: outcome.rejects),
                                status: outcome.refused ? .unprocessableContent : .ok)
        }

        router.get("policy") { _, context -> Response in
            let p = try context.require(Self.readers)
            let j = configuration.jurisdiction
            let today = UseCases.today()
            let items = try await db(p) { c in try UseCases.policy(c, jurisdiction: j, date: today) }
            return Respond.html(Pages.policy(items, date: today.description, lang: context.language, principal: p))
        }

        router.get("reviews") { request, context -> Response in
            let p = try context.require(Self.readers)
            guard p.allRegions else { throw WebError.forbidden }
            let asked = request.uri.queryParameters["year"].flatMap { Int(String($0)) }
            let j = configuration.jurisdiction
            let (year, list) = try await db(p) { c -> (Int?, [EmployerReview]) in
                guard let y = try asked ?? UseCases.latestReviewYear(c) else { return (nil, []) }
                return (y, try Review.compute(c, year: y, jurisdiction: j))
            }
            return Respond.html(Pages.reviews(list, year: year, lang: context.language, principal: p))
        }

        router.get("reviews/:year/:code") { _, context -> Response in
            let p = try context.require(Self.readers)
            guard p.allRegions else { throw WebError.forbidden }
            guard let year = Int(try context.parameters.require("year")) else { throw WebError.notFound }
            let code = try context.parameters.require("code")
            let j = configuration.jurisdiction
            let r = try await db(p) { c -> EmployerReview in
                do { return try Review.compute(c, year: year, jurisdiction: j, employer: code)[0] } catch is StoreError { throw UseCaseError.notFound }
            }
            return Respond.html(Pages.worksheet(r, lang: context.language, principal: p))
        }

        router.get("exports") { _, context -> Response in
            let p = try context.require(Self.readers)
            guard p.allRegions else { throw WebError.forbidden }
            let year = try await db(p) { c in try UseCases.latestReviewYear(c) }
            return Respond.html(Pages.exports(year: year, lang: context.language, principal: p))
        }

        router.get("exports/:file") { request, context -> Response in
            let p = try context.require(Self.readers)
            guard p.allRegions else { throw WebError.forbidden }
            let file = try context.parameters.require("file")
            let parts = file.split(separator: ".")
            guard parts.count == 2, let what = ExportStore.What(rawValue: String(parts[0])), ["csv", "xlsx"].contains(parts[1]) else {
                throw WebError.notFound
            }
            let xlsx = parts[1] == "xlsx"
            let year = request.uri.queryParameters["year"].flatMap { Int(String($0)) }
            let bytes = try await db(p) { c -> [UInt8] in
                let table: ExportTable
                do { table = try Export.table(c, what, run: nil, year: year).table } catch is StoreError { throw UseCaseError.notFound }
                try Audit.record(c, actor: p.actor, action: "export", subject: what.rawValue, detail: ["format": xlsx ? "xlsx" : "csv"])
                return xlsx ? try table.xlsx(sheetName: what.rawValue, headers: .zh, unmasked: false) : table.csv(headers: .zh, unmasked: false)
            }
            let type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
            return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(file)\""],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    /// Rows per page of a run's proposals (and the first unmatched shown).
    static let pageSize = 100

    struct ImportPageResult: Sendable {
        var summary: String
        var errors: [String]
        var rejects: [UInt8]?
        var refused: Bool
    }

    /// One uploaded file through App's import use case.
    static func importFile(_ c: Connection, _ p: AccountStore.Principal, kind: ImportKind, file: (name: String, bytes: [UInt8]),
                           partial: Bool) throws -> ImportPageResult {
        let name = (file.name as NSString).lastPathComponent
        let format = FileFormat.sniff(Array(file.bytes.prefix(512)))
        if let refusal = SheetMessages.refusal(format, .zh) {
            return ImportPageResult(summary: "\(name)：未导入任何数据。", errors: [refusal], rejects: nil, refused: true)
        }
        var records: ((_ each: (CSVRecord) throws -> Void) throws -> Void)?
        if format == .zip {
            do {
                let wb = try Workbook(UploadedBytes(bytes: file.bytes), fileName: name)
                records = { each in try wb.rows(sheet: nil) { try each(CSVRecord(fields: $0.cells, row: $0.row, numericCells: $0.numeric)) } }
            } catch let e as SheetError {
                return ImportPageResult(summary: "\(name)：未导入任何数据。", errors: [SheetMessages.problem(e, .zh)], rejects: nil, refused: true)
            }
        }
        var given = false
        var rejectRows: [String] = []
        var rejectErrors: [String] = []
        do {
            let o = try ImportService.run(c, kind: kind, fileName: name, partial: partial, today: UseCases.today(), actor: p.actor,
                                          chunks: { if given { return nil }; given = true; return file.bytes },
                                          records: records,
                                          rejects: { header, raw, errors in
                                              if rejectRows.isEmpty { rejectRows.append(CSVWriter.line(header.names + ["错误原因"])) }
                                              rejectRows.append(CSVWriter.line(raw.fields + [errors.map(\.reason).joined(separator: "；")]))
                                              rejectErrors += errors.map { ImportMessages.line($0, .zh) }
                                          })
            let summary = "\(name)：已导入 \(o.accepted) 行（新增 \(o.inserted)，更新 \(o.updated)，未变 \(o.unchanged)）" + (o.rejected > 0 ? "，未导入 \(o.rejected) 行。" : "。")
            return ImportPageResult(summary: summary, errors: rejectErrors,
                                    rejects: rejectRows.isEmpty ? nil : CSVWriter.bom + Array(rejectRows.joined().utf8), refused: false)
        } catch let e as ImportRejected {
            return ImportPageResult(summary: "\(name)：有 \(e.rejectedRows) 行有错误，未导入任何数据。", errors: e.errors.map { ImportMessages.line($0, .zh) },
                                    rejects: nil, refused: true)
        } catch let e as TransactionError where e.body is ImportRejected {
            let r = e.body as! ImportRejected
            return ImportPageResult(summary: "\(name)：有 \(r.rejectedRows) 行有错误，未导入任何数据。", errors: r.errors.map { ImportMessages.line($0, .zh) },
                                    rejects: nil, refused: true)
        } catch let e as FileError {
            return ImportPageResult(summary: "\(name)：未导入任何数据。", errors: ImportMessages.lines(e, .zh), rejects: nil, refused: true)
        }
    }
}
