import Foundation
import HTTPTypes
import Hummingbird
import Render
import Store

/// The language of a request (Render's, chosen by `Accept-Language`).
public typealias WebLanguage = Render.Language

/// HTML escaping: every value a page shows goes through `esc`. The five characters
/// escaped are ASCII, so the work is on UTF-8 bytes, and a value without any of them
/// (most: codes, numbers, Chinese text) is returned as it is.
func esc(_ s: String) -> String {
    func special(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
    }
    guard s.utf8.contains(where: special) else { return s }
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count + 16)
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
        case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
        case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
        default: out.append(b)
        }
    }
    return String(decoding: out, as: UTF8.self)
}

extension String {
    /// Appends `s` escaped as `esc` does, without a copy when there is nothing to escape.
    mutating func appendEscaped(_ s: String) {
        append(esc(s))
    }
}

/// Opens a table: its caption (words, escaped here) and one `<th scope="col">` per
/// column, each an escaped word or already escaped text; rows and `</tbody></table>`
/// are the caller's. Every table of the pages starts here.
func tableHead(_ columns: [String], caption: String? = nil) -> String {
    var out = "<table>"
    if let caption { out += "<caption>\(esc(caption))</caption>" }
    out += "<thead><tr>"
    for c in columns { out += "<th scope=\"col\">\(esc(c))</th>" }
    return out + "</tr></thead><tbody>"
}

/// Server-rendered pages for staff (Simplified Chinese by default): no script,
/// no outside resource, one stylesheet from this server.
enum Pages {
    static let stylesheet = """
        :root { color: #1a1a1a; background: #ffffff; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; line-height: 1.6; }
        body { margin: 0; }
        .skip { position: absolute; left: -9999px; }
        .skip:focus { left: 1rem; top: 1rem; background: #ffffff; padding: .5rem; z-index: 10; }
        header { background: #0b3d6e; color: #ffffff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
        header a, header button { color: #ffffff; }
        nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
        main { padding: 1rem; max-width: 60rem; }
        a { color: #0645ad; }
        a:focus, button:focus, input:focus, select:focus { outline: 3px solid #d35400; outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #767676; padding: .25rem .5rem; text-align: left; }
        label { display: block; margin-top: .5rem; font-weight: bold; }
        input { font-size: 1rem; padding: .25rem; }
        button { font-size: 1rem; padding: .25rem .75rem; background: #0b3d6e; color: #ffffff; border: 2px solid #0b3d6e; cursor: pointer; }
        header button { background: transparent; border-color: #ffffff; }
        .error { color: #a4000f; font-weight: bold; }
        .inline { display: inline; }
        .inline button { background: #ffffff; color: #0b3d6e; padding: 0 .5rem; }
        .notice { color: #0b5d1e; font-weight: bold; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        label.plain { display: inline; font-weight: normal; }
        select { font-size: 1rem; padding: .25rem; }
        pre.worksheet { white-space: pre-wrap; font-family: inherit; }
        td ul { margin: 0; padding-left: 1.2rem; }
        @media print { header, .skip, .noprint { display: none; } main { max-width: none; } }
        """

    static func layout(title: String, lang: WebLanguage, principal: AccountStore.Principal?, body: String) -> String {
        let htmlLang = lang == .en ? "en" : "zh-CN"
        var nav = ""
        if let p = principal {
            nav = """
                <nav aria-label="\(esc(WebMessages.navigation(lang)))"><ul>
                <li><a href="/">\(esc(WebMessages.overviewTitle(lang)))</a></li>
                <li><a href="/seekers">\(esc(WebMessages.seekersTitle(lang)))</a></li>
                <li><a href="/imports">\(esc(WebMessages.navImports(lang)))</a></li>
                <li><a href="/runs">\(esc(WebMessages.navRuns(lang)))</a></li>
                <li><a href="/reviews">\(esc(WebMessages.navReviews(lang)))</a></li>
                <li><a href="/policy">\(esc(WebMessages.navPolicy(lang)))</a></li>
                <li><a href="/exports">\(esc(WebMessages.navExports(lang)))</a></li>
                </ul></nav>
                <span>\(esc(WebMessages.signedInAs(lang)))：\(esc(p.name))</span>
                <form class="inline" method="post" action="/logout">
                <input type="hidden" name="csrf_token" value="\(esc(p.csrfToken ?? ""))">
                <button type="submit">\(esc(WebMessages.signOut(lang)))</button></form>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="\(htmlLang)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(title)) - \(esc(WebMessages.appName(lang)))</title>
            <link rel="stylesheet" href="/assets/app.css"></head>
            <body><a class="skip" href="#main">\(esc(WebMessages.skipToContent(lang)))</a>
            <header><strong>\(esc(WebMessages.appName(lang)))</strong>\(nav)</header>
            <main id="main" tabindex="-1"><h1>\(esc(title))</h1>
            \(body)
            </main></body></html>
            """
    }

    static func errorPage(_ e: WebError, lang: WebLanguage) -> String {
        layout(title: "\(e.status.code)", lang: lang, principal: nil, body: "<p class=\"error\" role=\"alert\">\(esc(e.text(lang)))</p>")
    }

    static func login(lang: WebLanguage, error: WebError?) -> String {
        var body = ""
        if let error { body += "<p class=\"error\" role=\"alert\" id=\"login-error\">\(esc(error.text(lang)))</p>" }
        body += """
            <form method="post" action="/login">
            <label for="username">\(esc(WebMessages.username(lang)))</label>
            <input id="username" name="username" autocomplete="username" required>
            <label for="password">\(esc(WebMessages.password(lang)))</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <p><button type="submit">\(esc(WebMessages.signIn(lang)))</button></p>
            </form>
            """
        return layout(title: WebMessages.loginTitle(lang), lang: lang, principal: nil, body: body)
    }

    static func overview(_ o: Overview, lang: WebLanguage, principal: AccountStore.Principal) -> String {
        var body = """
            <dl><dt>\(esc(WebMessages.seekerCount(lang)))</dt><dd>\(o.seekers)</dd>
            <dt>\(esc(WebMessages.queueDepth(lang)))</dt><dd>\(o.queued)</dd></dl>
            <h2>\(esc(WebMessages.recentRuns(lang)))</h2>
            """
        if o.recentRuns.isEmpty {
            body += "<p>\(esc(WebMessages.noRuns(lang)))</p>"
        } else {
            body += tableHead(["#", WebMessages.town(lang), WebMessages.date(lang), WebMessages.placed(lang)])
            for r in o.recentRuns {
                body += "<tr><td>\(r.id)</td><td>\(esc(r.region))</td><td>\(esc(r.date))</td><td>\(r.placed)</td></tr>"
            }
            body += "</tbody></table>"
        }
        return layout(title: WebMessages.overviewTitle(lang), lang: lang, principal: principal, body: body)
    }

    static func seekers(_ items: [SeekerSummary], lang: WebLanguage, principal: AccountStore.Principal, error: WebError?,
                        searched: Bool) -> String {
        var body = ""
        if let error { body += "<p class=\"error\" role=\"alert\">\(esc(error.text(lang)))</p>" }
        body += """
            <form method="post" action="/seekers" role="search">
            <input type="hidden" name="csrf_token" value="\(esc(principal.csrfToken ?? ""))">
            <label for="certificate_no">\(esc(WebMessages.certificateNo(lang)))</label>
            <input id="certificate_no" name="certificate_no" autocomplete="off" maxlength="24">
            <label for="name">\(esc(WebMessages.name(lang)))</label>
            <input id="name" name="name" autocomplete="off" maxlength="50">
            <p><button type="submit">\(esc(WebMessages.search(lang)))</button></p>
            </form>
            """
        if items.isEmpty {
            if searched { body += "<p role=\"status\">\(esc(WebMessages.noResults(lang)))</p>" }
        } else {
            body += tableHead([WebMessages.certificateNo(lang), WebMessages.name(lang), WebMessages.town(lang), WebMessages.status(lang)],
                              caption: WebMessages.seekersTitle(lang))
            for s in items {
                body += "<tr><td><a href=\"/seekers/\(esc(s.seeker_id))\">\(esc(s.certificate_no))</a></td><td>\(esc(s.name))</td>"
                    + "<td>\(esc(s.town_code))</td><td>\(esc(s.status))</td></tr>"
            }
            body += "</tbody></table>"
        }
        return layout(title: WebMessages.seekersTitle(lang), lang: lang, principal: principal, body: body)
    }

    static func seeker(_ r: SeekerRecord, revealed: [String: String], explanation: String? = nil, lang: WebLanguage, principal: AccountStore.Principal) -> String {
        let canReveal = principal.role != .viewer
        func row(_ label: WebText, _ field: String?, _ value: String?) -> String {
            var cell = esc(field.flatMap { revealed[$0] } ?? value ?? "")
            if let field, canReveal, revealed[field] == nil, value != nil {
                cell += """
                     <form class="inline" method="post" action="/seekers/\(esc(r.seeker_id))/reveal">
                    <input type="hidden" name="csrf_token" value="\(esc(principal.csrfToken ?? ""))">
                    <input type="hidden" name="field" value="\(field)">
                    <button type="submit" aria-label="\(esc(WebMessages.reveal(lang))) \(esc(label(lang)))">\(esc(WebMessages.reveal(lang)))</button></form>
                    """
            }
            return "<tr><th scope=\"row\">\(esc(label(lang)))</th><td>\(cell)</td></tr>"
        }
        var body = "<table><tbody>"
        body += row(WebMessages.certificateNo, "certificate_no", r.certificate_no)
        body += row(WebMessages.name, "name", r.name)
        body += row(WebMessages.town, nil, r.town_code)
        body += row(WebMessages.status, nil, r.status)
        body += row(WebMessages.workCapacity, nil, r.work_capacity)
        body += row(WebMessages.education, nil, r.education)
        body += row(WebMessages.registeredOn, nil, r.registered_on)
        body += row(WebMessages.phone, "phone", r.phone)
        body += "</tbody></table>"
        if canReveal { body += "<p>\(esc(WebMessages.revealAudited(lang)))</p>" }
        if let explanation {
            body += "<h2 id=\"explanation\">\(esc(WebMessages.explanationTitle(lang)))</h2><pre class=\"worksheet\">\(esc(explanation))</pre>"
        }
        return layout(title: WebMessages.seekerTitle(lang), lang: lang, principal: principal, body: body)
    }
}

extension WebServer {
    /// Pages: a request without a session goes to /login (SecurityMiddleware).
    func addPages(_ router: Router<WebContext>) {
        router.get("assets/app.css") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Pages.stylesheet)))
        }

        router.get("login") { _, context -> Response in
            if context.principal?.kind == .user { return Respond.redirect("/") }
            return Respond.html(Pages.login(lang: context.language, error: nil))
        }

        router.post("login") { request, context -> Response in
            let form = Form(try await body(request))
            do {
                let signed = try await signIn(username: form["username"] ?? "", password: form["password"] ?? "")
                var response = Respond.redirect("/")
                response.setCookie(sessionCookie(signed.sessionToken))
                return response
            } catch let e as WebError where e.code == "bad_login" || e.code == "locked" {
                return Respond.html(Pages.login(lang: context.language, error: e), status: e.status)
            }
        }

        router.post("logout") { _, context -> Response in
            if let p = context.principal, p.kind == .user, let hash = context.sessionHash {
                try await db(p) { c in try AccountStore.endSession(c, sessionHash: hash, username: p.name) }
            }
            var response = Respond.redirect("/login")
            response.setCookie(sessionCookie("", expire: true))
            return response
        }

        router.get("/") { _, context -> Response in
            let p = try context.require(Self.readers)
            let o = try await db(p) { c in try UseCases.overview(c, p) }
            return Respond.html(Pages.overview(o, lang: context.language, principal: p))
        }

        router.get("seekers") { _, context -> Response in
            let p = try context.require(Self.readers)
            let page = try await db(p) { c in try UseCases.listSeekers(c, p, region: nil, limit: 50, after: nil) }
            return Respond.html(Pages.seekers(page.items, lang: context.language, principal: p, error: nil, searched: false))
        }

        router.post("seekers") { request, context -> Response in
            let p = try context.require(Self.readers)
            let form = Form(try await body(request))
            let cert = form["certificate_no"].flatMap { $0.isEmpty ? nil : $0 }, name = form["name"].flatMap { $0.isEmpty ? nil : $0 }
            guard cert != nil || name != nil else {
                return Respond.html(Pages.seekers([], lang: context.language, principal: p, error: .searchNeedsField, searched: false),
                                    status: .unprocessableContent)
            }
            let items = try await db(p) { c in try UseCases.searchSeekers(c, p, certificateNo: cert, name: name, region: nil, limit: 100) }
            return Respond.html(Pages.seekers(items, lang: context.language, principal: p, error: nil, searched: true))
        }

        router.get("seekers/:seeker_id") { _, context -> Response in
            let p = try context.require(Self.readers)
            let id = try context.parameters.require("seeker_id")
            let (r, why) = try await db(p) { c in (try UseCases.seeker(c, p, id: id, unmasked: false), try UseCases.explanation(c, p, id: id)) }
            return Respond.html(Pages.seeker(r, revealed: [:], explanation: why, lang: context.language, principal: p))
        }

        router.post("seekers/:seeker_id/reveal") { request, context -> Response in
            let p = try context.require(Self.writers)
            let id = try context.parameters.require("seeker_id")
            let field = Form(try await body(request))["field"] ?? ""
            let (r, value) = try await db(p) { c in
                (try UseCases.seeker(c, p, id: id, unmasked: false), try UseCases.reveal(c, p, id: id, field: field))
            }
            return Respond.html(Pages.seeker(r, revealed: [field: value], lang: context.language, principal: p))
        }
    }
}
