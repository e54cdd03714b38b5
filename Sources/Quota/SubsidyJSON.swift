import Domain

/// CONTRACT.md §5 `subsidies --year Y --json`: per placement and programme the
/// months and amount due in Y (`placements`), and totals per beneficiary
/// (`totals`); money in integer fen. A person's certificate number — as
/// `certificate_no` or as a person beneficiary — is masked unless
/// `userInfo[.unmaskedIdentifiers]` is true.
extension SubsidyStatement: Encodable {
    /// Lines of one placement and programme, summed.
    struct PlacementProgramme: Encodable {
        let line: SubsidyLine
        var months: [Int]
        var amount: Fen
        var restsOnPlaceholder: Bool
        enum CodingKeys: String, CodingKey {
            case certificateNo = "certificate_no", openingID = "opening_id", startDate = "start_date", programme
            case beneficiaryKind = "beneficiary_kind", beneficiary, months, amountFen = "amount_fen", restsOnPlaceholder = "rests_on_placeholder"
        }
        func encode(to encoder: any Encoder) throws {
            let unmasked = encoder.userInfo[.unmaskedIdentifiers] as? Bool == true
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(unmasked ? line.person.printed : line.person.masked, forKey: .certificateNo)
            try c.encode(line.opening.value, forKey: .openingID)
            try c.encode(line.placementStart.description, forKey: .startDate)
            try c.encode(line.programme, forKey: .programme)
            try c.encode(line.beneficiaryKind, forKey: .beneficiaryKind)
            try c.encode(SubsidyStatement.shown(line.beneficiaryKind, line.beneficiary, unmasked), forKey: .beneficiary)
            try c.encode(months, forKey: .months)
            try c.encode(amount.value, forKey: .amountFen)
            try c.encode(restsOnPlaceholder, forKey: .restsOnPlaceholder)
        }
    }

    static func shown(_ kind: SubsidyBeneficiaryKind, _ id: String, _ unmasked: Bool) -> String {
        kind == .person && !unmasked ? Masking.identifier(id) : id
    }

    /// The lines grouped per placement and programme, in line order.
    var perPlacement: [PlacementProgramme] {
        var out: [PlacementProgramme] = []
        for l in lines {
            if let last = out.last, last.line.person == l.person, last.line.opening == l.opening,
               last.line.placementStart == l.placementStart, last.line.programme == l.programme {
                out[out.count - 1].months.append(l.month)
                out[out.count - 1].amount = last.amount + l.amount
                out[out.count - 1].restsOnPlaceholder = last.restsOnPlaceholder || l.restsOnPlaceholder
            } else {
                out.append(PlacementProgramme(line: l, months: [l.month], amount: l.amount, restsOnPlaceholder: l.restsOnPlaceholder))
            }
        }
        return out
    }

    enum CodingKeys: String, CodingKey { case year, placements, totals, needsAttention = "needs_attention" }
    enum AttentionKeys: String, CodingKey {
        case certificateNo = "certificate_no", openingID = "opening_id", startDate = "start_date", programme, months, reason, message
    }
    enum TotalKeys: String, CodingKey {
        case beneficiaryKind = "beneficiary_kind", beneficiary, amountFen = "amount_fen", restsOnPlaceholder = "rests_on_placeholder"
    }

    /// Encodes `year`, `placements` and `totals`.
    public func encode(to encoder: any Encoder) throws {
        let unmasked = encoder.userInfo[.unmaskedIdentifiers] as? Bool == true
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(year, forKey: .year)
        try c.encode(perPlacement, forKey: .placements)
        var totalsContainer = c.nestedUnkeyedContainer(forKey: .totals)
        for t in totals {
            var o = totalsContainer.nestedContainer(keyedBy: TotalKeys.self)
            try o.encode(t.beneficiaryKind, forKey: .beneficiaryKind)
            try o.encode(SubsidyStatement.shown(t.beneficiaryKind, t.beneficiary, unmasked), forKey: .beneficiary)
            try o.encode(t.amount.value, forKey: .amountFen)
            try o.encode(t.restsOnPlaceholder, forKey: .restsOnPlaceholder)
        }
        // Placements a programme covers but cannot pay: nobody to receive it (issue 12).
        var attention = c.nestedUnkeyedContainer(forKey: .needsAttention)
        for a in needsAttention {
            var o = attention.nestedContainer(keyedBy: AttentionKeys.self)
            try o.encode(unmasked ? a.person.printed : a.person.masked, forKey: .certificateNo)
            try o.encode(a.opening.value, forKey: .openingID)
            try o.encode(a.placementStart.description, forKey: .startDate)
            try o.encode(a.programme, forKey: .programme)
            try o.encode(a.months, forKey: .months)
            try o.encode(a.reason, forKey: .reason)
            try o.encode(a.reason.label, forKey: .message)
        }
    }

    /// Per placement and programme: the lines of Y (for the human listing).
    public var linesPerPlacement: [[SubsidyLine]] {
        var out: [[SubsidyLine]] = []
        for l in lines {
            if let last = out.last?.last, last.person == l.person, last.opening == l.opening,
               last.placementStart == l.placementStart, last.programme == l.programme {
                out[out.count - 1].append(l)
            } else {
                out.append([l])
            }
        }
        return out
    }
}
