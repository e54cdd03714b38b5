import App
import ArgumentParser
import Domain
import Foundation
import Postgres
import Store

/// `jobmatch category add CODE NAME`: a job category (CONTRACT.md §2.1).
struct CategoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "category", abstract: "Job categories.", subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a job category.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Code: lower-case letters, digits and _ (e.g. tea_picker).") var code: String
        @Argument(help: "Chinese name, at most 50 characters.") var name: String
        @Option(help: "Demands an opening of this category has by default (list: vision;walking…).") var demands: String?
        @Option(help: "The opening kind it usually is (public_welfare, quota, assisted, general).") var kindDefault: String?

        func run() throws {
            var problems: [String] = []
            if code.firstMatch(of: #/^[a-z][a-z0-9_]{0,49}$/#) == nil { problems.append(RecordMessages.badCategoryCode(code)) }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.count > 50 || trimmed.contains(where: { $0.isNewline }) { problems.append(RecordMessages.badName(name)) }
            var parsed: [Demand] = []
            for d in (demands ?? "").split(whereSeparator: { ";；、,".contains($0) }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !d.isEmpty {
                if let v = Demand(codeOrLabel: d) { parsed.append(v) } else { problems.append(RecordMessages.badDemand(d)) }
            }
            let kind = kindDefault.map { OpeningKind(codeOrLabel: $0) }
            if let kindDefault, kind! == nil { problems.append(RecordMessages.badKind(kindDefault)) }
            guard problems.isEmpty else { throw InputRejected(lines: problems) }
            // One transaction; a repeat is refused as existing, with a note (issue 18).
            try WritableRetry.run(db) { c in
                do {
                    try Reference.addCategory(c, code: code, name: trimmed, demands: parsed, kindDefault: kind ?? nil, actor: db.resolvedActor)
                } catch let e where RecordMessages.conflict(e) != nil {
                    throw InputRejected(lines: [RecordMessages.conflict(e)!])
                }
            }
            print(RecordMessages.categoryAdded(code, trimmed))
        }
    }
}

/// `jobmatch placement end CERT OPENING --date D --reason R`.
struct PlacementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "placement", abstract: "Placements.", subcommands: [End.self])

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a placement: kept, with its end date and reason.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "The person's certificate number (残疾人证号).") var certificate: String
        @Argument(help: "The opening's id.") var opening: String
        @Option(help: "The last day in work (YYYY-MM-DD).") var date: String
        @Option(help: "left, dismissed, contract_ended, retired, died or other.") var reason: String

        func run() throws {
            var problems: [String] = []
            let day = CivilDate(iso: date)
            if day == nil { problems.append(RecordMessages.badDate(date)) }
            let why = ReferenceStore.EndReason(rawValue: reason)
            if why == nil { problems.append(RecordMessages.badReason(reason)) }
            guard problems.isEmpty, let day, let why else { throw InputRejected(lines: problems) }
            let key = (try? CertificateNumber(certificate))?.key ?? certificate
            // One transaction; a repeat finds no active placement and is refused, with a note (issue 18).
            let ended = try WritableRetry.run(db) { c in
                try Reference.endPlacement(c, certificateKey: key, opening: opening, date: day, reason: why, actor: db.resolvedActor)
            }
            print(RecordMessages.placementEnded(Masking.identifier(key), opening, ended, day, why))
        }
    }
}

/// `jobmatch duplicates` and `duplicates resolve A B --same|--different`.
struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates", abstract: "Possible duplicate persons and staff's decisions.",
        subcommands: [List.self, Resolve.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List possible duplicate persons (unresolved; --all for every pair).")
        @OptionGroup var db: DatabaseOptions
        @Flag(help: "Also pairs already decided.") var all = false
        @Flag(help: "Print certificate numbers whole (audited).") var unmasked = false

        func run() throws {
            // Reads; an unmasked output writes its audit record, so that goes to a writable primary (issue 18).
            let pairs = try WritableRetry.run(db, writes: unmasked) { c in
                let pairs = try Reference.duplicates(c, all: all)
                if unmasked { try Audit.record(c, actor: db.resolvedActor, action: "unmasked_output", subject: "duplicates") }
                return pairs
            }
            print(RecordMessages.duplicatesHeader(pairs.count))
            for p in pairs {
                let show = { (s: String) in unmasked ? s : Masking.identifier(s) }
                let name = { (s: String) in unmasked ? s : Masking.name(s) }
                print("  \(show(p.a)) \(name(p.nameA))  ·  \(show(p.b)) \(name(p.nameB))  \(RecordMessages.decision(p.decision))")
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record whether two records are the same person.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "One certificate number of the pair.") var a: String
        @Argument(help: "The other.") var b: String
        @Flag(help: "They are the same person.") var same = false
        @Flag(help: "They are two people.") var different = false

        func validate() throws {
            if same == different { throw ValidationError("give exactly one of --same or --different") }
        }

        func run() throws {
            let keyA = (try? CertificateNumber(a))?.key ?? a, keyB = (try? CertificateNumber(b))?.key ?? b
            // One transaction; a repeat records the same decision again (issue 18).
            try WritableRetry.run(db) { c in try Reference.resolveDuplicate(c, keyA, keyB, same: same, actor: db.resolvedActor) }
            print(RecordMessages.resolved(Masking.identifier(keyA), Masking.identifier(keyB), same: same))
        }
    }
}

/// The words of these commands, in one place (a later issue makes a zh/en catalogue).
enum RecordMessages {
    static func badCategoryCode(_ code: String) -> String { "类别代码 \(code)：应为小写字母开头，由小写字母、数字和 _ 组成，至多 50 个字符" }
    static func badName(_ name: String) -> String { "类别名称 \(name)：不能为空，至多 50 个字符" }
    static func badDemand(_ d: String) -> String { "--demands \(d)：应为 vision、hearing、speech、walking、lifting、fine_motor、cognition 之一" }
    static func badKind(_ k: String) -> String { "--kind-default \(k)：应为 public_welfare、quota、assisted 或 general" }
    static func badDate(_ d: String) -> String { "--date \(d)：应为 YYYY-MM-DD" }
    static func badReason(_ r: String) -> String {
        "--reason \(r)：应为 " + ReferenceStore.EndReason.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、")
    }
    static func conflict(_ error: any Error) -> String? {
        if case StoreError.conflict(let what)? = error as? StoreError { return "已存在，未添加：\(what)" }
        if let t = error as? Postgres.TransactionError, case StoreError.conflict(let what)? = t.body as? StoreError { return "已存在，未添加：\(what)" }
        return nil
    }
    static func categoryAdded(_ code: String, _ name: String) -> String { "已添加岗位类别 \(code)（\(name)）" }
    static func placementEnded(_ cert: String, _ opening: String, _ e: ReferenceStore.Ended, _ day: CivilDate,
                               _ why: ReferenceStore.EndReason) -> String {
        var text = "已结束安置：\(cert) 在 \(opening)（自 \(e.startDate) 起）至 \(day) 止，原因：\(why.label)。"
        text += e.statusAfter == e.statusBefore ? "求职状态仍为 \(e.statusAfter)。" : "求职状态 \(e.statusBefore) → \(e.statusAfter)。"
        if let h = e.household { text += e.householdZeroEmployment ? "家庭 \(h) 现为零就业家庭。" : "家庭 \(h) 仍有成员就业。" }
        return text + "补贴计至 \(day.year)年\(day.month)月。"
    }
    static func duplicatesHeader(_ n: Int) -> String { "可能重复的人员：\(n) 对（同名且出生日期相同，身份证号不同）" }
    static func decision(_ d: String?) -> String {
        switch d { case "same": "已确认：同一人"; case "different": "已确认：不同的人"; default: "待核实" }
    }
    static func resolved(_ a: String, _ b: String, same: Bool) -> String {
        "已记录：\(a) 与 \(b) \(same ? "是同一人" : "是不同的人")"
    }
}
