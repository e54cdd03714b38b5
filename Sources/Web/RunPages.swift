import App
import Domain
import Hummingbird
import Matching
import Postgres
import Render
import Store

// /runs and /runs/{id}: request a run, read its proposals with reasons and the
// unmatched with why, confirm one or many.

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

    /// Why a confirmation was refused, each proposal with its reason; nil for another failure.
    static func refusals(_ error: any Error, asked: [Int64]) -> [(proposal: Int64, reason: ConfirmRefusalReason)]? {
        let body = (error as? TransactionError)?.body ?? error
        if let r = body as? Confirm.Refused { return r.refusals.map { ($0.proposalID, $0.reason) } }
        // The region's data for the run's date is gone (`SnapshotStore` finds nothing): it no longer holds.
        if body is StoreError { return asked.map { ($0, .regionGone) } }
        return nil
    }
}

extension Pages {
    static func runs(_ runs: [(id: Int64, region: String, date: String, placed: Int)], requests: [QueuedRequest], regions: [RegionChoice],
                     lang: WebLanguage, principal p: AccountStore.Principal, notice: String?) -> String {
        var body = ""
        if let notice { body += "<p role=\"status\" class=\"notice\">\(esc(notice))</p>" }
        if p.role != .viewer {
            body += """
                <h2>\(esc(WebMessages.requestRun(lang)))</h2>
                <form method="post" action="/runs">\(csrfField(p))
                <label for="region">\(esc(WebMessages.region(lang)))</label>
                <select id="region" name="region">
                """
            for r in regions { body += "<option value=\"\(esc(r.code))\">\(esc(r.name))\(lang.pick("（", " ("))\(esc(r.code))\(lang.pick("）", ")"))</option>" }
            body += """
                </select>
                <label for="date">\(esc(WebMessages.runDateOptional(lang)))</label>
                <input id="date" name="date" type="date">
                <p><button type="submit">\(esc(WebMessages.enqueue(lang)))</button></p></form>
                """
        }
        body += "<h2>\(esc(WebMessages.requests(lang)))</h2>"
        if requests.isEmpty {
            body += "<p>\(esc(WebMessages.noRequests(lang)))</p>"
        } else {
            body += tableHead([WebMessages.requestNo, WebMessages.region, WebMessages.status, WebMessages.runsTitle].map { $0(lang) })
            for r in requests {
                let run = r.runID.map { "<a href=\"/runs/\($0)\">\(esc(WebMessages.runNumber($0, lang)))</a>" } ?? ""
                body += "<tr><td>\(r.id)</td><td>\(esc(r.region))</td><td>\(esc(WebMessages.requestState(r.state, lang)))</td><td>\(run)</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "<h2>\(esc(WebMessages.runsTitle(lang)))</h2>"
        if runs.isEmpty {
            body += "<p>\(esc(WebMessages.noRuns(lang)))</p>"
        } else {
            body += tableHead([WebMessages.run, WebMessages.region, WebMessages.date, WebMessages.placed].map { $0(lang) })
            for r in runs {
                body += "<tr><td><a href=\"/runs/\(r.id)\">\(esc(WebMessages.runNumber(r.id, lang)))</a></td><td>\(esc(r.region))</td><td>\(esc(r.date))</td><td>\(r.placed)</td></tr>"
            }
            body += "</tbody></table>"
        }
        return layout(title: WebMessages.runsTitle(lang), lang: lang, principal: p, body: body)
    }

    static func run(_ r: RunSummary, proposals: [ProposalItem], unmatched: [UnmatchedItem], messages: [(ok: Bool, text: String)],
                    next: Int64? = nil, lang: WebLanguage, principal p: AccountStore.Principal) -> String {
        func dt(_ t: WebText, _ v: String) -> String { "<dt>\(esc(t(lang)))</dt><dd>\(esc(v))</dd>" }
        var body = ""
        for m in messages {
            body += m.ok ? "<p role=\"status\" class=\"notice\">\(esc(m.text))</p>" : "<p role=\"alert\" class=\"error\">\(esc(m.text))</p>"
        }
        body += "<dl>" + dt(WebMessages.region, r.region_code) + dt(WebMessages.runDate, r.run_date) + dt(WebMessages.seekers, "\(r.seekers)")
            + dt(WebMessages.openings, "\(r.openings)") + dt(WebMessages.placed, "\(r.objective_placed)") + "</dl>"
        body += "<h2 id=\"proposals\">\(esc(WebMessages.proposals(lang)))</h2>"
        let canConfirm = p.role != .viewer
        if proposals.isEmpty {
            body += "<p>\(esc(WebMessages.noProposals(lang)))</p>"
        } else {
            if canConfirm {
                body += "<form method=\"post\" action=\"/runs/\(r.run_id)/confirm\">\(csrfField(p))<fieldset><legend>\(esc(WebMessages.chooseToConfirm(lang)))</legend>"
            }
            let columns: [WebText] = (canConfirm ? [WebMessages.choose] : []) + [WebMessages.proposalNo, WebMessages.certificateNo,
                                                                                  WebMessages.opening, WebMessages.score, WebMessages.reasons, WebMessages.status]
            body += tableHead(columns.map { $0(lang) }, caption: WebMessages.proposalsAndReasons(lang))
            // Appended piece by piece into one buffer: a page has 100 rows of these.
            body.reserveCapacity(body.utf8.count + proposals.count * 640 + unmatched.count * 200)
            let confirmedText = esc(WebMessages.confirmed(lang)), pendingText = esc(WebMessages.pending(lang))
            for item in proposals {
                body += "<tr>"
                if canConfirm {
                    if item.confirmed {
                        body += "<td></td>"
                    } else {
                        body += "<td><input type=\"checkbox\" id=\"p\(item.proposal_id)\" name=\"proposal\" value=\"\(item.proposal_id)\" aria-label=\""
                        body.appendEscaped(WebMessages.chooseProposal(item.proposal_id, lang))
                        body += "\"></td>"
                    }
                }
                body += "<td>\(item.proposal_id)</td><td>"
                appendSeekerLink(&body, seeker: item.seeker_id, certificate: item.certificate_no)
                body += "</td><td>"
                body.appendEscaped(item.opening_id)
                body += "</td><td>\(item.score)</td><td><ul>"
                for reason in item.reasons where !reason.code.hasPrefix("score_") {
                    body += "<li>"
                    body.appendEscaped(reason.text)
                    body += "</li>"
                }
                body += "</ul></td><td>"
                body += item.confirmed ? confirmedText : pendingText
                body += "</td></tr>"
            }
            body += "</tbody></table>"
            if canConfirm { body += "</fieldset><p><button type=\"submit\">\(esc(WebMessages.confirmChosen(lang)))</button></p></form>" }
        }
        if let next { body += "<p><a href=\"/runs/\(r.run_id)?after=\(next)#proposals\">\(esc(WebMessages.nextProposals(lang)))</a></p>" }
        body += "<h2 id=\"unmatched\">\(esc(WebMessages.unmatchedTitle(lang)))</h2>"
        if unmatched.count >= WebServer.pageSize {
            let t = WebMessages.onlyFirstUnmatched(WebServer.pageSize, lang)
            body += "<p>\(esc(t.before))<a href=\"/exports\">\(esc(t.link))</a>\(esc(t.after))</p>"
        }
        if !unmatched.isEmpty {
            body += tableHead([WebMessages.certificateNo(lang), WebMessages.reason(lang)], caption: WebMessages.unmatchedCaption(lang))
            var reasons: [String: String] = [:]  // a handful of codes for 100 rows
            for u in unmatched {
                body += "<tr><td>"
                appendSeekerLink(&body, seeker: u.seeker_id, certificate: u.certificate_no)
                body += "</td><td>"
                if let worded = reasons[u.reason] {
                    body += worded
                } else {
                    let worded = esc(WebMessages.unmatchedReason(u.reason, lang))
                    reasons[u.reason] = worded
                    body += worded
                }
                body += "</td></tr>"
            }
            body += "</tbody></table>"
        }
        return layout(title: WebMessages.runTitle(r.run_id, lang), lang: lang, principal: p, body: body)
    }

    /// The masked certificate number, linked to the seeker's page when the seeker is still on file.
    private static func appendSeekerLink(_ body: inout String, seeker: String?, certificate: String) {
        guard let seeker else { return body.appendEscaped(certificate) }
        body += "<a href=\"/seekers/"
        body.appendEscaped(seeker)
        body += "\">"
        body.appendEscaped(certificate)
        body += "</a>"
    }
}

extension WebServer {
    /// Rows per page of a run's proposals (and the first unmatched shown).
    static let pageSize = 100

    func addRunPages(_ router: Router<WebContext>) {
        router.get("runs") { request, context -> Response in
            let p = try context.require(Self.readers)
            let lang = context.language
            let queued = request.uri.queryParameters["queued"].map { WebMessages.queued(String($0), lang) }
            let (o, reqs, regions) = try await db(p) { c in (try UseCases.overview(c, p), try UseCases.requests(c, p), try UseCases.regions(c, p)) }
            return Respond.html(Pages.runs(o.recentRuns, requests: reqs, regions: regions, lang: lang, principal: p, notice: queued))
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
            let (r, page, un) = try await db(p) { c in try UseCases.runPage(c, p, id: id, limit: Self.pageSize, after: after) }
            return Respond.html(Pages.run(r, proposals: page.items, unmatched: un, messages: [], next: page.next, lang: context.language, principal: p))
        }

        router.post("runs/:id/confirm") { request, context -> Response in
            let p = try context.require(Self.writers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let chosen = formValues(try await body(request), "proposal").compactMap { Int64($0) }
            let jurisdiction = configuration.jurisdiction
            let lang = context.language
            var messages: [(ok: Bool, text: String)] = []
            if chosen.isEmpty { messages.append((false, WebMessages.chooseFirst(lang))) }
            // Each in its own transaction: one that no longer holds does not stop the others.
            for pid in chosen {
                do {
                    _ = try await db(p) { c in try UseCases.confirm(c, p, proposals: [pid], jurisdiction: jurisdiction) }
                    messages.append((true, WebMessages.confirmedOne(pid, lang)))
                } catch {
                    guard let refused = UseCases.refusals(error, asked: [pid]) else { throw error }
                    messages += refused.map { (false, ConfirmMessages.refusal(proposal: $0.proposal, $0.reason, lang)) }
                }
            }
            let (r, page, un) = try await db(p) { c in try UseCases.runPage(c, p, id: id, limit: Self.pageSize, after: nil) }
            let failed = messages.contains { !$0.ok }
            return Respond.html(Pages.run(r, proposals: page.items, unmatched: un, messages: messages, next: page.next, lang: lang, principal: p),
                                status: failed ? .conflict : .ok)
        }
    }
}
