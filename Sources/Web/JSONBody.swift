// The large, frequent JSON responses, built as Domain's `JSONValue` and printed
// compact by the one JSON writer. Foundation's JSONEncoder builds a tree of boxed
// values and sorts every object's keys through dictionaries; for a page of 50
// proposals with 8 reasons each it took about as long as the rest of the request.
// `Respond.json` uses `JSONBody.json` when a value has one; the text parses to the
// same value JSONEncoder writes (a test compares them): keys sorted, an absent
// optional left out.

import Domain

/// A response body that gives its JSON as a value (nil optionals left out).
protocol JSONBody: Encodable {
    var json: JSONValue { get }
}

extension JSONBody {
    var jsonBytes: [UInt8] { Array(json.compact.utf8) }
}

// MARK: - The bodies written this way

extension ProposalReason: JSONBody {
    var json: JSONValue { .object(["code": .string(code), "text": .string(text)]) }
}

extension ProposalItem: JSONBody {
    var json: JSONValue {
        .object(omittingNil: [
            "certificate_no": .string(certificate_no), "confirmed": .bool(confirmed), "opening_id": .string(opening_id),
            "proposal_id": .integer(proposal_id), "reasons": .array(reasons.map(\.json)), "score": .integer(score),
            "seeker_id": seeker_id.map(JSONValue.string),
        ])
    }
}

extension WebServer.ProposalList: JSONBody {
    var json: JSONValue {
        .object(omittingNil: ["items": .array(items.map(\.json)), "next_cursor": next_cursor.map(JSONValue.string)])
    }
}

extension SeekerSummary: JSONBody {
    var json: JSONValue {
        .object([
            "certificate_no": .string(certificate_no), "name": .string(name), "seeker_id": .string(seeker_id),
            "status": .string(status), "town_code": .string(town_code),
        ])
    }
}

extension WebServer.SeekerList: JSONBody {
    var json: JSONValue {
        .object(omittingNil: ["items": .array(items.map(\.json)), "next_cursor": next_cursor.map(JSONValue.string)])
    }
}
