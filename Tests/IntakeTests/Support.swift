import Domain
@testable import Intake
#if canImport(Glibc)
import Glibc
#endif

/// Fixed "today" for every test (pure code gets no clock).
let today = CivilDate(year: 2025, month: 6, day: 1)!

/// A valid 18-character resident ID: region, birth date, sequence (its parity is the sex), check character.
func residentID(region: String = "410307", born: String = "19800101", sequence: String = "002") -> String {
    let head = region + born + sequence
    return head + String(ResidentID.checkCharacter(for: Array(head.utf8)))
}

/// A valid 20-character certificate number.
func certificate(_ id: String = residentID(), category: Int = 4, grade: Int = 2) -> String {
    id + "\(category)\(grade)"
}

/// A valid credit code from 17 leading characters.
func creditCode(_ head: String = "91410300MA44ABCD1") -> String {
    head + String(CreditCode.checkCharacter(for: Array(head))!)
}

/// The same 17 leading characters with a wrong check character.
func badCreditCode(_ head: String = "91410300MA44ABCD1") -> String {
    let good = CreditCode.checkCharacter(for: Array(head))!
    return head + (good == "0" ? "1" : "0")
}

/// A resident ID with its check character changed.
func withBadCheck(_ id: String) -> String {
    let last = id.last!
    return String(id.dropLast()) + (last == "1" ? "2" : "1")
}

let town = "410307004"
let otherTown = "410307005"
let employer = creditCode()

/// References a test district has loaded.
var known: KnownReferences {
    KnownReferences(towns: [town, otherTown, "410307"], households: ["H001", "H002"],
                    seekers: [certificate(), certificate(residentID(sequence: "013"), category: 1, grade: 1)],
                    employers: [employer], openings: ["P001", "Q001"])
}

/// CSV text → bytes, with CRLF line ends when asked.
func csv(_ lines: [String], crlf: Bool = false) -> [UInt8] {
    Array((lines.joined(separator: crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n")).utf8)
}

/// Validates a whole file in memory.
func run(_ kind: ImportKind, _ bytes: [UInt8], file: String? = nil, encoding: TextEncoding = .auto,
         references: KnownReferences = known) throws -> (header: IntakeHeader, accepted: [ValidatedRecord], rejected: [(errors: [RowError], raw: CSVRecord)]) {
    let (header, events) = try IntakeValidator.validate(bytes, kind: kind, file: file ?? "\(kind.rawValue).csv",
                                                        encoding: encoding, today: today, references: references)
    var accepted: [ValidatedRecord] = []
    var rejected: [(errors: [RowError], raw: CSVRecord)] = []
    for e in events {
        switch e {
        case .accepted(let r, _): accepted.append(r)
        case .rejected(let errs, let raw, _): rejected.append((errs, raw))
        case .header: break
        }
    }
    return (header, accepted, rejected)
}

/// UTF-8 → GB18030 through glibc iconv (the test's own encoder).
func gb18030(_ text: String) -> [UInt8] {
    let cd = iconv_open("GB18030", "UTF-8")!
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let produced = input.withUnsafeMutableBytes { inBuf -> Int in
        output.withUnsafeMutableBytes { outBuf -> Int in
            var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = inBuf.count
            var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = outBuf.count
            let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            precondition(r != -1, "iconv could not encode the test text")
            return outBuf.count - outLeft
        }
    }
    return Array(output[0..<produced])
}

/// Feeds `bytes` to a fresh reader in chunks of `size` bytes.
func records(_ bytes: [UInt8], chunk size: Int, encoding: TextEncoding = .auto) throws -> [CSVRecord] {
    var reader = CSVReader(file: "t.csv", encoding: encoding)
    var out: [CSVRecord] = []
    var i = 0
    while i < bytes.count {
        let j = min(bytes.count, i + size)
        try reader.feed(Array(bytes[i..<j])) { out.append($0) }
        i = j
    }
    try reader.finish { out.append($0) }
    return out
}

