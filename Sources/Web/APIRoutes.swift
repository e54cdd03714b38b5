import Foundation
import HTTPTypes
import Hummingbird
import App
import Domain
import Postgres
import Store

/// `/api/v1` (CONTRACT.md §7), described by `openapi/openapi.yaml`.
extension WebServer {
    struct SessionRequest: Decodable { var username: String; var password: String }
    struct SessionResponse: Encodable { var csrf_token: String; var username: String; var role: String }
    struct SeekerList: Encodable { var items: [SeekerSummary]; var next_cursor: String? }
    struct SearchRequest: Decodable {
        var certificate_no: String?
        var name: String?
        var region: String?
        var limit: Int?
    }
    struct RunRequest: Decodable { var region: String; var date: String? }
    struct RequestState: Encodable { var request_id: Int64; var state: String; var run_id: Int64? }
    struct Accepted: Encodable { var request_id: Int64 }
    struct ProposalList: Encodable { var items: [ProposalItem]; var next_cursor: String? }
    struct UnmatchedList: Encodable { var items: [UnmatchedItem] }
    struct Confirmed: Encodable { var confirmed: [Int64] }
    struct Explanation: Encodable { var seeker_id: String; var text: String }
    struct PolicyList: Encodable { var date: String; var jurisdiction: String; var items: [PolicyItem] }

    static let readers: Set<AccountStore.Role> = [.admin, .staff, .viewer]
    static let writers: Set<AccountStore.Role> = [.admin, .staff]

    static func limit(_ text: String?) throws -> Int {
        guard let text else { return 50 }
        guard let n = Int(text), (1...500).contains(n) else { throw WebError.badRequest }
        return n
    }

    func addAPIRoutes(_ router: Router<WebContext>) {
        let api = router.group("api/v1")

        api.get("openapi.yaml") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }

        api.post("session") { request, context -> Response in
            let body = try await decode(SessionRequest.self, request)
            let signed = try await signIn(username: body.username, password: body.password)
            var response = try Respond.json(SessionResponse(csrf_token: signed.csrfToken, username: body.username,
                                                            role: signed.role.rawValue))
            response.setCookie(sessionCookie(signed.sessionToken))
            return response
        }

        api.delete("session") { _, context -> Response in
            let p = try context.signedIn()
            guard p.kind == .user, let hash = context.sessionHash else { throw WebError.forbidden }
            try await db(p) { c in try AccountStore.endSession(c, sessionHash: hash, username: p.name) }
            var response = Response(status: .noContent)
            response.setCookie(sessionCookie("", expire: true))
            return response
        }

        api.get("seekers") { request, context -> Response in
            let p = try context.require(Self.readers)
            let q = request.uri.queryParameters
            let limit = try Self.limit(q.get("limit"))
            let region = q.get("region"), cursor = q.get("cursor")
            let page = try await db(p) { c in try UseCases.listSeekers(c, p, region: region, limit: limit, after: cursor) }
            return try Respond.taggedJSON(request, SeekerList(items: page.items, next_cursor: page.next))
        }

        api.post("seekers/search") { request, context -> Response in
            let p = try context.require(Self.readers)
            let body = try await decode(SearchRequest.self, request)
            let cert = body.certificate_no.flatMap { $0.isEmpty ? nil : $0 }, name = body.name.flatMap { $0.isEmpty ? nil : $0 }
            guard cert != nil || name != nil else { throw WebError.searchNeedsField }
            let limit = body.limit ?? 50
            guard (1...500).contains(limit) else { throw WebError.badRequest }
            let items = try await db(p) { c in
                try UseCases.searchSeekers(c, p, certificateNo: cert, name: name, region: body.region, limit: limit)
            }
            return try Respond.json(SeekerList(items: items, next_cursor: nil))
        }

        api.get("seekers/:seeker_id") { request, context -> Response in
            let p = try context.require(Self.readers)
            let id = try context.parameters.require("seeker_id")
            let unmasked = request.uri.queryParameters.get("unmasked") == "true"
            if unmasked && !Self.writers.contains(p.role) { throw WebError.forbidden }
            let record = try await db(p) { c in try UseCases.seeker(c, p, id: id, unmasked: unmasked) }
            return try Respond.json(record)
        }

        api.post("runs") { request, context -> Response in
            let p = try context.require(Self.writers)
            let body = try await decode(RunRequest.self, request)
            let id = try await db(p) { c in try UseCases.enqueueRun(c, p, region: body.region, date: body.date) }
            return try Respond.json(Accepted(request_id: id), status: .accepted)
        }

        api.get("runs/:id") { _, context -> Response in
            let p = try context.require(Self.readers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            return try Respond.json(try await db(p) { c in try UseCases.run(c, p, id: id) })
        }

        api.get("runs/:id/proposals") { request, context -> Response in
            let p = try context.require(Self.readers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let q = request.uri.queryParameters
            let limit = try Self.limit(q.get("limit"))
            var cursor: Int64?
            if let text = q.get("cursor") {
                guard let n = Int64(text) else { throw WebError.badRequest }
                cursor = n
            }
            let page = try await db(p) { [cursor] c in try UseCases.proposals(c, p, run: id, limit: limit, after: cursor) }
            return try Respond.taggedJSON(request, ProposalList(items: page.items, next_cursor: page.next.map(String.init)))
        }

        api.get("runs/:id/unmatched") { _, context -> Response in
            let p = try context.require(Self.readers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let items = try await db(p) { c in try UseCases.unmatched(c, p, run: id) }
            return try Respond.json(UnmatchedList(items: items))
        }

        api.get("seekers/:seeker_id/explanation") { _, context -> Response in
            let p = try context.require(Self.readers)
            let id = try context.parameters.require("seeker_id")
            let text = try await db(p) { c in try UseCases.explanation(c, p, id: id) }
            return try Respond.json(Explanation(seeker_id: id, text: text))
        }

        // One proposal, or several at once with `{"proposal_ids": [...]}` (all or none).
        api.post("proposals/:id/confirm") { request, context -> Response in
            let p = try context.require(Self.writers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            var ids = [id]
            let buffer = try await body(request)
            if buffer.readableBytes > 0 {
                guard let more = try? JSONDecoder().decode(ConfirmMany.self, from: Data(buffer.readableBytesView)) else { throw WebError.badRequest }
                ids += more.proposal_ids ?? []
                guard ids.count <= 500 else { throw WebError.badRequest }
            }
            let jurisdiction = configuration.jurisdiction
            do {
                let outcome = try await db(p) { [ids] c in try UseCases.confirm(c, p, proposals: ids, jurisdiction: jurisdiction) }
                return try Respond.json(Confirmed(confirmed: outcome.confirmed.map(\.proposalID)))
            } catch {
                guard let refused = UseCases.refusals(error, asked: ids) else { throw error }
                throw WebError.noLongerHolds(refused)
            }
        }

        api.get("policy") { request, context -> Response in
            _ = try context.require(Self.readers)
            let q = request.uri.queryParameters
            var date = UseCases.today()
            if let text = q.get("date") {
                guard let d = CivilDate(iso: text) else { throw WebError.badDate }
                date = d
            }
            let jurisdiction = q.get("jurisdiction") ?? configuration.jurisdiction
            let items = try await db(nil) { [date] c in try UseCases.policy(c, jurisdiction: jurisdiction, date: date) }
            return try Respond.json(PolicyList(date: date.description, jurisdiction: jurisdiction, items: items))
        }

        api.get("requests/:id") { _, context -> Response in
            let p = try context.require(Self.readers)
            guard let id = Int64(try context.parameters.require("id")) else { throw WebError.notFound }
            let s = try await db(p) { c in try UseCases.request(c, p, id: id) }
            return try Respond.json(RequestState(request_id: id, state: s.state, run_id: s.runID))
        }
    }
}
