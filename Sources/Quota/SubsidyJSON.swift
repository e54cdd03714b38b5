import Domain

/// CONTRACT.md §5 `subsidies --year Y --json`: per placement and programme the
/// months and amount due in Y (`placements`), and totals per beneficiary
/// (`totals`); money in integer fen. A person's certificate number — as
/// `certificate_no` or as a person beneficiary — is masked unless `unmasked`.
extension SubsidyStatement {
    /// Lines of one placement and programme, summed.
    struct PlacementProgramme {
        let line: SubsidyLine
        var months: [Int]
        var amount: Fen
        var restsOnPlaceholder: Bool
        func json(unmasked: Bool) -> JSONValue {
            .object([
                "certificate_no": .string(unmasked ? line.person.printed : line.person.masked),
                "opening_id": .string(line.opening.value),
                "start_date": .string(line.placementStart.description),
                "programme": .string(line.programme),
                "beneficiary_kind": .string(line.beneficiaryKind.rawValue),
                "beneficiary": .string(SubsidyStatement.shown(line.beneficiaryKind, line.beneficiary, unmasked)),
                "months": .array(months.map { .integer($0) }),
                "amount_fen": .integer(amount.value),
                "rests_on_placeholder": .bool(restsOnPlaceholder),
            ])
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

    /// The statement as JSON: `year`, `placements`, `totals` and `needs_attention`.
    public func json(unmasked: Bool) -> JSONValue {
        .object([
            "year": .integer(year),
            "placements": .array(perPlacement.map { $0.json(unmasked: unmasked) }),
            "totals": .array(totals.map { t in
                .object([
                    "beneficiary_kind": .string(t.beneficiaryKind.rawValue),
                    "beneficiary": .string(SubsidyStatement.shown(t.beneficiaryKind, t.beneficiary, unmasked)),
                    "amount_fen": .integer(t.amount.value),
                    "rests_on_placeholder": .bool(t.restsOnPlaceholder),
                ])
            }),
            // Placements a programme covers but cannot pay: nobody to receive it (issue 12).
            "needs_attention": .array(needsAttention.map { a in
                .object([
                    "certificate_no": .string(unmasked ? a.person.printed : a.person.masked),
                    "opening_id": .string(a.opening.value),
                    "start_date": .string(a.placementStart.description),
                    "programme": .string(a.programme),
                    "months": .array(a.months.map { .integer($0) }),
                    "reason": .string(a.reason.rawValue),
                    "message": .string(a.reason.label),
                ])
            }),
        ])
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
