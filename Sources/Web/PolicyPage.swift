import App
import Domain
import Hummingbird
import Render
import Store

// /policy: the parameters in force today; admins add dated rows (never an edit:
// a correction is a new row), audited by the store as `policy_change`.

extension Pages {
    /// What the add form was given, shown again when it is refused.
    struct PolicyDraft: Sendable {
        var key = "", value = "", from = "", until = "", source = "", status = "verified", jurisdiction = ""
    }

    static func policy(_ items: [PolicyItem], date: String, lang: WebLanguage, principal p: AccountStore.Principal,
                       draft: PolicyDraft? = nil, notice: String? = nil, problems: [String] = []) -> String {
        var body = ""
        if let notice { body += "<p role=\"status\" class=\"notice\" id=\"policy-result\">\(esc(notice))</p>" }
        if !problems.isEmpty {
            body += "<div role=\"alert\" id=\"policy-result\"><p class=\"error\">\(esc(WebMessages.nothingAdded(lang)))</p><ul class=\"errors\">"
            for line in problems { body += "<li>\(esc(line))</li>" }
            body += "</ul></div>"
        }
        body += "<p>\(esc(WebMessages.policyInForce(date, lang)))</p>"
        body += tableHead([WebMessages.parameterKey, WebMessages.value, WebMessages.jurisdiction, WebMessages.validFrom, WebMessages.validTo,
                           WebMessages.source].map { $0(lang) }, caption: WebMessages.policyTitle(lang))
        for i in items {
            body += "<tr><td>\(esc(i.key))</td><td>\(esc(i.value))</td><td>\(esc(i.jurisdiction))</td><td>\(esc(i.valid_from))</td><td>\(esc(i.valid_to ?? ""))</td><td>\(esc(i.source))</td></tr>"
        }
        body += "</tbody></table>"
        if p.role == .admin {
            let d = draft ?? PolicyDraft()
            func field(_ id: String, _ label: WebText, _ value: String, type: String = "text", required: Bool = true) -> String {
                "<label for=\"\(id)\">\(esc(label(lang)))</label><input id=\"\(id)\" name=\"\(id)\" type=\"\(type)\" value=\"\(esc(value))\"\(required ? " required" : "")>"
            }
            body += "<h2 id=\"add\">\(esc(WebMessages.addParameter(lang)))</h2><p>\(esc(WebMessages.addParameterNote(lang)))</p>"
            body += "<form method=\"post\" action=\"/policy\">\(csrfField(p))"
            body += field("key", WebMessages.parameterKey, d.key) + field("value", WebMessages.value, d.value)
                + field("jurisdiction", WebMessages.jurisdiction, d.jurisdiction)
                + field("valid_from", WebMessages.validFrom, d.from, type: "date")
                + field("valid_to", WebMessages.validToOptional, d.until, type: "date", required: false)
                + field("source", WebMessages.source, d.source)
            body += "<label for=\"status\">\(esc(WebMessages.parameterStatus(lang)))</label><select id=\"status\" name=\"status\">"
            for s in ParameterStatus.allCases {
                body += "<option value=\"\(s.rawValue)\"\(s.rawValue == d.status ? " selected" : "")>\(esc(WebMessages.statusLabel(s, lang)))</option>"
            }
            body += "</select><p><button type=\"submit\">\(esc(WebMessages.addButton(lang)))</button></p></form>"
        }
        return layout(title: WebMessages.policyTitle(lang), lang: lang, principal: p, body: body)
    }
}

extension WebServer {
    func addPolicyPage(_ router: Router<WebContext>) {
        router.get("policy") { _, context -> Response in
            let p = try context.require(Self.readers)
            let j = configuration.jurisdiction
            let today = UseCases.today()
            let items = try await db(p) { c in try UseCases.policy(c, jurisdiction: j, date: today) }
            var draft = Pages.PolicyDraft()
            draft.jurisdiction = j
            return Respond.html(Pages.policy(items, date: today.description, lang: context.language, principal: p, draft: draft))
        }

        router.post("policy") { request, context -> Response in
            let p = try context.require([.admin])
            let form = Form(try await body(request))
            let lang = context.language
            let d = Pages.PolicyDraft(key: form["key"] ?? "", value: form["value"] ?? "", from: form["valid_from"] ?? "",
                                      until: form["valid_to"] ?? "", source: form["source"] ?? "", status: form["status"] ?? "",
                                      jurisdiction: form["jurisdiction"] ?? "")
            try UseCases.plainText(d.key, d.value, d.from, d.until, d.source, d.status, d.jurisdiction)
            let j = configuration.jurisdiction
            let today = UseCases.today()
            let parameter: PolicyParameter
            do throws(PolicyParameter.InputRejected) {
                parameter = try PolicyParameter.validated(key: d.key, value: d.value, from: d.from, until: d.until.isEmpty ? nil : d.until,
                                                          source: d.source, status: d.status, jurisdiction: d.jurisdiction)
            } catch {
                let items = try await db(p) { c in try UseCases.policy(c, jurisdiction: j, date: today) }
                return Respond.html(Pages.policy(items, date: today.description, lang: lang, principal: p, draft: d,
                                                 problems: error.problems.map { PolicyMessages.problem($0, lang, naming: .form) }),
                                    status: .unprocessableContent)
            }
            let actor = p.actor
            let (added, items) = try await db(p) { c in
                (try Policy.add(c, [parameter], actor: actor), try UseCases.policy(c, jurisdiction: j, date: today))
            }
            var draft = Pages.PolicyDraft()
            draft.jurisdiction = j
            return Respond.html(Pages.policy(items, date: today.description, lang: lang, principal: p, draft: draft,
                                             notice: WebMessages.parameterAdded(added[0].id, key: parameter.key, value: parameter.value, lang)))
        }
    }
}
