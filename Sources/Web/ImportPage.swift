import Foundation
import Hummingbird
import Intake
import Render
import Store

// /imports: upload a CSV or XLSX of any kind; every row error listed, all-or-nothing
// or partial with the rejects file to download.

extension Pages {
    static func csrfField(_ p: AccountStore.Principal) -> String {
        "<input type=\"hidden\" name=\"csrf_token\" value=\"\(esc(p.csrfToken ?? ""))\">"
    }

    static func imports(lang: WebLanguage, principal p: AccountStore.Principal, result: ImportResult?) -> String {
        var body = ""
        if let result {
            let refused = result.refused
            body += "<p role=\"\(refused ? "alert" : "status")\" class=\"\(refused ? "error" : "notice")\" id=\"import-result\">"
                + "\(esc(result.summary(lang)))</p>"
            if !result.issues.isEmpty {
                body += "<h2 id=\"row-errors\">\(esc(WebMessages.errorCount(result.issues.count, lang)))</h2><ul class=\"errors\">"
                for e in result.issues { body += "<li>\(esc(e.message))</li>" }
                body += "</ul>"
            }
            if let rejects = result.rejects {
                body += "<p><a download=\"rejects.csv\" href=\"data:text/csv;base64,\(Data(rejects).base64EncodedString())\">"
                    + "\(esc(WebMessages.downloadRejects(lang)))</a></p>"
            }
        }
        if p.role != .viewer {
            // The CSRF token is a field of the multipart body (AuthMiddleware reads it), never in the URL.
            body += """
                <h2>\(esc(WebMessages.uploadFile(lang)))</h2>
                <form method="post" action="/imports" enctype="multipart/form-data">\(csrfField(p))
                <label for="kind">\(esc(WebMessages.importKind(lang)))</label>
                <select id="kind" name="kind">
                """
            for k in ImportKind.allCases { body += "<option value=\"\(k.rawValue)\">\(esc(WebMessages.importKind(k, lang)))</option>" }
            body += """
                </select>
                <label for="file">\(esc(WebMessages.csvOrXLSX(lang)))</label>
                <input id="file" name="file" type="file" accept=".csv,.xlsx" required>
                <p><input type="checkbox" id="partial" name="partial" value="1"> <label class="plain" for="partial">\(esc(WebMessages.importPartial(lang)))</label></p>
                <p><button type="submit">\(esc(WebMessages.importButton(lang)))</button></p></form>
                """
        } else {
            body += "<p>\(esc(WebMessages.viewerCannotImport(lang)))</p>"
        }
        return layout(title: WebMessages.importsTitle(lang), lang: lang, principal: p, body: body)
    }
}

extension WebServer {
    func addImportPage(_ router: Router<WebContext>) {
        router.get("imports") { _, context -> Response in
            let p = try context.require(Self.readers)
            return Respond.html(Pages.imports(lang: context.language, principal: p, result: nil))
        }

        router.post("imports") { request, context -> Response in
            let p = try context.require(Self.writers)
            guard p.allRegions else { throw WebError.importDistrictOnly }
            let contentType = request.headers[.contentType]
            guard let form = Multipart(try await body(request), contentType: contentType),
                  let kind = form.fields["kind"].flatMap(ImportKind.init(rawValue:)),
                  let file = form.files["file"], !file.bytes.isEmpty else { throw WebError.badRequest }
            let partial = form.fields["partial"] != nil
            let lang = context.language
            let result = try await db(p) { c in
                try Self.importFile(c, p, kind: kind, fileName: file.name, bytes: file.bytes, partial: partial, lang: lang)
            }
            return Respond.html(Pages.imports(lang: lang, principal: p, result: result), status: result.refused ? .unprocessableContent : .ok)
        }
    }
}
