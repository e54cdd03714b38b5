#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cell references and values: `A1` → column and row, numbers and date
/// serials as the sheet shows them.
extension Workbook {
    /// `A1`, `XFD1048576` → 0-based column.
    static func column(_ ref: String) -> Int? {
        var c = 0, letters = 0
        for u in ref.utf8 {
            switch u {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): c = c * 26 + Int(u - 64); letters += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): c = c * 26 + Int(u - 96); letters += 1
            case UInt8(ascii: "$"): continue
            default:
                guard letters > 0 else { return nil }
                return letters <= 3 ? c - 1 : nil
            }
            if letters > 3 { return nil }
        }
        return letters > 0 && letters <= 3 ? c - 1 : nil
    }

    /// `A1` → 1-based row.
    static func rowNumber(_ ref: String) -> Int? { Int(String(ref.drop { !$0.isNumber })) }

    /// A number as the sheet stores it → plain decimal text. Integers as written
    /// (`2400`); others rounded to 15 significant digits, as the spreadsheet shows
    /// them (`2400.5`, not `2400.4999999999998`); very large ones keep the `E+`.
    static func numberText(_ raw: String) -> String {
        if raw.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }) { return raw }
        guard let d = Double(raw), d.isFinite else { return raw }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([d]) { vsnprintf(&buf, 64, "%.15g", $0) }
        var s = String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if s.contains("e") {
            s = s.replacing("e", with: "E")
        }
        return s
    }

    /// A date serial → `2025-03-01` (the time of day is dropped).
    static func dateText(serial: Double, date1904: Bool) -> String {
        // Serials past 9999-12-31 (2,958,465), negative ones, NaN and infinities are not dates:
        // shown as the number (the fuzzer's second find: `1e300` trapped converting to Int).
        guard serial.isFinite, serial >= 0, serial < 3_000_000 else { return numberText(String(serial)) }
        let whole = Int(serial.rounded(.down))
        if !date1904 && whole == 60 { return "1900-02-29" }  // the 1900 system's nonexistent day
        // Days since 1970-01-01: 1900 system day 1 = 1900-01-01 (25567 days before 1970 … with the leap bug).
        let days = date1904 ? whole - 24_107 : (whole < 60 ? whole - 25_568 : whole - 25_569)
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    /// Howard Hinnant's days-from-civil inverse.
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
