// libFuzzer harness for hostile input (issue 7): the CSV reader with encoding
// auto-detection, IntakeValidator on every import kind, the identity parsers
// and the field parsers. Built by scripts/fuzz (swiftc -sanitize=fuzzer,address
// over the Domain and Intake sources), never by SwiftPM.
//
// The first input byte chooses the target; the rest is the file. Besides "no
// crash, no hang, no ASan report", it checks properties that must hold for any
// input, and traps when one breaks:
//   - a file read in one chunk and in two (split anywhere) gives the same
//     records, or the same error (chunk boundaries must not matter);
//   - a parsed ResidentID / CertificateNumber / CreditCode parses again to itself,
//     and its masked form keeps exactly the first 6 and last 2 characters;
//   - IntakeValidator emits exactly one event per non-blank row after the header.

import Domain
import Foundation
import Intake

/// The example district's references, so rows can pass and reach deep rules.
let references: KnownReferences = {
    let dir = ProcessInfo.processInfo.environment["FUZZ_EXAMPLES"] ?? "examples/yanshi"
    func column(_ file: String, _ index: Int) -> Set<String> {
        guard let text = try? String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8) else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).dropFirst().compactMap {
            let f = $0.split(separator: ",", omittingEmptySubsequences: false)
            return index < f.count ? String(f[index]) : nil
        })
    }
    return KnownReferences(towns: column("regions.csv", 0), households: column("households.csv", 0),
                           seekers: Set(column("seekers.csv", 0).map { String($0.prefix(20)) }),
                           employers: column("employers.csv", 0), openings: column("openings.csv", 0))
}()

let today = CivilDate(year: 2025, month: 9, day: 1)!

/// A refusal, as text.
struct Refused: Error { let text: String }

/// What reading gave: the records, or the error's text.
func readAll(_ bytes: [UInt8], encoding: TextEncoding, split: Int?) -> Result<[CSVRecord], Refused> {
    var reader = CSVReader(file: "fuzz.csv", encoding: encoding)
    var out: [CSVRecord] = []
    do {
        if let split {
            try reader.feed(Array(bytes[..<split])) { out.append($0) }
            try reader.feed(Array(bytes[split...])) { out.append($0) }
        } else {
            try reader.feed(bytes) { out.append($0) }
        }
        try reader.finish { out.append($0) }
        return .success(out)
    } catch {
        return .failure(Refused(text: String(describing: error)))
    }
}

func checkReader(_ bytes: [UInt8], encoding: TextEncoding, splitSeed: UInt8) {
    let whole = readAll(bytes, encoding: encoding, split: nil)
    guard !bytes.isEmpty else { return }
    let split = Int(splitSeed) * bytes.count / 256
    let parts = readAll(bytes, encoding: encoding, split: split)
    switch (whole, parts) {
    case (.success(let a), .success(let b)):
        precondition(a == b, "records differ when the file is split at \(split)")
    case (.failure, .failure):
        break  // the same file refused both ways (the row named may differ by how far detection looked)
    default:
        preconditionFailure("one read refused the file and the other did not (split at \(split))")
    }
}

let kinds: [ImportKind] = ImportKind.allCases

func checkValidator(_ bytes: [UInt8], kind: ImportKind, splitSeed: UInt8) {
    var v = IntakeValidator(kind: kind, file: "fuzz.csv", today: today, references: references)
    var events = 0, headers = 0
    let split = bytes.isEmpty ? 0 : Int(splitSeed) * bytes.count / 256
    do {
        try v.feed(Array(bytes[..<split])) { e in if case .header = e { headers += 1 } else { events += 1 } }
        try v.feed(Array(bytes[split...])) { e in if case .header = e { headers += 1 } else { events += 1 } }
        let summary = try v.finish { e in if case .header = e { headers += 1 } else { events += 1 } }
        precondition(headers == 1, "one header event")
        precondition(summary.accepted + summary.rejected == events, "one event per row")
    } catch {
        _ = String(describing: error)  // describing an error must not crash either
    }
}

func checkIdentity(_ text: String) {
    if let id = try? ResidentID(text, today: today) {
        precondition(id.value.utf8.count == 18)
        precondition((try? ResidentID(id.value))?.value == id.value, "ResidentID parses to itself")
        let m = id.masked
        precondition(m.hasPrefix(String(id.value.prefix(6))) && m.hasSuffix(String(id.value.suffix(2))) && m.count == 18)
        precondition(!m.contains(String(id.value.dropFirst(6).prefix(10))) || id.value.dropFirst(6).prefix(10).allSatisfy { $0 == "*" })
    }
    if let c = try? CertificateNumber(text, today: today) {
        precondition(c.key.utf8.count == 20)
        let again = try? CertificateNumber(c.printed)
        precondition(again?.key == c.key && again?.reissue == c.reissue, "CertificateNumber parses to itself")
        precondition(c.masked.count == 20)
    }
    if let code = try? CreditCode(text) {
        precondition((try? CreditCode(code.value))?.value == code.value, "CreditCode parses to itself")
    }
    _ = Masking.identifier(text); _ = Masking.phone(text); _ = Masking.name(text)
}

func checkFields(_ text: String) {
    _ = try? FieldParser.boolean(text)
    if let d = try? FieldParser.date(text) {
        precondition((try? FieldParser.date(d.description)) == d, "a date prints and parses back")
    }
    if let m = try? FieldParser.money(text) {
        _ = m
    }
    _ = try? FieldParser.decimal(text)
    _ = try? FieldParser.integer(text, in: -1_000_000...1_000_000)
    _ = try? FieldParser.integer(text, in: Int.min...Int.max)
    _ = try? FieldParser.list(text)
    _ = try? FieldParser.codeList(text)
    _ = try? FieldParser.name(text)
    _ = try? FieldParser.text(text)
    _ = try? FieldParser.code(text)
    _ = try? FieldParser.residentID(text, today: today)
    _ = try? FieldParser.certificate(text, today: today)
    _ = try? FieldParser.creditCode(text)
    _ = try? FieldParser.enumeration(text, as: Education.self)
    _ = try? FieldParser.enumerationList(text, as: SupportFlag.self)
    _ = FieldParser.trimmed(text)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 2 else { return 0 }
    let selector = data[0], splitSeed = data[1]
    let bytes = Array(UnsafeBufferPointer(start: data + 2, count: size - 2))
    switch selector % 8 {
    case 0: checkReader(bytes, encoding: .auto, splitSeed: splitSeed)
    case 1: checkReader(bytes, encoding: splitSeed & 1 == 0 ? .utf8 : .gb18030, splitSeed: splitSeed)
    case 2, 3, 4, 5:
        // seekers, openings and rosters twice as often as the other kinds.
        let favoured: [ImportKind] = [.seekers, .openings, .rosters]
        let kind = selector & 0x80 == 0 ? favoured[Int(selector >> 3) % favoured.count] : kinds[Int(selector >> 3) % kinds.count]
        checkValidator(bytes, kind: kind, splitSeed: splitSeed)
    default:
        let text = String(decoding: bytes.prefix(256), as: UTF8.self)
        checkIdentity(text)
        checkFields(text)
        for line in text.split(separator: ",", maxSplits: 8) {
            checkIdentity(String(line))
            checkFields(String(line))
        }
    }
    return 0
}
