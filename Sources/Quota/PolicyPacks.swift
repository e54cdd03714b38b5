import Domain

/// Why a policy pack file could not be read. Line numbers count the header as line 1.
public enum PolicyPackError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no header line.
    case empty
    /// A required column is missing from the header.
    case missingColumn(String)
    /// A line has a different number of fields than the header.
    case fieldCount(line: Int, expected: Int, found: Int)
    /// A quoted field is not closed before the end of the file.
    case unterminatedQuote(line: Int)
    /// A field's value breaks its rule (date, status, empty key…).
    case badValue(line: Int, column: String, value: String, rule: Rule)

    /// The rule a field breaks; Render words it.
    public enum Rule: Sendable, Equatable, CustomStringConvertible {
        case notEmpty, date, dateNotBeforeStart, status, source
        public var description: String {
            switch self {
            case .notEmpty: "must not be empty"
            case .date: "must be YYYY-MM-DD"
            case .dateNotBeforeStart: "must be YYYY-MM-DD on or after valid_from, or empty"
            case .status: "must be verified, secondary or placeholder"
            case .source: "every parameter names its source"
            }
        }
    }

    /// Short and safe to print (logs, tests): names the line, column and rule; people read Render's words.
    public var description: String {
        switch self {
        case .empty: "policy pack is empty (no header)"
        case .missingColumn(let c): "policy pack header lacks column \(c)"
        case .fieldCount(let l, let e, let f): "policy pack line \(l): \(f) fields, header has \(e)"
        case .unterminatedQuote(let l): "policy pack line \(l): quoted field not closed"
        case .badValue(let l, let c, let v, let r): "policy pack line \(l), column \(c), value \(v): \(r)"
        }
    }
}

/// Policy packs: the parameter rows of a jurisdiction kept as CSV data in the
/// repository (`policy/henan.csv`, `policy/japan.csv`, `policy/germany.csv`),
/// from which the store seeds its `policy_parameter` table.
///
/// Format: UTF-8, one header line naming the columns `key, jurisdiction,
/// valid_from, valid_to, value, source, status` (any order), comma separated
/// with RFC 4180 quoting (a field holding a comma or a quote is quoted, a quote
/// inside is doubled), LF or CRLF. `valid_from`/`valid_to` are `YYYY-MM-DD`;
/// an empty `valid_to` means "in force until replaced". `status` is one of
/// `verified`, `secondary`, `placeholder`. Blank lines are skipped.
///
/// Keys the quota module reads are listed in `Overview.swift`.
public enum PolicyPacks {
    /// The columns every pack must have.
    public static let columns = ["key", "jurisdiction", "valid_from", "valid_to", "value", "source", "status"]

    /// Parses a pack into parameter rows, in file order.
    ///
    /// Example: the line `quota.ratio,CN-41,2010-01-01,,0.016,…,secondary`
    /// becomes a `PolicyParameter` with key `quota.ratio`, `validTo` nil.
    public static func parse(csv text: String) throws(PolicyPackError) -> [PolicyParameter] {
        let records = try splitRecords(text)
        guard let (headerLine, header) = records.first else { throw .empty }
        _ = headerLine
        let names = header.map { $0.trimmingSpaces.lowercased() }
        var index: [String: Int] = [:]
        for c in columns {
            guard let i = names.firstIndex(of: c) else { throw .missingColumn(c) }
            index[c] = i
        }
        var result: [PolicyParameter] = []
        for (line, fields) in records.dropFirst() {
            if fields.count == 1 && fields[0].trimmingSpaces.isEmpty { continue }
            guard fields.count == header.count else {
                throw .fieldCount(line: line, expected: header.count, found: fields.count)
            }
            func field(_ c: String) -> String { fields[index[c]!].trimmingSpaces }
            let key = field("key"), jurisdiction = field("jurisdiction")
            guard !key.isEmpty else { throw .badValue(line: line, column: "key", value: key, rule: .notEmpty) }
            guard !jurisdiction.isEmpty else {
                throw .badValue(line: line, column: "jurisdiction", value: jurisdiction, rule: .notEmpty)
            }
            guard let from = CivilDate(iso: field("valid_from")) else {
                throw .badValue(line: line, column: "valid_from", value: field("valid_from"), rule: .date)
            }
            var to: CivilDate? = nil
            if !field("valid_to").isEmpty {
                guard let t = CivilDate(iso: field("valid_to")), t >= from else {
                    throw .badValue(line: line, column: "valid_to", value: field("valid_to"), rule: .dateNotBeforeStart)
                }
                to = t
            }
            guard let status = ParameterStatus(rawValue: field("status")) else {
                throw .badValue(line: line, column: "status", value: field("status"), rule: .status)
            }
            guard !field("source").isEmpty else {
                throw .badValue(line: line, column: "source", value: "", rule: .source)
            }
            result.append(PolicyParameter(key: key, jurisdiction: jurisdiction, validFrom: from, validTo: to,
                                          value: field("value"), source: field("source"), status: status))
        }
        return result
    }

    /// Splits RFC 4180 text into records of fields, each with the line on which it starts.
    static func splitRecords(_ text: String) throws(PolicyPackError) -> [(Int, [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1, recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        var sawAny = false
        while i < chars.count {
            let c = chars[i]
            sawAny = true
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == "," {
                fields.append(field); field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r" && i + 1 < chars.count && chars[i + 1] == "\n" { i += 1 }
                fields.append(field); field = ""
                records.append((recordLine, fields)); fields = []
                line += 1; recordLine = line
                sawAny = false
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw .unterminatedQuote(line: recordLine) }
        if sawAny || !fields.isEmpty { fields.append(field); records.append((recordLine, fields)) }
        return records
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
